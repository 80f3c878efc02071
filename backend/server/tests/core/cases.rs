//! Cases: creation with responsibility and deadline, the closed loop, duplicates, listing.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use citygrid::cases::{CaseRules, CaseService, NewCase};
use citygrid::district::District;
use citygrid_core::case::{Source, Status};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::at;

async fn district() -> District {
    crate::support::demo_district().await
}

fn rules() -> Arc<CaseRules> {
    crate::support::rules()
}

/// One router over one in-memory database, for a sequence of calls.
struct Api(axum::Router);

impl Api {
    async fn new() -> Self {
        Api(crate::support::demo_router().await)
    }

    async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json");
        let req = req
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        let res = self.0.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn create(&self, body: Value) -> Value {
        let (status, out) = self.call("POST", "/api/v1/cases", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        out
    }

    async fn act(&self, id: i64, body: Value) -> (StatusCode, Value) {
        self.call(
            "POST",
            &format!("/api/v1/cases/{id}/transitions"),
            Some(body),
        )
        .await
    }
}

fn patrol_case(x: f64, y: f64, category: &str) -> Value {
    let p = at(x, y);
    json!({ "category": category, "source": "patrol", "description": "占道经营", "lon": p.lon, "lat": p.lat, "quantity": 1 })
}

#[tokio::test]
async fn a_case_is_resolved_on_arrival_and_walks_the_closed_loop() {
    let api = Api::new().await;
    let created = api.create(patrol_case(-75.0, 458.0, "0502")).await;
    let case = &created["case"];
    let id = case["id"].as_i64().unwrap();
    assert_eq!(
        case["status"], "registered",
        "patrol reports are registered at once"
    );
    assert_eq!(case["location"]["street"]["name"], "人民路");
    assert!(
        case["location"]["grid"]["code"]
            .as_str()
            .unwrap()
            .starts_with("340688")
    );
    assert!(case["location"]["shop"]["code"].is_string());
    assert_eq!(case["events"].as_array().unwrap().len(), 1);
    assert_eq!(case["events"][0]["action"], "report");
    assert!(case.get("reporter").is_none());

    // Closing now is not allowed: 409 with the actions that are.
    let (status, problem) = api.act(id, json!({ "action": "close" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["allowed"], json!(["dispatch", "void", "comment"]));

    let (status, problem) = api.act(id, json!({ "action": "dispatch" })).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("assignee"))
    );
    let (status, problem) = api
        .act(id, json!({ "action": "dispatch", "assignee": "NOBODY" }))
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("assignee"))
    );

    let steps = [
        json!({ "action": "dispatch", "assignee": "ZF0003" }),
        json!({ "action": "handle", "note": "已劝离" }),
        json!({ "action": "rework", "note": "现场仍有摊位" }),
        json!({ "action": "handle", "note": "已清理" }),
        json!({ "action": "verify" }),
        json!({ "action": "close" }),
    ];
    let mut last = Value::Null;
    for step in steps {
        let (status, out) = api.act(id, step.clone()).await;
        assert_eq!(status, StatusCode::OK, "{step}: {out}");
        last = out;
    }
    assert_eq!(last["status"], "closed");
    assert_eq!(last["assignee"], "ZF0003");
    assert_eq!(last["version"], 7);
    let (_, read) = api.call("GET", &format!("/api/v1/cases/{id}"), None).await;
    let actions: Vec<&str> = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "report", "dispatch", "handle", "rework", "handle", "verify", "close"
        ]
    );
    assert_eq!(read["events"][1]["assignee"], "ZF0003");
    assert_eq!(read["events"][3]["from"], "handled");
    assert_eq!(read["events"][3]["to"], "dispatched");
    // Closed: nothing more, not even a comment.
    let (status, problem) = api
        .act(id, json!({ "action": "comment", "note": "?" }))
        .await;
    assert_eq!(
        (status, problem["allowed"].clone()),
        (StatusCode::CONFLICT, json!([]))
    );
}

#[tokio::test]
async fn public_reports_wait_for_registration_and_can_be_handled_on_the_spot() {
    let api = Api::new().await;
    let p = at(300.0, -150.0);
    let created = api
        .create(json!({ "category": "0101", "source": "public", "lon": p.lon, "lat": p.lat, "reporter": { "name": "王先生", "phone": "13800000000" } }))
        .await;
    let id = created["case"]["id"].as_i64().unwrap();
    assert_eq!(created["case"]["status"], "reported");
    assert_eq!(
        created["case"]["reporter"]["phone"], "13800000000",
        "an admin sees the reporter's contact"
    );
    let (status, out) = api.act(id, json!({ "action": "handle_on_spot" })).await;
    assert_eq!(
        (status, out["status"].as_str()),
        (StatusCode::OK, Some("handled"))
    );
}

#[tokio::test]
async fn addresses_are_geocoded_and_ambiguity_is_refused_unless_accepted() {
    let api = Api::new().await;
    let created = api
        .create(json!({ "category": "0503", "source": "hotline", "address": "淮北市人民路151号" }))
        .await;
    assert_eq!(created["case"]["location"]["street"]["name"], "人民路");
    assert_eq!(created["case"]["location"]["street"]["house_number"], 151);
    assert_eq!(created["case"]["address"], "淮北市人民路151号");

    // 淮海路88号 is on 淮海西路 and on 淮海东路, equally.
    let body = json!({ "category": "0503", "source": "hotline", "address": "淮海路88号" });
    let (status, problem) = api.call("POST", "/api/v1/cases", Some(body.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "address");
    assert!(
        problem["candidates"].as_array().unwrap().len() >= 2,
        "{problem}"
    );
    let mut accept = body;
    accept["accept_best"] = json!(true);
    api.create(accept).await;

    let (status, problem) = api
        .call(
            "POST",
            "/api/v1/cases",
            Some(json!({ "category": "0503", "source": "hotline", "address": "火星基地" })),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("address"))
    );
}

#[tokio::test]
async fn nearby_open_cases_of_the_category_are_possible_duplicates() {
    let api = Api::new().await;
    let first = api.create(patrol_case(-75.0, 458.0, "0501")).await;
    let second = api.create(patrol_case(-60.0, 460.0, "0501")).await;
    let first_id = first["case"]["id"].as_i64().unwrap();
    let dups = second["possible_duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{second}");
    assert_eq!(dups[0]["id"], first_id);
    assert!((dups[0]["distance_m"].as_f64().unwrap() - 15.1).abs() < 0.5);
    // Another category, or beyond the radius (50 m for 0501): not a duplicate.
    assert!(
        api.create(patrol_case(-60.0, 460.0, "0503")).await["possible_duplicates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        api.create(patrol_case(100.0, 458.0, "0501")).await["possible_duplicates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The dispatcher voids the second as a duplicate of the first.
    let second_id = second["case"]["id"].as_i64().unwrap();
    let (status, out) = api
        .act(
            second_id,
            json!({ "action": "void", "duplicate_of": first_id }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        (out["status"].as_str(), out["duplicate_of"].as_i64()),
        (Some("void"), Some(first_id))
    );
}

#[tokio::test]
async fn lists_filter_and_page_by_keyset() {
    let api = Api::new().await;
    for (x, category) in [
        (-75.0, "0501"),
        (0.0, "0502"),
        (75.0, "0501"),
        (150.0, "0501"),
        (700.0, "0501"),
    ] {
        api.create(patrol_case(x, -340.0, category)).await;
    }
    let (lo, hi) = (at(-100.0, -400.0), at(200.0, -300.0));
    let bbox = format!("{},{},{},{}", lo.lon, lo.lat, hi.lon, hi.lat);
    let (status, page) = api
        .call(
            "GET",
            &format!("/api/v1/cases?bbox={bbox}&category=0501&status=registered&limit=2"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<i64> = page["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [4, 3]);
    let cursor = page["next_cursor"].as_i64().unwrap();
    let (_, rest) = api
        .call(
            "GET",
            &format!(
                "/api/v1/cases?bbox={bbox}&category=0501&status=registered&limit=2&cursor={cursor}"
            ),
            None,
        )
        .await;
    let ids: Vec<i64> = rest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1]);
    assert!(rest["next_cursor"].is_null());
    let (_, geo) = api
        .call("GET", "/api/v1/cases?format=geojson&category=0502", None)
        .await;
    assert_eq!(geo["type"], "FeatureCollection");
    assert_eq!(geo["features"].as_array().unwrap().len(), 1);
    for (uri, field) in [
        ("/api/v1/cases?status=done", "status"),
        ("/api/v1/cases?source=radio", "source"),
        ("/api/v1/cases?limit=0", "limit"),
        ("/api/v1/cases?from=yesterday", "from"),
        ("/api/v1/cases?format=xml", "format"),
        ("/api/v1/cases?overdue=maybe", "overdue"),
    ] {
        let (status, problem) = api.call("GET", uri, None).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn bad_requests_name_the_field_and_store_nothing() {
    let api = Api::new().await;
    let p = at(0.0, 0.0);
    let cases = [
        (
            json!({ "source": "patrol", "lon": p.lon, "lat": p.lat }),
            "category",
        ),
        (
            json!({ "category": "9999", "source": "patrol", "lon": p.lon, "lat": p.lat }),
            "category",
        ),
        (
            json!({ "category": "0501", "lon": p.lon, "lat": p.lat }),
            "source",
        ),
        (
            json!({ "category": "0501", "source": "radio", "lon": p.lon, "lat": p.lat }),
            "source",
        ),
        (
            json!({ "category": "0501", "source": "patrol", "lon": p.lon }),
            "lat",
        ),
        (
            json!({ "category": "0501", "source": "patrol", "lon": 200, "lat": 30 }),
            "lon",
        ),
        (
            json!({ "category": "0501", "source": "patrol" }),
            "location",
        ),
        (
            json!({ "category": "0501", "source": "patrol", "lon": p.lon, "lat": p.lat, "quantity": -1 }),
            "quantity",
        ),
        (
            json!({ "category": "0501", "source": "patrol", "lon": p.lon, "lat": p.lat, "crs": "utm" }),
            "crs",
        ),
        (
            json!({ "category": 501, "source": "patrol", "lon": p.lon, "lat": p.lat }),
            "category",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = api.call("POST", "/api/v1/cases", Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["field"], field, "{body}: {problem}");
    }
    let (status, _) = api.call("POST", "/api/v1/cases", Some(json!([1, 2]))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = api.call("GET", "/api/v1/cases", None).await;
    assert!(
        list["cases"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
    let (status, _) = api.call("GET", "/api/v1/cases/99", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.call("GET", "/api/v1/cases/abc", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let id = api.create(patrol_case(0.0, 0.0, "0501")).await["case"]["id"]
        .as_i64()
        .unwrap();
    let (status, problem) = api
        .act(id, json!({ "action": "comment", "version": 7 }))
        .await;
    assert_eq!(
        (status, problem["version"].as_i64()),
        (StatusCode::CONFLICT, Some(1))
    );
    let (status, problem) = api.act(id, json!({ "action": "fly" })).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("action"))
    );
    let (status, problem) = api
        .act(id, json!({ "action": "dispatch", "assignee": "ZF0001" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{problem}");
    let (status, problem) = api
        .act(
            id,
            json!({ "action": "extend", "deadline": "2020-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("deadline"))
    );
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn system() -> citygrid::cases::Actor {
    citygrid::cases::Actor::system("test")
}

fn vending_at(x: f64, y: f64) -> NewCase {
    NewCase {
        category: "0501".into(),
        source: Source::Patrol,
        description: String::new(),
        quantity: None,
        point: Some(at(x, y)),
        address: None,
        accept_best: false,
        reporter: None,
        photos: Vec::new(),
    }
}

#[tokio::test]
async fn deadlines_follow_category_zone_and_calendar_and_overdue_is_computed() {
    let service = CaseService::new(district().await, rules());
    // Friday 27 Nov 2026, 11:00 in Shanghai. Street vending: 2 working hours, 1 in a prohibited zone.
    let now = t("2026-11-27T11:00:00+08:00");
    let ordinary = service
        .create(vending_at(500.0, -500.0), &system(), now)
        .await
        .unwrap()
        .case;
    assert_eq!(
        ordinary.case.deadline,
        t("2026-11-27T15:00:00+08:00"),
        "one hour before lunch, one after"
    );
    let prohibited = service
        .create(vending_at(-300.0, 250.0), &system(), now)
        .await
        .unwrap()
        .case;
    assert!(
        prohibited
            .case
            .location
            .zones
            .iter()
            .any(|z| &*z.name == "区政府周边严禁区")
    );
    assert_eq!(prohibited.case.deadline, t("2026-11-27T12:00:00+08:00"));
    // Monday 09:30: the ordinary case is 2.5 working hours late (15:00–17:30 Friday).
    let monday = t("2026-11-30T09:30:00+08:00");
    let later = service
        .get(ordinary.case.id, &system(), monday)
        .await
        .unwrap();
    assert!(later.overdue);
    assert_eq!(later.overdue_minutes, 150 + 60);
    assert_eq!(later.case.status, Status::Registered);
    // Before the deadline: not overdue.
    assert!(
        !service
            .get(ordinary.case.id, &system(), now + Duration::minutes(30))
            .await
            .unwrap()
            .overdue
    );
    // The overdue filter: both at Monday 09:30, only the prohibited-zone case at 13:00 Friday.
    let overdue_at = |t| citygrid::store::CaseFilter {
        overdue_at: Some(t),
        ..Default::default()
    };
    assert_eq!(
        service
            .list(&overdue_at(monday), &system(), 10, monday)
            .await
            .unwrap()
            .len(),
        2
    );
    let friday = t("2026-11-27T14:30:00+08:00");
    let late = service
        .list(&overdue_at(friday), &system(), 10, friday)
        .await
        .unwrap();
    assert_eq!(
        late.iter().map(|c| c.case.id).collect::<Vec<_>>(),
        [prohibited.case.id]
    );
}

async fn raw(api: &Api, method: &str, uri: &str, body: &str) -> (StatusCode, String, String) {
    let (status, headers, text) =
        crate::support::exchange_text(&api.0, method, uri, "text/csv", &[], Some(body.to_owned()))
            .await;
    (status, crate::support::content_type(&headers), text)
}

#[tokio::test]
async fn historical_cases_import_from_csv_all_or_nothing_and_export_back() {
    let api = Api::new().await;
    let (a, b) = (at(-75.0, 458.0), at(700.0, -340.0));
    let good = format!(
        "category,source,created_at,lon,lat,description,quantity,status\n\
         0502,patrol,2026-03-02 09:15,{},{},店外经营,1,closed\n\
         0501,video,2026-03-02T20:30:00+08:00,{},{},夜市游商,2,dispatched\n\
         0503,hotline,2026-03-03 10:00,,,,3,\n",
        a.lon, a.lat, b.lon, b.lat
    );
    // The third row has neither a point nor an address: the whole file is refused, by line.
    let (status, _, body) = raw(&api, "POST", "/api/v1/cases/import", &good).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["errors"][0]["line"], 4);
    assert_eq!(problem["errors"][0]["field"], "address");
    let (_, list) = api.call("GET", "/api/v1/cases", None).await;
    assert!(
        list["cases"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
    // Skipping invalid rows imports the rest and lists what was left out.
    let (status, _, body) = raw(
        &api,
        "POST",
        "/api/v1/cases/import?skip_invalid=true",
        &good,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            report["imported"].as_u64(),
            report["skipped"][0]["line"].as_u64()
        ),
        (Some(2), Some(4))
    );
    let (_, list) = api
        .call("GET", "/api/v1/cases?status=dispatched", None)
        .await;
    let night = &list["cases"][0];
    assert_eq!(night["location"]["zones"][0]["name"], "南湖夜市疏导点");
    assert_eq!(night["created_at"], "2026-03-02T12:30:00Z");
    let (_, read) = api
        .call("GET", &format!("/api/v1/cases/{}", night["id"]), None)
        .await;
    let actions: Vec<&str> = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["report", "import"]);

    // The export holds exactly what the filter selects, with the header, in local time.
    let (status, content_type, csv) =
        raw(&api, "GET", "/api/v1/cases?format=csv&category=0502", "").await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    let csv = csv.trim_start_matches('\u{feff}');
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,created_at,category,category_name,source,status")
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains("2026-03-02 09:15:00") && row.contains("店外经营") && row.contains("人民路"),
        "{row}"
    );
    assert!(lines.next().is_none());
    // A bureau's staff export with the header in Chinese; the file goes back in as it is.
    let (status, _, zh) = raw(
        &api,
        "GET",
        "/api/v1/cases?format=csv&category=0502&lang=zh",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let zh = zh.trim_start_matches('\u{feff}').to_owned();
    assert!(
        zh.starts_with("案件编号,上报时间,类别编码,类别,来源,状态"),
        "{zh}"
    );
    let (status, _, body) = raw(&api, "POST", "/api/v1/cases/import", &zh).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, again) = api
        .call("GET", "/api/v1/cases?category=0502&limit=10", None)
        .await;
    let copies: Vec<&Value> = again["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["description"] == "店外经营" && c["status"] == "closed")
        .collect();
    assert_eq!(copies.len(), 2, "{again}");
    let (status, _, _) = raw(
        &api,
        "POST",
        "/api/v1/cases/import",
        "no,category,here\n1,2,3\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn upload(api: &Api, bytes: Vec<u8>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/photos")
        .header("content-type", "application/octet-stream")
        .body(Body::from(bytes))
        .unwrap();
    let res = api.0.clone().oneshot(req).await.unwrap();
    let status = res.status();
    (
        status,
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes())
            .unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn photos_are_checked_stored_once_and_attached_to_reports_and_steps() {
    let api = Api::new().await;
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        [
            &(data.len() as u32).to_be_bytes()[..],
            kind,
            data,
            &[0, 0, 0, 0],
        ]
        .concat()
    };
    let png = [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &[0; 13]),
        chunk(b"IDAT", &[7; 300]),
        chunk(b"IEND", &[]),
    ]
    .concat();
    // The same image with its location in an EXIF chunk is stored without it: one photo.
    let with_gps = [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &[0; 13]),
        chunk(b"eXIf", b"GPS 33.95 116.80"),
        chunk(b"IDAT", &[7; 300]),
        chunk(b"IEND", &[]),
    ]
    .concat();
    let (status, stripped) = upload(&api, with_gps).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, photo) = upload(&api, png.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    assert_eq!(photo["content_type"], "image/png");
    let hash = photo["hash"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 64);
    let (again, same) = upload(&api, png.clone()).await;
    assert_eq!(
        (again, same["hash"].as_str()),
        (StatusCode::CREATED, Some(hash.as_str()))
    );
    assert_eq!(
        stripped["hash"].as_str(),
        Some(hash.as_str()),
        "the EXIF chunk was taken out"
    );
    // The type comes from the bytes: a script named .png is not a photo.
    let (status, problem) = upload(&api, b"<script>alert(1)</script>".to_vec()).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("photo"))
    );
    let (status, _) = upload(&api, vec![0xFF; 11 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let req = Request::builder()
        .uri(format!("/api/v1/photos/{hash}"))
        .body(Body::empty())
        .unwrap();
    let res = api.0.clone().oneshot(req).await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
        png
    );
    let (status, _) = api
        .call("GET", "/api/v1/photos/..%2F..%2Fetc%2Fpasswd", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let mut body = patrol_case(0.0, 0.0, "0101");
    body["photos"] = serde_json::json!([hash]);
    let created = api.create(body.clone()).await;
    assert_eq!(created["case"]["photos"], serde_json::json!([hash]));
    assert_eq!(created["case"]["events"][0]["photo"], hash.as_str());
    body["photos"] = serde_json::json!(["0".repeat(64)]);
    let (status, problem) = api.call("POST", "/api/v1/cases", Some(body)).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("photos"))
    );

    let id = created["case"]["id"].as_i64().unwrap();
    api.act(id, json!({ "action": "dispatch", "assignee": "ZF0001" }))
        .await;
    let (status, out) = api
        .act(id, json!({ "action": "handle", "photo": hash }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["photos"].as_array().unwrap().len(), 2);
    assert_eq!(out["events"][2]["photo"], hash.as_str());
}

#[tokio::test]
async fn lists_filter_by_responsibility_source_and_dates() {
    let api = Api::new().await;
    let a = api.create(patrol_case(-75.0, 458.0, "0502")).await["case"].clone();
    let p = at(700.0, -340.0);
    let b = api
        .create(json!({ "category": "0501", "source": "hotline", "lon": p.lon, "lat": p.lat }))
        .await["case"]
        .clone();
    let ids = |v: &Value| {
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let (a_id, b_id) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    let location = &a["location"];
    for (param, value) in [
        (
            "grid",
            location["grid"]["code"].as_str().unwrap().to_owned(),
        ),
        (
            "community",
            location["community"]["code"].as_str().unwrap().to_owned(),
        ),
        (
            "shop",
            location["shop"]["code"].as_str().unwrap().to_owned(),
        ),
        ("street", location["street"]["id"].to_string()),
        ("source", "patrol".to_owned()),
    ] {
        let (status, page) = api
            .call(
                "GET",
                &format!("/api/v1/cases?{param}={}", crate::support::encode(&value)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{param}");
        assert_eq!(ids(&page), [a_id], "{param}={value}");
    }
    let (_, page) = api
        .call("GET", "/api/v1/cases?source=hotline,video", None)
        .await;
    assert_eq!(ids(&page), [b_id]);
    let (_, page) = api
        .call("GET", "/api/v1/cases?from=2020-01-01&to=2020-12-31", None)
        .await;
    assert!(ids(&page).is_empty());
    let (_, page) = api.call("GET", "/api/v1/cases?from=2020-01-01", None).await;
    assert_eq!(ids(&page), [b_id, a_id]);
}

#[tokio::test]
async fn filters_are_capped() {
    let api = Api::new().await;
    let many = vec!["0501"; 51].join(",");
    let (status, problem) = api
        .call("GET", &format!("/api/v1/cases?category={many}"), None)
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
    // A box wider than a city is refused, for cases and for layers alike.
    for uri in [
        "/api/v1/cases?bbox=115,33,118,34",
        "/api/v1/layers/shops?bbox=116,32,117,34.5",
    ] {
        let (status, problem) = api.call("GET", uri, None).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("bbox")),
            "{uri}"
        );
    }
    let (status, _) = api
        .call("GET", "/api/v1/cases?bbox=116.7,33.9,116.9,34.0", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}
