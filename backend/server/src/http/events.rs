//! `GET /events`: server-sent events for cases created and changed within the caller's
//! reach, filtered by grid, community and category; and officers' positions as they arrive,
//! for those who may see them. Each event's id is its sequence number; a client reconnecting with
//! `Last-Event-ID` (or `?last_event_id=`) gets every event after it, then the live ones.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};

use citygrid_core::access::Permission;

use super::auth::{Caller, require_places};
use super::endpoint::Endpoint;
use super::extract::Query;
use super::{ApiError, AppState};
use crate::store::LiveFilter;
use citygrid_core::api::cases::EventsQuery;

/// Events read from the store per step.
const BATCH: usize = 200;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/events",
            "cases",
            "Server-sent events for cases created and changed (event: case), and officers' positions for those who may see them (event: position)",
            get(events),
        )
        .access(Permission::ReadCases)
        .queries::<EventsQuery>()
        .header("Last-Event-ID", "resume after this event")
        .ok(200, "text/event-stream"),
    ]
}

fn sse_event(e: &citygrid_core::case::LiveEvent) -> Event {
    Event::default()
        .id(e.seq.to_string())
        .event("case")
        .json_data(e)
        .unwrap_or_else(|_| Event::default().comment("an event could not be encoded"))
}

async fn events(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Places by code or by name, as on the case list.
    let atlas = state.district.atlas();
    let filter = LiveFilter {
        reach: Default::default(),
        grids: (query.grid.unwrap_or_default().0.iter())
            .map(|g| atlas.grid_code(g).to_owned())
            .collect(),
        communities: (query.community.unwrap_or_default().0.iter())
            .map(|c| atlas.community_code(c).to_owned())
            .collect(),
        categories: query.category.unwrap_or_default().0,
    };
    require_places(
        &caller,
        &atlas,
        filter
            .grids
            .iter()
            .chain(&filter.communities)
            .map(String::as_str),
    )?;
    let header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let resume = match header {
        Some(text) => Some(
            text.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::param("Last-Event-ID", "expected an event id"))?,
        ),
        None => query.last_event_id,
    };
    // Subscribe before reading the start, so that nothing stored in between is missed.
    let mut wake = state.cases.subscribe();
    wake.borrow_and_update();
    let start = match resume {
        Some(seq) => seq,
        None => state.cases.latest_event_seq().await?,
    };
    let cases = state.cases.clone();
    let accounts = state.accounts.clone();
    let actor = caller.actor();
    let caller_for_positions = caller.clone();
    let steps = stream::unfold(Some((start, wake)), move |state| {
        let cases = cases.clone();
        let accounts = accounts.clone();
        let filter = filter.clone();
        let actor = actor.clone();
        let caller = caller.clone();
        async move {
            let (last, mut wake) = state?;
            loop {
                match cases.events_after(last, &filter, &actor, BATCH).await {
                    // A session that ended (logout, expiry, a change to the user) gets no more.
                    Ok(batch) if !batch.is_empty() && !caller.still_live(&accounts).await => {
                        let out = vec![Ok(Event::default()
                            .event("error")
                            .data("the session has ended; log in again"))];
                        return Some((out, None));
                    }
                    Ok(batch) if !batch.is_empty() => {
                        let next = batch.last().map_or(last, |e| e.seq);
                        let out: Vec<Result<Event, Infallible>> =
                            batch.iter().map(|e| Ok(sse_event(e))).collect();
                        return Some((out, Some((next, wake))));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "reading case events for a listener");
                        let out = vec![Ok(Event::default()
                            .event("error")
                            .data("events could not be read; reconnect"))];
                        return Some((out, None));
                    }
                }
                // Wait until something new is stored.
                if wake.changed().await.is_err() {
                    return None;
                }
            }
        }
    });
    // The case stream's end (a session that ended) ends the response, positions or not.
    let cases = steps
        .flat_map(stream::iter)
        .map(Some)
        .chain(stream::once(std::future::ready(None)));
    let events = match positions(&state, &caller_for_positions) {
        Some(fixes) => stream::select(cases, fixes.map(Some)).boxed(),
        None => cases.boxed(),
    }
    .take_while(|e| std::future::ready(e.is_some()))
    .filter_map(std::future::ready);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// How often a position stream asks whether its session is still live.
const SESSION_CHECK: Duration = Duration::from_secs(30);

/// Officers' fixes as they become current (`event: position`), for callers who may see them:
/// every officer for dispatchers and admins, those of their area for a supervisor.
fn positions(
    state: &AppState,
    caller: &Caller,
) -> Option<stream::BoxStream<'static, Result<Event, Infallible>>> {
    let visible = state.dispatch.visible_officers(&caller.user);
    if visible.is_empty() {
        return None;
    }
    let receiver = state.dispatch.roster().subscribe();
    let accounts = state.accounts.clone();
    let caller = caller.clone();
    let checked = std::time::Instant::now();
    let fixes = stream::unfold(Some((receiver, checked)), move |step| {
        let (accounts, caller, visible) = (accounts.clone(), caller.clone(), visible.clone());
        async move {
            let (mut receiver, mut checked) = step?;
            loop {
                let fix = match receiver.recv().await {
                    Ok(fix) => fix,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                };
                if !visible.contains(&fix.officer) {
                    continue;
                }
                if checked.elapsed() >= SESSION_CHECK {
                    if !caller.still_live(&accounts).await {
                        return None;
                    }
                    checked = std::time::Instant::now();
                }
                let event = Event::default()
                    .event("position")
                    .json_data(&fix)
                    .unwrap_or_else(|_| Event::default().comment("a fix could not be encoded"));
                return Some((Ok(event), Some((receiver, checked))));
            }
        }
    });
    Some(fixes.boxed())
}
