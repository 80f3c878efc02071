//! `citygrid-bench heavy`: does heavy work stall the server? The demo district with its year of
//! cases is served over HTTP; `GET /api/v1/health` is timed first with nothing else running
//! (the baseline), then while four clients keep asking for the heaviest statistics a planner
//! can (emerging hot spots by week, a fine heat surface, recurring places over the year, counts
//! by shop and week). Printed: the health check's latency in both, their ratio, and how the
//! heavy requests were answered (done, refused as busy, stopped by their budget).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use citygrid_core::account::Role;

use crate::table::Row;

/// The heavy requests the four clients repeat, in turn.
const HEAVY: [&str; 4] = [
    "/api/v1/analytics/emerging?slice=week",
    "/api/v1/analytics/heat?cell_m=10&radius_m=1000",
    "/api/v1/analytics/recurring?n=1&limit=500",
    "/api/v1/analytics/counts?by=shop&slice=week",
];

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Health checks, one after another, until `stop` (or `seconds`): their latencies, sorted.
fn time_health(addr: SocketAddr, seconds: u64, stop: &AtomicBool) -> anyhow::Result<Vec<Duration>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("http://{addr}/api/v1/health");
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut latencies = Vec::new();
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let status = agent.get(&url).call()?.status();
        latencies.push(t.elapsed());
        anyhow::ensure!(status == 200, "health answered {status}");
        std::thread::sleep(Duration::from_millis(20));
    }
    latencies.sort();
    Ok(latencies)
}

/// What one heavy client got: done, refused (503 busy), stopped (503 over budget), other.
#[derive(Debug, Default, Clone, Copy)]
struct Outcomes {
    done: usize,
    busy: usize,
    stopped: usize,
    other: usize,
}

fn heavy_client(
    addr: SocketAddr,
    token: &str,
    first: usize,
    stop: &AtomicBool,
) -> anyhow::Result<Outcomes> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let mut out = Outcomes::default();
    let mut k = first;
    while !stop.load(Ordering::Relaxed) {
        let url = format!("http://{addr}{}", HEAVY[k % HEAVY.len()]);
        k += 1;
        let mut answer = agent
            .get(&url)
            .header("authorization", &format!("Bearer {token}"))
            .call()?;
        let status = answer.status().as_u16();
        let body = answer.body_mut().read_to_string().unwrap_or_default();
        match status {
            200 => out.done += 1,
            503 if body.contains("busy") => {
                out.busy += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            503 => out.stopped += 1,
            _ => out.other += 1,
        }
    }
    Ok(out)
}

/// Runs the measurement for `seconds` idle and `seconds` under load.
pub async fn run(seconds: u64) -> anyhow::Result<Vec<Row>> {
    let store: Arc<dyn citygrid::store::Store> =
        Arc::new(citygrid::store::SqliteStore::memory().await?);
    store
        .replace_layers(citygrid::demo::generate().into_rows())
        .await?;
    let district =
        citygrid::district::District::open(store.clone(), chrono_tz::Asia::Shanghai).await?;
    let rules = Arc::new(citygrid::cases::CaseRules::load(None, None)?);
    let atlas = district.atlas();
    let year = citygrid::demo::history::history(atlas.base(), &atlas, &rules);
    store.insert_history(&year).await?;
    let state = citygrid::http::AppState::new(district, rules);
    let cases = state.statistics.warm().await?;
    let token = crate::cases::session(store.as_ref(), &state, Role::Planner).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            citygrid::http::app(state, citygrid::http::WebApp::None)
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let never = Arc::new(AtomicBool::new(false));
    let idle = {
        let never = never.clone();
        tokio::task::spawn_blocking(move || time_health(addr, seconds, &never)).await??
    };
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|k| {
            let (token, stop) = (token.clone(), stop.clone());
            tokio::task::spawn_blocking(move || heavy_client(addr, &token, k, &stop))
        })
        .collect();
    // Let the heavy work start before timing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let loaded = tokio::task::spawn_blocking(move || time_health(addr, seconds, &never)).await??;
    stop.store(true, Ordering::Relaxed);
    let mut total = Outcomes::default();
    for c in clients {
        let o = c.await??;
        total.done += o.done;
        total.busy += o.busy;
        total.stopped += o.stopped;
        total.other += o.other;
    }
    server.abort();
    let ratio = |q: f64| {
        percentile(&loaded, q).as_secs_f64() / percentile(&idle, q).as_secs_f64().max(1e-9)
    };
    Ok(vec![
        Row {
            district: "demo",
            what: format!(
                "GET /health p50 while 4 clients ask for heavy statistics ({cases} cases)"
            ),
            value: ms(percentile(&loaded, 0.5)),
            versus: format!("{} idle: {:.1}×", ms(percentile(&idle, 0.5)), ratio(0.5)),
        },
        Row {
            district: "demo",
            what: "GET /health p99 / max, the same".into(),
            value: format!(
                "{} / {}",
                ms(percentile(&loaded, 0.99)),
                ms(percentile(&loaded, 1.0))
            ),
            versus: format!(
                "{} / {} idle",
                ms(percentile(&idle, 0.99)),
                ms(percentile(&idle, 1.0))
            ),
        },
        Row {
            district: "demo",
            what: "heavy requests: done / refused busy / stopped by budget / other".into(),
            value: format!(
                "{} / {} / {} / {}",
                total.done, total.busy, total.stopped, total.other
            ),
            versus: format!("{} health checks under load", loaded.len()),
        },
    ])
}
