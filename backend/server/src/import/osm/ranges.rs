//! House-number ranges for streets that have none, fitted from address points.
//!
//! Each address point with a numeric house number is snapped to the nearest street of the same
//! name within [`SNAP_RADIUS_M`]; per street and side, a straight line number = a + b·t is
//! fitted through (position along the street, number), and the range is that line's values at
//! the street's two ends, on the side's majority parity. A side needs two distinct numbers.

use std::collections::HashMap;

use citygrid_core::api::Side;
use citygrid_core::features::{AddressPoint, NumberRange, Street};
use citygrid_core::text::{house_number, normalise};
use geo::{Coord, Line};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as RLine};

use crate::projection::LocalProjection;

/// How far an address point may be from its street.
pub const SNAP_RADIUS_M: f64 = 80.0;

struct Seg {
    street: usize,
    measure: f64,
}

/// Fills `left`/`right` ranges of streets from address points, where they are missing.
pub fn fit_ranges(streets: &mut [Street], addresses: &[AddressPoint], proj: &LocalProjection) {
    let mut entries = Vec::new();
    let mut lengths = vec![0.0; streets.len()];
    for (i, s) in streets.iter().enumerate() {
        let mut measure = 0.0;
        for line in s.geometry.0.iter().flat_map(geo::LineString::lines) {
            let (a, b) = (
                proj.project(line.start.into()),
                proj.project(line.end.into()),
            );
            let len = (b.x - a.x).hypot(b.y - a.y);
            if len > 0.0 {
                entries.push(GeomWithData::new(
                    RLine::new([a.x, a.y], [b.x, b.y]),
                    Seg { street: i, measure },
                ));
            }
            measure += len;
        }
        lengths[i] = measure;
    }
    let tree = RTree::bulk_load(entries);
    let names: Vec<String> = streets.iter().map(|s| normalise(&s.name)).collect();
    let mut samples: HashMap<(usize, bool), Vec<(f64, f64)>> = HashMap::new();
    for a in addresses {
        let Some(n) = house_number(&a.number) else {
            continue;
        };
        let p = proj.project(a.geometry.into());
        let street = normalise(&a.street);
        let nearest = tree
            .locate_within_distance([p.x, p.y], SNAP_RADIUS_M * SNAP_RADIUS_M)
            .filter(|e| names[e.data.street] == street)
            .map(|e| (e, rstar::PointDistance::distance_2(e.geom(), &[p.x, p.y])))
            .min_by(|x, y| x.1.total_cmp(&y.1));
        let Some((e, _)) = nearest else { continue };
        let seg = Line::new(
            Coord {
                x: e.geom().from[0],
                y: e.geom().from[1],
            },
            Coord {
                x: e.geom().to[0],
                y: e.geom().to[1],
            },
        );
        let (t, side) = position(seg, p);
        let total = lengths[e.data.street];
        if total <= 0.0 || side == Side::On {
            continue;
        }
        let along = (e.data.measure + t * seg_len(seg)) / total;
        samples
            .entry((e.data.street, side == Side::Left))
            .or_default()
            .push((along, f64::from(n)));
    }
    for ((street, left), points) in samples {
        let Some(range) = fit(&points) else { continue };
        let s = &mut streets[street];
        let slot = if left { &mut s.left } else { &mut s.right };
        if slot.is_none() {
            *slot = Some(range);
        }
    }
}

fn seg_len(l: Line) -> f64 {
    (l.end.x - l.start.x).hypot(l.end.y - l.start.y)
}

/// Fraction along the segment and side of `p`.
fn position(l: Line, p: Coord) -> (f64, Side) {
    let d = l.end - l.start;
    let len2 = d.x * d.x + d.y * d.y;
    let t = (((p - l.start).x * d.x + (p - l.start).y * d.y) / len2).clamp(0.0, 1.0);
    let cross = d.x * (p - l.start).y - d.y * (p - l.start).x;
    let side = if cross > 0.0 {
        Side::Left
    } else if cross < 0.0 {
        Side::Right
    } else {
        Side::On
    };
    (t, side)
}

/// A least-squares line through (fraction, number), read at both ends.
fn fit(points: &[(f64, f64)]) -> Option<NumberRange> {
    let distinct = points
        .iter()
        .map(|p| p.1 as u32)
        .collect::<std::collections::BTreeSet<_>>();
    if distinct.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx <= 1e-12 {
        return None;
    }
    let slope = sxy / sxx;
    let at = |t: f64| my + slope * (t - mx);
    let odd = points.iter().filter(|p| (p.1 as u32) % 2 == 1).count() * 2 >= points.len();
    let snap = |v: f64| {
        let v = v.round().max(1.0) as u32;
        if (v % 2 == 1) == odd { v } else { v + 1 }
    };
    let (from, to) = (snap(at(0.0)), snap(at(1.0)));
    (from != to).then_some(NumberRange { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_line_on_the_majority_parity() {
        let r = fit(&[(0.1, 3.0), (0.5, 11.0), (0.9, 19.0)]).unwrap();
        assert_eq!(r, NumberRange { from: 1, to: 21 });
        let down = fit(&[(0.0, 40.0), (1.0, 2.0)]).unwrap();
        assert_eq!(down, NumberRange { from: 40, to: 2 });
        assert!(fit(&[(0.2, 5.0), (0.4, 5.0)]).is_none());
    }
}
