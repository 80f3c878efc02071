//! The local metric plane the atlas works in.
//!
//! A district spans a few kilometres, so a projection about its centre is enough: `x` is the
//! distance east along the point's own parallel (prime-vertical radius of curvature times the
//! longitude difference times the cosine of latitude) and `y` the meridian arc north of the
//! centre (the meridional radius at the mid-latitude times the latitude difference), both on the
//! WGS 84 ellipsoid. Along parallels and meridians this is exact; off the centre meridian the
//! grid shears by about `Δλ·sin φ`, which over a 10 km district distorts a 25 m distance by less
//! than a centimetre. Every conversion between degrees and metres goes through this one type.

use citygrid_core::LonLat;
use geo::{Coord, MapCoords};

const WGS84_A: f64 = 6_378_137.0;
const WGS84_E2: f64 = 0.006_694_379_990_141_316;

/// A projection about a district's centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    lon0: f64,
    lat0_rad: f64,
}

fn meridional_radius(lat_rad: f64) -> f64 {
    let s = lat_rad.sin();
    let w = 1.0 - WGS84_E2 * s * s;
    WGS84_A * (1.0 - WGS84_E2) / (w * w.sqrt())
}

fn prime_vertical_radius(lat_rad: f64) -> f64 {
    let s = lat_rad.sin();
    WGS84_A / (1.0 - WGS84_E2 * s * s).sqrt()
}

impl LocalProjection {
    /// A projection centred on `centre`.
    pub fn new(centre: LonLat) -> Self {
        Self {
            lon0: centre.lon,
            lat0_rad: centre.lat.to_radians(),
        }
    }

    pub fn centre(&self) -> LonLat {
        LonLat {
            lon: self.lon0,
            lat: self.lat0_rad.to_degrees(),
        }
    }

    /// Degrees → metres east and north of the centre.
    #[inline]
    pub fn project(&self, p: LonLat) -> Coord {
        let lat = p.lat.to_radians();
        let (s, c) = lat.sin_cos();
        let n = WGS84_A / (1.0 - WGS84_E2 * s * s).sqrt();
        let x = (p.lon - self.lon0).to_radians() * n * c;
        let y = (lat - self.lat0_rad) * meridional_radius(0.5 * (lat + self.lat0_rad));
        Coord { x, y }
    }

    /// Metres → degrees; the inverse of [`project`](Self::project) to well under a millimetre.
    pub fn unproject(&self, c: Coord) -> LonLat {
        let mut lat = self.lat0_rad + c.y / meridional_radius(self.lat0_rad);
        for _ in 0..4 {
            lat = self.lat0_rad + c.y / meridional_radius(0.5 * (lat + self.lat0_rad));
        }
        let lon = self.lon0 + (c.x / (prime_vertical_radius(lat) * lat.cos())).to_degrees();
        LonLat {
            lon,
            lat: lat.to_degrees(),
        }
    }

    /// Projects any `geo` geometry whose coordinates are lon/lat degrees.
    pub fn project_geom<G: MapCoords<f64, f64, Output = G>>(&self, g: &G) -> G {
        g.map_coords(|c| self.project(c.into()))
    }

    /// Unprojects any `geo` geometry from the metric plane back to lon/lat degrees.
    pub fn unproject_geom<G: MapCoords<f64, f64, Output = G>>(&self, g: &G) -> G {
        g.map_coords(|c| self.unproject(c).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vincenty-free check: the haversine on the mean sphere agrees to the ellipsoid's flattening
    /// (~0.3 %), so compare along a meridian and a parallel against exact ellipsoid formulas.
    #[test]
    fn metres_along_axes_are_exact() {
        let proj = LocalProjection::new(LonLat {
            lon: 116.8,
            lat: 33.95,
        });
        // One arc-second of latitude at 33.95° is about 30.83 m.
        let north = proj.project(LonLat {
            lon: 116.8,
            lat: 33.95 + 1.0 / 3600.0,
        });
        let expected = meridional_radius(33.95_f64.to_radians()) * (1.0_f64 / 3600.0).to_radians();
        assert!((north.y - expected).abs() < 1e-6 && north.x.abs() < 1e-9);
        let east = proj.project(LonLat {
            lon: 116.8 + 0.01,
            lat: 33.95,
        });
        let lat = 33.95_f64.to_radians();
        assert!(
            (east.x - prime_vertical_radius(lat) * lat.cos() * 0.01_f64.to_radians()).abs() < 1e-6
        );
    }

    #[test]
    fn round_trips_to_micrometres() {
        let proj = LocalProjection::new(LonLat {
            lon: 24.94,
            lat: 60.17,
        });
        for (dx, dy) in [(0.0, 0.0), (5000.0, -3000.0), (-20_000.0, 15_000.0)] {
            let c = Coord { x: dx, y: dy };
            let back = proj.project(proj.unproject(c));
            assert!(
                (back.x - c.x).abs() < 1e-6 && (back.y - c.y).abs() < 1e-6,
                "{back:?}"
            );
        }
    }
}
