//! The one API error type, rendered as RFC 7807 problem+json ([`Problem`]).

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use citygrid_core::api::Problem;

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
    /// Any other refusal, with its own members (the actions allowed, address candidates).
    #[error("{}", .0.detail)]
    Refused(Box<Problem>),
    /// A fault on our side: logged, never shown to the client.
    #[error("internal error: {0}")]
    Internal(String),
    /// The database cannot be reached for now: 503 with `Retry-After`; the cause is logged.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Heavy work refused for now (its lane is full): 503 with `Retry-After`.
    #[error("{detail}")]
    Busy { detail: String, retry_after: u64 },
    /// Too many requests from one address at one door: 429 with `Retry-After`.
    #[error("too many requests from this address; try again in {retry_after} s")]
    TooMany { retry_after: u64 },
}

/// Seconds a client is asked to wait when the database is unavailable.
const RETRY_AFTER_SECONDS: u64 = 5;

/// A problem with `status`, its title and `detail`; more members are set on it before it is
/// turned into an [`ApiError`].
pub fn problem(status: StatusCode, detail: impl Into<String>) -> Problem {
    Problem::new(
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error"),
        detail,
    )
}

/// A CSV import refused for its rows (422): `detail`, and each bad row by line and column.
pub fn rows_refused(
    detail: impl Into<String>,
    rows: Vec<citygrid_core::api::cases::RowError>,
) -> ApiError {
    let mut p = problem(StatusCode::UNPROCESSABLE_ENTITY, detail);
    p.errors = Some(
        rows.into_iter()
            .map(citygrid_core::api::cases::RowError::into_feature_error)
            .collect(),
    );
    p.into()
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError::Refused(Box::new(p))
    }
}

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
        problem(
            StatusCode::UNAUTHORIZED,
            "log in first (a session cookie or an Authorization: Bearer token)",
        )
        .into()
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        problem(StatusCode::FORBIDDEN, detail).into()
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
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Refused(p) => {
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST)
            }
        }
    }

    /// The seconds a client should wait before trying again, if it should.
    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Unavailable(_) => Some(RETRY_AFTER_SECONDS),
            ApiError::TooMany { retry_after } | ApiError::Busy { retry_after, .. } => {
                Some(*retry_after)
            }
            // A login held back until a time: the seconds until then.
            ApiError::Refused(p) => p.locked_until.map(|until| {
                u64::try_from((until - chrono::Utc::now()).num_seconds().max(1)).unwrap_or(1)
            }),
            _ => None,
        }
    }

    /// The body: what the client is told.
    fn into_problem(self) -> Problem {
        let status = self.status();
        match self {
            ApiError::Refused(p) => *p,
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                problem(status, "an internal error occurred; it has been logged")
            }
            ApiError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                problem(
                    status,
                    format!(
                        "the database cannot be reached at the moment; try again in {RETRY_AFTER_SECONDS} s"
                    ),
                )
            }
            ApiError::BadParam {
                ref field,
                problem: ref what,
            } => {
                let mut p = problem(status, self.to_string()).at(field.clone());
                p.problem = Some(what.clone());
                p
            }
            ApiError::Import(ref e) => {
                let mut p = problem(status, e.to_string());
                p.errors = Some(e.api_errors());
                p
            }
            other => problem(status, other.to_string()),
        }
    }
}

impl From<crate::cases::CaseError> for ApiError {
    fn from(e: crate::cases::CaseError) -> Self {
        use crate::cases::CaseError as E;
        let detail = e.to_string();
        match e {
            E::Field { field, problem: p } => ApiError::BadParam {
                field: field.to_owned(),
                problem: p,
            },
            E::Ambiguous { candidates } => {
                let mut p = problem(StatusCode::UNPROCESSABLE_ENTITY, detail).at("address");
                p.candidates = Some(candidates);
                p.into()
            }
            E::NotFound(_) => ApiError::NotFound(detail),
            E::NotAllowed {
                status, allowed, ..
            } => {
                let mut p = problem(StatusCode::CONFLICT, detail).at("action");
                p.case_status = Some(status);
                p.allowed = Some(allowed);
                p.into()
            }
            E::Forbidden { .. } => problem(StatusCode::FORBIDDEN, detail).at("action").into(),
            E::Conflict { current } => {
                let mut p = problem(StatusCode::CONFLICT, detail).at("version");
                p.version = Some(current);
                p.into()
            }
            E::OutsideDistrict => ApiError::param("location", detail),
            E::Store(s) => s.into(),
        }
    }
}

impl From<crate::heavy::HeavyError> for ApiError {
    fn from(e: crate::heavy::HeavyError) -> Self {
        use crate::heavy::HeavyError as H;
        match e {
            H::Busy { retry_after, .. } => ApiError::Busy {
                detail: e.to_string(),
                retry_after,
            },
            H::OverBudget { .. } => problem(StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into(),
            H::Failed { .. } => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<crate::statistics::StatsError> for ApiError {
    fn from(e: crate::statistics::StatsError) -> Self {
        use crate::statistics::StatsError as S;
        match e {
            S::TooLarge { param, problem } => ApiError::param(param, problem),
            S::By(p) => ApiError::param("by", p),
            S::Stopped(_) => ApiError::Internal(e.to_string()),
            S::Heavy(h) => h.into(),
            S::Store(s) => s.into(),
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
        let retry_after = self.retry_after();
        let mut response = problem_response(status, &self.into_problem());
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

fn problem_response(status: StatusCode, body: &Problem) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(body),
    )
        .into_response()
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
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than this endpoint accepts",
        other => other.canonical_reason().unwrap_or("bad request"),
    };
    problem_response(status, &problem(status, detail))
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

    #[tokio::test]
    async fn a_refused_action_keeps_the_http_status_and_names_the_case_status_apart() {
        use citygrid_core::case::{Action, Status};
        let refused = crate::cases::CaseError::NotAllowed {
            status: Status::Closed,
            action: Action::Comment,
            allowed: vec![],
        };
        let (status, retry, body) = answer(refused.into()).await;
        assert_eq!((status, retry), (StatusCode::CONFLICT, None));
        assert_eq!(body["status"], 409);
        assert_eq!(body["case_status"], "closed");
        assert_eq!(body["allowed"], serde_json::json!([]));
        assert_eq!(body["field"], "action");
        assert!(body.get("candidates").is_none(), "{body}");
    }

    #[tokio::test]
    async fn too_many_requests_say_when_to_try_again() {
        let (status, retry, body) = answer(ApiError::TooMany { retry_after: 3 }).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry.as_deref(), Some("3"));
        assert_eq!(body["title"], "Too Many Requests");
    }
}
