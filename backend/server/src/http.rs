//! The HTTP API (axum): JSON under `/api/v1`, GeoJSON for features, the web app at `/`.
//!
//! Handlers extract, call one service or atlas function, and respond; no SQL and no geometry
//! here. Every error is an [`ApiError`] rendered as RFC 7807 problem+json.

mod analytics;
mod approvals;
mod assessments;
mod audit;
mod audit_log;
pub mod auth;
mod campaigns;
mod cases;
mod checklists;
pub mod client_address;
mod csv_answer;
mod dispatch;
pub mod endpoint;
mod error;
mod events;
pub mod extract;
mod geocode;
mod geojson;
mod health;
mod hotline;
mod layer_upload;
mod layers;
mod locate;
mod login_throttles;
pub mod open311;
mod periods;
mod photos;
pub mod rate_limit;
mod record_errors;
mod reports;
pub mod session;
pub mod site;
mod users;
mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::set_header::SetResponseHeaderLayer;

pub use endpoint::Endpoint;
pub use error::ApiError;
pub use web::WebApp;

use crate::cases::CaseService;
use crate::district::District;

/// What every handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub district: District,
    pub cases: CaseService,
    pub dispatch: crate::dispatch::Dispatch,
    pub statistics: crate::statistics::Statistics,
    pub accounts: crate::accounts::Accounts,
    pub open311: std::sync::Arc<open311::Open311Config>,
    /// Origins whose web pages may call the API (CORS); none by default.
    pub cors_origins: std::sync::Arc<Vec<String>>,
    pub limiter: std::sync::Arc<rate_limit::RateLimiter>,
    /// Load balancers whose `X-Forwarded-For` names the client; none by default.
    pub proxies: std::sync::Arc<client_address::TrustedProxies>,
    /// The district's name and background tiles, as configured.
    pub site: std::sync::Arc<site::SiteConfig>,
    /// Whether answers carry `Strict-Transport-Security` (behind TLS).
    pub hsts: bool,
    /// The lanes of heavy work (statistics, reports, exports), shared by every request.
    pub heavy: crate::heavy::HeavyWork,
    /// The checklist templates assessments are scored by.
    pub checklists: crate::assessments::ChecklistBook,
    /// The assessment periods' ledger (sign-off, corrections, appeals).
    pub periods: crate::assessments::Periods,
    /// The campaign kinds and the items their actions tally.
    pub campaign_kinds: crate::campaigns::CampaignBook,
    /// The category suggester of hotline orders, trained on the bureau's cases.
    pub suggester: crate::hotline::SuggesterCell,
    /// The templates of the quarterly report's narrative draft.
    pub draft: crate::statistics::draft::DraftBook,
    /// The hotline's order types and reply times.
    pub hotline: crate::hotline::book::HotlineBook,
    /// The keys the city's 12345 platform pushes orders with; none by default.
    pub hotline_keys: std::sync::Arc<Vec<String>>,
}

impl AppState {
    pub fn new(district: District, rules: std::sync::Arc<crate::cases::CaseRules>) -> Self {
        let roster = crate::dispatch::Roster::new(district.store().clone());
        let limiter = rate_limit::RateLimiter::new(district.store().clone());
        let heavy = crate::heavy::HeavyWork::default();
        Self {
            cases: CaseService::new(district.clone(), rules).with_roster(roster.clone()),
            dispatch: crate::dispatch::Dispatch::new(district.clone(), roster),
            statistics: crate::statistics::Statistics::new(district.clone())
                .with_heavy(heavy.clone()),
            accounts: crate::accounts::Accounts::new(district.store().clone()),
            checklists: crate::assessments::ChecklistBook::new(district.store().clone()),
            periods: crate::assessments::Periods::default(),
            campaign_kinds: crate::campaigns::CampaignBook::new(district.store().clone()),
            suggester: crate::hotline::SuggesterCell::default(),
            hotline: crate::hotline::book::HotlineBook::new(district.store().clone()),
            draft: crate::statistics::draft::DraftBook::new(district.store().clone()),
            hotline_keys: std::sync::Arc::default(),
            district,
            open311: std::sync::Arc::default(),
            cors_origins: std::sync::Arc::default(),
            limiter: std::sync::Arc::new(limiter),
            proxies: std::sync::Arc::default(),
            site: std::sync::Arc::default(),
            hsts: false,
            heavy,
        }
    }

    /// With these lanes for heavy work (smaller ones in tests).
    #[must_use]
    pub fn with_heavy(mut self, heavy: crate::heavy::HeavyWork) -> Self {
        self.statistics = self.statistics.clone().with_heavy(heavy.clone());
        self.heavy = heavy;
        self
    }

    /// With `Strict-Transport-Security` on every answer (when served over HTTPS).
    #[must_use]
    pub fn with_hsts(mut self, hsts: bool) -> Self {
        self.hsts = hsts;
        self
    }

    /// With the keys the city's 12345 platform pushes orders with.
    #[must_use]
    pub fn with_hotline_keys(mut self, keys: Vec<String>) -> Self {
        self.hotline_keys = std::sync::Arc::new(keys);
        self
    }

    /// With the district's name and background tiles.
    #[must_use]
    pub fn with_site(mut self, site: site::SiteConfig) -> Self {
        self.site = std::sync::Arc::new(site);
        self
    }

    /// Behind these proxies, the client is named by `X-Forwarded-For`.
    #[must_use]
    pub fn with_trusted_proxies(mut self, proxies: client_address::TrustedProxies) -> Self {
        self.proxies = std::sync::Arc::new(proxies);
        self
    }

    /// With origins allowed to call the API from their pages.
    #[must_use]
    pub fn with_cors(mut self, origins: Vec<String>) -> Self {
        self.cors_origins = std::sync::Arc::new(origins);
        self
    }

    /// With dispatch settings: speeds, the freshness window of fixes, how long they are kept.
    #[must_use]
    pub fn with_dispatch(
        mut self,
        speeds: crate::routing::Speeds,
        freshness: chrono::Duration,
        retention: chrono::Duration,
    ) -> Self {
        self.dispatch = self.dispatch.with_settings(speeds, freshness, retention);
        self
    }

    /// With Open311 settings (the API keys that may post).
    #[must_use]
    pub fn with_open311(mut self, config: open311::Open311Config) -> Self {
        self.open311 = std::sync::Arc::new(config);
        self
    }
}

/// What the web app may load: its own files, its wasm (compiled, not eval'd), MapLibre's worker
/// (started from a blob), images from itself and from the configured tile server (`tiles`, an
/// origin such as `https://tiles.example.org`); it may be framed by nobody. No CORS headers are
/// sent, so other origins' scripts cannot read the API.
pub fn content_security_policy(tiles: Option<&str>) -> String {
    let tiles = tiles.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    worker-src 'self' blob:; child-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
    connect-src 'self'{tiles}; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The longest a request may take before it is answered 408 (event streams answer at once and
/// are not limited).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Largest request body accepted (a batch of points).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Every endpoint the application serves (besides the web app's files), with its handler.
pub fn endpoints() -> Vec<Endpoint> {
    let mut all = Vec::new();
    all.extend(health::endpoints());
    all.extend(site::endpoints());
    all.extend(layers::endpoints());
    all.extend(locate::endpoints());
    all.extend(geocode::endpoints());
    all.extend(cases::endpoints());
    all.extend(checklists::endpoints());
    all.extend(campaigns::endpoints());
    all.extend(approvals::endpoints());
    all.extend(hotline::endpoints());
    all.extend(assessments::endpoints());
    all.extend(periods::endpoints());
    all.extend(events::endpoints());
    all.extend(dispatch::endpoints());
    all.extend(analytics::endpoints());
    all.extend(reports::endpoints());
    all.extend(photos::endpoints());
    all.extend(session::endpoints());
    all.extend(open311::endpoints());
    all.extend(users::endpoints());
    all.extend(login_throttles::endpoints());
    all.extend(audit_log::endpoints());
    all.push(
        Endpoint::new(
            "get",
            "/openapi.json",
            "district",
            "This document: the OpenAPI 3 description of every endpoint",
            axum::routing::get(openapi_json),
        )
        .access(citygrid_core::access::Permission::Public)
        .ok(200, "application/json"),
    );
    all
}

async fn openapi_json() -> axum::Json<serde_json::Value> {
    axum::Json(endpoint::openapi(&endpoints()))
}

/// The whole application: the endpoints and the web app, if there is one.
pub fn app(state: AppState, web: WebApp) -> Router {
    let cors = cors_layer(&state.cors_origins);
    let tile_origin = state.site.tiles.as_ref().map(site::tile_origin);
    let mut api: Router<AppState> = Router::new();
    let mut root: Router<AppState> = Router::new();
    for e in endpoints() {
        let permission = e.permission();
        let mut handler = e.handler.route_layer(axum::middleware::from_fn_with_state(
            permission,
            auth::require,
        ));
        if let Some(door) = e.limited {
            handler = handler.route_layer(axum::middleware::from_fn_with_state(
                (state.clone(), door),
                rate_limit::limit,
            ));
        }
        if e.base.is_empty() {
            root = root.route(e.path, handler);
        } else {
            api = api.route(e.path, handler);
        }
    }
    let hsts = state.hsts;
    // Answers of the API are the caller's own (cases with reporters' contacts, users): no
    // browser or proxy keeps them.
    let api = api
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::map_response(
            error::problem_for_plain_errors,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone());
    // The root's routes are Open311's, which answer errors in their own format.
    let root = root.layer(axum::middleware::from_fn(open311::errors_in_format));
    let router = Router::new()
        .nest("/api/v1", api)
        .merge(root.with_state(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::record,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            client_address::resolve,
        ));
    let router = match web::routes(web) {
        Some(web) => router.merge(web),
        None => router.fallback(error::not_found),
    };
    let header = |name: axum::http::HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, axum::http::HeaderValue::from_static(value))
    };
    // The origin was checked when the tiles were configured; a value a header cannot carry
    // leaves the tiles out rather than the policy.
    let csp = axum::http::HeaderValue::from_str(&content_security_policy(tile_origin.as_deref()))
        .or_else(|_| axum::http::HeaderValue::from_str(&content_security_policy(None)))
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'"));
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(header(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            "nosniff",
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(header(axum::http::header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(axum::http::header::REFERRER_POLICY, "no-referrer"))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower::util::option_layer(cors))
        .layer(tower::util::option_layer(hsts.then(|| {
            SetResponseHeaderLayer::overriding(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static(HSTS),
            )
        })))
}

/// The `Strict-Transport-Security` value sent with `--hsts`: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Keeps this server in step with the others on the same database: reloads the atlas when
/// base layers change, wakes event streams when cases change, takes officers' fixes and duty
/// statuses and the category catalogue. Runs until the store stops announcing.
pub async fn follow_other_servers(
    state: AppState,
    mut notices: tokio::sync::broadcast::Receiver<crate::store::Notice>,
) {
    use crate::store::Notice;
    use tokio::sync::broadcast::error::RecvError;
    loop {
        let notice = match notices.recv().await {
            Ok(n) => n,
            // Too many at once: everything may have changed.
            Err(RecvError::Lagged(_)) => Notice::Layers,
            Err(RecvError::Closed) => return,
        };
        let done = match notice {
            Notice::Layers => state.district.reload().await.map_err(|e| e.to_string()),
            Notice::Event { seq } => {
                state.cases.notify_seq(seq);
                Ok(())
            }
            Notice::Fix(ref fix) => {
                state.dispatch.roster().take_fix(fix.clone());
                Ok(())
            }
            Notice::Fixes => state
                .dispatch
                .roster()
                .refresh_fixes()
                .await
                .map_err(|e| e.to_string()),
            Notice::Status(ref change) => {
                state.dispatch.roster().take_statuses([change.clone()]);
                Ok(())
            }
            Notice::Statuses => state
                .dispatch
                .roster()
                .refresh_statuses()
                .await
                .map_err(|e| e.to_string()),
            Notice::Settings => state
                .cases
                .load_saved_catalogue()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = done {
            tracing::error!(error = %e, ?notice, "following a change made by another server");
        }
    }
}

/// CORS for the configured origins, or none (closed) when there are none.
fn cors_layer(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    let allowed: Vec<axum::http::HeaderValue> =
        origins.iter().filter_map(|o| o.parse().ok()).collect();
    (!allowed.is_empty()).then(|| {
        tower_http::cors::CorsLayer::new()
            .allow_origin(allowed)
            .allow_methods([
                axum::http::Method::GET,
                axum::http::Method::POST,
                axum::http::Method::PATCH,
                axum::http::Method::PUT,
                axum::http::Method::DELETE,
            ])
            .allow_headers([
                axum::http::header::CONTENT_TYPE,
                axum::http::header::AUTHORIZATION,
                axum::http::HeaderName::from_static(auth::CSRF_HEADER),
            ])
    })
}
