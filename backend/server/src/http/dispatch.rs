//! `/officers` (duty status, positions) and `/cases/{id}/candidates` (the officers who can get
//! there soonest). Officers act only for themselves; supervisors see positions in their area.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use chrono::{Duration, Utc};
use citygrid_core::access::Permission;
use citygrid_core::api::dispatch::{
    Candidates, CandidatesQuery, Fixes, FixesBody, FixesReceived, FixesRequest, OfficerBody,
    OfficerRecord, Officers, ShiftBody, Shifts, Span, StatusBody, StatusHistory,
};
use citygrid_core::officer::{Fix, Shift, StatusChange};

use super::audit::AuditNote;
use super::auth::Caller;
use super::endpoint::Endpoint;
use super::extract::{Body, Query, count};
use super::{ApiError, AppState};
use crate::dispatch::{DispatchError, OfficerSpec};

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
        .access(Permission::ReadOfficers)
        .answers::<Officers>(),
        Endpoint::new(
            "put",
            "/officers/{code}",
            "dispatch",
            "Add an officer or change one: name, team, phone, grids",
            put(put_officer),
        )
        .access(Permission::ManageOfficers)
        .json::<OfficerBody>("{name, team, phone, grids}")
        .answers::<OfficerRecord>(),
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
        .json::<ShiftBody>("{starts_at, ends_at}")
        .answers::<Shift>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/officers/{code}/shifts",
            "dispatch",
            "An officer's shifts in a time range (default: from now, 7 days)",
            get(shifts),
        )
        .access(Permission::ReadOfficers)
        .queries::<Span>()
        .answers::<Shifts>(),
        Endpoint::new(
            "get",
            "/officers/{code}/status",
            "dispatch",
            "An officer's duty status history, newest first",
            get(status_history),
        )
        .access(Permission::ReadOfficers)
        .answers::<StatusHistory>(),
        Endpoint::new(
            "post",
            "/officers/{code}/status",
            "dispatch",
            "Set an officer's duty status (on_duty, busy, off)",
            post(set_status),
        )
        .access(Permission::SetDutyStatus)
        .json::<StatusBody>("{\"status\"}")
        .answers::<StatusChange>(),
        Endpoint::new(
            "post",
            "/officers/{code}/positions",
            "dispatch",
            "Post GPS fixes: one {lon, lat, at, accuracy_m} or a list",
            post(add_fixes),
        )
        .access(Permission::ReportPosition)
        .json::<FixesBody>("{lon, lat, at, accuracy_m} or [{…}, …]")
        .answers::<FixesReceived>(),
        Endpoint::new(
            "get",
            "/officers/{code}/positions",
            "dispatch",
            "An officer's fixes in a time range (default: the last 24 hours)",
            get(fixes),
        )
        .access(Permission::SeePositions)
        .queries::<Span>()
        .answers::<Fixes>(),
        Endpoint::new(
            "get",
            "/cases/{id}/candidates",
            "dispatch",
            "The officers who can reach a case soonest, with ETAs and reasons",
            get(candidates),
        )
        .access(Permission::Dispatch)
        .queries::<CandidatesQuery>()
        .answers::<Candidates>(),
    ]
}

impl From<DispatchError> for ApiError {
    fn from(e: DispatchError) -> Self {
        match e {
            DispatchError::Field { field, problem } => ApiError::param(&field, problem),
            DispatchError::UnknownOfficer(_) => ApiError::NotFound(e.to_string()),
            DispatchError::OutOfReach(why) => ApiError::forbidden(why),
            DispatchError::Store(s) => s.into(),
        }
    }
}

async fn officers(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Officers>, ApiError> {
    let officers = state.dispatch.officers(Utc::now(), &caller.user).await?;
    Ok(Json(Officers { officers }))
}

async fn put_officer(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Body(body): Body<OfficerBody>,
) -> Result<Response, ApiError> {
    let spec = OfficerSpec {
        code: code.clone(),
        name: body.name,
        team: body.team,
        phone: body.phone,
        grids: body.grids,
    };
    let o = state.dispatch.put_officer(spec).await?;
    let record = OfficerRecord {
        code: o.code.to_string(),
        name: o.name,
        team: o.team,
        phone: o.phone,
        grids: o.grids.iter().map(ToString::to_string).collect(),
    };
    let mut response = Json(record).into_response();
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code}")));
    Ok(response)
}

async fn remove_officer(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    state.dispatch.remove_officer(&code).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code}")));
    Ok(response)
}

async fn plan_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(body): Body<ShiftBody>,
) -> Result<(StatusCode, Json<Shift>), ApiError> {
    let shift = Shift {
        officer: code,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
    };
    let planned = state
        .dispatch
        .plan_shift(shift, &caller.user.username)
        .await?;
    Ok((StatusCode::CREATED, Json(planned)))
}

async fn shifts(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(span): Query<Span>,
) -> Result<Json<Shifts>, ApiError> {
    let from = span.from.map_or_else(Utc::now, |w| w.0);
    let to = span.to.map_or(from + Duration::days(7), |w| w.0);
    let shifts = state.dispatch.shifts(&code, from, to).await?;
    Ok(Json(Shifts {
        officer: code,
        shifts,
    }))
}

async fn status_history(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<StatusHistory>, ApiError> {
    let history = state.dispatch.status_history(&code).await?;
    Ok(Json(StatusHistory {
        officer: code,
        history,
    }))
}

async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(body): Body<StatusBody>,
) -> Result<Response, ApiError> {
    state.dispatch.acts_for(&caller.user, &code)?;
    let status = body.status;
    let change = state
        .dispatch
        .set_status(StatusChange::new(
            &code,
            status,
            &caller.user.username,
            Utc::now(),
        ))
        .await?;
    let mut response = Json(change).into_response();
    response
        .extensions_mut()
        .insert(AuditNote(format!("officer={code} status={status}")));
    Ok(response)
}

async fn add_fixes(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(body): Body<serde_json::Value>,
) -> Result<Json<FixesReceived>, ApiError> {
    state.dispatch.acts_for(&caller.user, &code)?;
    // One fix is a list of one; a bad one is named by its place in the list.
    let body = match body {
        list @ serde_json::Value::Array(_) => serde_json::json!({ "fixes": list }),
        one => serde_json::json!({ "fixes": [one] }),
    };
    let request: FixesRequest = super::extract::value(body)?;
    let now = Utc::now();
    let fixes: Vec<Fix> = request
        .fixes
        .into_iter()
        .map(|f| Fix {
            officer: code.clone(),
            lon: f.lon,
            lat: f.lat,
            accuracy_m: f.accuracy_m,
            at: f.at.unwrap_or(now),
        })
        .collect();
    let received = fixes.len();
    let current = state.dispatch.add_fixes(&code, fixes, now).await?;
    Ok(Json(FixesReceived {
        received,
        current: current.into_iter().next(),
    }))
}

async fn fixes(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(span): Query<Span>,
) -> Result<Json<Fixes>, ApiError> {
    let to = span.to.map_or_else(Utc::now, |w| w.0);
    let from = span.from.map_or(to - Duration::hours(24), |w| w.0);
    let fixes = state.dispatch.fixes(&code, from..to, &caller.user).await?;
    Ok(Json(Fixes {
        officer: code,
        fixes,
    }))
}

async fn candidates(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<CandidatesQuery>,
) -> Result<Json<Candidates>, ApiError> {
    let id = super::cases::case_id(&id)?;
    let k = count(query.k, "k", DEFAULT_K, MAX_K)?;
    let mode = query.mode.unwrap_or_default();
    let now = Utc::now();
    let case = state.cases.get(id, &caller.actor(), now).await?;
    Ok(Json(state.dispatch.candidates(&case.case, k, mode, now)))
}
