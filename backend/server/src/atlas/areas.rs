//! A layer of projected polygons with an R-tree over their envelopes.

use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, CoordinatePosition, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Polygons (in metres) indexed by envelope; item `i` is row `i` of its layer.
#[derive(Debug, Default)]
pub struct AreaIndex {
    shapes: Vec<MultiPolygon>,
    tree: RTree<Entry>,
}

pub fn envelope(mp: &MultiPolygon) -> Option<AABB<[f64; 2]>> {
    let r = mp.bounding_rect()?;
    Some(AABB::from_corners(
        [r.min().x, r.min().y],
        [r.max().x, r.max().y],
    ))
}

impl AreaIndex {
    pub fn new(shapes: Vec<MultiPolygon>) -> Self {
        let entries = shapes
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                envelope(s).map(|e| GeomWithData::new(Rectangle::from_aabb(e), i as u32))
            })
            .collect();
        Self {
            shapes,
            tree: RTree::bulk_load(entries),
        }
    }

    pub fn shape(&self, i: usize) -> &MultiPolygon {
        &self.shapes[i]
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Rows whose polygon covers `p` (interior or boundary), with whether `p` is on the boundary.
    pub fn covering(&self, p: Coord) -> impl Iterator<Item = (usize, bool)> + '_ {
        self.tree
            .locate_all_at_point(&[p.x, p.y])
            .filter_map(move |e| {
                let i = e.data as usize;
                match self.shapes[i].coordinate_position(&p) {
                    CoordPos::Inside => Some((i, false)),
                    CoordPos::OnBoundary => Some((i, true)),
                    CoordPos::Outside => None,
                }
            })
    }

    /// The row nearest to `p` by true distance to the polygon, and that distance in metres.
    pub fn nearest(&self, p: Coord) -> Option<(usize, f64)> {
        use geo::{Distance, Euclidean, Point};
        let pt = Point::from(p);
        let mut best: Option<(usize, f64)> = None;
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&[p.x, p.y]) {
            if best.is_some_and(|(_, d)| d2 > d * d) {
                break;
            }
            let i = e.data as usize;
            let d = Euclidean.distance(&pt, &self.shapes[i]);
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        best
    }
}
