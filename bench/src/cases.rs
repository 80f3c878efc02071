//! `citygrid-bench cases`: creating cases over HTTP (each resolved and stored with its event)
//! for a while with concurrent clients, then listing with a bbox + status + category filter
//! and the statistics over a large store. Prints rates and latency percentiles; given a
//! PostgreSQL server, measures it and the embedded store in the same run and prints both side
//! by side.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use citygrid_core::case::{Case, CaseEvent, CaseId, Source, Status};
use citygrid_core::category::CategoryCode;
use geo::Coord;

use crate::synth;
use citygrid::atlas::LocateOptions;
use citygrid::cases::CaseRules;
use citygrid::demo;
use citygrid::district::District;
use citygrid::http::{AppState, app};
use citygrid::projection::LocalProjection;
use citygrid::store::{CaseFilter, SqliteStore, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// One client (its own keep-alive connection) posting cases; returns acknowledged ids and
/// latencies.
fn client(
    addr: SocketAddr,
    token: &str,
    seed: u64,
    until: Instant,
) -> anyhow::Result<(Vec<i64>, Vec<Duration>)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(1)
        .build()
        .into();
    let url = format!("http://{addr}/api/v1/cases");
    let auth = format!("Bearer {token}");
    let proj = LocalProjection::new(demo::CENTRE);
    let points = synth::points(4096, seed);
    let categories = ["0501", "0502", "0101", "0503", "0201"];
    let (mut ids, mut latencies) = (Vec::new(), Vec::new());
    let mut i = 0;
    while Instant::now() < until {
        // Squeeze the city-wide points onto the demo district.
        let c = LocalProjection::new(synth::CENTRE).project(points[i % points.len()]);
        let p = proj.unproject(Coord {
            x: c.x * 0.22,
            y: c.y * 0.15,
        });
        let body = format!(
            r#"{{"category":"{}","source":"patrol","lon":{},"lat":{},"description":"bench"}}"#,
            categories[i % categories.len()],
            p.lon,
            p.lat
        );
        i += 1;
        let start = Instant::now();
        let mut response = agent
            .post(&url)
            .header("authorization", &auth)
            .content_type("application/json")
            .send(&body)?;
        let answer = response.body_mut().read_to_string()?;
        latencies.push(start.elapsed());
        anyhow::ensure!(
            response.status() == 201,
            "unexpected answer {}: {answer}",
            response.status()
        );
        let v: serde_json::Value = serde_json::from_str(&answer)?;
        ids.push(v["case"]["id"].as_i64().context("no case id")?);
    }
    Ok((ids, latencies))
}

/// Where the measurements store their cases: scratch files, or fresh databases on a
/// PostgreSQL server.
#[derive(Debug, Clone)]
pub enum Target {
    Files(std::path::PathBuf),
    Postgres(String),
}

impl Target {
    fn label(&self) -> &'static str {
        match self {
            Target::Files(_) => "embedded",
            Target::Postgres(_) => "PostgreSQL",
        }
    }

    fn database(name: &str) -> String {
        format!("citygrid_bench_{name}_{}", std::process::id())
    }

    /// Drops the databases the measurements made on the server.
    async fn drop_databases(&self) -> anyhow::Result<()> {
        use sqlx::{Connection, Executor};
        if let Target::Postgres(url) = self {
            let mut admin = sqlx::PgConnection::connect(url).await?;
            for name in ["create", "list"] {
                admin
                    .execute(
                        format!(
                            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                            Self::database(name)
                        )
                        .as_str(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// A fresh store named `name` (a file in the folder, or a new database on the server).
    async fn store(&self, name: &str) -> anyhow::Result<Arc<dyn Store>> {
        match self {
            Target::Files(dir) => Ok(Arc::new(
                SqliteStore::open(&dir.join(format!("{name}.gpkg"))).await?,
            )),
            Target::Postgres(url) => {
                use sqlx::{Connection, Executor};
                let database = Self::database(name);
                let mut admin = sqlx::PgConnection::connect(url).await?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {database}").as_str())
                    .await?;
                admin
                    .execute(format!("CREATE DATABASE {database}").as_str())
                    .await?;
                let (server, _) = url
                    .rsplit_once('/')
                    .context("the PostgreSQL URL names no database")?;
                Ok(Arc::new(
                    citygrid::store::PgStore::open(&format!("{server}/{database}")).await?,
                ))
            }
        }
    }
}

async fn demo_district(target: &Target, name: &str) -> anyhow::Result<(District, Arc<dyn Store>)> {
    let store = target.store(name).await?;
    let district = District::open(store.clone(), chrono_tz::Asia::Shanghai).await?;
    district.replace(demo::generate().into_rows()).await?;
    Ok((district, store))
}

/// What one store measured.
#[derive(Debug, Default)]
struct Figures {
    created: usize,
    create_rate: f64,
    create_p50: Duration,
    create_p99: Duration,
    all_stored: bool,
    stored_in: Duration,
    list_p50: Duration,
    list_p95: Duration,
    list_max: Duration,
    facts_read: Duration,
    evaluation_first: Duration,
    evaluation_warm: [Duration; 2],
    report: Duration,
    report_cases: u64,
}

/// A session token of a new user `bench` with this role, opened directly (no password hashing
/// in a measurement).
pub async fn session(
    store: &dyn citygrid::store::Store,
    state: &AppState,
    role: citygrid_core::account::Role,
) -> anyhow::Result<String> {
    let new = citygrid::store::NewUser {
        username: "bench".into(),
        display_name: None,
        role,
        password_hash: "none".into(),
        scope: Vec::new(),
        officer: None,
        must_change_password: false,
    };
    let id = store.insert_user(&new, chrono::Utc::now()).await?;
    let user = store
        .list_users()
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .context("the bench user")?;
    Ok(state
        .accounts
        .open_session(user, chrono::Utc::now())
        .await?
        .token)
}

/// Creating cases over HTTP for `seconds` with `clients` connections.
async fn creation(
    target: &Target,
    seconds: u64,
    clients: usize,
    out: &mut Figures,
) -> anyhow::Result<()> {
    let (district, store) = demo_district(target, "create").await?;
    let state = AppState::new(district, Arc::new(CaseRules::load(None, None)?));
    // The clients post as a dispatcher with a session opened directly (no password hashing
    // in the measurement).
    let token = session(
        store.as_ref(),
        &state,
        citygrid_core::account::Role::Dispatcher,
    )
    .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(listener, app(state, citygrid::http::WebApp::None)).await
    });
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|k| {
            let token = token.clone();
            tokio::task::spawn_blocking(move || client(addr, &token, 100 + k as u64, until))
        })
        .collect();
    let (mut ids, mut latencies) = (Vec::new(), Vec::new());
    for w in workers {
        let (i, l) = w.await??;
        ids.extend(i);
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    server.abort();
    latencies.sort();
    let stored = store
        .list_cases(&CaseFilter::default(), ids.len() + 10)
        .await?;
    let mut stored_ids: Vec<i64> = stored.iter().map(|c| c.id.0).collect();
    stored_ids.sort_unstable();
    ids.sort_unstable();
    println!(
        "{}: create over HTTP ({clients} clients, {:.0} s): {} cases, {:.0} cases/s; latency p50 {}, p99 {}, max {}; acknowledged cases all stored: {}",
        target.label(),
        elapsed.as_secs_f64(),
        ids.len(),
        ids.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 1.0)),
        stored_ids == ids
    );
    out.created = ids.len();
    out.create_rate = ids.len() as f64 / elapsed.as_secs_f64();
    out.create_p50 = percentile(&latencies, 0.5);
    out.create_p99 = percentile(&latencies, 0.99);
    out.all_stored = stored_ids == ids;
    Ok(())
}

/// Listing a page of 100 with bbox + status + category over `total` stored cases.
async fn listing(target: &Target, total: usize, out: &mut Figures) -> anyhow::Result<()> {
    let (district, store) = demo_district(target, "list").await?;
    let atlas = district.atlas();
    let proj = LocalProjection::new(demo::CENTRE);
    let points = synth::points(total, 77);
    let categories = [
        "0501", "0502", "0101", "0503", "0201", "0102", "0504", "9001",
    ];
    let statuses = [
        Status::Closed,
        Status::Closed,
        Status::Closed,
        Status::Closed,
        Status::Closed,
        Status::Dispatched,
        Status::Registered,
        Status::Handled,
    ];
    let now = Utc::now();
    let started = Instant::now();
    for (chunk_index, chunk) in points.chunks(50_000).enumerate() {
        let rows: Vec<(Case, Vec<CaseEvent>)> = chunk
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let i = chunk_index * 50_000 + k;
                let c = LocalProjection::new(synth::CENTRE).project(*p);
                let point = proj.unproject(Coord {
                    x: c.x * 0.22,
                    y: c.y * 0.15,
                });
                let at = now - chrono::Duration::minutes((total - i) as i64);
                let status = statuses[i % statuses.len()];
                let location = atlas.locate(
                    point,
                    &LocateOptions {
                        at,
                        ..LocateOptions::default()
                    },
                );
                let case = Case {
                    id: CaseId(0),
                    category: CategoryCode(categories[(i / 3) % categories.len()].to_owned()),
                    source: Source::Patrol,
                    status,
                    description: String::new(),
                    quantity: None,
                    point,
                    address: None,
                    location,
                    reporter: None,
                    assignee: None,
                    duplicate_of: None,
                    photos: Vec::new(),
                    created_at: at,
                    updated_at: at,
                    deadline: at + chrono::Duration::hours(4),
                    version: 1,
                };
                let event = CaseEvent {
                    seq: 0,
                    at,
                    actor: "bench".into(),
                    action: "report".into(),
                    from: None,
                    to: status,
                    note: None,
                    assignee: None,
                    deadline: None,
                    photo: None,
                    visibility: citygrid_core::case::Visibility::Internal,
                };
                (case, vec![event])
            })
            .collect();
        store.insert_history(&rows).await?;
    }
    out.stored_in = started.elapsed();
    println!(
        "{}: stored {total} cases in {:.1} s",
        target.label(),
        out.stored_in.as_secs_f64()
    );
    let mut times = Vec::new();
    let mut found = 0;
    for q in 0..300_u64 {
        let c = LocalProjection::new(synth::CENTRE).project(synth::points(1, 1000 + q)[0]);
        let centre = Coord {
            x: c.x * 0.2,
            y: c.y * 0.13,
        };
        let lo = proj.unproject(Coord {
            x: centre.x - 250.0,
            y: centre.y - 250.0,
        });
        let hi = proj.unproject(Coord {
            x: centre.x + 250.0,
            y: centre.y + 250.0,
        });
        let filter = CaseFilter {
            bbox: Some([lo.lon, lo.lat, hi.lon, hi.lat]),
            statuses: vec![Status::Dispatched, Status::Registered],
            categories: vec![categories[q as usize % categories.len()].to_owned()],
            ..CaseFilter::default()
        };
        let start = Instant::now();
        found += store.list_cases(&filter, 100).await?.len();
        times.push(start.elapsed());
    }
    times.sort();
    out.list_p50 = percentile(&times, 0.5);
    out.list_p95 = percentile(&times, 0.95);
    out.list_max = percentile(&times, 1.0);
    println!(
        "{}: list a page of 100 (bbox 500 m + status + category) over {total} cases: p50 {}, p95 {}, max {} ({} rows in 300 pages)",
        target.label(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 1.0)),
        found
    );
    // Statistics read every case with its loop outcomes, then compute.
    let start = Instant::now();
    let facts = store
        .case_facts(chrono::DateTime::<Utc>::UNIX_EPOCH..now + chrono::Duration::days(1))
        .await?;
    let read = start.elapsed();
    let start = Instant::now();
    let groups = citygrid::statistics::evaluation::evaluate(&facts, now, |f| {
        f.grid.as_deref().map(str::to_owned)
    });
    out.facts_read = read;
    println!(
        "{}: statistics over {} cases: reading them with their outcomes {}, the evaluation ratios per grid cell {} ({} cells)",
        target.label(),
        facts.len(),
        ms(read),
        ms(start.elapsed()),
        groups.len()
    );
    // Through the statistics service: the first request loads every case into its cache, later
    // ones read only what changed since.
    let stats = citygrid::statistics::Statistics::new(district.clone());
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let groups = stats
            .evaluation("grid", &citygrid::statistics::StatsFilter::default(), now)
            .await?;
        runs.push((start.elapsed(), groups.len()));
    }
    let quarter = citygrid::statistics::report::Quarter::of(now.date_naive());
    let catalogue = citygrid::cases::CaseRules::load(None, None)?.catalogue;
    let mut report = stats.quarterly(quarter, &catalogue, now).await?;
    let start = Instant::now();
    for _ in 0..3 {
        report = stats.quarterly(quarter, &catalogue, now).await?;
    }
    let report_time = start.elapsed() / 3;
    out.evaluation_first = runs[0].0;
    out.evaluation_warm = [runs[1].0, runs[2].0];
    out.report = report_time;
    out.report_cases = report.received;
    println!(
        "{}: evaluation over {} cases through the service: first (loading the cache) {}, then {} and {}; the quarterly report of {} ({} cases) {} (mean of 3, after a first)",
        target.label(),
        facts.len(),
        ms(runs[0].0),
        ms(runs[1].0),
        ms(runs[2].0),
        report.quarter,
        report.received,
        ms(report_time)
    );
    Ok(())
}

/// Both measurements on one target.
async fn measure(
    target: &Target,
    seconds: u64,
    clients: usize,
    total: usize,
) -> anyhow::Result<Figures> {
    let mut out = Figures::default();
    creation(target, seconds, clients, &mut out).await?;
    listing(target, total, &mut out).await?;
    Ok(out)
}

/// Runs the measurements on the embedded store in a scratch folder and, given a PostgreSQL
/// URL, again in fresh databases on that server (`citygrid_bench_create_*`,
/// `citygrid_bench_list_*`, dropped afterwards unless `keep`), then prints both side by side.
pub async fn run(
    seconds: u64,
    clients: usize,
    total: usize,
    postgres: Option<String>,
    keep: bool,
) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let files = Target::Files(dir.clone());
    let embedded = measure(&files, seconds, clients, total).await;
    let _ = std::fs::remove_dir_all(&dir);
    let embedded = embedded?;
    let Some(url) = postgres else {
        print_table(&[("embedded (SQLite)", &embedded)]);
        return Ok(());
    };
    let pg = Target::Postgres(url);
    let measured = measure(&pg, seconds, clients, total).await;
    if !keep {
        pg.drop_databases().await?;
    }
    let measured = measured?;
    print_table(&[("embedded (SQLite)", &embedded), ("PostgreSQL", &measured)]);
    Ok(())
}

/// The figures as a Markdown table, one column per store.
fn print_table(columns: &[(&str, &Figures)]) {
    let head: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    println!("\n| measurement | {} |", head.join(" | "));
    println!("|---|{}", "---|".repeat(columns.len()));
    let row = |name: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: Vec<String> = columns.iter().map(|(_, f)| cell(f)).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    row("cases created over HTTP per second", &|f| {
        format!("{:.0}", f.create_rate)
    });
    row("creation latency p50 / p99", &|f| {
        format!("{} / {}", ms(f.create_p50), ms(f.create_p99))
    });
    row("every acknowledged case stored", &|f| {
        format!("{} ({})", f.all_stored, f.created)
    });
    row("bulk storing the large store", &|f| {
        format!("{:.1} s", f.stored_in.as_secs_f64())
    });
    row(
        "a page of 100 (bbox + status + category) p50 / p95 / max",
        &|f| {
            format!(
                "{} / {} / {}",
                ms(f.list_p50),
                ms(f.list_p95),
                ms(f.list_max)
            )
        },
    );
    row("reading every case's facts", &|f| ms(f.facts_read));
    row(
        "evaluation per grid cell: first (cache load); then twice, warm",
        &|f| {
            format!(
                "{}; {}, {}",
                ms(f.evaluation_first),
                ms(f.evaluation_warm[0]),
                ms(f.evaluation_warm[1])
            )
        },
    );
    row("quarterly report of the current quarter", &|f| {
        format!("{} ({} cases)", ms(f.report), f.report_cases)
    });
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("citygrid-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
