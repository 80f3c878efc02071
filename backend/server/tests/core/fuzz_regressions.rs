//! Every seed of the fuzz targets and every input that once made one fail (`fuzz/seeds/`,
//! `fuzz/regressions/`), run through the same entry points without libFuzzer: each must return.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz"));
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

fn run(target: &str, entry: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no seeds for {target}");
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(|| entry(&bytes));
        assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
    }
}

#[test]
fn geojson_import_inputs_are_answered() {
    run("geojson_import", citygrid::fuzz_entry::geojson_import);
}

#[test]
fn shapefile_import_inputs_are_answered() {
    run("shapefile_import", citygrid::fuzz_entry::shapefile_import);
}

#[test]
fn osm_import_inputs_are_answered() {
    run("osm_import", citygrid::fuzz_entry::osm_import);
}

#[test]
fn geocode_inputs_are_answered() {
    run("geocode", citygrid::fuzz_entry::geocode);
}

#[test]
fn open311_form_inputs_are_answered() {
    run("open311_form", citygrid::fuzz_entry::open311_form);
}

#[test]
fn photo_strip_inputs_are_answered() {
    run("photo_strip", citygrid::fuzz_entry::photo_strip);
}

#[test]
fn core_text_inputs_are_answered() {
    run("core_text", citygrid::fuzz_entry::core_text);
}
