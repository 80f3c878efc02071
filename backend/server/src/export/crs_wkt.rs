//! The WKT of the systems citygrid writes files in — WGS 84, and the CGCS2000 Gauss–Krüger and
//! WGS 84 UTM zones — with their EPSG authority, for a Shapefile's `.prj` and a GeoPackage's SRS
//! table, so GIS software recognises the code.

use crate::import::SourceCrs;

const WGS84: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#;
const CGCS2000: &str = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]"#;

/// A system a file can be written in: its EPSG code, name and WKT.
#[derive(Debug, Clone)]
pub struct Srs {
    pub epsg: u32,
    pub name: String,
    pub wkt: String,
}

/// The system as written, or none where citygrid does not write files in it.
pub fn srs(crs: &SourceCrs) -> Option<Srs> {
    if let SourceCrs::Geographic(citygrid_core::Crs::Wgs84) = crs {
        return Some(Srs {
            epsg: 4326,
            name: "WGS 84".to_owned(),
            wkt: WGS84.to_owned(),
        });
    }
    let t = crs.transverse_mercator()?;
    let geographic = if t.cgcs2000 { CGCS2000 } else { WGS84 };
    let wkt = format!(
        r#"PROJCS["{name}",{geographic},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{cm}],PARAMETER["scale_factor",{k}],PARAMETER["false_easting",{x0}],PARAMETER["false_northing",{y0}],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","{epsg}"]]"#,
        name = t.name,
        cm = t.central_meridian,
        k = t.scale,
        x0 = t.false_easting,
        y0 = t.false_northing,
        epsg = t.epsg,
    );
    Some(Srs {
        epsg: t.epsg,
        name: t.name,
        wkt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_systems_read_back_as_their_code() {
        for code in [
            "EPSG:4527",
            "EPSG:4548",
            "EPSG:4498",
            "EPSG:32650",
            "EPSG:4326",
        ] {
            let crs: SourceCrs = code.parse().unwrap();
            let srs = srs(&crs).unwrap();
            let back = crate::import::crs_from_wkt(&srs.wkt).unwrap();
            assert_eq!(back.epsg().or(Some(srs.epsg)), Some(srs.epsg), "{code}");
            if srs.epsg != 4326 && srs.epsg != 32650 {
                assert_eq!(back.epsg(), crs.epsg(), "{code}");
            }
        }
        for refused in ["EPSG:2385", "gcj02", "EPSG:3857"] {
            let crs: SourceCrs = refused.parse().unwrap();
            assert!(srs(&crs).is_none(), "{refused}");
        }
    }
}
