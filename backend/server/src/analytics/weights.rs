//! Spatial weights between places: queen contiguity of polygons (sharing any boundary point),
//! or a distance band between their centres.

use geo::{BoundingRect, Coord, Intersects, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::gistar::Neighbours;

/// Polygons that touch or overlap are neighbours. `tolerance` widens each envelope (in the
/// polygons' units) so that cells meeting at a shared vertex are found.
pub fn queen(polygons: &[MultiPolygon], tolerance: f64) -> Neighbours {
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = polygons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.bounding_rect().map(|r| {
                GeomWithData::new(
                    Rectangle::from_corners(
                        [r.min().x - tolerance, r.min().y - tolerance],
                        [r.max().x + tolerance, r.max().y + tolerance],
                    ),
                    i,
                )
            })
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let lists: Vec<Vec<u32>> = polygons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let Some(r) = p.bounding_rect() else {
                return Vec::new();
            };
            let envelope = AABB::from_corners(
                [r.min().x - tolerance, r.min().y - tolerance],
                [r.max().x + tolerance, r.max().y + tolerance],
            );
            tree.locate_in_envelope_intersecting(&envelope)
                .map(|b| b.data)
                .filter(|&j| j != i && p.intersects(&polygons[j]))
                .map(|j| j as u32)
                .collect()
        })
        .collect();
    Neighbours::from_lists(&lists)
}

/// Places whose centres are within `band` of each other (in the centres' units, metres).
pub fn distance_band(centres: &[Coord], band: f64) -> Neighbours {
    let tree = RTree::bulk_load(
        centres
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new([c.x, c.y], i))
            .collect(),
    );
    let lists: Vec<Vec<u32>> = centres
        .iter()
        .enumerate()
        .map(|(i, c)| {
            tree.locate_within_distance([c.x, c.y], band * band)
                .map(|p| p.data)
                .filter(|&j| j != i)
                .map(|j| j as u32)
                .collect()
        })
        .collect();
    Neighbours::from_lists(&lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Rect;

    #[test]
    fn squares_in_a_lattice_have_queen_neighbours() {
        let squares: Vec<MultiPolygon> = (0..9)
            .map(|i| {
                let (x, y) = (f64::from(i % 3), f64::from(i / 3));
                MultiPolygon::new(vec![
                    Rect::new(
                        Coord { x, y },
                        Coord {
                            x: x + 1.0,
                            y: y + 1.0,
                        },
                    )
                    .to_polygon(),
                ])
            })
            .collect();
        let w = queen(&squares, 1e-9);
        assert_eq!(w.of(4).len(), 8);
        assert_eq!(w.of(0), &[1, 3, 4]);
        assert_eq!(w, Neighbours::queen_lattice(3, 3));
        let centres: Vec<Coord> = (0..9)
            .map(|i| Coord {
                x: f64::from(i % 3) * 100.0,
                y: f64::from(i / 3) * 100.0,
            })
            .collect();
        assert_eq!(distance_band(&centres, 100.0).of(4), &[1, 3, 5, 7]);
        assert_eq!(
            distance_band(&centres, 150.0),
            Neighbours::queen_lattice(3, 3)
        );
    }
}
