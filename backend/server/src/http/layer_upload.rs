//! An uploaded layer file and the query that says how to read it: the reading options (each
//! bad one a 422 naming its parameter), the files, and a refusal as a problem listing every
//! bad feature.

use axum::http::StatusCode;
use citygrid_core::api::layers::ImportQuery;
use citygrid_core::layer::Layer;

use super::ApiError;
use super::error::problem;
use crate::import::{DatumShift, ImportError, ReadOptions, SourceCrs, SourceFile};
use citygrid_core::api::Problem;

/// A `crs` parameter of an import or an export: none when absent or blank.
pub fn crs_param(text: Option<&str>) -> Result<Option<SourceCrs>, ApiError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse::<SourceCrs>()
            .map(Some)
            .map_err(|e| ApiError::param("crs", e.to_string())),
    }
}

/// The reading options of an import's query.
pub fn read_options(query: &ImportQuery) -> Result<ReadOptions, ApiError> {
    let crs = crs_param(query.crs.as_deref())?;
    let shift = match query.towgs84.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<DatumShift>()
                .map_err(|e| ApiError::param("towgs84", e.to_string()))?,
        ),
    };
    let encoding = match query.encoding.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(crate::import::encoding_by_name(name).ok_or_else(|| {
            ApiError::param(
                "encoding",
                format!("{name:?} is not an encoding (UTF-8, GBK, GB18030, Big5 …)"),
            )
        })?),
    };
    let fields = query
        .fields
        .iter()
        .flat_map(|f| f.split([',', '，']))
        .filter(|pair| !pair.trim().is_empty())
        .map(crate::import::parse_field_mapping)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::param("fields", e))?;
    Ok(ReadOptions {
        crs,
        shift,
        fields,
        encoding,
    })
}

/// The files of an upload, read as the query says.
pub async fn read(
    body: &[u8],
    options: &ReadOptions,
    query: &ImportQuery,
    layer: Layer,
) -> Result<Vec<SourceFile>, ApiError> {
    crate::import::open_files::read_upload(body, options, query.table.as_deref())
        .await
        .map_err(|e| ApiError::from(refused(layer, &e)))
}

/// A refused file: 422, every bad feature listed, the layer unchanged.
pub fn refused(layer: Layer, e: &ImportError) -> Problem {
    let detail = match e {
        ImportError::Invalid { errors } => format!(
            "{} invalid feature(s); the {layer} layer was not changed",
            errors.len()
        ),
        other => format!("{other}; the {layer} layer was not changed"),
    };
    let mut p = problem(StatusCode::UNPROCESSABLE_ENTITY, detail).at("body");
    p.errors = Some(e.api_errors());
    p
}
