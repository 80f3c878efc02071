//! Live events: server-sent events for cases created and changed, resumable without loss.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::at;

async fn router() -> axum::Router {
    crate::support::demo_router().await
}

async fn post(router: &axum::Router, uri: &str, body: Value) -> Value {
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

fn report(x: f64, category: &str) -> Value {
    let p = at(x, 458.0);
    json!({ "category": category, "source": "patrol", "lon": p.lon, "lat": p.lat })
}

/// Reads server-sent events from a streaming body until `n` have come (or a timeout).
async fn read_events(body: &mut Body, n: usize) -> Vec<(i64, Value)> {
    let mut text = String::new();
    let mut out = Vec::new();
    while out.len() < n {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let id = block
                .lines()
                .find_map(|l| l.strip_prefix("id:"))
                .map(|v| v.trim().parse::<i64>().unwrap());
            let data = block
                .lines()
                .find_map(|l| l.strip_prefix("data:"))
                .map(|v| serde_json::from_str::<Value>(v.trim()).unwrap());
            if let (Some(id), Some(data)) = (id, data) {
                out.push((id, data));
            }
        }
    }
    out
}

async fn listen(router: &axum::Router, uri: &str, last_event_id: Option<i64>) -> Body {
    let mut req = Request::builder().uri(uri);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    res.into_body()
}

#[tokio::test]
async fn listeners_see_cases_created_and_changed_as_they_happen() {
    let router = router().await;
    let mut body = listen(&router, "/api/v1/events", None).await;
    let created = post(&router, "/api/v1/cases", report(-75.0, "0501")).await;
    let id = created["case"]["id"].as_i64().unwrap();
    post(
        &router,
        &format!("/api/v1/cases/{id}/transitions"),
        json!({ "action": "dispatch", "assignee": "ZF0002" }),
    )
    .await;
    let events = read_events(&mut body, 2).await;
    assert_eq!(events[0].1["kind"], "created");
    assert_eq!(events[0].1["case"]["id"], id);
    assert_eq!(events[1].1["kind"], "changed");
    assert_eq!(events[1].1["event"]["action"], "dispatch");
    assert_eq!(events[1].1["case"]["assignee"], "ZF0002");
    assert!(events[0].0 < events[1].0);
}

#[tokio::test]
async fn reconnecting_with_last_event_id_loses_nothing_and_filters_apply() {
    let router = router().await;
    let mut seqs = Vec::new();
    for (x, category) in [
        (-75.0, "0501"),
        (0.0, "0503"),
        (75.0, "0501"),
        (150.0, "0501"),
    ] {
        let created = post(&router, "/api/v1/cases", report(x, category)).await;
        seqs.push(created["case"]["events"][0]["seq"].as_i64().unwrap());
    }
    // A listener that saw the first event reconnects: it gets the other three, in order.
    let mut body = listen(&router, "/api/v1/events", Some(seqs[0])).await;
    let replay: Vec<i64> = read_events(&mut body, 3)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(replay, seqs[1..]);
    // Only street vending (0501), from the start.
    let mut body = listen(
        &router,
        "/api/v1/events?category=0501&last_event_id=0",
        None,
    )
    .await;
    let vending = read_events(&mut body, 3).await;
    assert!(vending.iter().all(|(_, e)| e["case"]["category"] == "0501"));
    assert_eq!(
        vending.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [seqs[0], seqs[2], seqs[3]]
    );
    // A bad id is a client error.
    let res = router
        .clone()
        .oneshot(
            Request::builder()
                .uri("/api/v1/events?last_event_id=x")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does() {
    use citygrid_core::account::Role;
    let demo = crate::support::demo_app_with(|s| s).await;
    let dispatcher = format!("Bearer {}", demo.token(Role::Dispatcher));
    let admin = format!("Bearer {}", demo.token(Role::Admin));
    let send = |method: &str, uri: &str, auth: &str, body: Value| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", auth)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let res = demo
        .router
        .clone()
        .oneshot(send("GET", "/api/v1/events", &dispatcher, Value::Null))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut body = res.into_body();
    let out = demo
        .router
        .clone()
        .oneshot(send("POST", "/api/v1/logout", &dispatcher, json!({})))
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let created = demo
        .router
        .clone()
        .oneshot(send("POST", "/api/v1/cases", &admin, report(10.0, "0501")))
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    // The case is not sent; the stream says why it ends, then ends.
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("the stream answers within 5 s");
        let Some(frame) = frame else { break };
        if let Ok(data) = frame.unwrap().into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(text.contains("the session has ended"), "{text}");
    assert!(!text.contains("\"created\""), "{text}");
}

/// Reads a stream until `needle` has come (or 5 s pass); the text read.
async fn read_until(body: &mut Body, needle: &str) -> String {
    let mut text = String::new();
    while !text.contains(needle) {
        let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(5), body.frame()).await
        else {
            break;
        };
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
    }
    text
}

#[tokio::test]
async fn positions_stream_live_to_those_who_may_see_them() {
    use citygrid_core::account::Role;
    let demo = crate::support::demo_app_with(|s| s).await;
    let open = |role: Role| {
        let router = demo.router.clone();
        let token = format!("Bearer {}", demo.token(role));
        async move {
            let req = Request::builder()
                .uri("/api/v1/events")
                .header("authorization", token)
                .body(Body::empty())
                .unwrap();
            router.oneshot(req).await.unwrap().into_body()
        }
    };
    let mut dispatcher = open(Role::Dispatcher).await;
    let mut supervisor = open(Role::Supervisor).await;
    let atlas = demo.state.district.atlas();
    let scope = crate::support::SUPERVISOR_SCOPE;
    let outside = atlas
        .base()
        .officers
        .iter()
        .find(|o| !o.grids.iter().any(|g| g.as_str().starts_with(scope)))
        .unwrap()
        .code
        .to_string();
    let p = at(0.0, 0.0);
    for code in [outside.as_str(), crate::support::OFFICER] {
        let req = Request::builder()
            .method("POST")
            .uri(format!("/api/v1/officers/{code}/positions"))
            .header(
                "authorization",
                format!("Bearer {}", demo.token(Role::Admin)),
            )
            .header("content-type", "application/json")
            .body(Body::from(
                json!({ "lon": p.lon, "lat": p.lat }).to_string(),
            ))
            .unwrap();
        let res = demo.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    let seen = read_until(&mut dispatcher, crate::support::OFFICER).await;
    assert!(
        seen.contains("event: position") && seen.contains(&outside),
        "{seen}"
    );
    let seen = read_until(&mut supervisor, crate::support::OFFICER).await;
    assert!(seen.contains(crate::support::OFFICER), "{seen}");
    assert!(
        !seen.contains(&outside),
        "a supervisor sees only their area: {seen}"
    );
}
