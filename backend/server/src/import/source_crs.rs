//! The coordinate system of a file being imported: a geographic one citygrid knows by name
//! (WGS 84 and CGCS2000, GCJ-02, BD-09), or a projected one — by its EPSG code (`crs_codes`) or
//! from a `.prj`/GeoPackage WKT (`prj`) — projected back to longitude and latitude with `proj4rs`
//! (pure Rust, so the binary stays self-contained). CGCS2000 is taken as WGS 84: they differ by
//! centimetres. Xi'an 1980 and Beijing 1954 differ by hundreds of metres and no public
//! transformation is exact, so they are read only with the bureau's own 7-parameter one.

use std::str::FromStr;

use citygrid_core::{Crs, LonLat};
use proj4rs::proj::Proj;

use super::crs_codes::{self, Datum, GaussKrueger};

/// Where a file's coordinates are.
#[derive(Clone)]
pub enum SourceCrs {
    /// Longitude and latitude in a system citygrid converts itself.
    Geographic(Crs),
    /// Metres in a projected system.
    Projected(Box<Projected>),
}

/// A projected system and the geographic one it is projected back into.
#[derive(Clone)]
pub struct Projected {
    /// `EPSG:4527`, or the name a `.prj` gives.
    name: String,
    epsg: Option<u32>,
    gauss_krueger: Option<GaussKrueger>,
    /// The PROJ definition without a datum shift.
    definition: String,
    /// The datum of a legacy system (Xi'an 1980, Beijing 1954) that needs a shift.
    legacy: Option<Datum>,
    shift: Option<DatumShift>,
    proj: Proj,
    geographic: Proj,
}

impl std::fmt::Debug for SourceCrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// WGS 84 (or CGCS2000): what a file that declares nothing is read in.
impl Default for SourceCrs {
    fn default() -> Self {
        SourceCrs::Geographic(Crs::Wgs84)
    }
}

impl From<Crs> for SourceCrs {
    fn from(crs: Crs) -> Self {
        SourceCrs::Geographic(crs)
    }
}

/// A Transverse Mercator system's parameters (see [`SourceCrs::transverse_mercator`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TransverseMercator {
    pub epsg: u32,
    pub name: String,
    /// On CGCS2000 (else WGS 84).
    pub cgcs2000: bool,
    pub central_meridian: f64,
    pub scale: f64,
    pub false_easting: f64,
    pub false_northing: f64,
}

/// A 7-parameter (Helmert, position-vector) transformation to WGS 84 as PROJ's `towgs84` takes
/// it: metres, arc-seconds, parts per million — or the 3 shifts alone.
#[derive(Debug, Clone, PartialEq)]
pub struct DatumShift(Vec<f64>);

impl FromStr for DatumShift {
    type Err = CrsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CrsError::Shift(s.chars().take(80).collect());
        let values = s
            .split(',')
            .map(|v| v.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(bad)?;
        if !matches!(values.len(), 3 | 7) {
            return Err(bad());
        }
        Ok(DatumShift(values))
    }
}

impl DatumShift {
    fn towgs84(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(f64::to_string).collect();
        format!("+towgs84={}", parts.join(","))
    }
}

/// A coordinate system citygrid cannot use as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrsError {
    #[error(
        "unknown coordinate system {0:?}: use wgs84, cgcs2000, gcj02, bd09, or an EPSG code — 4326, \
         4490, 4491–4554 (CGCS2000 Gauss–Krüger), 2327–2390 (Xi'an 1980), 2401–2442 and \
         21413–21463 (Beijing 1954), 32601–32660 and 32701–32760 (UTM), 3857"
    )]
    Unknown(String),
    #[error(
        "{name} is in {datum}, which differs from WGS 84 by up to hundreds of metres and has no \
         exact public transformation: give the bureau's 7 parameters with \
         --towgs84 dx,dy,dz,rx,ry,rz,ds (metres, arc-seconds, ppm)"
    )]
    NeedsShift { name: String, datum: &'static str },
    #[error(
        "{0:?} is not a datum transformation: give 7 numbers dx,dy,dz,rx,ry,rz,ds (metres, \
         arc-seconds, ppm) or 3 shifts dx,dy,dz"
    )]
    Shift(String),
    #[error("a datum transformation applies to a projected system, not to {0}")]
    ShiftOnGeographic(String),
    #[error("the coordinate system cannot be read ({0}): give it with --crs EPSG:…")]
    Wkt(String),
}

impl FromStr for SourceCrs {
    type Err = CrsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || CrsError::Unknown(s.chars().take(40).collect());
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
        SourceCrs::from_epsg(epsg).ok_or_else(unknown)
    }
}

impl SourceCrs {
    /// A system by its EPSG code, if citygrid knows it.
    pub fn from_epsg(epsg: u32) -> Option<SourceCrs> {
        if matches!(epsg, 4326 | 4490) {
            return Some(SourceCrs::Geographic(Crs::Wgs84));
        }
        let definition = crs_codes::definition(epsg)?;
        let gauss_krueger = crs_codes::gauss_krueger(i64::from(epsg));
        let legacy = gauss_krueger.map(|g| g.datum).filter(|d| d.needs_shift());
        Projected::new(format!("EPSG:{epsg}"), Some(epsg), definition, legacy)
            .ok()
            .map(|p| SourceCrs::Projected(Box::new(p)))
    }

    /// A projected system from its PROJ definition, named for messages.
    pub(super) fn from_definition(
        name: String,
        definition: String,
        legacy: Option<Datum>,
    ) -> Result<SourceCrs, CrsError> {
        Projected::new(name, None, definition, legacy).map(|p| SourceCrs::Projected(Box::new(p)))
    }

    /// The same system read with the bureau's datum transformation.
    pub fn with_shift(self, shift: DatumShift) -> Result<SourceCrs, CrsError> {
        match self {
            SourceCrs::Geographic(crs) => Err(CrsError::ShiftOnGeographic(crs.to_string())),
            SourceCrs::Projected(p) => {
                Projected::build(p.name, p.epsg, p.definition, p.legacy, Some(shift))
                    .map(|p| SourceCrs::Projected(Box::new(p)))
            }
        }
    }

    /// Whether positions can be read: a legacy datum needs its transformation.
    pub fn ready(&self) -> Result<(), CrsError> {
        match self {
            SourceCrs::Projected(p) if p.shift.is_none() => match p.legacy {
                Some(datum) => Err(CrsError::NeedsShift {
                    name: p.name.clone(),
                    datum: datum.name(),
                }),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// `EPSG:4527`, `wgs84`, or the name a `.prj` gives.
    pub fn name(&self) -> String {
        match self {
            SourceCrs::Geographic(crs) => crs.to_string(),
            SourceCrs::Projected(p) => p.name.clone(),
        }
    }

    /// The EPSG code, where there is one.
    pub fn epsg(&self) -> Option<u32> {
        match self {
            SourceCrs::Geographic(Crs::Wgs84) => Some(4326),
            SourceCrs::Geographic(_) => None,
            SourceCrs::Projected(p) => p.epsg,
        }
    }

    /// The parameters of a Transverse Mercator system with an EPSG code on CGCS2000 or WGS 84
    /// (Gauss–Krüger, UTM), as a `.prj` or GeoPackage states them; none for other systems.
    pub fn transverse_mercator(&self) -> Option<TransverseMercator> {
        let SourceCrs::Projected(p) = self else {
            return None;
        };
        if p.legacy.is_some() || p.shift.is_some() {
            return None;
        }
        let epsg = p.epsg?;
        let t = crs_codes::tmerc(epsg)?;
        Some(TransverseMercator {
            epsg,
            name: p.name.clone(),
            cgcs2000: t.datum == Some(Datum::Cgcs2000),
            central_meridian: t.central_meridian,
            scale: t.scale,
            false_easting: t.false_easting,
            false_northing: t.false_northing,
        })
    }

    /// A position of the file as WGS 84 longitude and latitude.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<LonLat, String> {
        match self {
            SourceCrs::Geographic(crs) => {
                let ll = LonLat::new(x, y).map_err(|e| e.to_string())?;
                Ok(crs.to_wgs84(ll))
            }
            SourceCrs::Projected(p) => p.to_wgs84(x, y),
        }
    }

    /// A WGS 84 position in this system (for exports), as `(x, y)`.
    pub fn project(&self, at: LonLat) -> Result<(f64, f64), String> {
        match self {
            SourceCrs::Geographic(crs) => {
                let p = crs.from_wgs84(at);
                Ok((p.lon, p.lat))
            }
            SourceCrs::Projected(p) => p.project(at),
        }
    }
}

impl Projected {
    fn new(
        name: String,
        epsg: Option<u32>,
        definition: String,
        legacy: Option<Datum>,
    ) -> Result<Projected, CrsError> {
        Projected::build(name, epsg, definition, legacy, None)
    }

    /// The system projected back into CGCS2000/WGS 84 longitude and latitude: through the
    /// bureau's datum transformation when one is given (both sides then carry their datum).
    fn build(
        name: String,
        epsg: Option<u32>,
        definition: String,
        legacy: Option<Datum>,
        shift: Option<DatumShift>,
    ) -> Result<Projected, CrsError> {
        let proj =
            |text: &str| Proj::from_proj_string(text).map_err(|e| CrsError::Wkt(e.to_string()));
        let (projected, geographic) = match &shift {
            Some(shift) => (
                proj(&format!("{definition} {}", shift.towgs84()))?,
                proj("+proj=longlat +datum=WGS84 +no_defs")?,
            ),
            None => (
                proj(&definition)?,
                proj("+proj=longlat +ellps=GRS80 +no_defs")?,
            ),
        };
        Ok(Projected {
            gauss_krueger: epsg.and_then(|e| crs_codes::gauss_krueger(i64::from(e))),
            name,
            epsg,
            definition,
            legacy,
            shift,
            proj: projected,
            geographic,
        })
    }

    fn to_wgs84(&self, x: f64, y: f64) -> Result<LonLat, String> {
        let name = &self.name;
        if let Some(datum) = self.legacy.filter(|_| self.shift.is_none()) {
            return Err(format!(
                "{name} is in {} and needs the bureau's --towgs84",
                datum.name()
            ));
        }
        if !(x.is_finite() && y.is_finite()) {
            return Err("is not a finite number".to_owned());
        }
        if let (Some(epsg), Some(g)) = (self.epsg, self.gauss_krueger) {
            zone_check(epsg, g, x)?;
        }
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.proj, &self.geographic, &mut p)
            .map_err(|e| format!("cannot be projected from {name}: {e}"))?;
        let ll = LonLat::new(p.0.to_degrees(), p.1.to_degrees())
            .map_err(|e| format!("lands outside the earth from {name}: {e}"))?;
        // The zones' reach, with a margin: China spans about 73°E–135°E and 3°N–54°N.
        let in_china = (70.0..=140.0).contains(&ll.lon) && (0.0..=56.0).contains(&ll.lat);
        if self.gauss_krueger.is_some() && !in_china {
            return Err(format!(
                "lands outside China from {name} ({:.4}, {:.4}): is it the right zone?",
                ll.lon, ll.lat
            ));
        }
        Ok(ll)
    }

    fn project(&self, at: LonLat) -> Result<(f64, f64), String> {
        let mut p = (at.lon.to_radians(), at.lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.geographic, &self.proj, &mut p)
            .map_err(|e| format!("cannot be projected into {}: {e}", self.name))?;
        Ok((p.0, p.1))
    }
}

/// Whether an easting fits the Gauss–Krüger code's convention: the zone number in front where
/// the code has one, none where it has none — and if not, which code would fit.
fn zone_check(epsg: u32, g: GaussKrueger, x: f64) -> Result<(), String> {
    let prefix = (x / 1_000_000.0).floor() as i64;
    let use_instead = || {
        crs_codes::prefixed_code(g.datum, prefix)
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
        towgs84: Option<String>,
    }

    #[test]
    fn every_zone_projects_both_ways_as_proj_does_within_a_millimetre() {
        let rows: Vec<Reference> = serde_json::from_str(REFERENCE).unwrap();
        assert!(
            rows.len() >= 3 * 3 * 64,
            "every Gauss–Krüger zone of the three datums is in the reference"
        );
        for r in rows {
            let mut crs: SourceCrs = format!("EPSG:{}", r.epsg).parse().unwrap();
            if let Some(shift) = &r.towgs84 {
                assert!(crs.ready().is_err(), "{} needs its transformation", r.epsg);
                crs = crs.with_shift(shift.parse().unwrap()).unwrap();
            }
            crs.ready().unwrap();
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
            let (x, y) = crs.project(LonLat::new(r.lon, r.lat).unwrap()).unwrap();
            let off = (x - r.x).hypot(y - r.y);
            // Into an old datum the reference point sits at a height the projection does not
            // see (the transformation moves it off the ellipsoid): a millimetre more is that.
            let within = if r.towgs84.is_some() { 0.002 } else { 0.001 };
            assert!(
                off < within,
                "{} ({}): {off} m off projecting",
                r.epsg,
                r.name
            );
        }
    }

    #[test]
    fn a_legacy_datum_is_refused_without_its_transformation_in_words() {
        let xian: SourceCrs = "EPSG:2385".parse().unwrap();
        let err = xian.ready().unwrap_err().to_string();
        assert!(
            err.contains("Xi'an 1980") && err.contains("--towgs84"),
            "{err}"
        );
        assert!(xian.to_wgs84(500_000.0, 3_000_000.0).is_err());
        for bad in ["1,2", "1,2,3,4", "a,b,c", "1,2,NaN"] {
            assert!(bad.parse::<DatumShift>().is_err(), "{bad}");
        }
        let shift: DatumShift = "1,2,3".parse().unwrap();
        assert!(SourceCrs::from(Crs::Wgs84).with_shift(shift).is_err());
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
            Ok(SourceCrs::Projected(p)) if p.epsg == Some(4527)
        ));
        for bad in ["EPSG:4555", "EPSG:", "EPSG:abc", "utm", "EPSG:2326"] {
            let err = bad.parse::<SourceCrs>().unwrap_err().to_string();
            assert!(
                err.contains("unknown coordinate system") && err.contains("4491–4554"),
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
