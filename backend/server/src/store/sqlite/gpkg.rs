//! GeoPackage binary geometry: the one form geometry takes in and out of the database.

use geo::{BoundingRect, Geometry};
use geozero::wkb::GpkgWkb;
use geozero::{CoordDimensions, ToGeo, ToWkb};

/// WGS 84.
pub const SRS_ID: i32 = 4326;

/// Encodes a geometry as GeoPackage binary with SRS 4326 and its envelope.
pub fn encode(g: &Geometry) -> Result<Vec<u8>, String> {
    let envelope = match g {
        // Points carry no envelope (GeoPackage allows it and readers expect it so).
        Geometry::Point(_) => Vec::new(),
        other => other
            .bounding_rect()
            .map(|r| vec![r.min().x, r.max().x, r.min().y, r.max().y])
            .unwrap_or_default(),
    };
    g.to_gpkg_wkb(CoordDimensions::xy(), Some(SRS_ID), envelope)
        .map_err(|e| e.to_string())
}

/// Decodes GeoPackage binary.
pub fn decode(bytes: &[u8]) -> Result<Geometry, String> {
    GpkgWkb(bytes).to_geo().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, Point, Rect, coord};

    #[test]
    fn round_trips_and_carries_srs() {
        let mp: Geometry = MultiPolygon::new(vec![
            Rect::new(coord! { x: 116.0, y: 33.0 }, coord! { x: 116.1, y: 33.1 }).to_polygon(),
        ])
        .into();
        let bytes = encode(&mp).unwrap();
        assert_eq!(&bytes[..2], b"GP");
        assert_eq!(
            i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
            SRS_ID
        );
        assert_eq!(decode(&bytes).unwrap(), mp);
        let p: Geometry = Point::new(116.8, 33.95).into();
        assert_eq!(decode(&encode(&p).unwrap()).unwrap(), p);
    }
}
