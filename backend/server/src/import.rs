//! Import of base layers: GeoJSON per layer, officers from CSV or JSON, and a whole district from
//! an OpenStreetMap extract.
//!
//! Parsing is all-or-nothing: a file either yields every row of its layer, checked, or an
//! [`ImportError`] naming each bad feature (index and code), the field and the problem. Nothing
//! here touches the store; the caller replaces the layer atomically with what was parsed.

mod crs_codes;
mod csv_table;
mod dbf_text;
mod error;
mod field_names;
mod geometry;
mod gpkg_read;
pub mod grid_checks;
pub mod gridgen;
mod layers;
mod officers;
pub mod open_files;
pub mod osm;
mod preview;
mod prj;
mod props;
mod section_streets;
pub mod shapefile_read;
mod shp_sizes;
mod source_crs;
pub mod source_file;

pub use csv_table::CsvTable;
pub use dbf_text::{by_name as encoding_by_name, carrier as dbf_carrier};
pub use error::{FeatureError, ImportError};
pub use field_names::{chinese as chinese_field_name, parse_mapping as parse_field_mapping};
pub use layers::{file_crs, parse_files, parse_geojson_layer};
pub use officers::{parse_officers_csv, parse_officers_json};
pub use preview::preview;
pub use prj::from_wkt as crs_from_wkt;
pub use section_streets::draw_from_streets;
pub use source_crs::{CrsError, DatumShift, SourceCrs, TransverseMercator};
pub use source_file::{ReadOptions, SourceFile};

use citygrid_core::features::LayerRows;
use citygrid_core::layer::Layer;

/// At most this many feature errors are listed in one rejection.
pub const MAX_REPORTED_ERRORS: usize = 50;

/// The format of a layer file, from its name or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    GeoJson,
    Csv,
    Json,
}

/// Parses one layer's file. Officers come from CSV or a JSON array; every other layer from a
/// GeoJSON FeatureCollection whose coordinates are in `crs`.
pub fn parse_layer(
    layer: Layer,
    bytes: &[u8],
    format: FileFormat,
    crs: &SourceCrs,
) -> Result<LayerRows, ImportError> {
    match (layer, format) {
        (Layer::Officers, FileFormat::Csv) => parse_officers_csv(bytes).map(LayerRows::Officers),
        (Layer::Officers, _) => parse_officers_json(bytes).map(LayerRows::Officers),
        (_, FileFormat::Csv) => Err(ImportError::Format(format!(
            "the {layer} layer is imported from GeoJSON, not CSV"
        ))),
        _ => parse_geojson_layer(layer, bytes, crs),
    }
}

/// Guesses a file's format from its extension, then its first non-blank byte.
pub fn detect_format(name: &str, bytes: &[u8]) -> FileFormat {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        return FileFormat::Csv;
    }
    if lower.ends_with(".geojson") {
        return FileFormat::GeoJson;
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => FileFormat::Json,
        Some(b'{') => FileFormat::GeoJson,
        _ => FileFormat::Csv,
    }
}
