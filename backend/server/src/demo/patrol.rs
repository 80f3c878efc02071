//! The demo's officers on patrol: without phones to post fixes, `citygrid demo` puts every
//! officer without a status on duty and has each one on duty (or busy) walk a small circle in
//! their first grid cell, posting a fix every minute, so that a dispatcher always has fresh
//! positions to rank.

use std::time::Duration;

use chrono::Utc;
use citygrid_core::LonLat;
use citygrid_core::officer::{DutyStatus, Fix, StatusChange};
use geo::Centroid;

use crate::dispatch::Dispatch;

/// How often the demo officers post a fix.
pub const EVERY: Duration = Duration::from_secs(60);
/// The radius of their round, metres.
const ROUND_M: f64 = 60.0;

/// Each demo officer's home: the centre of their first grid cell.
fn homes(dispatch: &Dispatch) -> Vec<(String, LonLat)> {
    let atlas = dispatch.district().atlas();
    atlas
        .base()
        .officers
        .iter()
        .filter_map(|o| {
            let grid = o.grids.first()?;
            let cell = atlas.base().grids.iter().find(|g| &g.code == grid)?;
            let c = cell.geometry.centroid()?;
            Some((
                o.code.to_string(),
                LonLat {
                    lon: c.x(),
                    lat: c.y(),
                },
            ))
        })
        .collect()
}

/// One round of fixes at step `step` (a point on each officer's circle).
pub async fn post_round(dispatch: &Dispatch, step: u64) {
    let now = Utc::now();
    let proj = *dispatch.district().atlas().projection();
    for (i, (code, home)) in homes(dispatch).into_iter().enumerate() {
        let status = dispatch.roster().get(&code).status();
        if status == DutyStatus::Off {
            continue;
        }
        let angle = (step as f64 * 0.35) + i as f64;
        let centre = proj.project(home);
        let p = proj.unproject(geo::Coord {
            x: centre.x + ROUND_M * angle.cos(),
            y: centre.y + ROUND_M * angle.sin(),
        });
        let fix = Fix {
            officer: code.clone(),
            lon: p.lon,
            lat: p.lat,
            accuracy_m: Some(8.0),
            at: now,
        };
        if let Err(e) = dispatch.add_fixes(&code, vec![fix], now).await {
            tracing::warn!(error = %e, "demo patrol fix for {code}");
        }
    }
}

/// Puts officers without a status on duty, then posts a round of fixes every minute.
pub async fn run(dispatch: Dispatch) {
    for (code, _) in homes(&dispatch) {
        if dispatch.roster().get(&code).status.is_none()
            && let Err(e) = dispatch
                .set_status(StatusChange::new(
                    &code,
                    DutyStatus::OnDuty,
                    "demo",
                    Utc::now(),
                ))
                .await
        {
            tracing::warn!(error = %e, "demo patrol status for {code}");
        }
    }
    let mut every = tokio::time::interval(EVERY);
    let mut step = 0;
    loop {
        every.tick().await;
        post_round(&dispatch, step).await;
        step += 1;
    }
}
