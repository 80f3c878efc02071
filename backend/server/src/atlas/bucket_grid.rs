//! A uniform bucket grid over small items (segments, points), for "what is within r of here"
//! with r no larger than the bucket size: the 3 × 3 buckets around a point hold every item
//! within one bucket size of it. Flat arrays, no allocation per query; an item may be listed
//! in several buckets and so come back more than once.

use geo::Coord;

/// At most this many buckets; a larger extent gets no grid (callers fall back to their R-tree).
const MAX_BUCKETS: usize = 16_000_000;

#[derive(Debug, Default)]
pub struct BucketGrid {
    origin: Coord,
    size: f64,
    nx: usize,
    ny: usize,
    /// Bucket `b` holds `items[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl BucketGrid {
    /// Indexes items by their boxes (min, max corners) in buckets of `size` metres.
    /// Returns `None` when the extent would need too many buckets.
    pub fn new(boxes: &[(Coord, Coord)], size: f64) -> Option<Self> {
        if boxes.is_empty() || size.is_nan() || size <= 0.0 {
            return None;
        }
        let (mut lo, mut hi) = (boxes[0].0, boxes[0].1);
        for (a, b) in boxes {
            lo = Coord {
                x: lo.x.min(a.x),
                y: lo.y.min(a.y),
            };
            hi = Coord {
                x: hi.x.max(b.x),
                y: hi.y.max(b.y),
            };
        }
        let nx = ((hi.x - lo.x) / size).floor() as usize + 1;
        let ny = ((hi.y - lo.y) / size).floor() as usize + 1;
        if nx.checked_mul(ny).is_none_or(|n| n > MAX_BUCKETS) {
            return None;
        }
        let cell = |c: Coord| {
            (
                ((c.x - lo.x) / size) as usize,
                ((c.y - lo.y) / size) as usize,
            )
        };
        let mut counts = vec![0_u32; nx * ny + 1];
        for (a, b) in boxes {
            let ((x0, y0), (x1, y1)) = (cell(*a), cell(*b));
            for y in y0..=y1.min(ny - 1) {
                for x in x0..=x1.min(nx - 1) {
                    counts[y * nx + x + 1] += 1;
                }
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut items = vec![0_u32; counts[nx * ny] as usize];
        for (i, (a, b)) in boxes.iter().enumerate() {
            let ((x0, y0), (x1, y1)) = (cell(*a), cell(*b));
            for y in y0..=y1.min(ny - 1) {
                for x in x0..=x1.min(nx - 1) {
                    let slot = &mut fill[y * nx + x];
                    items[*slot as usize] = i as u32;
                    *slot += 1;
                }
            }
        }
        Some(Self {
            origin: lo,
            size,
            nx,
            ny,
            starts: counts,
            items,
        })
    }

    /// The bucket size: queries up to this radius are complete.
    pub fn size(&self) -> f64 {
        self.size
    }

    /// Every item in the 3 × 3 buckets around `p` (a superset of those within `size()` of it).
    pub fn around(&self, p: Coord) -> impl Iterator<Item = u32> + '_ {
        let fx = ((p.x - self.origin.x) / self.size).floor();
        let fy = ((p.y - self.origin.y) / self.size).floor();
        let ok = fx.is_finite() && fy.is_finite();
        let (cx, cy) = (fx as i64, fy as i64);
        let (nx, ny) = (self.nx as i64, self.ny as i64);
        (-1..=1_i64)
            .flat_map(move |dy| (-1..=1_i64).map(move |dx| (cx + dx, cy + dy)))
            .filter(move |&(x, y)| ok && x >= 0 && y >= 0 && x < nx && y < ny)
            .flat_map(move |(x, y)| {
                let b = (y * nx + x) as usize;
                self.items[self.starts[b] as usize..self.starts[b + 1] as usize]
                    .iter()
                    .copied()
            })
    }

    pub fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.items.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_everything_within_the_bucket_size() {
        let boxes: Vec<(Coord, Coord)> = (0..400)
            .map(|i| {
                let c = Coord {
                    x: f64::from(i % 20) * 37.0,
                    y: f64::from(i / 20) * 41.0,
                };
                (
                    c,
                    Coord {
                        x: c.x + f64::from(i % 3) * 30.0,
                        y: c.y + 5.0,
                    },
                )
            })
            .collect();
        let grid = BucketGrid::new(&boxes, 50.0).unwrap();
        for q in [
            Coord { x: 100.0, y: 100.0 },
            Coord { x: -40.0, y: 0.0 },
            Coord { x: 700.0, y: 800.0 },
        ] {
            let found: std::collections::HashSet<u32> = grid.around(q).collect();
            for (i, (a, b)) in boxes.iter().enumerate() {
                let dx = (a.x - q.x).max(q.x - b.x).max(0.0);
                let dy = (a.y - q.y).max(q.y - b.y).max(0.0);
                if dx.hypot(dy) <= 50.0 {
                    assert!(found.contains(&(i as u32)), "{i} near {q:?}");
                }
            }
        }
        assert_eq!(
            grid.around(Coord {
                x: f64::NAN,
                y: 0.0
            })
            .count(),
            0
        );
    }
}
