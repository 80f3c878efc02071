//! citygrid's web app: a leptos client-side app around a MapLibre map.
//!
//! The map itself lives in `static/map.js` (MapLibre is a JavaScript library); this crate owns
//! the page, the state and every call to the API. Chinese first, English switchable.
#![forbid(unsafe_code)]

mod api;
mod app;
mod i18n;
mod login;
mod map;
mod panel;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, called by wasm-bindgen when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
