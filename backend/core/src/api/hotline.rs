//! 12345 hotline work orders: `/work-orders` — FIELDWORK §6 (issue 20, in progress).

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
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}
