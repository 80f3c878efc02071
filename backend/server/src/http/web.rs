//! The web app's files: the built front end at `/`, MapLibre under `/maplibre/`.

use std::path::PathBuf;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// Where the web app's files come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WebApp {
    /// A built web app in a folder (index.html, the wasm bundle, MapLibre's dist folder).
    Dir(PathBuf),
    /// No web app: the API alone.
    #[default]
    None,
}

/// The routes serving the web app, if there is one.
pub fn routes(web: WebApp) -> Option<Router> {
    match web {
        WebApp::Dir(dir) => {
            let index = dir.join("index.html");
            Some(Router::new().fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index))))
        }
        WebApp::None => None,
    }
}
