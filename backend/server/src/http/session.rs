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

use super::body::Fields;
use super::endpoint::Endpoint;
use super::{ApiError, AppState};
use crate::accounts::{AccountError, SESSION_HOURS};

/// The session cookie's name.
pub const COOKIE: &str = "citygrid_session";

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "post",
            "/login",
            "accounts",
            "Log in with a username and password; a session token and cookie",
            post(login),
        )
        .body("application/json", "{\"username\", \"password\"}"),
        Endpoint::new(
            "post",
            "/logout",
            "accounts",
            "End the session",
            post(logout),
        ),
        Endpoint::new("get", "/me", "accounts", "The logged-in user", get(me)),
    ]
}

/// The session token of a request: the bearer token, else the cookie.
pub fn token(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    bearer.or_else(|| {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == COOKIE).then(|| value.to_owned())
            })
    })
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
            AccountError::Hash(_) | AccountError::Store(_) => ApiError::Internal(e.to_string()),
        }
    }
}

async fn login(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let f = Fields::parse(&body)?;
    let username = f.required_text("username")?;
    let password = f.required_text("password")?;
    let session = state
        .accounts
        .login(&username, &password, Utc::now())
        .await?;
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age={}",
        session.token,
        SESSION_HOURS * 3600
    );
    Ok(([(header::SET_COOKIE, cookie)], Json(session)).into_response())
}

fn unauthenticated() -> ApiError {
    ApiError::Problem {
        status: StatusCode::UNAUTHORIZED,
        detail: "log in first (a session cookie or an Authorization: Bearer token)".into(),
        field: None,
        members: Default::default(),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = token(&headers).ok_or_else(unauthenticated)?;
    if !state.accounts.logout(&token).await? {
        return Err(unauthenticated());
    }
    let expire = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, expire)]).into_response())
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = token(&headers).ok_or_else(unauthenticated)?;
    let user = state
        .accounts
        .user(&token, Utc::now())
        .await?
        .ok_or_else(unauthenticated)?;
    Ok(Json(user).into_response())
}
