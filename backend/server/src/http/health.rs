//! `GET /health`: the server and its store answer, and what the atlas holds.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use citygrid_core::layer::Layer;
use serde_json::{Map, Value, json};

use super::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state
        .district
        .store()
        .ping()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let atlas = state.district.atlas();
    let layers: Map<String, Value> = Layer::ALL
        .iter()
        .map(|&l| (l.as_str().to_owned(), json!(atlas.base().count(l))))
        .collect();
    Ok(Json(
        json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION"), "layers": layers }),
    ))
}
