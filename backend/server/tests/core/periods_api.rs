//! `/periods` (FIELDWORK §2): a section's month from its assessments and the contract's rule,
//! worked by hand; a leader signs it off and it is frozen; corrections and appeals afterwards
//! change the deduction as the ledger says; every refusal is named and changes nothing.

use axum::http::StatusCode;
use chrono::{Datelike, TimeZone, Utc};
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, demo_app_with, demo_base};

/// The 15th of last month at 10:00 in the district, and that month as text.
fn last_month() -> (String, String) {
    let tz = chrono_tz::Asia::Shanghai;
    let now = Utc::now().with_timezone(&tz);
    let first = now.date_naive().with_day(1).unwrap();
    let before = first - chrono::Duration::days(1);
    let at = tz
        .with_ymd_and_hms(before.year(), before.month(), 15, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    (at.to_rfc3339(), before.format("%Y-%m").to_string())
}

async fn send(
    demo: &Demo,
    role: Role,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(role, method, uri, body.map(|b| b.to_string()))
        .await;
    (status, answer)
}

async fn change(demo: &Demo, section: &str, month: &str, change: Value) -> (StatusCode, Value) {
    send(
        demo,
        Role::Leader,
        "POST",
        "/api/v1/periods/changes",
        Some(json!({ "section": section, "month": month, "change": change })),
    )
    .await
}

#[tokio::test]
async fn a_month_is_settled_signed_off_frozen_corrected_and_appealed() {
    let demo = demo_app_with(|s| s).await;
    let section = &demo_base().sections[0];
    assert_eq!(
        (section.rule.as_str(), section.fee_per_month),
        ("per-point-90", 350_000.0)
    );
    let code = section.code.as_str();
    let (at, month) = last_month();
    let assess = |checklist: &str, findings: Value| {
        json!({ "checklist": checklist, "subject": { "type": "section", "code": code },
                "at": at, "findings": findings })
    };
    // Daily 95 (litter ×5) and 80 (standing water 10, kerbs ×5 capped at 10): mean 87.5.
    // Comprehensive 85 (U07 10, U05 5). Rule per-point-90 weighs them 0.4 / 0.6:
    // 0.4 × 87.5 + 0.6 × 85 = 86; 4 points under 90 × 2 % = 8 % of 350,000 元 = 28,000 元.
    for body in [
        assess("urban-daily", json!([{ "item": "U01", "occurrences": 5 }])),
        assess(
            "urban-daily",
            json!([{ "item": "U02", "points": 10 }, { "item": "U03", "occurrences": 5 }]),
        ),
        assess(
            "urban-comprehensive",
            json!([{ "item": "U07", "points": 10 }, { "item": "U05" }]),
        ),
    ] {
        let (status, a) = send(
            &demo,
            Role::Supervisor,
            "POST",
            "/api/v1/assessments",
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
    }
    let uri = format!("/api/v1/periods?from={month}&to={month}");
    let (status, table) = send(&demo, Role::Planner, "GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{table}");
    let ours = |t: &Value| {
        t["periods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["figures"]["section"] == code)
            .unwrap()
            .clone()
    };
    let p = ours(&table);
    assert_eq!(p["figures"]["score"], 86.0, "{p}");
    assert_eq!(
        (
            p["figures"]["daily"].as_u64(),
            p["figures"]["comprehensive"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(p["figures"]["failed_items"], 5);
    assert_eq!(p["figures"]["settlement"]["deducted"], 28_000.0);
    assert_eq!(p["deducted"], 28_000.0);
    let urban = table["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["area"] == "urban")
        .unwrap();
    assert_eq!(
        (urban["deducted"].as_f64(), urban["daily"].as_u64()),
        (Some(28_000.0), Some(2))
    );

    // Corrections and appeals wait for the sign-off; a supervisor signs nothing.
    let (status, _) = change(
        &demo,
        code,
        &month,
        json!({ "type": "adjust", "yuan": -2000, "reason": "复核" }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = send(
        &demo,
        Role::Supervisor,
        "POST",
        "/api/v1/periods/signoff",
        Some(json!({ "month": month })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A section that does not exist stops the whole sign-off.
    let (status, body) = send(
        &demo,
        Role::Leader,
        "POST",
        "/api/v1/periods/signoff",
        Some(json!({ "month": month, "sections": [code, "NOPE"] })),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("sections[1]")),
        "{body}"
    );
    let (_, table) = send(&demo, Role::Leader, "GET", &uri, None).await;
    assert!(ours(&table)["signed_by"].is_null(), "nothing signed");
    // The leader signs the month off: every section assessed that month.
    let (status, signed) = send(
        &demo,
        Role::Leader,
        "POST",
        "/api/v1/periods/signoff",
        Some(json!({ "month": month })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(signed["periods"].as_array().unwrap().len(), 1, "{signed}");
    assert_eq!(signed["periods"][0]["signed_by"], "leader");

    // Frozen: a late assessment of that month is refused, and the figures stay.
    let (status, late) = send(
        &demo,
        Role::Supervisor,
        "POST",
        "/api/v1/assessments",
        Some(assess("urban-daily", json!([]))),
    )
    .await;
    assert_eq!(
        (status, late["field"].as_str()),
        (StatusCode::CONFLICT, Some("at")),
        "{late}"
    );
    let (_, listed) = send(
        &demo,
        Role::Leader,
        "GET",
        &format!("/api/v1/assessments?from={month}&to={month}"),
        None,
    )
    .await;
    assert_eq!(listed["assessments"].as_array().unwrap().len(), 3);
    let (status, _) = change(&demo, code, &month, json!({ "type": "sign_off" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "signed once");

    // −2,000 元 corrected; 10,000 appealed and upheld; 5,000 appealed and rejected:
    // 28,000 − 2,000 − 10,000 = 16,000 元.
    let (status, body) = change(
        &demo,
        code,
        &month,
        json!({ "type": "adjust", "yuan": -2000, "reason": " " }),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("change.reason")),
        "{body}"
    );
    let (status, p) = change(
        &demo,
        code,
        &month,
        json!({ "type": "adjust", "yuan": -2000, "reason": "复核：一处扣分有误" }),
    )
    .await;
    assert_eq!(
        (status, p["deducted"].as_f64()),
        (StatusCode::OK, Some(26_000.0)),
        "{p}"
    );
    let (_, p) = change(
        &demo,
        code,
        &month,
        json!({ "type": "appeal", "yuan": 10000, "reason": "暴雨天气" }),
    )
    .await;
    let upheld = p["appeals"][0]["id"].as_i64().unwrap();
    let (_, p) = change(
        &demo,
        code,
        &month,
        json!({ "type": "appeal", "yuan": 5000, "reason": "道路施工" }),
    )
    .await;
    let rejected = p["appeals"][1]["id"].as_i64().unwrap();
    assert_eq!(
        p["deducted"], 26_000.0,
        "a filed appeal changes nothing yet"
    );
    let (status, body) = change(
        &demo,
        code,
        &month,
        json!({ "type": "appeal", "yuan": 99000, "reason": "x" }),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("change.yuan")),
        "{body}"
    );
    change(
        &demo,
        code,
        &month,
        json!({ "type": "decide", "appeal": upheld, "upheld": true, "note": "属实" }),
    )
    .await;
    let (_, p) = change(
        &demo,
        code,
        &month,
        json!({ "type": "decide", "appeal": rejected, "upheld": false }),
    )
    .await;
    assert_eq!(p["deducted"], 16_000.0, "{p}");
    assert_eq!(p["appeals"][0]["status"], "upheld");
    assert_eq!(p["appeals"][1]["status"], "rejected");
    let (status, _) = change(
        &demo,
        code,
        &month,
        json!({ "type": "decide", "appeal": upheld, "upheld": false }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "decided once");
    // The table agrees, with the whole ledger, and exports it.
    let (_, table) = send(&demo, Role::Leader, "GET", &uri, None).await;
    let p = ours(&table);
    assert_eq!(
        (p["deducted"].as_f64(), p["adjustments"].as_f64()),
        (Some(16_000.0), Some(-2_000.0))
    );
    assert_eq!(p["ledger"].as_array().unwrap().len(), 6);
    let auth = format!("Bearer {}", demo.token(Role::Leader));
    let (status, _, csv) = crate::support::exchange_text(
        &demo.router,
        "GET",
        &format!("{uri}&format=csv&lang=zh"),
        "application/json",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.trim_start_matches('\u{feff}');
    assert!(csv.starts_with("标段编号,标段名称,作业单位"), "{csv}");
    assert!(
        csv.contains("16000.00") && csv.contains("28000.00"),
        "{csv}"
    );
    let (status, body) = send(
        &demo,
        Role::Leader,
        "GET",
        "/api/v1/periods?from=2026-9",
        None,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );
}

#[tokio::test]
async fn the_quarterly_report_gives_the_inspection_lines() {
    let demo = demo_app_with(|s| s).await;
    let (at, month) = last_month();
    let base = demo_base();
    let urban = &base.sections[0];
    let rural = base
        .sections
        .iter()
        .find(|s| s.area == citygrid_core::features::SectionArea::Rural)
        .unwrap();
    // Town: two daily, one comprehensive raising a notice. Villages: one daily (−500 元 a
    // failed item under per-item-500: two items = 1,000 元). Three surveys of two shops.
    let section = |code: &str, checklist: &str, findings: Value, notices: Value| {
        json!({ "checklist": checklist, "subject": { "type": "section", "code": code },
                "at": at, "findings": findings, "notices": notices })
    };
    let shops = [&base.shops[0], &base.shops[1], &base.shops[0]];
    let mut bodies = vec![
        section(urban.code.as_str(), "urban-daily", json!([]), json!([])),
        section(urban.code.as_str(), "urban-daily", json!([]), json!([])),
        section(
            urban.code.as_str(),
            "urban-comprehensive",
            json!([{ "item": "U07", "points": 10 }]),
            json!([{ "item": "U07" }]),
        ),
        section(
            rural.code.as_str(),
            "rural-cleaning",
            json!([{ "item": "R03" }, { "item": "R01" }]),
            json!([]),
        ),
    ];
    for (i, shop) in shops.iter().enumerate() {
        // The first shop's latest survey (the third) rates it 良; the second shop's 优.
        let findings = if i == 2 {
            json!([{ "item": "M02", "points": 150 }])
        } else {
            json!([])
        };
        bodies.push(json!({ "checklist": "door-front", "subject": { "type": "shop", "code": shop.code.as_str() },
                            "at": at, "findings": findings }));
    }
    for body in bodies {
        let (status, a) = send(
            &demo,
            Role::Supervisor,
            "POST",
            "/api/v1/assessments",
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
    }
    let m: u32 = month[5..].parse().unwrap();
    let quarter = format!("{}-Q{}", &month[..4], (m - 1) / 3 + 1);
    let (status, report) = send(
        &demo,
        Role::Leader,
        "GET",
        &format!("/api/v1/reports/quarterly?quarter={quarter}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let lines = &report["inspections"]["sanitation"];
    let town = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["area"] == "urban")
        .unwrap();
    let villages = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["area"] == "rural")
        .unwrap();
    assert_eq!(
        (
            town["daily"].as_u64(),
            town["comprehensive"].as_u64(),
            town["notices"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "{town}"
    );
    assert_eq!(
        (
            villages["comprehensive"].as_u64(),
            villages["deducted"].as_f64()
        ),
        (Some(1), Some(1_000.0)),
        "{villages}"
    );
    let door = &report["inspections"]["door_front"];
    assert_eq!(
        (door["surveys"].as_u64(), door["shops_surveyed"].as_u64()),
        (Some(3), Some(2)),
        "{door}"
    );
    let incomplete = base
        .shops
        .iter()
        .filter(|s| s.contact.is_none() || s.phone.is_none() || s.license.is_none())
        .count();
    assert_eq!(door["incomplete_records"].as_u64(), Some(incomplete as u64));
    assert_eq!(
        door["by_rating"],
        json!([{ "key": "good", "name": "优", "cases": 1 }, { "key": "fair", "name": "良", "cases": 1 }])
    );
    // The same lines in the CSV and the printable page.
    let auth = format!("Bearer {}", demo.token(Role::Leader));
    let (_, _, csv) = crate::support::exchange_text(
        &demo.router,
        "GET",
        &format!("/api/v1/reports/quarterly?quarter={quarter}&format=csv&lang=zh"),
        "application/json",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert!(
        csv.contains("环卫考核,rural.deducted,农村考核扣款,0,1000.00,元"),
        "{csv}"
    );
    assert!(csv.contains("门前责任制,surveyed,排查商户,2,3,次"), "{csv}");
    let (_, _, html) = crate::support::exchange_text(
        &demo.router,
        "GET",
        &format!("/api/v1/reports/quarterly?quarter={quarter}&format=html"),
        "application/json",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert!(
        html.contains("八、环卫作业考核")
            && html.contains("0.10万元")
            && html.contains("九、门前责任制"),
        "{html}"
    );
}
