//! Who is calling, and whether they may: the session behind a request is looked up once
//! ([`resolve`]); each route's declared [`Permission`] is checked before its handler runs
//! ([`require`]); writes authenticated by the session cookie must carry the session's CSRF token.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::account::User;
use sha2::{Digest, Sha256};

use super::{ApiError, AppState};
use crate::cases::Actor;

/// The session cookie's name.
pub const COOKIE: &str = "citygrid_session";
/// The header a cookie-authenticated write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The logged-in user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// Authenticated by the cookie (a browser), not by a bearer token.
    pub by_cookie: bool,
    /// The session's token, for the CSRF check.
    token: String,
}

impl Caller {
    /// The CSRF token of the caller's session.
    pub fn csrf_token(&self) -> String {
        csrf_token(&self.token)
    }

    /// Whether the caller's session is still live (not logged out, expired or revoked by a
    /// change to the user): long-lived answers such as event streams ask before each step.
    pub async fn still_live(&self, accounts: &crate::accounts::Accounts) -> bool {
        accounts
            .user(&self.token, Utc::now())
            .await
            .ok()
            .flatten()
            .is_some_and(|u| u.id == self.user.id)
    }

    /// The caller as the case service knows them.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user)
    }
}

/// A request's session token: the bearer token, else the cookie; and whether it was the cookie.
pub fn credentials(headers: &HeaderMap) -> Option<(String, bool)> {
    // The scheme's name is case-insensitive (RFC 9110 §11.1).
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| (t.trim().to_owned(), false));
    bearer.or_else(|| {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == COOKIE).then(|| (value.to_owned(), true))
            })
    })
}

/// Refuses a request a browser made for a page of another origin (403): its `Origin` names
/// another host than the request went to, or is `null`, or its `Sec-Fetch-Site` says
/// cross-site or same-site. Clients that are not browsers send neither header and pass. Used
/// where a session is opened (login), so that no page elsewhere can log a browser in.
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refuse = |why: &str| {
        Err(ApiError::forbidden(format!(
            "logging in is only possible from citygrid's own pages: {why}"
        )))
    };
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return refuse("the browser says the request came from another site");
    }
    let Some(origin) = text("origin") else {
        return Ok(());
    };
    let host = text("host").unwrap_or_default();
    let authority = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match authority {
        Some(a) if !host.is_empty() && a.eq_ignore_ascii_case(host) => Ok(()),
        _ => refuse("the page's origin is not this server"),
    }
}

/// The CSRF token of a session: derived from its secret token, so that only a page that was
/// given it at login (or by `/me`) can know it; a cross-site page cannot read either.
pub fn csrf_token(session_token: &str) -> String {
    format!("{:x}", Sha256::digest(format!("csrf:{session_token}")))
}

/// Middleware: looks the session up and leaves its [`Caller`] in the request's extensions.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some((token, by_cookie)) = credentials(request.headers()) {
        match state.accounts.user(&token, Utc::now()).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(Caller {
                    user,
                    by_cookie,
                    token,
                });
            }
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(request).await
}

/// Route middleware: the caller must hold the route's permission (401 without a session, 403
/// when the role lacks it, or while a password citygrid made is not yet changed — then only
/// the user's own account is served: no layer, no shop's contact), and a cookie-authenticated
/// write must carry the CSRF token.
pub async fn require(
    State(permission): State<Permission>,
    request: Request,
    next: Next,
) -> Response {
    if !permission.needs_login() {
        return next.run(request).await;
    }
    let Some(caller) = request.extensions().get::<Caller>() else {
        return ApiError::unauthenticated().into_response();
    };
    if caller.user.must_change_password && permission != Permission::OwnAccount {
        let mut refusal = super::error::problem(
            axum::http::StatusCode::FORBIDDEN,
            "change the password you were given first (POST /api/v1/me/password)",
        )
        .at("password");
        refusal.must_change_password = Some(true);
        return ApiError::from(refusal).into_response();
    }
    if !permission.granted_to(caller.user.role) {
        return ApiError::forbidden(format!(
            "a {} may not do this ({} is needed)",
            caller.user.role,
            permission.as_str()
        ))
        .into_response();
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if caller.by_cookie && !safe {
        let sent = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok());
        if sent != Some(csrf_token(&caller.token).as_str()) {
            return ApiError::forbidden(format!(
                "a change made with the session cookie needs the {CSRF_HEADER} header given at login"
            ))
            .into_response();
        }
    }
    next.run(request).await
}

/// 403 when a filter names a grid cell or community outside the caller's area (a supervisor
/// asking for another area); cases out of reach are never listed either way.
pub fn require_places<'a>(
    caller: &Caller,
    atlas: &crate::atlas::Atlas,
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<(), ApiError> {
    let reach = citygrid_core::access::Reach::of(&caller.user);
    let community_of = |code: &str| atlas.community_of_grid(code).map(str::to_owned);
    match codes.into_iter().find(|c| !reach.may_name(c, community_of)) {
        Some(code) => Err(ApiError::forbidden(format!(
            "{code} is outside the area you answer for"
        ))),
        None => Ok(()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}
