//! The HTTP API (axum): JSON under `/api/v1`, GeoJSON for features, the web app at `/`.
//!
//! Handlers extract, call one service or atlas function, and respond; no SQL and no geometry
//! here. Every error is an [`ApiError`] rendered as RFC 7807 problem+json.

mod body;
mod cases;
pub mod endpoint;
mod error;
mod events;
mod geocode;
mod health;
mod layers;
mod locate;
pub mod open311;
mod params;
mod photos;
mod web;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::set_header::SetResponseHeaderLayer;

pub use endpoint::Endpoint;
pub use error::ApiError;

use crate::cases::CaseService;
use crate::district::District;

/// What every handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub district: District,
    pub cases: CaseService,
    pub open311: std::sync::Arc<open311::Open311Config>,
}

impl AppState {
    pub fn new(district: District, rules: std::sync::Arc<crate::cases::CaseRules>) -> Self {
        Self {
            cases: CaseService::new(district.clone(), rules),
            district,
            open311: std::sync::Arc::default(),
        }
    }

    /// With Open311 settings (the API keys that may post).
    #[must_use]
    pub fn with_open311(mut self, config: open311::Open311Config) -> Self {
        self.open311 = std::sync::Arc::new(config);
        self
    }
}

/// Largest request body accepted (a batch of points).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Every endpoint the application serves (besides the web app's files), with its handler.
pub fn endpoints() -> Vec<Endpoint> {
    let mut all = Vec::new();
    all.extend(health::endpoints());
    all.extend(layers::endpoints());
    all.extend(locate::endpoints());
    all.extend(geocode::endpoints());
    all.extend(cases::endpoints());
    all.extend(events::endpoints());
    all.extend(photos::endpoints());
    all.extend(open311::endpoints());
    all.push(
        Endpoint::new(
            "get",
            "/openapi.json",
            "district",
            "This document: the OpenAPI 3 description of every endpoint",
            axum::routing::get(openapi_json),
        )
        .ok(200, "application/json"),
    );
    all
}

async fn openapi_json() -> axum::Json<serde_json::Value> {
    axum::Json(endpoint::openapi(&endpoints()))
}

/// The whole application: the endpoints and, when `web_dir` is given, the web app.
pub fn app(state: AppState, web_dir: Option<PathBuf>) -> Router {
    let mut api: Router<AppState> = Router::new();
    let mut root: Router<AppState> = Router::new();
    for e in endpoints() {
        if e.base.is_empty() {
            root = root.route(e.path, e.handler);
        } else {
            api = api.route(e.path, e.handler);
        }
    }
    let api = api
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::map_response(
            error::problem_for_plain_errors,
        ))
        .with_state(state.clone());
    let router = Router::new()
        .nest("/api/v1", api)
        .merge(root.with_state(state));
    let router = match web_dir {
        Some(dir) => router.merge(web::routes(dir)),
        None => router.fallback(error::not_found),
    };
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(
        SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ),
    )
}
