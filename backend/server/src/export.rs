//! Base layers → GeoJSON FeatureCollections (and officers → CSV), with the property names of
//! the import contract, so that an exported layer imports back unchanged.

use citygrid_core::features::{Attributes, BaseLayers, NumberRange, Officer};
use citygrid_core::layer::Layer;
use geo::{BoundingRect, Geometry, Intersects, Rect};
use geojson::GeometryValue;
use serde_json::{Map, Value, json};

fn put(props: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        props.insert(key.to_owned(), v.into());
    }
}

fn put_range(props: &mut Map<String, Value>, side: &str, range: Option<NumberRange>) {
    if let Some(r) = range {
        props.insert(format!("{side}_from"), r.from.into());
        props.insert(format!("{side}_to"), r.to.into());
    }
}

fn feature(
    id: Value,
    geometry: &Geometry,
    attributes: &Attributes,
    mut props: Map<String, Value>,
) -> Value {
    for (k, v) in attributes {
        props.entry(k.clone()).or_insert_with(|| v.clone());
    }
    // Single-part geometries are written as Polygon / LineString: smaller and friendlier files
    // that import back to the same rows.
    let value = match geometry {
        Geometry::MultiPolygon(mp) if mp.0.len() == 1 => GeometryValue::from(&mp.0[0]),
        Geometry::MultiLineString(ml) if ml.0.len() == 1 => GeometryValue::from(&ml.0[0]),
        other => GeometryValue::from(other),
    };
    let mut f = Map::new();
    f.insert("type".to_owned(), "Feature".into());
    f.insert("id".to_owned(), id);
    f.insert("geometry".to_owned(), json!(value));
    f.insert("properties".to_owned(), props.into());
    Value::Object(f)
}

fn keep(geometry: &Geometry, bbox: Option<&Rect>) -> bool {
    bbox.is_none_or(|b| geometry.bounding_rect().is_some_and(|r| r.intersects(b)))
}

/// One layer as a GeoJSON FeatureCollection, optionally only the features whose envelope meets
/// `bbox` (WGS 84). Officers have no geometry and give an empty collection.
pub fn layer_geojson(base: &BaseLayers, layer: Layer, bbox: Option<&Rect>) -> Value {
    let mut features = Vec::new();
    let mut add =
        |id: Value, geometry: Geometry, attributes: &Attributes, props: Map<String, Value>| {
            if keep(&geometry, bbox) {
                features.push(feature(id, &geometry, attributes, props));
            }
        };
    let mut address_id = 0_u32;
    match layer {
        Layer::Communities => {
            for c in &base.communities {
                let mut p = Map::new();
                put(&mut p, "code", Some(c.code.as_str()));
                put(&mut p, "name", Some(c.name.as_str()));
                put(&mut p, "subdistrict", c.subdistrict.as_deref());
                add(
                    c.code.as_str().into(),
                    c.geometry.clone().into(),
                    &c.attributes,
                    p,
                );
            }
        }
        Layer::Grids => {
            for g in &base.grids {
                let mut p = Map::new();
                put(&mut p, "code", Some(g.code.as_str()));
                put(&mut p, "name", g.name.as_deref());
                put(
                    &mut p,
                    "community",
                    g.community
                        .as_ref()
                        .map(citygrid_core::ids::CommunityCode::as_str),
                );
                add(
                    g.code.as_str().into(),
                    g.geometry.clone().into(),
                    &g.attributes,
                    p,
                );
            }
        }
        Layer::Streets => {
            for s in &base.streets {
                let mut p = Map::new();
                put(&mut p, "name", Some(s.name.as_str()));
                put(&mut p, "class", s.class.as_deref());
                put_range(&mut p, "left", s.left);
                put_range(&mut p, "right", s.right);
                add(s.id.0.into(), s.geometry.clone().into(), &s.attributes, p);
            }
        }
        Layer::Shops => {
            for s in &base.shops {
                let mut p = Map::new();
                put(&mut p, "code", Some(s.code.as_str()));
                put(&mut p, "name", Some(s.name.as_str()));
                put(&mut p, "address", s.address.as_deref());
                put(&mut p, "category", s.category.as_deref());
                put(&mut p, "contact", s.contact.as_deref());
                put(&mut p, "phone", s.phone.as_deref());
                put(&mut p, "license", s.license.as_deref());
                put(&mut p, "door_radius_m", s.door_radius_m);
                add(
                    s.code.as_str().into(),
                    s.front.to_geometry(),
                    &s.attributes,
                    p,
                );
            }
        }
        Layer::Zones => {
            for z in &base.zones {
                let mut p = Map::new();
                put(&mut p, "name", Some(z.name.as_str()));
                put(&mut p, "level", Some(z.level.as_str()));
                put(&mut p, "hours", z.hours.map(|h| h.to_string()));
                if !z.categories.is_empty() {
                    p.insert("categories".to_owned(), z.categories.clone().into());
                }
                add(z.id.0.into(), z.geometry.clone().into(), &z.attributes, p);
            }
        }
        Layer::Components => {
            for c in &base.components {
                let mut p = Map::new();
                put(&mut p, "code", Some(c.code.as_str()));
                put(&mut p, "kind", Some(c.kind.as_str()));
                put(&mut p, "status", c.status.as_deref());
                add(c.code.as_str().into(), c.geometry.into(), &c.attributes, p);
            }
        }
        Layer::Addresses => {
            for a in &base.addresses {
                let mut p = Map::new();
                put(&mut p, "street", Some(a.street.as_str()));
                put(&mut p, "number", Some(a.number.as_str()));
                address_id += 1;
                add(address_id.into(), a.geometry.into(), &a.attributes, p);
            }
        }
        Layer::Officers => {}
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// Officers as CSV with the import's columns; grids joined with `;`.
pub fn officers_csv(officers: &[Officer]) -> String {
    let mut w = crate::csv_cells::CsvOut::new();
    // Writing to a Vec cannot fail; errors would only come from the underlying writer.
    let _ = w.row(["code", "name", "team", "phone", "grids"]);
    for o in officers {
        let grids = o
            .grids
            .iter()
            .map(citygrid_core::ids::GridCode::as_str)
            .collect::<Vec<_>>()
            .join(";");
        let _ = w.row([
            o.code.as_str(),
            o.name.as_str(),
            o.team.as_deref().unwrap_or(""),
            o.phone.as_deref().unwrap_or(""),
            grids.as_str(),
        ]);
    }
    String::from_utf8(w.into_bytes().unwrap_or_default()).unwrap_or_default()
}
