//! The answers to a refused campaign, action or application, and to a refused CSV import:
//! a field that does not fit is a 422 naming it, a change the record as it stands does not
//! allow a 409 naming it, a missing record a 404.

use axum::http::StatusCode;

use super::ApiError;
use super::error::problem;
use crate::record_error::{CsvImportError, RecordError};

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::Field { field, problem: p } => {
                problem(StatusCode::UNPROCESSABLE_ENTITY, format!("{field}: {p}"))
                    .at(&field)
                    .into()
            }
            RecordError::Conflict { field, problem: p } => {
                problem(StatusCode::CONFLICT, format!("{field}: {p}"))
                    .at(&field)
                    .into()
            }
            RecordError::NotFound(what) => ApiError::NotFound(what),
            RecordError::Store(e) => e.into(),
        }
    }
}

impl From<CsvImportError> for ApiError {
    fn from(e: CsvImportError) -> Self {
        match e {
            CsvImportError::Format(e) => ApiError::BadBody(e),
            CsvImportError::Rows(rows) => super::error::rows_refused(
                format!("{} invalid row(s); nothing was imported", rows.len()),
                rows,
            ),
            CsvImportError::Store(e) => e.into(),
        }
    }
}

/// An id in a path: a positive whole number, else the 404 naming what was asked for.
pub fn path_id(what: &str, id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::NotFound(format!("no {what} {id}")))
}
