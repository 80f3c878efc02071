//! A FeatureCollection made ready for a GIS file: its geometries projected into the bureau's
//! system, its fields named (citygrid's or the Chinese names a bureau's files carry) and typed
//! from their values — what the GeoPackage and Shapefile writers share.

use citygrid_core::LonLat;
use citygrid_core::layer::Layer;
use geo::{Geometry, MapCoords};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::import::SourceCrs;

/// How a layer is written.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The system the file is in: WGS 84 or a projected one with an EPSG code.
    pub crs: SourceCrs,
    /// Field names as a bureau's files carry them (网格编码 …) rather than citygrid's.
    pub chinese_names: bool,
    /// The text encoding of a Shapefile's `.dbf` (GBK or UTF-8).
    pub encoding: &'static encoding_rs::Encoding,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            crs: SourceCrs::default(),
            chinese_names: false,
            encoding: encoding_rs::GBK,
        }
    }
}

/// What a field holds, from every value it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Real,
    Bool,
    Text,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The name as written (citygrid's or Chinese).
    pub name: String,
    /// The property it comes from.
    pub key: String,
    pub kind: Kind,
    /// Whether a value has been seen (a field only ever empty is text).
    known: bool,
}

/// The rows of one file: projected geometries and their properties.
#[derive(Debug, Default)]
pub struct Table {
    pub fields: Vec<Field>,
    pub rows: Vec<(Geometry, Map<String, Value>)>,
}

/// Why a layer cannot be written as asked.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("a feature's position {0}")]
    Position(String),
    #[error("{0}")]
    Write(String),
}

impl Table {
    /// The features of a FeatureCollection (as `export::layer_geojson` gives it), projected
    /// into `options.crs`.
    pub fn from_collection(
        layer: Option<Layer>,
        collection: &Value,
        options: &ExportOptions,
    ) -> Result<Table, ExportError> {
        let mut table = Table::default();
        let features = collection
            .get("features")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for feature in features {
            let Some(geometry) = feature
                .get("geometry")
                .and_then(|g| geojson::Geometry::deserialize(g).ok())
                .and_then(|g| Geometry::<f64>::try_from(g).ok())
            else {
                continue;
            };
            let projected = geometry.try_map_coords(|c| {
                let at = LonLat::new(c.x, c.y).map_err(|e| ExportError::Position(e.to_string()))?;
                let (x, y) = options.crs.project(at).map_err(ExportError::Position)?;
                Ok::<_, ExportError>(geo::coord! { x: x, y: y })
            })?;
            let properties = feature
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (key, value) in &properties {
                table.note(layer, key, value, options.chinese_names);
            }
            table.rows.push((projected, properties));
        }
        Ok(table)
    }

    fn note(&mut self, layer: Option<Layer>, key: &str, value: &Value, chinese: bool) {
        let kind = match value {
            Value::Null => None,
            Value::Bool(_) => Some(Kind::Bool),
            Value::Number(n) if n.is_i64() => Some(Kind::Integer),
            Value::Number(_) => Some(Kind::Real),
            _ => Some(Kind::Text),
        };
        let Some(at) = self.fields.iter().position(|f| f.key == key) else {
            let name = layer
                .filter(|_| chinese)
                .and_then(|l| crate::import::chinese_field_name(l, key))
                .unwrap_or(key)
                .to_owned();
            self.fields.push(Field {
                name,
                key: key.to_owned(),
                kind: kind.unwrap_or(Kind::Text),
                known: kind.is_some(),
            });
            return;
        };
        let field = &mut self.fields[at];
        field.kind = match (field.kind, kind) {
            (k, None) => k,
            (_, Some(k)) if !field.known => k,
            (Kind::Integer, Some(Kind::Real)) | (Kind::Real, Some(Kind::Integer)) => Kind::Real,
            (a, Some(b)) if a == b => a,
            _ => Kind::Text,
        };
        field.known |= kind.is_some();
    }
}

/// A value as text, for a text field.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_typed_by_every_value_they_hold() {
        let collection = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.8, 33.95]},
             "properties": {"a": null, "b": 1, "c": 1, "d": "x", "name": "一"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.8, 33.96]},
             "properties": {"a": 2, "b": 1.5, "c": "y", "d": null, "name": "二"}}
        ]});
        let options = ExportOptions {
            chinese_names: true,
            ..ExportOptions::default()
        };
        let table = Table::from_collection(Some(Layer::Grids), &collection, &options).unwrap();
        let kinds: Vec<(&str, Kind)> = table
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("a", Kind::Integer),
                ("b", Kind::Real),
                ("c", Kind::Text),
                ("d", Kind::Text),
                ("网格名称", Kind::Text)
            ]
        );
        assert_eq!(table.rows.len(), 2);
    }
}
