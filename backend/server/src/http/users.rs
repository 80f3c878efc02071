//! `/users`: an admin lists, adds, changes (role, scope, officer code, name, password, disabled)
//! and deletes users. A change ends the user's sessions; every change is in the audit log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::api::accounts::{NewUserBody, UserAnswer, UserPatch, Users};

use super::audit::AuditNote;
use super::auth::Caller;
use super::endpoint::Endpoint;
use super::extract::Body;
use super::{ApiError, AppState};
use crate::accounts::{PasswordChange, UserChange, UserSpec};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new("get", "/users", "accounts", "Every user", get(list))
            .access(Permission::ManageUsers)
            .answers::<Users>(),
        Endpoint::new("post", "/users", "accounts", "Add a user", post(add))
            .access(Permission::ManageUsers)
            .json::<NewUserBody>(
                "username, role, password (made and returned when left out), display_name, scope, officer",
            )
            .answers::<UserAnswer>()
            .ok(201, "application/json"),
        Endpoint::new(
            "patch",
            "/users/{id}",
            "accounts",
            "Change a user's role, scope, officer code, name, password or disabled flag, or reset their password to a one-time one (returned once); their sessions end",
            patch(change),
        )
        .access(Permission::ManageUsers)
        .json::<UserPatch>(
            "any of role, scope, officer, display_name, password or reset_password: true, disabled",
        )
        .answers::<UserAnswer>(),
        Endpoint::new(
            "delete",
            "/users/{id}",
            "accounts",
            "Delete a user (not oneself, not the last admin); their sessions end, and what they did stays in the history under their name",
            delete(remove),
        )
        .access(Permission::ManageUsers)
        .ok(204, "application/json"),
    ]
}

async fn list(State(state): State<AppState>) -> Result<Json<Users>, ApiError> {
    Ok(Json(Users {
        users: state.accounts.users().await?,
    }))
}

async fn add(
    State(state): State<AppState>,
    Body(body): Body<NewUserBody>,
) -> Result<Response, ApiError> {
    if body.username.trim().is_empty() {
        return Err(ApiError::param("username", "is required"));
    }
    let scope = body.scope.unwrap_or_default();
    state
        .accounts
        .check_scope(&state.district.atlas(), &scope)?;
    let spec = UserSpec {
        username: body.username,
        password: body.password,
        role: body.role,
        display_name: body.display_name,
        scope,
        officer: body.officer,
    };
    let (user, password) = state.accounts.add_user(spec, Utc::now()).await?;
    let note = AuditNote(format!("user={} role={}", user.username, user.role));
    let mut response = (StatusCode::CREATED, Json(UserAnswer { user, password })).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Body(patch): Body<UserPatch>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no user {id}"));
    let user_id = id.parse::<i64>().map_err(|_| missing())?;
    let scope = patch.scope.map(Option::unwrap_or_default);
    if let Some(codes) = &scope {
        state.accounts.check_scope(&state.district.atlas(), codes)?;
    }
    let change = UserChange {
        role: patch.role,
        scope,
        officer: patch.officer,
        display_name: patch.display_name,
        disabled: patch.disabled,
        password: password_change(patch.password, patch.reset_password)?,
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
    let (user, password) = state
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
    let mut response = Json(UserAnswer { user, password }).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no user {id}"));
    let user_id = id.parse::<i64>().map_err(|_| missing())?;
    let user = state
        .accounts
        .delete_user(user_id, caller.user.id)
        .await?
        .ok_or_else(missing)?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.extensions_mut().insert(AuditNote(format!(
        "user={} role={} deleted",
        user.username, user.role
    )));
    Ok(response)
}

/// `password` sets one; `reset_password: true` has one made and returned. Not both.
fn password_change(
    given: Option<String>,
    reset: Option<bool>,
) -> Result<Option<PasswordChange>, ApiError> {
    match (given, reset.unwrap_or(false)) {
        (Some(_), true) => Err(ApiError::param(
            "reset_password",
            "give a password or ask for one to be made, not both",
        )),
        (Some(p), false) => Ok(Some(PasswordChange::Set(p))),
        (None, true) => Ok(Some(PasswordChange::Reset)),
        (None, false) => Ok(None),
    }
}
