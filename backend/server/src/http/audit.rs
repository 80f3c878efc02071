//! Every change made through the API, and every export, goes into the audit log: who (the
//! session's user, or `anonymous`), from where (the client's address), what (method, path,
//! query, what the handler noted, and the status). Reads are not logged, except exports of
//! cases.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;

use super::AppState;
use super::auth::Caller;
use super::client_address::ClientAddress;
use crate::store::AuditEntry;

/// What a handler adds to its request's audit entry (the username tried at login, the action
/// taken on a case, the fields of a user that changed), as a response extension.
#[derive(Debug, Clone)]
pub struct AuditNote(pub String);

fn worth_auditing(method: &Method, path: &str, query: &str) -> bool {
    match *method {
        Method::GET | Method::HEAD | Method::OPTIONS => {
            path.ends_with("/cases") && query.contains("format=csv")
        }
        _ => true,
    }
}

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    if !worth_auditing(&method, &path, &query) {
        return next.run(request).await;
    }
    let origin = request
        .extensions()
        .get::<ClientAddress>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.to_string());
    let actor = request
        .extensions()
        .get::<Caller>()
        .map_or_else(|| "anonymous".to_owned(), |c| c.user.username.clone());
    let response = next.run(request).await;
    let note = response
        .extensions()
        .get::<AuditNote>()
        .map(|n| n.0.clone());
    let detail = [(!query.is_empty()).then_some(query), note]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let entry = AuditEntry {
        seq: 0,
        at: Utc::now(),
        actor,
        origin,
        action: format!("{method} {path}"),
        status: i64::from(response.status().as_u16()),
        detail: (!detail.is_empty()).then_some(detail),
    };
    if let Err(e) = state.district.store().append_audit(&entry).await {
        tracing::error!(error = %e, "writing the audit log");
    }
    response
}
