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

#[test]
fn cases_and_open311_over_http_against_the_real_binary() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::demo(&dir.path().join("demo.gpkg"));
    // The demo's year of history is there.
    let (status, page) = server.get_json("/api/v1/cases?limit=5&status=closed");
    assert_eq!(status, 200);
    assert_eq!(page["cases"].as_array().unwrap().len(), 5);

    let body =
        json!({ "category": "0502", "source": "patrol", "lon": 116.7969832, "lat": 33.954102 })
            .to_string();
    let (status, _, created) = server.request("POST", "/api/v1/cases", Some(&body));
    assert_eq!(status, 201, "{created}");
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    let id = created["case"]["id"].as_i64().unwrap();
    // The demo's officers are on patrol: the new case has candidates at once, and the one
    // sent becomes busy.
    let mut found = serde_json::Value::Null;
    for _ in 0..50 {
        found = server
            .get_json(&format!("/api/v1/cases/{id}/candidates?k=3"))
            .1;
        if found["candidates"].as_array().is_some_and(|c| c.len() == 3) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        found["candidates"].as_array().map(Vec::len),
        Some(3),
        "{found}"
    );
    let act = json!({ "action": "dispatch", "assignee": "ZF0001" }).to_string();
    let (status, _, _) = server.request(
        "POST",
        &format!("/api/v1/cases/{id}/transitions"),
        Some(&act),
    );
    assert_eq!(status, 200);
    let (status, case) = server.get_json(&format!("/api/v1/cases/{id}"));
    assert_eq!((status, case["status"].as_str()), (200, Some("dispatched")));
    assert_eq!(case["events"].as_array().unwrap().len(), 2);
    let (_, officers) = server.get_json("/api/v1/officers");
    let zf0001 = officers["officers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "ZF0001")
        .unwrap();
    assert_eq!(zf0001["status"], "busy");

    // Open311 with the demo's key, form-encoded, read back as XML.
    let form = "api_key=citygrid-demo&service_code=0101&lat=33.954102&long=116.7969832&description=garbage";
    let mut response = crate::support::agent()
        .post(server.url("/open311/v2/requests.json"))
        .content_type("application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    assert_eq!(response.status(), 201);
    let body = response.body_mut().read_to_string().unwrap();
    let request_id =
        serde_json::from_str::<serde_json::Value>(&body).unwrap()[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let (status, content_type, xml) = server.request(
        "GET",
        &format!("/open311/v2/requests/{request_id}.xml"),
        None,
    );
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/xml; charset=utf-8")
    );
    assert!(
        xml.contains(&format!(
            "<service_request_id>{request_id}</service_request_id>"
        )) && xml.contains("<status>open</status>"),
        "{xml}"
    );
}

/// A fresh database on the `CITYGRID_TEST_PG` server (`cargo xtask test` starts one), made
/// with `psql`; `None` when there is no server to test against.
fn scratch_postgres(name: &str) -> Option<String> {
    let url = std::env::var("CITYGRID_TEST_PG").ok()?;
    let name = format!("{name}_{}", std::process::id());
    let made = std::process::Command::new("psql")
        .args([url.as_str(), "-q", "-c", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql (Debian package postgresql-client) runs");
    assert!(made.success(), "creating {name} on {url}");
    let (server, _) = url.rsplit_once('/')?;
    Some(format!("{server}/{name}"))
}

#[test]
fn the_demo_runs_on_postgresql_and_keeps_its_cases_across_restarts() {
    let Some(url) = scratch_postgres("citygrid_e2e") else {
        eprintln!(
            "skipped: CITYGRID_TEST_PG names no PostgreSQL server (cargo xtask test starts one)"
        );
        return;
    };
    let db = std::path::Path::new(&url);
    let first = Server::demo(db);
    let (status, health) = first.get_json("/api/v1/health");
    assert_eq!(status, 200);
    assert!(health["layers"]["grids"].as_u64().unwrap() >= 300);
    let (status, listed) = first.get_json("/api/v1/cases?limit=1");
    assert_eq!(status, 200);
    let newest = listed["cases"][0]["id"].as_i64().unwrap();
    assert!(newest > 10_000, "the demo's year of cases is in PostgreSQL");
    let body =
        json!({ "category": "0501", "source": "patrol", "lon": 116.7969832, "lat": 33.954102 })
            .to_string();
    let (status, _, created) = first.request("POST", "/api/v1/cases", Some(&body));
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<serde_json::Value>(&created).unwrap()["case"]["id"]
        .as_i64()
        .unwrap();
    drop(first);
    // A second start on the same database keeps everything and loads nothing again.
    let again = Server::demo(db);
    let (status, case) = again.get_json(&format!("/api/v1/cases/{id}"));
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["location"]["community"]["name"], "桂苑社区");
    let (_, listed) = again.get_json("/api/v1/cases?limit=1");
    assert_eq!(listed["cases"][0]["id"].as_i64(), Some(id));
}

#[test]
fn two_servers_on_one_postgresql_database_share_sessions_layers_events_positions_and_limits() {
    let Some(url) = scratch_postgres("citygrid_e2e_two") else {
        eprintln!(
            "skipped: CITYGRID_TEST_PG names no PostgreSQL server (cargo xtask test starts one)"
        );
        return;
    };
    let db = std::path::Path::new(&url);
    // Both behind a load balancer on this machine.
    let a = Server::demo_with(db, &["--trusted-proxy", "127.0.0.1"]);
    let b = Server::demo_with(db, &["--trusted-proxy", "127.0.0.1"]);
    // A session made on one server is good on the other.
    assert_eq!(b.status_as(a.token(), "/api/v1/me"), 200);
    assert_eq!(b.status_as("not-a-session", "/api/v1/me"), 401);

    // A base layer replaced through A reaches B's atlas.
    let zone = json!({ "type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": { "type": "Polygon", "coordinates": [[[116.7965, 33.9538], [116.7975, 33.9538], [116.7975, 33.9545], [116.7965, 33.9545], [116.7965, 33.9538]]] },
        "properties": { "name": "两台服务器测试区", "level": "strict" },
    }] })
    .to_string();
    let started = std::time::Instant::now();
    let (status, _, body) = a.request("PUT", "/api/v1/layers/zones", Some(&zone));
    assert_eq!(status, 200, "{body}");
    let reached = loop {
        let (_, located) = b.get_json("/api/v1/locate?lon=116.797&lat=33.954");
        if located["zones"].to_string().contains("两台服务器测试区") {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "B's atlas did not take A's zones: {located}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    eprintln!("a layer changed through one server reached the other's atlas in {reached:?}");

    // A case made through A streams to a client of B.
    let body = json!({ "category": "0501", "source": "patrol", "lon": 116.7969832, "lat": 33.954102, "description": "两台服务器" })
        .to_string();
    let seen = b.stream_sees(
        "/api/v1/events",
        "\"kind\":\"created\"",
        std::time::Duration::from_secs(10),
        || {
            let (status, _, created) = a.request("POST", "/api/v1/cases", Some(&body));
            assert_eq!(status, 201, "{created}");
        },
    );
    assert!(
        seen,
        "B's event stream did not carry the case made through A"
    );

    // An officer's fix posted through A is B's live position, and streams from B.
    let fix = json!({ "lon": 116.79123, "lat": 33.95123, "accuracy_m": 5 }).to_string();
    let seen = b.stream_sees(
        "/api/v1/events",
        "116.79123",
        std::time::Duration::from_secs(10),
        || {
            let (status, _, posted) =
                a.request("POST", "/api/v1/officers/ZF0007/positions", Some(&fix));
            assert!(status < 300, "{status} {posted}");
        },
    );
    assert!(
        seen,
        "B's event stream did not carry the position posted through A"
    );
    let (_, officers) = b.get_json("/api/v1/officers");
    let zf7 = officers["officers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "ZF0007")
        .unwrap();
    assert_eq!(zf7["position"]["lon"], 116.79123, "{zf7}");

    // Login attempts from one client are counted once across both servers (20 a minute):
    // the balancer names the client in X-Forwarded-For.
    let statuses: Vec<u16> = (0..20)
        .map(|k| {
            let server = if k % 2 == 0 { &a } else { &b };
            server.wrong_login_for("203.0.113.7")
        })
        .collect();
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(a.wrong_login_for("203.0.113.7"), 429);
    assert_eq!(b.wrong_login_for("203.0.113.7"), 429);
    // Another client behind the same balancer is not held back.
    assert_eq!(b.wrong_login_for("198.51.100.20"), 401);
    // The audit log names the client, not the balancer.
    let (_, log) = a.get_json("/api/v1/audit?action=POST%20/api/v1/login&limit=50");
    assert!(
        log.to_string().contains("\"origin\":\"203.0.113.7\""),
        "{log}"
    );
}

/// A client that sends half a request line and waits is cut off once the header deadline
/// passes (no slowloris), while the server goes on answering others.
#[test]
fn a_half_sent_request_is_cut_off() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let server = Server::demo(&dir.path().join("demo.gpkg"));
    let mut slow = std::net::TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /api/v1/health HT").unwrap();
    // Far longer than the deadline (10 s); a connection still open then is a failure.
    slow.set_read_timeout(Some(std::time::Duration::from_secs(40)))
        .unwrap();
    let (status, _) = server.get_json("/api/v1/health");
    assert_eq!(status, 200, "others are served meanwhile");
    let mut rest = Vec::new();
    let ended = slow.read_to_end(&mut rest);
    assert!(
        ended.is_ok(),
        "the server kept a half-sent request open: {ended:?}"
    );
}
