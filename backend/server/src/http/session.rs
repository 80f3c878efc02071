//! `POST /login`, `POST /logout`, `GET /me`: sessions by token, in an `Authorization: Bearer`
//! header (API clients) or an HttpOnly, SameSite=Strict cookie (the web app).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::json;

use citygrid_core::access::Permission;

use super::audit::AuditNote;
use super::auth::{COOKIE, Caller, credentials, csrf_token};
use super::body::Fields;
use super::endpoint::Endpoint;
use super::{ApiError, AppState};
use crate::accounts::{AccountError, SESSION_HOURS};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "post",
            "/login",
            "accounts",
            "Log in with a username and password; a session token and cookie, and the CSRF token for cookie-authenticated writes",
            post(login),
        )
        .access(Permission::Public)
        .body("application/json", "{\"username\", \"password\"}"),
        Endpoint::new(
            "post",
            "/logout",
            "accounts",
            "End the session",
            post(logout),
        )
        .access(Permission::Session)
        .ok(204, "application/json"),
        Endpoint::new(
            "get",
            "/me",
            "accounts",
            "The logged-in user, with the session's CSRF token",
            get(me),
        )
        .access(Permission::Session),
        Endpoint::new(
            "post",
            "/me/password",
            "accounts",
            "Change one's own password: every session of the user ends and a new one is returned, as at login",
            post(change_password),
        )
        .access(Permission::Session)
        .body(
            "application/json",
            "{\"current_password\", \"new_password\"}",
        ),
        Endpoint::new(
            "get",
            "/session",
            "accounts",
            "Who is logged in, if anyone (never 401): the user with the CSRF token and permissions, or null",
            get(session),
        )
        .access(Permission::Public),
    ]
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Field { field, problem } => ApiError::param(field, problem),
            AccountError::Duplicate(what) => ApiError::Problem {
                status: StatusCode::CONFLICT,
                detail: format!("{what} already exists"),
                field: Some("username".into()),
                members: Default::default(),
            },
            AccountError::InvalidLogin => ApiError::Problem {
                status: StatusCode::UNAUTHORIZED,
                detail: e.to_string(),
                field: None,
                members: Default::default(),
            },
            AccountError::Locked { until } => ApiError::Problem {
                status: StatusCode::TOO_MANY_REQUESTS,
                detail: e.to_string(),
                field: None,
                members: json!({ "locked_until": until })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            },
            AccountError::Store(s) => s.into(),
            AccountError::Hash(_) => ApiError::Internal(e.to_string()),
        }
    }
}

async fn login(State(state): State<AppState>, body: Bytes) -> Response {
    let f = match Fields::parse(&body) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    // Who tried goes into the audit log, whether or not they got in.
    let username = f.text("username").ok().flatten().unwrap_or_default();
    let note = AuditNote(format!("username={}", username.trim()));
    let mut response = match open_session(&state, &f).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    response.extensions_mut().insert(note);
    response
}

async fn open_session(state: &AppState, f: &Fields) -> Result<Response, ApiError> {
    let username = f.required_text("username")?;
    let password = f.required_text("password")?;
    let session = state
        .accounts
        .login(&username, &password, Utc::now())
        .await?;
    Ok(session_response(&session))
}

async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let f = Fields::parse(&body)?;
    let current = f.required_text("current_password")?;
    let new = f.required_text("new_password")?;
    let session = state
        .accounts
        .change_own_password(&caller.user.username, &current, &new, Utc::now())
        .await?;
    Ok(session_response(&session))
}

/// A new session as the client gets it: the token and CSRF token in the body, the cookie set.
fn session_response(session: &crate::accounts::Session) -> Response {
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age={}",
        session.token,
        SESSION_HOURS * 3600
    );
    let body = json!({
        "token": session.token,
        "expires_at": session.expires_at,
        "user": session.user,
        "csrf_token": csrf_token(&session.token),
    });
    ([(header::SET_COOKIE, cookie)], Json(body)).into_response()
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (token, _) = credentials(&headers).ok_or_else(ApiError::unauthenticated)?;
    if !state.accounts.logout(&token).await? {
        return Err(ApiError::unauthenticated());
    }
    let expire = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, expire)]).into_response())
}

async fn me(caller: Caller) -> Result<Response, ApiError> {
    Ok(Json(describe(&caller)?).into_response())
}

/// The web app asks this on start: a page without a session is not an error.
async fn session(caller: Option<axum::Extension<Caller>>) -> Result<Response, ApiError> {
    let user = match caller {
        Some(axum::Extension(caller)) => describe(&caller)?,
        None => serde_json::Value::Null,
    };
    Ok(Json(json!({ "user": user })).into_response())
}

/// The user with the session's CSRF token and the permissions of their role.
fn describe(caller: &Caller) -> Result<serde_json::Value, ApiError> {
    let mut body =
        serde_json::to_value(&caller.user).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(map) = body.as_object_mut() {
        map.insert("csrf_token".into(), json!(caller.csrf_token()));
        let permissions: Vec<&str> = Permission::ALL
            .into_iter()
            .filter(|p| p.granted_to(caller.user.role))
            .map(Permission::as_str)
            .collect();
        map.insert("permissions".into(), json!(permissions));
    }
    Ok(body)
}
