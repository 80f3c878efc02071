//! `POST /login`, `POST /logout`, `GET /me`: sessions by token, in an `Authorization: Bearer`
//! header (API clients) or an HttpOnly, SameSite=Strict cookie (the web app).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::api::accounts::{LoginBody, Me, PasswordBody, SessionAnswer, SessionState};

use super::audit::AuditNote;
use super::auth::{COOKIE, Caller, credentials, csrf_token};
use super::client_address::ClientAddress;
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::Body;
use super::rate_limit::Door;
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
        .limited(Door::Login)
        .json::<LoginBody>("{\"username\", \"password\"}")
        .answers::<SessionAnswer>(),
        Endpoint::new(
            "post",
            "/logout",
            "accounts",
            "End the session",
            post(logout),
        )
        .access(Permission::OwnAccount)
        .ok(204, "application/json"),
        Endpoint::new(
            "get",
            "/me",
            "accounts",
            "The logged-in user, with the session's CSRF token",
            get(me),
        )
        .access(Permission::OwnAccount)
        .answers::<Me>(),
        Endpoint::new(
            "post",
            "/me/password",
            "accounts",
            "Change one's own password: every session of the user ends and a new one is returned, as at login",
            post(change_password),
        )
        .access(Permission::OwnAccount)
        .limited(Door::Login)
        .json::<PasswordBody>("{\"current_password\", \"new_password\"}")
        .answers::<SessionAnswer>(),
        Endpoint::new(
            "get",
            "/session",
            "accounts",
            "Who is logged in, if anyone (never 401): the user with the CSRF token and permissions, or null",
            get(session),
        )
        .access(Permission::Public)
        .answers::<SessionState>(),
    ]
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Field { field, problem } => ApiError::param(field, problem),
            AccountError::Duplicate(what) => {
                problem(StatusCode::CONFLICT, format!("{what} already exists"))
                    .at("username")
                    .into()
            }
            AccountError::InvalidLogin => problem(StatusCode::UNAUTHORIZED, e.to_string()).into(),
            AccountError::Refused(_) => problem(StatusCode::CONFLICT, e.to_string()).into(),
            AccountError::Locked { until } => {
                let mut p = problem(StatusCode::TOO_MANY_REQUESTS, e.to_string());
                p.locked_until = Some(until);
                p.into()
            }
            AccountError::Store(s) => s.into(),
            AccountError::Hash(_) => ApiError::Internal(e.to_string()),
        }
    }
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Extension(client): axum::Extension<ClientAddress>,
    body: Result<Body<LoginBody>, ApiError>,
) -> Response {
    if let Err(refused) = super::auth::same_origin(&headers) {
        return refused.into_response();
    }
    let body = match body {
        Ok(Body(b)) => b,
        Err(e) => return e.into_response(),
    };
    // Who tried goes into the audit log, whether or not they got in.
    let note = AuditNote(format!("username={}", body.username.trim()));
    let mut response = match open_session(&state, &body, client.0).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    response.extensions_mut().insert(note);
    response
}

/// A required text: given and not blank.
fn required<'a>(text: &'a str, field: &str) -> Result<&'a str, ApiError> {
    if text.trim().is_empty() {
        Err(ApiError::param(field, "is required"))
    } else {
        Ok(text)
    }
}

async fn open_session(
    state: &AppState,
    body: &LoginBody,
    address: std::net::IpAddr,
) -> Result<Response, ApiError> {
    let username = required(&body.username, "username")?;
    let password = required(&body.password, "password")?;
    let session = state
        .accounts
        .login(username, password, address, Utc::now())
        .await?;
    Ok(session_response(&session))
}

async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(client): axum::Extension<ClientAddress>,
    Body(body): Body<PasswordBody>,
) -> Result<Response, ApiError> {
    let current = required(&body.current_password, "current_password")?;
    let new = required(&body.new_password, "new_password")?;
    let session = state
        .accounts
        .change_own_password(&caller.user.username, current, new, client.0, Utc::now())
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
    let body = SessionAnswer {
        token: session.token.clone(),
        expires_at: session.expires_at,
        user: session.user.clone(),
        csrf_token: csrf_token(&session.token),
    };
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

async fn me(caller: Caller) -> Json<Me> {
    Json(describe(&caller))
}

/// The web app asks this on start: a page without a session is not an error.
async fn session(caller: Option<axum::Extension<Caller>>) -> Json<SessionState> {
    Json(SessionState {
        user: caller.map(|axum::Extension(c)| describe(&c)),
    })
}

/// The user with the session's CSRF token and the permissions of their role.
fn describe(caller: &Caller) -> Me {
    Me {
        user: caller.user.clone(),
        csrf_token: caller.csrf_token(),
        permissions: Permission::ALL
            .into_iter()
            .filter(|p| p.granted_to(caller.user.role))
            .collect(),
    }
}
