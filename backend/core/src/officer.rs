//! Officers on duty: their duty status and GPS fixes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Whether an officer can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    /// 在岗: on duty and free.
    OnDuty,
    /// 忙碌: on a task (set when a case is dispatched to them, cleared when they report it
    /// handled or return it).
    Busy,
    /// 离岗: off duty.
    Off,
}

impl DutyStatus {
    pub const ALL: [DutyStatus; 3] = [DutyStatus::OnDuty, DutyStatus::Busy, DutyStatus::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            DutyStatus::OnDuty => "on_duty",
            DutyStatus::Busy => "busy",
            DutyStatus::Off => "off",
        }
    }
}

impl fmt::Display for DutyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DutyStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DutyStatus::ALL
            .into_iter()
            .find(|d| d.as_str() == s.trim())
            .ok_or_else(|| format!("unknown duty status {s:?}; expected on_duty, busy or off"))
    }
}

/// One change of an officer's duty status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatusChange {
    pub officer: String,
    pub status: DutyStatus,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who changed it: the officer, a dispatcher, or `case:N` when a case did.
    pub actor: String,
}

impl StatusChange {
    /// `officer` is `status` from `at` (kept to the millisecond, as stores keep it).
    pub fn new(
        officer: &str,
        status: DutyStatus,
        actor: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        Self {
            officer: officer.to_owned(),
            status,
            at: chrono::SubsecRound::trunc_subsecs(at, 3),
            actor: actor.to_owned(),
        }
    }
}

/// A GPS fix (WGS 84) as the officer's phone took it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fix {
    pub officer: String,
    pub lon: f64,
    pub lat: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    /// When the phone took it (not when it arrived).
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A planned duty period (排班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Shift {
    pub officer: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
}
