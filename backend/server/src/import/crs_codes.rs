//! The projected EPSG codes citygrid knows by number: Gauss–Krüger zones of CGCS2000, Xi'an 1980
//! and Beijing 1954 (3° and 6°, with the zone number in front of the easting and without),
//! WGS 84 / UTM and Web Mercator, as PROJ definitions.

/// The geodetic datum of a Gauss–Krüger code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datum {
    /// China Geodetic Coordinate System 2000: within centimetres of WGS 84.
    Cgcs2000,
    /// Xi'an 1980 (IAG 1975 ellipsoid): hundreds of metres from WGS 84 without a transformation.
    Xian1980,
    /// Beijing 1954 (Krassowsky ellipsoid): the same.
    Beijing1954,
}

impl Datum {
    pub fn name(self) -> &'static str {
        match self {
            Datum::Cgcs2000 => "CGCS2000",
            Datum::Xian1980 => "Xi'an 1980",
            Datum::Beijing1954 => "Beijing 1954",
        }
    }

    /// The ellipsoid as PROJ names it.
    fn ellipsoid(self) -> &'static str {
        match self {
            Datum::Cgcs2000 => "+ellps=GRS80",
            Datum::Xian1980 => "+ellps=IAU76",
            Datum::Beijing1954 => "+ellps=krass",
        }
    }

    /// The semi-major axis, to recognise the datum in a `.prj`.
    pub fn semi_major_axis(self) -> f64 {
        match self {
            Datum::Cgcs2000 => 6_378_137.0,
            Datum::Xian1980 => 6_378_140.0,
            Datum::Beijing1954 => 6_378_245.0,
        }
    }

    /// Whether positions in this datum need the bureau's 7-parameter transformation.
    pub fn needs_shift(self) -> bool {
        self != Datum::Cgcs2000
    }
}

/// A Gauss–Krüger code: its datum, the width of its zones, its central meridian and, where the
/// easting carries it in front, the zone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaussKrueger {
    pub datum: Datum,
    pub width: i64,
    pub central_meridian: i64,
    pub zone: Option<i64>,
}

impl GaussKrueger {
    /// The false easting: the zone number in front of 500 km where the code carries it.
    pub fn false_easting(&self) -> i64 {
        self.zone.map_or(0, |z| z * 1_000_000) + 500_000
    }
}

/// The first code of each run of Gauss–Krüger codes: datum, zone width, whether the zone
/// number is in front of the easting, and the first zone.
const RUNS: [(std::ops::RangeInclusive<i64>, Datum, i64, bool, i64); 12] = [
    (4491..=4501, Datum::Cgcs2000, 6, true, 13),
    (4502..=4512, Datum::Cgcs2000, 6, false, 13),
    (4513..=4533, Datum::Cgcs2000, 3, true, 25),
    (4534..=4554, Datum::Cgcs2000, 3, false, 25),
    (2327..=2337, Datum::Xian1980, 6, true, 13),
    (2338..=2348, Datum::Xian1980, 6, false, 13),
    (2349..=2369, Datum::Xian1980, 3, true, 25),
    (2370..=2390, Datum::Xian1980, 3, false, 25),
    (21413..=21423, Datum::Beijing1954, 6, true, 13),
    (21453..=21463, Datum::Beijing1954, 6, false, 13),
    (2401..=2421, Datum::Beijing1954, 3, true, 25),
    (2422..=2442, Datum::Beijing1954, 3, false, 25),
];

/// What a Gauss–Krüger EPSG code stands for, if it is one.
pub fn gauss_krueger(epsg: i64) -> Option<GaussKrueger> {
    let (range, datum, width, prefixed, first_zone) =
        RUNS.iter().find(|(range, ..)| range.contains(&epsg))?;
    let zone = epsg - range.start() + first_zone;
    Some(GaussKrueger {
        datum: *datum,
        width: *width,
        central_meridian: if *width == 6 { zone * 6 - 3 } else { zone * 3 },
        zone: prefixed.then_some(zone),
    })
}

/// Every Gauss–Krüger code, for finding the one a `.prj` describes.
pub fn all_gauss_krueger() -> impl Iterator<Item = (u32, GaussKrueger)> {
    RUNS.iter()
        .flat_map(|(range, ..)| range.clone())
        .filter_map(|epsg| Some((u32::try_from(epsg).ok()?, gauss_krueger(epsg)?)))
}

/// A Transverse Mercator code's parameters: the Gauss–Krüger zones and WGS 84 / UTM.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tmerc {
    pub central_meridian: f64,
    pub scale: f64,
    pub false_easting: f64,
    pub false_northing: f64,
    /// The Gauss–Krüger datum; none for WGS 84 (UTM).
    pub datum: Option<Datum>,
}

/// The Transverse Mercator parameters of an EPSG code, if it is one citygrid reads.
pub fn tmerc(epsg: u32) -> Option<Tmerc> {
    let epsg = i64::from(epsg);
    if let Some(g) = gauss_krueger(epsg) {
        return Some(Tmerc {
            central_meridian: g.central_meridian as f64,
            scale: 1.0,
            false_easting: g.false_easting() as f64,
            false_northing: 0.0,
            datum: Some(g.datum),
        });
    }
    // WGS 84 / UTM north and south.
    let (zone, false_northing) = match epsg {
        32601..=32660 => (epsg - 32600, 0.0),
        32701..=32760 => (epsg - 32700, 10_000_000.0),
        _ => return None,
    };
    Some(Tmerc {
        central_meridian: (zone * 6 - 183) as f64,
        scale: 0.9996,
        false_easting: 500_000.0,
        false_northing,
        datum: None,
    })
}

/// The PROJ definition of a projected EPSG code citygrid reads, if it is one.
pub fn definition(epsg: u32) -> Option<String> {
    if let Some(t) = tmerc(epsg) {
        let ellipsoid = t.datum.map_or("+ellps=WGS84", Datum::ellipsoid);
        return Some(format!(
            "+proj=tmerc +lat_0=0 +lon_0={} +k={} +x_0={} +y_0={} {ellipsoid} +units=m +no_defs",
            t.central_meridian, t.scale, t.false_easting, t.false_northing
        ));
    }
    (epsg == 3857).then(|| {
        "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs"
            .to_owned()
    })
}

/// The Gauss–Krüger code of `datum` whose easting carries this zone number in front (3° zones
/// 25–45 and 6° zones 13–23 never share a number), said for a message.
pub fn prefixed_code(datum: Datum, zone: i64) -> Option<String> {
    all_gauss_krueger().find_map(|(epsg, g)| {
        (g.datum == datum && g.zone == Some(zone))
            .then(|| format!("EPSG:{epsg} ({}° zone {zone})", g.width))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decode_to_their_zone_and_datum() {
        let g = gauss_krueger(4527).unwrap();
        assert_eq!(
            (g.datum, g.width, g.central_meridian),
            (Datum::Cgcs2000, 3, 117)
        );
        assert_eq!(g.false_easting(), 39_500_000);
        let g = gauss_krueger(2385).unwrap();
        assert_eq!(
            (g.datum, g.zone, g.central_meridian),
            (Datum::Xian1980, None, 120)
        );
        let g = gauss_krueger(21418).unwrap();
        assert_eq!(
            (g.datum, g.zone, g.central_meridian),
            (Datum::Beijing1954, Some(18), 105)
        );
        assert_eq!(all_gauss_krueger().count(), 64 * 3);
        assert!(gauss_krueger(4555).is_none() && gauss_krueger(2326).is_none());
    }
}
