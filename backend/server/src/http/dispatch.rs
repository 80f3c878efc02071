//! `/officers` (duty status, positions) and `/cases/{id}/candidates` (the officers who can get
//! there soonest). Officers act only for themselves; supervisors see positions in their area.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{delete, get, post, put};
use chrono::{DateTime, Duration, Utc};
use citygrid_core::access::{Permission, Reach};
use citygrid_core::account::Role;
use citygrid_core::officer::{DutyStatus, Fix, Shift};
use serde_json::{Value, json};

use super::audit::AuditNote;
use super::auth::Caller;
use super::body::Fields;
use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::dispatch::{DispatchError, OfficerSpec};
use crate::routing::Mode;

/// Candidates shown by default, and at most.
pub const DEFAULT_K: usize = 5;
pub const MAX_K: usize = 50;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/officers",
            "dispatch",
            "Officers with their duty status (and positions, for those who may see them)",
            get(officers),
        )
        .access(Permission::ReadOfficers),
        Endpoint::new(
            "put",
            "/officers/{code}",
            "dispatch",
            "Add an officer or change one: name, team, phone, grids",
            put(put_officer),
        )
        .access(Permission::ManageOfficers)
        .body("application/json", "{name, team, phone, grids}"),
        Endpoint::new(
            "delete",
            "/officers/{code}",
            "dispatch",
            "Remove an officer (their cases and history stay)",
            delete(remove_officer),
        )
        .access(Permission::ManageOfficers)
        .ok(204, "application/json"),
        Endpoint::new(
            "post",
            "/officers/{code}/shifts",
            "dispatch",
            "Plan a shift (排班): starts_at, ends_at",
            post(plan_shift),
        )
        .access(Permission::ManageOfficers)
        .body("application/json", "{starts_at, ends_at}")
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/officers/{code}/shifts",
            "dispatch",
            "An officer's shifts in a time range (default the next 7 days)",
            get(shifts),
        )
        .access(Permission::ReadOfficers)
        .query("from", "string", "date or RFC 3339 (default now)")
        .query(
            "to",
            "string",
            "date or RFC 3339 (default 7 days after from)",
        ),
        Endpoint::new(
            "get",
            "/officers/{code}/status",
            "dispatch",
            "An officer's duty status history, newest first",
            get(status_history),
        )
        .access(Permission::ReadOfficers),
        Endpoint::new(
            "post",
            "/officers/{code}/status",
            "dispatch",
            "Set an officer's duty status (on_duty, busy, off)",
            post(set_status),
        )
        .access(Permission::SetDutyStatus)
        .body("application/json", "{\"status\"}"),
        Endpoint::new(
            "post",
            "/officers/{code}/positions",
            "dispatch",
            "Post GPS fixes: one {lon, lat, at, accuracy_m} or a list",
            post(add_fixes),
        )
        .access(Permission::ReportPosition)
        .body("application/json", "{lon, lat, at, accuracy_m} or [{…}, …]"),
        Endpoint::new(
            "get",
            "/officers/{code}/positions",
            "dispatch",
            "An officer's fixes in a time range",
            get(fixes),
        )
        .access(Permission::SeePositions)
        .query(
            "from",
            "string",
            "taken at or after (date or RFC 3339; default 24 h ago)",
        )
        .query("to", "string", "taken before (default now)"),
        Endpoint::new(
            "get",
            "/cases/{id}/candidates",
            "dispatch",
            "The officers who can reach a case soonest, with ETAs and reasons",
            get(candidates),
        )
        .access(Permission::Dispatch)
        .query("k", "integer", "how many (1–50, default 5)")
        .query("mode", "string", "walk, ebike (default) or car"),
    ]
}

impl From<DispatchError> for ApiError {
    fn from(e: DispatchError) -> Self {
        match e {
            DispatchError::Field { field, problem } => ApiError::param(&field, problem),
            DispatchError::UnknownOfficer(_) => ApiError::NotFound(e.to_string()),
            DispatchError::Store(s) => s.into(),
        }
    }
}

/// An officer acts only for themselves; dispatchers and admins for anyone.
fn for_self_only(caller: &Caller, code: &str) -> Result<(), ApiError> {
    match caller.user.role {
        Role::Officer if caller.user.officer.as_deref() != Some(code) => Err(ApiError::forbidden(
            "an officer may only report their own status and position",
        )),
        _ => Ok(()),
    }
}

/// Whether the caller may see the position of an officer answering for `grids`.
pub fn sees_position(caller: &Caller, state: &AppState, grids: &[String]) -> bool {
    if !Permission::SeePositions.granted_to(caller.user.role) {
        return false;
    }
    let reach = Reach::of(&caller.user);
    if !matches!(reach, Reach::Areas(_)) {
        return true;
    }
    let atlas = state.district.atlas();
    let community_of = |code: &str| atlas.community_of_grid(code).map(str::to_owned);
    grids.iter().any(|g| reach.may_name(g, community_of))
}

async fn officers(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let list = state
        .dispatch
        .officers(Utc::now(), |grids| sees_position(&caller, &state, grids))
        .await?;
    Ok(Json(json!({ "officers": list })))
}

async fn put_officer(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<axum::response::Response, ApiError> {
    let f = Fields::parse(&body)?;
    let spec = OfficerSpec {
        code: code.clone(),
        name: f.required_text("name")?,
        team: f.text("team")?,
        phone: f.text("phone")?,
        grids: f.text_list("grids")?,
    };
    let officer = state.dispatch.put_officer(spec).await?;
    let mut response = axum::response::IntoResponse::into_response(Json(officer));
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code}")));
    Ok(response)
}

async fn remove_officer(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    state.dispatch.remove_officer(&code).await?;
    let mut response =
        axum::response::IntoResponse::into_response(axum::http::StatusCode::NO_CONTENT);
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code}")));
    Ok(response)
}

fn rfc3339(f: &Fields, name: &str) -> Result<DateTime<Utc>, ApiError> {
    let text = f.required_text(name)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::param(
                name,
                "expected an RFC 3339 time such as 2026-11-30T08:00:00+08:00",
            )
        })
}

async fn plan_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(axum::http::StatusCode, Json<Shift>), ApiError> {
    let f = Fields::parse(&body)?;
    let shift = Shift {
        officer: code,
        starts_at: rfc3339(&f, "starts_at")?,
        ends_at: rfc3339(&f, "ends_at")?,
    };
    let planned = state
        .dispatch
        .plan_shift(shift, &caller.user.username)
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(planned)))
}

async fn shifts(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let from = params.time("from")?.unwrap_or_else(Utc::now);
    let to = params.time("to")?.unwrap_or(from + Duration::days(7));
    let list = state.dispatch.shifts(&code, from, to).await?;
    Ok(Json(json!({ "officer": code, "shifts": list })))
}

async fn status_history(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let history = state.dispatch.status_history(&code).await?;
    Ok(Json(json!({ "officer": code, "history": history })))
}

async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<axum::response::Response, ApiError> {
    for_self_only(&caller, &code)?;
    let f = Fields::parse(&body)?;
    let status = f
        .parsed::<DutyStatus>("status")?
        .ok_or_else(|| ApiError::param("status", "is required"))?;
    let change = state
        .dispatch
        .set_status(&code, status, &caller.user.username, Utc::now())
        .await?;
    let mut response = axum::response::IntoResponse::into_response(Json(change));
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code} status={status}")));
    Ok(response)
}

/// One fix from a JSON object; errors name the fix by its place in the list.
fn fix(i: usize, v: &Value, officer: &str) -> Result<Fix, ApiError> {
    let name = |f: &str| format!("fixes[{i}].{f}");
    let number = |f: &str| -> Result<Option<f64>, ApiError> {
        match v.get(f) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| ApiError::param(&name(f), "expected a number")),
        }
    };
    let lon = number("lon")?.ok_or_else(|| ApiError::param(&name("lon"), "is required"))?;
    let lat = number("lat")?.ok_or_else(|| ApiError::param(&name("lat"), "is required"))?;
    let at = match v.get("at").and_then(Value::as_str) {
        Some(t) => DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError::param(&name("at"), "expected an RFC 3339 time"))?,
        None if v.get("at").is_none() => Utc::now(),
        None => return Err(ApiError::param(&name("at"), "expected an RFC 3339 time")),
    };
    Ok(Fix {
        officer: officer.to_owned(),
        lon,
        lat,
        accuracy_m: number("accuracy_m")?,
        at,
    })
}

async fn add_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    for_self_only(&caller, &code)?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadBody(format!("the body is not JSON: {e}")))?;
    let items = match &value {
        Value::Array(list) => list.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![&value],
        _ => {
            return Err(ApiError::BadBody(
                "expected a fix object or a list of them".into(),
            ));
        }
    };
    let fixes = items
        .iter()
        .enumerate()
        .map(|(i, v)| fix(i, v, &code))
        .collect::<Result<Vec<_>, _>>()?;
    let received = fixes.len();
    let current = state.dispatch.add_fixes(&code, fixes, Utc::now()).await?;
    Ok(Json(
        json!({ "received": received, "current": current.first() }),
    ))
}

async fn fixes(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let grids: Vec<String> = state
        .district
        .atlas()
        .base()
        .officers
        .iter()
        .find(|o| o.code.as_str() == code)
        .map(|o| o.grids.iter().map(ToString::to_string).collect())
        .ok_or_else(|| ApiError::NotFound(format!("no officer {code}")))?;
    if !sees_position(&caller, &state, &grids) {
        return Err(ApiError::forbidden(format!(
            "{code} works outside the area you answer for"
        )));
    }
    let to = params.time("to")?.unwrap_or_else(Utc::now);
    let from = params.time("from")?.unwrap_or(to - Duration::hours(24));
    let list = state.dispatch.fixes(&code, from, to).await?;
    Ok(Json(json!({ "officer": code, "fixes": list })))
}

async fn candidates(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<crate::dispatch::Candidates>, ApiError> {
    let id = super::cases::case_id(&id)?;
    let k = params.count("k", DEFAULT_K, MAX_K)?;
    let mode = params.parsed::<Mode>("mode")?.unwrap_or_default();
    let now = Utc::now();
    let case = state.cases.get(id, &caller.actor(), now).await?;
    Ok(Json(state.dispatch.candidates(&case.case, k, mode, now)))
}
