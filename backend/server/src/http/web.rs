//! The web app's files: the built front end at `/`, MapLibre under `/maplibre/`. A release
//! carries them inside the binary (built into `dist/web` by `cargo xtask web` before the binary
//! is compiled); `--web DIR` serves a folder instead, for development. Files go out gzipped to
//! browsers that accept it (the wasm bundle shrinks to about a third).

use std::borrow::Cow;
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The built web app, inside the binary.
#[derive(rust_embed::Embed)]
#[folder = "../../dist/web"]
#[allow_missing = true]
struct Built;

/// Where the web app's files come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WebApp {
    /// The web app this binary was built with.
    #[default]
    Embedded,
    /// A built web app in a folder (index.html, the wasm bundle, MapLibre's dist folder).
    Dir(PathBuf),
    /// No web app: the API alone.
    None,
}

impl WebApp {
    /// Whether this binary was built with the web app in it.
    pub fn embedded_present() -> bool {
        Built::get("index.html").is_some()
    }
}

/// The routes serving the web app, if there is one.
pub fn routes(web: WebApp) -> Option<Router> {
    match web {
        WebApp::Embedded if WebApp::embedded_present() => Some(
            Router::new()
                .fallback(axum::routing::get(embedded))
                .layer(CompressionLayer::new()),
        ),
        WebApp::Dir(dir) => {
            let index = dir.join("index.html");
            Some(
                Router::new()
                    .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
                    .layer(CompressionLayer::new()),
            )
        }
        WebApp::Embedded | WebApp::None => None,
    }
}

/// One embedded file; a path that names none is the app's own (its views), answered with
/// index.html. Files are revalidated by their SHA-256 (`ETag`), so a new release is seen at once
/// and an unchanged file costs a 304.
async fn embedded(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (name, file) = match Built::get(path).filter(|_| !path.is_empty()) {
        Some(file) => (Cow::Borrowed(path), file),
        None => match Built::get("index.html") {
            Some(file) => (Cow::Borrowed("index.html"), file),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let tag = format!("\"{}\"", hex::encode(file.metadata.sha256_hash()));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let tag = HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    let revalidate = HeaderValue::from_static("no-cache");
    if fresh {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag), (header::CACHE_CONTROL, revalidate)],
        )
            .into_response();
    }
    let mime = HeaderValue::from_str(file.metadata.mimetype())
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    tracing::trace!(file = %name, "web app file");
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::ETAG, tag),
            (header::CACHE_CONTROL, revalidate),
        ],
        file.data,
    )
        .into_response()
}
