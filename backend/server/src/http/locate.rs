//! `GET /locate` and `POST /locate` (batch): who is responsible for a point.

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use citygrid_core::access::Permission;
use citygrid_core::api::{
    LocateBatch, LocateOptionsQuery, LocateQuery, LocateRequest, Location, PointInput,
};
use citygrid_core::{Crs, LonLat};

use super::endpoint::Endpoint;
use super::extract::{Body, Query};
use super::{ApiError, AppState};
use crate::atlas::LocateOptions;

/// The most points one batch request may hold.
pub const MAX_BATCH: usize = 10_000;
/// The largest street search radius a client may ask for, metres.
pub const MAX_STREET_RADIUS_M: f64 = 500.0;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/locate",
            "district",
            "Who is responsible for this point",
            get(locate_one),
        )
        .access(Permission::Session)
        .queries::<LocateQuery>()
        .answers::<Location>(),
        Endpoint::new(
            "post",
            "/locate",
            "district",
            "Who is responsible for each of many points",
            post(locate_batch),
        )
        .access(Permission::Session)
        .queries::<LocateOptionsQuery>()
        .json::<LocateBatch>("[{\"lon\", \"lat\"} or [lon, lat], …] or {\"crs\", \"points\": […]}")
        .answers::<Vec<Location>>(),
    ]
}

fn options(query: &LocateOptionsQuery) -> Result<LocateOptions, ApiError> {
    let mut opts = LocateOptions::default();
    if let Some(r) = query.street_radius {
        if !(0.0..=MAX_STREET_RADIUS_M).contains(&r) {
            return Err(ApiError::param(
                "street_radius",
                format!("must be between 0 and {MAX_STREET_RADIUS_M} metres"),
            ));
        }
        opts.street_radius_m = r;
    }
    if let Some(at) = query.at {
        opts.at = at.0;
    }
    Ok(opts)
}

/// A point in WGS 84, the bad coordinate named under `prefix` (`lon`, `points[3].lat`).
fn point(p: PointInput, crs: Crs, prefix: &str) -> Result<LonLat, ApiError> {
    LonLat::new(p.lon, p.lat)
        .map(|q| crs.to_wgs84(q))
        .map_err(|e| {
            let axis = if LonLat::new(p.lon, 0.0).is_err() {
                "lon"
            } else {
                "lat"
            };
            ApiError::param(&format!("{prefix}{axis}"), e.to_string())
        })
}

async fn locate_one(
    State(state): State<AppState>,
    Query(query): Query<LocateQuery>,
) -> Result<Json<Location>, ApiError> {
    let crs = query.crs.unwrap_or_default();
    let p = point(
        PointInput {
            lon: query.lon,
            lat: query.lat,
        },
        crs,
        "",
    )?;
    let opts = options(&query.options())?;
    Ok(Json(state.district.atlas().locate(p, &opts)))
}

async fn locate_batch(
    State(state): State<AppState>,
    Query(query): Query<LocateOptionsQuery>,
    Body(body): Body<serde_json::Value>,
) -> Result<Json<Vec<Location>>, ApiError> {
    let opts = options(&query)?;
    // A bare list is the points in the query's system.
    let body = match body {
        list @ serde_json::Value::Array(_) => serde_json::json!({ "points": list }),
        other => other,
    };
    let request: LocateRequest = super::extract::value(body)?;
    if request.points.len() > MAX_BATCH {
        return Err(ApiError::TooLarge(format!(
            "at most {MAX_BATCH} points per request, got {}",
            request.points.len()
        )));
    }
    let crs = request.crs.or(query.crs).unwrap_or_default();
    let points = request
        .points
        .into_iter()
        .enumerate()
        .map(|(i, p)| point(p, crs, &format!("points[{i}].")))
        .collect::<Result<Vec<_>, _>>()?;
    let atlas = state.district.atlas();
    // Large batches run on the blocking pool across all cores.
    let located = tokio::task::spawn_blocking(move || atlas.locate_many(&points, &opts))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(located))
}
