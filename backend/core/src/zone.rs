//! Management zones: their levels and daily hours.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A zone's management level (管理区域级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ZoneLevel {
    /// 示范街
    Demonstration,
    /// 严禁区
    Prohibited,
    /// 严管区
    Strict,
    /// 严控区
    Controlled,
    /// 疏导点 (a permitted stall area, may have hours)
    Permitted,
}

impl ZoneLevel {
    pub const ALL: [ZoneLevel; 5] = [
        ZoneLevel::Demonstration,
        ZoneLevel::Prohibited,
        ZoneLevel::Strict,
        ZoneLevel::Controlled,
        ZoneLevel::Permitted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneLevel::Demonstration => "demonstration",
            ZoneLevel::Prohibited => "prohibited",
            ZoneLevel::Strict => "strict",
            ZoneLevel::Controlled => "controlled",
            ZoneLevel::Permitted => "permitted",
        }
    }

    /// The Chinese name shown to users.
    pub fn name_zh(self) -> &'static str {
        match self {
            ZoneLevel::Demonstration => "示范街",
            ZoneLevel::Prohibited => "严禁区",
            ZoneLevel::Strict => "严管区",
            ZoneLevel::Controlled => "严控区",
            ZoneLevel::Permitted => "疏导点",
        }
    }
}

impl fmt::Display for ZoneLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown level name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown zone level {0:?}; expected demonstration, prohibited, strict, controlled or permitted (示范街, 严禁区, 严管区, 严控区, 疏导点)"
)]
pub struct UnknownLevel(pub String);

impl FromStr for ZoneLevel {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // By citygrid's name or the Chinese one a bureau's layer carries (疏导区 as well as 疏导点).
        let name = s.trim();
        let name = if name == "疏导区" {
            "疏导点"
        } else {
            name
        };
        ZoneLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == name || l.name_zh() == name)
            .ok_or_else(|| UnknownLevel(s.chars().take(40).collect()))
    }
}

/// Daily hours such as `18:00-23:00`; a range may cross midnight (`22:00-02:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schema", schemars(with = "String"))]
pub struct Hours {
    /// Minutes after midnight, start inclusive.
    pub start: u16,
    /// Minutes after midnight, end exclusive.
    pub end: u16,
}

/// Hours that do not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hours must look like \"18:00-23:00\", got {0:?}")]
pub struct BadHours(pub String);

impl Hours {
    /// Whether the hours apply at this minute of the local day (0..1440).
    ///
    /// ```
    /// use citygrid_core::zone::Hours;
    /// let night: Hours = "22:00-02:00".parse().unwrap();
    /// assert!(night.contains(23 * 60) && night.contains(60) && !night.contains(12 * 60));
    /// ```
    pub fn contains(self, minute_of_day: u16) -> bool {
        if self.start <= self.end {
            (self.start..self.end).contains(&minute_of_day)
        } else {
            minute_of_day >= self.start || minute_of_day < self.end
        }
    }
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    // 24:00 is allowed as an end of day.
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

impl FromStr for Hours {
    type Err = BadHours;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHours(s.to_owned());
        let normalised = s.replace(['—', '–', '~', '～', '至'], "-");
        let (a, b) = normalised.split_once('-').ok_or_else(bad)?;
        let start = parse_hhmm(a).filter(|&m| m < 1440).ok_or_else(bad)?;
        let end = parse_hhmm(b).ok_or_else(bad)?;
        if start == end {
            return Err(bad());
        }
        Ok(Hours { start, end })
    }
}

impl TryFrom<String> for Hours {
    type Error = BadHours;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Hours> for String {
    fn from(h: Hours) -> Self {
        h.to_string()
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_by_their_chinese_names_too() {
        assert_eq!("严管区".parse(), Ok(ZoneLevel::Strict));
        assert_eq!(" 示范街".parse(), Ok(ZoneLevel::Demonstration));
        assert_eq!("疏导区".parse(), Ok(ZoneLevel::Permitted));
        assert_eq!("疏导点".parse(), Ok(ZoneLevel::Permitted));
        let err = "禁区".parse::<ZoneLevel>().unwrap_err().to_string();
        assert!(err.contains("严禁区"), "{err}");
    }

    #[test]
    fn hours_table() {
        let check = |s: &str, minute: u16, expected: bool| {
            let h: Hours = s.parse().unwrap();
            assert_eq!(h.contains(minute), expected, "{s} at {minute}");
        };
        check("18:00-23:00", 18 * 60, true);
        check("18:00-23:00", 23 * 60, false);
        check("18:00-23:00", 12 * 60, false);
        check("22:00-02:00", 0, true);
        check("22:00-02:00", 2 * 60, false);
        check("06:00-24:00", 23 * 60 + 59, true);
        check("18：00-23：00".replace('：', ":").as_str(), 19 * 60, true);
    }

    #[test]
    fn bad_hours_are_rejected() {
        for s in ["", "18-23", "25:00-26:00", "18:00-18:00", "18:00"] {
            assert!(s.parse::<Hours>().is_err(), "{s}");
        }
        assert_eq!(
            "8:05-9:00".parse::<Hours>().unwrap().to_string(),
            "08:05-09:00"
        );
    }
}
