//! `/periods`: contract sections' months — figures from their assessments and the contract's
//! rule, signed off by a leader and frozen, corrected and appealed afterwards (FIELDWORK §2).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::api::assessments::{
    AssessmentFormat, PeriodChangeBody, PeriodChangeRequest, PeriodQuery, PeriodTable, SignOffBody,
};
use citygrid_core::period::{Period, PeriodRefusal};

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::{Body, Query};
use super::{ApiError, AppState};
use crate::assessments::PeriodError;
use crate::assessments::periods::{self, month, months};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/periods",
            "assessments",
            "Each contract section's months from `from` to `to`: assessments, score, the \
             contract's settlement, sign-off, corrections, appeals and the deduction; totals by \
             urban and rural; CSV with format=csv",
            get(table),
        )
        .access(Permission::Session)
        .queries::<PeriodQuery>()
        .answers::<PeriodTable>(),
        Endpoint::new(
            "post",
            "/periods/changes",
            "assessments",
            "Change one section's month: sign it off (its figures frozen), correct it after \
             sign-off, record the contractor's appeal, decide an appeal",
            post(change),
        )
        .access(Permission::SignOffPeriods)
        .json::<PeriodChangeRequest>("section, month and the change")
        .answers::<Period>(),
        Endpoint::new(
            "post",
            "/periods/signoff",
            "assessments",
            "Sign a month off for the sections named, or for every section assessed that month",
            post(sign_off),
        )
        .access(Permission::SignOffPeriods)
        .json::<SignOffBody>("month and sections")
        .answers::<PeriodTable>(),
    ]
}

impl From<PeriodError> for ApiError {
    fn from(e: PeriodError) -> Self {
        match e {
            PeriodError::Field { field, problem: p } => {
                problem(StatusCode::UNPROCESSABLE_ENTITY, p)
                    .at(&field)
                    .into()
            }
            PeriodError::Refused(r @ (PeriodRefusal::Signed | PeriodRefusal::NotSigned)) => {
                problem(StatusCode::CONFLICT, r.to_string())
                    .at("change")
                    .into()
            }
            PeriodError::Refused(r) => problem(StatusCode::UNPROCESSABLE_ENTITY, r.to_string())
                .at("change")
                .into(),
            PeriodError::Store(e) => e.into(),
        }
    }
}

/// The periods of the query's months, filtered.
async fn periods_of(state: &AppState, q: &PeriodQuery) -> Result<PeriodTable, ApiError> {
    let tz = state.district.atlas().timezone();
    let this_month = Utc::now().with_timezone(&tz).format("%Y-%m").to_string();
    let from_text = q.from.clone().unwrap_or(this_month);
    let to_text = q.to.clone().unwrap_or_else(|| from_text.clone());
    let from = month("from", &from_text)?;
    let to = month("to", &to_text)?;
    if to < from {
        return Err(ApiError::param("to", "is before from"));
    }
    let months = months(from, to);
    let atlas = state.district.atlas();
    let sections: Vec<_> = atlas
        .base()
        .sections
        .iter()
        .filter(|s| q.area.is_none_or(|a| s.area == a))
        .filter(|s| {
            q.contractor
                .as_deref()
                .is_none_or(|c| c.is_empty() || s.contractor == c)
        })
        .cloned()
        .collect();
    let rules = state.checklists.current();
    let periods =
        periods::read(state.district.store().as_ref(), &sections, &months, &rules).await?;
    Ok(PeriodTable {
        totals: periods::totals(&periods),
        from: from_text,
        to: to_text,
        periods,
    })
}

async fn table(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let t = periods_of(&state, &q).await?;
    match q.format.unwrap_or_default() {
        AssessmentFormat::Json => Ok(Json(t).into_response()),
        AssessmentFormat::Csv => {
            let tz = state.district.atlas().timezone();
            let bytes = crate::assessments::csv_out::periods_csv(
                &t.periods,
                tz,
                q.lang.as_deref() == Some("zh"),
            );
            Ok(super::csv_answer::attachment("periods.csv", bytes))
        }
    }
}

async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<PeriodChangeRequest>,
) -> Result<Json<Period>, ApiError> {
    let period = state
        .periods
        .change(
            &state.district,
            &state.checklists,
            &body,
            &caller.user.username,
            Utc::now(),
        )
        .await?;
    Ok(Json(period))
}

async fn sign_off(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<SignOffBody>,
) -> Result<Json<PeriodTable>, ApiError> {
    let q = PeriodQuery {
        from: Some(body.month.clone()),
        to: Some(body.month.clone()),
        ..PeriodQuery::default()
    };
    let current = periods_of(&state, &q).await?;
    let chosen: Vec<String> = if body.sections.is_empty() {
        current
            .periods
            .iter()
            .filter(|p| !p.is_signed() && p.figures.score.is_some())
            .map(|p| p.figures.section.to_string())
            .collect()
    } else {
        body.sections.clone()
    };
    // Every section named is checked before any is signed: all or none.
    for (i, section) in chosen.iter().enumerate() {
        match current
            .periods
            .iter()
            .find(|p| p.figures.section.as_str() == section)
        {
            None => {
                return Err(ApiError::param(
                    &format!("sections[{i}]"),
                    format!("there is no section {section}"),
                ));
            }
            Some(p) if p.is_signed() => {
                return Err(problem(
                    StatusCode::CONFLICT,
                    format!("{} of section {section} is signed off already", body.month),
                )
                .at(format!("sections[{i}]"))
                .into());
            }
            Some(_) => {}
        }
    }
    let mut signed = Vec::new();
    for (i, section) in chosen.iter().enumerate() {
        let request = PeriodChangeRequest {
            section: section.clone(),
            month: body.month.clone(),
            change: PeriodChangeBody::SignOff,
        };
        let done = state
            .periods
            .change(
                &state.district,
                &state.checklists,
                &request,
                &caller.user.username,
                Utc::now(),
            )
            .await
            .map_err(|e| match e {
                PeriodError::Field { field, problem } if field == "section" => PeriodError::Field {
                    field: format!("sections[{i}]"),
                    problem,
                },
                other => other,
            })?;
        signed.push(done);
    }
    Ok(Json(PeriodTable {
        from: body.month.clone(),
        to: body.month,
        totals: periods::totals(&signed),
        periods: signed,
    }))
}
