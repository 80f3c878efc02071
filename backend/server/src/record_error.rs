//! Why a campaign, an action or an application was not recorded or changed. Nothing was
//! stored: every field is checked before the store is touched.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A field of the body that does not fit (422).
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
    /// A field that fits, but not the record as it stands (409): a decision on a decided
    /// application, a period that would leave actions outside it.
    #[error("{field}: {problem}")]
    Conflict { field: String, problem: String },
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RecordError {
    pub fn field(field: impl Into<String>, problem: impl Into<String>) -> Self {
        RecordError::Field {
            field: field.into(),
            problem: problem.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, problem: impl Into<String>) -> Self {
        RecordError::Conflict {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl From<citygrid_core::campaign::FieldError> for RecordError {
    fn from(e: citygrid_core::campaign::FieldError) -> Self {
        RecordError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

/// The years a record's dates may lie in (both databases keep every day of them).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// A day within [`YEARS`].
pub fn check_day(field: &str, day: chrono::NaiveDate) -> Result<(), RecordError> {
    use chrono::Datelike;
    if YEARS.contains(&day.year()) {
        Ok(())
    } else {
        Err(RecordError::field(
            field,
            format!(
                "{day} is not a day between {} and {}",
                YEARS.start(),
                YEARS.end()
            ),
        ))
    }
}

/// A point that is a real longitude and latitude.
pub fn check_point(field: &str, p: citygrid_core::LonLat) -> Result<(), RecordError> {
    if p.lon.is_finite() && p.lat.is_finite() && p.lon.abs() <= 180.0 && p.lat.abs() <= 90.0 {
        Ok(())
    } else {
        Err(RecordError::field(
            field,
            "must be a longitude and latitude in degrees",
        ))
    }
}

/// Text trimmed, `None` when nothing is left.
pub fn trimmed(text: Option<&String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Text that must be given, trimmed, at most `max` characters.
pub fn required(field: &str, text: &str, max: usize) -> Result<String, RecordError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(RecordError::field(field, "must be given"));
    }
    if t.chars().count() > max {
        return Err(RecordError::field(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// Why a CSV file was not imported. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum CsvImportError {
    #[error("the file is not CSV with a header row: {0}")]
    Format(String),
    #[error("{} invalid row(s); nothing was imported", .0.len())]
    Rows(Vec<citygrid_core::api::cases::RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The rows fit, but not what is stored now (it changed meanwhile).
    #[error(transparent)]
    Record(RecordError),
}

/// A list cell split at `;` (also the full-width `；` and `、`).
pub fn split_cell(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("")
        .split([';', '；', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
