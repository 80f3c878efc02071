//! Base layers: `GET /layers/{layer}` (GeoJSON) and `PUT /layers/{layer}` (an import).

use serde::{Deserialize, Serialize};

use super::query::Bbox;
use crate::Layer;

/// `GET /layers/{layer}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LayerQuery {
    /// Only the features within `minlon,minlat,maxlon,maxlat` (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Bbox>,
    /// `geojson` (default: the map's GeoJSON), or a file for a GIS: `gpkg` (GeoPackage) or
    /// `shp` (zipped Shapefiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<LayerFormat>,
    /// The system of a file for a GIS: `wgs84` (default) or the EPSG code of a CGCS2000
    /// Gauss–Krüger or WGS 84 UTM zone, e.g. `EPSG:4527`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// `zh`: the file's fields named as a bureau's files name them (网格编码 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
    /// The text encoding of a Shapefile: `gbk` (default) or `utf-8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// The forms a layer is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum LayerFormat {
    Geojson,
    Gpkg,
    Shp,
}

/// `PUT /layers/{layer}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportQuery {
    /// The file's coordinates: wgs84, gcj02, bd09 or an EPSG code (`EPSG:4527`); by default
    /// what the file declares (`.prj`, GeoPackage SRS), else WGS 84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The bureau's 7-parameter transformation from Xi'an 1980 or Beijing 1954:
    /// `dx,dy,dz,rx,ry,rz,ds` (metres, arc-seconds, ppm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub towgs84: Option<String>,
    /// The encoding of a Shapefile's text (`GBK`, `UTF-8` …), over its `.cpg` and code page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Fields of the file read as citygrid's: `code=网格号,name=名称`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<String>,
    /// The GeoPackage table to read, when the file has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportReport {
    pub layer: Layer,
    pub count: usize,
    /// Problems worth a look that did not stop the import (overlapping cells, gaps, unknown
    /// community codes).
    pub warnings: Vec<String>,
}

/// What an import would do, shown before anything changes (`citygrid import --dry-run`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LayerPreview {
    pub layer: Layer,
    /// The rows the layer would have, when every feature is valid.
    pub count: usize,
    pub files: Vec<FilePreview>,
    /// The file fields read as citygrid's.
    pub mapping: Vec<FieldUse>,
    /// West, south, east, north in WGS 84 of what would be imported.
    pub extent: Option<[f64; 4]>,
    /// The first problems found; the import would be refused if there are any.
    pub errors: Vec<FeatureError>,
}

/// One file of a previewed import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FilePreview {
    pub name: String,
    pub features: usize,
    /// The coordinate system the file is read in (`EPSG:4527`, `wgs84` …).
    pub crs: String,
    /// How its attribute text is decoded, and why (Shapefiles).
    pub encoding: Option<String>,
    pub fields: Vec<String>,
}

/// A file's field read as one of citygrid's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldUse {
    /// Citygrid's field.
    pub field: String,
    /// The file's.
    pub from: String,
}

/// One feature (or line) of a refused file, in the `errors` of the problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FeatureError {
    /// The file the feature is in, when a layer came from several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The feature's index in the file (GeoJSON), or none.
    pub feature: Option<usize>,
    /// The line (CSV), or none.
    pub line: Option<usize>,
    pub code: Option<String>,
    pub field: String,
    pub problem: String,
}

/// A stored photo (`POST /photos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhotoRef {
    /// Its SHA-256, which is also its name.
    pub hash: String,
    pub content_type: String,
    pub size: usize,
    pub url: String,
}
