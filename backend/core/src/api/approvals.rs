//! Approvals and filings (审批备案): `/approval-types`, `/applications` with their steps and
//! figures, and the applicant's public status lookup — FIELDWORK §5.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::api::campaigns::TableFormat;
use crate::approval::{ApprovalLimit, Clock, Mode};

/// Who applies: personal data, shown only to the roles that handle applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Applicant {
    /// A person's or a business's name.
    pub name: String,
    /// A business's unified social credit code (统一社会信用代码), checked by its check character.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    /// A phone number or other way to reach them.
    pub contact: String,
}

/// Where the application is for: a position, a shop, an address (at least one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApplicationPlace {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<LonLat>,
    /// A shop's code (a sign filing names its shop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A shop sign's particulars, for a sign filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignDetails {
    /// The sign's words.
    pub text: String,
    /// Its size in square metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
}

/// `POST /applications`: an application as the desk receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewApplication {
    /// A type of `GET /approval-types`.
    #[serde(rename = "type")]
    pub kind: String,
    pub applicant: Applicant,
    /// What is applied for, in a line.
    pub subject: String,
    #[serde(default)]
    pub place: ApplicationPlace,
    /// When it was received (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
    /// The materials brought with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// For a shop-sign filing: the sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<SignDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One step of an application after it was received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Step {
    /// More materials asked for: the clock stops.
    MaterialsRequested {
        at: DateTime<Utc>,
        by: String,
        materials: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The materials came: the clock runs again.
    MaterialsReceived { at: DateTime<Utc>, by: String },
    Approved {
        at: DateTime<Utc>,
        by: String,
        /// The licence's or filing's certificate number.
        certificate: String,
    },
    Rejected {
        at: DateTime<Utc>,
        by: String,
        reason: String,
    },
}

impl Step {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Step::MaterialsRequested { at, .. }
            | Step::MaterialsReceived { at, .. }
            | Step::Approved { at, .. }
            | Step::Rejected { at, .. } => *at,
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Being handled, the clock running.
    Received,
    /// Waiting for materials, the clock stopped.
    AwaitingMaterials,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Received => "received",
            ApplicationStatus::AwaitingMaterials => "awaiting_materials",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    pub fn is_decided(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved | ApplicationStatus::Rejected
        )
    }

    pub fn zh(self) -> &'static str {
        match self {
            ApplicationStatus::Received => "办理中",
            ApplicationStatus::AwaitingMaterials => "待补正材料",
            ApplicationStatus::Approved => "已准予",
            ApplicationStatus::Rejected => "不予许可",
        }
    }
}

impl std::str::FromStr for ApplicationStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            ApplicationStatus::Received,
            ApplicationStatus::AwaitingMaterials,
            ApplicationStatus::Approved,
            ApplicationStatus::Rejected,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| format!("unknown status {s:?}"))
    }
}

/// An application as stored, with its clock read at the time of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Application {
    pub id: i64,
    /// Its number, which the applicant is given to look it up.
    pub number: String,
    pub version: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub type_name_zh: String,
    pub type_name_en: String,
    pub mode: Mode,
    pub limit: ApprovalLimit,
    /// Left out for roles that may not see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Applicant>,
    pub subject: String,
    pub place: ApplicationPlace,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    pub received_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<SignDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub status: ApplicationStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    pub clock: Clock,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// What a desk does next with an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepRequest {
    RequestMaterials {
        materials: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    MaterialsReceived,
    Approve {
        certificate: String,
    },
    Reject {
        reason: String,
    },
}

/// `POST /applications/{id}/steps`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewStep {
    /// The version the step was taken from (a newer one is a 409).
    pub version: i64,
    pub step: StepRequest,
    /// When (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// `GET /applications`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApplicationQuery {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `received`, `awaiting_materials`, `approved`, `rejected`, or `open` for the first two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only those past their deadline and still open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Received on or after this local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Received on or before this local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TableFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApplicationList {
    /// Open ones first by deadline, then decided ones, newest first.
    pub applications: Vec<Application>,
}

/// One type's figures over a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TypeFigures {
    #[serde(rename = "type")]
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub mode: Mode,
    /// Decided (approved or rejected) in the time.
    pub handled: u64,
    pub approved: u64,
    pub rejected: u64,
    /// Decided on the day they were received.
    pub same_day: u64,
    /// Decided within their limit.
    pub on_time: u64,
    /// Mean working minutes from receipt to decision, pauses left out.
    pub mean_working_minutes: Option<f64>,
    /// Received in the time and still open at its end; of them past their deadline.
    pub open: u64,
    pub overdue: u64,
}

/// `GET /applications/figures`: applications handled between two days, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApprovalFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub types: Vec<TypeFigures>,
    pub handled: u64,
    pub same_day: u64,
    pub on_time: u64,
    pub mean_working_minutes: Option<f64>,
    pub open: u64,
    pub overdue: u64,
}

/// `GET /applications/figures`: the days (default: the current quarter so far).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FiguresQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// `GET /public/applications/{number}`: what an applicant may see without logging in — no
/// personal data, no staff names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublicStatus {
    pub number: String,
    pub type_name_zh: String,
    pub type_name_en: String,
    pub status: ApplicationStatus,
    pub received_at: DateTime<Utc>,
    /// When it is due, while the clock runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
    /// Materials still to bring, while waiting for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials_requested: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason of a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
