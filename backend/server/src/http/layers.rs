//! `GET /layers/{layer}`: a base layer as GeoJSON, optionally within a bounding box.

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use citygrid_core::LonLat;
use citygrid_core::layer::Layer;
use geo::{Coord, Rect};

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::export::layer_geojson;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/layers/{layer}",
            "district",
            "A base layer as GeoJSON",
            get(layer),
        )
        .access(Permission::Session)
        .query("bbox", "string", "minlon,minlat,maxlon,maxlat (WGS 84)")
        .ok(200, "application/geo+json"),
        Endpoint::new(
            "put",
            "/layers/{layer}",
            "district",
            "Replace a base layer from a file (GeoJSON; officers CSV or JSON), all or nothing",
            put(replace).layer(DefaultBodyLimit::max(MAX_LAYER_BYTES)),
        )
        .access(Permission::ManageLayers)
        .query(
            "crs",
            "string",
            "wgs84 (default), gcj02 or bd09: the file's coordinates",
        )
        .body(
            "application/geo+json",
            "a FeatureCollection of the layer's features",
        )
        .ok(200, "application/json"),
    ]
}

/// The largest layer file accepted over HTTP (the command line takes any size).
pub const MAX_LAYER_BYTES: usize = 64 * 1024 * 1024;

/// `PUT /layers/{layer}`: the same import as `citygrid import`. A rejected file is answered 422
/// with every bad feature listed (`errors`: feature index or line, code, field, problem), and
/// nothing changes.
async fn replace(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Params,
    body: axum::body::Bytes,
) -> Result<Json<crate::district::ImportReport>, ApiError> {
    let layer: Layer = name
        .parse()
        .map_err(|e: citygrid_core::layer::UnknownLayer| ApiError::NotFound(e.to_string()))?;
    if layer == Layer::Addresses {
        return Err(ApiError::NotFound(
            "address points come with an OpenStreetMap import, not on their own".to_owned(),
        ));
    }
    let crs = params
        .optional::<citygrid_core::Crs>("crs", "wgs84, gcj02 or bd09")?
        .unwrap_or_default();
    let format = crate::import::detect_format("", &body);
    match state.district.import_layer(layer, &body, format, crs).await {
        Ok(report) => Ok(Json(report)),
        Err(crate::district::DistrictError::Import(e)) => {
            let errors: Vec<_> = e
                .feature_errors()
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "feature": (!f.is_line).then_some(f.index),
                        "line": f.is_line.then_some(f.index),
                        "code": f.code,
                        "field": f.field,
                        "problem": f.problem,
                    })
                })
                .collect();
            let detail = match &e {
                crate::import::ImportError::Invalid { errors } => format!(
                    "{} invalid feature(s); the {layer} layer was not changed",
                    errors.len()
                ),
                other => format!("{other}; the {layer} layer was not changed"),
            };
            Err(ApiError::Problem {
                status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                detail,
                field: Some("body".to_owned()),
                members: serde_json::json!({ "errors": errors })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            })
        }
        Err(crate::district::DistrictError::Store(e)) => Err(e.into()),
    }
}

/// Parses `minlon,minlat,maxlon,maxlat`.
/// The widest bbox accepted, in degrees of longitude and of latitude (about 200 km: a whole
/// city and its surroundings). Wider boxes are refused rather than answered slowly.
pub const MAX_BBOX_DEGREES: f64 = 2.0;

pub fn parse_bbox(text: &str) -> Result<Rect, ApiError> {
    let bad = |problem: &str| ApiError::param("bbox", problem.to_owned());
    let numbers: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("expected four numbers: minlon,minlat,maxlon,maxlat"))?;
    let [x0, y0, x1, y1] = numbers[..] else {
        return Err(bad("expected four numbers: minlon,minlat,maxlon,maxlat"));
    };
    let lo = LonLat::new(x0, y0).map_err(|e| bad(&e.to_string()))?;
    let hi = LonLat::new(x1, y1).map_err(|e| bad(&e.to_string()))?;
    if lo.lon > hi.lon || lo.lat > hi.lat {
        return Err(bad(
            "the minimum corner must be south-west of the maximum corner",
        ));
    }
    if hi.lon - lo.lon > MAX_BBOX_DEGREES || hi.lat - lo.lat > MAX_BBOX_DEGREES {
        return Err(bad(&format!(
            "spans more than {MAX_BBOX_DEGREES}° in longitude or latitude; ask for a smaller area"
        )));
    }
    Ok(Rect::new(Coord::from(lo), Coord::from(hi)))
}

async fn layer(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let layer: Layer = name
        .parse()
        .map_err(|e: citygrid_core::layer::UnknownLayer| ApiError::NotFound(e.to_string()))?;
    if layer == Layer::Officers {
        return Err(ApiError::NotFound(
            "officers are not a map layer".to_owned(),
        ));
    }
    let bbox = params.text("bbox").map(parse_bbox).transpose()?;
    let atlas = state.district.atlas();
    let body = layer_geojson(atlas.base(), layer, bbox.as_ref());
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_parsing() {
        assert!(parse_bbox("116.7,33.9,116.9,34.0").is_ok());
        for bad in ["1,2,3", "a,b,c,d", "116.9,33.9,116.7,34.0", "0,0,200,10"] {
            assert!(
                matches!(parse_bbox(bad), Err(ApiError::BadParam { ref field, .. }) if field == "bbox"),
                "{bad}"
            );
        }
    }
}
