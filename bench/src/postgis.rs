//! `citygrid-bench postgis --pg URL`: citygrid's atlas and street graph against PostGIS and
//! pgRouting doing the same work on the same data, in the same run, with the answers compared.
//!
//! The data is the generated city (`synth::city`: 10,000 grid cells, 100,000 shops, 20,200
//! street segments) and random points over it, loaded into a scratch schema `citygrid_bench`
//! (dropped first, left for inspection afterwards). Each PostgreSQL query is timed on the server
//! side (`count(*)` over the work, so no rows cross the wire); the answers are then fetched once,
//! untimed, and compared with citygrid's.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use citygrid_core::LonLat;
use geo::Geometry;
use geozero::{CoordDimensions, ToWkb};
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::synth;
use citygrid::atlas::Atlas;
use citygrid::routing::graph::OneWay;
use citygrid::routing::search::{Access, ReverseSearch, SearchSpace};
use citygrid::routing::{Mode, Speeds, StreetGraph};

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Row {
    pub what: String,
    pub citygrid: String,
    /// What citygrid is measured against: PostGIS or pgRouting.
    pub against: &'static str,
    pub postgis: String,
    pub ratio: String,
    pub agreement: String,
}

fn wkb(g: &Geometry) -> anyhow::Result<Vec<u8>> {
    g.to_wkb(CoordDimensions::xy()).context("encoding WKB")
}

fn secs(d: Duration) -> String {
    if d.as_secs_f64() < 1e-3 {
        format!("{:.0} µs", d.as_secs_f64() * 1e6)
    } else if d.as_secs_f64() < 1.0 {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

fn per_second(n: usize, d: Duration) -> String {
    let r = n as f64 / d.as_secs_f64();
    if r >= 1e6 {
        format!("{:.2} M/s", r / 1e6)
    } else {
        format!("{:.0} k/s", r / 1e3)
    }
}

/// Runs a statement with the session's planner settings, timed.
async fn timed(pool: &PgPool, settings: &[&str], sql: &str) -> anyhow::Result<(i64, Duration)> {
    let mut conn = pool.acquire().await?;
    for s in settings {
        sqlx::query(s).execute(&mut *conn).await?;
    }
    let start = Instant::now();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut *conn).await?;
    let took = start.elapsed();
    sqlx::query("RESET ALL").execute(&mut *conn).await?;
    Ok((n, took))
}

/// Loads rows through UNNEST arrays, `chunk` at a time.
async fn load_points(pool: &PgPool, table: &str, points: &[LonLat]) -> anyhow::Result<()> {
    for (k, chunk) in points.chunks(50_000).enumerate() {
        let ids: Vec<i64> = (0..chunk.len()).map(|i| (k * 50_000 + i) as i64).collect();
        let lons: Vec<f64> = chunk.iter().map(|p| p.lon).collect();
        let lats: Vec<f64> = chunk.iter().map(|p| p.lat).collect();
        sqlx::query(&format!(
            "INSERT INTO {table} (id, geom) SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) \
             FROM UNNEST($1::bigint[], $2::float8[], $3::float8[]) AS t(id, lon, lat)"
        ))
        .bind(&ids)
        .bind(&lons)
        .bind(&lats)
        .execute(pool)
        .await?;
    }
    Ok(())
}

async fn setup(
    pool: &PgPool,
    atlas: &Atlas,
    points: &[LonLat],
    queries: &[LonLat],
) -> anyhow::Result<()> {
    for s in [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "CREATE EXTENSION IF NOT EXISTS pgrouting",
        "DROP SCHEMA IF EXISTS citygrid_bench CASCADE",
        "CREATE SCHEMA citygrid_bench",
    ] {
        sqlx::query(s)
            .execute(pool)
            .await
            .with_context(|| s.to_owned())?;
    }
    let base = atlas.base();
    let (codes, shapes): (Vec<String>, Vec<Vec<u8>>) = base
        .grids
        .iter()
        .map(|g| {
            Ok((
                g.code.to_string(),
                wkb(&Geometry::MultiPolygon(g.geometry.clone()))?,
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    sqlx::query("CREATE TABLE citygrid_bench.grids (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)")
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO citygrid_bench.grids SELECT code, ST_GeomFromWKB(w, 4326) FROM UNNEST($1::text[], $2::bytea[]) AS t(code, w)",
    )
    .bind(&codes)
    .bind(&shapes)
    .execute(pool)
    .await?;
    // Shops by their door, in a metric system too (UTM 50N) for nearest-neighbour distances.
    let doors: Vec<(String, f64, f64)> = base
        .shops
        .iter()
        .filter_map(|s| match &s.front {
            citygrid_core::features::ShopFront::Door(p) => Some((s.code.to_string(), p.x(), p.y())),
            citygrid_core::features::ShopFront::Area(_) => None,
        })
        .collect();
    sqlx::query("CREATE TABLE citygrid_bench.shops (code text PRIMARY KEY, geom geometry(Point, 4326) NOT NULL, utm geometry(Point, 32650) NOT NULL)")
        .execute(pool)
        .await?;
    for chunk in doors.chunks(50_000) {
        let codes: Vec<&str> = chunk.iter().map(|d| d.0.as_str()).collect();
        let lons: Vec<f64> = chunk.iter().map(|d| d.1).collect();
        let lats: Vec<f64> = chunk.iter().map(|d| d.2).collect();
        sqlx::query(
            "INSERT INTO citygrid_bench.shops SELECT code, g, ST_Transform(g, 32650) FROM (SELECT code, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g \
             FROM UNNEST($1::text[], $2::float8[], $3::float8[]) AS t(code, lon, lat)) AS s",
        )
        .bind(&codes)
        .bind(&lons)
        .bind(&lats)
        .execute(pool)
        .await?;
    }
    sqlx::query("CREATE TABLE citygrid_bench.pts (id bigint PRIMARY KEY, geom geometry(Point, 4326) NOT NULL)")
        .execute(pool)
        .await?;
    load_points(pool, "citygrid_bench.pts", points).await?;
    sqlx::query("CREATE TABLE citygrid_bench.queries (id bigint PRIMARY KEY, geom geometry(Point, 4326) NOT NULL)")
        .execute(pool)
        .await?;
    load_points(pool, "citygrid_bench.queries", queries).await?;
    sqlx::query("ALTER TABLE citygrid_bench.queries ADD COLUMN utm geometry(Point, 32650)")
        .execute(pool)
        .await?;
    sqlx::query("UPDATE citygrid_bench.queries SET utm = ST_Transform(geom, 32650)")
        .execute(pool)
        .await?;
    for s in [
        "CREATE INDEX grids_geom ON citygrid_bench.grids USING gist (geom)",
        "CREATE INDEX shops_utm ON citygrid_bench.shops USING gist (utm)",
        "CREATE INDEX pts_geom ON citygrid_bench.pts USING gist (geom)",
        "ANALYZE citygrid_bench.grids",
        "ANALYZE citygrid_bench.shops",
        "ANALYZE citygrid_bench.pts",
        "ANALYZE citygrid_bench.queries",
    ] {
        sqlx::query(s)
            .execute(pool)
            .await
            .with_context(|| s.to_owned())?;
    }
    Ok(())
}

/// Planner settings: one process, or every core.
const SERIAL: &[&str] = &[
    "SET search_path = citygrid_bench, public",
    "SET max_parallel_workers_per_gather = 0",
];
const PARALLEL: &[&str] = &[
    "SET search_path = citygrid_bench, public",
    "SET max_parallel_workers_per_gather = 4",
    "SET parallel_setup_cost = 0",
    "SET parallel_tuple_cost = 0",
    "SET min_parallel_table_scan_size = 0",
];

/// Every point to its grid cell.
async fn assignment(pool: &PgPool, atlas: &Atlas, points: &[LonLat]) -> anyhow::Result<Row> {
    use rayon::prelude::*;
    let start = Instant::now();
    let mine: Vec<Option<(usize, bool)>> = points.iter().map(|p| atlas.grid_at(*p)).collect();
    let ours_serial = start.elapsed();
    let start = Instant::now();
    let again: Vec<Option<(usize, bool)>> = points.par_iter().map(|p| atlas.grid_at(*p)).collect();
    let ours_parallel = start.elapsed();
    if again != mine {
        bail!("the atlas answered differently on more threads");
    }
    let plans = [
        (
            "join, planner's choice",
            "SELECT count(*) FROM pts p JOIN grids g ON ST_Contains(g.geom, p.geom)",
        ),
        (
            "per cell, index on points",
            "SELECT count(*) FROM grids g CROSS JOIN LATERAL (SELECT 1 FROM pts p WHERE ST_Contains(g.geom, p.geom)) x",
        ),
        (
            // OFFSET 0 keeps the planner from flattening the subquery back into the join.
            "per cell, index on points, kept",
            "SELECT count(*) FROM grids g CROSS JOIN LATERAL (SELECT 1 FROM pts p WHERE ST_Contains(g.geom, p.geom) OFFSET 0) x",
        ),
        (
            "per point, index on cells",
            "SELECT count(*) FROM pts p CROSS JOIN LATERAL (SELECT 1 FROM grids g WHERE ST_Contains(g.geom, p.geom) LIMIT 1) x",
        ),
    ];
    let assigned = mine.iter().filter(|m| m.is_some()).count();
    let mut best: [Option<(String, Duration)>; 2] = [None, None];
    let mut all = Vec::new();
    for (name, sql) in plans {
        for (k, (kind, settings)) in [("serial", SERIAL), ("parallel", PARALLEL)]
            .into_iter()
            .enumerate()
        {
            let (n, took) = timed(pool, settings, sql).await?;
            all.push(format!("{name}, {kind}: {}", secs(took)));
            if n as usize != assigned {
                bail!("PostGIS ({name}, {kind}) put {n} points in cells, the atlas {assigned}");
            }
            if best[k].as_ref().is_none_or(|b| took < b.1) {
                best[k] = Some((name.to_owned(), took));
            }
        }
    }
    let [
        Some((serial_plan, theirs_serial)),
        Some((parallel_plan, theirs_parallel)),
    ] = best
    else {
        bail!("no plan ran");
    };
    // The answers, untimed: every point in the same cell, or on a shared edge.
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.id, g.code FROM citygrid_bench.pts p JOIN citygrid_bench.grids g ON ST_Contains(g.geom, p.geom)",
    )
    .fetch_all(pool)
    .await?;
    let mut theirs_by_point = vec![None; points.len()];
    for (id, code) in rows {
        theirs_by_point[id as usize] = Some(code);
    }
    let base = atlas.base();
    let (mut same, mut boundary, mut differ) = (0, 0, 0);
    for (m, t) in mine.iter().zip(&theirs_by_point) {
        match (m, t) {
            (Some((row, _)), Some(code)) if base.grids[*row].code.as_str() == code => same += 1,
            (None, None) => same += 1,
            (Some((_, true)), _) => boundary += 1,
            _ => differ += 1,
        }
    }
    if differ > 0 {
        bail!("{differ} points are in different cells in PostGIS and in the atlas");
    }
    eprintln!("  PostGIS plans: {}", all.join("; "));
    let threads = rayon::current_num_threads();
    let theirs = theirs_serial.min(theirs_parallel);
    let ours = ours_serial.min(ours_parallel);
    Ok(Row {
        what: format!("assign {} points to their grid cell", points.len()),
        citygrid: format!(
            "one thread {} ({}), {threads} threads {} ({})",
            secs(ours_serial),
            per_second(points.len(), ours_serial),
            secs(ours_parallel),
            per_second(points.len(), ours_parallel)
        ),
        against: "PostGIS",
        postgis: format!(
            "best serial plan {} ({}; {serial_plan}), best parallel plan {} ({}; {parallel_plan})",
            secs(theirs_serial),
            per_second(points.len(), theirs_serial),
            secs(theirs_parallel),
            per_second(points.len(), theirs_parallel)
        ),
        ratio: format!(
            "{:.1}× one process against one thread; {:.1}× best against best",
            theirs_serial.as_secs_f64() / ours_serial.as_secs_f64(),
            theirs.as_secs_f64() / ours.as_secs_f64()
        ),
        agreement: format!("{same} same cell, {boundary} on a shared edge, 0 different"),
    })
}

/// The nearest shop door to each query point.
async fn nearest_shop(pool: &PgPool, atlas: &Atlas, queries: &[LonLat]) -> anyhow::Result<Row> {
    let start = Instant::now();
    let mine: Vec<Option<(usize, f64)>> = queries.iter().map(|p| atlas.nearest_door(*p)).collect();
    let ours = start.elapsed();
    let sql = "SELECT count(*) FROM queries q CROSS JOIN LATERAL \
               (SELECT s.code FROM shops s ORDER BY s.utm <-> q.utm LIMIT 1) n";
    let (_, serial) = timed(pool, SERIAL, sql).await?;
    let (_, parallel) = timed(pool, PARALLEL, sql).await?;
    let theirs = serial.min(parallel);
    let rows: Vec<(i64, String, f64)> = sqlx::query_as(
        "SELECT q.id, n.code, n.d FROM citygrid_bench.queries q CROSS JOIN LATERAL \
         (SELECT s.code, ST_Distance(s.utm, q.utm) AS d FROM citygrid_bench.shops s ORDER BY s.utm <-> q.utm LIMIT 1) n",
    )
    .fetch_all(pool)
    .await?;
    let base = atlas.base();
    let (mut same, mut ties, mut differ) = (0, 0, 0);
    for (id, code, d) in rows {
        match mine[id as usize] {
            Some((row, _)) if base.shops[row].code.as_str() == code => same += 1,
            // Two doors at nearly the same distance: the two metric systems (the atlas's local
            // plane, UTM 50N) may order them either way.
            Some((_, mine_d)) if (mine_d - d).abs() < 0.002 * d.max(1.0) => ties += 1,
            _ => differ += 1,
        }
    }
    if differ > 0 {
        bail!("{differ} points have a different nearest shop in PostGIS");
    }
    Ok(Row {
        what: format!("nearest shop door for {} points", queries.len()),
        citygrid: format!("{} ({})", secs(ours), per_second(queries.len(), ours)),
        against: "PostGIS",
        postgis: format!(
            "{} (KNN `<->` with GiST; serial {}, parallel {})",
            secs(theirs),
            secs(serial),
            secs(parallel)
        ),
        ratio: format!("{:.1}×", theirs.as_secs_f64() / ours.as_secs_f64()),
        agreement: format!("{same} same shop, {ties} near-ties (within 0.2 %), 0 different"),
    })
}

/// Travel times by car from many officers to one case: citygrid's reverse search against
/// pgRouting's `pgr_dijkstraCost` on the same edges and costs.
async fn travel_times(
    pool: &PgPool,
    graph: &StreetGraph,
    officers: usize,
    network: &str,
) -> anyhow::Result<Row> {
    let table = format!("citygrid_bench.edges_{network}");
    let mode = Mode::Car;
    let (mut ids, mut sources, mut targets, mut costs, mut reverse) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, e) in graph.edges.iter().enumerate() {
        let s = f64::from(graph.seconds(i as u32, mode));
        if !s.is_finite() {
            continue;
        }
        ids.push(i as i64);
        sources.push(i64::from(e.from));
        targets.push(i64::from(e.to));
        costs.push(if e.allows(true, mode) { s } else { -1.0 });
        reverse.push(if e.allows(false, mode) { s } else { -1.0 });
    }
    let one_way = graph
        .edges
        .iter()
        .filter(|e| e.one_way != OneWay::Both)
        .count();
    sqlx::query(&format!(
        "CREATE TABLE {table} (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)"
    ))
    .execute(pool)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO {table} SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[])"
    ))
    .bind(&ids)
    .bind(&sources)
    .bind(&targets)
    .bind(&costs)
    .bind(&reverse)
    .execute(pool)
    .await?;
    // The case at one node, officers at others spread over the city.
    let n = graph.nodes.len();
    let mut space = SearchSpace::default();
    // The case at a node most of the network can reach (not a dead end behind a one-way).
    let reach = |space: &mut SearchSpace, node: usize| {
        let start = [Access {
            node: node as u32,
            seconds: 0.0,
            metres: 0.0,
        }];
        ReverseSearch::new(graph, mode, space, &start)
            .all()
            .iter()
            .filter(|t| t.is_finite())
            .count()
    };
    let case = (0..20)
        .map(|k| (n / 2 + 17 + k * 101) % n)
        .max_by_key(|&node| reach(&mut space, node))
        .context("an empty street graph")?;
    let from: Vec<i64> = (0..officers)
        .map(|k| ((k * 7919 + 13) % n) as i64)
        .collect();
    let start = Instant::now();
    let all = ReverseSearch::new(
        graph,
        mode,
        &mut space,
        &[Access {
            node: case as u32,
            seconds: 0.0,
            metres: 0.0,
        }],
    )
    .all();
    let ours = start.elapsed();
    let sql = format!(
        "SELECT start_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM {table}', \
         $1::bigint[], {case}::bigint, directed => true)"
    );
    let start = Instant::now();
    let rows: Vec<(i64, f64)> = sqlx::query_as(&sql).bind(&from).fetch_all(pool).await?;
    let theirs = start.elapsed();
    let theirs_by: std::collections::HashMap<i64, f64> = rows.into_iter().collect();
    let (mut same, mut unreachable, mut differ) = (0, 0, 0);
    for s in &from {
        let mine = f64::from(all[*s as usize]);
        match theirs_by.get(s) {
            Some(t) if (mine - t).abs() <= 1e-3 * t.max(1.0) => same += 1,
            None if !mine.is_finite() || *s as usize == case => unreachable += 1,
            _ => differ += 1,
        }
    }
    if differ > 0 {
        bail!("{differ} officers have different travel times in pgRouting");
    }
    Ok(Row {
        what: format!(
            "{network}: car travel times from {officers} officers to a case ({n} nodes, {} edges, {one_way} one-way)",
            graph.edges.len()
        ),
        citygrid: format!("{} (reverse search over every node)", secs(ours)),
        against: "pgRouting",
        postgis: format!("{} (pgr_dijkstraCost, many to one)", secs(theirs)),
        ratio: format!("{:.1}×", theirs.as_secs_f64() / ours.as_secs_f64()),
        agreement: format!(
            "{same} equal within 0.1 %, {unreachable} unreachable on both, 0 different"
        ),
    })
}

/// Loads the city into PostgreSQL at `url` and measures both sides.
pub async fn run(url: &str, points: usize, osm: Option<&[u8]>) -> anyhow::Result<Vec<Row>> {
    // Long statements are the point here, not something to warn about.
    let options = url
        .parse::<PgConnectOptions>()
        .with_context(|| format!("reading {url}"))?
        .disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let base = synth::city();
    let atlas = Atlas::build(base, chrono_tz::Asia::Shanghai);
    let points_list = synth::points(points, 1);
    let queries = synth::points(points / 10, 2);
    let start = Instant::now();
    setup(&pool, &atlas, &points_list, &queries).await?;
    eprintln!(
        "loaded the city and {} points into PostgreSQL in {}",
        points,
        secs(start.elapsed())
    );
    let graph = StreetGraph::build(
        &atlas.base().streets,
        atlas.projection(),
        &Speeds::default(),
    );
    let mut rows = vec![
        assignment(&pool, &atlas, &points_list).await?,
        nearest_shop(&pool, &atlas, &queries).await?,
        travel_times(&pool, &graph, 2000, "city").await?,
    ];
    // A real network, with its one-way streets.
    if let Some(bytes) = osm {
        let base = citygrid::import::osm::import_osm(bytes, &Default::default())?;
        let atlas = Atlas::build(base, chrono_tz::UTC);
        let graph = StreetGraph::build(
            &atlas.base().streets,
            atlas.projection(),
            &Speeds::default(),
        );
        rows.push(travel_times(&pool, &graph, 2000, "osm").await?);
    }
    Ok(rows)
}
