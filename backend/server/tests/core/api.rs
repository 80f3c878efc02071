//! The HTTP API through the real router, on the demo district.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{at, content_type, demo_base, exchange};

async fn router() -> axum::Router {
    crate::support::demo_router().await
}

async fn call(method: &str, uri: &str, body: Option<&str>) -> (StatusCode, String, Value) {
    let router = router().await;
    let (status, headers, json) =
        exchange(&router, method, uri, &[], body.map(str::to_owned)).await;
    (status, content_type(&headers), json)
}

#[tokio::test]
async fn health_reports_layer_counts() {
    let (status, _, body) = call("GET", "/api/v1/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["layers"]["grids"], demo_base().grids.len());
}

#[tokio::test]
async fn layers_are_geojson_and_filter_by_bbox() {
    let (status, content_type, all) = call("GET", "/api/v1/layers/grids", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/geo+json");
    assert_eq!(
        all["features"].as_array().unwrap().len(),
        demo_base().grids.len()
    );
    let (lo, hi) = (at(-100.0, -100.0), at(100.0, 100.0));
    let uri = format!(
        "/api/v1/layers/grids?bbox={},{},{},{}",
        lo.lon, lo.lat, hi.lon, hi.lat
    );
    let (_, _, some) = call("GET", &uri, None).await;
    let n = some["features"].as_array().unwrap().len();
    assert!((4..=16).contains(&n), "{n}");
    for layer in ["communities", "streets", "shops", "zones", "components"] {
        let (status, _, body) = call("GET", &format!("/api/v1/layers/{layer}"), None).await;
        assert_eq!(status, StatusCode::OK, "{layer}");
        assert!(!body["features"].as_array().unwrap().is_empty(), "{layer}");
    }
}

#[tokio::test]
async fn locate_answers_and_converts_gcj02() {
    let p = at(-75.0, 458.0);
    let (status, _, body) = call(
        "GET",
        &format!("/api/v1/locate?lon={}&lat={}", p.lon, p.lat),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["street"]["name"], "人民路");
    let g = citygrid_core::Crs::Gcj02.from_wgs84(p);
    let (_, _, gcj) = call(
        "GET",
        &format!("/api/v1/locate?lon={}&lat={}&crs=gcj02", g.lon, g.lat),
        None,
    )
    .await;
    assert_eq!(gcj["grid"], body["grid"]);
    assert!((gcj["point"]["lon"].as_f64().unwrap() - p.lon).abs() < 1e-8);
}

#[tokio::test]
async fn batch_locate_keeps_order_and_names_bad_points() {
    let (a, b) = (at(-75.0, 458.0), at(1150.0, 750.0));
    let body = json!([{ "lon": a.lon, "lat": a.lat }, [b.lon, b.lat]]).to_string();
    let (status, _, out) = call("POST", "/api/v1/locate", Some(&body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out[0]["street"]["name"], "人民路");
    assert!(out[1]["outside"].is_object());
    let bad = json!({ "points": [{ "lon": a.lon, "lat": a.lat }, { "lon": 116.8 }] }).to_string();
    let (status, content_type, problem) = call("POST", "/api/v1/locate", Some(&bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(problem["field"], "points[1].lat");
    let (status, _, problem) = call("POST", "/api/v1/locate", Some("{not json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    // Beyond the body limit: axum refuses it, still as problem+json.
    let huge = format!("[{}]", vec!["[116.8,33.95]"; 400_000].join(","));
    let (status, content_type, problem) = call("POST", "/api/v1/locate", Some(&huge)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "application/problem+json")
    );
    assert!(problem["detail"].as_str().unwrap().contains("larger"));
    let many = format!("[{}]", vec!["[116.8,33.95]"; 10_001].join(","));
    let (status, _, _) = call("POST", "/api/v1/locate", Some(&many)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn bad_parameters_are_named_in_problem_json() {
    let cases = [
        ("/api/v1/locate?lat=33.95", "lon"),
        ("/api/v1/locate?lon=abc&lat=33.95", "lon"),
        ("/api/v1/locate?lon=116.8&lat=91", "lat"),
        ("/api/v1/locate?lon=116.8&lat=33.95&crs=utm", "crs"),
        (
            "/api/v1/locate?lon=116.8&lat=33.95&street_radius=-1",
            "street_radius",
        ),
        ("/api/v1/locate?lon=116.8&lat=33.95&at=yesterday", "at"),
        ("/api/v1/geocode", "q"),
        ("/api/v1/geocode?q=人民路&limit=0", "limit"),
        ("/api/v1/layers/grids?bbox=1,2,3", "bbox"),
    ];
    for (uri, field) in cases {
        let (status, content_type, problem) = call("GET", uri, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(content_type, "application/problem+json", "{uri}");
        assert_eq!(problem["field"], field, "{uri}: {problem}");
        assert_eq!(problem["status"], 422);
    }
    let (status, _, problem) = call("GET", "/api/v1/layers/roads", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown layer")
    );
    let (status, _, _) = call("GET", "/api/v1/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call("DELETE", "/api/v1/geocode", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn geocode_returns_ranked_candidates() {
    let (status, _, body) = call(
        "GET",
        "/api/v1/geocode?q=%E4%BA%BA%E6%B0%91%E8%B7%AF151%E5%8F%B7&limit=3",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["candidates"][0]["kind"], "interpolated");
    assert_eq!(body["candidates"][0]["label"], "人民路151号");
    let (_, _, none) = call("GET", "/api/v1/geocode?q=%E7%81%AB%E6%98%9F", None).await;
    assert_eq!(none["candidates"], json!([]));
}

#[tokio::test]
async fn security_headers_are_sent_and_no_cors() {
    let req = Request::builder()
        .uri("/api/v1/health")
        .header("origin", "https://elsewhere.example")
        .body(Body::empty())
        .unwrap();
    let res = router().await.oneshot(req).await.unwrap();
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
        "{csp}"
    );
    assert!(
        h.get("access-control-allow-origin").is_none(),
        "CORS is closed by default"
    );
}

#[tokio::test]
async fn cors_opens_only_to_configured_origins() {
    let router =
        crate::support::demo_router_with(|s| s.with_cors(vec!["https://app.example.org".into()]))
            .await;
    let ask = |origin: &'static str| {
        let router = router.clone();
        async move {
            let req = Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/geocode?q=x")
                .header("origin", origin)
                .header("access-control-request-method", "GET")
                .body(Body::empty())
                .unwrap();
            router
                .oneshot(req)
                .await
                .unwrap()
                .headers()
                .get("access-control-allow-origin")
                .map(|v| v.to_str().unwrap().to_owned())
        }
    };
    assert_eq!(
        ask("https://app.example.org").await.as_deref(),
        Some("https://app.example.org")
    );
    assert_eq!(ask("https://elsewhere.example").await, None);
}
