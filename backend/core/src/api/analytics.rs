//! Statistics over cases for planners, leaders and admins: `/analytics/…` and
//! `/reports/quarterly`. (`docs/statistics.md` defines every figure.)

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::query::text_value;
use super::query::{List, When};
use crate::case::{Source, Status};
use crate::slice::Slice;

/// What to count cases by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Grid,
    Community,
    Shop,
    Street,
}
impl std::str::FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "grid" => Ok(Unit::Grid),
            "community" => Ok(Unit::Community),
            "shop" => Ok(Unit::Shop),
            "street" => Ok(Unit::Street),
            other => Err(format!(
                "unknown unit {other:?}; expected grid, community, shop or street"
            )),
        }
    }
}

/// Counts of one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlaceCounts {
    pub key: String,
    pub total: u64,
    /// Summed quantities (in each category's unit; categories mixed when not filtered).
    pub quantity: f64,
    /// One count per slice, in the order of [`CountsTable::slices`].
    pub by_slice: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CountsTable {
    pub unit: Unit,
    pub slice: Slice,
    pub slices: Vec<NaiveDate>,
    /// Places with at least one case, most cases first.
    pub places: Vec<PlaceCounts>,
}

/// One grid cell's Gi*.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CellHotspot {
    pub grid: String,
    pub count: u64,
    pub z: f64,
    pub p: f64,
    pub bin: i8,
}

/// One grid cell's emerging hot spot category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CellEmerging {
    pub grid: String,
    pub category: EmergingCategory,
    pub trend: MannKendall,
    pub bins: Vec<i8>,
    pub counts: Vec<u64>,
}

/// A heat surface placed on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Heat {
    pub south_west: crate::LonLat,
    pub north_east: crate::LonLat,
    #[serde(flatten)]
    pub surface: Surface,
}

/// The raster: `values[row * cols + col]`, row 0 at the south edge; densities in points per
/// square kilometre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Surface {
    /// The south-west corner of the raster, metres in the district's plane.
    pub origin: [f64; 2],
    pub cell_m: f64,
    pub cols: usize,
    pub rows: usize,
    pub radius_m: f64,
    pub max: f64,
    pub values: Vec<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmergingCategory {
    New,
    Consecutive,
    Intensifying,
    Persistent,
    Diminishing,
    Sporadic,
    Oscillating,
    Historical,
    NewCold,
    ConsecutiveCold,
    IntensifyingCold,
    PersistentCold,
    DiminishingCold,
    SporadicCold,
    OscillatingCold,
    HistoricalCold,
    NoPattern,
}

impl EmergingCategory {
    pub const ALL: [EmergingCategory; 17] = [
        EmergingCategory::New,
        EmergingCategory::Consecutive,
        EmergingCategory::Intensifying,
        EmergingCategory::Persistent,
        EmergingCategory::Diminishing,
        EmergingCategory::Sporadic,
        EmergingCategory::Oscillating,
        EmergingCategory::Historical,
        EmergingCategory::NewCold,
        EmergingCategory::ConsecutiveCold,
        EmergingCategory::IntensifyingCold,
        EmergingCategory::PersistentCold,
        EmergingCategory::DiminishingCold,
        EmergingCategory::SporadicCold,
        EmergingCategory::OscillatingCold,
        EmergingCategory::HistoricalCold,
        EmergingCategory::NoPattern,
    ];

    /// The category written as in answers (`consecutive_cold`), if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The category's name for people, in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            EmergingCategory::New => ("新增热点", "New hot spot"),
            EmergingCategory::Consecutive => ("连续热点", "Consecutive hot spot"),
            EmergingCategory::Intensifying => ("加剧热点", "Intensifying hot spot"),
            EmergingCategory::Persistent => ("持续热点", "Persistent hot spot"),
            EmergingCategory::Diminishing => ("减弱热点", "Diminishing hot spot"),
            EmergingCategory::Sporadic => ("零星热点", "Sporadic hot spot"),
            EmergingCategory::Oscillating => ("振荡热点", "Oscillating hot spot"),
            EmergingCategory::Historical => ("历史热点", "Historical hot spot"),
            EmergingCategory::NewCold => ("新增冷点", "New cold spot"),
            EmergingCategory::ConsecutiveCold => ("连续冷点", "Consecutive cold spot"),
            EmergingCategory::IntensifyingCold => ("加剧冷点", "Intensifying cold spot"),
            EmergingCategory::PersistentCold => ("持续冷点", "Persistent cold spot"),
            EmergingCategory::DiminishingCold => ("减弱冷点", "Diminishing cold spot"),
            EmergingCategory::SporadicCold => ("零星冷点", "Sporadic cold spot"),
            EmergingCategory::OscillatingCold => ("振荡冷点", "Oscillating cold spot"),
            EmergingCategory::HistoricalCold => ("历史冷点", "Historical cold spot"),
            EmergingCategory::NoPattern => ("无明显模式", "No pattern"),
        }
    }

    /// The category's name, as written in answers.
    pub fn as_str(self) -> &'static str {
        match self {
            EmergingCategory::New => "new",
            EmergingCategory::Consecutive => "consecutive",
            EmergingCategory::Intensifying => "intensifying",
            EmergingCategory::Persistent => "persistent",
            EmergingCategory::Diminishing => "diminishing",
            EmergingCategory::Sporadic => "sporadic",
            EmergingCategory::Oscillating => "oscillating",
            EmergingCategory::Historical => "historical",
            EmergingCategory::NewCold => "new_cold",
            EmergingCategory::ConsecutiveCold => "consecutive_cold",
            EmergingCategory::IntensifyingCold => "intensifying_cold",
            EmergingCategory::PersistentCold => "persistent_cold",
            EmergingCategory::DiminishingCold => "diminishing_cold",
            EmergingCategory::SporadicCold => "sporadic_cold",
            EmergingCategory::OscillatingCold => "oscillating_cold",
            EmergingCategory::HistoricalCold => "historical_cold",
            EmergingCategory::NoPattern => "no_pattern",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MannKendall {
    pub s: i64,
    pub var_s: f64,
    pub z: f64,
    pub p: f64,
}

/// A ratio with its parts; `rate` is `None` when nothing was due.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
    pub rate: Option<f64>,
}
impl Ratio {
    pub fn of(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator,
            denominator,
            rate: (denominator > 0).then(|| numerator as f64 / denominator as f64),
        }
    }
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evaluation {
    pub key: String,
    /// Cases accepted (registered, not rejected or void).
    pub cases: u64,
    /// Cases whose handling fell due: handled, or still open past the deadline.
    pub due: u64,
    pub handled: Ratio,
    pub handled_on_time: Ratio,
    pub closed: Ratio,
    pub closed_on_time: Ratio,
    pub rework: Ratio,
    pub extension: Ratio,
    pub accurate_dispatch: Ratio,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthHistory {
    pub month: NaiveDate,
    pub total: u64,
    pub by_category: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecurringPlace {
    /// `grid`, `shop` or `street`.
    pub kind: String,
    pub key: String,
    pub name: String,
    /// Months in which one category had N or more cases here.
    pub months_recurring: u32,
    /// Of the recent months, those in which the cell was a significant hot spot (cells only).
    pub hot_recent_months: u32,
    pub total: u64,
    /// The category with the most cases here.
    pub main_category: String,
    pub history: Vec<MonthHistory>,
}

/// `2026-Q3`: the year and quarter (1–4); written and read as that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}
impl std::str::FromStr for Quarter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a quarter such as 2026-Q3, got {s:?}");
        let (year, q) = s.trim().split_once("-Q").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&number) || !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, number })
    }
}
impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

impl Quarter {
    #[cfg_attr(not(feature = "schema"), allow(dead_code))]
    const DESCRIPTION: &'static str = "a quarter such as 2026-Q3";

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn end_day(self) -> NaiveDate {
        Slice::Quarter.next(self.first_day())
    }

    /// The quarter holding a day.
    pub fn of(day: NaiveDate) -> Self {
        Quarter {
            year: day.year(),
            number: day.month0() / 3 + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryLine {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub cases: u64,
    pub quantity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Line {
    pub key: String,
    pub name: String,
    pub cases: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hotline {
    pub received: u64,
    /// Those with any step after the report (registered, refused, answered with a note).
    pub answered: u64,
    pub share_answered: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuarterlyReport {
    pub quarter: String,
    pub from: NaiveDate,
    /// The day after the last.
    pub to: NaiveDate,
    pub received: u64,
    pub by_source: Vec<Line>,
    pub by_category: Vec<CategoryLine>,
    pub by_community: Vec<Line>,
    pub hotline: Hotline,
    pub evaluation: Option<Evaluation>,
    pub recurring: Vec<RecurringPlace>,
    /// Grid cells per emerging hot spot category (weeks of the quarter), hot ones only.
    pub emerging: BTreeMap<String, u64>,
    /// Cases received in each month of the quarter (`2026-07`, named 7月).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month: Vec<Line>,
    /// The quarter's hot spots: grid cells whose Gi* (queen contiguity) is hot at 90 % or
    /// more, with their cases and bin (1–3), hottest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hot_cells: Vec<CellHotspot>,
    /// Inspections: sanitation assessments by urban and rural, door-front surveys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspections: Option<Inspections>,
    /// Campaigns with actions in the quarter, each with its tallies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaigns: Option<Vec<CampaignLine>>,
    /// Approvals and filings decided in the quarter, by type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<crate::api::approvals::ApprovalFigures>,
    /// 12345 work orders received in the quarter, as they stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_orders: Option<crate::api::hotline::OrderFigures>,
}

/// A campaign's lines over the quarter (FIELDWORK §1): its actions, each item's total in its
/// unit (fines with the parties fined), its rates with numerator and denominator, and the
/// cases found during its actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignLine {
    pub campaign: i64,
    pub name: String,
    pub kind: String,
    pub kind_name_zh: String,
    pub kind_name_en: String,
    pub actions: u64,
    pub totals: Vec<crate::campaign::ItemTotal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<crate::campaign::Rate>,
    pub cases: u64,
}

/// The sanitation assessments of one area (urban or rural) over the quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SanitationLine {
    pub area: crate::features::SectionArea,
    pub sections: u64,
    pub daily: u64,
    pub comprehensive: u64,
    pub dust_samplings: u64,
    /// Rectification notices raised.
    pub notices: u64,
    /// Deducted from the contractors' fees, in 元, after corrections and upheld appeals.
    pub deducted: f64,
    /// Section months signed off, of all section months with assessments.
    pub periods_signed: u64,
    pub periods_assessed: u64,
}

/// The door-front responsibility survey (门责制) over the quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DoorFrontLine {
    pub surveys: u64,
    /// Distinct shops surveyed.
    pub shops_surveyed: u64,
    pub shops: u64,
    /// Shops whose record lacks a contact, a phone or a licence (查缺补漏).
    pub incomplete_records: u64,
    /// Shops surveyed by their latest rating (band code and name).
    pub by_rating: Vec<Line>,
    /// Notices raised to shops.
    pub notices: u64,
}

/// The inspection lines of the quarterly report (FIELDWORK §1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Inspections {
    pub sanitation: Vec<SanitationLine>,
    pub door_front: DoorFrontLine,
    /// Each sanitation contractor's section months of the quarter, lowest mean score first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contractors: Vec<ContractorLine>,
}

/// A sanitation contractor's assessed section months over the quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContractorLine {
    pub contractor: String,
    /// Section months with a score.
    pub periods: u64,
    /// The mean of their scores, to one decimal.
    pub mean_score: f64,
    pub lowest_score: f64,
    /// Section months scored under the line their contract warns at (the rule's warning).
    pub under_line: u64,
    /// Deducted from the contractor's fees, in 元, after corrections and upheld appeals.
    pub deducted: f64,
}

text_value!(Quarter);

/// The filter every statistic takes: when the cases were made, and which.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatsQuery {
    /// Created at or after (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<When>,
    /// Created before (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<When>,
    /// Category codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<List<String>>,
    /// Sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<List<Source>>,
    /// States.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<List<Status>>,
}

/// JSON, or GeoJSON of the places with their shapes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum MapFormat {
    #[default]
    Json,
    Geojson,
}

/// `GET /analytics/counts` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CountsQuery {
    /// grid (default), community, shop or street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Unit>,
    /// day, week (default), month or quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<Slice>,
    /// json (default) or geojson (by=grid or community).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<MapFormat>,
}

/// Which weights Gi* uses between grid cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum WeightsKind {
    /// Cells that share an edge or a corner.
    #[default]
    Queen,
    /// Cells whose centres are within `band_m`.
    Distance,
}

/// `GET /analytics/hotspots` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HotspotsQuery {
    /// queen (default) or distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsKind>,
    /// The distance band in metres (weights=distance; 10–5000, default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_m: Option<f64>,
    /// Benjamini–Hochberg correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fdr: Option<bool>,
    /// json (default) or geojson.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<MapFormat>,
}

/// `GET /analytics/hotspots`: every grid cell's Gi*.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hotspots {
    pub cells: Vec<CellHotspot>,
}

/// `GET /analytics/emerging` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmergingQuery {
    /// week (default) or month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<Slice>,
}

/// `GET /analytics/emerging`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmergingAnswer {
    pub slice: Slice,
    /// The first day of each slice.
    pub slices: Vec<NaiveDate>,
    pub cells: Vec<CellEmerging>,
}

/// `GET /analytics/evaluation` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvaluationQuery {
    /// grid, community, team, officer, month, quarter or all (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// `GET /analytics/evaluation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvaluationAnswer {
    pub by: String,
    pub groups: Vec<Evaluation>,
}

/// `GET /analytics/recurring` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecurringQuery {
    /// Cases of one category in a month that make it recur (1–1000, default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Recent months looked at for hot spots (1–60, default 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent: Option<usize>,
    /// How many places (1–500, default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// `GET /analytics/recurring`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecurringAnswer {
    pub places: Vec<RecurringPlace>,
}

/// `GET /analytics/heat` (beside [`StatsQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeatQuery {
    /// Raster cell in metres (5–500, default 25; coarser when the raster would pass a million
    /// cells).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_m: Option<f64>,
    /// Kernel radius in metres (20–5000; default by the usual rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<f64>,
}

/// `GET /analytics/heat`: none when no case matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeatAnswer {
    pub heat: Option<Heat>,
}

/// How the quarterly report is answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
    Html,
    /// A Word file: the draft, the charts and the tables.
    Docx,
}

/// `GET /reports/quarterly`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuarterlyQuery {
    /// The quarter, e.g. 2026-Q3.
    pub quarter: Quarter,
    /// json (default), csv, html (printable) or docx (Word).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ReportFormat>,
    /// The language of the CSV's header row and section names: en (default) or zh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<crate::api::cases::HeaderLanguage>,
}
