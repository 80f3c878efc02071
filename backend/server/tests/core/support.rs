//! Shared helpers: the demo district in memory, metric points about the demo's centre.

use std::sync::{Arc, OnceLock};

use citygrid::atlas::Atlas;
use citygrid::demo;
use citygrid::projection::LocalProjection;
use citygrid_core::LonLat;
use citygrid_core::account::Role;
use citygrid_core::features::BaseLayers;
use geo::Coord;

/// The demo district, generated once per test binary.
pub fn demo_base() -> &'static BaseLayers {
    static BASE: OnceLock<BaseLayers> = OnceLock::new();
    BASE.get_or_init(demo::generate)
}

/// The demo's atlas, built once per test binary.
pub fn demo_atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| Arc::new(Atlas::build(demo_base().clone(), chrono_tz::Asia::Shanghai)))
        .clone()
}

/// A point `x` metres east and `y` metres north of the demo district's centre.
pub fn at(x: f64, y: f64) -> LonLat {
    LocalProjection::new(demo::CENTRE).unproject(Coord { x, y })
}

/// Metres between two WGS 84 points (local plane about the first).
pub fn metres(a: LonLat, b: LonLat) -> f64 {
    let proj = LocalProjection::new(a);
    let q = proj.project(b);
    q.x.hypot(q.y)
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The demo district's layers in a fresh store: in memory (SQLite), or, when
/// `CITYGRID_TEST_STORE=postgres`, in a fresh database on the `CITYGRID_TEST_PG` server, so
/// that every test made on the demo district runs on PostgreSQL too.
pub async fn demo_district() -> citygrid::district::District {
    let store: Arc<dyn citygrid::store::Store> =
        if std::env::var("CITYGRID_TEST_STORE").as_deref() == Ok("postgres") {
            let url = crate::store_suite::scratch_postgres()
                .await
                .expect("CITYGRID_TEST_STORE=postgres needs CITYGRID_TEST_PG");
            Arc::new(citygrid::store::PgStore::open(&url).await.unwrap())
        } else {
            Arc::new(citygrid::store::SqliteStore::memory().await.unwrap())
        };
    store
        .replace_layers(demo_base().clone().into_rows())
        .await
        .unwrap();
    citygrid::district::District::open(store, chrono_tz::Asia::Shanghai)
        .await
        .unwrap()
}

/// The built-in case rules.
pub fn rules() -> Arc<citygrid::cases::CaseRules> {
    Arc::new(citygrid::cases::CaseRules::load(None, None).unwrap())
}

/// The community the demo supervisor answers for (古城社区).
pub const SUPERVISOR_SCOPE: &str = "340688001001";

/// The centre of a grid cell inside (or outside) the supervisor's community.
pub fn cell_centre(inside: bool) -> citygrid_core::LonLat {
    use geo::Centroid;
    let g = crate::support::demo_base()
        .grids
        .iter()
        .find(|g| {
            (g.community
                .as_ref()
                .map(citygrid_core::ids::CommunityCode::as_str)
                == Some(SUPERVISOR_SCOPE))
                == inside
        })
        .unwrap();
    let c = g.geometry.centroid().unwrap();
    citygrid_core::LonLat {
        lon: c.x(),
        lat: c.y(),
    }
}
/// The demo officer's code.
pub const OFFICER: &str = "ZF0001";

/// The application over [`demo_district`] with one logged-in user per role.
pub struct Demo {
    /// The router as a client meets it: no credentials unless a request brings them.
    pub router: axum::Router,
    pub state: citygrid::http::AppState,
    tokens: Vec<(Role, String)>,
}

/// Sends one request to the router; the answer's status, headers and body as JSON (`Null` when
/// the body is not JSON).
pub async fn exchange(
    router: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (
    axum::http::StatusCode,
    axum::http::HeaderMap,
    serde_json::Value,
) {
    let (status, headers, text) =
        exchange_text(router, method, uri, "application/json", headers, body).await;
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// Sends one request with a body of `content_type`; the answer's status, headers and text.
pub async fn exchange_text(
    router: &axum::Router,
    method: &str,
    uri: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = body.map_or_else(axum::body::Body::empty, axum::body::Body::from);
    let res = router
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

/// An answer's content type, or nothing.
pub fn content_type(headers: &axum::http::HeaderMap) -> String {
    headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

impl Demo {
    /// A request as the demo user with this role; the answer's status, headers and JSON body.
    pub async fn send_as(
        &self,
        role: Role,
        method: &str,
        uri: &str,
        body: Option<String>,
    ) -> (
        axum::http::StatusCode,
        axum::http::HeaderMap,
        serde_json::Value,
    ) {
        let auth = format!("Bearer {}", self.token(role));
        exchange(&self.router, method, uri, &[("authorization", &auth)], body).await
    }

    /// A request with a body of `content_type` (a CSV file) as the demo user with this role;
    /// the answer's status and text.
    pub async fn send_text_as(
        &self,
        role: Role,
        method: &str,
        uri: &str,
        content_type: &str,
        body: String,
    ) -> (axum::http::StatusCode, String) {
        let auth = format!("Bearer {}", self.token(role));
        let (status, _, text) = exchange_text(
            &self.router,
            method,
            uri,
            content_type,
            &[("authorization", &auth)],
            Some(body),
        )
        .await;
        (status, text)
    }

    /// The session token of the demo user with this role.
    pub fn token(&self, role: Role) -> &str {
        self.tokens
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, t)| t.as_str())
            .unwrap()
    }
}

/// The application over [`demo_district`], its state shaped by `shape`, with a session open
/// for one user of each role (the supervisor scoped to [`SUPERVISOR_SCOPE`], the officer
/// [`OFFICER`]).
pub async fn demo_app_with(
    shape: impl FnOnce(citygrid::http::AppState) -> citygrid::http::AppState,
) -> Demo {
    let state = shape(citygrid::http::AppState::new(
        demo_district().await,
        rules(),
    ));
    let now = chrono::Utc::now();
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let user = citygrid::store::NewUser {
            username: role.as_str().to_owned(),
            display_name: None,
            role,
            // Never checked: the sessions are opened directly.
            password_hash: "not-a-hash".to_owned(),
            scope: if role == Role::Supervisor {
                vec![SUPERVISOR_SCOPE.to_owned()]
            } else {
                Vec::new()
            },
            officer: (role == Role::Officer).then(|| OFFICER.to_owned()),
            must_change_password: false,
        };
        let store = state.district.store();
        store.insert_user(&user, now).await.unwrap();
        let user = store
            .credentials(&user.username)
            .await
            .unwrap()
            .unwrap()
            .user;
        let session = state.accounts.open_session(user, now).await.unwrap();
        tokens.push((role, session.token));
    }
    Demo {
        router: citygrid::http::app(state.clone(), citygrid::http::WebApp::None),
        state,
        tokens,
    }
}

/// [`demo_app_with`], with the demo's year of cases in its store.
pub async fn demo_with_year(
    shape: impl FnOnce(citygrid::http::AppState) -> citygrid::http::AppState,
) -> Demo {
    let demo = demo_app_with(shape).await;
    let atlas = demo.state.district.atlas();
    let year = citygrid::demo::history::history(atlas.base(), &atlas, &rules());
    demo.state
        .district
        .store()
        .insert_history(&year)
        .await
        .unwrap();
    demo
}

/// The application's router over [`demo_district`], its state shaped by `shape`; a request
/// without credentials is made as the demo admin.
pub async fn demo_router_with(
    shape: impl FnOnce(citygrid::http::AppState) -> citygrid::http::AppState,
) -> axum::Router {
    let demo = demo_app_with(shape).await;
    let admin = format!("Bearer {}", demo.token(Role::Admin));
    demo.router.layer(axum::middleware::map_request(
        move |mut req: axum::extract::Request| {
            let admin = admin.clone();
            async move {
                let h = req.headers_mut();
                if !h.contains_key("authorization")
                    && !h.contains_key("cookie")
                    && let Ok(v) = admin.parse()
                {
                    h.insert("authorization", v);
                }
                req
            }
        },
    ))
}

/// The application's router over [`demo_district`]; requests without credentials are made as
/// the demo admin.
pub async fn demo_router() -> axum::Router {
    demo_router_with(|s| s).await
}
