//! Cases as the views use them: the map's filter, loading the map's points, acting on a case.

use serde_json::{Value, json};

use crate::api::{self, encode};
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
    /// The query string for `/cases` (without `?`).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("category", &self.category),
            ("source", &self.source),
            ("community", &self.community),
            ("grid", &self.grid),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{name}={}", encode(value.trim())));
            }
        }
        if !self.statuses.is_empty() {
            parts.push(format!("status={}", self.statuses.join(",")));
        }
        if self.overdue {
            parts.push("overdue=true".to_owned());
        }
        parts.join("&")
    }
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

/// Draws every case of the filter on the map; returns how many and whether the answer was cut.
pub async fn show_on_map(filter: &Filter) -> Result<(usize, bool), String> {
    let text = api::get_text(&format!("/api/v1/cases?format=points&{}", filter.query())).await?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    map::set_cases(&text);
    Ok((
        parsed["features"].as_array().map_or(0, Vec::len),
        parsed["truncated"].as_bool().unwrap_or(false),
    ))
}

/// Takes one action of the closed loop on a case.
pub async fn act(id: i64, body: Value) -> Result<Value, String> {
    api::post(&format!("/api/v1/cases/{id}/transitions"), &body)
        .await
        .map_err(|f| f.detail)
}

/// Registers (when still reported) and dispatches a case to an officer: the dispatcher's one
/// click.
pub async fn assign(id: i64, officer: &str) -> Result<Value, String> {
    let case: Value = api::get(&format!("/api/v1/cases/{id}")).await?;
    if case["status"] == "reported" {
        act(id, json!({ "action": "register" })).await?;
    }
    act(id, json!({ "action": "dispatch", "assignee": officer })).await
}

/// A time as the district's local `YYYY-MM-DD HH:MM` (the browser's zone is the district's on
/// the bureau's machines; the text is what the server sent when it cannot be read).
pub fn local_time(rfc3339: &str) -> String {
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
