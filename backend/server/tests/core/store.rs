//! The embedded store: round trips, the GeoPackage file, atomic re-imports.

use std::process::Command;
use std::sync::Arc;

use citygrid::district::District;
use citygrid::import::FileFormat;
use citygrid::store::{DistrictStore, SqliteStore};
use citygrid_core::Crs;
use citygrid_core::layer::Layer;

use crate::support::demo_base;

#[tokio::test]
async fn the_database_file_is_a_geopackage_that_gdal_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("district.gpkg");
    let store = SqliteStore::open(&path).await.unwrap();
    store
        .replace_layers(demo_base().clone().into_rows())
        .await
        .unwrap();
    drop(store);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(&path)
        .output()
        .expect("ogrinfo (Debian package gdal-bin) must be installed for this test: apt-get install gdal-bin");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (layer, kind) in [
        ("communities", "Multi Polygon"),
        ("grids", "Multi Polygon"),
        ("streets", "Multi Line String"),
        ("zones", "Multi Polygon"),
        ("components", "Point"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!(": {layer} ({kind})"))),
            "{layer} ({kind}) not listed:\n{text}"
        );
    }
    // Shops mix door points and door-front polygons: a layer of any geometry type.
    assert!(
        text.lines()
            .any(|l| l.ends_with(": shops") || l.contains(": shops (")),
        "{text}"
    );
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(&path)
        .arg("grids")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Feature Count: {}", demo_base().grids.len())),
        "{text}"
    );
    assert!(text.contains("EPSG") || text.contains("WGS 84"), "{text}");
}

async fn demo_district() -> District {
    crate::support::demo_district().await
}

#[tokio::test]
async fn a_rejected_import_changes_nothing_and_a_good_one_replaces_the_layer() {
    let district = demo_district().await;
    let before = district.atlas();
    let bad = br#"{"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.95],[116.801,33.951],[116.8,33.951],[116.8,33.95]]]},"properties":{"code":"G1"}},
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.951],[116.801,33.95],[116.8,33.951],[116.8,33.95]]]},"properties":{"code":"G2"}}]}"#;
    let err = district
        .import_layer(Layer::Grids, bad, FileFormat::GeoJson, &Crs::Wgs84.into())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("feature 1 (G2), field `geometry`"),
        "{err}"
    );
    assert!(
        Arc::ptr_eq(&before, &district.atlas()),
        "the atlas was not swapped"
    );
    assert_eq!(
        district.store().load_base().await.unwrap().grids.len(),
        demo_base().grids.len()
    );

    let one = br#"{"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.95],[116.801,33.951],[116.8,33.951],[116.8,33.95]]]},"properties":{"code":"G1","community":"nowhere"}}]}"#;
    let report = district
        .import_layer(Layer::Grids, one, FileFormat::GeoJson, &Crs::Wgs84.into())
        .await
        .unwrap();
    assert_eq!(report.count, 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("unknown community nowhere")),
        "{:?}",
        report.warnings
    );
    assert_eq!(district.atlas().base().grids.len(), 1);
    assert_eq!(district.store().load_base().await.unwrap().grids.len(), 1);
    // Other layers are untouched.
    assert_eq!(district.atlas().base().shops, demo_base().shops);
}

/// Every position of a GeoJSON value, projected from WGS 84 longitude and latitude into
/// CGCS2000 3° Gauss–Krüger zone 39 with the zone number (EPSG:4527), as a bureau's file has it.
fn into_gauss_krueger(value: &mut serde_json::Value, forward: &dyn Fn(f64, f64) -> (f64, f64)) {
    match value {
        serde_json::Value::Array(items)
            if items.len() >= 2 && items.iter().all(serde_json::Value::is_number) =>
        {
            let (x, y) = forward(items[0].as_f64().unwrap(), items[1].as_f64().unwrap());
            *value = serde_json::json!([x, y]);
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|v| into_gauss_krueger(v, forward)),
        serde_json::Value::Object(map) => map
            .values_mut()
            .for_each(|v| into_gauss_krueger(v, forward)),
        _ => {}
    }
}

#[tokio::test]
async fn layers_written_in_gauss_krueger_with_chinese_field_names_give_the_same_answers() {
    use citygrid::atlas::LocateOptions;
    use geo::Centroid;
    use proj4rs::proj::Proj;
    let base = demo_base();
    let zone = Proj::from_proj_string(
        "+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs",
    )
    .unwrap();
    let geographic = Proj::from_proj_string("+proj=longlat +ellps=GRS80 +no_defs").unwrap();
    let forward = |lon: f64, lat: f64| {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&geographic, &zone, &mut p).unwrap();
        (p.0, p.1)
    };
    let district = demo_district().await;
    let before = district.atlas();
    let crs: citygrid::import::SourceCrs = "EPSG:4527".parse().unwrap();
    for layer in [Layer::Grids, Layer::Streets] {
        let mut file = citygrid::export::layer_geojson(base, layer, None);
        into_gauss_krueger(&mut file, &forward);
        // And with the Chinese field names such files carry.
        let chinese: &[(&str, &str)] = if layer == Layer::Grids {
            &[
                ("code", "网格编码"),
                ("name", "网格名称"),
                ("community", "社区编码"),
            ]
        } else {
            &[
                ("name", "道路名称"),
                ("class", "道路等级"),
                ("left_from", "左起号"),
                ("left_to", "左止号"),
                ("right_from", "右起号"),
                ("right_to", "右止号"),
            ]
        };
        for feature in file["features"].as_array_mut().unwrap() {
            let properties = feature["properties"].as_object_mut().unwrap();
            for (ours, theirs) in chinese {
                if let Some(v) = properties.remove(*ours) {
                    properties.insert((*theirs).to_owned(), v);
                }
            }
        }
        assert!(file.to_string().contains("网格编码") || layer == Layer::Streets);
        let easting = file["features"][0]["geometry"]["coordinates"].to_string();
        assert!(
            easting.contains("[39"),
            "the file is in metres with the zone number: {easting}"
        );
        let report = district
            .import_layer(
                layer,
                file.to_string().as_bytes(),
                FileFormat::GeoJson,
                &crs,
            )
            .await
            .unwrap();
        assert_eq!(
            report.count,
            if layer == Layer::Grids {
                base.grids.len()
            } else {
                base.streets.len()
            }
        );
    }
    let after = district.atlas();
    // Points across the district (inside cells, and off their centres towards the streets): the
    // same cell and the same street at the same distance.
    let points: Vec<citygrid_core::LonLat> = base
        .grids
        .iter()
        .step_by(23)
        .filter_map(|g| g.geometry.centroid())
        .flat_map(|c| [(0.0, 0.0), (0.0004, 0.0003)].map(|(dx, dy)| (c.x() + dx, c.y() + dy)))
        .map(|(lon, lat)| citygrid_core::LonLat::new(lon, lat).unwrap())
        .collect();
    assert!(points.len() > 20);
    for p in points {
        let (a, b) = (
            before.locate(p, &LocateOptions::default()),
            after.locate(p, &LocateOptions::default()),
        );
        assert_eq!(
            a.grid.as_ref().map(|g| g.code.clone()),
            b.grid.as_ref().map(|g| g.code.clone()),
            "{p:?}"
        );
        let street = |l: &citygrid_core::api::Location| {
            l.street
                .as_ref()
                .map(|s| (s.name.to_string(), (s.distance_m * 100.0).round()))
        };
        assert_eq!(
            street(&a),
            street(&b),
            "{p:?}: the same street at the same distance (cm)"
        );
        assert!(
            a.grid.is_some() || a.street.is_some(),
            "{p:?} is not in the district"
        );
    }
}
