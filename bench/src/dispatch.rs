//! `citygrid-bench dispatch`: building street graphs and ranking officers, on the demo district,
//! a generated city lattice (over 200,000 edges, 2,000 officers) and, when given, an OSM
//! extract; with the baseline of a full one-to-all search in the same run, and how often the
//! officer nearest by straight line is not the one who arrives first.

use std::time::{Duration, Instant};

use citygrid_core::features::Street;
use geo::Coord;

use crate::table::Row;
use citygrid::projection::LocalProjection;
use citygrid::routing::ranking::{Spot, rank};
use citygrid::routing::search::{ReverseSearch, SearchSpace, arrivals, departures};
use citygrid::routing::{Mode, Speeds, StreetGraph};

/// A number in [0, 1) that only `i` and `salt` decide.
fn unit(i: u64, salt: u64) -> f64 {
    citygrid::rng::Rng::keyed(salt, i).unit()
}

/// `n` points on the graph's streets (a random edge, a random place along it) moved up to
/// `scatter` metres off it.
fn points_on(graph: &StreetGraph, n: usize, salt: u64, scatter: f64) -> Vec<Coord> {
    (0..n as u64)
        .map(|i| {
            let e = &graph.edges
                [(unit(i, salt) * graph.edges.len() as f64) as usize % graph.edges.len()];
            let (a, b) = (graph.nodes[e.from as usize], graph.nodes[e.to as usize]);
            let t = unit(i, salt + 1);
            a + (b - a) * t
                + Coord {
                    x: (unit(i, salt + 2) - 0.5) * 2.0 * scatter,
                    y: (unit(i, salt + 3) - 0.5) * 2.0 * scatter,
                }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Median time to build the graph of `streets`, over `runs` builds.
fn build_time(streets: &[Street], proj: &LocalProjection, runs: usize) -> (StreetGraph, Duration) {
    let mut times = Vec::new();
    let mut graph = StreetGraph::default();
    for _ in 0..runs {
        let started = Instant::now();
        graph = StreetGraph::build(streets, proj, &Speeds::default());
        times.push(started.elapsed());
    }
    times.sort();
    (graph, times[times.len() / 2])
}

struct Ranking {
    p50: Duration,
    p99: Duration,
    baseline_p50: Duration,
}

/// Ranks `officers` for each case (top 10, e-bike) and times a full one-to-all search for the
/// same cases as the baseline.
fn time_rankings(graph: &StreetGraph, cases: &[Coord], officers: &[Spot]) -> Ranking {
    let speeds = Speeds::default();
    let mut space = SearchSpace::default();
    let mut times = Vec::with_capacity(cases.len());
    for &c in cases {
        let started = Instant::now();
        let out = rank(graph, &speeds, Mode::Ebike, c, officers, 10, &mut space);
        times.push(started.elapsed());
        std::hint::black_box(out);
    }
    times.sort();
    let mut baseline = Vec::new();
    for &c in cases.iter().take(100) {
        let started = Instant::now();
        if let Some(t) = graph.snap(c, Mode::Ebike, 150.0) {
            let all = ReverseSearch::new(
                graph,
                Mode::Ebike,
                &mut space,
                &arrivals(graph, &t, Mode::Ebike),
            )
            .all();
            let etas: Vec<f32> = officers
                .iter()
                .filter_map(|o| graph.snap(o.at, Mode::Ebike, 150.0))
                .map(|s| {
                    departures(graph, &s, Mode::Ebike)
                        .iter()
                        .map(|a| a.seconds + all[a.node as usize])
                        .fold(f32::INFINITY, f32::min)
                })
                .collect();
            std::hint::black_box(etas);
        }
        baseline.push(started.elapsed());
    }
    baseline.sort();
    Ranking {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        baseline_p50: percentile(&baseline, 0.5),
    }
}

/// How often the officer nearest by straight line is not the first to arrive, and the time
/// lost on average when they are sent instead (over the cases where they differ).
fn straight_line_misses(
    graph: &StreetGraph,
    cases: &[Coord],
    officers: &[Spot],
    mode: Mode,
) -> (f64, f64) {
    let speeds = Speeds::default();
    let mut space = SearchSpace::default();
    let (mut differ, mut lost, mut counted) = (0, 0.0, 0);
    for &c in cases {
        let (all, _) = rank(
            graph,
            &speeds,
            mode,
            c,
            officers,
            officers.len(),
            &mut space,
        );
        let (Some(best), Some(nearest)) = (
            all.first(),
            all.iter()
                .min_by(|a, b| a.straight_m.total_cmp(&b.straight_m)),
        ) else {
            continue;
        };
        counted += 1;
        if nearest.officer != best.officer {
            differ += 1;
            lost += nearest.eta_s - best.eta_s;
        }
    }
    let share = f64::from(differ) / f64::from(counted.max(1));
    (
        share,
        if differ > 0 {
            lost / f64::from(differ)
        } else {
            0.0
        },
    )
}

fn spots(points: &[Coord]) -> Vec<Spot> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| Spot {
            code: format!("ZF{:04}", i + 1),
            at: *p,
            responsible: false,
        })
        .collect()
}

/// Runs everything; `osm` is an extract to measure as a real network (e.g. Helsinki).
pub fn run(osm: Option<&[u8]>) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    // The demo district: its streets and as many officers as it has, on patrol.
    let demo = citygrid::atlas::Atlas::build(citygrid::demo::generate(), chrono_tz::Asia::Shanghai);
    let (graph, built) = build_time(&demo.base().streets, demo.projection(), 5);
    rows.push(Row {
        district: "demo",
        what: format!(
            "street graph ({} nodes, {} edges)",
            graph.nodes.len(),
            graph.edges.len()
        ),
        value: ms(built),
        versus: String::new(),
    });
    let officers = spots(&points_on(&graph, demo.base().officers.len(), 11, 20.0));
    let cases = points_on(&graph, 2000, 21, 15.0);
    let r = time_rankings(&graph, &cases, &officers);
    rows.push(Row {
        district: "demo",
        what: format!(
            "rank {} officers for a case, top 10 (p50 / p99)",
            officers.len()
        ),
        value: format!("{} / {}", ms(r.p50), ms(r.p99)),
        versus: format!(
            "{:.1}× faster than a full search (p50 {})",
            r.baseline_p50.as_secs_f64() / r.p50.as_secs_f64(),
            ms(r.baseline_p50)
        ),
    });
    let (share, lost) = straight_line_misses(&graph, &cases[..500], &officers, Mode::Ebike);
    rows.push(Row {
        district: "demo",
        what: "straight-line nearest is not the first to arrive (e-bike)".into(),
        value: format!("{:.1} % of cases", share * 100.0),
        versus: format!("{lost:.0} s later on average when sent instead"),
    });

    // The city-size streets layer, and a lattice city of over 200,000 edges with 2,000 officers.
    let city = citygrid::atlas::Atlas::build(crate::synth::city(), chrono_tz::Asia::Shanghai);
    let (_, built) = build_time(&city.base().streets, city.projection(), 5);
    rows.push(Row {
        district: "city",
        what: format!(
            "street graph of the city-size layer ({} streets)",
            city.base().streets.len()
        ),
        value: ms(built),
        versus: String::new(),
    });
    let lattice = crate::synth::street_lattice(320, 100.0);
    let proj = LocalProjection::new(crate::synth::CENTRE);
    let (graph, built) = build_time(&lattice, &proj, 3);
    rows.push(Row {
        district: "lattice",
        what: format!(
            "street graph ({} nodes, {} edges, {} crossings split)",
            graph.nodes.len(),
            graph.edges.len(),
            graph.crossings_split
        ),
        value: ms(built),
        versus: String::new(),
    });
    let officers = spots(&points_on(&graph, 2000, 31, 20.0));
    let cases = points_on(&graph, 2000, 41, 15.0);
    let r = time_rankings(&graph, &cases, &officers);
    rows.push(Row {
        district: "lattice",
        what: "rank 2,000 officers for a case, top 10 (p50 / p99)".into(),
        value: format!("{} / {}", ms(r.p50), ms(r.p99)),
        versus: format!(
            "{:.0}× faster than a full search (p50 {})",
            r.baseline_p50.as_secs_f64() / r.p50.as_secs_f64(),
            ms(r.baseline_p50)
        ),
    });

    if let Some(bytes) = osm {
        let base = citygrid::import::osm::import_osm(bytes, &Default::default())?;
        let atlas = citygrid::atlas::Atlas::build(base, chrono_tz::UTC);
        let (graph, built) = build_time(&atlas.base().streets, atlas.projection(), 5);
        rows.push(Row {
            district: "osm",
            what: format!(
                "street graph ({} nodes, {} edges)",
                graph.nodes.len(),
                graph.edges.len()
            ),
            value: ms(built),
            versus: String::new(),
        });
        let officers = spots(&points_on(&graph, 40, 51, 20.0));
        let cases = points_on(&graph, 500, 61, 15.0);
        for mode in [Mode::Ebike, Mode::Car] {
            let (share, lost) = straight_line_misses(&graph, &cases, &officers, mode);
            rows.push(Row {
                district: "osm",
                what: format!("straight-line nearest of 40 is not the first to arrive ({mode})"),
                value: format!("{:.1} % of cases", share * 100.0),
                versus: format!("{lost:.0} s later on average when sent instead"),
            });
        }
    }
    Ok(rows)
}
