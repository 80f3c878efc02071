//! Approvals and filings (审批备案, FIELDWORK §5): the catalogue of types with their time
//! limits and materials, the check digit of a unified social credit code, and the clock of an
//! application — working time by the bureau's calendar, stopped while materials are requested.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::api::approvals::{ApplicationStatus, Step, StepRequest};
use crate::calendar::WorkingCalendar;
use crate::campaign::FieldError;

/// A licence (许可) is granted or refused; a filing (备案) is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(rename = "ApprovalMode"))]
pub enum Mode {
    Licence,
    Filing,
}

/// How long an application of a type may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalLimit {
    /// Decided while the applicant waits; counted like the same day.
    OnTheSpot,
    /// By the end of the working day it was received on (the next working day's end when it
    /// came after hours).
    SameDay,
    /// This many working days by the working calendar.
    WorkingDays(u32),
}

impl fmt::Display for ApprovalLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApprovalLimit::OnTheSpot => f.write_str("on_the_spot"),
            ApprovalLimit::SameDay => f.write_str("same_day"),
            ApprovalLimit::WorkingDays(n) => write!(f, "{n}d"),
        }
    }
}

impl FromStr for ApprovalLimit {
    type Err = String;

    /// `on_the_spot` (当场), `same_day` (当日, 即办), or working days as a case category's limit
    /// is written (`5d`, `5个工作日`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "on_the_spot" | "当场" | "当场办结" => Ok(ApprovalLimit::OnTheSpot),
            "same_day" | "当日" | "当日办结" | "即办" => Ok(ApprovalLimit::SameDay),
            other => match other.parse::<crate::category::TimeLimit>() {
                Ok(crate::category::TimeLimit::WorkingDays(n)) => Ok(ApprovalLimit::WorkingDays(n)),
                _ => Err(format!(
                    "a time limit is on_the_spot, same_day or working days (\"5d\", \"5个工作日\"), got {other:?}"
                )),
            },
        }
    }
}

impl Serialize for ApprovalLimit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApprovalLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ApprovalLimit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ApprovalLimit".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "on_the_spot, same_day, or N working days (\"5d\")",
            "examples": ["same_day", "5d"]
        })
    }
}

/// A type of approval or filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApprovalType {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub mode: Mode,
    pub limit: ApprovalLimit,
    /// The materials an application must bring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// A shop-sign filing: approved, it writes the sign onto the shop's record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shop_sign: bool,
}

impl ApprovalType {
    pub fn name(&self, zh: bool) -> &str {
        if zh { &self.name_zh } else { &self.name_en }
    }
}

/// The catalogue of types (`data/approvals.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApprovalTypes {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    pub types: Vec<ApprovalType>,
}

impl ApprovalTypes {
    pub fn get(&self, code: &str) -> Option<&ApprovalType> {
        self.types.iter().find(|t| t.code == code)
    }

    /// Codes given once, names given.
    pub fn check(&self) -> Result<(), FieldError> {
        let mut seen = std::collections::HashSet::new();
        for (i, t) in self.types.iter().enumerate() {
            if t.code.is_empty() || !seen.insert(t.code.as_str()) {
                return Err(FieldError::new(
                    format!("types[{i}].code"),
                    format!("type code {:?} is empty or given twice", t.code),
                ));
            }
            if t.name_zh.trim().is_empty() {
                return Err(FieldError::new(
                    format!("types[{i}].name_zh"),
                    "a type needs a name",
                ));
            }
        }
        Ok(())
    }
}

/// The 31 characters of a unified social credit code (GB 32100-2015: no I, O, S, V, Z).
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of its first 17 characters.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The check character of a unified social credit code's first 17 characters (GB 32100-2015),
/// or `None` when they are not 17 characters of its alphabet.
pub fn credit_check_char(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| CREDIT_ALPHABET.find(c).map(|i| i as u32))
        .collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    CREDIT_ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// Checks a unified social credit code (统一社会信用代码): 18 characters of its alphabet, the
/// last the check character of the first 17 (GB 32100-2015). Lower case is read as upper.
pub fn check_credit_code(code: &str) -> Result<String, String> {
    let upper = code.trim().to_ascii_uppercase();
    if !upper.chars().all(|c| CREDIT_ALPHABET.contains(c)) {
        return Err(
            "a unified social credit code has digits and capital letters other than I, O, S, V and Z"
                .to_owned(),
        );
    }
    let n = upper.chars().count();
    if n != 18 {
        return Err(format!(
            "a unified social credit code has 18 characters, this has {n}"
        ));
    }
    let (first, last) = upper.split_at(17);
    let expected = credit_check_char(first).unwrap_or('?');
    if !last.starts_with(expected) {
        return Err(format!(
            "the check character of {upper} is wrong (the first 17 characters give {expected})"
        ));
    }
    Ok(upper)
}

/// A stretch of time the clock stood still (materials requested until they came).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    /// `None` while still waiting.
    pub until: Option<DateTime<Utc>>,
}

/// An application's clock at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Clock {
    /// Working minutes the limit allows.
    pub limit_minutes: i64,
    /// Working minutes used so far (or in all, once decided), pauses left out.
    pub used_minutes: i64,
    /// When the limit runs out, with the clock running; none while it stands still.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
    /// Stopped while materials are awaited.
    pub paused: bool,
    /// Still open past its deadline.
    pub overdue: bool,
    /// Decided within its limit (once decided).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time: Option<bool>,
    /// Decided on the local day it was received (once decided).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_day: Option<bool>,
}

/// The working minutes a limit allows for an application received at `received`.
pub fn limit_minutes(cal: &WorkingCalendar, limit: ApprovalLimit, received: DateTime<Utc>) -> i64 {
    match limit {
        ApprovalLimit::WorkingDays(n) => i64::from(n) * cal.minutes_per_day(),
        ApprovalLimit::OnTheSpot | ApprovalLimit::SameDay => {
            // The first working moment at or after receipt, and the end of that working day.
            let start = cal.add_working_minutes(received, 0);
            let day = start.with_timezone(&cal.timezone).date_naive();
            let end_of_day = cal.end_of_working_day(day).unwrap_or(start);
            cal.working_minutes_between(received, end_of_day)
        }
    }
}

/// The clock of an application received at `received` with a limit, stood still over
/// `pauses` (in order), decided at `decided` if it was, read at `now`.
pub fn clock(
    cal: &WorkingCalendar,
    limit: ApprovalLimit,
    received: DateTime<Utc>,
    pauses: &[Pause],
    decided: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Clock {
    let allowed = limit_minutes(cal, limit, received);
    let end = decided.unwrap_or(now);
    // Working time over the stretches the clock ran, up to `end`.
    let mut used = 0;
    let mut running_since = Some(received);
    for p in pauses {
        if let Some(since) = running_since.take() {
            used += cal.working_minutes_between(since, p.from.min(end));
        }
        running_since = p.until;
    }
    if let Some(since) = running_since {
        used += cal.working_minutes_between(since, end);
    }
    let paused = decided.is_none() && running_since.is_none();
    let deadline = running_since.map(|since| {
        // The minutes used before this stretch, then what is left from its start.
        let before = used - cal.working_minutes_between(since, end);
        cal.add_working_minutes(since, (allowed - before).max(0))
    });
    let local_day = |t: DateTime<Utc>| t.with_timezone(&cal.timezone).date_naive();
    Clock {
        limit_minutes: allowed,
        used_minutes: used,
        deadline,
        paused,
        overdue: decided.is_none() && deadline.is_some_and(|d| now > d),
        on_time: decided.map(|_| used <= allowed),
        same_day: decided.map(|d| local_day(d) == local_day(received)),
    }
}

/// Where an application stands after its steps.
pub fn status(steps: &[Step]) -> ApplicationStatus {
    steps
        .iter()
        .fold(ApplicationStatus::Received, |_, s| match s {
            Step::MaterialsRequested { .. } => ApplicationStatus::AwaitingMaterials,
            Step::MaterialsReceived { .. } => ApplicationStatus::Received,
            Step::Approved { .. } => ApplicationStatus::Approved,
            Step::Rejected { .. } => ApplicationStatus::Rejected,
        })
}

/// The stretches the clock stood still: from each request for materials to their arrival
/// (or to the decision, or still open).
pub fn pauses(steps: &[Step]) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    for s in steps {
        match s {
            Step::MaterialsRequested { at, .. } => out.push(Pause {
                from: *at,
                until: None,
            }),
            Step::MaterialsReceived { at, .. }
            | Step::Approved { at, .. }
            | Step::Rejected { at, .. } => {
                if let Some(p) = out.last_mut().filter(|p| p.until.is_none()) {
                    p.until = Some(*at);
                }
            }
        }
    }
    out
}

/// When an application was decided.
pub fn decided_at(steps: &[Step]) -> Option<DateTime<Utc>> {
    steps.iter().rev().find_map(|s| match s {
        Step::Approved { at, .. } | Step::Rejected { at, .. } => Some(*at),
        _ => None,
    })
}

/// Whether a step may be taken now: materials are asked for and decisions made while the
/// clock runs; materials arrive, or the application is refused, while it waits for them; a
/// decided application takes no step. The error says what the status allows.
pub fn may_take(status: ApplicationStatus, step: &StepRequest) -> Result<(), String> {
    use ApplicationStatus as S;
    let ok = matches!(
        (status, step),
        (
            S::Received,
            StepRequest::RequestMaterials { .. } | StepRequest::Approve { .. }
        ) | (
            S::Received | S::AwaitingMaterials,
            StepRequest::Reject { .. }
        ) | (S::AwaitingMaterials, StepRequest::MaterialsReceived)
    );
    if ok {
        return Ok(());
    }
    Err(match status {
        S::Approved | S::Rejected => format!(
            "the application is already {} and takes no further step",
            status.as_str()
        ),
        S::Received => "while it is being handled an application may be asked for materials, \
                        approved or rejected"
            .to_owned(),
        S::AwaitingMaterials => "while materials are awaited an application may receive them \
                                 or be rejected"
            .to_owned(),
    })
}

/// How long after receipt a record may say it was decided without a clock (a sanity bound for
/// imports: ten years).
pub const MAX_SPAN: Duration = Duration::days(3660);

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped calendar: 2026-09-25 the Mid-Autumn holiday, 2026-09-26 and -27 a weekend, 2026-10-01..07 the National Day
    /// holiday (the 3rd and 4th a weekend inside it), 2026-10-10 a Saturday worked instead.
    fn cal() -> WorkingCalendar {
        WorkingCalendar::from_json(include_str!("../../../data/calendar.json")).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn credit_codes_by_their_check_character() {
        // Check characters worked by hand from the weights of GB 32100-2015.
        assert_eq!(
            check_credit_code("91350100M000100Y43").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            check_credit_code("91110108551385082Q").unwrap(),
            "91110108551385082Q"
        );
        assert_eq!(
            check_credit_code(" 91110108551385082q ").unwrap(),
            "91110108551385082Q"
        );
        assert!(
            check_credit_code("91110108551385082R")
                .unwrap_err()
                .contains("give Q")
        );
        assert!(
            check_credit_code("9111010855138508")
                .unwrap_err()
                .contains("18 characters")
        );
        assert!(check_credit_code("91110108551385082I").is_err());
    }

    #[test]
    fn five_working_days_across_the_national_day_holiday() {
        let c = cal();
        // Wednesday 30 Sep 10:00: 330 minutes that day; 1–7 Oct off; Thu 8, Fri 9, Sat 10
        // (worked), Mon 12 give 1,680 more; 90 minutes of Tue 13 reach 2,100 at 10:00.
        let received = at("2026-09-30T10:00:00+08:00");
        let k = clock(
            &c,
            ApprovalLimit::WorkingDays(5),
            received,
            &[],
            None,
            received,
        );
        assert_eq!(k.limit_minutes, 2100);
        assert_eq!(k.deadline, Some(at("2026-10-13T10:00:00+08:00")));
        let k = clock(
            &c,
            ApprovalLimit::WorkingDays(5),
            received,
            &[],
            None,
            at("2026-10-13T10:01:00+08:00"),
        );
        assert!(k.overdue);
    }

    #[test]
    fn a_request_for_materials_stops_the_clock() {
        let c = cal();
        let received = at("2026-09-30T10:00:00+08:00");
        // Materials asked for at 15:00 the same day (180 minutes used), brought on Thu 8 Oct
        // at 09:00: 1,920 left — 390 on the 8th, 420 on the 9th, 10th and 12th, then 270 of
        // Tue 13 (210 by noon, 60 after 14:00): 15:00.
        let asked = Pause {
            from: at("2026-09-30T15:00:00+08:00"),
            until: None,
        };
        let k = clock(
            &c,
            ApprovalLimit::WorkingDays(5),
            received,
            &[asked],
            None,
            at("2026-10-12T09:00:00+08:00"),
        );
        assert!(k.paused);
        assert!(!k.overdue);
        assert_eq!(k.deadline, None);
        assert_eq!(k.used_minutes, 180);
        let back = Pause {
            until: Some(at("2026-10-08T09:00:00+08:00")),
            ..asked
        };
        let k = clock(
            &c,
            ApprovalLimit::WorkingDays(5),
            received,
            &[back],
            None,
            at("2026-10-08T09:00:00+08:00"),
        );
        assert_eq!(k.deadline, Some(at("2026-10-13T15:00:00+08:00")));
        // Decided on Tue 13 at 14:30: 180 + 1,890 = 2,070 working minutes, on time.
        let k = clock(
            &c,
            ApprovalLimit::WorkingDays(5),
            received,
            &[back],
            Some(at("2026-10-13T14:30:00+08:00")),
            at("2026-10-20T09:00:00+08:00"),
        );
        assert_eq!(k.used_minutes, 2070);
        assert_eq!(k.on_time, Some(true));
        assert_eq!(k.same_day, Some(false));
        assert!(!k.overdue);
    }

    #[test]
    fn the_same_day_ends_with_the_working_day() {
        let c = cal();
        // Thursday 24 Sep 16:00: 90 minutes left that day.
        let received = at("2026-09-24T16:00:00+08:00");
        let k = clock(&c, ApprovalLimit::SameDay, received, &[], None, received);
        assert_eq!(k.limit_minutes, 90);
        assert_eq!(k.deadline, Some(at("2026-09-24T17:30:00+08:00")));
        let k = clock(
            &c,
            ApprovalLimit::SameDay,
            received,
            &[],
            Some(at("2026-09-24T17:10:00+08:00")),
            at("2026-09-28T09:00:00+08:00"),
        );
        assert_eq!(
            (k.on_time, k.same_day, k.used_minutes),
            (Some(true), Some(true), 70)
        );
        // Received on Friday 25 Sep, the Mid-Autumn holiday, before a weekend: the day is
        // Monday 28 Sep, all of it.
        let received = at("2026-09-25T11:00:00+08:00");
        let k = clock(&c, ApprovalLimit::OnTheSpot, received, &[], None, received);
        assert_eq!(k.limit_minutes, 420);
        assert_eq!(k.deadline, Some(at("2026-09-28T17:30:00+08:00")));
        // Decided on the Monday: on time, but not the day it came.
        let k = clock(
            &c,
            ApprovalLimit::OnTheSpot,
            received,
            &[],
            Some(at("2026-09-28T09:00:00+08:00")),
            at("2026-09-28T09:00:00+08:00"),
        );
        assert_eq!((k.on_time, k.same_day), (Some(true), Some(false)));
        // Not decided by Monday evening: overdue on Tuesday.
        let k = clock(
            &c,
            ApprovalLimit::OnTheSpot,
            received,
            &[],
            None,
            at("2026-09-29T08:31:00+08:00"),
        );
        assert!(k.overdue);
    }

    #[test]
    fn the_shipped_types_hold_the_fieldwork_promises() {
        let t: ApprovalTypes =
            serde_json::from_str(include_str!("../../../data/approvals.json")).unwrap();
        t.check().unwrap();
        let limit = |code: &str| t.get(code).unwrap().limit;
        assert_eq!(limit("poster"), ApprovalLimit::WorkingDays(3));
        for code in [
            "stall",
            "road-digging",
            "piling",
            "green-space",
            "tree-felling",
        ] {
            assert_eq!(limit(code), ApprovalLimit::WorkingDays(5), "{code}");
        }
        assert_eq!(limit("household-waste"), ApprovalLimit::WorkingDays(7));
        assert_eq!(limit("outdoor-ad"), ApprovalLimit::WorkingDays(10));
        assert_eq!(limit("muck-disposal"), ApprovalLimit::WorkingDays(10));
        assert_eq!(limit("shop-sign"), ApprovalLimit::SameDay);
        assert!(t.get("shop-sign").unwrap().shop_sign);
        assert_eq!(
            "5个工作日".parse::<ApprovalLimit>(),
            Ok(ApprovalLimit::WorkingDays(5))
        );
        assert!("soon".parse::<ApprovalLimit>().is_err());
    }
}
