//! An OpenStreetMap `.osm.pbf` extract → a whole district.
//!
//! - streets: ways with `highway=*` and a `name`, one street per way, class = the highway value;
//! - shops: nodes (and ways, at their centre) with `shop=*` or a food/service `amenity=*`;
//! - address points: anything with `addr:street` and `addr:housenumber` (ways at their centre);
//!   streets get house-number ranges fitted from them (see [`ranges`]);
//! - components: waste baskets, recycling points, street lamps, manholes;
//! - communities: administrative boundaries of level 9 or finer and `place=neighbourhood|suburb|
//!   quarter` multipolygons whose rings close within the extract, at the finest level present,
//!   clipped to the extract; one community for the whole extract when there are none;
//! - grid cells: squares of the chosen size clipped to the communities
//!   ([`super::gridgen`]), coded west→east, north→south.

mod ranges;
mod read;
mod rings;

use std::collections::HashMap;

use citygrid_core::LonLat;
use citygrid_core::features::{
    AddressPoint, BaseLayers, Community, Component, Shop, ShopFront, Street,
};
use citygrid_core::ids::{CommunityCode, ComponentCode, ShopCode, StreetId};
use geo::{
    BooleanOps, BoundingRect, Centroid, Coord, LineString, MultiLineString, MultiPolygon, Point,
    Rect,
};
use serde_json::Value;

use super::gridgen::{GridCodeScheme, GridGenError, generate_grid};
use crate::projection::LocalProjection;
use read::{Extract, RawWay, Tags, tag};

/// How an extract becomes a district.
#[derive(Debug, Clone)]
pub struct OsmOptions {
    pub grid_size_m: f64,
    /// Six digits: the district part of community and grid codes.
    pub district_code: String,
}

impl Default for OsmOptions {
    fn default() -> Self {
        Self {
            grid_size_m: 100.0,
            district_code: "000000".to_owned(),
        }
    }
}

/// Why an extract could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum OsmError {
    #[error("not a readable .osm.pbf file: {0}")]
    Read(String),
    #[error("--district-code must be 6 digits, got {0:?}")]
    DistrictCode(String),
    #[error("the extract has no named streets, shops or address points")]
    Empty,
    #[error("grid cells: {0}")]
    Grid(#[from] GridGenError),
}

/// Amenities that are shops in the door-front sense: food, drink and services with a door.
const SERVICE_AMENITIES: [&str; 22] = [
    "restaurant",
    "cafe",
    "fast_food",
    "bar",
    "pub",
    "ice_cream",
    "food_court",
    "biergarten",
    "nightclub",
    "pharmacy",
    "bank",
    "bureau_de_change",
    "post_office",
    "marketplace",
    "fuel",
    "car_wash",
    "cinema",
    "theatre",
    "dentist",
    "clinic",
    "doctors",
    "veterinary",
];

fn attributes(
    osm_type: &str,
    id: i64,
    tags: &Tags,
    skip: &[&str],
) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("osm_id".to_owned(), format!("{osm_type}/{id}").into());
    for (k, v) in tags {
        if !skip.contains(&k.as_str()) && !k.starts_with("addr:") && !k.starts_with("name:") {
            m.insert(k.clone(), v.clone().into());
        }
    }
    m
}

fn point(x: f64, y: f64) -> Point {
    Point::new((x * 1e7).round() / 1e7, (y * 1e7).round() / 1e7)
}

/// A way's centre (its nodes' centroid), for shops and addresses drawn as buildings.
fn way_centre(w: &RawWay, x: &Extract) -> Option<Point> {
    let coords = rings::way_coords(&w.refs, &x.coords)?;
    let c = LineString::new(coords).centroid()?;
    Some(point(c.x(), c.y()))
}

fn shop_kind(tags: &Tags) -> Option<String> {
    if let Some(shop) = tag(tags, "shop") {
        return Some(shop.to_owned());
    }
    tag(tags, "amenity")
        .filter(|a| SERVICE_AMENITIES.contains(a))
        .map(str::to_owned)
}

fn component_kind(tags: &Tags) -> Option<&'static str> {
    match (
        tag(tags, "amenity"),
        tag(tags, "highway"),
        tag(tags, "manhole"),
    ) {
        (Some("waste_basket"), _, _) => Some("bin"),
        (Some("recycling"), _, _) => Some("recycling"),
        (_, Some("street_lamp"), _) => Some("lamp"),
        (_, _, Some(_)) => Some("manhole"),
        _ => None,
    }
}

fn shop(osm_type: &str, id: i64, tags: &Tags, at: Point, kind: String) -> Shop {
    let name = tag(tags, "name")
        .or_else(|| tag(tags, "brand"))
        .map_or_else(|| kind.clone(), str::to_owned);
    let address = tag(tags, "addr:street").map(|s| {
        format!("{s} {}", tag(tags, "addr:housenumber").unwrap_or(""))
            .trim()
            .to_owned()
    });
    Shop {
        address,
        category: Some(kind),
        phone: tag(tags, "phone")
            .or_else(|| tag(tags, "contact:phone"))
            .map(str::to_owned),
        attributes: attributes(
            osm_type,
            id,
            tags,
            &["name", "shop", "amenity", "phone", "contact:phone", "brand"],
        ),
        ..Shop::new(
            ShopCode::from(format!("osm-{}{id}", &osm_type[..1])),
            name,
            ShopFront::Door(at),
        )
    }
}

fn address(osm_type: &str, id: i64, tags: &Tags, at: Point) -> Option<AddressPoint> {
    Some(AddressPoint {
        street: tag(tags, "addr:street")?.to_owned(),
        number: tag(tags, "addr:housenumber")?.to_owned(),
        geometry: at,
        attributes: attributes(osm_type, id, &Vec::new(), &[]),
    })
}

/// Reads an extract into base layers (no zones or officers: OpenStreetMap has none).
pub fn import_osm(bytes: &[u8], options: &OsmOptions) -> Result<BaseLayers, OsmError> {
    if options.district_code.len() != 6
        || !options.district_code.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(OsmError::DistrictCode(options.district_code.clone()));
    }
    let x = read::read(bytes).map_err(OsmError::Read)?;
    let mut base = BaseLayers::default();
    for n in &x.nodes {
        let at = point(n.lon, n.lat);
        if let Some(kind) = shop_kind(&n.tags) {
            base.shops.push(shop("node", n.id, &n.tags, at, kind));
        }
        if let Some(a) = address("node", n.id, &n.tags, at) {
            base.addresses.push(a);
        }
        if let Some(kind) = component_kind(&n.tags) {
            base.components.push(Component {
                code: ComponentCode::from(format!("osm-n{}", n.id)),
                kind: kind.to_owned(),
                status: None,
                geometry: at,
                attributes: attributes("node", n.id, &n.tags, &[]),
            });
        }
    }
    for w in &x.ways {
        if let (Some(class), Some(name)) = (tag(&w.tags, "highway"), tag(&w.tags, "name")) {
            let Some(mut coords) = rings::way_coords(&w.refs, &x.coords) else {
                continue;
            };
            coords.dedup();
            if coords.len() < 2 {
                continue;
            }
            let line = LineString::new(
                coords
                    .into_iter()
                    .map(|c| Coord::from(point(c.x, c.y)))
                    .collect(),
            );
            base.streets.push(Street {
                id: StreetId(base.streets.len() as u32 + 1),
                name: name.to_owned(),
                class: Some(class.to_owned()),
                left: None,
                right: None,
                geometry: MultiLineString::new(vec![line]),
                attributes: attributes("way", w.id, &w.tags, &["name", "highway"]),
            });
            continue;
        }
        let kind = shop_kind(&w.tags);
        let has_address =
            tag(&w.tags, "addr:street").is_some() && tag(&w.tags, "addr:housenumber").is_some();
        if kind.is_none() && !has_address {
            continue;
        }
        let Some(at) = way_centre(w, &x) else {
            continue;
        };
        if let Some(kind) = kind {
            base.shops.push(shop("way", w.id, &w.tags, at, kind));
        }
        if let Some(a) = address("way", w.id, &w.tags, at) {
            base.addresses.push(a);
        }
    }
    if base.streets.is_empty() && base.shops.is_empty() && base.addresses.is_empty() {
        return Err(OsmError::Empty);
    }
    let bounds = extent(&x);
    let proj = LocalProjection::new(LonLat {
        lon: f64::midpoint(bounds.min().x, bounds.max().x),
        lat: f64::midpoint(bounds.min().y, bounds.max().y),
    });
    base.communities = communities(&x, bounds, &options.district_code);
    let scheme = GridCodeScheme::default();
    base.grids = generate_grid(&base.communities, options.grid_size_m, &proj, scheme)?;
    ranges::fit_ranges(&mut base.streets, &base.addresses, &proj);
    Ok(base)
}

/// The envelope of every node in the extract.
fn extent(x: &Extract) -> Rect {
    let (mut lo, mut hi) = (
        Coord {
            x: f64::MAX,
            y: f64::MAX,
        },
        Coord {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    for &(lon, lat) in x.coords.values() {
        lo = Coord {
            x: lo.x.min(lon),
            y: lo.y.min(lat),
        };
        hi = Coord {
            x: hi.x.max(lon),
            y: hi.y.max(lat),
        };
    }
    Rect::new(lo, hi)
}

/// Level of detail of an area relation: its admin level, or 11 for neighbourhood places.
fn area_level(tags: &Tags) -> Option<u8> {
    if tag(tags, "boundary") == Some("administrative") {
        return tag(tags, "admin_level")
            .and_then(|l| l.parse().ok())
            .filter(|&l| l >= 9);
    }
    matches!(
        tag(tags, "place"),
        Some("neighbourhood" | "suburb" | "quarter")
    )
    .then_some(11)
}

fn communities(x: &Extract, bounds: Rect, district: &str) -> Vec<Community> {
    let ways: HashMap<i64, &RawWay> = x.ways.iter().map(|w| (w.id, w)).collect();
    let frame = MultiPolygon::new(vec![bounds.to_polygon()]);
    let mut areas: Vec<(u8, String, MultiPolygon, i64)> = Vec::new();
    for r in &x.relations {
        let (Some(level), Some(name)) = (area_level(&r.tags), tag(&r.tags, "name")) else {
            continue;
        };
        let mut outer = Vec::new();
        let mut inner = Vec::new();
        let mut complete = true;
        for (id, role) in &r.ways {
            match ways
                .get(id)
                .and_then(|w| rings::way_coords(&w.refs, &x.coords))
            {
                Some(coords) if role == "inner" => inner.push(coords),
                Some(coords) => outer.push(coords),
                None => complete = false,
            }
        }
        if !complete {
            continue;
        }
        let (Some(outer), Some(inner)) = (rings::assemble(outer), rings::assemble(inner)) else {
            continue;
        };
        let shape = rings::polygons(outer, inner).intersection(&frame);
        if !shape.0.is_empty() {
            areas.push((level, name.to_owned(), shape, r.id));
        }
    }
    let finest = areas.iter().map(|a| a.0).max();
    let mut chosen: Vec<(String, MultiPolygon, i64)> = areas
        .into_iter()
        .filter(|a| Some(a.0) == finest)
        .map(|a| (a.1, a.2, a.3))
        .collect();
    if chosen.is_empty() {
        chosen.push(("extract".to_owned(), frame, 0));
    }
    // Coded west→east, north→south by centre.
    let centre = |mp: &MultiPolygon| {
        mp.bounding_rect()
            .map_or((0.0, 0.0), |r| (r.center().x, r.center().y))
    };
    chosen.sort_by(|a, b| {
        let (ca, cb) = (centre(&a.1), centre(&b.1));
        cb.1.total_cmp(&ca.1).then(ca.0.total_cmp(&cb.0))
    });
    chosen
        .into_iter()
        .enumerate()
        .map(|(i, (name, geometry, id))| {
            let mut attributes = serde_json::Map::new();
            if id != 0 {
                attributes.insert("osm_id".to_owned(), format!("relation/{id}").into());
            }
            Community {
                code: CommunityCode::from(format!("{district}001{:03}", i + 1)),
                name,
                subdistrict: None,
                geometry,
                attributes,
            }
        })
        .collect()
}
