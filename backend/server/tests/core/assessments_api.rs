//! `/assessments` (FIELDWORK §2–3): an assessor scores a section or a shop item by item; the
//! score is worked by hand here; findings are placed in grid cells; a failed item raises a
//! rectification notice as a case; bad bodies are named by field and store nothing; a later
//! template edit leaves past scores as they were; the list filters and exports CSV.

use axum::http::StatusCode;
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, demo_app_with, demo_base};

async fn post(demo: &Demo, role: Role, body: &Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(role, "POST", "/api/v1/assessments", Some(body.to_string()))
        .await;
    (status, answer)
}

async fn count(demo: &Demo) -> usize {
    let (_, _, list) = demo
        .send_as(Role::Leader, "GET", "/api/v1/assessments", None)
        .await;
    list["assessments"].as_array().unwrap().len()
}

#[tokio::test]
async fn an_assessment_is_scored_placed_and_raises_its_notice() {
    let demo = demo_app_with(|s| s).await;
    let section = &demo_base().sections[0];
    let cell = &demo_base().grids[0];
    let inside = geo::InteriorPoint::interior_point(&cell.geometry).unwrap();
    // Urban daily, out of 100: litter 3 times (1 each) = 3; standing water, the assessor's 4
    // within 2–10 = 4; bins 7 times (2 each, capped at 10) = 10. 100 − 17 = 83: 中 (fair).
    let body = json!({
        "checklist": "urban-daily",
        "subject": { "type": "section", "code": section.code.as_str() },
        "assessors": ["张考核", "李考核"],
        "position": { "lon": inside.x(), "lat": inside.y() },
        "findings": [
            { "item": "U01", "occurrences": 3, "point": { "lon": inside.x(), "lat": inside.y() }, "note": "烟头纸屑" },
            { "item": "U02", "points": 4 },
            { "item": "U04", "occurrences": 7 }
        ],
        "notices": [{ "item": "U04" }]
    });
    let (status, a) = post(&demo, Role::Supervisor, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["score"]["score"], 83.0, "{a}");
    assert_eq!(a["score"]["rating"], "fair");
    assert_eq!(a["score"]["deducted"], json!([3.0, 4.0, 10.0]));
    assert_eq!(a["kind"], "daily");
    assert_eq!(a["version"], 1);
    assert_eq!(a["contractor"], section.contractor.as_str());
    assert_eq!(a["area"], "urban");
    assert_eq!(
        a["findings"][0]["grid"],
        cell.code.as_str(),
        "placed by the atlas"
    );
    assert!(a["findings"][0]["community"].is_string());
    assert_eq!(a["month"].as_str().unwrap().len(), 7);
    // The notice is a case in the loop: the notice category, raised by inspection, with a
    // deadline, naming the contractor.
    let notice = a["notices"][0].as_i64().expect("a notice raised");
    let (_, _, case) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/cases/{notice}"),
            None,
        )
        .await;
    assert_eq!(case["category"], "9003", "{case}");
    assert_eq!(case["source"], "inspection");
    assert!(case["deadline"].is_string());
    assert!(
        case["description"]
            .as_str()
            .unwrap()
            .contains(&section.contractor)
    );

    // Read back as stored.
    let id = a["id"].as_i64().unwrap();
    let (status, _, again) = demo
        .send_as(
            Role::Planner,
            "GET",
            &format!("/api/v1/assessments/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, a);

    // A door-front survey of a shop, on the 1,000 scale: posters at the assessor's 60 and
    // goods outside at 120 → 820: 良 (fair, 750–899).
    let shop = &demo_base().shops[0];
    let (status, s) = post(
        &demo,
        Role::Officer,
        &json!({ "checklist": "door-front", "subject": { "type": "shop", "code": shop.code.as_str() },
                 "findings": [{ "item": "M04", "points": 60 }, { "item": "M02", "points": 120 }] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(
        (s["score"]["score"].as_f64(), s["score"]["rating"].as_str()),
        (Some(820.0), Some("fair"))
    );
    assert_eq!(s["subject_name"], shop.name.as_str());
}

#[tokio::test]
async fn bad_assessments_are_named_by_field_and_store_nothing() {
    let demo = demo_app_with(|s| s).await;
    let section = demo_base().sections[0].code.as_str();
    let shop = demo_base().shops[0].code.as_str();
    let cases_before = demo
        .state
        .district
        .store()
        .latest_event_seq()
        .await
        .unwrap();
    let bad = [
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": "NOPE" } }),
            "subject.code",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "shop", "code": shop } }),
            "subject.type",
        ),
        (
            json!({ "checklist": "nope", "subject": { "type": "section", "code": section } }),
            "checklist",
        ),
        (
            json!({ "checklist": "urban-daily", "version": 9, "subject": { "type": "section", "code": section } }),
            "version",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section },
                 "findings": [{ "item": "Z99" }] }),
            "findings[0].item",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section },
                 "findings": [{ "item": "U01" }, { "item": "U02", "points": 11 }] }),
            "findings[1].points",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section },
                 "findings": [{ "item": "U01", "photos": ["0000"] }] }),
            "findings[0].photos[0]",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section },
                 "findings": [{ "item": "U01" }], "notices": [{ "item": "U02" }] }),
            "notices[0].item",
        ),
        (
            json!({ "checklist": "dust-by-weight", "subject": { "type": "section", "code": section },
                 "samples": [{ "area_m2": 1, "grams": 5 }] }),
            "samples",
        ),
        (
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section },
                 "at": "2099-01-01T00:00:00Z" }),
            "at",
        ),
    ];
    for (body, field) in bad {
        let (status, answer) = post(&demo, Role::Supervisor, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{answer}");
    }
    // A role that does not assess.
    let (status, _) = post(
        &demo,
        Role::Dispatcher,
        &json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section } }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&demo).await, 0, "nothing stored");
    let cases_after = demo
        .state
        .district
        .store()
        .latest_event_seq()
        .await
        .unwrap();
    assert_eq!(cases_before, cases_after, "no notice raised");
}

#[tokio::test]
async fn a_template_edit_leaves_past_scores_and_the_list_filters_and_exports() {
    let demo = demo_app_with(|s| s).await;
    let urban = &demo_base().sections[0];
    let rural = demo_base()
        .sections
        .iter()
        .find(|s| s.area == citygrid_core::features::SectionArea::Rural)
        .unwrap();
    let daily = |code: &str| {
        json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": code },
                "findings": [{ "item": "U05" }] })
    };
    let (_, first) = post(&demo, Role::Supervisor, &daily(urban.code.as_str())).await;
    assert_eq!(first["score"]["score"], 95.0);
    // The admin makes U05 cost 8: a new version; the past assessment keeps 95.
    let (_, _, book) = demo
        .send_as(Role::Admin, "GET", "/api/v1/checklists", None)
        .await;
    let mut template = book["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "urban-daily")
        .unwrap()
        .clone();
    for item in template["items"].as_array_mut().unwrap() {
        if item["code"] == "U05" {
            item["deduct"] = json!({ "type": "fixed", "points": 8 });
        }
    }
    let (status, _, _) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/checklists",
            Some(json!({ "checklists": [template] }).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, second) = post(&demo, Role::Supervisor, &daily(rural.code.as_str())).await;
    assert_eq!(
        (
            second["version"].as_u64(),
            second["score"]["score"].as_f64()
        ),
        (Some(2), Some(92.0))
    );
    let id = first["id"].as_i64().unwrap();
    let (_, _, past) = demo
        .send_as(
            Role::Leader,
            "GET",
            &format!("/api/v1/assessments/{id}"),
            None,
        )
        .await;
    assert_eq!(
        (past["version"].as_u64(), past["score"]["score"].as_f64()),
        (Some(1), Some(95.0))
    );

    // Filters: by area, by contractor, by subject; a bad month is named.
    let demo = &demo;
    let list = |q: &'static str| async move {
        let (status, _, body) = demo
            .send_as(
                Role::Leader,
                "GET",
                &format!("/api/v1/assessments?{q}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        body["assessments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(list("area=rural").await, [second["id"].as_i64().unwrap()]);
    assert_eq!(list("subject_type=shop").await, Vec::<i64>::new());
    assert_eq!(list("").await.len(), 2);
    let (status, _, body) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/assessments?from=2026-13",
            None,
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );
    // CSV with Chinese headers, one row each.
    let auth = format!("Bearer {}", demo.token(Role::Leader));
    let (status, _, csv) = crate::support::exchange_text(
        &demo.router,
        "GET",
        "/api/v1/assessments?format=csv&lang=zh",
        "application/json",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.trim_start_matches('\u{feff}');
    assert!(csv.starts_with("编号,考核时间,所属月份"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(&rural.contractor));
}

#[tokio::test]
async fn a_shops_rating_is_its_latest_survey_and_incomplete_records_are_listed() {
    let demo = demo_app_with(|s| s).await;
    let (a, b) = (&demo_base().shops[0], &demo_base().shops[1]);
    let survey = |code: &str, at: &str, findings: Value| {
        json!({ "checklist": "door-front", "subject": { "type": "shop", "code": code },
                "at": at, "findings": findings })
    };
    // Shop a: 优 in the morning, then goods outside (200) and a stall (fixed 100) at noon: 700, 差.
    for body in [
        survey(a.code.as_str(), "2026-11-02T01:00:00Z", json!([])),
        survey(
            a.code.as_str(),
            "2026-11-02T04:00:00Z",
            json!([{ "item": "M02", "points": 200 }, { "item": "M07" }]),
        ),
        survey(
            b.code.as_str(),
            "2026-11-03T02:00:00Z",
            json!([{ "item": "M04", "points": 60 }]),
        ),
    ] {
        let (status, answer) = post(&demo, Role::Officer, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let (status, _, body) = demo
        .send_as(Role::Planner, "GET", "/api/v1/shops/ratings", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let rating = |code: &str| {
        body["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["shop"] == code)
            .unwrap()
            .clone()
    };
    let ra = rating(a.code.as_str());
    assert_eq!(
        (
            ra["score"].as_f64(),
            ra["rating"].as_str(),
            ra["rating_name"].as_str()
        ),
        (Some(700.0), Some("poor"), Some("差")),
        "{ra}"
    );
    assert_eq!(
        (ra["surveys"].as_u64(), ra["colour"].as_str()),
        (Some(2), Some("#dc2626"))
    );
    assert_eq!(rating(b.code.as_str())["rating"], "good", "940 is 优");
    assert_eq!(body["ratings"].as_array().unwrap().len(), 2);

    let (_, _, list) = demo
        .send_as(Role::Supervisor, "GET", "/api/v1/shops/incomplete", None)
        .await;
    let expected: Vec<&str> = demo_base()
        .shops
        .iter()
        .filter(|s| s.phone.is_none() || s.license.is_none() || s.contact.is_none())
        .map(|s| s.code.as_str())
        .collect();
    let listed: Vec<&str> = list["shops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(listed, expected);
    let first = demo_base()
        .shops
        .iter()
        .find(|s| s.code.as_str() == listed[0])
        .unwrap();
    let missing: Vec<&str> = list["shops"][0]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(missing.contains(&"phone"), first.phone.is_none());
    assert_eq!(missing.contains(&"license"), first.license.is_none());
}

#[tokio::test]
async fn past_sheets_import_from_csv_all_or_nothing_with_bad_rows_named() {
    let demo = demo_app_with(|s| s).await;
    let section = demo_base().sections[0].code.as_str();
    let shop = demo_base().shops[0].code.as_str();
    let auth = format!("Bearer {}", demo.token(Role::Supervisor));
    let send = |csv: String| {
        let auth = auth.clone();
        let router = demo.router.clone();
        async move {
            let (status, _, text) = crate::support::exchange_text(
                &router,
                "POST",
                "/api/v1/assessments/import",
                "text/csv",
                &[("authorization", &auth)],
                Some(csv),
            )
            .await;
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        }
    };
    // Bad rows are each named by line and column; nothing is stored.
    let bad = format!(
        "考核时间,考核表,对象类型,对象编码,扣分项\n\
         2026-09-10 09:00,urban-daily,标段,{section},U01x3\n\
         2026-09-11 09:00,urban-daily,标段,{section},Z9\n\
         昨天,urban-daily,标段,{section},\n\
         2026-09-12 09:00,urban-daily,标段,{section},U02=abc\n\
         2026-09-12 10:00,urban-daily,标段,NOPE,\n"
    );
    let (status, body) = send(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let named: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [(3, "findings"), (4, "at"), (5, "findings"), (6, "subject")],
        "{body}"
    );
    assert_eq!(count(&demo).await, 0, "nothing imported");
    // A good sheet: scored as if recorded here (100 − 3 − 4 = 93; a shop 1,000 − 60 = 940).
    let good = format!(
        "at,checklist,subject_type,subject,findings,assessors,note\n\
         2026-09-10 09:00,urban-daily,section,{section},U01x3;U02=4,张建国;李卫东,补录\n\
         2026-09-20 15:30,door-front,shop,{shop},M04=60,ZF0001,\n"
    );
    let (status, body) = send(good).await;
    assert_eq!(
        (status, body["imported"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{body}"
    );
    let (_, _, list) = demo
        .send_as(Role::Leader, "GET", "/api/v1/assessments", None)
        .await;
    let scores: Vec<f64> = list["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["score"]["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [940.0, 93.0], "newest first");
    assert_eq!(
        list["assessments"][1]["assessors"],
        json!(["张建国", "李卫东"])
    );
    assert_eq!(list["assessments"][1]["month"], "2026-09");
    // Once September is signed off for the section, a sheet with a row in it is refused.
    let (status, _, _) = demo
        .send_as(
            Role::Leader,
            "POST",
            "/api/v1/periods/signoff",
            Some(json!({ "month": "2026-09" }).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let late =
        format!("at,checklist,subject,findings\n2026-09-25 09:00,urban-daily,{section},U05\n");
    let (status, body) = send(late).await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("at")),
        "{body}"
    );
    assert_eq!(count(&demo).await, 2);
}
