//! Criterion benchmarks of the atlas on the generated city (10,000 cells of 8–12 vertices,
//! 100,000 shops, 20,200 street segments): grid-cell lookup against brute force and a plain
//! R-tree, full reverse geocoding, forward geocoding. `cargo bench -p citygrid-bench`; the
//! `citygrid-bench atlas` command prints the same comparisons as a table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use citygrid::atlas::{Atlas, GeocodeOptions, LocateOptions};
use citygrid_bench::synth;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn atlas_benches(c: &mut Criterion) {
    let atlas = Atlas::build(synth::city(), chrono_tz::Asia::Shanghai);
    let points = synth::points(10_000, 3);

    let mut group = c.benchmark_group("grid_cell_lookup");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("bucket_index", |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|p| atlas.grid_at(black_box(**p)).is_some())
                .count()
        });
    });
    group.throughput(Throughput::Elements(20));
    group.bench_function("brute_force", |b| {
        b.iter(|| {
            points[..20]
                .iter()
                .filter(|p| atlas.grid_at_brute_force(black_box(**p)).is_some())
                .count()
        });
    });
    group.finish();

    let opts = LocateOptions::default();
    let mut group = c.benchmark_group("reverse_geocoding");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("locate_one_core", |b| {
        b.iter(|| {
            points
                .iter()
                .map(|p| atlas.locate(black_box(*p), &opts))
                .filter(|l| l.grid.is_some())
                .count()
        });
    });
    group.bench_function("locate_many_all_cores", |b| {
        b.iter(|| atlas.locate_many(black_box(&points), &opts).len());
    });
    group.finish();

    let queries: Vec<String> = (0..200)
        .map(|i| format!("纬{}路{}号", 1 + i % 101, 1 + (i * 37) % 1999))
        .collect();
    let mut group = c.benchmark_group("forward_geocoding");
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("street_and_number", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| atlas.geocode(black_box(q), GeocodeOptions::default()).len())
                .sum::<usize>()
        });
    });
    group.finish();

    c.bench_function("atlas_build_city", |b| {
        let base = synth::city();
        b.iter(|| Atlas::build(black_box(base.clone()), chrono_tz::Asia::Shanghai));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = atlas_benches
}
criterion_main!(benches);
