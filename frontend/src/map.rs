//! The MapLibre map, driven through the small module `static/map.js` (`window.citygridMap`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Creates the map in the element with this id; `on_click(lon, lat)` is called on clicks.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = create)]
    pub fn create(container: &str, on_click: &Closure<dyn FnMut(f64, f64)>);

    /// Shows or hides one base layer (`grids`, `communities`, …).
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setVisible)]
    pub fn set_visible(layer: &str, visible: bool);

    /// Marks a point and brings it into view.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = showPoint)]
    pub fn show_point(lon: f64, lat: f64);
}

/// The base layers the map draws, in drawing order (bottom first).
pub const LAYERS: [&str; 6] = [
    "communities",
    "zones",
    "grids",
    "streets",
    "components",
    "shops",
];
