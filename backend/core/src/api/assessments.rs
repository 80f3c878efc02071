//! Inspections and assessments: `/assessments` (recorded against a checklist template, scored
//! by the version they were made with) — FIELDWORK §2–3.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::checklist::{AssessmentKind, Finding, Sample, Score};
use crate::features::SectionArea;
use crate::ids::{SectionCode, ShopCode};

/// What is assessed: a contract section or a shop under the door-front system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", content = "code", rename_all = "lowercase")]
pub enum Subject {
    Section(SectionCode),
    Shop(ShopCode),
}

impl Subject {
    /// `section` or `shop`.
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Section(_) => "section",
            Subject::Shop(_) => "shop",
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Subject::Section(c) => c.as_str(),
            Subject::Shop(c) => c.as_str(),
        }
    }
}

/// A rectification notice (整改通知书) to raise for a failed item: a case in the closed loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoticeRequest {
    /// The failed item's code (one of the findings).
    pub item: String,
    /// What must be put right (default: the item's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /assessments`: an assessment as the assessor recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewAssessment {
    /// The checklist template's code (`GET /checklists`).
    pub checklist: String,
    /// The template's version; the newest when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    pub subject: Subject,
    /// Who assessed (names or staff codes); the recording user when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessors: Vec<String>,
    /// When (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// Where the assessor stood (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<LonLat>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Rectification notices to raise for failed items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<NoticeRequest>,
    /// The campaign it was made for (`GET /campaigns`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<i64>,
}

/// An assessment as stored: what was recorded, where each finding lies, and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Assessment {
    pub id: i64,
    pub kind: AssessmentKind,
    pub checklist: String,
    pub version: u32,
    pub subject: Subject,
    /// The section's or the shop's name.
    pub subject_name: String,
    /// The section's contractor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    /// Urban or rural, for a section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<SectionArea>,
    pub assessors: Vec<String>,
    pub at: DateTime<Utc>,
    /// The month it counts in (`2026-09`, in the district's time zone).
    pub month: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<LonLat>,
    /// The findings, each with the grid cell and community of its point.
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub score: Score,
    /// The notices raised, as case numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<i64>,
    /// The campaign it was made for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// How `GET /assessments` answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssessmentFormat {
    #[default]
    Json,
    Csv,
}

/// `GET /assessments`: which assessments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssessmentQuery {
    /// The first month (`2026-07`), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The last month (`2026-09`), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AssessmentKind>,
    /// `section` or `shop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_type: Option<String>,
    /// A section's or shop's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<SectionArea>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AssessmentFormat>,
    /// `zh` for Chinese CSV headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// A page of assessments, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssessmentList {
    pub assessments: Vec<Assessment>,
}

/// `GET /periods`: which sections' months.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodQuery {
    /// The first month (`2026-07`); the current month when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The last month, inclusive (default: `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<SectionArea>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AssessmentFormat>,
    /// `zh` for Chinese CSV headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The sum of the periods of one area (urban or rural).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodTotal {
    pub area: SectionArea,
    pub daily: u32,
    pub comprehensive: u32,
    pub notices: u32,
    /// Fees of the periods settled, in 元.
    pub fee: f64,
    /// Deducted after corrections and appeals, in 元.
    pub deducted: f64,
    pub bonus: f64,
    pub bond: f64,
}

/// Each section's months, with the totals by area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodTable {
    pub from: String,
    pub to: String,
    pub periods: Vec<crate::period::Period>,
    pub totals: Vec<PeriodTotal>,
}

/// A change to a period, as asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PeriodChangeBody {
    /// Sign the period off: its figures as they are now become its figures for good.
    SignOff,
    /// A correction after sign-off: `yuan` more deducted (less when negative), and why.
    Adjust { yuan: f64, reason: String },
    /// Record the contractor's appeal of `yuan` of the deduction.
    Appeal { yuan: f64, reason: String },
    /// Decide an appeal (its ledger id): upheld gives the sum back.
    Decide {
        appeal: i64,
        upheld: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

/// `POST /periods/changes`: a change to one section's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodChangeRequest {
    pub section: String,
    /// `2026-09`.
    pub month: String,
    pub change: PeriodChangeBody,
}

/// `POST /periods/signoff`: sign a month off for several sections at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignOffBody {
    pub month: String,
    /// The sections (codes); every section with assessments that month when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
}

/// A shop's current door-front rating: its latest survey's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShopRating {
    pub shop: ShopCode,
    /// The band's code and its Chinese name and colour in the template surveyed by.
    pub rating: String,
    pub rating_name: String,
    pub colour: String,
    pub score: f64,
    pub at: DateTime<Utc>,
    /// The latest survey's id.
    pub assessment: i64,
    /// Surveys of the shop so far.
    pub surveys: u32,
}

/// `GET /shops/ratings`: every surveyed shop's current rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShopRatings {
    pub ratings: Vec<ShopRating>,
}

/// A shop whose record lacks what the door-front system needs to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncompleteShop {
    pub code: ShopCode,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `contact`, `phone`, `license`.
    pub missing: Vec<String>,
}

/// `GET /shops/incomplete`: the shop records to complete (查缺补漏).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncompleteShops {
    pub shops: Vec<IncompleteShop>,
}

/// The answer to `POST /assessments/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssessmentImportReport {
    pub imported: usize,
}
