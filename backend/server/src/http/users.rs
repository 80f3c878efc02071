//! `/users`: an admin lists, adds and changes users (role, scope, officer code, name, password,
//! disabled). A change ends the user's sessions; every change is in the audit log.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::account::Role;
use serde_json::json;

use super::audit::AuditNote;
use super::body::Fields;
use super::endpoint::Endpoint;
use super::{ApiError, AppState};
use crate::accounts::{PasswordChange, UserChange, UserSpec};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new("get", "/users", "accounts", "Every user", get(list))
            .access(Permission::ManageUsers),
        Endpoint::new("post", "/users", "accounts", "Add a user", post(add))
            .access(Permission::ManageUsers)
            .body(
                "application/json",
                "username, role, password (made and returned when left out), display_name, scope, officer",
            )
            .ok(201, "application/json"),
        Endpoint::new(
            "patch",
            "/users/{id}",
            "accounts",
            "Change a user's role, scope, officer code, name, password or disabled flag, or reset their password to a one-time one (returned once); their sessions end",
            patch(change),
        )
        .access(Permission::ManageUsers)
        .body(
            "application/json",
            "any of role, scope, officer, display_name, password or reset_password: true, disabled",
        ),
    ]
}

async fn list(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(json!({ "users": state.accounts.users().await? })))
}

/// A scope's codes must name communities or grid cells of the district.
fn scope(state: &AppState, f: &Fields) -> Result<Option<Vec<String>>, ApiError> {
    if !f.present("scope") {
        return Ok(None);
    }
    let codes = f.text_list("scope")?;
    let atlas = state.district.atlas();
    let base = atlas.base();
    if let Some(unknown) = codes.iter().find(|c| {
        !base
            .communities
            .iter()
            .any(|k| k.code.as_str() == c.as_str())
            && !base.grids.iter().any(|g| g.code.as_str() == c.as_str())
    }) {
        return Err(ApiError::param(
            "scope",
            format!("{unknown:?} is neither a community nor a grid cell code"),
        ));
    }
    Ok(Some(codes))
}

async fn add(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let f = Fields::parse(&body)?;
    let role = f
        .parsed::<Role>("role")?
        .ok_or_else(|| ApiError::param("role", "is required"))?;
    let spec = UserSpec {
        username: f.required_text("username")?,
        password: f.text("password")?,
        role,
        display_name: f.text("display_name")?,
        scope: scope(&state, &f)?.unwrap_or_default(),
        officer: f.text("officer")?,
    };
    let (user, made) = state.accounts.add_user(spec, Utc::now()).await?;
    let note = AuditNote(format!("user={} role={}", user.username, user.role));
    let mut response = (
        StatusCode::CREATED,
        Json(json!({ "user": user, "password": made })),
    )
        .into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no user {id}"));
    let user_id = id.parse::<i64>().map_err(|_| missing())?;
    let f = Fields::parse(&body)?;
    let change = UserChange {
        role: f.parsed::<Role>("role")?,
        scope: scope(&state, &f)?,
        officer: f
            .present("officer")
            .then(|| f.text("officer"))
            .transpose()?,
        display_name: f
            .present("display_name")
            .then(|| f.text("display_name"))
            .transpose()?,
        disabled: f.boolean("disabled")?,
        password: password_change(&f)?,
    };
    // What changed, never the password itself.
    let changed: Vec<&str> = [
        ("role", change.role.is_some()),
        ("scope", change.scope.is_some()),
        ("officer", change.officer.is_some()),
        ("display_name", change.display_name.is_some()),
        ("disabled", change.disabled.is_some()),
        ("password", change.password.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    let (user, made) = state
        .accounts
        .change_user(user_id, change)
        .await?
        .ok_or_else(missing)?;
    let note = AuditNote(format!(
        "user={} role={} disabled={} changed={}",
        user.username,
        user.role,
        user.disabled,
        changed.join(",")
    ));
    // A made password is shown once, to the admin who asked for it.
    let mut response = Json(json!({ "user": user, "password": made })).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

/// `password` sets one; `reset_password: true` has one made and returned. Not both.
fn password_change(f: &Fields) -> Result<Option<PasswordChange>, ApiError> {
    let given = f.text("password")?;
    let reset = f.boolean("reset_password")?.unwrap_or(false);
    match (given, reset) {
        (Some(_), true) => Err(ApiError::param(
            "reset_password",
            "give a password or ask for one to be made, not both",
        )),
        (Some(p), false) => Ok(Some(PasswordChange::Set(p))),
        (None, true) => Ok(Some(PasswordChange::Reset)),
        (None, false) => Ok(None),
    }
}
