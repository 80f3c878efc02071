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
        .import_layer(Layer::Grids, bad, FileFormat::GeoJson, Crs::Wgs84)
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
        .import_layer(Layer::Grids, one, FileFormat::GeoJson, Crs::Wgs84)
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
