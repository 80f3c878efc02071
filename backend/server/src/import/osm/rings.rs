//! Multipolygon relations → polygons: member ways joined end to end into closed rings.

use std::collections::HashMap;

use geo::{Contains, Coord, LineString, MultiPolygon, Polygon};

/// Joins ways (as coordinate lists) into closed rings; `None` if any way is left dangling
/// (a boundary clipped by the extract).
pub fn assemble(mut parts: Vec<Vec<Coord>>) -> Option<Vec<LineString>> {
    let mut rings = Vec::new();
    parts.retain(|p| p.len() >= 2);
    while let Some(mut ring) = parts.pop() {
        loop {
            if ring.len() >= 4 && ring.first() == ring.last() {
                break;
            }
            let end = *ring.last()?;
            let next = parts
                .iter()
                .position(|p| p.first() == Some(&end) || p.last() == Some(&end))?;
            let mut part = parts.swap_remove(next);
            if part.first() != Some(&end) {
                part.reverse();
            }
            ring.extend(part.into_iter().skip(1));
        }
        rings.push(LineString::new(ring));
    }
    Some(rings)
}

/// Outer and inner rings → polygons, each inner ring inside the outer that contains it.
pub fn polygons(outer: Vec<LineString>, inner: Vec<LineString>) -> MultiPolygon {
    let mut polys: Vec<Polygon> = outer.into_iter().map(|r| Polygon::new(r, vec![])).collect();
    for hole in inner {
        let Some(first) = hole.0.first().copied() else {
            continue;
        };
        if let Some(p) = polys.iter_mut().find(|p| p.contains(&first)) {
            p.interiors_push(hole);
        }
    }
    MultiPolygon::new(polys)
}

/// Way ids → coordinate lists, for the ways whose nodes are all present.
pub fn way_coords(refs: &[i64], coords: &HashMap<i64, (f64, f64)>) -> Option<Vec<Coord>> {
    refs.iter()
        .map(|r| coords.get(r).map(|&(x, y)| Coord { x, y }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_ways_in_any_direction_and_refuses_open_rings() {
        let c = |x: f64, y: f64| Coord { x, y };
        let parts = vec![
            vec![c(0.0, 0.0), c(1.0, 0.0)],
            vec![c(1.0, 1.0), c(1.0, 0.0)],
            vec![c(1.0, 1.0), c(0.0, 1.0), c(0.0, 0.0)],
        ];
        let rings = assemble(parts).unwrap();
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].0.len(), 5);
        assert!(
            assemble(vec![
                vec![c(0.0, 0.0), c(1.0, 0.0)],
                vec![c(1.0, 0.0), c(2.0, 2.0)]
            ])
            .is_none()
        );
    }
}
