//! The command line as a user runs it.

use crate::support::{repo, run};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn import_locate_and_geocode_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.gpkg");
    let demo = repo().join("data/demo");
    for layer in [
        "communities",
        "grids",
        "streets",
        "shops",
        "zones",
        "components",
    ] {
        let file = demo.join(format!("{layer}.geojson"));
        let out = run(&db, &["import", layer, file.to_str().unwrap()]);
        assert!(out.status.success(), "{layer}: {}", stderr(&out));
        assert!(stdout(&out).starts_with("imported "), "{}", stdout(&out));
    }
    let officers = demo.join("officers.csv");
    let out = run(&db, &["import", "officers", officers.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 48 officers"),
        "{}",
        stdout(&out)
    );

    let out = run(&db, &["locate", "116.7969832", "33.954102"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let loc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(loc["street"]["name"], "人民路");

    let out = run(&db, &["geocode", "人民路与长山北路交叉口"]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["kind"], "intersection");
}

#[test]
fn a_bad_file_is_rejected_with_the_feature_named_and_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.gpkg");
    let grids = repo().join("data/demo/grids.geojson");
    assert!(
        run(&db, &["import", "grids", grids.to_str().unwrap()])
            .status
            .success()
    );
    let bad = dir.path().join("bad.geojson");
    std::fs::write(
        &bad,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.95],[116.801,33.951],[116.8,33.951],[116.8,33.95]]]},"properties":{"code":"G1"}},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.951],[116.801,33.95],[116.8,33.951],[116.8,33.95]]]},"properties":{"code":"G2"}}]}"#,
    )
    .unwrap();
    let out = run(&db, &["import", "grids", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("bad.geojson")
            && err.contains("feature 1 (G2), field `geometry`")
            && err.contains("self-intersection"),
        "{err}"
    );
    // Nothing already stored was lost.
    let out = run(&db, &["locate", "116.7969832", "33.954102"]);
    let loc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(loc["grid"]["code"], "340688001002022");

    let out = run(
        &db,
        &[
            "import",
            "grids",
            dir.path().join("missing.geojson").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success() && stderr(&out).contains("missing.geojson"));
    let out = run(&db, &["import", "roads", grids.to_str().unwrap()]);
    assert!(
        !out.status.success() && stderr(&out).contains("unknown layer"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_openstreetmap_extract_becomes_a_district() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.gpkg");
    let pbf = repo().join("data/osm/helsinki-center.osm.pbf");
    let out = run(
        &db,
        &[
            "import-osm",
            pbf.to_str().unwrap(),
            "--grid-size",
            "100",
            "--district-code",
            "091000",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("streets"), "{}", stdout(&out));
    let out = run(
        &db,
        &[
            "--timezone",
            "Europe/Helsinki",
            "geocode",
            "Mannerheimintie 5",
        ],
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["kind"], "address_point", "{found}");
    let (lon, lat) = (
        found[0]["point"]["lon"].as_f64().unwrap(),
        found[0]["point"]["lat"].as_f64().unwrap(),
    );
    let out = run(&db, &["locate", &lon.to_string(), &lat.to_string()]);
    let loc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        loc["grid"]["code"]
            .as_str()
            .unwrap()
            .starts_with("091000001"),
        "{loc}"
    );
}

#[test]
fn historical_cases_import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.gpkg");
    let demo = repo().join("data/demo");
    for layer in ["communities", "grids", "streets", "shops", "zones"] {
        let file = demo.join(format!("{layer}.geojson"));
        assert!(
            run(&db, &["import", layer, file.to_str().unwrap()])
                .status
                .success()
        );
    }
    let csv = dir.path().join("cases.csv");
    std::fs::write(&csv, "category,source,created_at,address\n0502,patrol,2026-03-02 09:15,人民路151号\n0501,radio,2026-03-02 09:20,人民路152号\n").unwrap();
    let out = run(&db, &["import-cases", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("line 3, field `source`"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &["import-cases", csv.to_str().unwrap(), "--skip-invalid"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("imported 1 cases") && text.contains("skipped line 3"),
        "{text}"
    );
}
