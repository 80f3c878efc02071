//! Crash safety: the server is killed (SIGKILL) while clients create and move cases; after a
//! restart every acknowledged request is there and the database passes its integrity check.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Server, run};

#[test]
fn a_killed_server_loses_no_acknowledged_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.gpkg");
    let server = Arc::new(Server::demo(&db));
    let created: Arc<Mutex<Vec<i64>>> = Arc::default();
    let dispatched: Arc<Mutex<Vec<i64>>> = Arc::default();
    let until = Instant::now() + Duration::from_secs(30);
    let workers: Vec<_> = (0..4)
        .map(|k| {
            let (server, created, dispatched) = (server.clone(), created.clone(), dispatched.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while Instant::now() < until {
                    i += 1;
                    let lon = 116.790 + f64::from(k) * 0.004 + f64::from(i % 50) * 0.0001;
                    let body = json!({ "category": "0503", "source": "patrol", "lon": lon, "lat": 33.952 }).to_string();
                    let Some((201, answer)) = server.try_request("POST", "/api/v1/cases", &body) else { return };
                    let id = serde_json::from_str::<Value>(&answer).unwrap()["case"]["id"].as_i64().unwrap();
                    created.lock().unwrap().push(id);
                    let act = json!({ "action": "dispatch", "assignee": "ZF0001" }).to_string();
                    let Some((200, _)) = server.try_request("POST", &format!("/api/v1/cases/{id}/transitions"), &act) else { return };
                    dispatched.lock().unwrap().push(id);
                }
            })
        })
        .collect();
    // Let the clients work, then pull the plug.
    while created.lock().unwrap().len() < 40 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill();
    for w in workers {
        w.join().unwrap();
    }
    let (created, dispatched) = (
        created.lock().unwrap().clone(),
        dispatched.lock().unwrap().clone(),
    );
    assert!(
        created.len() >= 40,
        "{} cases before the crash",
        created.len()
    );

    let server = Server::demo(&db);
    for id in &created {
        let (status, case) = server.get_json(&format!("/api/v1/cases/{id}"));
        assert_eq!(status, 200, "acknowledged case {id} is gone");
        if dispatched.contains(id) {
            assert_eq!(
                case["status"], "dispatched",
                "acknowledged dispatch of {id} is gone"
            );
            assert_eq!(case["events"].as_array().unwrap().len(), 2);
        }
    }
    drop(server);
    let out = run(&db, &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}

#[test]
fn backup_while_serving_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.gpkg");
    let server = Server::demo(&db);
    let body =
        json!({ "category": "0503", "source": "patrol", "lon": 116.7969832, "lat": 33.954102 })
            .to_string();
    let (status, _, _) = server.request("POST", "/api/v1/cases", Some(&body));
    assert_eq!(status, 201);
    // Online: the server keeps running.
    let copy = dir.path().join("backup.gpkg");
    let out = run(&db, &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A restore is refused while the server has the database open.
    let out = run(&db, &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("in use"));
    let (_, before) = server.get_json("/api/v1/cases?limit=1");
    let newest = before["cases"][0]["id"].as_i64().unwrap();
    server.request("POST", "/api/v1/cases", Some(&body));
    drop(server);
    let out = run(&db, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::demo(&db);
    let (_, after) = server.get_json("/api/v1/cases?limit=1");
    assert_eq!(
        after["cases"][0]["id"].as_i64().unwrap(),
        newest,
        "the database is as it was at the backup"
    );
}

/// `citygrid restore` in one process while another (here: this test, with a plain SQLite
/// connection that takes no citygrid lock) has the database open: refused, nothing replaced.
#[test]
fn restore_is_refused_while_another_process_has_the_database_open() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.gpkg");
    let copy = dir.path().join("backup.gpkg");
    // A database with its schema (the audit log of an empty one reads nothing).
    assert!(run(&db, &["audit"]).status.success());
    let out = run(&db, &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut other = runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&db);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        let _: i64 = sqlx::query_scalar("SELECT count(*) FROM audit")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn
    });
    let out = run(&db, &["restore", copy.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("in use"),
        "{stderr}"
    );
    runtime.block_on(async {
        sqlx::query("SELECT 1").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
    });
    let out = run(&db, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
