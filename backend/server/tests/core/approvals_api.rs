//! `/applications` (FIELDWORK §5): the desk receives an application (credit code checked by
//! its check character), asks for materials (the clock stops), decides it; an approved shop
//! sign is written onto the shop's record; a decided application takes no further step; the
//! applicant's data is shown only to those who handle applications, and never by the public
//! lookup; figures by type; past applications import from CSV all or nothing.

use axum::http::StatusCode;
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, demo_app_with, demo_base, exchange};

fn sign_filing() -> Value {
    json!({
        "type": "shop-sign", "subject": "新设门头招牌",
        "applicant": { "name": "东山小厨餐饮店", "credit_code": "91350100M000100Y43", "contact": "13912345678" },
        "place": { "shop": demo_base().shops[0].code.as_str() },
        "received_at": "2026-09-24T09:00:00+08:00",
        "materials": ["营业执照复印件", "招牌效果图（含尺寸、材质）"],
        "sign": { "text": "东山小厨", "area_m2": 4.5 }
    })
}

async fn receive(demo: &Demo, body: &Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/applications",
            Some(body.to_string()),
        )
        .await;
    (status, answer)
}

async fn step(demo: &Demo, id: i64, body: Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            &format!("/api/v1/applications/{id}/steps"),
            Some(body.to_string()),
        )
        .await;
    (status, answer)
}

#[tokio::test]
async fn an_application_is_received_paused_decided_and_files_the_shop_sign() {
    let demo = demo_app_with(|s| s).await;
    let (status, a) = receive(&demo, &sign_filing()).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["number"], "SP20260924001");
    assert_eq!(
        (
            a["status"].as_str(),
            a["mode"].as_str(),
            a["limit"].as_str()
        ),
        (Some("received"), Some("filing"), Some("same_day"))
    );
    assert!(
        a["cell"].is_string() && a["community"].is_string(),
        "placed through its shop: {a}"
    );
    assert_eq!(a["shop_name"], demo_base().shops[0].name.as_str());
    // Thursday 24 Sep from 09:00: 180 + 210 working minutes left that day.
    assert_eq!(a["clock"]["limit_minutes"], 390);

    // Materials asked for at 10:00 stop the clock; the public lookup says what to bring.
    let (status, b) = step(
        &demo,
        id,
        json!({ "version": 1, "at": "2026-09-24T10:00:00+08:00",
        "step": { "type": "request_materials", "materials": ["安全承诺书"] } }),
    )
    .await;
    assert_eq!(
        (status, b["status"].as_str()),
        (StatusCode::OK, Some("awaiting_materials")),
        "{b}"
    );
    assert_eq!(
        (
            b["clock"]["paused"].as_bool(),
            b["clock"]["used_minutes"].as_i64()
        ),
        (Some(true), Some(60))
    );
    let (status, _, public) = exchange(
        &demo.router,
        "GET",
        "/api/v1/public/applications/SP20260924001",
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["materials_requested"], json!(["安全承诺书"]));
    let text = public.to_string();
    assert!(
        !text.contains("东山小厨餐饮店")
            && !text.contains("13912345678")
            && !text.contains("91350100"),
        "no personal data: {text}"
    );
    let (status, _, _) = exchange(
        &demo.router,
        "GET",
        "/api/v1/public/applications/SP19990101001",
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Approving while waiting for materials is not allowed; receiving them is.
    let (status, p) = step(
        &demo,
        id,
        json!({ "version": 2, "step": { "type": "approve", "certificate": "ZP-1" } }),
    )
    .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("step.type")),
        "{p}"
    );
    let (status, c) = step(&demo, id, json!({ "version": 2, "at": "2026-09-24T15:00:00+08:00", "step": { "type": "materials_received" } })).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    // A stale version is refused.
    let (status, p) = step(
        &demo,
        id,
        json!({ "version": 2, "step": { "type": "reject", "reason": "x" } }),
    )
    .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("version")),
        "{p}"
    );
    let (status, d) = step(
        &demo,
        id,
        json!({ "version": 3, "at": "2026-09-24T16:30:00+08:00",
        "step": { "type": "approve", "certificate": "ZP-2026-0924-01" } }),
    )
    .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{d}"
    );
    // 60 + 90 working minutes (the pause from 10:00 to 15:00 left out): the same day, on time.
    assert_eq!(
        (
            d["clock"]["used_minutes"].as_i64(),
            d["clock"]["same_day"].as_bool(),
            d["clock"]["on_time"].as_bool()
        ),
        (Some(150), Some(true), Some(true))
    );
    // A decided application takes no further step.
    let (status, p) = step(
        &demo,
        id,
        json!({ "version": 4, "step": { "type": "reject", "reason": "改变主意" } }),
    )
    .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("step.type")),
        "{p}"
    );

    // The sign is on the shop's record.
    let shop = demo.state.district.atlas().base().shops[0].clone();
    assert_eq!(shop.attributes.get("sign"), Some(&json!("东山小厨")));
    assert_eq!(
        shop.attributes.get("sign_filing"),
        Some(&json!("ZP-2026-0924-01"))
    );

    // Applicants are shown to the desk, not to a planner.
    let uri = format!("/api/v1/applications/{id}");
    let (_, _, desk) = demo.send_as(Role::Dispatcher, "GET", &uri, None).await;
    assert_eq!(desk["applicant"]["name"], "东山小厨餐饮店");
    let (_, _, planner) = demo.send_as(Role::Planner, "GET", &uri, None).await;
    assert!(planner.get("applicant").is_none(), "{planner}");
    let (_, csv) = demo
        .send_text_as(
            Role::Planner,
            "GET",
            "/api/v1/applications?format=csv",
            "text/plain",
            String::new(),
        )
        .await;
    assert!(!csv.contains("13912345678"), "{csv}");

    // Figures of the quarter, and the report's lines.
    let (_, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/applications/figures?from=2026-07-01&to=2026-09-30",
            None,
        )
        .await;
    assert_eq!(
        (
            f["handled"].as_u64(),
            f["same_day"].as_u64(),
            f["on_time"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{f}"
    );
    assert_eq!(f["types"][0]["type"], "shop-sign");
    assert_eq!(f["types"][0]["mean_working_minutes"], 150.0);
    let (_, _, report) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3",
            None,
        )
        .await;
    assert_eq!(report["approvals"]["handled"], 1, "{report}");
    let (_, html) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=html",
            "text/plain",
            String::new(),
        )
        .await;
    assert!(
        html.contains("十一、审批备案") && html.contains("门头招牌设置备案"),
        "{html}"
    );
}

#[tokio::test]
async fn bad_applications_are_named_and_overdue_ones_are_marked() {
    let demo = demo_app_with(|s| s).await;
    for (change, field) in [
        (json!({ "type": "kite-flying" }), "type"),
        (
            json!({ "applicant": { "name": "某店", "credit_code": "91350100M000100Y44", "contact": "1" } }),
            "applicant.credit_code",
        ),
        (
            json!({ "applicant": { "name": " ", "contact": "1" } }),
            "applicant.name",
        ),
        (json!({ "place": {} }), "place"),
        (json!({ "place": { "address": "人民路1号" } }), "place.shop"),
        (json!({ "sign": null }), "sign.text"),
        (
            json!({ "received_at": "2999-01-01T00:00:00Z" }),
            "received_at",
        ),
        (
            json!({ "received_at": "1066-10-14T09:00:00Z" }),
            "received_at",
        ),
    ] {
        let mut body = sign_filing();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, p) = receive(&demo, &body).await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{p}"
        );
    }
    let (_, _, list) = demo
        .send_as(Role::Dispatcher, "GET", "/api/v1/applications", None)
        .await;
    assert_eq!(
        list["applications"].as_array().unwrap().len(),
        0,
        "nothing stored"
    );
    // A poster application received long ago and never decided is overdue.
    let mut poster = sign_filing();
    poster["type"] = json!("poster");
    poster["received_at"] = json!("2026-09-01T09:00:00+08:00");
    let (status, a) = receive(&demo, &poster).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["sign"], Value::Null, "only a sign filing keeps a sign");
    let (_, _, overdue) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            "/api/v1/applications?overdue=true",
            None,
        )
        .await;
    assert_eq!(
        overdue["applications"][0]["clock"]["overdue"], true,
        "{overdue}"
    );
    let (status, _, p) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            "/api/v1/applications?status=lost",
            None,
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    let (status, _, _) = demo
        .send_as(
            Role::Planner,
            "POST",
            "/api/v1/applications",
            Some(poster.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn past_applications_import_from_csv_all_or_nothing() {
    let demo = demo_app_with(|s| s).await;
    let shop = demo_base().shops[1].code.as_str();
    let import = |csv: String| {
        demo.send_text_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/applications/import",
            "text/csv",
            csv,
        )
    };
    let bad = format!(
        "编号,类型,申请人,统一社会信用代码,联系方式,事项,商户,地址,招牌内容,受理时间,办结时间,结果,证书编号\n\
         BA-1,门头招牌设置备案,某店,91350100M000100Y43,139,招牌,{shop},,某店,2026-08-03 09:00,2026-08-03 11:00,准予,ZP-1\n\
         BA-2,shop-sign,某店,123,139,招牌,{shop},,某店,2026-08-03 09:00,,,\n\
         BA-3,poster,某公司,,139,横幅,,人民路1号,,2026-08-04 09:00,2026-08-04 08:00,准予,ZP-3\n\
         BA-1,poster,某公司,,139,横幅,,人民路1号,,2026-08-05 09:00,,,\n\
         BA-5,poster,某公司,,139,横幅,,人民路1号,,2026-08-05 09:00,2026-08-06 09:00,maybe,\n"
    );
    let (status, text) = import(bad).await;
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let named: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [
            (3, "credit_code"),
            (4, "decided_at"),
            (5, "number"),
            (6, "decision")
        ],
        "{body}"
    );
    let (_, _, list) = demo
        .send_as(Role::Dispatcher, "GET", "/api/v1/applications", None)
        .await;
    assert_eq!(
        list["applications"].as_array().unwrap().len(),
        0,
        "nothing imported"
    );

    let good = format!(
        "number,type,applicant,contact,subject,shop,address,sign,received_at,decided_at,decision,certificate,reason\n\
         BA-1,shop-sign,某店,139,招牌,{shop},,某店,2026-08-03 09:00,2026-08-03 11:00,approved,ZP-1,\n\
         ,poster,某公司,139,横幅,,人民路1号,,2026-08-04 09:00,2026-08-10 09:00,rejected,,位置不符合规划\n\
         ,muck-disposal,某工程公司,139,建筑垃圾处置,,人民路2号,,2026-08-05 09:00,,,,\n"
    );
    let (status, text) = import(good).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, _, list) = demo
        .send_as(Role::Dispatcher, "GET", "/api/v1/applications", None)
        .await;
    let numbers: Vec<&str> = list["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), 3);
    assert!(
        numbers.contains(&"BA-1")
            && numbers.contains(&"SP20260804001")
            && numbers.contains(&"SP20260805001"),
        "{numbers:?}"
    );
    assert_eq!(
        list["applications"][0]["status"], "received",
        "open ones first"
    );
    let (_, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/applications/figures?from=2026-08-01&to=2026-08-31",
            None,
        )
        .await;
    assert_eq!(
        (f["handled"].as_u64(), f["same_day"].as_u64()),
        (Some(2), Some(1)),
        "{f}"
    );
}
