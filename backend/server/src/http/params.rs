//! Query parameters read by name, with errors that name the parameter.

use std::collections::HashMap;
use std::str::FromStr;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

use super::ApiError;

/// The most values one comma-separated filter may list.
pub const MAX_LIST: usize = 50;

/// The query string as a map; typed reads name the bad parameter.
#[derive(Debug)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::param("query", e.body_text()))?;
        Ok(Params(map))
    }
}

impl Params {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    pub fn required<T: FromStr>(&self, name: &str, what: &str) -> Result<T, ApiError> {
        self.optional(name, what)?
            .ok_or_else(|| ApiError::param(name, format!("is required ({what})")))
    }

    pub fn optional<T: FromStr>(&self, name: &str, what: &str) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|v| {
                v.trim()
                    .parse::<T>()
                    .map_err(|_| ApiError::param(name, format!("expected {what}, got {v:?}")))
            })
            .transpose()
    }

    /// A comma-separated list, each value parsed; at most [`MAX_LIST`] values.
    pub fn list<T: FromStr>(&self, name: &str) -> Result<Vec<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        let Some(text) = self.text(name) else {
            return Ok(Vec::new());
        };
        if text.split(',').count() > MAX_LIST {
            return Err(ApiError::param(name, format!("at most {MAX_LIST} values")));
        }
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<T>()
                    .map_err(|e| ApiError::param(name, e.to_string()))
            })
            .collect()
    }

    /// A count such as a page size: a whole number from 1 to `max`, `default` when absent.
    pub fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let n = self
            .optional::<usize>(name, "a whole number")?
            .unwrap_or(default);
        if !(1..=max).contains(&n) {
            return Err(ApiError::param(
                name,
                format!("must be between 1 and {max}"),
            ));
        }
        Ok(n)
    }

    /// A time as RFC 3339, or a date (midnight UTC).
    pub fn time(&self, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        let Some(text) = self.text(name) else {
            return Ok(None);
        };
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(Some(t.with_timezone(&chrono::Utc)));
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Some(t.and_utc()))
            .ok_or_else(|| {
                ApiError::param(name, "expected a date (2026-11-27) or an RFC 3339 time")
            })
    }

    /// A parameter parsed by its type's own `FromStr`, whose error message is shown.
    pub fn parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.text(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| ApiError::param(name, e.to_string()))
            })
            .transpose()
    }
}
