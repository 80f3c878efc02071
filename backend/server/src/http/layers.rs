//! `GET /layers/{layer}`: a base layer as GeoJSON, optionally within a bounding box;
//! `PUT /layers/{layer}`: replace it from a file.

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use citygrid_core::api::layers::{ImportQuery, ImportReport, LayerQuery};
use citygrid_core::api::query::Bbox;
use citygrid_core::layer::Layer;
use geo::{Coord, Rect};

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::Query;
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
        .queries::<LayerQuery>()
        .answers::<serde_json::Value>()
        .ok(200, "application/geo+json"),
        Endpoint::new(
            "put",
            "/layers/{layer}",
            "district",
            "Replace a base layer from a file (GeoJSON; officers CSV or JSON), all or nothing",
            put(replace).layer(DefaultBodyLimit::max(MAX_LAYER_BYTES)),
        )
        .access(Permission::ManageLayers)
        .queries::<ImportQuery>()
        .body(
            "application/geo+json",
            "a FeatureCollection of the layer's features",
        )
        .answers::<ImportReport>()
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
    Query(query): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let layer: Layer = name
        .parse()
        .map_err(|e: citygrid_core::layer::UnknownLayer| ApiError::NotFound(e.to_string()))?;
    if layer == Layer::Addresses {
        return Err(ApiError::NotFound(
            "address points come with an OpenStreetMap import, not on their own".to_owned(),
        ));
    }
    let crs = query.crs.unwrap_or_default();
    let format = crate::import::detect_format("", &body);
    match state
        .district
        .import_layer(layer, &body, format, &crs.into())
        .await
    {
        Ok(report) => Ok(Json(report)),
        Err(crate::district::DistrictError::Import(e)) => {
            let detail = match &e {
                crate::import::ImportError::Invalid { errors } => format!(
                    "{} invalid feature(s); the {layer} layer was not changed",
                    errors.len()
                ),
                other => format!("{other}; the {layer} layer was not changed"),
            };
            let mut p = problem(axum::http::StatusCode::UNPROCESSABLE_ENTITY, detail).at("body");
            p.errors = Some(e.api_errors());
            Err(p.into())
        }
        Err(crate::district::DistrictError::Store(e)) => Err(e.into()),
    }
}

/// The area of a `bbox` parameter.
pub fn rect(b: &Bbox) -> Rect {
    Rect::new(Coord::from(b.min), Coord::from(b.max))
}

async fn layer(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<LayerQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let layer: Layer = name
        .parse()
        .map_err(|e: citygrid_core::layer::UnknownLayer| ApiError::NotFound(e.to_string()))?;
    if layer == Layer::Officers {
        return Err(ApiError::NotFound(
            "officers are not a map layer".to_owned(),
        ));
    }
    let bbox = query.bbox.as_ref().map(rect);
    let atlas = state.district.atlas();
    let body = layer_geojson(atlas.base(), layer, bbox.as_ref());
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)))
}
