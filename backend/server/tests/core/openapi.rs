//! The OpenAPI document is written from the same endpoint list the router is built from; these
//! tests walk it against the real router: everything documented is served, and nothing else.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use citygrid::http::endpoints;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn router() -> axum::Router {
    crate::support::demo_router().await
}

async fn send(router: &axum::Router, method: &str, uri: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    // Event streams never end: read only what is there.
    let body = match tokio::time::timeout(
        std::time::Duration::from_millis(300),
        res.into_body().collect(),
    )
    .await
    {
        Ok(Ok(b)) => String::from_utf8_lossy(&b.to_bytes()).into_owned(),
        _ => String::new(),
    };
    (status, body)
}

fn sample(path: &str) -> String {
    path.replace("{layer}", "grids")
        .replace("{id}", "1")
        .replace("{hash}", &"0".repeat(64))
        .replace("{resource}", "services.json")
        .replace("{code}", "0501.json")
        .replace("/open311/v2/requests/1", "/open311/v2/requests/1.json")
}

#[tokio::test]
async fn the_document_lists_exactly_the_endpoints() {
    let r = router().await;
    let (status, body) = send(&r, "GET", "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = endpoints()
        .iter()
        .map(|e| (e.method.to_owned(), e.full_path()))
        .collect();
    assert_eq!(documented, served);
    assert!(documented.len() >= 18, "{documented:?}");
    assert_eq!(
        doc["paths"]["/api/v1/locate"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["required"] == true)
            .count(),
        2
    );
}

#[tokio::test]
async fn every_documented_endpoint_is_served_and_no_other_method_is() {
    let r = router().await;
    let documented: BTreeSet<(String, String)> = endpoints()
        .iter()
        .map(|e| (e.method.to_uppercase(), e.full_path()))
        .collect();
    for (method, path) in &documented {
        let uri = sample(path);
        let (status, body) = send(&r, method, &uri).await;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(
            !body.contains("no such resource"),
            "{method} {uri} fell through to the fallback: {body}"
        );
        assert!(
            status != StatusCode::INTERNAL_SERVER_ERROR,
            "{method} {uri}: {body}"
        );
        for other in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if documented.contains(&(other.to_owned(), path.clone())) {
                continue;
            }
            let (status, _) = send(&r, other, &uri).await;
            assert!(
                status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                "{other} {uri} is served but not documented: {status}"
            );
        }
    }
    let (status, body) = send(&r, "GET", "/api/v1/undocumented").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("no such resource"));
}
