//! `/campaigns`, `/campaign-kinds`, `/campaign-actions/import`: campaigns (专项整治) planned by
//! their leads, actions with tallies recorded by field teams, the figures, and CSV both ways
//! (FIELDWORK §4).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::api::campaigns::{
    Action, ActionList, ActionQuery, Campaign, CampaignFigures, CampaignList, CampaignQuery,
    ImportCount, NewAction, NewCampaign, TableFormat,
};
use citygrid_core::campaign::CampaignKinds;

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::extract::{Body, Query};
use super::record_errors::{path_id, query_day};
use super::{ApiError, AppState};
use crate::campaigns;
use crate::store::{ActionFilter, CampaignFilter};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/campaign-kinds",
            "campaigns",
            "The campaign kinds with the items their actions tally, each in its unit",
            get(kinds),
        )
        .access(Permission::Session)
        .answers::<CampaignKinds>(),
        Endpoint::new(
            "put",
            "/campaign-kinds",
            "campaigns",
            "Change the campaign kinds: add kinds and items, rename them; none is removed and no \
             item changes its unit",
            put(save_kinds),
        )
        .access(Permission::ManageCategories)
        .json::<CampaignKinds>("the whole catalogue, as GET /campaign-kinds gives it")
        .answers::<CampaignKinds>(),
        Endpoint::new(
            "get",
            "/campaigns",
            "campaigns",
            "Campaigns of a kind or running between two days, latest first; as CSV with format=csv",
            get(list),
        )
        .access(Permission::Session)
        .queries::<CampaignQuery>()
        .answers::<CampaignList>(),
        Endpoint::new(
            "post",
            "/campaigns",
            "campaigns",
            "Plan a campaign: kind, period, area (zones, communities, grid cells or a drawn \
             polygon), lead team, targets and rate bases",
            post(create),
        )
        .access(Permission::ManageCampaigns)
        .json::<NewCampaign>("name, kind, starts, ends, area, lead_team, targets, bases")
        .answers::<Campaign>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/campaigns/{id}",
            "campaigns",
            "One campaign",
            get(one),
        )
        .access(Permission::Session)
        .answers::<Campaign>(),
        Endpoint::new(
            "put",
            "/campaigns/{id}",
            "campaigns",
            "Change a campaign from the version read; its period keeps every action recorded, its \
             kind stays once actions tally its items",
            put(update),
        )
        .access(Permission::ManageCampaigns)
        .json::<NewCampaign>("the campaign as planned, with the version it was read at")
        .answers::<Campaign>(),
        Endpoint::new(
            "get",
            "/campaigns/{id}/actions",
            "campaigns",
            "A campaign's actions, oldest first, by days or community; as CSV with format=csv",
            get(actions),
        )
        .access(Permission::Session)
        .queries::<ActionQuery>()
        .answers::<ActionList>(),
        Endpoint::new(
            "post",
            "/campaigns/{id}/actions",
            "campaigns",
            "Record an action of a campaign: time within its period, place (resolved to grid \
             cell, community and zones), officers, vehicles, photos, tallies, cases found",
            post(record_action),
        )
        .access(Permission::RecordActions)
        .json::<NewAction>("at, place, officers, vehicles, note, photos, tallies, cases")
        .answers::<Action>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/campaigns/{id}/figures",
            "campaigns",
            "A campaign's figures: totals per item, per community and per month, progress against \
             its targets, rates with numerator and denominator, linked cases and assessments",
            get(figures),
        )
        .access(Permission::Session)
        .answers::<CampaignFigures>(),
        Endpoint::new(
            "post",
            "/campaign-actions/import",
            "campaigns",
            "Import past campaigns' actions from CSV: each row checked as one recorded here; all \
             or nothing, bad rows named by line and column",
            post(import),
        )
        .access(Permission::ManageCampaigns)
        .body(
            "text/csv",
            "campaign, at, lon, lat, officers, vehicles, note, tallies (wires-removed=12;fines=600/2)",
        )
        .answers::<ImportCount>(),
    ]
}

async fn kinds(State(state): State<AppState>) -> Json<CampaignKinds> {
    Json((*state.campaign_kinds.current()).clone())
}

async fn save_kinds(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<CampaignKinds>,
) -> Result<Json<CampaignKinds>, ApiError> {
    Ok(Json(
        state
            .campaign_kinds
            .save(body, &caller.user.username, Utc::now())
            .await?,
    ))
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<CampaignQuery>,
) -> Result<Response, ApiError> {
    let items = state
        .district
        .store()
        .campaigns(&CampaignFilter {
            kind: q.kind.clone().filter(|k| !k.is_empty()),
            running_from: query_day("from", q.from)?,
            running_to: query_day("to", q.to)?,
        })
        .await?;
    match q.format.unwrap_or_default() {
        TableFormat::Json => Ok(Json(CampaignList { campaigns: items }).into_response()),
        TableFormat::Csv => {
            let chinese = q.lang.as_deref() == Some("zh");
            let bytes = campaigns::csv_out::campaigns_csv(&items, chinese);
            Ok(super::csv_answer::attachment("campaigns.csv", bytes))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewCampaign>,
) -> Result<Response, ApiError> {
    let c = campaigns::create(
        &state.district,
        &state.campaign_kinds,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/campaigns/{}", c.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(c)).into_response())
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Campaign>, ApiError> {
    let id = path_id("campaign", &id)?;
    Ok(Json(campaigns::find(&state.district, id).await?))
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<NewCampaign>,
) -> Result<Json<Campaign>, ApiError> {
    let id = path_id("campaign", &id)?;
    Ok(Json(
        campaigns::update(
            &state.district,
            &state.campaign_kinds,
            id,
            &body,
            &caller.user.username,
            Utc::now(),
        )
        .await?,
    ))
}

async fn actions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ActionQuery>,
) -> Result<Response, ApiError> {
    let id = path_id("campaign", &id)?;
    campaigns::find(&state.district, id).await?;
    let items = state
        .district
        .store()
        .actions(&ActionFilter {
            campaign: Some(id),
            from_day: query_day("from", q.from)?,
            to_day: query_day("to", q.to)?,
            community: q.community.clone().filter(|c| !c.is_empty()),
        })
        .await?;
    match q.format.unwrap_or_default() {
        TableFormat::Json => Ok(Json(ActionList { actions: items }).into_response()),
        TableFormat::Csv => {
            let tz = state.district.atlas().timezone();
            let chinese = q.lang.as_deref() == Some("zh");
            let bytes = campaigns::csv_out::actions_csv(&items, tz, chinese);
            Ok(super::csv_answer::attachment("actions.csv", bytes))
        }
    }
}

async fn record_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<NewAction>,
) -> Result<Response, ApiError> {
    let id = path_id("campaign", &id)?;
    let a = campaigns::record_action(
        &state.district,
        &state.campaign_kinds,
        id,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/campaigns/{id}/actions");
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(a)).into_response())
}

async fn figures(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CampaignFigures>, ApiError> {
    let id = path_id("campaign", &id)?;
    let c = campaigns::find(&state.district, id).await?;
    let store = state.district.store();
    let actions = store
        .actions(&ActionFilter {
            campaign: Some(id),
            ..ActionFilter::default()
        })
        .await?;
    Ok(Json(
        campaigns::figures::campaign_figures(
            store.as_ref(),
            &state.campaign_kinds.current(),
            &state.cases.rules().calendar,
            &c,
            &actions,
            Utc::now(),
        )
        .await?,
    ))
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<ImportCount>, ApiError> {
    let imported = campaigns::csv_import::import(
        &state.district,
        &state.campaign_kinds.current(),
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    Ok(Json(ImportCount { imported }))
}
