//! Every change made through the API, and every export, goes into the audit log: who (the
//! session's user, or `anonymous`), from where (the client's address), what (method, path,
//! query, what the handler noted, and the status). Reads are not logged, except exports of
//! cases. What a request brings (its path, query, the username tried at login) is cut to
//! [`ANONYMOUS_CHARS`] characters when the caller is not signed in, and to [`SIGNED_IN_CHARS`]
//! otherwise, so that nobody can grow the append-only log without bound.

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

/// The most characters kept of a request's path or detail from a caller who is not signed in.
pub const ANONYMOUS_CHARS: usize = 200;
/// The same for a signed-in caller (their notes list what changed, which may be longer).
pub const SIGNED_IN_CHARS: usize = 2000;

/// `text` cut to `max` characters, with `…` where it was cut.
fn bounded(mut text: String, max: usize) -> String {
    if let Some((at, _)) = text.char_indices().nth(max) {
        text.truncate(at);
        text.push('…');
    }
    text
}

fn worth_auditing(method: &Method, query: &str) -> bool {
    match *method {
        Method::GET | Method::HEAD | Method::OPTIONS => {
            // Exports: cases, and every list answered as CSV (applicants' data among them).
            query.contains("format=csv")
        }
        _ => true,
    }
}

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    if !worth_auditing(&method, &query) {
        return next.run(request).await;
    }
    let origin = request
        .extensions()
        .get::<ClientAddress>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.to_string());
    let caller = request.extensions().get::<Caller>();
    let max = caller.map_or(ANONYMOUS_CHARS, |_| SIGNED_IN_CHARS);
    let actor = caller.map_or_else(|| "anonymous".to_owned(), |c| c.user.username.clone());
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
        action: bounded(format!("{method} {path}"), max),
        status: i64::from(response.status().as_u16()),
        detail: (!detail.is_empty()).then(|| bounded(detail, max)),
    };
    if let Err(e) = state.district.store().append_audit(&entry).await {
        tracing::error!(error = %e, "writing the audit log");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::bounded;

    #[test]
    fn long_text_is_cut_at_a_character() {
        assert_eq!(bounded("城管".repeat(3), 4), "城管城管…");
        assert_eq!(bounded("short".into(), 200), "short");
    }
}
