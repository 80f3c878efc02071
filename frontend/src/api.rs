//! Calls to citygrid's HTTP API.

use citygrid_core::api::{GeocodeCandidate, Location};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a call failed, in words for the user.
pub type ApiResult<T> = Result<T, String>;

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "network error".to_owned())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "bad response".to_owned())?;
    let text = JsFuture::from(response.text().map_err(|_| "bad response".to_owned())?)
        .await
        .map_err(|_| "bad response".to_owned())?
        .as_string()
        .unwrap_or_default();
    if !response.ok() {
        let detail = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["detail"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("HTTP {}", response.status()));
        return Err(detail);
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}

pub async fn locate(lon: f64, lat: f64) -> ApiResult<Location> {
    get(&format!("/api/v1/locate?lon={lon}&lat={lat}")).await
}

#[derive(serde::Deserialize)]
struct Geocoded {
    candidates: Vec<GeocodeCandidate>,
}

pub async fn geocode(q: &str) -> ApiResult<Vec<GeocodeCandidate>> {
    let found: Geocoded = get(&format!("/api/v1/geocode?q={}&limit=8", encode(q))).await?;
    Ok(found.candidates)
}
