//! Where things are: who answers for a point (`GET /locate`) and where an address is
//! (`GET /geocode`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::query::When;
use crate::ids::{CommunityCode, GridCode, ShopCode, StreetId, ZoneId};
use crate::zone::{Hours, ZoneLevel};
use crate::{Crs, LonLat};

/// Which side of a street a point lies on, relative to the line's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    /// Exactly on the centre line.
    On,
}

/// The grid cell a point falls in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GridHit {
    pub code: GridCode,
    pub name: Option<Arc<str>>,
    /// Whether the point lies on the cell's boundary (a shared edge goes to the lowest code).
    pub on_boundary: bool,
}

/// A point in no grid cell: outside the jurisdiction, with the nearest cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OutsideJurisdiction {
    pub nearest_grid: GridCode,
    pub distance_m: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CommunityHit {
    pub code: CommunityCode,
    pub name: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ZoneHit {
    pub id: ZoneId,
    pub name: Arc<str>,
    pub level: ZoneLevel,
    pub hours: Option<Hours>,
    /// Whether the zone's hours apply at the time asked about (always true without hours).
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StreetHit {
    pub id: StreetId,
    pub name: Arc<str>,
    pub class: Option<Arc<str>>,
    pub side: Side,
    /// The house number interpolated from the side's range, where the street has one.
    pub house_number: Option<u32>,
    pub distance_m: f64,
}

/// Which rule of the door-front responsibility system picked the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShopRule {
    /// The point lies in the shop's explicit door-front polygon.
    DoorFrontArea,
    /// The nearest door within its radius on the same side of the same street.
    SameSideDoor,
    /// The nearest door within its radius.
    NearestDoor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShopHit {
    pub code: ShopCode,
    pub name: Arc<str>,
    pub rule: ShopRule,
    pub distance_m: f64,
}

/// The answer to "who is responsible for this point?". Names are shared text (`Arc<str>`):
/// an answer is built by reference-count increments, not copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Location {
    /// The point in WGS 84.
    pub point: LonLat,
    pub grid: Option<GridHit>,
    /// Set when the point is in no grid cell.
    pub outside: Option<OutsideJurisdiction>,
    pub community: Option<CommunityHit>,
    pub subdistrict: Option<Arc<str>>,
    pub zones: Vec<ZoneHit>,
    pub street: Option<StreetHit>,
    pub shop: Option<ShopHit>,
}

/// `GET /locate`: one point (and the options of [`LocateOptionsQuery`]; a query string's
/// fields are listed flat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LocateQuery {
    /// Longitude in degrees.
    pub lon: f64,
    /// Latitude in degrees.
    pub lat: f64,
    /// The point's system: wgs84 (default), cgcs2000, gcj02 or bd09.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<Crs>,
    /// How far to look for a street, metres (0–500, default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_radius: Option<f64>,
    /// The time that decides zone hours (RFC 3339 or a date; default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<When>,
}

impl LocateQuery {
    pub fn options(&self) -> LocateOptionsQuery {
        LocateOptionsQuery {
            crs: self.crs,
            street_radius: self.street_radius,
            at: self.at,
        }
    }
}

/// How to read and answer a point (both `GET` and `POST /locate`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LocateOptionsQuery {
    /// The points' system: wgs84 (default), cgcs2000, gcj02 or bd09.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<Crs>,
    /// How far to look for a street, metres (0–500, default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_radius: Option<f64>,
    /// The time that decides zone hours (RFC 3339 or a date; default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<When>,
}

/// A point in a batch: `{"lon": …, "lat": …}` or `[lon, lat]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PointInput {
    pub lon: f64,
    pub lat: f64,
}

impl<'de> Deserialize<'de> for PointInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = PointInput;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("{\"lon\": …, \"lat\": …} or [lon, lat]")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PointInput, A::Error> {
                use serde::de::Error;
                let lon = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let lat = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::invalid_length(3, &self));
                }
                Ok(PointInput { lon, lat })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PointInput, A::Error> {
                use serde::de::Error;
                let (mut lon, mut lat) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "lon" => lon = Some(map.next_value()?),
                        "lat" => lat = Some(map.next_value()?),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(PointInput {
                    lon: lon.ok_or_else(|| A::Error::missing_field("lon"))?,
                    lat: lat.ok_or_else(|| A::Error::missing_field("lat"))?,
                })
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for PointInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PointInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "oneOf": [
                { "type": "object", "required": ["lon", "lat"], "properties": { "lon": { "type": "number" }, "lat": { "type": "number" } } },
                { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
            ],
        })
    }
}

/// `POST /locate`: many points, as a list or with their system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum LocateBatch {
    /// `[point, …]`, in the system the query names.
    Points(Vec<PointInput>),
    /// `{"crs": "gcj02", "points": [point, …]}`.
    WithSystem {
        #[serde(default)]
        crs: Option<Crs>,
        points: Vec<PointInput>,
    },
}

/// `POST /locate` as the server reads it: the points and their system (a bare list of points
/// is read as `{"points": […]}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocateRequest {
    #[serde(default)]
    pub crs: Option<Crs>,
    pub points: Vec<PointInput>,
}

/// `GET /geocode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GeocodeQuery {
    /// The address text (at most 200 characters).
    pub q: String,
    /// At most this many candidates (1–50, default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// The answer to `GET /geocode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Geocoded {
    pub query: String,
    pub candidates: Vec<GeocodeCandidate>,
}

/// What kind of place a geocoding candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// An imported address point with this street and number.
    AddressPoint,
    /// A number interpolated along a street's house-number range.
    Interpolated,
    /// The crossing of two named streets.
    Intersection,
    /// A street by name (no number, or a number outside its ranges).
    Street,
    Shop,
    Community,
    Grid,
}

/// How closely a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    Exact,
    /// The same name without a direction or section word (人民中路 for 人民路).
    Variant,
    /// One name contains the other.
    Partial,
    /// A small edit distance.
    Fuzzy,
}

/// One ranked answer to "where is this address?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GeocodeCandidate {
    pub point: LonLat,
    /// 0..1, higher is better.
    pub score: f64,
    pub kind: MatchKind,
    /// What the candidate is called, e.g. "人民路 123号" or a shop's name.
    pub label: String,
    pub name_match: NameMatch,
    /// What matched, in words: the street, the number and side, prefixes understood.
    pub matched: Vec<String>,
}
