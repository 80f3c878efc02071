//! Base layers → GeoJSON FeatureCollections (and officers → CSV), with the property names of
//! the import contract, so that an exported layer imports back unchanged; and (`gis`) layers as
//! GeoJSON, GeoPackage or zipped Shapefile in the bureau's system, for its GIS.

mod crs_wkt;
mod gpkg_file;
mod shapefile_zip;
mod table;

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
        Layer::Sections => {
            for s in &base.sections {
                let mut p = Map::new();
                put(&mut p, "code", Some(s.code.as_str()));
                put(&mut p, "name", Some(s.name.as_str()));
                put(&mut p, "contractor", Some(s.contractor.as_str()));
                put(&mut p, "area", Some(s.area.as_str()));
                put(&mut p, "fee_per_month", Some(s.fee_per_month));
                put(&mut p, "rule", Some(s.rule.as_str()));
                if !s.streets.is_empty() {
                    p.insert("streets".to_owned(), s.streets.clone().into());
                }
                add(
                    s.code.as_str().into(),
                    s.extent.to_geometry(),
                    &s.attributes,
                    p,
                );
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

/// A layer's file in a GIS format, in the bureau's system, with Chinese field names if asked.
pub mod gis {
    pub use super::crs_wkt::{Srs, srs};
    pub use super::table::{ExportError, ExportOptions, Table};
    use citygrid_core::features::BaseLayers;
    use citygrid_core::layer::Layer;
    use serde_json::{Value, json};

    /// The formats a layer is written in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GisFormat {
        GeoJson,
        GeoPackage,
        /// A `.zip` of Shapefiles.
        Shapefile,
    }

    impl GisFormat {
        pub fn extension(self) -> &'static str {
            match self {
                GisFormat::GeoJson => "geojson",
                GisFormat::GeoPackage => "gpkg",
                GisFormat::Shapefile => "zip",
            }
        }

        pub fn content_type(self) -> &'static str {
            match self {
                GisFormat::GeoJson => "application/geo+json",
                GisFormat::GeoPackage => "application/geopackage+sqlite3",
                GisFormat::Shapefile => "application/zip",
            }
        }
    }

    /// A Shapefile's text encoding by any of its names: GBK or UTF-8, the two GIS software
    /// reads `.cpg`s of.
    pub fn shapefile_encoding(name: &str) -> Option<&'static encoding_rs::Encoding> {
        crate::import::encoding_by_name(name)
            .filter(|e| *e == encoding_rs::GBK || *e == encoding_rs::UTF_8)
    }

    /// The system `options` asks for, if citygrid writes files in it.
    pub fn target(options: &ExportOptions) -> Result<Srs, ExportError> {
        srs(&options.crs).ok_or_else(|| {
            ExportError::Write(format!(
                "files are written in WGS 84, CGCS2000 Gauss–Krüger or UTM, not {}",
                options.crs.name()
            ))
        })
    }

    /// A FeatureCollection with its fields renamed and its positions in the system asked for
    /// (named in a `crs` member, as GDAL reads it, when it is not WGS 84).
    fn geojson(table: &Table, srs: &Srs) -> Value {
        let features: Vec<Value> = table
            .rows
            .iter()
            .map(|(geometry, properties)| {
                let mut renamed = serde_json::Map::new();
                for field in &table.fields {
                    if let Some(v) = properties.get(&field.key) {
                        renamed.insert(field.name.clone(), v.clone());
                    }
                }
                json!({
                    "type": "Feature",
                    "geometry": geojson::Geometry::from(geometry),
                    "properties": renamed,
                })
            })
            .collect();
        let mut collection = json!({ "type": "FeatureCollection", "features": features });
        if srs.epsg != 4326 {
            collection["crs"] = json!({
                "type": "name",
                "properties": { "name": format!("urn:ogc:def:crs:EPSG::{}", srs.epsg) }
            });
        }
        collection
    }

    /// Writes a FeatureCollection (a layer, or cases) as `format`; gives the file's bytes.
    pub async fn write(
        name: &str,
        layer: Option<Layer>,
        collection: &Value,
        format: GisFormat,
        options: &ExportOptions,
    ) -> Result<Vec<u8>, ExportError> {
        let srs = target(options)?;
        let table = Table::from_collection(layer, collection, options)?;
        match format {
            GisFormat::GeoJson => serde_json::to_vec(&geojson(&table, &srs))
                .map_err(|e| ExportError::Write(e.to_string())),
            GisFormat::Shapefile => super::shapefile_zip::zip(name, &table, &srs, options.encoding),
            GisFormat::GeoPackage => {
                let dir = tempfile::tempdir().map_err(|e| ExportError::Write(e.to_string()))?;
                let path = dir.path().join(format!("{name}.gpkg"));
                super::gpkg_file::write(path.clone(), name.to_owned(), table, srs).await?;
                std::fs::read(&path).map_err(|e| ExportError::Write(e.to_string()))
            }
        }
    }

    /// A base layer as `format`.
    pub async fn layer(
        base: &BaseLayers,
        layer: Layer,
        format: GisFormat,
        options: &ExportOptions,
    ) -> Result<Vec<u8>, ExportError> {
        let collection = super::layer_geojson(base, layer, None);
        write(layer.as_str(), Some(layer), &collection, format, options).await
    }
}
