//! Time slices of local calendar time: days, ISO weeks (from Monday), months and quarters.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Slice {
    Day,
    #[default]
    Week,
    Month,
    Quarter,
}

impl Slice {
    pub fn as_str(self) -> &'static str {
        match self {
            Slice::Day => "day",
            Slice::Week => "week",
            Slice::Month => "month",
            Slice::Quarter => "quarter",
        }
    }

    /// The first day of the slice holding `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Slice::Day => date,
            Slice::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Slice::Month => date.with_day(1).unwrap_or(date),
            Slice::Quarter => {
                let month = (date.month0() / 3) * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
            }
        }
    }

    /// The first day of the next slice.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Slice::Day => start + Days::new(1),
            Slice::Week => start + Days::new(7),
            Slice::Month => start + Months::new(1),
            Slice::Quarter => start + Months::new(3),
        }
    }

    /// The starts of every slice that overlaps `[from, to)`, in order.
    pub fn starts(self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut s = self.start_of(from);
        while s < to {
            out.push(s);
            s = self.next(s);
        }
        out
    }
}

impl fmt::Display for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Slice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Slice::Day, Slice::Week, Slice::Month, Slice::Quarter]
            .into_iter()
            .find(|x| x.as_str() == s.trim())
            .ok_or_else(|| format!("unknown slice {s:?}; expected day, week, month or quarter"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn slices_start_where_the_calendar_says() {
        // 27 November 2026 is a Friday.
        assert_eq!(Slice::Week.start_of(d("2026-11-27")), d("2026-11-23"));
        assert_eq!(Slice::Month.start_of(d("2026-11-27")), d("2026-11-01"));
        assert_eq!(Slice::Quarter.start_of(d("2026-11-27")), d("2026-10-01"));
        assert_eq!(Slice::Quarter.next(d("2026-10-01")), d("2027-01-01"));
        assert_eq!(
            Slice::Month.starts(d("2026-01-15"), d("2026-04-01")),
            [d("2026-01-01"), d("2026-02-01"), d("2026-03-01")]
        );
        assert_eq!(
            Slice::Week.starts(d("2026-11-23"), d("2026-11-23")),
            Vec::<NaiveDate>::new()
        );
    }
}
