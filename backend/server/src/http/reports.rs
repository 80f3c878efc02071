//! `/reports`: the quarterly report — its figures (JSON, CSV), the printable page and the Word
//! file; its narrative draft, which a leader edits and completes with next quarter's plan
//! (kept with the quarter); and the templates the draft is written from.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use citygrid_core::access::Permission;
use citygrid_core::api::analytics::{Quarter, QuarterlyQuery, QuarterlyReport, ReportFormat};
use citygrid_core::api::report_draft::{
    DraftEdit, DraftQuery, DraftTemplates, ReportDraft, ReportText,
};

use super::audit::AuditNote;
use super::auth::Caller;
use super::endpoint::Endpoint;
use super::extract::{Body, Query};
use super::{ApiError, AppState};
use crate::record_error::RecordError;
use crate::statistics::{charts, draft, draft_context, report, report_docx, report_html};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new("get", "/reports/draft-templates", "analytics", "The templates the quarterly report's draft is written from: sections, titles and paragraphs (MiniJinja over the quarter's figures, docs/statistics.md)", get(draft_templates))
            .access(Permission::Analyse)
            .answers::<DraftTemplates>(),
        Endpoint::new("put", "/reports/draft-templates", "analytics", "Change the draft's templates: wording, order, which lines appear; a template that does not read or names a figure there is not is refused, naming it", put(save_draft_templates))
            .access(Permission::ManageCategories)
            .json::<DraftTemplates>("about, title, sections")
            .answers::<DraftTemplates>(),
        Endpoint::new("get", "/reports/quarterly/draft", "analytics", "The quarterly report's narrative draft in the bureau's customary sections, written from its templates over the quarter's figures, each compared with the quarter before and the same quarter a year before where there are records; each paragraph with links to the records behind it; a leader's edits and plan in place", get(read_draft))
            .access(Permission::Analyse)
            .queries::<DraftQuery>()
            .answers::<ReportDraft>(),
        Endpoint::new("put", "/reports/quarterly/draft", "analytics", "A leader's edits of the quarter's text, from the version read: paragraphs rewritten (or left out, empty), and next quarter's plan; kept with the quarter and audited; the paragraphs' links to their records stay", put(save_draft))
            .access(Permission::WriteReports)
            .queries::<DraftQuery>()
            .json::<DraftEdit>("version, paragraphs, plan")
            .answers::<ReportDraft>(),
        Endpoint::new("get", "/reports/quarterly", "analytics", "The quarterly report: cases by source, category, community and month, hotline, ratios, recurring places, hot spots; sanitation assessments (urban and rural, by contractor) and the door-front survey; campaigns, approvals, 12345 orders — as JSON, CSV, a printable page or a Word file (format=docx) with the draft and charts", get(quarterly))
            .access(Permission::Analyse)
            .queries::<QuarterlyQuery>()
            .answers::<QuarterlyReport>(),
    ]
}

/// The whole quarterly report: the cases' figures, the inspections, campaigns, approvals and
/// hotline lines of the quarter.
async fn full_report(
    state: &AppState,
    quarter: Quarter,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<QuarterlyReport, ApiError> {
    let rules = state.cases.rules();
    let mut r = state
        .statistics
        .quarterly(quarter, &rules.catalogue, now)
        .await?;
    let atlas = state.district.atlas();
    let store = state.district.store();
    let last = r.to.pred_opt().unwrap_or(r.to);
    r.inspections = Some(
        crate::assessments::quarter::inspections(
            store.as_ref(),
            atlas.base(),
            &state.checklists.current(),
            r.from,
            r.to,
        )
        .await?,
    );
    r.campaigns = Some(
        crate::campaigns::quarter::lines(
            store.as_ref(),
            &state.campaign_kinds.current(),
            r.from,
            r.to,
        )
        .await?,
    );
    r.approvals = Some(
        crate::approvals::figures::read(
            store.as_ref(),
            crate::approvals::types(),
            &rules.calendar,
            r.from,
            last,
            now,
        )
        .await?,
    );
    r.work_orders = Some(
        crate::hotline::read_figures(
            &state.district,
            &rules,
            &state.hotline.current(),
            r.from,
            last,
            now,
        )
        .await?,
    );
    Ok(r)
}

/// Whether a quarter holds any record at all (a comparison needs one).
fn has_records(r: &QuarterlyReport) -> bool {
    r.received > 0
        || r.work_orders.as_ref().is_some_and(|w| w.total.received > 0)
        || r.approvals.as_ref().is_some_and(|a| a.handled + a.open > 0)
        || r.campaigns.as_ref().is_some_and(|c| !c.is_empty())
        || r.inspections.as_ref().is_some_and(|i| {
            i.door_front.surveys > 0 || i.sanitation.iter().any(|s| s.daily + s.comprehensive > 0)
        })
}

/// The quarter's report, refused (naming `quarter`) when it has not begun or holds no record
/// (before the first, or a quarter nothing was recorded in).
async fn written_quarter(
    state: &AppState,
    q: Quarter,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<QuarterlyReport, ApiError> {
    let today = now
        .with_timezone(&state.district.atlas().timezone())
        .date_naive();
    if q.first_day() > today {
        return Err(ApiError::param("quarter", format!("{q} has not begun")));
    }
    let r = full_report(state, q, now).await?;
    if !has_records(&r) {
        return Err(ApiError::param(
            "quarter",
            format!("there are no records in {q}"),
        ));
    }
    Ok(r)
}

async fn quarterly(
    State(state): State<AppState>,
    Query(query): Query<QuarterlyQuery>,
) -> Result<Response, ApiError> {
    let now = chrono::Utc::now();
    let r = written_quarter(&state, query.quarter, now).await?;
    let format = query.format.unwrap_or_default();
    if format == ReportFormat::Json {
        return Ok(Json(r).into_response());
    }
    if format == ReportFormat::Csv {
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"report-{}.csv\"", r.quarter),
                ),
            ],
            report::csv(&r, query.lang.unwrap_or_default())
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        )
            .into_response());
    }
    // The page and the Word file open with the draft.
    let draft = write_draft(&state, &r, now).await?;
    let atlas = state.district.atlas();
    let cells: Vec<_> = atlas
        .base()
        .grids
        .iter()
        .map(|g| (g.code.as_str(), &g.geometry))
        .collect();
    let drawn = charts::report_charts(&r, &cells);
    if format == ReportFormat::Html {
        return Ok(axum::response::Html(report_html::html(&r, &draft, &drawn)).into_response());
    }
    let file = tokio::task::spawn_blocking(move || report_docx::docx(&r, &draft, &drawn))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"report-{}.docx\"", query.quarter),
            ),
        ],
        file,
    )
        .into_response())
}

async fn read_draft(
    State(state): State<AppState>,
    Query(query): Query<DraftQuery>,
) -> Result<Json<ReportDraft>, ApiError> {
    let now = chrono::Utc::now();
    let r = written_quarter(&state, query.quarter, now).await?;
    Ok(Json(write_draft(&state, &r, now).await?))
}

async fn save_draft(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<DraftQuery>,
    Body(edit): Body<DraftEdit>,
) -> Result<Response, ApiError> {
    let now = chrono::Utc::now();
    let r = written_quarter(&state, query.quarter, now).await?;
    draft::check_edit(&state.draft.current(), &edit)?;
    let store = state.district.store();
    let quarter = query.quarter.to_string();
    let kept = store.report_text(&quarter).await?;
    let current = kept.as_ref().map_or(0, |t| t.version);
    if edit.version != current {
        return Err(RecordError::conflict(
            "version",
            format!("the text of {quarter} is at version {current}; read it again"),
        )
        .into());
    }
    let text = ReportText {
        id: kept.as_ref().map_or(0, |t| t.id),
        quarter: quarter.clone(),
        paragraphs: edit.paragraphs,
        plan: edit.plan,
        version: current + 1,
        updated_by: caller.user.username.clone(),
        updated_at: now,
    };
    store
        .save_report_text(&text, current)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Conflict(what) => ApiError::from(RecordError::conflict(
                "version",
                format!("{what} was changed meanwhile; read it again"),
            )),
            other => other.into(),
        })?;
    let note = AuditNote(format!(
        "quarter={quarter} version={} paragraphs={} plan={}",
        text.version,
        text.paragraphs
            .iter()
            .map(|p| format!("{}/{}", p.section, p.key))
            .collect::<Vec<_>>()
            .join(","),
        text.plan.chars().count()
    ));
    let mut response = Json(write_draft(&state, &r, now).await?).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

/// The draft of the quarter `r` with its edits, compared with the quarter before and a year
/// before.
async fn write_draft(
    state: &AppState,
    r: &QuarterlyReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ReportDraft, ApiError> {
    let q: Quarter = r
        .quarter
        .parse()
        .map_err(|e: String| ApiError::param("quarter", e))?;
    let before = |q: Quarter| async move {
        let r = full_report(state, q, now).await?;
        Ok::<_, ApiError>(has_records(&r).then_some(r))
    };
    let previous = if q.number == 1 {
        Quarter {
            year: q.year - 1,
            number: 4,
        }
    } else {
        Quarter {
            year: q.year,
            number: q.number - 1,
        }
    };
    let previous = before(previous).await?;
    let last_year = before(Quarter {
        year: q.year - 1,
        number: q.number,
    })
    .await?;
    let edits = state.district.store().report_text(&r.quarter).await?;
    let ctx = draft_context::context(r, previous.as_ref(), last_year.as_ref());
    let mut d = draft::render(&state.draft.current(), r, &ctx, edits.as_ref())?;
    d.comparisons = draft_context::comparisons(r, previous.as_ref(), last_year.as_ref());
    Ok(d)
}

async fn draft_templates(State(state): State<AppState>) -> Json<DraftTemplates> {
    Json((*state.draft.current()).clone())
}

async fn save_draft_templates(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<DraftTemplates>,
) -> Result<Json<DraftTemplates>, ApiError> {
    Ok(Json(
        state
            .draft
            .save(body, &caller.user.username, chrono::Utc::now())
            .await?,
    ))
}
