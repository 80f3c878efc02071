//! The grid-cell lookup: a uniform bucket grid over the cells.
//!
//! An R-tree probe costs several times the point-in-polygon test it leads to, so cell lookup
//! uses a flat array of square buckets instead. Each bucket lists the cells whose envelope meets
//! it, in code order; a bucket that lies strictly inside one cell records just that cell, and a
//! point there needs no polygon test at all. A point on a shared edge meets its cells in code
//! order, so it goes to the lowest code.

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, Line, LineString, MultiPolygon, Rect};

use super::areas::envelope;

const NONE: u32 = u32::MAX;

/// At most this many buckets; beyond it buckets grow larger.
const MAX_BUCKETS: f64 = 8_000_000.0;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// The cell that strictly contains the whole bucket, or `NONE`.
    inside: u32,
    start: u32,
    len: u32,
}

/// Finds the cell containing a point.
#[derive(Debug)]
pub struct CellIndex {
    origin: Coord,
    size: f64,
    nx: usize,
    ny: usize,
    buckets: Vec<Bucket>,
    candidates: Vec<u32>,
}

/// A cell lookup result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellHit {
    pub cell: usize,
    pub on_boundary: bool,
}

impl CellIndex {
    /// Builds the index over `cells` (projected, sorted by code).
    pub fn new(cells: &[MultiPolygon]) -> Self {
        let envelopes: Vec<_> = cells.iter().map(envelope).collect();
        let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
        let mut area_sum = 0.0;
        for e in envelopes.iter().flatten() {
            let (lo, hi) = (e.lower(), e.upper());
            min = [min[0].min(lo[0]), min[1].min(lo[1])];
            max = [max[0].max(hi[0]), max[1].max(hi[1])];
            area_sum += (hi[0] - lo[0]) * (hi[1] - lo[1]);
        }
        let count = envelopes.iter().flatten().count();
        if count == 0 {
            return Self {
                origin: Coord { x: 0.0, y: 0.0 },
                size: 1.0,
                nx: 0,
                ny: 0,
                buckets: Vec::new(),
                candidates: Vec::new(),
            };
        }
        let (w, h) = ((max[0] - min[0]).max(1.0), (max[1] - min[1]).max(1.0));
        // Buckets about half a typical cell wide, so most lie inside one cell.
        let mut size = ((area_sum / count as f64).sqrt() / 2.0).max(w.max(h) * 1e-6);
        if (w / size) * (h / size) > MAX_BUCKETS {
            size = (w * h / MAX_BUCKETS).sqrt();
        }
        let nx = (w / size).ceil() as usize + 1;
        let ny = (h / size).ceil() as usize + 1;
        let origin = Coord {
            x: min[0],
            y: min[1],
        };
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        let mut inside = vec![NONE; nx * ny];
        for (i, (cell, env)) in cells.iter().zip(&envelopes).enumerate() {
            let Some(env) = env else { continue };
            let (lo, hi) = (env.lower(), env.upper());
            let x0 = ((lo[0] - origin.x) / size).floor() as usize;
            let y0 = ((lo[1] - origin.y) / size).floor() as usize;
            let x1 = (((hi[0] - origin.x) / size).floor() as usize).min(nx - 1);
            let y1 = (((hi[1] - origin.y) / size).floor() as usize).min(ny - 1);
            let edges: Vec<Line> = cell
                .0
                .iter()
                .flat_map(|p| {
                    p.exterior()
                        .lines()
                        .chain(p.interiors().iter().flat_map(LineString::lines))
                })
                .collect();
            for by in y0..=y1 {
                for bx in x0..=x1 {
                    let b = by * nx + bx;
                    let rect = Rect::new(
                        Coord {
                            x: origin.x + bx as f64 * size,
                            y: origin.y + by as f64 * size,
                        },
                        Coord {
                            x: origin.x + (bx + 1) as f64 * size,
                            y: origin.y + (by + 1) as f64 * size,
                        },
                    );
                    if strictly_inside(cell, &edges, &rect) {
                        inside[b] = i as u32;
                    }
                    lists[b].push(i as u32);
                }
            }
        }
        let mut buckets = Vec::with_capacity(nx * ny);
        let mut candidates = Vec::new();
        for (list, inside) in lists.into_iter().zip(inside) {
            let start = candidates.len() as u32;
            if inside == NONE {
                candidates.extend_from_slice(&list);
            }
            buckets.push(Bucket {
                inside,
                start,
                len: candidates.len() as u32 - start,
            });
        }
        Self {
            origin,
            size,
            nx,
            ny,
            buckets,
            candidates,
        }
    }

    /// The cell containing `p` (lowest code on a shared edge), or `None` outside every cell.
    #[inline]
    pub fn locate(&self, p: Coord, cells: &[MultiPolygon]) -> Option<CellHit> {
        let fx = (p.x - self.origin.x) / self.size;
        let fy = (p.y - self.origin.y) / self.size;
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (bx, by) = (fx as usize, fy as usize);
        if bx >= self.nx || by >= self.ny {
            return None;
        }
        let bucket = self.buckets[by * self.nx + bx];
        if bucket.inside != NONE {
            return Some(CellHit {
                cell: bucket.inside as usize,
                on_boundary: false,
            });
        }
        let list = &self.candidates[bucket.start as usize..(bucket.start + bucket.len) as usize];
        for &c in list {
            match cells[c as usize].coordinate_position(&p) {
                CoordPos::Inside => {
                    return Some(CellHit {
                        cell: c as usize,
                        on_boundary: false,
                    });
                }
                CoordPos::OnBoundary => {
                    return Some(CellHit {
                        cell: c as usize,
                        on_boundary: true,
                    });
                }
                CoordPos::Outside => {}
            }
        }
        None
    }

    /// Bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        self.buckets.capacity() * std::mem::size_of::<Bucket>() + self.candidates.capacity() * 4
    }
}

/// Whether the closed rectangle lies in the cell's interior: its corners are inside and no edge
/// of the cell touches it.
fn strictly_inside(cell: &MultiPolygon, edges: &[Line], rect: &Rect) -> bool {
    let (lo, hi) = (rect.min(), rect.max());
    let corners = [
        lo,
        Coord { x: hi.x, y: lo.y },
        hi,
        Coord { x: lo.x, y: hi.y },
    ];
    if !corners
        .iter()
        .all(|c| cell.coordinate_position(c) == CoordPos::Inside)
    {
        return false;
    }
    !edges.iter().any(|e| segment_meets_rect(e, lo, hi))
}

/// Liang–Barsky clipping: whether the closed segment meets the closed rectangle.
fn segment_meets_rect(e: &Line, lo: Coord, hi: Coord) -> bool {
    let (x0, y0) = (e.start.x, e.start.y);
    let (dx, dy) = (e.end.x - x0, e.end.y - y0);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, x0 - lo.x),
        (dx, hi.x - x0),
        (-dy, y0 - lo.y),
        (dy, hi.y - y0),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon {
        MultiPolygon::new(vec![
            Rect::new(coord! { x: x, y: y }, coord! { x: x + s, y: y + s }).to_polygon(),
        ])
    }

    #[test]
    fn shared_edges_go_to_the_first_cell_and_outside_is_none() {
        let cells = vec![
            square(0.0, 0.0, 100.0),
            square(100.0, 0.0, 100.0),
            square(0.0, 100.0, 100.0),
        ];
        let index = CellIndex::new(&cells);
        let at = |x: f64, y: f64| index.locate(coord! { x: x, y: y }, &cells);
        assert_eq!(
            at(50.0, 50.0),
            Some(CellHit {
                cell: 0,
                on_boundary: false
            })
        );
        assert_eq!(
            at(150.0, 50.0),
            Some(CellHit {
                cell: 1,
                on_boundary: false
            })
        );
        assert_eq!(
            at(100.0, 50.0),
            Some(CellHit {
                cell: 0,
                on_boundary: true
            })
        );
        assert_eq!(
            at(100.0, 100.0),
            Some(CellHit {
                cell: 0,
                on_boundary: true
            })
        );
        assert_eq!(
            at(150.0, 100.0),
            Some(CellHit {
                cell: 1,
                on_boundary: true
            })
        );
        assert_eq!(at(150.0, 150.0), None);
        assert_eq!(at(-1.0, 50.0), None);
        assert_eq!(at(f64::NAN, 50.0), None);
    }

    #[test]
    fn agrees_with_brute_force_on_irregular_cells() {
        // Cells of a skewed lattice, so few buckets lie wholly inside one cell.
        let mut cells = Vec::new();
        for row in 0..10 {
            for col in 0..10 {
                let (x, y) = (
                    f64::from(col) * 37.0 + f64::from(row) * 5.0,
                    f64::from(row) * 41.0,
                );
                let poly = geo::Polygon::new(
                    LineString::from(vec![
                        (x, y),
                        (x + 37.0, y),
                        (x + 42.0, y + 41.0),
                        (x + 5.0, y + 41.0),
                        (x, y),
                    ]),
                    vec![],
                );
                cells.push(MultiPolygon::new(vec![poly]));
            }
        }
        let index = CellIndex::new(&cells);
        let mut seed = 7_u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let x = (seed >> 11) as f64 / (1_u64 << 53) as f64 * 460.0 - 10.0;
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let y = (seed >> 11) as f64 / (1_u64 << 53) as f64 * 430.0 - 10.0;
            let p = coord! { x: x, y: y };
            let brute = cells
                .iter()
                .position(|c| c.coordinate_position(&p) != CoordPos::Outside);
            assert_eq!(index.locate(p, &cells).map(|h| h.cell), brute, "{p:?}");
        }
    }
}
