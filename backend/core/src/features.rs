//! Base-layer features, in WGS 84 longitude/latitude.
//!
//! These are the rows of the base layers as imported, stored and served. The spatial index
//! (the server's atlas) builds its projected, indexed copies from them.

use geo_types::{Geometry, MultiLineString, MultiPolygon, Point};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{
    CommunityCode, ComponentCode, GridCode, OfficerCode, SectionCode, ShopCode, StreetId, ZoneId,
};
use crate::layer::Layer;
use crate::zone::{Hours, ZoneLevel};

/// Properties that are not part of the contract, kept as they came.
pub type Attributes = Map<String, Value>;

/// A community (社区) polygon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    pub code: CommunityCode,
    pub name: String,
    /// The sub-district (街道/镇) it belongs to.
    pub subdistrict: Option<String>,
    pub geometry: MultiPolygon,
    pub attributes: Attributes,
}

/// A grid cell (单元网格).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub code: GridCode,
    pub name: Option<String>,
    pub community: Option<CommunityCode>,
    pub geometry: MultiPolygon,
    pub attributes: Attributes,
}

/// House numbers on one side of a street, from the start of the line to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberRange {
    pub from: u32,
    pub to: u32,
}

impl NumberRange {
    /// Whether `n` lies in the range and has its parity (odd/even side).
    pub fn holds(self, n: u32) -> bool {
        let (lo, hi) = (self.from.min(self.to), self.from.max(self.to));
        (lo..=hi).contains(&n) && (n % 2 == self.from % 2 || self.from % 2 != self.to % 2)
    }

    /// Where `n` falls along the range, 0 at the start of the line and 1 at its end.
    pub fn fraction(self, n: u32) -> f64 {
        if self.from == self.to {
            0.5
        } else {
            (f64::from(n) - f64::from(self.from)) / (f64::from(self.to) - f64::from(self.from))
        }
    }

    /// The number at fraction `t` along the line, on this range's parity.
    pub fn at(self, t: f64) -> u32 {
        let (from, to) = (f64::from(self.from), f64::from(self.to));
        let raw = from + t.clamp(0.0, 1.0) * (to - from);
        // Whole steps of two from `from` keep the side's parity.
        let steps = ((raw - from) / 2.0).round();
        (from + 2.0 * steps).clamp(from.min(to), from.max(to)) as u32
    }
}

/// A named street (道路): one or more centre lines, optionally with house numbers per side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Street {
    pub id: StreetId,
    pub name: String,
    pub class: Option<String>,
    /// Numbers on the left side, relative to the line's direction.
    pub left: Option<NumberRange>,
    /// Numbers on the right side.
    pub right: Option<NumberRange>,
    pub geometry: MultiLineString,
    pub attributes: Attributes,
}

/// A shop's door: a point, or an explicit door-front area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ShopFront {
    Door(Point),
    Area(MultiPolygon),
}

impl ShopFront {
    pub fn to_geometry(&self) -> Geometry {
        match self {
            ShopFront::Door(p) => Geometry::Point(*p),
            ShopFront::Area(mp) => Geometry::MultiPolygon(mp.clone()),
        }
    }
}

/// The default door-front radius of a shop whose door is a point.
pub const DEFAULT_DOOR_RADIUS_M: f64 = 25.0;

/// A shop under the door-front responsibility system (门责制).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shop {
    pub code: ShopCode,
    pub name: String,
    pub address: Option<String>,
    pub category: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub license: Option<String>,
    pub door_radius_m: Option<f64>,
    pub front: ShopFront,
    pub attributes: Attributes,
}

impl Shop {
    /// A shop known by its code, name and front alone.
    pub fn new(code: ShopCode, name: String, front: ShopFront) -> Self {
        Self {
            code,
            name,
            address: None,
            category: None,
            contact: None,
            phone: None,
            license: None,
            door_radius_m: None,
            front,
            attributes: Attributes::default(),
        }
    }

    pub fn door_radius(&self) -> f64 {
        self.door_radius_m.unwrap_or(DEFAULT_DOOR_RADIUS_M)
    }
}

/// A management zone (管理区域).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub id: ZoneId,
    pub name: String,
    pub level: ZoneLevel,
    pub hours: Option<Hours>,
    /// Category codes the zone's rules apply to; empty means all.
    pub categories: Vec<String>,
    pub geometry: MultiPolygon,
    pub attributes: Attributes,
}

/// A public component (部件): bin, manhole, lamp post, kiosk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub code: ComponentCode,
    pub kind: String,
    pub status: Option<String>,
    pub geometry: Point,
    pub attributes: Attributes,
}

/// An address point: a house number on a named street.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressPoint {
    pub street: String,
    /// The number as written (`"5"`, `"12a"`, `"123号"`).
    pub number: String,
    pub geometry: Point,
    pub attributes: Attributes,
}

/// An officer (执法队员 / 网格员).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Officer {
    pub code: OfficerCode,
    pub name: String,
    pub team: Option<String>,
    pub phone: Option<String>,
    pub grids: Vec<GridCode>,
}

/// Whether a contract section is in the town or the villages: the report counts them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SectionArea {
    /// 城区
    Urban,
    /// 农村
    Rural,
}

impl SectionArea {
    pub const ALL: [SectionArea; 2] = [SectionArea::Urban, SectionArea::Rural];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionArea::Urban => "urban",
            SectionArea::Rural => "rural",
        }
    }
}

impl std::str::FromStr for SectionArea {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "urban" | "城区" | "城市" => Ok(SectionArea::Urban),
            "rural" | "农村" | "乡村" => Ok(SectionArea::Rural),
            _ => Err(format!("must be urban or rural (城区/农村), got {s:?}")),
        }
    }
}

/// Where a section lies: an area, or the centre lines of the streets it cleans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SectionExtent {
    Area(MultiPolygon),
    /// Street lines; empty until drawn from the streets the section names.
    Streets(MultiLineString),
}

impl SectionExtent {
    pub fn to_geometry(&self) -> Geometry {
        match self {
            SectionExtent::Area(mp) => Geometry::MultiPolygon(mp.clone()),
            SectionExtent::Streets(ml) => Geometry::MultiLineString(ml.clone()),
        }
    }
}

/// A cleaning contract section (作业区/标段): a contractor, a monthly fee and the rule that turns
/// its assessment scores into deductions (FIELDWORK §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub code: SectionCode,
    pub name: String,
    pub contractor: String,
    pub area: SectionArea,
    /// The contract's fee per month, in 元.
    pub fee_per_month: f64,
    /// The code of the contract rule its periods are settled by.
    pub rule: String,
    /// The streets it cleans, by name (may be empty for an area).
    pub streets: Vec<String>,
    pub extent: SectionExtent,
    pub attributes: Attributes,
}

/// One layer's rows.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerRows {
    Communities(Vec<Community>),
    Grids(Vec<Grid>),
    Streets(Vec<Street>),
    Shops(Vec<Shop>),
    Zones(Vec<Zone>),
    Components(Vec<Component>),
    Addresses(Vec<AddressPoint>),
    Officers(Vec<Officer>),
    Sections(Vec<Section>),
}

impl LayerRows {
    pub fn layer(&self) -> Layer {
        match self {
            LayerRows::Communities(_) => Layer::Communities,
            LayerRows::Grids(_) => Layer::Grids,
            LayerRows::Streets(_) => Layer::Streets,
            LayerRows::Shops(_) => Layer::Shops,
            LayerRows::Zones(_) => Layer::Zones,
            LayerRows::Components(_) => Layer::Components,
            LayerRows::Addresses(_) => Layer::Addresses,
            LayerRows::Officers(_) => Layer::Officers,
            LayerRows::Sections(_) => Layer::Sections,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            LayerRows::Communities(v) => v.len(),
            LayerRows::Grids(v) => v.len(),
            LayerRows::Streets(v) => v.len(),
            LayerRows::Shops(v) => v.len(),
            LayerRows::Zones(v) => v.len(),
            LayerRows::Components(v) => v.len(),
            LayerRows::Addresses(v) => v.len(),
            LayerRows::Officers(v) => v.len(),
            LayerRows::Sections(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// All base layers of a district.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BaseLayers {
    pub communities: Vec<Community>,
    pub grids: Vec<Grid>,
    pub streets: Vec<Street>,
    pub shops: Vec<Shop>,
    pub zones: Vec<Zone>,
    pub components: Vec<Component>,
    pub addresses: Vec<AddressPoint>,
    pub officers: Vec<Officer>,
    pub sections: Vec<Section>,
}

impl BaseLayers {
    /// Replaces one layer with new rows.
    pub fn set(&mut self, rows: LayerRows) {
        match rows {
            LayerRows::Communities(v) => self.communities = v,
            LayerRows::Grids(v) => self.grids = v,
            LayerRows::Streets(v) => self.streets = v,
            LayerRows::Shops(v) => self.shops = v,
            LayerRows::Zones(v) => self.zones = v,
            LayerRows::Components(v) => self.components = v,
            LayerRows::Addresses(v) => self.addresses = v,
            LayerRows::Officers(v) => self.officers = v,
            LayerRows::Sections(v) => self.sections = v,
        }
    }

    /// Splits the district into its layers' rows, in dependency order.
    pub fn into_rows(self) -> Vec<LayerRows> {
        vec![
            LayerRows::Communities(self.communities),
            LayerRows::Grids(self.grids),
            LayerRows::Streets(self.streets),
            LayerRows::Shops(self.shops),
            LayerRows::Zones(self.zones),
            LayerRows::Components(self.components),
            LayerRows::Addresses(self.addresses),
            LayerRows::Officers(self.officers),
            LayerRows::Sections(self.sections),
        ]
    }

    /// How many rows a layer has.
    pub fn count(&self, layer: Layer) -> usize {
        match layer {
            Layer::Communities => self.communities.len(),
            Layer::Grids => self.grids.len(),
            Layer::Streets => self.streets.len(),
            Layer::Shops => self.shops.len(),
            Layer::Zones => self.zones.len(),
            Layer::Components => self.components.len(),
            Layer::Addresses => self.addresses.len(),
            Layer::Officers => self.officers.len(),
            Layer::Sections => self.sections.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_respect_parity_and_direction() {
        let odd = NumberRange { from: 1, to: 99 };
        assert!(odd.holds(51) && !odd.holds(52) && !odd.holds(101));
        let even_down = NumberRange { from: 100, to: 2 };
        assert!(even_down.holds(2) && even_down.holds(50) && !even_down.holds(51));
        assert!((even_down.fraction(51) - 0.5).abs() < 0.01);
        assert_eq!(odd.at(0.5), 51);
        assert_eq!(even_down.at(0.0), 100);
        assert_eq!(even_down.at(1.0), 2);
        assert_eq!(NumberRange { from: 2, to: 10 }.at(0.3), 4);
    }
}
