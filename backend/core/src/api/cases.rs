//! Cases and their closed loop: `/cases…`, `/categories`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::dispatch::Candidates;
use super::query::{Bbox, List, When};
use crate::Crs;
use crate::case::{Action, Case, CaseEvent, CaseId, Reporter, Source, Status};
use crate::category::{Category, CategoryClass};

/// `POST /cases`: a report. Where it is: `lon` + `lat` (in `crs`), or an `address`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewCaseBody {
    /// A category code of the catalogue (`GET /categories`).
    pub category: String,
    pub source: Source,
    #[serde(default)]
    pub description: Option<String>,
    /// How much, in the category's unit.
    #[serde(default)]
    pub quantity: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The system of `lon`/`lat`: wgs84 (default), cgcs2000, gcj02 or bd09.
    #[serde(default)]
    pub crs: Option<Crs>,
    /// An address instead of `lon`/`lat`.
    #[serde(default)]
    pub address: Option<String>,
    /// Take the best address candidate even when the address is ambiguous.
    #[serde(default)]
    pub accept_best: Option<bool>,
    #[serde(default)]
    pub reporter: Option<Reporter>,
    /// Photos stored first with `POST /photos` (their hashes).
    #[serde(default)]
    pub photos: Option<Vec<String>>,
}

/// `POST /cases/{id}/transitions`: act on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransitionBody {
    pub action: Action,
    #[serde(default)]
    pub note: Option<String>,
    /// Who may read the note: `internal` (staff only, the default) or `public` (Open311 too).
    #[serde(default)]
    pub visibility: Option<crate::case::Visibility>,
    /// Dispatch: the officer's code.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Extend: the new deadline (RFC 3339).
    #[serde(default)]
    pub deadline: Option<DateTime<Utc>>,
    /// Void or reject as a duplicate of this case.
    #[serde(default)]
    pub duplicate_of: Option<CaseId>,
    /// The version read; a case changed meanwhile is a conflict (409).
    #[serde(default)]
    pub version: Option<i64>,
    /// A photo of this step (its hash).
    #[serde(default)]
    pub photo: Option<String>,
}

impl TransitionBody {
    /// The action with nothing else.
    pub fn just(action: Action) -> Self {
        Self {
            action,
            note: None,
            visibility: None,
            assignee: None,
            deadline: None,
            duplicate_of: None,
            version: None,
            photo: None,
        }
    }
}

/// A case as answered: with whether (and by how much working time) it is overdue, computed at
/// reading time; the reporter's contact only for those who may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    /// Whether handling is still due and the deadline has passed.
    pub overdue: bool,
    /// Working minutes past the deadline (0 when not overdue).
    pub overdue_minutes: i64,
    /// The history, oldest first (in the answer for one case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<CaseEvent>>,
}

/// `GET /cases/{id}` and the answer to a transition: the case with its history, and, for a
/// dispatcher reading a case waiting for dispatch, the officers who can get there soonest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseDetail {
    #[serde(flatten)]
    pub view: CaseView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Candidates>,
}

/// An open case of the same category nearby.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PossibleDuplicate {
    pub id: CaseId,
    pub status: Status,
    pub distance_m: f64,
    pub created_at: DateTime<Utc>,
}

/// The answer to `POST /cases`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Created {
    pub case: CaseView,
    pub possible_duplicates: Vec<PossibleDuplicate>,
}

/// How `GET /cases` answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ListFormat {
    /// A page of cases (default).
    #[default]
    Json,
    /// A page of cases as a GeoJSON FeatureCollection.
    Geojson,
    /// Every case the filter selects, as CSV.
    Csv,
    /// Every case the filter selects (up to 100,000), as lean GeoJSON for the map.
    Points,
    /// Every case the filter selects with its responsibility, as a GeoPackage for a GIS (in
    /// `crs`).
    Gpkg,
    /// The same as zipped Shapefiles (GBK text).
    Shp,
}

/// `GET /cases`: which cases, newest first. Lists are comma-separated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseQuery {
    /// minlon,minlat,maxlon,maxlat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Bbox>,
    /// States (`reported,registered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<List<Status>>,
    /// Category codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<List<String>>,
    /// Sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<List<Source>>,
    /// A grid cell, by code or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<String>,
    /// A community, by code or name (`古城社区`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// A shop code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop: Option<String>,
    /// A street id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<u32>,
    /// Created at or after (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<When>,
    /// Created before (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<When>,
    /// Only cases past their handling deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Page size (1–500, default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<i64>,
    /// json (default), geojson, csv, points, gpkg or shp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ListFormat>,
    /// The system of a `gpkg` or `shp` export: `wgs84` (default) or the EPSG code of a CGCS2000
    /// Gauss–Krüger or WGS 84 UTM zone, e.g. `EPSG:4527`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The language of a CSV, GeoPackage or Shapefile export's column names: en (default,
    /// citygrid's) or zh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<HeaderLanguage>,
}

/// The language a CSV file's header row is written in; the values stay citygrid's codes, so
/// that the file can be imported back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum HeaderLanguage {
    #[default]
    En,
    Zh,
}

/// One case as the map draws it (`format=points`): the properties of a point feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapPoint {
    pub id: CaseId,
    pub status: Status,
    pub category: crate::category::CategoryCode,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
}

/// A page of `GET /cases`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseList {
    pub cases: Vec<CaseView>,
    /// Continues after the last case of this page; none on the last page.
    pub next_cursor: Option<CaseId>,
}

/// `POST /cases/import`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseImportQuery {
    /// Import the valid rows and list the others, instead of refusing the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_invalid: Option<bool>,
}

/// One refused row of a case import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub problem: String,
}

impl RowError {
    /// As the `errors` of a problem name it.
    pub fn into_feature_error(self) -> super::layers::FeatureError {
        super::layers::FeatureError {
            file: None,
            feature: None,
            line: Some(self.line),
            code: None,
            field: self.field,
            problem: self.problem,
        }
    }
}

/// What a case import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseImportReport {
    pub imported: usize,
    /// Rows left out (only with `skip_invalid`); without it any error refuses the whole file.
    pub skipped: Vec<RowError>,
}

/// `GET /categories`, and the body of `PUT /categories`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Categories {
    pub classes: Vec<CategoryClass>,
    pub categories: Vec<Category>,
}

/// `GET /events`: which case events to stream (any of the places and categories named; none
/// named: every case within the caller's reach).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventsQuery {
    /// Grid cell codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<List<String>>,
    /// Community codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<List<String>>,
    /// Category codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<List<String>>,
    /// Resume after this event (or the `Last-Event-ID` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_id: Option<i64>,
}
