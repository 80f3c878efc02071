//! The one API error type, rendered as RFC 7807 problem+json.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::district::DistrictError;
use crate::import::ImportError;
use crate::store::StoreError;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter or body field is missing or wrong.
    #[error("{field}: {problem}")]
    BadParam { field: String, problem: String },
    /// The request body could not be read as the JSON expected.
    #[error("{0}")]
    BadBody(String),
    /// An uploaded file was rejected; nothing was applied.
    #[error(transparent)]
    Import(ImportError),
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    TooLarge(String),
    /// Any other problem, with extension members (e.g. the actions allowed, address candidates).
    #[error("{detail}")]
    Problem {
        status: StatusCode,
        detail: String,
        field: Option<String>,
        members: serde_json::Map<String, serde_json::Value>,
    },
    /// A fault on our side: logged, never shown to the client.
    #[error("internal error: {0}")]
    Internal(String),
    /// The database cannot be reached for now: 503 with `Retry-After`; the cause is logged.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

/// Seconds a client is asked to wait when the database is unavailable.
const RETRY_AFTER_SECONDS: u64 = 5;

impl From<&StoreError> for ApiError {
    fn from(e: &StoreError) -> Self {
        if e.is_unavailable() {
            ApiError::Unavailable(e.to_string())
        } else {
            ApiError::Internal(e.to_string())
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::from(&e)
    }
}

impl ApiError {
    pub fn param(field: &str, problem: impl Into<String>) -> Self {
        ApiError::BadParam {
            field: field.to_owned(),
            problem: problem.into(),
        }
    }

    /// 401: no live session came with the request.
    pub fn unauthenticated() -> Self {
        ApiError::Problem {
            status: StatusCode::UNAUTHORIZED,
            detail: "log in first (a session cookie or an Authorization: Bearer token)".into(),
            field: None,
            members: serde_json::Map::new(),
        }
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Problem {
            status: StatusCode::FORBIDDEN,
            detail: detail.into(),
            field: None,
            members: serde_json::Map::new(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParam { .. } | ApiError::BadBody(_) | ApiError::Import(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Problem { status, .. } => *status,
        }
    }
}

impl From<crate::cases::CaseError> for ApiError {
    fn from(e: crate::cases::CaseError) -> Self {
        use crate::cases::CaseError as E;
        let problem = |status, detail: String, field: Option<&str>, members: serde_json::Value| {
            ApiError::Problem {
                status,
                detail,
                field: field.map(str::to_owned),
                members: members.as_object().cloned().unwrap_or_default(),
            }
        };
        match e {
            E::Field { field, problem: p } => ApiError::BadParam {
                field: field.to_owned(),
                problem: p,
            },
            E::Ambiguous { ref candidates } => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.to_string(),
                Some("address"),
                json!({ "candidates": candidates }),
            ),
            E::NotFound(_) => ApiError::NotFound(e.to_string()),
            E::NotAllowed {
                status,
                ref allowed,
                ..
            } => problem(
                StatusCode::CONFLICT,
                e.to_string(),
                Some("action"),
                json!({ "status": status, "allowed": allowed }),
            ),
            E::Forbidden { .. } => problem(
                StatusCode::FORBIDDEN,
                e.to_string(),
                Some("action"),
                json!({}),
            ),
            E::Conflict { current } => problem(
                StatusCode::CONFLICT,
                e.to_string(),
                Some("version"),
                json!({ "version": current }),
            ),
            E::Store(s) => s.into(),
        }
    }
}

impl From<DistrictError> for ApiError {
    fn from(e: DistrictError) -> Self {
        match e {
            DistrictError::Import(e) => ApiError::Import(e),
            DistrictError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let title = status.canonical_reason().unwrap_or("Error");
        let mut body = json!({
            "type": "about:blank",
            "title": title,
            "status": status.as_u16(),
        });
        match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                body["detail"] = json!("an internal error occurred; it has been logged");
            }
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                body["detail"] = json!(format!(
                    "the database cannot be reached at the moment; try again in {RETRY_AFTER_SECONDS} s"
                ));
            }
            ApiError::BadParam { field, problem } => {
                body["detail"] = json!(self.to_string());
                body["field"] = json!(field);
                body["problem"] = json!(problem);
            }
            ApiError::Import(e) => {
                body["detail"] = json!(e.to_string());
                let errors: Vec<_> = e
                    .feature_errors()
                    .iter()
                    .map(|f| json!({ "index": f.index, "code": f.code, "field": f.field, "problem": f.problem }))
                    .collect();
                body["errors"] = json!(errors);
            }
            ApiError::Problem {
                detail,
                field,
                members,
                ..
            } => {
                body["detail"] = json!(detail);
                if let Some(field) = field {
                    body["field"] = json!(field);
                }
                for (k, v) in members {
                    body[k] = v.clone();
                }
            }
            other => body["detail"] = json!(other.to_string()),
        }
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(body),
        )
            .into_response();
        if matches!(self, ApiError::Unavailable(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
        }
        response
    }
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no such resource: {}", uri.path()))
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Turns a client-error answer made outside our handlers (axum's own: a body over the size
/// limit, a malformed request) into problem+json, so that every `/api/v1` error has one form.
pub async fn problem_for_plain_errors(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/problem+json"));
    if !status.is_client_error() || is_problem || status == StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than this endpoint accepts".to_owned()
        }
        other => other.canonical_reason().unwrap_or("bad request").to_owned(),
    };
    let body = json!({ "type": "about:blank", "title": status.canonical_reason().unwrap_or("Error"), "status": status.as_u16(), "detail": detail });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn answer(e: ApiError) -> (StatusCode, Option<String>, serde_json::Value) {
        let response = e.into_response();
        let status = response.status();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, retry, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn an_unreachable_database_is_a_503_to_retry_and_other_store_faults_a_500() {
        for unreachable in [
            StoreError::Database(sqlx::Error::PoolTimedOut),
            StoreError::Database(sqlx::Error::PoolClosed),
            StoreError::Database(sqlx::Error::Io(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
            StoreError::Locked("a restore holds it".into()),
        ] {
            let (status, retry, body) = answer(unreachable.into()).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(retry.as_deref(), Some("5"));
            assert_eq!(body["status"], 503);
            // The cause stays in the log.
            assert!(!body.to_string().contains("restore"), "{body}");
        }
        let broken = StoreError::Corrupt {
            table: "cases",
            fid: 7,
            reason: "bad".into(),
        };
        let (status, retry, body) = answer(broken.into()).await;
        assert_eq!((status, retry), (StatusCode::INTERNAL_SERVER_ERROR, None));
        assert!(!body.to_string().contains("cases"), "{body}");
    }
}
