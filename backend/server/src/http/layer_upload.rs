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

/// The reading options of an import's query.
pub fn read_options(query: &ImportQuery) -> Result<ReadOptions, ApiError> {
    let crs = match query.crs.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<SourceCrs>()
                .map_err(|e| ApiError::param("crs", e.to_string()))?,
        ),
    };
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
    let mut fields = Vec::new();
    for pair in query.fields.iter().flat_map(|f| f.split([',', '，'])) {
        if pair.trim().is_empty() {
            continue;
        }
        match pair.split_once('=') {
            Some((ours, theirs)) if !ours.trim().is_empty() && !theirs.trim().is_empty() => {
                fields.push((ours.trim().to_owned(), theirs.trim().to_owned()));
            }
            _ => {
                return Err(ApiError::param(
                    "fields",
                    format!("{pair:?}: give citygrid's field and the file's, as code=网格号"),
                ));
            }
        }
    }
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
