//! The working calendar: working periods of a day, weekends, holidays and weekend days worked
//! instead (调休). Deadlines add working time; overdue time counts working time.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::category::TimeLimit;

/// The bureau's working calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingCalendar {
    pub timezone: Tz,
    /// Working periods of a working day, in local time, sorted and disjoint.
    periods: Vec<(NaiveTime, NaiveTime)>,
    weekend: Vec<Weekday>,
    holidays: BTreeSet<NaiveDate>,
    extra_workdays: BTreeSet<NaiveDate>,
}

/// Why a calendar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar: {0}")]
pub struct CalendarError(pub String);

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct Raw {
    timezone: String,
    periods: Vec<(String, String)>,
    #[serde(default)]
    weekend: Vec<String>,
    #[serde(default)]
    holidays: Vec<NaiveDate>,
    #[serde(default)]
    extra_workdays: Vec<NaiveDate>,
}

fn weekday(s: &str) -> Option<Weekday> {
    s.parse::<Weekday>().ok()
}

/// No search runs past this many days (a calendar without working days).
const MAX_DAYS: i64 = 3660;

impl WorkingCalendar {
    /// Parses and checks a calendar: a known time zone, periods `"HH:MM"` that are ordered and
    /// do not overlap, weekday names.
    pub fn from_json(text: &str) -> Result<Self, CalendarError> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| CalendarError(e.to_string()))?;
        let timezone: Tz = raw
            .timezone
            .parse()
            .map_err(|_| CalendarError(format!("unknown time zone {:?}", raw.timezone)))?;
        let mut periods = Vec::new();
        for (a, b) in &raw.periods {
            let parse = |s: &str| {
                NaiveTime::parse_from_str(s, "%H:%M")
                    .map_err(|_| CalendarError(format!("period time {s:?} is not HH:MM")))
            };
            let (start, end) = (parse(a)?, parse(b)?);
            if start >= end {
                return Err(CalendarError(format!(
                    "period {a}-{b} ends before it starts"
                )));
            }
            periods.push((start, end));
        }
        periods.sort();
        if periods.is_empty() || periods.windows(2).any(|w| w[0].1 > w[1].0) {
            return Err(CalendarError(
                "periods must be given and must not overlap".to_owned(),
            ));
        }
        let weekend = raw
            .weekend
            .iter()
            .map(|d| weekday(d).ok_or_else(|| CalendarError(format!("unknown weekday {d:?}"))))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            timezone,
            periods,
            weekend,
            holidays: raw.holidays.into_iter().collect(),
            extra_workdays: raw.extra_workdays.into_iter().collect(),
        })
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.extra_workdays.contains(&d) {
            return true;
        }
        !self.holidays.contains(&d) && !self.weekend.contains(&d.weekday())
    }

    /// Working minutes in a working day.
    pub fn minutes_per_day(&self) -> i64 {
        self.periods
            .iter()
            .map(|(a, b)| (*b - *a).num_minutes())
            .sum()
    }

    fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.timezone).naive_local()
    }

    fn utc(&self, t: NaiveDateTime) -> DateTime<Utc> {
        self.timezone
            .from_local_datetime(&t)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&t), |l| l.with_timezone(&Utc))
    }

    /// The working periods of day `d` as local date-times (none on a day off).
    fn periods_of(
        &self,
        d: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDateTime, NaiveDateTime)> + '_ {
        let working = self.is_working_day(d);
        self.periods
            .iter()
            .filter(move |_| working)
            .map(move |(a, b)| (d.and_time(*a), d.and_time(*b)))
    }

    /// The first moment of local day `d`.
    pub fn start_of_day(&self, d: NaiveDate) -> DateTime<Utc> {
        self.utc(d.and_time(chrono::NaiveTime::MIN))
    }

    /// The first moment of local day `from` and the first moment after local day `to`.
    pub fn days_bounds(&self, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            self.start_of_day(from),
            self.start_of_day(to.succ_opt().unwrap_or(to)),
        )
    }

    /// The end of the last working period of day `d`, if it is a working day.
    pub fn end_of_working_day(&self, d: NaiveDate) -> Option<DateTime<Utc>> {
        self.periods_of(d).last().map(|(_, end)| self.utc(end))
    }

    /// The moment `minutes` of working time after `start`.
    pub fn add_working_minutes(&self, start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let mut left = Duration::minutes(minutes.max(0));
        let now = self.local(start);
        for day in 0..MAX_DAYS {
            let d = now.date() + Duration::days(day);
            for (a, b) in self.periods_of(d) {
                let from = a.max(now);
                if from >= b {
                    continue;
                }
                if from + left <= b {
                    return self.utc(from + left);
                }
                left -= b - from;
            }
        }
        start + Duration::minutes(minutes)
    }

    /// The deadline for a limit counted from `start`.
    pub fn deadline(&self, start: DateTime<Utc>, limit: TimeLimit) -> DateTime<Utc> {
        let minutes = match limit {
            TimeLimit::WorkingHours(h) => i64::from(h) * 60,
            TimeLimit::WorkingDays(d) => i64::from(d) * self.minutes_per_day(),
        };
        self.add_working_minutes(start, minutes)
    }

    /// Working minutes from `a` to `b` (0 when `b` is not after `a`).
    pub fn working_minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b <= a {
            return 0;
        }
        let (a, b) = (self.local(a), self.local(b));
        let mut total = 0;
        let days = (b.date() - a.date()).num_days().min(MAX_DAYS);
        for day in 0..=days {
            for (p, q) in self.periods_of(a.date() + Duration::days(day)) {
                let (from, to) = (p.max(a), q.min(b));
                if to > from {
                    total += (to - from).num_minutes();
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::from_json(
            r#"{"timezone":"Asia/Shanghai","periods":[["08:30","12:00"],["14:00","17:30"]],"weekend":["Sat","Sun"],
                "holidays":["2026-10-01","2026-10-02"],"extra_workdays":["2026-10-10"]}"#,
        )
        .unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn deadlines_table() {
        let c = cal();
        assert_eq!(c.minutes_per_day(), 420);
        let check = |start: &str, limit: &str, expected: &str| {
            let got = c.deadline(at(start), limit.parse().unwrap());
            assert_eq!(got, at(expected), "{start} + {limit}");
        };
        // Within the morning period.
        check(
            "2026-11-27T09:00:00+08:00",
            "2h",
            "2026-11-27T11:00:00+08:00",
        );
        // Across lunch: 11:00 + 2h = 12:00 (1h) then 14:00–15:00.
        check(
            "2026-11-27T11:00:00+08:00",
            "2h",
            "2026-11-27T15:00:00+08:00",
        );
        // Friday evening → Monday morning.
        check(
            "2026-11-27T20:00:00+08:00",
            "2h",
            "2026-11-30T10:30:00+08:00",
        );
        // Over a holiday: Wed 30 Sep 17:00 + 1h; 1–2 Oct are holidays, 3–4 Oct a weekend.
        check(
            "2026-09-30T17:00:00+08:00",
            "1h",
            "2026-10-05T09:00:00+08:00",
        );
        // A worked Saturday (调休).
        check(
            "2026-10-09T17:00:00+08:00",
            "1h",
            "2026-10-10T09:00:00+08:00",
        );
        // Working days are days' worth of working time.
        check(
            "2026-11-27T09:00:00+08:00",
            "1d",
            "2026-11-30T09:00:00+08:00",
        );
    }

    #[test]
    fn overdue_counts_working_time_only() {
        let c = cal();
        assert_eq!(
            c.working_minutes_between(
                at("2026-11-27T16:30:00+08:00"),
                at("2026-11-30T09:30:00+08:00")
            ),
            120
        );
        assert_eq!(
            c.working_minutes_between(
                at("2026-11-30T09:30:00+08:00"),
                at("2026-11-27T16:30:00+08:00")
            ),
            0
        );
    }

    #[test]
    fn bad_calendars_are_refused() {
        for bad in [
            r#"{"timezone":"Mars/Olympus","periods":[["08:30","12:00"]]}"#,
            r#"{"timezone":"Asia/Shanghai","periods":[["12:00","08:30"]]}"#,
            r#"{"timezone":"Asia/Shanghai","periods":[["08:00","12:00"],["11:00","13:00"]]}"#,
            r#"{"timezone":"Asia/Shanghai","periods":[]}"#,
            r#"{"timezone":"Asia/Shanghai","periods":[["08:30","12:00"]],"weekend":["Caturday"]}"#,
        ] {
            assert!(WorkingCalendar::from_json(bad).is_err(), "{bad}");
        }
    }
}
