//! `GET /geocode?q=&limit=`: where is this address?

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::api::{GeocodeQuery, Geocoded};

use super::endpoint::Endpoint;
use super::extract::{Query, count};
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
        .queries::<GeocodeQuery>()
        .answers::<Geocoded>(),
    ]
}

async fn geocode(
    State(state): State<AppState>,
    Query(query): Query<GeocodeQuery>,
) -> Result<Json<Geocoded>, ApiError> {
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::param(
            "q",
            format!("is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = count(query.limit, "limit", 5, MAX_LIMIT)?;
    let candidates = state
        .district
        .atlas()
        .geocode(&query.q, GeocodeOptions { limit });
    Ok(Json(Geocoded {
        query: query.q,
        candidates,
    }))
}
