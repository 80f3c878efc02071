//! Street centre lines as indexed segments: nearest segment, side and interpolated number.

use citygrid_core::api::Side;
use citygrid_core::features::Street;
use geo::{Coord, Line, MultiLineString};
use rstar::RTree;

use super::bucket_grid::BucketGrid;
use rstar::primitives::{GeomWithData, Line as RLine};

/// Where a segment sits in its street.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegRef {
    pub street: u32,
    /// Distance along the street (all parts in order) to the segment's start, metres.
    pub measure: f64,
}

type Entry = GeomWithData<RLine<[f64; 2]>, SegRef>;

/// A point snapped to a street.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub street: usize,
    pub side: Side,
    pub distance: f64,
    /// 0 at the street's start, 1 at its end.
    pub fraction: f64,
    /// The nearest point on the centre line.
    pub foot: Coord,
}

/// All street segments in metres.
#[derive(Debug, Default)]
pub struct StreetIndex {
    tree: RTree<Entry>,
    /// The same segments by number, and a bucket grid over them for searches within the
    /// default radius (the R-tree serves larger radii).
    segments: Vec<Entry>,
    grid: Option<BucketGrid>,
    /// Each street's projected geometry and total length.
    pub shapes: Vec<MultiLineString>,
    pub lengths: Vec<f64>,
}

/// Searches up to this radius use the bucket grid.
const GRID_RADIUS_M: f64 = super::locate::DEFAULT_STREET_RADIUS_M;

/// Below this distance from the centre line a point is on it rather than on a side.
const ON_LINE_M: f64 = 0.01;

impl StreetIndex {
    pub fn new(streets: &[Street], shapes: Vec<MultiLineString>) -> Self {
        let mut entries = Vec::new();
        let mut lengths = Vec::with_capacity(shapes.len());
        for (i, shape) in shapes.iter().enumerate() {
            debug_assert_eq!(streets[i].geometry.0.len(), shape.0.len());
            let mut measure = 0.0;
            for line in shape.0.iter().flat_map(geo::LineString::lines) {
                let len = (line.end - line.start).x.hypot((line.end - line.start).y);
                if len > 0.0 {
                    entries.push(GeomWithData::new(
                        RLine::new([line.start.x, line.start.y], [line.end.x, line.end.y]),
                        SegRef {
                            street: i as u32,
                            measure,
                        },
                    ));
                }
                measure += len;
            }
            lengths.push(measure);
        }
        let boxes: Vec<(Coord, Coord)> = entries
            .iter()
            .map(|e: &Entry| {
                let (a, b) = (e.geom().from, e.geom().to);
                (
                    Coord {
                        x: a[0].min(b[0]),
                        y: a[1].min(b[1]),
                    },
                    Coord {
                        x: a[0].max(b[0]),
                        y: a[1].max(b[1]),
                    },
                )
            })
            .collect();
        let grid = BucketGrid::new(&boxes, GRID_RADIUS_M);
        Self {
            tree: RTree::bulk_load(entries.clone()),
            segments: entries,
            grid,
            shapes,
            lengths,
        }
    }

    /// Bytes held by the segment list and its bucket grid.
    pub fn heap_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<Entry>()
            + self.grid.as_ref().map_or(0, BucketGrid::heap_bytes)
    }

    pub fn segment_count(&self) -> usize {
        self.tree.size()
    }

    /// The nearest street within `radius` metres.
    pub fn nearest(&self, p: Coord, radius: f64) -> Option<Snap> {
        if let Some(grid) = self.grid.as_ref().filter(|g| radius <= g.size()) {
            let q = [p.x, p.y];
            let (entry, d2) = grid
                .around(p)
                .map(|i| &self.segments[i as usize])
                .map(|e| (e, rstar::PointDistance::distance_2(e.geom(), &q)))
                .filter(|(_, d2)| *d2 <= radius * radius)
                .min_by(|a, b| a.1.total_cmp(&b.1))?;
            return Some(self.snap_to(entry, p, d2.sqrt()));
        }
        // A bounded search: no heap per query, unlike a nearest-neighbour walk.
        let (entry, d2) = self
            .tree
            .locate_within_distance([p.x, p.y], radius * radius)
            .map(|e| (e, rstar::PointDistance::distance_2(e.geom(), &[p.x, p.y])))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        Some(self.snap_to(entry, p, d2.sqrt()))
    }

    fn snap_to(&self, entry: &Entry, p: Coord, distance: f64) -> Snap {
        let seg = entry.geom();
        let (a, b) = (
            Coord {
                x: seg.from[0],
                y: seg.from[1],
            },
            Coord {
                x: seg.to[0],
                y: seg.to[1],
            },
        );
        let d = b - a;
        let len2 = d.x * d.x + d.y * d.y;
        let t = (((p - a).x * d.x + (p - a).y * d.y) / len2).clamp(0.0, 1.0);
        let foot = a + d * t;
        let cross = d.x * (p - a).y - d.y * (p - a).x;
        let side = if distance < ON_LINE_M {
            Side::On
        } else if cross > 0.0 {
            Side::Left
        } else {
            Side::Right
        };
        let street = entry.data.street as usize;
        let total = self.lengths[street];
        let along = entry.data.measure + t * len2.sqrt();
        Snap {
            street,
            side,
            distance,
            fraction: if total > 0.0 { along / total } else { 0.0 },
            foot,
        }
    }

    /// The point `fraction` of the way along a street, moved `offset` metres to one side.
    pub fn point_at(&self, street: usize, fraction: f64, side: Side, offset: f64) -> Option<Coord> {
        let target = fraction.clamp(0.0, 1.0) * self.lengths[street];
        let mut walked = 0.0;
        let lines: Vec<Line> = self.shapes[street]
            .0
            .iter()
            .flat_map(geo::LineString::lines)
            .collect();
        let last = lines.len().checked_sub(1)?;
        for (i, line) in lines.iter().enumerate() {
            let d = line.end - line.start;
            let len = d.x.hypot(d.y);
            if walked + len >= target || i == last {
                let t = if len > 0.0 {
                    ((target - walked) / len).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let on = line.start + d * t;
                let normal = if len > 0.0 {
                    Coord {
                        x: -d.y / len,
                        y: d.x / len,
                    }
                } else {
                    Coord { x: 0.0, y: 0.0 }
                };
                let sign = match side {
                    Side::Left => 1.0,
                    Side::Right => -1.0,
                    Side::On => 0.0,
                };
                return Some(on + normal * (sign * offset));
            }
            walked += len;
        }
        None
    }

    /// Segments of a street, for intersection finding.
    pub fn lines(&self, street: usize) -> impl Iterator<Item = Line> + '_ {
        self.shapes[street]
            .0
            .iter()
            .flat_map(geo::LineString::lines)
    }
}
