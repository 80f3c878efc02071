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
            CsvImportError::Record(e) => e.into(),
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

/// A day of a query, within the years records may lie in; a 422 naming the parameter else.
pub fn query_day(
    field: &str,
    day: Option<chrono::NaiveDate>,
) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match day {
        Some(d) => crate::record_error::check_day(field, d)
            .map(|()| Some(d))
            .map_err(|_| {
                ApiError::param(
                    field,
                    format!(
                        "{d} is not a day between {} and {}",
                        crate::record_error::YEARS.start(),
                        crate::record_error::YEARS.end()
                    ),
                )
            }),
        None => Ok(None),
    }
}

/// The days a figures query covers: `from` (default the first day of the current quarter) to
/// `to` (default today), local days by `tz`, at most ten years.
pub fn figure_days(
    tz: chrono_tz::Tz,
    q: &citygrid_core::api::approvals::FiguresQuery,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    use chrono::Datelike;
    let today = now.with_timezone(&tz).date_naive();
    let quarter_start =
        chrono::NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)
            .unwrap_or(today);
    let from = query_day("from", q.from)?.unwrap_or(quarter_start);
    let to = query_day("to", q.to)?.unwrap_or(today);
    if to < from {
        return Err(ApiError::param("to", "the last day lies before the first"));
    }
    if (to - from).num_days() > 3660 {
        return Err(ApiError::param("to", "at most ten years at once"));
    }
    Ok((from, to))
}
