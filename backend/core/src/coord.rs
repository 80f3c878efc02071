//! The coordinate type: named longitude and latitude, so axes cannot be swapped silently.

use serde::{Deserialize, Serialize};

/// A WGS 84 (or, before conversion, GCJ-02 / BD-09) position in degrees.
///
/// ```
/// use citygrid_core::LonLat;
/// let p = LonLat::new(116.8, 33.95).unwrap();
/// let c: geo_types::Coord = p.into();
/// assert_eq!((c.x, c.y), (116.8, 33.95));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// Why a pair of numbers is not a position.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CoordError {
    #[error("longitude must be a finite number between -180 and 180, got {0}")]
    Longitude(f64),
    #[error("latitude must be a finite number between -90 and 90, got {0}")]
    Latitude(f64),
}

impl LonLat {
    /// A checked position: both numbers finite and in range.
    pub fn new(lon: f64, lat: f64) -> Result<Self, CoordError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(CoordError::Longitude(lon));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(CoordError::Latitude(lat));
        }
        Ok(Self { lon, lat })
    }
}

impl From<LonLat> for geo_types::Coord {
    fn from(p: LonLat) -> Self {
        geo_types::Coord { x: p.lon, y: p.lat }
    }
}

impl From<LonLat> for geo_types::Point {
    fn from(p: LonLat) -> Self {
        geo_types::Point::new(p.lon, p.lat)
    }
}

impl From<geo_types::Coord> for LonLat {
    fn from(c: geo_types::Coord) -> Self {
        Self { lon: c.x, lat: c.y }
    }
}

impl From<geo_types::Point> for LonLat {
    fn from(p: geo_types::Point) -> Self {
        Self {
            lon: p.x(),
            lat: p.y(),
        }
    }
}

/// A distance in metres, where distances cross module boundaries.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Metres(pub f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_nan() {
        assert_eq!(LonLat::new(181.0, 0.0), Err(CoordError::Longitude(181.0)));
        assert!(matches!(
            LonLat::new(0.0, f64::NAN),
            Err(CoordError::Latitude(_))
        ));
        assert!(LonLat::new(-180.0, 90.0).is_ok());
    }
}
