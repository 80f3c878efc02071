//! Cases as the views use them: the map's filter, loading the map's points, acting on a case.

use chrono::{DateTime, Utc};
use citygrid_core::api::cases::{CaseDetail, CaseQuery, ListFormat, TransitionBody};
use citygrid_core::api::query::List;
use citygrid_core::case::{Action, Status};

use crate::api;
use crate::map;

/// What the case map shows. Empty parts do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub category: String,
    pub statuses: Vec<String>,
    pub source: String,
    pub community: String,
    pub grid: String,
    pub overdue: bool,
}

impl Filter {
    /// The filter as the API reads it; a part that is not a value of its kind does not filter.
    pub fn case_query(&self) -> CaseQuery {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        CaseQuery {
            from: self.from.trim().parse().ok(),
            to: self.to.trim().parse().ok(),
            category: text(&self.category).map(|c| List(vec![c])),
            source: self.source.trim().parse().ok().map(|s| List(vec![s])),
            status: Some(List(
                self.statuses
                    .iter()
                    .filter_map(|s| s.parse::<Status>().ok())
                    .collect(),
            ))
            .filter(|l| !l.0.is_empty()),
            community: text(&self.community),
            grid: text(&self.grid),
            overdue: self.overdue.then_some(true),
            ..CaseQuery::default()
        }
    }

    /// The query string for `/cases` (without `?`).
    pub fn query(&self) -> String {
        query_string(&self.case_query())
    }
}

/// A query as its string.
pub fn query_string(query: &CaseQuery) -> String {
    serde_urlencoded::to_string(query).unwrap_or_default()
}

/// The states in which a case still needs someone to act.
pub const OPEN: [&str; 5] = [
    "reported",
    "registered",
    "dispatched",
    "handled",
    "verified",
];

/// Every state, in the loop's order.
pub const STATES: [&str; 8] = [
    "reported",
    "registered",
    "dispatched",
    "handled",
    "verified",
    "closed",
    "rejected",
    "void",
];

/// Where a case can come from.
pub const SOURCES: [&str; 5] = ["patrol", "hotline", "public", "video", "inspection"];

/// What the web app reads of the map's points (`format=points`); the map draws the rest.
#[derive(serde::Deserialize)]
struct PointsRead {
    features: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    truncated: bool,
}

/// Draws every case of the filter on the map; returns how many and whether the answer was cut,
/// or `None` when a later filter was asked for meanwhile (then only its answer is drawn).
pub async fn show_on_map(filter: &Filter) -> Option<Result<(usize, bool), String>> {
    let ticket = crate::latest::begin("map-cases");
    let query = CaseQuery {
        format: Some(ListFormat::Points),
        ..filter.case_query()
    };
    let text = api::get_text(&format!("/api/v1/cases?{}", query_string(&query))).await;
    if !ticket.is_latest() {
        return None;
    }
    Some(text.and_then(|text| {
        let read: PointsRead = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        map::set_cases(&text);
        Ok((read.features.len(), read.truncated))
    }))
}

/// Takes one action of the closed loop on a case.
pub async fn act(id: i64, body: &TransitionBody) -> Result<CaseDetail, String> {
    api::post(&format!("/api/v1/cases/{id}/transitions"), body)
        .await
        .map_err(|f| f.detail)
}

/// Registers (when still reported) and dispatches a case to an officer: the dispatcher's one
/// click.
pub async fn assign(id: i64, officer: &str) -> Result<CaseDetail, String> {
    let case: CaseDetail = api::get(&format!("/api/v1/cases/{id}")).await?;
    if case.view.case.status == Status::Reported {
        act(id, &TransitionBody::just(Action::Register)).await?;
    }
    let dispatch = TransitionBody {
        assignee: Some(officer.to_owned()),
        ..TransitionBody::just(Action::Dispatch)
    };
    act(id, &dispatch).await
}

/// A time as the district's local `YYYY-MM-DD HH:MM` (the browser's zone is the district's on
/// the bureau's machines).
pub fn local_time(at: &DateTime<Utc>) -> String {
    local_text(&at.to_rfc3339())
}

/// The instant a `datetime-local` input holds: local time without a zone, which the browser
/// knows; `None` when the input is empty or not a time.
pub fn from_local_input(text: &str) -> Option<DateTime<Utc>> {
    let local = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text));
    let millis = local.get_time();
    if millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// [`local_time`] of a time as text (the text itself when it cannot be read).
pub fn local_text(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}
