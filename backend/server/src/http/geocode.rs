//! `GET /geocode?q=&limit=`: where is this address?

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::atlas::GeocodeOptions;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_LIMIT: usize = 50;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/geocode",
            "district",
            "Where is this address: ranked candidates",
            get(geocode),
        )
        .access(Permission::Session)
        .required_query("q", "string", "the address text")
        .query(
            "limit",
            "integer",
            "at most this many candidates (1–50, default 5)",
        ),
    ]
}

async fn geocode(State(state): State<AppState>, params: Params) -> Result<Json<Value>, ApiError> {
    let q = params
        .text("q")
        .ok_or_else(|| ApiError::param("q", "is required (the address text)"))?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::param(
            "q",
            format!("is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = params
        .optional::<usize>("limit", "a whole number")?
        .unwrap_or(5);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::param(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let candidates = state.district.atlas().geocode(q, GeocodeOptions { limit });
    Ok(Json(json!({ "query": q, "candidates": candidates })))
}
