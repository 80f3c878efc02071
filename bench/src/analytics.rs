//! `citygrid-bench analytics`: Gi* over 10,000 cells, emerging hot spots over 10,000 cells ×
//! 52 weeks, and the evaluation and quarterly figures over 1,000,000 cases (in memory, as the
//! store hands them over). `--esda PYTHON` also times PySAL esda on the same Gi* input, in the
//! same run (the Python needs esda and libpysal: tests/reference/requirements.txt).

use std::time::{Duration, Instant};

use anyhow::Context;

use chrono::{DateTime, Utc};
use citygrid_core::case::{Source, Status};

use crate::table::Row;
use citygrid::analytics::emerging::emerging;
use citygrid::analytics::gistar::{Neighbours, gi_star};
use citygrid::statistics::evaluation::evaluate;
use citygrid::store::CaseFact;

/// A number in [0, 1) that only `i` and `salt` decide.
fn unit(i: u64, salt: u64) -> f64 {
    citygrid::rng::Rng::keyed(salt, i).unit()
}

/// Counts on a 100 × 100 lattice: a background and a few clusters.
fn lattice_counts(salt: u64) -> Vec<f64> {
    (0..10_000_u64)
        .map(|i| {
            let (r, c) = ((i / 100) as f64, (i % 100) as f64);
            let cluster = [(20.0, 30.0), (70.0, 60.0), (45.0, 80.0)]
                .iter()
                .map(|(cr, cc)| (-((r - cr).powi(2) + (c - cc).powi(2)) / 18.0).exp() * 12.0)
                .sum::<f64>();
            (unit(i, salt) * 4.0 + cluster).floor()
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A million cases over a year, with their loop outcomes.
pub fn million_facts() -> Vec<CaseFact> {
    let start = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(20_000);
    (0..1_000_000_u64)
        .map(|i| {
            let created = start + chrono::Duration::seconds((unit(i, 1) * 365.0 * 86_400.0) as i64);
            let deadline = created + chrono::Duration::hours(4);
            let handled = (unit(i, 2) < 0.9)
                .then(|| created + chrono::Duration::minutes((unit(i, 3) * 400.0) as i64));
            CaseFact {
                id: i as i64,
                created_at: created,
                category: format!("0{}0{}", 1 + i % 5, 1 + i % 6).into(),
                source: Source::ALL[(i % 5) as usize],
                status: if handled.is_some() {
                    Status::Closed
                } else {
                    Status::Dispatched
                },
                grid: Some(format!("G{:05}", i % 10_000).into()),
                community: Some(format!("C{:03}", i % 100).into()),
                shop: None,
                street: None,
                quantity: Some(1.0),
                lon: 116.8,
                lat: 33.95,
                deadline,
                assignee: Some(format!("ZF{:04}", i % 2000).into()),
                handled_at: handled,
                closed_at: handled.map(|h| h + chrono::Duration::hours(1)),
                reworks: u32::from(unit(i, 4) < 0.05),
                extensions: u32::from(unit(i, 5) < 0.03),
                returns: u32::from(unit(i, 6) < 0.04),
                dispatches: 1,
                events: 5,
            }
        })
        .collect()
}

/// Times esda's `G_Local(y, w, transform='B', star=True)` on the same lattice (median of 5
/// runs, measured inside Python so that start-up is not counted).
fn esda_time(python: &str, values: &[f64]) -> anyhow::Result<Duration> {
    let script = format!(
        "import time, numpy as np\nfrom esda.getisord import G_Local\nfrom libpysal.weights import lat2W\n\
         y = np.array({values:?})\nw = lat2W(100, 100, rook=False)\nts = []\n\
         for _ in range(5):\n    t = time.perf_counter(); G_Local(y, w, transform='B', star=True, permutations=0); ts.append(time.perf_counter() - t)\n\
         print(sorted(ts)[2])\n"
    );
    let out = std::process::Command::new(python)
        .args(["-c", &script])
        .output()
        .with_context(|| format!("running {python}"))?;
    if !out.status.success() {
        anyhow::bail!("{python}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let seconds = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse::<f64>()
        .with_context(|| format!("reading esda's time from {python}"))?;
    Ok(Duration::from_secs_f64(seconds))
}

pub fn run(esda_python: Option<&str>) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let w = Neighbours::queen_lattice(100, 100);
    let values = lattice_counts(7);
    let gi = median(
        (0..9)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(gi_star(&values, &w, true));
                t.elapsed()
            })
            .collect(),
    );
    let versus = match esda_python {
        Some(python) => {
            let esda = esda_time(python, &values)?;
            format!(
                "esda {}: {:.0}× faster",
                ms(esda),
                esda.as_secs_f64() / gi.as_secs_f64()
            )
        }
        None => "esda not measured (--esda PYTHON)".into(),
    };
    rows.push(Row {
        district: "lattice",
        what: "Gi* over 10,000 cells (queen, with FDR)".into(),
        value: ms(gi),
        versus,
    });
    let cube: Vec<Vec<f64>> = (0..52).map(|t| lattice_counts(100 + t)).collect();
    let t = Instant::now();
    let e = emerging(&cube, &w, &citygrid::heavy::Budget::unlimited())?;
    let took = t.elapsed();
    rows.push(Row {
        district: "lattice",
        what: "emerging hot spots, 10,000 cells × 52 weeks".into(),
        value: ms(took),
        versus: format!("{} cells classified", e.len()),
    });
    let facts = million_facts();
    let at = facts.last().map_or_else(Utc::now, |f| f.created_at);
    let t = Instant::now();
    let by_grid = evaluate(&facts, at, |f| f.grid.as_deref().map(str::to_owned));
    let took = t.elapsed();
    rows.push(Row {
        district: "1M",
        what: "evaluation ratios of 1,000,000 cases per grid cell".into(),
        value: ms(took),
        versus: format!("{} groups", by_grid.len()),
    });
    let t = Instant::now();
    let mut by_category: std::collections::HashMap<&str, (u64, f64)> =
        std::collections::HashMap::new();
    let mut by_community: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for f in &facts {
        let c = by_category.entry(&*f.category).or_default();
        c.0 += 1;
        c.1 += f.quantity.unwrap_or(0.0);
        if let Some(k) = &f.community {
            *by_community.entry(&**k).or_default() += 1;
        }
    }
    let all = evaluate(&facts, at, |_| Some(String::new()));
    std::hint::black_box((&by_category, &by_community, &all));
    rows.push(Row {
        district: "1M",
        what: "quarterly figures of 1,000,000 cases (counts, quantities, ratios)".into(),
        value: ms(t.elapsed()),
        versus: String::new(),
    });
    Ok(rows)
}
