//! Campaigns (专项整治) and their actions: `/campaigns`, `/campaigns/{id}/actions`,
//! `/campaigns/{id}/figures`, `/campaign-kinds` — FIELDWORK §4.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::campaign::{RateBase, Tally, TallyFigures, Target};

/// Where a campaign works: zones, communities, grid cells, or a polygon drawn on the map (any
/// of them; none means the whole district).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignArea {
    /// Management zones, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// A drawn polygon's ring (WGS 84), at least three corners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub polygon: Vec<LonLat>,
}

impl CampaignArea {
    pub fn is_whole_district(&self) -> bool {
        self.zones.is_empty()
            && self.communities.is_empty()
            && self.cells.is_empty()
            && self.polygon.is_empty()
    }
}

/// `POST /campaigns` and `PUT /campaigns/{id}`: a campaign as its lead team plans it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewCampaign {
    pub name: String,
    /// A kind of `GET /campaign-kinds`.
    pub kind: String,
    /// First day (local).
    pub starts: NaiveDate,
    /// Last day (local), inclusive.
    pub ends: NaiveDate,
    #[serde(default)]
    pub area: CampaignArea,
    pub lead_team: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// Denominators of the kind's rate items (the households of the area).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<RateBase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For `PUT`: the version the change was made from (a newer one is a 409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Campaign {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub kind: String,
    pub kind_name_zh: String,
    pub kind_name_en: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub area: CampaignArea,
    pub lead_team: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<RateBase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// How a list answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    #[default]
    Json,
    Csv,
}

/// `GET /campaigns`: the campaigns of a kind, or running at some time between two days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Campaigns still running on or after this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Campaigns started on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TableFormat>,
    /// `zh` for a CSV with Chinese headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignList {
    pub campaigns: Vec<Campaign>,
}

/// Where an action took place: a point, or an area drawn as a ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ActionPlace {
    Point { at: LonLat },
    Area { ring: Vec<LonLat> },
}

/// `POST /campaigns/{id}/actions`: one action of a campaign, as its team recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewAction {
    /// When (default: now); within the campaign's period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    pub place: ActionPlace,
    /// Officers' codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<String>,
    /// Vehicles (plates or fleet numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Photos uploaded through `POST /photos`, by hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tallies: Vec<Tally>,
    /// Cases found during the action (their numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<i64>,
}

/// An action as stored, its place resolved by the atlas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "CampaignAction"))]
pub struct Action {
    pub id: i64,
    pub campaign: i64,
    pub at: DateTime<Utc>,
    /// The local day it counts on.
    pub day: NaiveDate,
    pub place: ActionPlace,
    /// The grid cell, community and zones (by name) of the place (of an area's inner point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tallies: Vec<Tally>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// `GET /campaigns/{id}/actions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActionQuery {
    /// First local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last local day, inclusive.
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
pub struct ActionList {
    pub actions: Vec<Action>,
}

/// A case linked to a campaign, as its page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkedCase {
    pub id: i64,
    pub category: String,
    pub status: String,
    pub overdue: bool,
}

/// `GET /campaigns/{id}/figures`: what the campaign has done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignFigures {
    pub campaign: i64,
    #[serde(flatten)]
    pub tallies: TallyFigures,
    /// Cases found during its actions.
    pub cases: Vec<LinkedCase>,
    /// Assessments made for it (their ids).
    pub assessments: Vec<i64>,
}

/// `POST /campaigns/actions/import` and `POST /applications/import`: how many rows were taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportCount {
    pub imported: usize,
}
