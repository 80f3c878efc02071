//! The values query strings carry beyond numbers and names: lists (`status=reported,registered`),
//! times (`from=2026-11-27` or RFC 3339) and areas (`bbox=minlon,minlat,maxlon,maxlat`). Each
//! reads from and writes to one query value, so that the web app builds the same strings the
//! server reads.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer};

use super::problem::BadValue;
use crate::LonLat;

/// The most values one comma-separated filter may list.
pub const MAX_LIST: usize = 50;

/// The widest area one request may ask for, in degrees each way.
pub const MAX_BBOX_DEGREES: f64 = 2.0;

/// Reads a value from its text with `FromStr` (its error is the message).
pub(crate) fn from_text<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    let text = String::deserialize(d)?;
    text.trim().parse().map_err(serde::de::Error::custom)
}

/// Reads and writes a type as the one query value its `FromStr` and `Display` make, described
/// by its `DESCRIPTION`.
macro_rules! text_value {
    ($t:ident $(<$p:ident>)? $(where $($bound:tt)*)?) => {
        impl<'de $(, $p)?> serde::Deserialize<'de> for $t $(<$p>)? $(where $($bound)*)? {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::query::from_text(d)
            }
        }

        impl $(<$p>)? serde::Serialize for $t $(<$p>)? $(where $($bound)*)? {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        #[cfg(feature = "schema")]
        impl $(<$p>)? schemars::JsonSchema for $t $(<$p>)? $(where $($bound)*)? {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "description": <$t $(<$p>)?>::DESCRIPTION })
            }
        }
    };
}

/// Comma-separated values (`reported,registered`), each read as a `T`; at most [`MAX_LIST`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> List<T> {
    #[cfg_attr(not(feature = "schema"), allow(dead_code))]
    const DESCRIPTION: &'static str = "comma-separated values (at most 50)";
}

impl<T: FromStr> FromStr for List<T>
where
    T::Err: fmt::Display,
{
    type Err = BadValue;

    fn from_str(text: &str) -> Result<Self, BadValue> {
        let parts: Vec<&str> = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.len() > MAX_LIST {
            return Err(BadValue(format!("at most {MAX_LIST} values")));
        }
        parts
            .into_iter()
            .map(|p| p.parse().map_err(|e: T::Err| BadValue(e.to_string())))
            .collect::<Result<_, _>>()
            .map(List)
    }
}

impl<T: fmt::Display> fmt::Display for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

text_value!(List<T> where T: FromStr + fmt::Display, T::Err: fmt::Display);

/// A moment: RFC 3339 (`2026-11-27T09:00:00+08:00`) or a date (`2026-11-27`, midnight UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When(pub DateTime<Utc>);

impl When {
    #[cfg_attr(not(feature = "schema"), allow(dead_code))]
    const DESCRIPTION: &'static str = "a date (2026-11-27) or an RFC 3339 time";
}

impl FromStr for When {
    type Err = BadValue;

    fn from_str(text: &str) -> Result<Self, BadValue> {
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(When(t.with_timezone(&Utc)));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| When(t.and_utc()))
            .ok_or_else(|| BadValue("expected a date (2026-11-27) or an RFC 3339 time".into()))
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339())
    }
}

text_value!(When);

/// An area, `minlon,minlat,maxlon,maxlat` in WGS 84, at most [`MAX_BBOX_DEGREES`] each way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    pub min: LonLat,
    pub max: LonLat,
}

impl Bbox {
    #[cfg_attr(not(feature = "schema"), allow(dead_code))]
    const DESCRIPTION: &'static str = "minlon,minlat,maxlon,maxlat (at most 2° each way)";

    /// `[minlon, minlat, maxlon, maxlat]`.
    pub fn corners(&self) -> [f64; 4] {
        [self.min.lon, self.min.lat, self.max.lon, self.max.lat]
    }
}

impl FromStr for Bbox {
    type Err = BadValue;

    fn from_str(text: &str) -> Result<Self, BadValue> {
        let four = || BadValue("expected four numbers: minlon,minlat,maxlon,maxlat".into());
        let numbers: Vec<f64> = text
            .split(',')
            .map(|s| s.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| four())?;
        let [x0, y0, x1, y1] = numbers[..] else {
            return Err(four());
        };
        let min = LonLat::new(x0, y0).map_err(|e| BadValue(e.to_string()))?;
        let max = LonLat::new(x1, y1).map_err(|e| BadValue(e.to_string()))?;
        if min.lon > max.lon || min.lat > max.lat {
            return Err(BadValue(
                "the minimum corner must be south-west of the maximum corner".into(),
            ));
        }
        if max.lon - min.lon > MAX_BBOX_DEGREES || max.lat - min.lat > MAX_BBOX_DEGREES {
            return Err(BadValue(format!(
                "spans more than {MAX_BBOX_DEGREES}° in longitude or latitude; ask for a smaller area"
            )));
        }
        Ok(Bbox { min, max })
    }
}

impl fmt::Display for Bbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.corners();
        write!(f, "{a},{b},{c},{d}")
    }
}

text_value!(Bbox);

pub(crate) use text_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_read_what_they_write() {
        let list: List<u32> = "1, 2,3,".parse().unwrap();
        assert_eq!(list, List(vec![1, 2, 3]));
        assert_eq!(list.to_string(), "1,2,3");
        assert!("1,x".parse::<List<u32>>().is_err());
        assert!(vec!["1"; 51].join(",").parse::<List<u32>>().is_err());
        let day: When = "2026-11-27".parse().unwrap();
        assert_eq!(day.to_string(), "2026-11-27T00:00:00+00:00");
        assert_eq!(day.to_string().parse::<When>().unwrap(), day);
        assert!("27.11.2026".parse::<When>().is_err());
        let area: Bbox = "116.7,33.9,116.8,34.0".parse().unwrap();
        assert_eq!(area.to_string().parse::<Bbox>().unwrap(), area);
        for bad in [
            "1,2,3",
            "116.8,33.9,116.7,34.0",
            "110,30,116,34",
            "200,0,201,1",
        ] {
            assert!(bad.parse::<Bbox>().is_err(), "{bad}");
        }
    }
}
