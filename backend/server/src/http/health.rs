//! `GET /health`: the server and its store answer, and what the atlas holds.

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::layer::Layer;
use serde_json::{Map, Value, json};

use citygrid_core::access::Permission;

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
        .access(Permission::Public),
    ]
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state
        .district
        .store()
        .ping()
        .await
        .map_err(ApiError::from)?;
    let atlas = state.district.atlas();
    let layers: Map<String, Value> = Layer::ALL
        .iter()
        .map(|&l| (l.as_str().to_owned(), json!(atlas.base().count(l))))
        .collect();
    Ok(Json(
        json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION"), "layers": layers }),
    ))
}
