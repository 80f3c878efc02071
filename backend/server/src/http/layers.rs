//! `GET /layers/{layer}`: a base layer as GeoJSON, optionally within a bounding box;
//! `PUT /layers/{layer}`: replace it from a file.

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use citygrid_core::api::layers::{
    ImportQuery, ImportReport, LayerFormat, LayerPreview, LayerQuery,
};
use citygrid_core::api::query::Bbox;
use citygrid_core::layer::Layer;
use geo::{Coord, Rect};

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::extract::Query;
use super::{ApiError, AppState};
use crate::export::gis::{self, ExportOptions, GisFormat};
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
            "Replace a base layer from a file (GeoJSON, a .zip of Shapefiles, a GeoPackage; \
             officers CSV or JSON), all or nothing",
            put(replace).layer(DefaultBodyLimit::max(MAX_LAYER_BYTES)),
        )
        .access(Permission::ManageLayers)
        .queries::<ImportQuery>()
        .body(
            "application/octet-stream",
            "GeoJSON, a .zip of Shapefiles, or a GeoPackage (officers: CSV or JSON)",
        )
        .answers::<ImportReport>()
        .ok(200, "application/json"),
        Endpoint::new(
            "post",
            "/layers/{layer}/preview",
            "district",
            "What replacing a base layer from a file would do (counts, coordinate system, \
             encoding, field mapping, extent, first errors); changes nothing",
            post(preview).layer(DefaultBodyLimit::max(MAX_LAYER_BYTES)),
        )
        .access(Permission::ManageLayers)
        .queries::<ImportQuery>()
        .body(
            "application/octet-stream",
            "GeoJSON, a .zip of Shapefiles, or a GeoPackage",
        )
        .answers::<LayerPreview>()
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
    let layer = importable(&name)?;
    let result = if layer == Layer::Officers {
        let format = crate::import::detect_format("", &body);
        let wgs84 = crate::import::SourceCrs::default();
        state
            .district
            .import_layer(layer, &body, format, &wgs84)
            .await
    } else {
        let options = super::layer_upload::read_options(&query)?;
        let files = super::layer_upload::read(&body, &options, &query, layer).await?;
        state.district.import_files(layer, files, &options).await
    };
    match result {
        Ok(mut report) => {
            if layer == Layer::Sections {
                report
                    .warnings
                    .extend(crate::assessments::periods::unknown_rules(
                        &state.district.atlas().base().sections,
                        &state.checklists.current(),
                    ));
            }
            Ok(Json(report))
        }
        Err(crate::district::DistrictError::Import(e)) => {
            Err(super::layer_upload::refused(layer, &e).into())
        }
        Err(crate::district::DistrictError::Store(e)) => Err(e.into()),
    }
}

/// `POST /layers/{layer}/preview`: the import's reading of the file, without the import.
async fn preview(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<LayerPreview>, ApiError> {
    let layer = importable(&name)?;
    if layer == Layer::Officers {
        return Err(ApiError::NotFound(
            "officers have no map layer to preview".to_owned(),
        ));
    }
    let options = super::layer_upload::read_options(&query)?;
    let files = super::layer_upload::read(&body, &options, &query, layer).await?;
    // Reading a large file is heavy work: in the export lane, within its budget.
    let answer = state
        .heavy
        .run(crate::heavy::Kind::Export, move |_| {
            crate::import::preview(layer, files, &options)
        })
        .await?;
    answer
        .map(Json)
        .map_err(|e| super::layer_upload::refused(layer, &e).into())
}

/// A layer a file may replace.
fn importable(name: &str) -> Result<Layer, ApiError> {
    let layer: Layer = name
        .parse()
        .map_err(|e: citygrid_core::layer::UnknownLayer| ApiError::NotFound(e.to_string()))?;
    if layer == Layer::Addresses {
        return Err(ApiError::NotFound(
            "address points come with an OpenStreetMap import, not on their own".to_owned(),
        ));
    }
    Ok(layer)
}

/// The area of a `bbox` parameter.
pub fn rect(b: &Bbox) -> Rect {
    Rect::new(Coord::from(b.min), Coord::from(b.max))
}

async fn layer(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<LayerQuery>,
) -> Result<Response, ApiError> {
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
    let for_gis = query.format.is_some_and(|f| f != LayerFormat::Geojson)
        || query.crs.is_some()
        || query.names.is_some();
    if for_gis {
        return gis_file(&state, layer, &query).await;
    }
    let body = layer_geojson(atlas.base(), layer, bbox.as_ref());
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response())
}

/// A layer as a file for the bureau's GIS, in its system, as an attachment.
async fn gis_file(
    state: &AppState,
    layer: Layer,
    query: &LayerQuery,
) -> Result<Response, ApiError> {
    let format = match query.format.unwrap_or(LayerFormat::Geojson) {
        LayerFormat::Geojson => GisFormat::GeoJson,
        LayerFormat::Gpkg => GisFormat::GeoPackage,
        LayerFormat::Shp => GisFormat::Shapefile,
    };
    let crs = super::layer_upload::crs_param(query.crs.as_deref())?.unwrap_or_default();
    let chinese_names = match query.names.as_deref() {
        None | Some("" | "citygrid") => false,
        Some("zh") => true,
        Some(other) => {
            return Err(ApiError::param(
                "names",
                format!("{other:?}: zh for Chinese field names, or leave it out"),
            ));
        }
    };
    let encoding = match query.encoding.as_deref().map(str::trim) {
        None | Some("") => encoding_rs::GBK,
        Some(name) => gis::shapefile_encoding(name)
            .ok_or_else(|| ApiError::param("encoding", format!("{name:?}: gbk or utf-8")))?,
    };
    let options = ExportOptions {
        crs,
        chinese_names,
        encoding,
    };
    gis::target(&options).map_err(|e| ApiError::param("crs", e.to_string()))?;
    let atlas = state.district.atlas();
    let work = async move { gis::layer(atlas.base(), layer, format, &options).await };
    let bytes = state
        .heavy
        .run_async(crate::heavy::Kind::Export, work)
        .await?
        .map_err(|e| ApiError::param("format", e.to_string()))?;
    let disposition = format!("attachment; filename=\"{layer}.{}\"", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
