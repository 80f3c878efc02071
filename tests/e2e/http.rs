//! The server as a user starts it: `citygrid demo`, then HTTP.

use serde_json::json;

use crate::support::{Server, encode};

#[test]
fn the_demo_server_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.gpkg");
    let server = Server::demo(&db);
    assert!(db.exists(), "the demo database was created");

    let (status, health) = server.get_json("/api/v1/health");
    assert_eq!(status, 200);
    assert!(health["layers"]["grids"].as_u64().unwrap() >= 300);
    assert!(health["layers"]["shops"].as_u64().unwrap() >= 1000);

    let (status, loc) = server.get_json("/api/v1/locate?lon=116.7969832&lat=33.954102");
    assert_eq!(status, 200);
    assert_eq!(loc["street"]["name"], "人民路");
    assert_eq!(loc["community"]["name"], "桂苑社区");

    let (status, found) = server.get_json(&format!(
        "/api/v1/geocode?q={}",
        encode("淮北市人民路151号")
    ));
    assert_eq!(status, 200);
    assert_eq!(found["candidates"][0]["label"], "人民路151号");

    let batch = json!([[116.7969832, 33.954102], { "lon": 116.81, "lat": 33.96 }]).to_string();
    let (status, _, body) = server.request("POST", "/api/v1/locate", Some(&batch));
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let (status, content_type, body) =
        server.request("GET", "/api/v1/locate?lon=116.8&lat=abc", None);
    assert_eq!(
        (status, content_type.as_str()),
        (422, "application/problem+json")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"],
        "lat"
    );
    let (status, _, _) = server.request("POST", "/api/v1/locate", Some("[1,2"));
    assert_eq!(status, 422);

    let (status, layer) = server.get_json("/api/v1/layers/zones");
    assert_eq!(status, 200);
    assert_eq!(layer["type"], "FeatureCollection");
}

#[test]
fn a_second_start_keeps_the_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.gpkg");
    let first = Server::demo(&db);
    drop(first);
    let modified = std::fs::metadata(&db).unwrap().len();
    let again = Server::demo(&db);
    let (status, health) = again.get_json("/api/v1/health");
    assert_eq!(status, 200);
    assert!(health["layers"]["grids"].as_u64().unwrap() >= 300);
    assert!(std::fs::metadata(&db).unwrap().len() >= modified);
}
