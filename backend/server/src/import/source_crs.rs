//! The coordinate system of a file being imported: a geographic one citygrid knows by name
//! (WGS 84 and CGCS2000, GCJ-02, BD-09), or a projected one by its EPSG code — every CGCS2000
//! Gauss–Krüger zone (3° and 6°, with the zone number in front of the easting and without),
//! WGS 84 / UTM and Web Mercator — projected back to longitude and latitude with `proj4rs`
//! (pure Rust, so the binary stays self-contained). CGCS2000 is taken as WGS 84: they differ by
//! centimetres.

use std::str::FromStr;

use citygrid_core::{Crs, LonLat};
use proj4rs::proj::Proj;

/// Where a file's coordinates are.
#[derive(Clone)]
pub enum SourceCrs {
    /// Longitude and latitude in a system citygrid converts itself.
    Geographic(Crs),
    /// Metres in a projected system, with its EPSG code, and the geographic system it is
    /// projected back into.
    Projected {
        epsg: u32,
        proj: Box<Proj>,
        geographic: Box<Proj>,
    },
}

impl std::fmt::Debug for SourceCrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceCrs::Geographic(crs) => write!(f, "{crs}"),
            SourceCrs::Projected { epsg, .. } => write!(f, "EPSG:{epsg}"),
        }
    }
}

impl From<Crs> for SourceCrs {
    fn from(crs: Crs) -> Self {
        SourceCrs::Geographic(crs)
    }
}

/// A CGCS2000 Gauss–Krüger code: the width of its zones, its central meridian and, where the
/// easting carries it in front, the zone number.
struct GaussKrueger {
    width: i64,
    central_meridian: i64,
    zone: Option<i64>,
}

/// What a CGCS2000 Gauss–Krüger EPSG code stands for, if it is one: 6° zones 13–23 with the zone
/// number (4491–4501) and by central meridian (4502–4512), 3° zones 25–45 with the zone number
/// (4513–4533) and by central meridian, 75°E … 135°E (4534–4554).
fn gauss_krueger(epsg: i64) -> Option<GaussKrueger> {
    let (width, zone, prefixed) = match epsg {
        4491..=4501 => (6, epsg - 4491 + 13, true),
        4502..=4512 => (6, epsg - 4502 + 13, false),
        4513..=4533 => (3, epsg - 4513 + 25, true),
        4534..=4554 => (3, epsg - 4534 + 25, false),
        _ => return None,
    };
    Some(GaussKrueger {
        width,
        central_meridian: if width == 6 { zone * 6 - 3 } else { zone * 3 },
        zone: prefixed.then_some(zone),
    })
}

/// The PROJ definition of a projected EPSG code citygrid reads, if it is one.
fn definition(epsg: u32) -> Option<String> {
    let tmerc = |lon0: i64, k: &str, x0: i64, y0: i64, ellps: &str| {
        format!(
            "+proj=tmerc +lat_0=0 +lon_0={lon0} +k={k} +x_0={x0} +y_0={y0} +ellps={ellps} +units=m +no_defs"
        )
    };
    let epsg = i64::from(epsg);
    if let Some(g) = gauss_krueger(epsg) {
        let x0 = g.zone.map_or(0, |z| z * 1_000_000) + 500_000;
        return Some(tmerc(g.central_meridian, "1", x0, 0, "GRS80"));
    }
    match epsg {
        // WGS 84 / UTM north and south.
        32601..=32660 => Some(tmerc((epsg - 32600) * 6 - 183, "0.9996", 500_000, 0, "WGS84")),
        32701..=32760 => Some(tmerc(
            (epsg - 32700) * 6 - 183,
            "0.9996",
            500_000,
            10_000_000,
            "WGS84",
        )),
        3857 => Some(
            "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs"
                .to_owned(),
        ),
        _ => None,
    }
}

/// The Gauss–Krüger code whose easting carries this zone number in front (3° zones 25–45 and
/// 6° zones 13–23 never share a number), said for a message.
fn prefixed_code(zone: i64) -> Option<String> {
    (4491..=4554).find_map(|epsg| {
        let g = gauss_krueger(epsg).filter(|g| g.zone == Some(zone))?;
        Some(format!("EPSG:{epsg} ({}° zone {zone})", g.width))
    })
}

/// Whether an easting fits the Gauss–Krüger code's convention: the zone number in front where
/// the code has one, none where it has none — and if not, which code would fit.
fn zone_check(epsg: u32, x: f64) -> Result<(), String> {
    let Some(g) = gauss_krueger(i64::from(epsg)) else {
        return Ok(());
    };
    let prefix = (x / 1_000_000.0).floor() as i64;
    let use_instead = || {
        prefixed_code(prefix)
            .map(|c| format!(": use {c}"))
            .unwrap_or_default()
    };
    match g.zone {
        Some(zone) if x < 1_000_000.0 => Err(format!(
            "has no zone number in front of the easting ({x:.1}), which EPSG:{epsg} expects \
             ({zone}…): a file without it is in the code of the zone's central meridian"
        )),
        Some(zone) if prefix != zone => Err(format!(
            "carries zone number {prefix} in front of the easting, not {zone}{}",
            use_instead()
        )),
        None if x >= 10_000_000.0 => Err(format!(
            "carries zone number {prefix} in front of the easting, which EPSG:{epsg} does not have{}",
            use_instead()
        )),
        _ => Ok(()),
    }
}

/// A name or EPSG code citygrid cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown coordinate system {0:?}: use wgs84, cgcs2000, gcj02, bd09, or an EPSG code — 4326, 4490, \
     4491–4554 (CGCS2000 Gauss–Krüger), 32601–32660 and 32701–32760 (UTM), 3857"
)]
pub struct UnknownCrs(pub String);

impl FromStr for SourceCrs {
    type Err = UnknownCrs;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownCrs(s.chars().take(40).collect());
        let text = s.trim();
        let code = text
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("epsg:"))
            .and_then(|_| text.get(5..));
        let Some(code) = code else {
            return text
                .parse::<Crs>()
                .map(SourceCrs::Geographic)
                .map_err(|_| unknown());
        };
        let epsg: u32 = code.trim().parse().map_err(|_| unknown())?;
        if matches!(epsg, 4326 | 4490) {
            return Ok(SourceCrs::Geographic(Crs::Wgs84));
        }
        let proj = definition(epsg)
            .and_then(|d| Proj::from_proj_string(&d).ok())
            .ok_or_else(unknown)?;
        let geographic =
            Proj::from_proj_string("+proj=longlat +ellps=GRS80 +no_defs").map_err(|_| unknown())?;
        Ok(SourceCrs::Projected {
            epsg,
            proj: Box::new(proj),
            geographic: Box::new(geographic),
        })
    }
}

impl SourceCrs {
    /// A position of the file as WGS 84 longitude and latitude.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<LonLat, String> {
        match self {
            SourceCrs::Geographic(crs) => {
                let ll = LonLat::new(x, y).map_err(|e| e.to_string())?;
                Ok(crs.to_wgs84(ll))
            }
            SourceCrs::Projected {
                epsg,
                proj,
                geographic,
            } => {
                if !(x.is_finite() && y.is_finite()) {
                    return Err("is not a finite number".to_owned());
                }
                zone_check(*epsg, x)?;
                let mut p = (x, y, 0.0);
                proj4rs::transform::transform(proj, geographic, &mut p)
                    .map_err(|e| format!("cannot be projected from EPSG:{epsg}: {e}"))?;
                let ll = LonLat::new(p.0.to_degrees(), p.1.to_degrees())
                    .map_err(|e| format!("lands outside the earth from EPSG:{epsg}: {e}"))?;
                // The zones' reach, with a margin: China spans about 73°E–135°E and 3°N–54°N.
                let in_china = (70.0..=140.0).contains(&ll.lon) && (0.0..=56.0).contains(&ll.lat);
                if gauss_krueger(i64::from(*epsg)).is_some() && !in_china {
                    return Err(format!(
                        "lands outside China from EPSG:{epsg} ({:.4}, {:.4}): is it the right zone?",
                        ll.lon, ll.lat
                    ));
                }
                Ok(ll)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PROJ's own positions (`tests/reference/crs_pyproj.py`), projected back by citygrid.
    const REFERENCE: &str = include_str!("../../../../tests/reference/crs_pyproj.json");

    #[derive(serde::Deserialize)]
    struct Reference {
        epsg: u32,
        name: String,
        x: f64,
        y: f64,
        lon: f64,
        lat: f64,
    }

    #[test]
    fn every_zone_projects_back_as_proj_does_within_a_millimetre() {
        let rows: Vec<Reference> = serde_json::from_str(REFERENCE).unwrap();
        assert!(
            rows.len() >= 3 * 64,
            "every Gauss–Krüger zone is in the reference"
        );
        for r in rows {
            let crs: SourceCrs = format!("EPSG:{}", r.epsg).parse().unwrap();
            let got = crs.to_wgs84(r.x, r.y).unwrap();
            let metres_north = (got.lat - r.lat) * 111_320.0;
            let metres_east = (got.lon - r.lon) * 111_320.0 * r.lat.to_radians().cos();
            let off = metres_north.hypot(metres_east);
            assert!(
                off < 0.001,
                "{} ({}): {off} m off at {}, {}",
                r.epsg,
                r.name,
                r.lon,
                r.lat
            );
        }
    }

    #[test]
    fn names_and_codes_are_read_and_others_refused_in_words() {
        assert!(matches!(
            "gcj02".parse(),
            Ok(SourceCrs::Geographic(Crs::Gcj02))
        ));
        assert!(matches!(
            "epsg:4490".parse(),
            Ok(SourceCrs::Geographic(Crs::Wgs84))
        ));
        assert!(matches!(
            " EPSG:4527 ".parse(),
            Ok(SourceCrs::Projected { epsg: 4527, .. })
        ));
        for bad in ["EPSG:4555", "EPSG:", "EPSG:abc", "utm", "EPSG:2385"] {
            let err = bad.parse::<SourceCrs>().unwrap_err().to_string();
            assert!(
                err.contains("unknown coordinate system") && err.contains("4491"),
                "{err}"
            );
        }
        // Metres given where degrees are expected, and degrees where metres are.
        let wgs84 = SourceCrs::from(Crs::Wgs84);
        assert!(wgs84.to_wgs84(39_500_818.0, 3_760_000.0).is_err());
        let gk: SourceCrs = "EPSG:4527".parse().unwrap();
        assert!(gk.to_wgs84(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn a_wrong_zone_or_a_missing_zone_number_is_said_with_the_code_that_fits() {
        let zone_39: SourceCrs = "EPSG:4527".parse().unwrap();
        let cm_117: SourceCrs = "EPSG:4548".parse().unwrap();
        assert!(zone_39.to_wgs84(39_500_818.0, 3_760_000.0).is_ok());
        assert!(cm_117.to_wgs84(500_818.0, 3_760_000.0).is_ok());
        let missing = zone_39.to_wgs84(500_818.0, 3_760_000.0).unwrap_err();
        assert!(missing.contains("no zone number"), "{missing}");
        let other = zone_39.to_wgs84(40_500_818.0, 3_760_000.0).unwrap_err();
        assert!(
            other.contains("zone number 40") && other.contains("EPSG:4528"),
            "{other}"
        );
        let prefixed = cm_117.to_wgs84(39_500_818.0, 3_760_000.0).unwrap_err();
        assert!(prefixed.contains("EPSG:4527 (3° zone 39)"), "{prefixed}");
        let six = cm_117.to_wgs84(20_500_818.0, 3_760_000.0).unwrap_err();
        assert!(six.contains("EPSG:4498 (6° zone 20)"), "{six}");
        // Metres that project far outside China: the wrong system altogether.
        let far = cm_117.to_wgs84(500_818.0, 9_500_000.0).unwrap_err();
        assert!(far.contains("outside China"), "{far}");
    }
}
