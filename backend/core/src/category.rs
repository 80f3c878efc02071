//! The case category catalogue: two levels (major class, category), names in Chinese and
//! English, the unit a quantity is counted in, the handling time limit and the duplicate rule.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A category code, such as `0501` (class `05`, street order; category 01, street vending).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CategoryCode(pub String);

impl CategoryCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A handling time limit in working time: hours (`"4h"`) or working days (`"2d"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schema", schemars(with = "String"))]
pub enum TimeLimit {
    WorkingHours(u32),
    WorkingDays(u32),
}

/// A limit that does not parse (its text cut to a few characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a time limit is a number of working hours (\"4h\", \"4小时\") or working days (\"2d\", \"2天\", \"2个工作日\") from 1 to {MAX_LIMIT}, got {0:?}"
)]
pub struct BadLimit(pub String);

/// The largest number a time limit may have (hours or days).
pub const MAX_LIMIT: u32 = 9999;

/// The units a limit may be written in, after [`crate::text::normalise`].
const HOURS: [&str; 5] = ["个工作小时", "工作小时", "个小时", "小时", "h"];
const DAYS: [&str; 5] = ["个工作日", "工作日", "天", "日", "d"];

impl FromStr for TimeLimit {
    type Err = BadLimit;
    /// `4h`, `4 小时`, `４ｈ`, `2d`, `2天`, `2个工作日` (full-width forms and spaces are read
    /// as their plain forms).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadLimit(s.chars().take(24).collect());
        if s.chars().count() > 32 {
            return Err(bad());
        }
        let t = crate::text::normalise(s);
        let number = |n: &str| {
            n.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(bad)
        };
        let unit = |units: &[&str]| units.iter().find_map(|u| t.strip_suffix(u));
        if let Some(n) = unit(&HOURS) {
            Ok(TimeLimit::WorkingHours(number(n)?))
        } else if let Some(n) = unit(&DAYS) {
            Ok(TimeLimit::WorkingDays(number(n)?))
        } else {
            Err(bad())
        }
    }
}

impl TryFrom<String> for TimeLimit {
    type Error = BadLimit;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TimeLimit> for String {
    fn from(l: TimeLimit) -> Self {
        l.to_string()
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeLimit::WorkingHours(n) => write!(f, "{n}h"),
            TimeLimit::WorkingDays(n) => write!(f, "{n}d"),
        }
    }
}

impl TimeLimit {
    /// Half the limit (at least one working hour), for prohibited zones without their own limit.
    #[must_use]
    pub fn halved(self, hours_per_day: u32) -> Self {
        let hours = match self {
            TimeLimit::WorkingHours(h) => h,
            TimeLimit::WorkingDays(d) => d * hours_per_day,
        };
        TimeLimit::WorkingHours((hours / 2).max(1))
    }
}

/// A major class (事件大类).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryClass {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A category (事件小类).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Category {
    pub code: CategoryCode,
    pub name_zh: String,
    pub name_en: String,
    /// The unit a quantity is counted in: 处, 辆, 平方米, 条, 家, 件.
    pub unit: String,
    pub limit: TimeLimit,
    /// The limit inside a prohibited zone (严禁区); half of `limit` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_prohibited: Option<TimeLimit>,
    /// Open cases of this category within this radius and `duplicate_days` are possible duplicates;
    /// 0 turns the check off.
    pub duplicate_radius_m: f64,
    pub duplicate_days: u32,
    /// Words and phrases a citizen uses for it (烧烤, 撸串 …), for suggesting the category of a
    /// hotline order from the caller's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

impl Category {
    /// The major class code: the first two digits.
    pub fn class_code(&self) -> &str {
        self.code.0.get(..2).unwrap_or("")
    }
}

/// Why a catalogue was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the catalogue is not valid JSON: {0}")]
    Json(String),
    #[error("category {code}: {problem}")]
    Category { code: String, problem: String },
}

/// The whole catalogue, looked up by code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Catalogue {
    pub classes: Vec<CategoryClass>,
    pub categories: Vec<Category>,
    #[serde(skip)]
    index: HashMap<CategoryCode, usize>,
}

/// The most keywords a category has, and the longest one (characters).
pub const MAX_KEYWORDS: usize = 200;
pub const MAX_KEYWORD_CHARS: usize = 30;

impl Catalogue {
    /// Parses and checks a catalogue: codes of four digits under a known class, unique, with
    /// positive radii.
    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        let mut c: Catalogue =
            serde_json::from_str(text).map_err(|e| CatalogueError::Json(e.to_string()))?;
        for (i, cat) in c.categories.iter().enumerate() {
            let bad = |problem: &str| CatalogueError::Category {
                code: cat.code.0.clone(),
                problem: problem.to_owned(),
            };
            if cat.code.0.len() != 4 || !cat.code.0.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("the code must be four digits"));
            }
            if !c.classes.iter().any(|k| k.code == cat.class_code()) {
                return Err(bad(
                    "its class (the first two digits) is not in the catalogue",
                ));
            }
            if !(cat.duplicate_radius_m >= 0.0 && cat.duplicate_radius_m <= 1000.0) {
                return Err(bad("duplicate_radius_m must be between 0 and 1000"));
            }
            if cat.keywords.len() > MAX_KEYWORDS
                || cat
                    .keywords
                    .iter()
                    .any(|k| k.trim().is_empty() || k.chars().count() > MAX_KEYWORD_CHARS)
            {
                return Err(bad(&format!(
                    "keywords are at most {MAX_KEYWORDS} words or phrases of 1 to {MAX_KEYWORD_CHARS} characters"
                )));
            }
            if c.index.insert(cat.code.clone(), i).is_some() {
                return Err(bad("the code is used twice"));
            }
        }
        Ok(c)
    }

    pub fn get(&self, code: &str) -> Option<&Category> {
        self.index
            .get(&CategoryCode(code.to_owned()))
            .map(|&i| &self.categories[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_and_halve() {
        for (text, limit) in [
            ("4h", TimeLimit::WorkingHours(4)),
            ("4小时", TimeLimit::WorkingHours(4)),
            ("４ｈ", TimeLimit::WorkingHours(4)),
            (" 4 H ", TimeLimit::WorkingHours(4)),
            ("2d", TimeLimit::WorkingDays(2)),
            ("2天", TimeLimit::WorkingDays(2)),
            ("２个工作日", TimeLimit::WorkingDays(2)),
        ] {
            assert_eq!(text.parse(), Ok(limit), "{text}");
        }
        let long = "4".repeat(10_000) + "h";
        for bad in [
            "", "h", "0h", "4x", "-1d", "1.5h", "\u{80}", "G´", "小时", "10000d", &long,
        ] {
            let refused = bad.parse::<TimeLimit>().unwrap_err();
            assert!(refused.0.chars().count() <= 24, "{bad}");
        }
        assert_eq!(
            TimeLimit::WorkingDays(1).halved(7),
            TimeLimit::WorkingHours(3)
        );
        assert_eq!(
            TimeLimit::WorkingHours(1).halved(7),
            TimeLimit::WorkingHours(1)
        );
    }

    #[test]
    fn catalogue_checks_codes() {
        let ok = r#"{"classes":[{"code":"05","name_zh":"街面秩序","name_en":"Street order"}],
            "categories":[{"code":"0501","name_zh":"游商","name_en":"Vending","unit":"处","limit":"2h","duplicate_radius_m":50,"duplicate_days":1}]}"#;
        let c = Catalogue::from_json(ok).unwrap();
        assert_eq!(c.get("0501").unwrap().unit, "处");
        assert!(c.get("0502").is_none());
        let unknown_class = ok.replace("\"0501\"", "\"0601\"");
        assert!(matches!(
            Catalogue::from_json(&unknown_class),
            Err(CatalogueError::Category { .. })
        ));
        let bad_limit = ok.replace("\"2h\"", "\"soon\"");
        assert!(matches!(
            Catalogue::from_json(&bad_limit),
            Err(CatalogueError::Json(_))
        ));
    }
}
