//! The web app's files: the built front end at `/`, MapLibre under `/maplibre/`.

use std::path::PathBuf;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// Serves `dir` (index.html, the wasm bundle, MapLibre's dist folder).
pub fn routes(dir: PathBuf) -> Router {
    let index = dir.join("index.html");
    Router::new().fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
}
