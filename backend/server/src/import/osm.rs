//! OpenStreetMap `.osm.pbf` extract → a whole district.

use citygrid_core::features::BaseLayers;

/// How an extract becomes a district.
#[derive(Debug, Clone)]
pub struct OsmOptions {
    pub grid_size_m: f64,
    pub district_code: String,
}

/// Why an extract could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum OsmError {
    #[error("not a readable .osm.pbf file: {0}")]
    Read(String),
}

/// Reads an extract into base layers.
pub fn import_osm(_bytes: &[u8], _options: &OsmOptions) -> Result<BaseLayers, OsmError> {
    Err(OsmError::Read(
        "OpenStreetMap import is not built yet".to_owned(),
    ))
}
