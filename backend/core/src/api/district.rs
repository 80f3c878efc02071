//! The district and the server: `GET /health` and `GET /district`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Crs, LonLat};

/// `GET /health`: the server and its store answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// citygrid's version.
    pub version: String,
    /// Features per base layer.
    pub layers: BTreeMap<String, usize>,
}

/// A background tile source: an XYZ URL template with `{z}`, `{x}` and `{y}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tiles {
    pub url: String,
    /// The system the tiles are drawn in: `gcj02` for most Chinese web maps, whose streets sit
    /// some hundreds of metres off WGS 84; the web app shifts the data to match.
    pub crs: Crs,
    pub attribution: String,
}

/// `GET /district`: what the web app shows around the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DistrictInfo {
    pub name: String,
    /// IANA name, e.g. `Asia/Shanghai`.
    pub timezone: String,
    pub centre: LonLat,
    /// `[west, south, east, north]`, when the district has any geometry.
    pub bbox: Option<[f64; 4]>,
    /// A background under the map, when the site has one.
    pub tiles: Option<Tiles>,
    pub communities: usize,
    pub grids: usize,
}
