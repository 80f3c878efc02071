//! A coordinate system from its WKT, as a Shapefile's `.prj` or a GeoPackage's SRS table gives
//! it (ESRI's or OGC's dialect), read with `proj4wkt`. A Gauss–Krüger system of a datum citygrid
//! knows is taken as its EPSG code, so the zone checks apply to it; another projected system is
//! used by its PROJ definition.

use std::collections::HashMap;

use citygrid_core::Crs;

use super::crs_codes::{self, Datum};
use super::source_crs::{CrsError, SourceCrs};

/// The datum whose ellipsoid has this semi-major axis.
fn datum_of(params: &HashMap<&str, &str>) -> Option<Datum> {
    let a = match params.get("ellps").copied() {
        Some("GRS80" | "WGS84") => 6_378_137.0,
        Some("krass") => 6_378_245.0,
        Some("IAU76") => 6_378_140.0,
        _ => params.get("a")?.parse::<f64>().ok()?,
    };
    [Datum::Cgcs2000, Datum::Xian1980, Datum::Beijing1954]
        .into_iter()
        .find(|d| (d.semi_major_axis() - a).abs() < 0.5)
}

fn number(params: &HashMap<&str, &str>, key: &str) -> Option<f64> {
    params.get(key).and_then(|v| v.parse().ok())
}

/// The coordinate system a WKT describes.
pub fn from_wkt(wkt: &str) -> Result<SourceCrs, CrsError> {
    let definition = proj4wkt::wkt_to_projstring(wkt.trim())
        .map_err(|e| CrsError::Wkt(format!("not WKT citygrid can read: {e}")))?;
    let params: HashMap<&str, &str> = definition
        .split_whitespace()
        .filter_map(|p| {
            let p = p.strip_prefix('+')?;
            Some(p.split_once('=').unwrap_or((p, "")))
        })
        .collect();
    let datum = datum_of(&params);
    let no_shift = params
        .get("towgs84")
        .is_none_or(|t| t.split(',').all(|v| v.parse::<f64>() == Ok(0.0)));
    match params.get("proj").copied() {
        Some("longlat") if datum == Some(Datum::Cgcs2000) => {
            return Ok(SourceCrs::Geographic(Crs::Wgs84));
        }
        Some("longlat") => {
            return Err(CrsError::Wkt(
                "longitude and latitude on another datum than WGS 84 or CGCS2000".to_owned(),
            ));
        }
        Some("tmerc") => {
            let gauss_krueger = number(&params, "k") == Some(1.0)
                && number(&params, "lat_0").unwrap_or(0.0) == 0.0
                && number(&params, "y_0").unwrap_or(0.0) == 0.0;
            let lon_0 = number(&params, "lon_0");
            let x_0 = number(&params, "x_0");
            if let (true, Some(datum), Some(lon_0), Some(x_0)) = (gauss_krueger, datum, lon_0, x_0)
            {
                // A 6° zone's central meridian is also a 3° one's; both project alike, and
                // city data is mostly in 3° zones.
                let code = crs_codes::all_gauss_krueger()
                    .filter(|(_, g)| {
                        g.datum == datum
                            && g.central_meridian as f64 == lon_0
                            && g.false_easting() as f64 == x_0
                    })
                    .min_by_key(|(_, g)| g.width);
                let known = code.filter(|_| no_shift);
                if let Some(crs) = known.and_then(|(epsg, _)| SourceCrs::from_epsg(epsg)) {
                    return Ok(crs);
                }
            }
        }
        _ => {}
    }
    let name = wkt
        .split('"')
        .nth(1)
        .filter(|n| !n.is_empty())
        .unwrap_or("the file's coordinate system")
        .to_owned();
    let cleaned: Vec<&str> = definition
        .split_whitespace()
        .filter(|p| !(no_shift && p.starts_with("+towgs84=")))
        .collect();
    let legacy = datum.filter(|d| d.needs_shift() && no_shift);
    SourceCrs::from_definition(name, cleaned.join(" "), legacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_ZONE_39: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const OGC_CM_117: &str = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","4548"]]"#;
    const XIAN_CM_117: &str = r#"PROJCS["Xian_1980_3_Degree_GK_CM_117E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const UTM_50N: &str = r#"PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const GEOGRAPHIC: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

    #[test]
    fn gauss_krueger_prj_files_are_read_as_their_epsg_code() {
        assert_eq!(from_wkt(ESRI_ZONE_39).unwrap().epsg(), Some(4527));
        assert_eq!(from_wkt(OGC_CM_117).unwrap().epsg(), Some(4548));
        let xian = from_wkt(XIAN_CM_117).unwrap();
        assert_eq!(xian.epsg(), Some(2384));
        assert!(xian.ready().unwrap_err().to_string().contains("--towgs84"));
        assert!(matches!(
            from_wkt(GEOGRAPHIC),
            Ok(SourceCrs::Geographic(Crs::Wgs84))
        ));
    }

    #[test]
    fn another_projection_is_used_by_its_definition_as_proj_reads_it() {
        let utm = from_wkt(UTM_50N).unwrap();
        assert_eq!(utm.epsg(), None);
        assert_eq!(utm.name(), "WGS_1984_UTM_Zone_50N");
        let by_code: SourceCrs = "EPSG:32650".parse().unwrap();
        let (x, y) = (448_251.9, 3_543_208.4);
        let (a, b) = (utm.to_wgs84(x, y).unwrap(), by_code.to_wgs84(x, y).unwrap());
        assert!((a.lon - b.lon).abs() < 1e-9 && (a.lat - b.lat).abs() < 1e-9);
    }

    #[test]
    fn unreadable_wkt_is_said_and_asks_for_the_code() {
        let err = from_wkt("LOCAL_CS[nonsense").unwrap_err().to_string();
        assert!(err.contains("--crs"), "{err}");
    }
}
