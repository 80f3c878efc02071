//! `citygrid-bench atlas`: the atlas measured on the demo district and on a generated city, printed as
//! a table. Each figure comes with its baseline measured in the same run, as a ratio.

use std::hint::black_box;
use std::time::{Duration, Instant};

use citygrid_core::LonLat;
use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, CoordinatePosition};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::synth;
use crate::table::Row;
use citygrid::atlas::{Atlas, GeocodeOptions, LocateOptions};
use citygrid::demo;

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn millions(r: f64) -> String {
    format!("{:.2} M points/s", r / 1e6)
}

/// Resident memory of this process, bytes (Linux; 0 elsewhere).
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

/// A plain R-tree over cell envelopes + polygon test: the usual way, for comparison.
fn rtree_baseline(atlas: &Atlas, points: &[LonLat]) -> (usize, Duration) {
    let cells = &atlas.base().grids;
    let tree = RTree::bulk_load(
        cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.geometry.bounding_rect().map(|r| {
                    GeomWithData::new(
                        Rectangle::from_aabb(AABB::from_corners(
                            [r.min().x, r.min().y],
                            [r.max().x, r.max().y],
                        )),
                        i,
                    )
                })
            })
            .collect(),
    );
    let start = Instant::now();
    let mut hits = 0;
    for p in points {
        let c = geo::Coord::from(*p);
        if tree
            .locate_all_at_point(&[c.x, c.y])
            .any(|e| cells[e.data].geometry.coordinate_position(&c) != CoordPos::Outside)
        {
            hits += 1;
        }
    }
    (black_box(hits), start.elapsed())
}

fn measure(
    name: &'static str,
    atlas: &Atlas,
    points: &[LonLat],
    addresses: &[String],
    rows: &mut Vec<Row>,
) {
    let start = Instant::now();
    let hits = points
        .iter()
        .filter(|p| atlas.grid_at(**p).is_some())
        .count();
    let fast = rate(points.len(), start.elapsed());
    black_box(hits);
    let brute_n = (points.len() / 500).clamp(200, 2000);
    let start = Instant::now();
    let brute_hits = points[..brute_n]
        .iter()
        .filter(|p| atlas.grid_at_brute_force(**p).is_some())
        .count();
    let brute = rate(brute_n, start.elapsed());
    black_box(brute_hits);
    let (_, rtree_time) = rtree_baseline(atlas, points);
    let rtree = rate(points.len(), rtree_time);
    rows.push(Row {
        district: name,
        what: format!("grid-cell lookup, 1 core ({} points)", points.len()),
        value: millions(fast),
        versus: format!(
            "{:.0}× brute force ({}); {:.1}× R-tree + polygon ({})",
            fast / brute,
            millions(brute),
            fast / rtree,
            millions(rtree)
        ),
    });

    let opts = LocateOptions::default();
    let n = points.len().min(300_000);
    let start = Instant::now();
    for p in &points[..n] {
        black_box(atlas.locate(*p, &opts));
    }
    let one = rate(n, start.elapsed());
    rows.push(Row {
        district: name,
        what: format!("full reverse geocoding, 1 core ({n} points)"),
        value: format!("{:.0} k points/s", one / 1e3),
        versus: String::new(),
    });
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut scaling = Vec::new();
    for t in [1, threads] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build();
        if let Ok(pool) = pool {
            let start = Instant::now();
            pool.install(|| black_box(atlas.locate_many(&points[..n], &opts)));
            scaling.push((t, rate(n, start.elapsed())));
        }
    }
    if let (Some(first), Some(last)) = (scaling.first(), scaling.last()) {
        rows.push(Row {
            district: name,
            what: format!("batch reverse geocoding, {} threads", last.0),
            value: format!("{:.0} k points/s", last.1 / 1e3),
            versus: format!(
                "{:.2}× the same batch on 1 thread ({:.0} k/s)",
                last.1 / first.1,
                first.1 / 1e3
            ),
        });
    }

    let mut times: Vec<Duration> = addresses
        .iter()
        .map(|a| {
            let start = Instant::now();
            black_box(atlas.geocode(a, GeocodeOptions::default()));
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let p95 = times
        .get(times.len() * 95 / 100)
        .copied()
        .unwrap_or_default();
    rows.push(Row {
        district: name,
        what: format!(
            "forward geocoding, street + number ({} queries)",
            addresses.len()
        ),
        value: format!("median {:.1} µs", median.as_secs_f64() * 1e6),
        versus: format!("p95 {:.1} µs", p95.as_secs_f64() * 1e6),
    });
}

/// Runs every measurement and returns the table.
pub fn measure_all(city_points: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let tz = chrono_tz::Asia::Shanghai;

    let demo = Atlas::build(demo::generate(), tz);
    let demo_points: Vec<LonLat> = {
        let proj = citygrid::projection::LocalProjection::new(demo::CENTRE);
        synth::points(city_points.min(200_000), 5)
            .into_iter()
            .map(|p| {
                // Squeeze the city-wide spread onto the demo's 2.4 km × 1.6 km.
                let c = citygrid::projection::LocalProjection::new(synth::CENTRE).project(p);
                proj.unproject(geo::Coord {
                    x: c.x * 0.25,
                    y: c.y * 0.17,
                })
            })
            .collect()
    };
    let demo_addresses: Vec<String> = (0..2000)
        .map(|i| format!("人民路{}号", 1 + i % 299))
        .collect();
    measure("demo", &demo, &demo_points, &demo_addresses, &mut rows);

    let base = synth::city();
    let before = resident_bytes();
    let start = Instant::now();
    let city = Atlas::build(base, tz);
    let build = start.elapsed();
    let grown = resident_bytes().saturating_sub(before);
    rows.push(Row {
        district: "city",
        what: format!(
            "atlas build ({} cells, {} shops, {} street segments)",
            city.base().grids.len(),
            city.base().shops.len(),
            city.base()
                .streets
                .iter()
                .map(|s| s.geometry.0.iter().map(|l| l.0.len() - 1).sum::<usize>())
                .sum::<usize>()
        ),
        value: format!("{:.0} ms", build.as_secs_f64() * 1e3),
        versus: format!(
            "indexes ≈ {:.0} MB; process grew {:.0} MB",
            city.index_bytes() as f64 / 1e6,
            grown as f64 / 1e6
        ),
    });
    let points = synth::points(city_points, 9);
    let addresses: Vec<String> = (0..5000)
        .map(|i| format!("纬{}路{}号", 1 + i % 101, 1 + (i * 37) % 1999))
        .collect();
    measure("city", &city, &points, &addresses, &mut rows);
    rows
}
