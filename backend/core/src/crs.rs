//! China's coordinate systems: WGS 84 (and CGCS2000), GCJ-02 and BD-09.
//!
//! GCJ-02 is WGS 84 plus a deterministic nonlinear offset inside China, computed with the
//! public-domain transform on the Krasovsky ellipsoid. BD-09 is a further offset of GCJ-02.
//! The forward transforms are closed-form; the inverses are fixed-point iterations that converge
//! to well under a millimetre.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::LonLat;

/// The coordinate system a client declares its positions in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// WGS 84; CGCS2000 is accepted as the same (they differ by centimetres).
    #[default]
    #[serde(alias = "cgcs2000")]
    Wgs84,
    /// The offset system used by most Chinese web maps.
    Gcj02,
    /// Baidu's system, a further offset of GCJ-02.
    Bd09,
}

/// An unknown CRS name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown coordinate system {0:?}; expected wgs84, cgcs2000, gcj02 or bd09")]
pub struct UnknownCrs(pub String);

impl FromStr for Crs {
    type Err = UnknownCrs;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wgs84" | "wgs-84" | "epsg:4326" | "cgcs2000" | "epsg:4490" => Ok(Crs::Wgs84),
            "gcj02" | "gcj-02" => Ok(Crs::Gcj02),
            "bd09" | "bd-09" => Ok(Crs::Bd09),
            _ => Err(UnknownCrs(s.to_owned())),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        })
    }
}

impl Crs {
    /// Converts a position declared in this CRS to WGS 84.
    pub fn to_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => gcj02_to_wgs84(p),
            Crs::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(p)),
        }
    }

    /// Converts a WGS 84 position to this CRS.
    pub fn from_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 => p,
            Crs::Gcj02 => wgs84_to_gcj02(p),
            Crs::Bd09 => gcj02_to_bd09(wgs84_to_gcj02(p)),
        }
    }
}

const KRASOVSKY_A: f64 = 6_378_245.0;
// The published constant, written as published; f64 keeps what it can.
#[allow(clippy::excessive_precision)]
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943_23;
const BD_X_PI: f64 = PI * 3000.0 / 180.0;

/// Whether the GCJ-02 offset applies here (a rectangle around China, as the transform defines).
pub fn in_china(p: LonLat) -> bool {
    (72.004..=137.8347).contains(&p.lon) && (0.8293..=55.8271).contains(&p.lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS 84 → GCJ-02 (identity outside China).
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    if !in_china(p) {
        return p;
    }
    let dlat = offset_lat(p.lon - 105.0, p.lat - 35.0);
    let dlon = offset_lon(p.lon - 105.0, p.lat - 35.0);
    let rad_lat = p.lat / 180.0 * PI;
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    LonLat {
        lon: p.lon + dlon,
        lat: p.lat + dlat,
    }
}

/// Inverts a forward transform by fixed-point iteration: find `w` with `forward(w) == target`.
fn invert(target: LonLat, forward: impl Fn(LonLat) -> LonLat) -> LonLat {
    let mut w = target;
    for _ in 0..30 {
        let f = forward(w);
        let (dx, dy) = (f.lon - target.lon, f.lat - target.lat);
        w = LonLat {
            lon: w.lon - dx,
            lat: w.lat - dy,
        };
        // 1e-11 degrees is about a micrometre.
        if dx.abs() < 1e-11 && dy.abs() < 1e-11 {
            break;
        }
    }
    w
}

/// GCJ-02 → WGS 84, iterated to well under a millimetre.
pub fn gcj02_to_wgs84(p: LonLat) -> LonLat {
    if !in_china(p) {
        return p;
    }
    invert(p, wgs84_to_gcj02)
}

/// GCJ-02 → BD-09.
pub fn gcj02_to_bd09(p: LonLat) -> LonLat {
    let (x, y) = (p.lon, p.lat);
    let z = (x * x + y * y).sqrt() + 0.000_02 * (y * BD_X_PI).sin();
    let theta = y.atan2(x) + 0.000_003 * (x * BD_X_PI).cos();
    LonLat {
        lon: z * theta.cos() + 0.0065,
        lat: z * theta.sin() + 0.006,
    }
}

/// BD-09 → GCJ-02: the closed-form approximation refined by iteration.
pub fn bd09_to_gcj02(p: LonLat) -> LonLat {
    invert(p, gcj02_to_bd09)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metres_apart(a: LonLat, b: LonLat) -> f64 {
        let k = 6_371_008.8 * PI / 180.0;
        let dx = (a.lon - b.lon) * k * (a.lat * PI / 180.0).cos();
        let dy = (a.lat - b.lat) * k;
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn reference_vector_forward() {
        let g = wgs84_to_gcj02(LonLat {
            lon: 116.3975,
            lat: 39.9087,
        });
        assert!((g.lat - 39.910_103_499_345).abs() < 1e-9, "{g:?}");
        assert!((g.lon - 116.403_743_572_652).abs() < 1e-9, "{g:?}");
    }

    #[test]
    fn inverses_reach_millimetres_across_china() {
        let mut worst = 0.0_f64;
        for i in 0..40 {
            for j in 0..40 {
                let w = LonLat {
                    lon: 74.0 + f64::from(i) * 1.6,
                    lat: 18.0 + f64::from(j) * 0.9,
                };
                for crs in [Crs::Gcj02, Crs::Bd09] {
                    let back = crs.to_wgs84(crs.from_wgs84(w));
                    worst = worst.max(metres_apart(w, back));
                }
            }
        }
        assert!(worst < 0.001, "worst round trip {worst} m");
    }

    #[test]
    fn offset_is_hundreds_of_metres_inside_china_and_zero_outside() {
        let huaibei = LonLat {
            lon: 116.8,
            lat: 33.95,
        };
        let d = metres_apart(huaibei, wgs84_to_gcj02(huaibei));
        assert!((100.0..1000.0).contains(&d), "{d}");
        let helsinki = LonLat {
            lon: 24.94,
            lat: 60.17,
        };
        assert_eq!(Crs::Gcj02.to_wgs84(helsinki), helsinki);
        assert_eq!(
            Crs::Bd09.from_wgs84(huaibei),
            gcj02_to_bd09(wgs84_to_gcj02(huaibei))
        );
    }

    #[test]
    fn parses_names() {
        assert_eq!("CGCS2000".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("gcj-02".parse::<Crs>(), Ok(Crs::Gcj02));
        assert!("utm".parse::<Crs>().is_err());
    }
}
