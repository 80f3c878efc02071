//! 12345 hotline work orders: `/work-orders` — FIELDWORK §6.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::work_order::{OrderEvent, OrderState};

/// Who called: personal data, shown only to the roles that see reporters' contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Caller {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A work order as the city's centre sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewWorkOrder {
    /// The centre's order number (unique).
    pub number: String,
    pub received_at: DateTime<Utc>,
    /// How it came to the centre (phone, web, app …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// A type of the hotline's rules (`complaint`, `consultation` …).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub urgent: bool,
    #[serde(default)]
    pub caller: Caller,
    /// The caller's words.
    pub text: String,
    /// The address as the caller gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A work order as kept: what came, its loop's events, and their state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkOrder {
    pub id: i64,
    pub number: String,
    pub version: i64,
    pub received_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub urgent: bool,
    /// Left out for roles that may not see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<Caller>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// When the first reply was due (before any extension).
    pub due: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<OrderEvent>,
    pub state: OrderState,
    /// Unreplied past its due time, when read.
    #[serde(default)]
    pub overdue: bool,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// `POST /work-orders/{id}/actions`: the next step of an order's loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewOrderAction {
    /// The version the step was taken from (a newer one is a 409).
    pub version: i64,
    pub action: crate::work_order::OrderAction,
}

/// `GET /work-orders`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkOrderQuery {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `received`, `accepted`, `replied`, `called_back`, `closed`, or `open` for the first two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only those unreplied past their due time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Received on or after this local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<chrono::NaiveDate>,
    /// Received on or before this local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<chrono::NaiveDate>,
    /// `csv`: the replies and callbacks for the city's platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<crate::api::campaigns::TableFormat>,
    /// `zh`: the CSV's header and values in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkOrderList {
    /// Open ones first by due time, then the others, newest first.
    pub orders: Vec<WorkOrder>,
}

/// A category the caller's words suggest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategorySuggestion {
    pub category: String,
    pub name_zh: String,
    pub name_en: String,
    /// 0–1; the scores of all categories add to 1.
    pub score: f64,
}

/// `GET /work-orders/{id}/suggestions`: what the dispatcher confirms or corrects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderSuggestions {
    /// The most likely categories, best first.
    pub categories: Vec<CategorySuggestion>,
    /// The place the address or the words name, when one is found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<crate::api::GeocodeCandidate>,
    /// How many past cases the suggester learned from.
    pub trained_on: u64,
    /// Said when nothing matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /work-order-suggester`: the suggester as retrained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuggesterTrained {
    /// The past cases and settled orders it learned from.
    pub trained_on: u64,
    pub trained_at: DateTime<Utc>,
}

/// The figures of a group of work orders (FIELDWORK §6): those received in the days, as they
/// stand when read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderTally {
    /// The month (`2026-07`), community code or category code; empty for orders without one
    /// (not yet placed or classified) and for the whole.
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub received: u64,
    /// Received, by work-order type.
    pub by_type: std::collections::BTreeMap<String, u64>,
    /// Replied (办结答复) at least once.
    pub replied: u64,
    /// Replied, every reply by its due time (按时回复).
    pub replied_on_time: u64,
    /// Called back (回访).
    pub called_back: u64,
    /// Satisfied or basically satisfied at the last callback.
    pub satisfied: u64,
    /// `satisfied` over `called_back` (满意率).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied_rate: Option<f64>,
    /// Sent back to be handled again at least once (重办).
    pub rehandled: u64,
    pub urged: u64,
    pub closed: u64,
    /// Unreplied past their due time when read.
    pub overdue: u64,
    /// Working hours from receipt to the first reply, on average over the replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_working_hours: Option<f64>,
}

/// `GET /work-orders/figures`: the orders received in the days, in all and by month, community
/// and category, and how often the dispatchers kept the suggested category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderFigures {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub total: OrderTally,
    pub by_month: Vec<OrderTally>,
    pub by_community: Vec<OrderTally>,
    pub by_category: Vec<OrderTally>,
    /// Orders classified after a suggestion, and those whose first suggestion was kept.
    pub suggested: u64,
    pub suggestion_kept: u64,
    /// The Chinese names of the types counted.
    #[serde(default)]
    pub type_names: std::collections::BTreeMap<String, String>,
}

/// `POST /work-orders/push`: orders the city's platform pushes (with its own API key in
/// `X-Api-Key`); an order number already received updates that order, never a second one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PushOrders {
    pub orders: Vec<NewWorkOrder>,
}

/// What an import or a push did: orders new to citygrid, orders whose received details
/// changed, and orders received again unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrdersTaken {
    pub received: u64,
    pub updated: u64,
    pub unchanged: u64,
}
