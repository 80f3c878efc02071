//! Ranking officers for a place: cut by straight-line distance, then one reverse search from
//! the place that stops as soon as the best `k` are certain.

use std::collections::HashMap;

use geo::Coord;

use super::graph::{Snapped, StreetGraph};
use super::modes::{Mode, Speeds};
use super::search::{
    Access, ReverseSearch, SearchSpace, along_same_edge, arrivals, departures, straight,
};

/// A point further than this from every street is not snapped (metres).
pub const MAX_SNAP_M: f64 = 150.0;
/// ETAs closer than this (seconds) count as equal: the responsible officer goes first.
pub const EQUAL_TIME_S: f64 = 15.0;
/// Without a street to follow, travel is estimated as this much longer than the straight line.
pub const DETOUR_FACTOR: f64 = 1.3;

/// An officer who could go: their position (metric plane) and whether they answer for the
/// place's grid cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    pub code: String,
    pub at: Coord,
    pub responsible: bool,
}

pub use citygrid_core::api::dispatch::{RankStats, Ranked, Reason};

/// How many officers the straight-line cut keeps: four times what is asked, at least 20.
pub fn cut_size(k: usize) -> usize {
    (4 * k).max(20)
}

fn estimate(straight_m: f64, speeds: &Speeds, mode: Mode) -> (f64, f64) {
    let network = straight_m * DETOUR_FACTOR;
    let kmh = speeds.mode(mode).default.max(speeds.off_network_kmh);
    (network / (kmh / 3.6), network)
}

/// Ranks `spots` by travel time to `place` in `mode`; the best `k` (exact among the officers
/// the straight-line cut keeps).
pub fn rank(
    graph: &StreetGraph,
    speeds: &Speeds,
    mode: Mode,
    place: Coord,
    spots: &[Spot],
    k: usize,
    space: &mut SearchSpace,
) -> (Vec<Ranked>, RankStats) {
    let mut stats = RankStats {
        officers: spots.len(),
        ..RankStats::default()
    };
    if k == 0 || spots.is_empty() {
        return (Vec::new(), stats);
    }
    // The straight-line cut.
    let mut order: Vec<(f64, usize)> = spots
        .iter()
        .enumerate()
        .map(|(i, s)| (straight(place, s.at), i))
        .collect();
    let keep = cut_size(k).min(order.len());
    if keep < order.len() {
        order.select_nth_unstable_by(keep - 1, |a, b| a.0.total_cmp(&b.0));
        order.truncate(keep);
    }
    stats.after_cut = order.len();
    let off = speeds.off_network_kmh / 3.6;
    // (eta s, metres, estimated) per kept officer.
    let mut best: Vec<Option<(f64, f64, bool)>> = vec![None; order.len()];
    let target = graph.snap(place, mode, MAX_SNAP_M);
    let mut waiting: HashMap<u32, Vec<(usize, Access, f64)>> = HashMap::new();
    for (slot, &(d, i)) in order.iter().enumerate() {
        let snapped = graph.snap(spots[i].at, mode, MAX_SNAP_M);
        if let (Some(t), Some(s)) = (target, snapped) {
            let walk = s.distance / off;
            for a in departures(graph, &s, mode) {
                waiting.entry(a.node).or_default().push((slot, a, walk));
            }
            if let Some((secs, metres)) = along_same_edge(graph, &s, &t, mode) {
                let eta = f64::from(secs) + walk + t.distance / off;
                let m = f64::from(metres) + s.distance + t.distance;
                best[slot] = Some((eta, m, false));
            }
        } else {
            let (eta, m) = estimate(d, speeds, mode);
            best[slot] = Some((eta, m, true));
        }
    }
    if let Some(t) = target {
        search(
            graph, mode, &t, off, &waiting, &mut best, k, space, &mut stats,
        );
    }
    // Officers the search never reached (another component): estimates, flagged.
    let mut out: Vec<Ranked> = order
        .iter()
        .enumerate()
        .map(|(slot, &(d, i))| {
            let (eta, m, estimated) = best[slot].unwrap_or_else(|| {
                let (eta, m) = estimate(d, speeds, mode);
                (eta, m, true)
            });
            Ranked {
                rank: 0,
                officer: spots[i].code.clone(),
                eta_s: eta,
                network_m: m,
                straight_m: d,
                responsible: spots[i].responsible,
                estimated,
                reasons: Vec::new(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.eta_s
            .total_cmp(&b.eta_s)
            .then_with(|| a.officer.cmp(&b.officer))
    });
    prefer_responsible(&mut out);
    out.truncate(k);
    explain(&mut out);
    (out, stats)
}

#[allow(clippy::too_many_arguments)]
fn search(
    graph: &StreetGraph,
    mode: Mode,
    t: &Snapped,
    off: f64,
    waiting: &HashMap<u32, Vec<(usize, Access, f64)>>,
    best: &mut [Option<(f64, f64, bool)>],
    k: usize,
    space: &mut SearchSpace,
    stats: &mut RankStats,
) {
    let place_walk = t.distance / off;
    // Officers on the network: the ones the search can time.
    let wanted = k.min(
        best.iter()
            .filter(|b| !b.is_some_and(|(_, _, est)| est))
            .count(),
    );
    let mut search = ReverseSearch::new(graph, mode, space, &arrivals(graph, t, mode));
    while let Some(node) = search.next_settled() {
        stats.nodes_settled += 1;
        if let Some(list) = waiting.get(&node.node) {
            for (slot, a, walk) in list {
                let eta = f64::from(node.seconds + a.seconds) + walk + place_walk;
                let metres = f64::from(node.metres + a.metres) + t.distance;
                if best[*slot].is_none_or(|(b, _, est)| est || eta < b) {
                    best[*slot] = Some((eta, metres + walk * off, false));
                }
            }
        }
        // Every officer not yet timed arrives no sooner than the frontier: once k are at or
        // below it (less the walk to the place, which every route shares), the best k are known.
        let Some(frontier) = search.frontier() else {
            break;
        };
        let bound = f64::from(frontier) + place_walk;
        let certain = best
            .iter()
            .filter(|b| b.is_some_and(|(eta, _, est)| !est && eta <= bound))
            .count();
        if certain >= wanted {
            break;
        }
    }
}

/// At equal time (within [`EQUAL_TIME_S`]) the officer responsible for the grid goes first.
fn prefer_responsible(out: &mut [Ranked]) {
    for i in 1..out.len() {
        let mut j = i;
        while j > 0
            && out[j].responsible
            && !out[j - 1].responsible
            && out[j].eta_s - out[j - 1].eta_s <= EQUAL_TIME_S
        {
            out.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn explain(out: &mut [Ranked]) {
    for i in 0..out.len() {
        let mut reasons = Vec::new();
        if i == 0 {
            reasons.push(Reason::Fastest);
        }
        if out[i].responsible {
            reasons.push(Reason::ResponsibleForGrid);
        }
        if out[i].estimated {
            reasons.push(Reason::StraightLineEstimate);
        }
        if i > 0 && out[i].straight_m < out[i - 1].straight_m {
            reasons.push(Reason::NearerByStraightLine);
        }
        out[i].rank = i + 1;
        out[i].reasons = reasons;
    }
}
