//! `/assessments`: inspections and assessments of contract sections and door-front shops
//! (FIELDWORK §2–3) — recorded by those who assess, read by every user, exported as CSV.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::api::assessments::{
    Assessment, AssessmentFormat, AssessmentImportReport, AssessmentList, AssessmentQuery,
    IncompleteShops, NewAssessment, ShopRatings,
};

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::{Body, Query};
use super::{ApiError, AppState};
use crate::assessments::AssessmentError;
use crate::store::AssessmentFilter;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "post",
            "/assessments",
            "assessments",
            "Record an assessment of a section or a shop against a checklist template; it is \
             scored by the template's version, its findings placed in grid cells, and the \
             rectification notices asked for raised as cases",
            axum::routing::post(create),
        )
        .access(Permission::Assess)
        .json::<NewAssessment>("checklist, subject, findings, samples, assessors, notices")
        .answers::<Assessment>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/assessments",
            "assessments",
            "Assessments by month, kind, subject, contractor or area, newest first; as CSV with \
             format=csv",
            get(list),
        )
        .access(Permission::Session)
        .queries::<AssessmentQuery>()
        .answers::<AssessmentList>(),
        Endpoint::new(
            "post",
            "/assessments/import",
            "assessments",
            "Import past assessments from CSV (a bureau's sheets): each row checked and scored as \
             one recorded here; all or nothing, bad rows named by line and column",
            axum::routing::post(import),
        )
        .access(Permission::Assess)
        .body(
            "text/csv",
            "at, checklist, version, subject_type, subject, findings (U05;U01x3;U02=4), samples, assessors, note",
        )
        .answers::<AssessmentImportReport>(),
        Endpoint::new(
            "get",
            "/assessments/{id}",
            "assessments",
            "One assessment, with its findings, samples, score and notices",
            get(one),
        )
        .access(Permission::Session)
        .answers::<Assessment>(),
        Endpoint::new(
            "get",
            "/shops/ratings",
            "assessments",
            "Every surveyed shop's current door-front rating (its latest survey's band and colour)",
            get(shop_ratings),
        )
        .access(Permission::Session)
        .answers::<ShopRatings>(),
        Endpoint::new(
            "get",
            "/shops/incomplete",
            "assessments",
            "The shops whose record lacks a contact, a phone or a licence, to complete",
            get(incomplete_shops),
        )
        .access(Permission::Session)
        .answers::<IncompleteShops>(),
    ]
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<AssessmentImportReport>, ApiError> {
    use crate::assessments::csv_import::{AssessmentImportError as E, import};
    match import(
        &state.cases,
        &state.checklists,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await
    {
        Ok(imported) => Ok(Json(AssessmentImportReport { imported })),
        Err(E::Format(e)) => Err(ApiError::BadBody(e)),
        Err(E::Rows(rows)) => Err(super::error::rows_refused(
            format!("{} invalid row(s); nothing was imported", rows.len()),
            rows,
        )),
        Err(E::Store(e)) => Err(e.into()),
    }
}

async fn shop_ratings(State(state): State<AppState>) -> Result<Json<ShopRatings>, ApiError> {
    let ratings = crate::assessments::shops::read_ratings(
        state.district.store().as_ref(),
        &state.checklists.current(),
    )
    .await?;
    Ok(Json(ShopRatings { ratings }))
}

async fn incomplete_shops(State(state): State<AppState>) -> Json<IncompleteShops> {
    let atlas = state.district.atlas();
    Json(IncompleteShops {
        shops: crate::assessments::shops::incomplete(&atlas.base().shops),
    })
}

impl From<AssessmentError> for ApiError {
    fn from(e: AssessmentError) -> Self {
        match e {
            AssessmentError::Field { field, problem: p } => {
                problem(StatusCode::UNPROCESSABLE_ENTITY, p)
                    .at(&field)
                    .into()
            }
            AssessmentError::Frozen(detail) => {
                problem(StatusCode::CONFLICT, detail).at("at").into()
            }
            AssessmentError::Notice(e) => e.into(),
            AssessmentError::Store(e) => e.into(),
        }
    }
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewAssessment>,
) -> Result<Response, ApiError> {
    let a = crate::assessments::record(
        &state.cases,
        &state.checklists,
        &body,
        &caller.actor(),
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/assessments/{}", a.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(a)).into_response())
}

/// A month as `2026-09`, checked as the periods read it.
fn month(field: &str, text: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(t) = text else { return Ok(None) };
    crate::assessments::periods::month(field, t)?;
    Ok(Some(t.clone()))
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<AssessmentQuery>,
) -> Result<Response, ApiError> {
    let filter = AssessmentFilter {
        from_month: month("from", q.from.as_ref())?,
        to_month: month("to", q.to.as_ref())?,
        kind: q.kind,
        subject_type: match q.subject_type.as_deref() {
            None | Some("") => None,
            Some(t @ ("section" | "shop")) => Some(t.to_owned()),
            Some(other) => {
                return Err(ApiError::param(
                    "subject_type",
                    format!("expected section or shop, got {other:?}"),
                ));
            }
        },
        subject: q.subject.clone().filter(|s| !s.is_empty()),
        campaign: None,
        limit: None,
    };
    let mut items = state.district.store().assessments(&filter).await?;
    if let Some(c) = q.contractor.as_deref().filter(|c| !c.is_empty()) {
        items.retain(|a| a.contractor.as_deref() == Some(c));
    }
    if let Some(area) = q.area {
        items.retain(|a| a.area == Some(area));
    }
    match q.format.unwrap_or_default() {
        AssessmentFormat::Json => Ok(Json(AssessmentList { assessments: items }).into_response()),
        AssessmentFormat::Csv => {
            let tz = state.district.atlas().timezone();
            let chinese = q.lang.as_deref() == Some("zh");
            let bytes = crate::assessments::csv_out::assessments_csv(&items, tz, chinese);
            Ok(super::csv_answer::attachment("assessments.csv", bytes))
        }
    }
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Assessment>, ApiError> {
    let missing = || ApiError::NotFound(format!("no assessment {id}"));
    let n = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(missing)?;
    state
        .district
        .store()
        .assessment(n)
        .await?
        .map(Json)
        .ok_or_else(missing)
}
