//! `GET /health`: the server and its store answer, and what the atlas holds.

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::api::district::Health;
use citygrid_core::layer::Layer;

use super::endpoint::Endpoint;
use super::{ApiError, AppState};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/health",
            "district",
            "Whether the server and its store answer, and the features per layer",
            get(health),
        )
        .access(Permission::Public)
        .answers::<Health>(),
    ]
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.district.store().ping().await?;
    let atlas = state.district.atlas();
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        layers: Layer::ALL
            .iter()
            .map(|&l| (l.as_str().to_owned(), atlas.base().count(l)))
            .collect(),
    }))
}
