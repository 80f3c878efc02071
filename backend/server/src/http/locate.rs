//! `GET /locate` and `POST /locate` (batch): who is responsible for a point.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use citygrid_core::api::Location;
use citygrid_core::{Crs, LonLat};
use serde_json::Value;

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::atlas::LocateOptions;

/// The most points one batch request may hold.
pub const MAX_BATCH: usize = 10_000;
/// The largest street search radius a client may ask for, metres.
pub const MAX_STREET_RADIUS_M: f64 = 500.0;

pub fn endpoints() -> Vec<Endpoint> {
    let common = |e: Endpoint| {
        e.query("crs", "string", "wgs84 (default), cgcs2000, gcj02 or bd09")
            .query(
                "street_radius",
                "number",
                "how far to look for a street, metres (default 50)",
            )
            .query(
                "at",
                "string",
                "RFC 3339 time that decides zone hours (default now)",
            )
    };
    vec![
        common(
            Endpoint::new(
                "get",
                "/locate",
                "district",
                "Who is responsible for this point",
                get(locate_one),
            )
            .access(Permission::Session)
            .required_query("lon", "number", "longitude")
            .required_query("lat", "number", "latitude"),
        ),
        common(
            Endpoint::new(
                "post",
                "/locate",
                "district",
                "Who is responsible for each of many points",
                post(locate_batch),
            )
            .access(Permission::Session)
            .body(
                "application/json",
                "[{\"lon\", \"lat\"} or [lon, lat], …] or {\"crs\", \"points\": […]}",
            ),
        ),
    ]
}

fn options(params: &Params) -> Result<LocateOptions, ApiError> {
    let mut opts = LocateOptions::default();
    if let Some(r) = params.optional::<f64>("street_radius", "a number of metres")? {
        if !(0.0..=MAX_STREET_RADIUS_M).contains(&r) {
            return Err(ApiError::param(
                "street_radius",
                format!("must be between 0 and {MAX_STREET_RADIUS_M} metres"),
            ));
        }
        opts.street_radius_m = r;
    }
    if let Some(at) = params.text("at") {
        opts.at = DateTime::parse_from_rfc3339(at)
            .map_err(|_| {
                ApiError::param(
                    "at",
                    "expected an RFC 3339 time such as 2026-11-27T20:00:00+08:00",
                )
            })?
            .with_timezone(&Utc);
    }
    Ok(opts)
}

fn point(lon: f64, lat: f64, crs: Crs, field: &str) -> Result<LonLat, ApiError> {
    LonLat::new(lon, lat)
        .map(|p| crs.to_wgs84(p))
        .map_err(|e| ApiError::param(field, e.to_string()))
}

async fn locate_one(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Location>, ApiError> {
    let lon = params.required::<f64>("lon", "a longitude in degrees")?;
    let lat = params.required::<f64>("lat", "a latitude in degrees")?;
    let crs = params.parsed::<Crs>("crs")?.unwrap_or_default();
    let p = point(
        lon,
        lat,
        crs,
        if LonLat::new(lon, 0.0).is_err() {
            "lon"
        } else {
            "lat"
        },
    )?;
    let opts = options(&params)?;
    Ok(Json(state.district.atlas().locate(p, &opts)))
}

/// Reads the batch body: a JSON array of `{lon, lat}` (or `[lon, lat]`), or an object
/// `{"crs": …, "points": [...]}`.
fn batch_points(body: &[u8], default_crs: Crs) -> Result<Vec<LonLat>, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadBody(format!("the body is not valid JSON: {e}")))?;
    let (crs, items) = match value {
        Value::Array(items) => (default_crs, items),
        Value::Object(mut map) => {
            let crs = match map.remove("crs") {
                None | Some(Value::Null) => default_crs,
                Some(Value::String(s)) => {
                    s.parse().map_err(|e: citygrid_core::crs::UnknownCrs| {
                        ApiError::param("crs", e.to_string())
                    })?
                }
                Some(_) => return Err(ApiError::param("crs", "expected text")),
            };
            match map.remove("points") {
                Some(Value::Array(items)) => (crs, items),
                _ => return Err(ApiError::param("points", "expected an array of points")),
            }
        }
        _ => {
            return Err(ApiError::BadBody(
                "expected an array of points or {\"points\": [...]}".to_owned(),
            ));
        }
    };
    if items.len() > MAX_BATCH {
        return Err(ApiError::TooLarge(format!(
            "at most {MAX_BATCH} points per request, got {}",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (lon, lat) = match item {
                Value::Object(m) => (
                    m.get("lon").and_then(Value::as_f64),
                    m.get("lat").and_then(Value::as_f64),
                ),
                Value::Array(a) if a.len() == 2 => (a[0].as_f64(), a[1].as_f64()),
                _ => {
                    return Err(ApiError::param(
                        &format!("points[{i}]"),
                        "expected {\"lon\": …, \"lat\": …} or [lon, lat]",
                    ));
                }
            };
            let lon = lon
                .ok_or_else(|| ApiError::param(&format!("points[{i}].lon"), "expected a number"))?;
            let lat = lat
                .ok_or_else(|| ApiError::param(&format!("points[{i}].lat"), "expected a number"))?;
            let field = if LonLat::new(lon, 0.0).is_err() {
                format!("points[{i}].lon")
            } else {
                format!("points[{i}].lat")
            };
            point(lon, lat, crs, &field)
        })
        .collect()
}

async fn locate_batch(
    State(state): State<AppState>,
    params: Params,
    body: Bytes,
) -> Result<Json<Vec<Location>>, ApiError> {
    let crs = params.parsed::<Crs>("crs")?.unwrap_or_default();
    let opts = options(&params)?;
    let points = batch_points(&body, crs)?;
    let atlas = state.district.atlas();
    // Large batches run on the blocking pool across all cores.
    let located = tokio::task::spawn_blocking(move || atlas.locate_many(&points, &opts))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(located))
}
