//! `/approval-types`, `/applications`, `/public/applications/{number}`: approvals and filings
//! (审批备案) received at the desk, asked for materials, decided on the clock, with their
//! figures; the applicant's own lookup by number, without logging in (FIELDWORK §5).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use citygrid_core::access::{Permission, sees_applicants};
use citygrid_core::api::approvals::{
    Application, ApplicationList, ApplicationQuery, ApplicationStatus, ApprovalFigures,
    FiguresQuery, NewApplication, NewStep, PublicStatus,
};
use citygrid_core::api::campaigns::{ImportCount, TableFormat};
use citygrid_core::approval::ApprovalTypes;

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::extract::{Body, Query};
use super::rate_limit::Door;
use super::record_errors::{figure_days, path_id};
use super::{ApiError, AppState};
use crate::approvals;
use crate::store::ApplicationFilter;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/approval-types",
            "approvals",
            "The types of approvals and filings: licence or filing, time limit, materials",
            get(types),
        )
        .access(Permission::Session)
        .answers::<ApprovalTypes>(),
        Endpoint::new(
            "get",
            "/applications",
            "approvals",
            "Applications by type, status, days received, community or overdue: open ones first \
             by deadline; as CSV with format=csv. Applicants only for those who handle them",
            get(list),
        )
        .access(Permission::Session)
        .queries::<ApplicationQuery>()
        .answers::<ApplicationList>(),
        Endpoint::new(
            "post",
            "/applications",
            "approvals",
            "Receive an application: type, applicant (credit code checked), what for, place \
             (resolved to shop, grid cell and community); numbered by its day, its clock started",
            post(create),
        )
        .access(Permission::HandleApprovals)
        .json::<NewApplication>("type, applicant, subject, place, received_at, materials, sign")
        .answers::<Application>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/applications/figures",
            "approvals",
            "Applications decided between two days by type: same day, on time, mean working \
             time; still open and overdue at the end",
            get(figures),
        )
        .access(Permission::Session)
        .queries::<FiguresQuery>()
        .answers::<ApprovalFigures>(),
        Endpoint::new(
            "post",
            "/applications/import",
            "approvals",
            "Import past applications from CSV, each received and decided as here; all or \
             nothing, bad rows named by line and column",
            post(import),
        )
        .access(Permission::HandleApprovals)
        .body(
            "text/csv",
            "number, type, applicant, credit_code, contact, subject, shop, address, lon, lat, sign, received_at, decided_at, decision, certificate, reason",
        )
        .answers::<ImportCount>(),
        Endpoint::new(
            "get",
            "/applications/{id}",
            "approvals",
            "One application with its steps and its clock",
            get(one),
        )
        .access(Permission::Session)
        .answers::<Application>(),
        Endpoint::new(
            "post",
            "/applications/{id}/steps",
            "approvals",
            "The next step from the version read: ask for materials (the clock stops), materials \
             received (it runs again), approve with a certificate number, or reject with a reason",
            post(step),
        )
        .access(Permission::HandleApprovals)
        .json::<NewStep>("version, step, at")
        .answers::<Application>(),
        Endpoint::new(
            "get",
            "/public/applications/{number}",
            "approvals",
            "An application's status by its number, for the applicant, without logging in: no \
             personal data",
            get(public),
        )
        .access(Permission::Public)
        .limited(Door::PublicReads)
        .answers::<PublicStatus>(),
    ]
}

async fn types() -> Json<ApprovalTypes> {
    Json(approvals::types().clone())
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ApplicationQuery>,
) -> Result<Response, ApiError> {
    let calendar = state.cases.rules().calendar.clone();
    let statuses = match q.status.as_deref() {
        None | Some("") => Vec::new(),
        Some("open") => vec![
            ApplicationStatus::Received,
            ApplicationStatus::AwaitingMaterials,
        ],
        Some(s) => vec![
            s.parse()
                .map_err(|e: String| ApiError::param("status", e))?,
        ],
    };
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty())
        && approvals::types().get(kind).is_none()
    {
        return Err(ApiError::param(
            "type",
            format!("there is no approval type {kind:?}"),
        ));
    }
    let filter = ApplicationFilter {
        kind: q.kind.clone().filter(|k| !k.is_empty()),
        statuses,
        received_from: q.from.map(|d| calendar.start_of_day(d)),
        received_before: q.to.map(|d| calendar.days_bounds(d, d).1),
        ..ApplicationFilter::default()
    };
    let now = Utc::now();
    let personal = sees_applicants(caller.user.role);
    let mut items: Vec<Application> = state
        .district
        .store()
        .applications(&filter)
        .await?
        .into_iter()
        .map(|a| approvals::view(a, &calendar, now, personal))
        .collect();
    if let Some(c) = q.community.as_deref().filter(|c| !c.is_empty()) {
        items.retain(|a| a.community.as_deref() == Some(c));
    }
    if q.overdue == Some(true) {
        items.retain(|a| a.clock.overdue);
    }
    // Open ones first, the soonest due first; then the decided, newest first (as stored).
    items.sort_by_key(|a| {
        (
            a.status.is_decided(),
            a.clock.deadline.filter(|_| !a.status.is_decided()),
        )
    });
    match q.format.unwrap_or_default() {
        TableFormat::Json => Ok(Json(ApplicationList {
            applications: items,
        })
        .into_response()),
        TableFormat::Csv => {
            let chinese = q.lang.as_deref() == Some("zh");
            let bytes = approvals::csv_out::applications_csv(&items, calendar.timezone, chinese);
            Ok(super::csv_answer::attachment("applications.csv", bytes))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewApplication>,
) -> Result<Response, ApiError> {
    let calendar = state.cases.rules().calendar.clone();
    let a = approvals::receive(
        &state.district,
        &calendar,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/applications/{}", a.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(a)).into_response())
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Application>, ApiError> {
    let id = path_id("application", &id)?;
    let a = approvals::find(&state.district, id).await?;
    let calendar = state.cases.rules().calendar.clone();
    Ok(Json(approvals::view(
        a,
        &calendar,
        Utc::now(),
        sees_applicants(caller.user.role),
    )))
}

async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<NewStep>,
) -> Result<Json<Application>, ApiError> {
    let id = path_id("application", &id)?;
    let calendar = state.cases.rules().calendar.clone();
    Ok(Json(
        approvals::take_step(
            &state.district,
            &calendar,
            id,
            &body,
            &caller.user.username,
            Utc::now(),
        )
        .await?,
    ))
}

async fn figures(
    State(state): State<AppState>,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<ApprovalFigures>, ApiError> {
    let now = Utc::now();
    let (from, to) = figure_days(state.district.atlas().timezone(), &q, now)?;
    let calendar = state.cases.rules().calendar.clone();
    Ok(Json(
        approvals::figures::read(
            state.district.store().as_ref(),
            approvals::types(),
            &calendar,
            from,
            to,
            now,
        )
        .await?,
    ))
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<ImportCount>, ApiError> {
    let calendar = state.cases.rules().calendar.clone();
    let imported = approvals::csv_import::import(
        &state.district,
        &calendar,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    Ok(Json(ImportCount { imported }))
}

async fn public(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<PublicStatus>, ApiError> {
    let missing = || ApiError::NotFound(format!("no application {number}"));
    if number.len() > 40 {
        return Err(missing());
    }
    let found = state
        .district
        .store()
        .applications(&ApplicationFilter {
            number: Some(number.clone()),
            ..ApplicationFilter::default()
        })
        .await?;
    let a = found.into_iter().next().ok_or_else(missing)?;
    let calendar = state.cases.rules().calendar.clone();
    let a = approvals::view(a, &calendar, Utc::now(), false);
    Ok(Json(approvals::public_status(&a)))
}
