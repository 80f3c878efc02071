//! Officers and dispatch: `/officers…` (duty status, shifts, positions) and
//! `/cases/{id}/candidates` (the officers who can get there soonest).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::query::When;
use crate::officer::{DutyStatus, Fix, Shift, StatusChange};

/// How an officer moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Walk,
    /// 电动车: the usual way officers patrol a district.
    #[default]
    Ebike,
    Car,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Walk, Mode::Ebike, Mode::Car];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Walk => "walk",
            Mode::Ebike => "ebike",
            Mode::Car => "car",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether one-way streets bind this mode (cars only: walkers and e-bikes use the pavement).
    pub fn keeps_one_way(self) -> bool {
        self == Mode::Car
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim())
            .ok_or_else(|| format!("unknown travel mode {s:?}; expected walk, ebike or car"))
    }
}

/// Why a candidate ranks where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The soonest to arrive.
    Fastest,
    /// Answers for the place's grid cell: preferred at equal time.
    ResponsibleForGrid,
    /// Nearer than the officer above by straight line, but not by street.
    NearerByStraightLine,
    /// No street near the officer or the place: the time is a straight-line estimate.
    StraightLineEstimate,
}

/// One ranked officer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ranked {
    pub rank: usize,
    pub officer: String,
    pub eta_s: f64,
    /// Metres by street (and to and from the street); for an estimate, the estimated distance.
    pub network_m: f64,
    pub straight_m: f64,
    pub responsible: bool,
    /// True when the time is a straight-line estimate (a point could not be snapped).
    pub estimated: bool,
    pub reasons: Vec<Reason>,
}

/// What a ranking considered, for the benchmark and the dispatcher's "why".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RankStats {
    pub officers: usize,
    pub after_cut: usize,
    pub nodes_settled: usize,
}

/// Candidates for a case, with what the ranking considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Candidates {
    pub mode: Mode,
    pub candidates: Vec<Ranked>,
    pub considered: RankStats,
    /// On duty and free, but without a fresh fix: not ranked.
    pub position_unknown: Vec<String>,
}

/// `GET /cases/{id}/candidates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CandidatesQuery {
    /// How many (1–50, default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
    /// walk, ebike (default) or car.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// An officer as the dispatcher sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfficerView {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub grids: Vec<String>,
    pub status: DutyStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_since: Option<DateTime<Utc>>,
    /// The newest fix, for those who may see positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Fix>,
    /// Whether the newest fix is within the freshness window ("position unknown" otherwise).
    pub position_known: bool,
    /// The shift under way, or the next one within a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<Shift>,
    /// Whether a planned shift covers now.
    pub on_shift: bool,
}

/// `GET /officers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Officers {
    pub officers: Vec<OfficerView>,
}

/// `PUT /officers/{code}`: an officer to add or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfficerBody {
    pub name: String,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// The grid cells they answer for.
    #[serde(default)]
    pub grids: Vec<String>,
}

/// An officer as stored (the answer to `PUT /officers/{code}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfficerRecord {
    pub code: String,
    pub name: String,
    pub team: Option<String>,
    pub phone: Option<String>,
    pub grids: Vec<String>,
}

/// `POST /officers/{code}/shifts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShiftBody {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A time range of a query (`from`, `to`); each end has its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span {
    /// From (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<When>,
    /// Until (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<When>,
}

/// `GET /officers/{code}/shifts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Shifts {
    pub officer: String,
    pub shifts: Vec<Shift>,
}

/// `POST /officers/{code}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatusBody {
    pub status: DutyStatus,
}

/// `GET /officers/{code}/status`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatusHistory {
    pub officer: String,
    pub history: Vec<StatusChange>,
}

/// One GPS fix posted by a phone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FixBody {
    pub lon: f64,
    pub lat: f64,
    /// When the phone took it (default: when it arrives).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// Metres, 0 to 10,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
    pub accuracy_m: Option<f64>,
}

/// `POST /officers/{code}/positions`: one fix or a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum FixesBody {
    One(FixBody),
    Many(Vec<FixBody>),
}

/// `POST /officers/{code}/positions` as the server reads it (one fix is a list of one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixesRequest {
    pub fixes: Vec<FixBody>,
}

/// The answer to posted fixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FixesReceived {
    pub received: usize,
    /// The officer's position now (a late fix does not replace a newer one).
    pub current: Option<Fix>,
}

/// `GET /officers/{code}/positions`: oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fixes {
    pub officer: String,
    pub fixes: Vec<Fix>,
}
