//! The inputs strangers can send, as the fuzz targets (`fuzz/`) and their regression test
//! drive them: arbitrary bytes go in the way they arrive in production, and each function must
//! return — an `Err` is a fine answer, a panic, hang or abort is a bug.

use std::sync::OnceLock;

use citygrid_core::Crs;
use citygrid_core::layer::Layer;

use crate::atlas::{Atlas, GeocodeOptions};
use crate::import::{self, FileFormat, osm};

/// A base-layer file as `citygrid import` or an admin's upload gives it: the first byte picks
/// the layer and the format, the second the coordinate system, the rest is the file.
pub fn geojson_import(data: &[u8]) {
    let [layer, crs, file @ ..] = data else {
        return;
    };
    let layer = Layer::ALL[usize::from(*layer) % Layer::ALL.len()];
    let format = match (layer, layer_byte_format(data[0])) {
        (Layer::Officers, 0) => FileFormat::Csv,
        (Layer::Officers, _) => FileFormat::Json,
        _ => FileFormat::GeoJson,
    };
    let crs = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09][usize::from(*crs) % 3];
    let _ = import::parse_layer(layer, file, format, &crs.into());
}

fn layer_byte_format(b: u8) -> u8 {
    (b / 8) % 2
}

/// An OpenStreetMap extract as `citygrid import-osm` reads it.
pub fn osm_import(data: &[u8]) {
    let _ = osm::import_osm(data, &osm::OsmOptions::default());
}

/// The demo district's atlas, built once: what a free-text address is matched against.
pub fn demo_atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| Atlas::build(crate::demo::generate(), chrono_tz::Asia::Shanghai))
}

/// Free text as a dispatcher types it into `GET /geocode?q=` (invalid UTF-8 is replaced, as
/// the query decoder would refuse it before).
pub fn geocode(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = demo_atlas().geocode(&text, GeocodeOptions { limit: 8 });
}

/// An Open311 service request as a client posts it: the first byte says form or JSON.
pub fn open311_form(data: &[u8]) {
    let [kind, body @ ..] = data else {
        return;
    };
    let content_type = if kind % 2 == 1 {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let _ = crate::http::open311::form::api_key(Some(content_type), body);
    let _ = crate::http::open311::form::parse(Some(content_type), body);
}

/// A photo as a case report uploads it: the first byte picks the type it is declared as, the
/// rest is the file whose metadata is taken out.
pub fn photo_strip(data: &[u8]) {
    let [kind, photo @ ..] = data else {
        return;
    };
    let content_type = ["image/jpeg", "image/png", "image/webp"][usize::from(*kind) % 3];
    let _ = crate::cases::exif::strip(photo, content_type);
}

/// Text a user types that `citygrid-core` reads: the first byte picks the reader (a time
/// limit, zone hours, a date or time, a bounding box, a coordinate system, a slice, a role, a
/// duty status, a travel mode, a case status, address normalisation and house numbers, a
/// catalogue or calendar document); the rest is the text.
pub fn core_text(data: &[u8]) {
    use std::str::FromStr;

    use citygrid_core::api::query::{Bbox, When};
    let [kind, text @ ..] = data else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let text = text.as_ref();
    match kind % 13 {
        0 => drop(citygrid_core::category::TimeLimit::from_str(text)),
        1 => drop(citygrid_core::zone::Hours::from_str(text)),
        2 => drop(When::from_str(text)),
        3 => drop(Bbox::from_str(text)),
        4 => drop(Crs::from_str(text)),
        5 => drop(citygrid_core::slice::Slice::from_str(text)),
        6 => drop(citygrid_core::account::Role::from_str(text)),
        7 => drop(citygrid_core::officer::DutyStatus::from_str(text)),
        8 => drop(citygrid_core::api::dispatch::Mode::from_str(text)),
        9 => drop(citygrid_core::case::Status::from_str(text)),
        10 => {
            let _ = citygrid_core::text::normalise(text);
            let _ = citygrid_core::text::house_number(text);
        }
        11 => drop(citygrid_core::category::Catalogue::from_json(text)),
        _ => drop(citygrid_core::calendar::WorkingCalendar::from_json(text)),
    }
}

/// A Shapefile as an admin uploads it or `citygrid import` reads it: a `.zip` (bytes starting
/// `PK`), or else the first two bytes say how long the `.shp` and `.shx` are (in 64-byte units)
/// and the rest is the `.shp`, `.shx` and `.dbf`; what reads is then checked as a layer.
pub fn shapefile_import(data: &[u8]) {
    use crate::import::shapefile_read::{self, ShapefileParts};
    let options = import::ReadOptions::default();
    let check = |file: import::SourceFile| {
        let _ = import::parse_files(Layer::Grids, vec![file], &options);
    };
    if data.starts_with(b"PK") {
        if let Ok(sets) = shapefile_read::parts_from_zip("fuzz.zip", data) {
            for parts in sets {
                if let Ok(file) = shapefile_read::read(parts, None) {
                    check(file);
                }
            }
        }
        return;
    }
    let [shp_len, shx_len, rest @ ..] = data else {
        return;
    };
    let (shp, rest) = rest.split_at((usize::from(*shp_len) * 64).min(rest.len()));
    let (shx, dbf) = rest.split_at((usize::from(*shx_len) * 64).min(rest.len()));
    let parts = ShapefileParts {
        name: "fuzz.shp".to_owned(),
        shp: shp.to_vec(),
        shx: Some(shx.to_vec()),
        dbf: Some(dbf.to_vec()),
        prj: None,
        cpg: None,
    };
    if let Ok(file) = shapefile_read::read(parts, None) {
        check(file);
    }
}
