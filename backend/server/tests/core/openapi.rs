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

/// Every JSON body read and every JSON answer of the API has a schema, written from the Rust
/// type the handler reads or writes; only the document itself and GeoJSON layers are free-form.
#[test]
fn every_json_body_and_answer_is_described_by_its_type() {
    let doc = citygrid::http::endpoint::openapi(&endpoints());
    let free_form = ["/api/v1/openapi.json"];
    let mut described = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1") || free_form.contains(&path.as_str()) {
            continue;
        }
        for (method, op) in ops.as_object().unwrap() {
            if let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema") {
                assert_ne!(
                    schema,
                    &serde_json::json!({}),
                    "{method} {path}: request body"
                );
                described += 1;
            }
            for (status, answer) in op["responses"].as_object().unwrap() {
                for (content_type, media) in answer["content"].as_object().into_iter().flatten() {
                    if content_type.contains("json") {
                        assert_ne!(
                            media["schema"],
                            serde_json::json!({}),
                            "{method} {path}: {status} {content_type}"
                        );
                        described += 1;
                    }
                }
            }
        }
    }
    assert!(described > 100, "{described}");
    // A type read and written alike is one component (none is described twice).
    let names: Vec<&str> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with("ForRequests")),
        "{names:?}"
    );
    assert!(
        names.contains(&"CaseDetail") && names.contains(&"Problem"),
        "{names:?}"
    );
}
