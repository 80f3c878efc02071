//! `/login-throttles`: an admin sees which usernames and addresses failed logins hold back, and
//! clears them (a user locked out by their own typing, an office behind one address). Clearing
//! is a change, so it is in the audit log.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::api::accounts::{Cleared, LoginThrottles, ThrottleQuery};

use super::audit::AuditNote;
use super::endpoint::Endpoint;
use super::extract::Query;
use super::{ApiError, AppState};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/login-throttles",
            "accounts",
            "Failed logins counted per username and address, with the waits they impose",
            get(list),
        )
        .access(Permission::ManageUsers)
        .answers::<LoginThrottles>(),
        Endpoint::new(
            "delete",
            "/login-throttles",
            "accounts",
            "Forget the failed logins of a username, an address or both",
            axum::routing::delete(clear),
        )
        .access(Permission::ManageUsers)
        .queries::<ThrottleQuery>()
        .answers::<Cleared>(),
    ]
}

async fn list(State(state): State<AppState>) -> Result<Json<LoginThrottles>, ApiError> {
    Ok(Json(LoginThrottles {
        throttles: state.accounts.throttles().await?,
    }))
}

async fn clear(
    State(state): State<AppState>,
    Query(q): Query<ThrottleQuery>,
) -> Result<Response, ApiError> {
    let cleared = state
        .accounts
        .clear_throttles(q.username.as_deref(), q.address.as_deref())
        .await?;
    let mut response = Json(Cleared { cleared }).into_response();
    response
        .extensions_mut()
        .insert(AuditNote(format!("cleared={cleared}")));
    Ok(response)
}
