//! One file's features as they are read, before they become a layer's rows: GeoJSON here,
//! Shapefiles in `shapefile_read`, GeoPackage tables in `gpkg_read`. Every format gives the same
//! thing — numbered features with their properties and a geometry in the file's coordinates —
//! so that every layer is read, checked and reported the same way whatever it came in.

use super::error::ImportError;
use super::source_crs::{DatumShift, SourceCrs};

/// How the files of a layer are read, beyond what they say themselves.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The coordinate system of every file, over what a file declares.
    pub crs: Option<SourceCrs>,
    /// The bureau's transformation for a Xi'an 1980 or Beijing 1954 system.
    pub shift: Option<DatumShift>,
    /// A file's field read as one of citygrid's: (citygrid's, the file's).
    pub fields: Vec<(String, String)>,
    /// The encoding of `.dbf` text, over what the file declares.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// A feature as its file gives it, or why it could not be read (named by its index).
pub type SourceFeature = Result<geojson::Feature, Unreadable>;

/// Why a feature could not be read: the field (`feature` for the whole) and the problem.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub field: String,
    pub problem: String,
}

impl Unreadable {
    pub fn new(field: &str, problem: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            problem: problem.into(),
        }
    }
}

/// The features of one file.
#[derive(Debug)]
pub struct SourceFile {
    /// The file's name, for messages (`shops.shp`, `atlas.gpkg:grids`).
    pub name: String,
    pub features: Vec<SourceFeature>,
    /// The coordinate system the file declares (`.prj`, GeoPackage SRS), if any, or why what
    /// it declares cannot be read.
    pub crs: Option<Result<SourceCrs, String>>,
    /// The attribute fields the file has, in its order.
    pub fields: Vec<String>,
    /// How the attribute text was decoded, where the file says nothing itself.
    pub encoding: Option<String>,
}

impl SourceFile {
    /// An error about the file as a whole, naming it.
    pub fn error(name: &str, problem: impl std::fmt::Display) -> ImportError {
        ImportError::Format(format!("{name}: {problem}"))
    }
}

/// A GeoJSON FeatureCollection; coordinates are WGS 84 unless the caller says otherwise.
pub fn read_geojson(name: &str, bytes: &[u8]) -> Result<SourceFile, ImportError> {
    let values = feature_values(bytes)?;
    let mut fields: Vec<String> = Vec::new();
    let features = values
        .into_iter()
        .map(|value| {
            let feature: geojson::Feature = serde_json::from_value(value).map_err(|e| {
                Unreadable::new("feature", format!("not a valid GeoJSON Feature: {e}"))
            })?;
            for key in feature.properties.iter().flat_map(|p| p.keys()) {
                if fields.len() < 200 && !fields.contains(key) {
                    fields.push(key.clone());
                }
            }
            Ok(feature)
        })
        .collect();
    Ok(SourceFile {
        name: name.to_owned(),
        features,
        crs: None,
        fields,
        encoding: None,
    })
}

/// The members of a FeatureCollection, undecoded.
fn feature_values(bytes: &[u8]) -> Result<Vec<serde_json::Value>, ImportError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ImportError::Format(format!("not valid JSON: {e}")))?;
    let serde_json::Value::Object(mut top) = value else {
        return Err(ImportError::Format(
            "expected a GeoJSON FeatureCollection object".to_owned(),
        ));
    };
    if top.get("type").and_then(serde_json::Value::as_str) != Some("FeatureCollection") {
        return Err(ImportError::Format(
            "expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")".to_owned(),
        ));
    }
    match top.remove("features") {
        Some(serde_json::Value::Array(features)) if !features.is_empty() => Ok(features),
        Some(serde_json::Value::Array(_)) => Err(ImportError::Empty),
        _ => Err(ImportError::Format(
            "a FeatureCollection needs a \"features\" array".to_owned(),
        )),
    }
}
