//! The MapLibre map, driven through the small module `static/map.js` (`window.citygridMap`).
//! Collections cross as JSON text.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Creates the map in the element with this id; `on_click(lon, lat)` answers clicks on the
    /// map, `on_case(id)` clicks on a case; `config` is the district as `/district` gives it.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = create)]
    pub fn create(
        container: &str,
        on_click: &Closure<dyn FnMut(f64, f64)>,
        on_case: &Closure<dyn FnMut(f64)>,
        config: &str,
    );

    /// Colours shops by their door-front rating (a JSON array of `ShopRating`).
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setShopRatings)]
    pub fn set_shop_ratings(json: &str);

    /// Shows or hides one base layer (`grids`, `communities`, …).
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setVisible)]
    pub fn set_visible(layer: &str, visible: bool);

    /// Marks a point and brings it into view.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = showPoint)]
    pub fn show_point(lon: f64, lat: f64);

    /// The extent of a layer file about to be imported, outlined and brought into view (`NaN`s
    /// clear it).
    #[wasm_bindgen(js_namespace = citygridMap, js_name = showExtent)]
    pub fn show_extent(west: f64, south: f64, east: f64, north: f64);

    /// The cases drawn (a `format=points` FeatureCollection), clustered.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setCases)]
    pub fn set_cases(geojson: &str);

    /// Officers' positions: `[{code, lon, lat, status}]`.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setOfficers)]
    pub fn set_officers(json: &str);

    /// Candidates for the case at `lon, lat`: `[{officer, rank, lon, lat}]`.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setCandidates)]
    pub fn set_candidates(json: &str, lon: f64, lat: f64);

    /// A campaign's actions: `[{id, lon, lat}]` (an empty list clears them).
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setActions)]
    pub fn set_actions(json: &str);

    /// Grid cells coloured: `{code: "#rrggbb"}`.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setGridColours)]
    pub fn set_grid_colours(json: &str);

    /// The heat surface (`/analytics/heat`'s `heat`), or `null` to clear it.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = setHeat)]
    pub fn set_heat(json: &str);

    /// The case colours by status (JSON `{status: "#rrggbb"}`), for the legends.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = statusColours)]
    pub fn status_colours() -> String;

    /// The phone's own position (WGS 84, accuracy in metres), marked and brought into view.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = showSelf)]
    pub fn show_self(lon: f64, lat: f64, accuracy: f64);

    /// The names of a base layer's features (codes where they have none), sorted, as JSON.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = names)]
    pub fn names(layer: &str) -> String;

    /// Call after the map's box changed size.
    #[wasm_bindgen(js_namespace = citygridMap, js_name = resize)]
    pub fn resize();

    /// The device's position: `on_fix(lon, lat, accuracy)`, NaN when unavailable.
    #[wasm_bindgen(js_namespace = citygridDevice, js_name = locate)]
    pub fn locate_device(on_fix: &Closure<dyn FnMut(f64, f64, f64)>);
}

/// The base layers the map draws, in drawing order (bottom first).
pub const LAYERS: [&str; 7] = [
    "sections",
    "communities",
    "zones",
    "grids",
    "streets",
    "components",
    "shops",
];

/// Whether a base layer is drawn before the user asks (contract sections are not).
pub fn shown_at_start(layer: &str) -> bool {
    layer != "sections"
}

/// An officer drawn on the map.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OfficerMark {
    pub code: String,
    pub lon: f64,
    pub lat: f64,
    pub status: String,
}

/// A candidate drawn on the map, labelled with rank and arrival time.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CandidateMark {
    pub officer: String,
    pub rank: usize,
    pub lon: f64,
    pub lat: f64,
    pub label: String,
}

/// Draws officers' positions.
pub fn draw_officers(marks: &[OfficerMark]) {
    set_officers(&serde_json::to_string(marks).unwrap_or_else(|_| "[]".into()));
}

/// Draws the candidates for the case at `lon, lat`.
pub fn draw_candidates(marks: &[CandidateMark], lon: f64, lat: f64) {
    set_candidates(
        &serde_json::to_string(marks).unwrap_or_else(|_| "[]".into()),
        lon,
        lat,
    );
}

/// Reads the shops' current ratings and colours them on the map.
pub async fn show_shop_ratings() {
    if let Ok(r) =
        crate::api::get::<citygrid_core::api::assessments::ShopRatings>("/api/v1/shops/ratings")
            .await
        && let Ok(json) = serde_json::to_string(&r.ratings)
    {
        set_shop_ratings(&json);
    }
}
