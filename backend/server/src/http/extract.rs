//! Requests read into their types: a JSON body ([`Body`]) and a query string ([`Query`]),
//! each through serde, so that a value that does not fit names its field by its path
//! (`reporter.phone`, `points[3].lat`) in the same problem+json answer as every other error.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;

/// A JSON request body read as `T`. The request must say it is JSON (`application/json` or a
/// `+json` type): a browser sends a cross-site form or `text/plain` body without asking the
/// server first, but never a JSON one, so this refusal (415) closes every cross-site write that
/// does not carry a CSRF token, logging in included.
#[derive(Debug, Clone)]
pub struct Body<T>(pub T);

/// Whether a `Content-Type` value names JSON.
pub fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let declared = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !is_json(declared) {
            return Err(super::error::problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("the body must be sent as Content-Type: application/json (it came as {declared:?})"),
            )
            .at("content-type")
            .into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge("the request body is larger than this endpoint accepts".into())
            } else {
                ApiError::BadBody(e.body_text())
            }
        })?;
        json(&bytes).map(Body)
    }
}

/// Reads JSON as `T`; what does not fit is named by its path.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadBody(format!("the body is not valid JSON: {inner}"));
        }
        let message = inner.to_string();
        let position = format!(" at line {} column {}", inner.line(), inner.column());
        let message = message.strip_suffix(&position).unwrap_or(&message);
        field_error(&path, message, "the body")
    })
}

/// Reads a JSON value as `T`; what does not fit is named by its path.
pub fn value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        field_error(&path, &e.into_inner().to_string(), "the body")
    })
}

/// A query string read as `T`; parameters given empty count as absent.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Reads a query string as `T`.
pub fn query<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let given: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(text.as_bytes()).filter(|(_, v)| !v.trim().is_empty()))
        .finish();
    let reader = serde_urlencoded::Deserializer::new(form_urlencoded::parse(given.as_bytes()));
    serde_path_to_error::deserialize(reader).map_err(|e| {
        let path = e.path().to_string();
        field_error(&path, &e.into_inner().to_string(), "the query")
    })
}

/// The error for a value at `path`: a missing field is named itself.
fn field_error(path: &str, message: &str, whole: &str) -> ApiError {
    let under = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return ApiError::param(&under(name), "is required");
    }
    if path == "." || path.is_empty() {
        return ApiError::BadBody(format!("{whole} does not fit: {message}"));
    }
    ApiError::param(path, plain(message))
}

/// serde's words for a mistake, in the API's.
fn plain(message: &str) -> String {
    match message {
        "invalid digit found in string" | "cannot parse integer from empty string" => {
            "expected a whole number".to_owned()
        }
        "invalid float literal" => "expected a number".to_owned(),
        "provided string was not `true` or `false`" => "expected true or false".to_owned(),
        m => m.to_owned(),
    }
}

/// A count such as a page size: `default` when absent, else a whole number from 1 to `max`.
pub fn count(
    value: Option<usize>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let n = value.unwrap_or(default);
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::param(
            name,
            format!("must be between 1 and {max}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygrid_core::api::query::{List, When};

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Reporter {
        name: String,
        phone: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Report {
        category: String,
        lon: Option<f64>,
        reporter: Option<Reporter>,
        points: Option<Vec<[f64; 2]>>,
    }

    fn named(e: ApiError) -> String {
        match e {
            ApiError::BadParam { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_body_field_that_does_not_fit_is_named_by_its_path() {
        let err = |text: &str| json::<Report>(text.as_bytes()).unwrap_err();
        assert_eq!(named(err(r#"{"lon": 1}"#)), "category");
        assert_eq!(named(err(r#"{"category": "0501", "lon": "east"}"#)), "lon");
        assert_eq!(
            named(err(r#"{"category": "0501", "reporter": {"name": 5}}"#)),
            "reporter.name"
        );
        assert_eq!(
            named(err(r#"{"category": "0501", "reporter": {}}"#)),
            "reporter.name"
        );
        assert_eq!(
            named(err(r#"{"category": "0501", "points": [[1, 2], [3, "x"]]}"#)),
            "points[1][1]"
        );
        assert!(matches!(err("{"), ApiError::BadBody(_)));
        assert!(matches!(err("7"), ApiError::BadBody(_)));
        let ok: Report = json(br#"{"category": "0501", "lon": null}"#).unwrap();
        assert_eq!(ok.lon, None);
    }

    #[derive(Debug, serde::Deserialize)]
    struct Filter {
        limit: Option<usize>,
        status: Option<List<citygrid_core::case::Status>>,
        from: Option<When>,
        overdue: Option<bool>,
    }

    #[test]
    fn query_parameters_are_typed_and_empty_ones_absent() {
        let f: Filter =
            query("limit=20&status=reported,closed&from=2026-11-01&overdue=true").unwrap();
        assert_eq!(f.limit, Some(20));
        assert_eq!(f.status.unwrap().0.len(), 2);
        assert!(f.from.is_some() && f.overdue == Some(true));
        let f: Filter = query("limit=&status=%20").unwrap();
        assert!(f.limit.is_none() && f.status.is_none());
        for (bad, field) in [
            ("limit=many", "limit"),
            ("status=lost", "status"),
            ("from=yesterday", "from"),
            ("overdue=maybe", "overdue"),
        ] {
            assert_eq!(named(query::<Filter>(bad).unwrap_err()), field, "{bad}");
        }
        assert_eq!(count(None, "limit", 50, 500).unwrap(), 50);
        assert!(count(Some(0), "limit", 50, 500).is_err());
    }
}
