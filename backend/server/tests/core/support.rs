//! Shared helpers: the demo district in memory, metric points about the demo's centre.

use std::sync::{Arc, OnceLock};

use citygrid::atlas::Atlas;
use citygrid::demo;
use citygrid::projection::LocalProjection;
use citygrid_core::LonLat;
use citygrid_core::features::BaseLayers;
use geo::Coord;

/// The demo district, generated once per test binary.
pub fn demo_base() -> &'static BaseLayers {
    static BASE: OnceLock<BaseLayers> = OnceLock::new();
    BASE.get_or_init(demo::generate)
}

/// The demo's atlas, built once per test binary.
pub fn demo_atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| Arc::new(Atlas::build(demo_base().clone(), chrono_tz::Asia::Shanghai)))
        .clone()
}

/// A point `x` metres east and `y` metres north of the demo district's centre.
pub fn at(x: f64, y: f64) -> LonLat {
    LocalProjection::new(demo::CENTRE).unproject(Coord { x, y })
}

/// Metres between two WGS 84 points (local plane about the first).
pub fn metres(a: LonLat, b: LonLat) -> f64 {
    let proj = LocalProjection::new(a);
    let q = proj.project(b);
    q.x.hypot(q.y)
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The demo district's layers in a fresh in-memory store.
pub async fn demo_district() -> citygrid::district::District {
    use citygrid::store::Store;
    let store = citygrid::store::SqliteStore::memory().await.unwrap();
    store
        .replace_layers(demo_base().clone().into_rows())
        .await
        .unwrap();
    citygrid::district::District::open(Arc::new(store), chrono_tz::Asia::Shanghai)
        .await
        .unwrap()
}

/// The built-in case rules.
pub fn rules() -> Arc<citygrid::cases::CaseRules> {
    Arc::new(citygrid::cases::CaseRules::load(None, None).unwrap())
}

/// The application's router over [`demo_district`], its state shaped by `shape`.
pub async fn demo_router_with(
    shape: impl FnOnce(citygrid::http::AppState) -> citygrid::http::AppState,
) -> axum::Router {
    citygrid::http::app(
        shape(citygrid::http::AppState::new(
            demo_district().await,
            rules(),
        )),
        None,
    )
}

/// The application's router over [`demo_district`].
pub async fn demo_router() -> axum::Router {
    demo_router_with(|s| s).await
}
