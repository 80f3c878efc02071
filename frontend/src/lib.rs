//! citygrid's web app: a leptos client-side app around a MapLibre map.
//!
//! The map itself lives in `static/map.js` (MapLibre is a JavaScript library); this crate owns
//! the page, the state and every call to the API. Chinese first, English switchable.
#![forbid(unsafe_code)]

mod api;
mod app;
mod case_detail;
mod cases;
mod confirm;
mod context;
mod i18n;
mod latest;
mod legend;
mod live;
mod login;
mod map;
mod panel;
mod password;
mod problem_text;
mod shell;
mod views;

use citygrid_core::LonLat;
use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, called by wasm-bindgen when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}

/// WGS 84 → GCJ-02, for the map when its background tiles are GCJ-02: `[lon, lat]`.
#[wasm_bindgen]
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> Vec<f64> {
    let p = citygrid_core::crs::wgs84_to_gcj02(LonLat { lon, lat });
    vec![p.lon, p.lat]
}

/// GCJ-02 → WGS 84 (a click on GCJ-02 tiles back to the data's system): `[lon, lat]`.
#[wasm_bindgen]
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> Vec<f64> {
    let p = citygrid_core::crs::gcj02_to_wgs84(LonLat { lon, lat });
    vec![p.lon, p.lat]
}
