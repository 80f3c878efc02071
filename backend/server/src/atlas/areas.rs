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
    ///
    /// Searches envelopes within a radius that grows fourfold until a polygon lies within it
    /// (cheaper than a nearest-neighbour walk, which allocates a heap per query).
    pub fn nearest(&self, p: Coord) -> Option<(usize, f64)> {
        use geo::{Distance, Euclidean, Point};
        if self.shapes.is_empty() {
            return None;
        }
        let pt = Point::from(p);
        let mut radius = 64.0_f64;
        loop {
            let best = self
                .tree
                .locate_within_distance([p.x, p.y], radius * radius)
                .map(|e| {
                    (
                        e.data as usize,
                        Euclidean.distance(&pt, &self.shapes[e.data as usize]),
                    )
                })
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            // Within the radius, nothing nearer can hide outside the searched envelopes.
            if let Some(found) = best.filter(|b| b.1 <= radius) {
                return Some(found);
            }
            if radius > 4.0e7 {
                return best;
            }
            radius *= 4.0;
        }
    }
}
