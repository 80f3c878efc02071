//! Request and response types of the HTTP API, shared with the web front end.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::ids::{CommunityCode, GridCode, ShopCode, StreetId, ZoneId};
use crate::zone::{Hours, ZoneLevel};

/// Which side of a street a point lies on, relative to the line's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    /// Exactly on the centre line.
    On,
}

/// The grid cell a point falls in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridHit {
    pub code: GridCode,
    pub name: Option<Arc<str>>,
    /// Whether the point lies on the cell's boundary (a shared edge goes to the lowest code).
    pub on_boundary: bool,
}

/// A point in no grid cell: outside the jurisdiction, with the nearest cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutsideJurisdiction {
    pub nearest_grid: GridCode,
    pub distance_m: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityHit {
    pub code: CommunityCode,
    pub name: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneHit {
    pub id: ZoneId,
    pub name: Arc<str>,
    pub level: ZoneLevel,
    pub hours: Option<Hours>,
    /// Whether the zone's hours apply at the time asked about (always true without hours).
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
pub struct ShopHit {
    pub code: ShopCode,
    pub name: Arc<str>,
    pub rule: ShopRule,
    pub distance_m: f64,
}

/// The answer to "who is responsible for this point?". Names are shared text (`Arc<str>`):
/// an answer is built by reference-count increments, not copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A point in a batch locate request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PointInput {
    pub lon: f64,
    pub lat: f64,
}

/// What kind of place a geocoding candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
