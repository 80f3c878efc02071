//! `/work-orders`, `/work-order-types`, `/work-order-suggester`: 12345 hotline work orders
//! received from the city's centre (one at a time, imported, or pushed with the platform's key)
//! and taken through their loop at the dispatchers' desk (FIELDWORK §6); their figures and the
//! replies going back. Callers' names and phones only for those who see reporters' contacts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::Utc;
use citygrid_core::access::{Permission, sees_contacts};
use citygrid_core::api::approvals::FiguresQuery;
use citygrid_core::api::campaigns::TableFormat;
use citygrid_core::api::hotline::{
    NewOrderAction, NewWorkOrder, OrderFigures, OrderSuggestions, OrdersTaken, PushOrders,
    SuggesterTrained, WorkOrder, WorkOrderList, WorkOrderQuery,
};
use citygrid_core::work_order::HotlineRules;

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::{Body, Query};
use super::rate_limit::Door;
use super::record_errors::{figure_days, path_id};
use super::{ApiError, AppState};
use crate::hotline::orders;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/work-order-types",
            "hotline",
            "The work-order types with the time the bureau has to reply, the urgent reply time and the callback's",
            get(types),
        )
        .access(Permission::Session)
        .answers::<HotlineRules>(),
        Endpoint::new(
            "put",
            "/work-order-types",
            "hotline",
            "Change the work-order types and reply times (names, limits in working days or the \
             same day, the urgent and callback times); no type is removed, and each order keeps \
             the due time it was given",
            put(save_types),
        )
        .access(Permission::ManageCategories)
        .json::<HotlineRules>("about, types, urgent_within, callback_within")
        .answers::<HotlineRules>(),
        Endpoint::new(
            "get",
            "/work-orders",
            "hotline",
            "Work orders by type, status, overdue or days received: open ones first by due \
             time; `format=csv` gives their replies and callbacks for the city's platform",
            get(list),
        )
        .access(Permission::Session)
        .queries::<WorkOrderQuery>()
        .answers::<WorkOrderList>(),
        Endpoint::new(
            "post",
            "/work-orders",
            "hotline",
            "Receive a work order from the centre: its number (once), type, caller, words and \
             address; the reply is due by the type and the working calendar",
            post(create),
        )
        .access(Permission::HandleOrders)
        .json::<NewWorkOrder>("number, received_at, channel, type, urgent, caller, text, address")
        .answers::<WorkOrder>()
        .ok(201, "application/json"),
        Endpoint::new(
            "post",
            "/work-orders/import",
            "hotline",
            "Import work orders from CSV as the city's 12345 platform exports them; a number \
             already received updates that order; all or nothing, bad rows named by line and \
             column",
            post(import),
        )
        .access(Permission::HandleOrders)
        .body(
            "text/csv",
            "number, received_at, channel, type, urgent, caller_name, caller_phone, text, address",
        )
        .answers::<OrdersTaken>(),
        Endpoint::new(
            "post",
            "/work-orders/push",
            "hotline",
            "Orders pushed by the city's 12345 platform with its API key (`X-Api-Key`), no \
             login: idempotent by order number (a number already received updates that order, \
             the same order twice changes nothing); all or none",
            post(push),
        )
        .access(Permission::Public)
        .limited(Door::PublicReads)
        .header("X-Api-Key", "the 12345 platform's key (`--hotline-key`)")
        .json::<PushOrders>("orders")
        .answers::<OrdersTaken>(),
        Endpoint::new(
            "get",
            "/work-orders/figures",
            "hotline",
            "The orders received in the days (default: the current quarter so far), as they stand: \
             by type, replied, replied on time, called back, satisfied, handled again, urged, \
             closed, overdue, the mean working hours to the first reply — in all and by month, \
             community and category",
            get(figures),
        )
        .access(Permission::Session)
        .queries::<FiguresQuery>()
        .answers::<OrderFigures>(),
        Endpoint::new(
            "get",
            "/work-orders/{id}",
            "hotline",
            "One work order with its loop's events and state",
            get(one),
        )
        .access(Permission::Session)
        .answers::<WorkOrder>(),
        Endpoint::new(
            "get",
            "/work-orders/{id}/suggestions",
            "hotline",
            "The case categories the order's words suggest, ranked with a score, and the place its \
             address or words name; never an error for words that match nothing",
            get(suggestions),
        )
        .access(Permission::HandleOrders)
        .answers::<OrderSuggestions>(),
        Endpoint::new(
            "post",
            "/work-order-suggester",
            "hotline",
            "Retrain the category suggester now on every case's description and every order the \
             dispatchers settled (their corrections included); it also retrains by itself after \
             an import",
            post(retrain),
        )
        .access(Permission::HandleOrders)
        .answers::<SuggesterTrained>(),
        Endpoint::new(
            "post",
            "/work-orders/{id}/actions",
            "hotline",
            "The next step from the version read: accept, settle the category and place \
             (confirming or correcting the suggestion), create its case or link one, reply, ask \
             for more time before the due time, urge, call back, handle again, close",
            post(act),
        )
        .access(Permission::HandleOrders)
        .json::<NewOrderAction>("version, action")
        .answers::<WorkOrder>(),
    ]
}

async fn types(State(state): State<AppState>) -> Json<HotlineRules> {
    Json((*state.hotline.current()).clone())
}

async fn save_types(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<HotlineRules>,
) -> Result<Json<HotlineRules>, ApiError> {
    Ok(Json(
        state
            .hotline
            .save(body, &caller.user.username, Utc::now())
            .await?,
    ))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<WorkOrderQuery>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let calendar = state.cases.rules().calendar.clone();
    let items = orders::list(
        &state.district,
        &state.hotline.current(),
        &calendar,
        &q,
        sees_contacts(caller.user.role),
        now,
    )
    .await?;
    match q.format.unwrap_or_default() {
        TableFormat::Json => Ok(Json(WorkOrderList { orders: items }).into_response()),
        TableFormat::Csv => {
            let chinese = q.lang.as_deref() == Some("zh");
            let bytes = crate::hotline::csv_out::orders_csv(
                &state.hotline.current(),
                &items,
                calendar.timezone,
                chinese,
            )
            .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(super::csv_answer::attachment("work-orders.csv", bytes))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewWorkOrder>,
) -> Result<Response, ApiError> {
    let calendar = state.cases.rules().calendar.clone();
    let o = orders::receive(
        &state.district,
        &state.hotline.current(),
        &calendar,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/work-orders/{}", o.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(o)).into_response())
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<WorkOrder>, ApiError> {
    let id = path_id("work order", &id)?;
    let o = state
        .district
        .store()
        .work_order(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no work order {id}")))?;
    Ok(Json(orders::view(
        o,
        Utc::now(),
        sees_contacts(caller.user.role),
    )))
}

async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<NewOrderAction>,
) -> Result<Json<WorkOrder>, ApiError> {
    let id = path_id("work order", &id)?;
    let now = Utc::now();
    let o = orders::act(
        &state.cases,
        &state.hotline.current(),
        &caller.actor(),
        id,
        &body,
        now,
    )
    .await
    .map_err(|e| match e {
        orders::StepError::Record(e) => ApiError::from(e),
        orders::StepError::Case(e) => ApiError::from(e),
    })?;
    Ok(Json(orders::view(o, now, sees_contacts(caller.user.role))))
}

async fn suggestions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OrderSuggestions>, ApiError> {
    let id = path_id("work order", &id)?;
    let store = state.district.store();
    let o = store
        .work_order(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no work order {id}")))?;
    let rules = state.cases.rules();
    let suggester = state
        .suggester
        .get(store.as_ref(), &rules.catalogue)
        .await?;
    Ok(Json(crate::hotline::suggestions(
        &suggester,
        &rules.catalogue,
        &state.district.atlas(),
        &o,
    )))
}

async fn retrain(State(state): State<AppState>) -> Result<Json<SuggesterTrained>, ApiError> {
    let rules = state.cases.rules();
    let trained = state
        .suggester
        .train(state.district.store().as_ref(), &rules.catalogue)
        .await?;
    Ok(Json(SuggesterTrained {
        trained_on: trained.trained_on as u64,
        trained_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 3),
    }))
}

async fn figures(
    State(state): State<AppState>,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<OrderFigures>, ApiError> {
    let now = Utc::now();
    let (from, to) = figure_days(state.district.atlas().timezone(), &q, now)?;
    Ok(Json(
        crate::hotline::read_figures(
            &state.district,
            &state.cases.rules(),
            &state.hotline.current(),
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
) -> Result<Json<OrdersTaken>, ApiError> {
    let calendar = state.cases.rules().calendar.clone();
    let taken = crate::hotline::csv_import::import(
        &state.district,
        &state.hotline.current(),
        &calendar,
        &body,
        &caller.user.username,
        Utc::now(),
    )
    .await?;
    state.suggester.forget();
    Ok(Json(taken))
}

/// Who pushed orders, as their records and the audit log name it.
const PLATFORM: &str = "12345-platform";

async fn push(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Body(body): Body<PushOrders>,
) -> Result<Response, ApiError> {
    let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    match key {
        Some(k) if state.hotline_keys.iter().any(|x| x == k) => {}
        Some(_) => {
            return Err(ApiError::forbidden(
                "X-Api-Key is not a key of the 12345 platform",
            ));
        }
        None => {
            return Err(problem(
                StatusCode::UNAUTHORIZED,
                "the 12345 platform pushes with its key in X-Api-Key",
            )
            .into());
        }
    }
    let calendar = state.cases.rules().calendar.clone();
    let taken = crate::hotline::exchange::push(
        &state.district,
        &state.hotline.current(),
        &calendar,
        &body.orders,
        PLATFORM,
        Utc::now(),
    )
    .await?;
    if taken.received + taken.updated > 0 {
        state.suggester.forget();
    }
    let note = super::audit::AuditNote(format!(
        "pushed by {PLATFORM}: {} new, {} updated, {} unchanged",
        taken.received, taken.updated, taken.unchanged
    ));
    let mut answer = Json(taken).into_response();
    answer.extensions_mut().insert(note);
    Ok(answer)
}
