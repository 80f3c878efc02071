//! `/work-orders` (FIELDWORK §6): an order from the centre is received
//! once by its number with its reply due by type and calendar, taken through its loop a step at a
//! time from the version read; a step out of turn, a duplicate number, a bad type or an over-long
//! text is named and stores nothing; the caller is shown only to those who see contacts.

use axum::http::StatusCode;
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, demo_app_with};

fn complaint(number: &str) -> Value {
    json!({ "number": number, "received_at": "2026-09-30T10:00:00+08:00", "type": "consultation",
            "channel": "电话", "caller": { "name": "王女士", "phone": "13800000000" },
            "text": "楼下烧烤店油烟直排，窗户都不能开", "address": "淮海西路12号" })
}

async fn act(demo: &Demo, id: i64, version: i64, action: Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            &format!("/api/v1/work-orders/{id}/actions"),
            Some(json!({ "version": version, "action": action }).to_string()),
        )
        .await;
    (status, answer)
}

#[tokio::test]
async fn an_order_is_received_once_and_taken_through_its_loop() {
    let demo = demo_app_with(|s| s).await;
    let (status, _, o) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(complaint("GD-001").to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    // A consultation of Wed 30 Sep 10:00 is due Sat 10 Oct 10:00 (a worked Saturday after the
    // National Day holiday).
    assert_eq!(o["due"], "2026-10-10T02:00:00Z");
    assert_eq!(o["state"]["status"], "received");
    let id = o["id"].as_i64().unwrap();
    // The same number again is refused, and nothing changes.
    let (status, _, p) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(complaint("GD-001").to_string()),
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("number")),
        "{p}"
    );
    for (change, field) in [
        (json!({ "type": "gossip" }), "type"),
        (json!({ "text": "长".repeat(2001) }), "text"),
        (json!({ "number": " " }), "number"),
    ] {
        let mut body = complaint("GD-002");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, _, p) = demo
            .send_as(
                Role::Dispatcher,
                "POST",
                "/api/v1/work-orders",
                Some(body.to_string()),
            )
            .await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{p}"
        );
    }
    // Out of turn: a reply before acceptance, a callback before the reply.
    let (status, p) = act(&demo, id, 1, json!({ "type": "reply", "text": "已处理" })).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("action.type")),
        "{p}"
    );
    let (status, o) = act(&demo, id, 1, json!({ "type": "accept" })).await;
    assert_eq!(
        (status, o["state"]["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{o}"
    );
    let (status, p) = act(
        &demo,
        id,
        2,
        json!({ "type": "callback", "solved": true, "satisfaction": "satisfied" }),
    )
    .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("action.type")),
        "{p}"
    );
    let (status, p) = act(
        &demo,
        id,
        2,
        json!({ "type": "callback", "solved": true, "satisfaction": "thrilled" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    // Overdue now (the due time is long past): red, urged; then replied late.
    let (_, _, list) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            "/api/v1/work-orders?overdue=true",
            None,
        )
        .await;
    assert_eq!(list["orders"][0]["number"], "GD-001", "{list}");
    let (status, o) = act(&demo, id, 2, json!({ "type": "urge" })).await;
    assert_eq!(
        (status, o["state"]["urged"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{o}"
    );
    let (status, o) = act(
        &demo,
        id,
        3,
        json!({ "type": "reply", "text": "已责令店家安装油烟净化设备" }),
    )
    .await;
    assert_eq!(
        (status, o["state"]["replied_on_time"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{o}"
    );
    let (status, o) = act(&demo, id, 4, json!({ "type": "callback", "solved": false, "satisfaction": "dissatisfied", "bureau_at_fault": true })).await;
    assert_eq!(
        (status, o["state"]["to_rehandle"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{o}"
    );
    let (status, p) = act(&demo, id, 5, json!({ "type": "close" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "handle it again first: {p}");
    let (status, o) = act(
        &demo,
        id,
        5,
        json!({ "type": "rehandle", "reason": "未整改到位" }),
    )
    .await;
    assert_eq!(
        (
            status,
            o["state"]["rehandled"].as_u64(),
            o["state"]["status"].as_str()
        ),
        (StatusCode::OK, Some(1), Some("accepted")),
        "{o}"
    );
    // A stale version is refused.
    let (status, p) = act(&demo, id, 5, json!({ "type": "reply", "text": "x" })).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("version")),
        "{p}"
    );
    // The caller: to the desk, not to a planner.
    let uri = format!("/api/v1/work-orders/{id}");
    let (_, _, desk) = demo.send_as(Role::Dispatcher, "GET", &uri, None).await;
    assert_eq!(desk["caller"]["phone"], "13800000000");
    let (_, _, planner) = demo.send_as(Role::Planner, "GET", &uri, None).await;
    assert!(planner.get("caller").is_none(), "{planner}");
    let (status, _, _) = demo
        .send_as(
            Role::Planner,
            "POST",
            "/api/v1/work-orders",
            Some(complaint("GD-009").to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_orders_words_suggest_its_category_and_place() {
    let demo = demo_app_with(|s| s).await;
    let street = crate::support::demo_base().streets[0].name.clone();
    let mut body = complaint("GD-100");
    body["text"] = json!(format!("{street}12号楼下烧烤店油烟直排，窗户都不能开"));
    body.as_object_mut().unwrap().remove("address");
    let (_, _, o) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(body.to_string()),
        )
        .await;
    let id = o["id"].as_i64().unwrap();
    let (status, _, s) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/work-orders/{id}/suggestions"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["categories"][0]["category"], "0106", "{s}");
    assert_eq!(s["categories"][0]["name_zh"], "餐饮油烟");
    assert!(
        s["place"]["label"]
            .as_str()
            .unwrap()
            .contains(street.as_str()),
        "{s}"
    );
    // Words that name nothing still get an answer, saying so.
    let mut body = complaint("GD-101");
    body["text"] = json!("？？？");
    body.as_object_mut().unwrap().remove("address");
    let (_, _, o) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(body.to_string()),
        )
        .await;
    let (status, _, s) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/work-orders/{}/suggestions", o["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert!(
        s["categories"].as_array().unwrap().is_empty() && s["note"].is_string(),
        "{s}"
    );
}

async fn receive(demo: &Demo, number: &str, text: &str) -> i64 {
    let mut body = complaint(number);
    body["text"] = json!(text);
    body.as_object_mut().unwrap().remove("address");
    let (status, _, o) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(body.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn suggest(demo: &Demo, id: i64) -> Value {
    let (status, _, s) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/work-orders/{id}/suggestions"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    s
}

#[tokio::test]
async fn a_settled_order_makes_its_case_and_its_correction_teaches_the_suggester() {
    let demo = demo_app_with(|s| s).await;
    let street = crate::support::demo_base().streets[0].name.clone();
    let text = format!("{street}8号门口的水果摊天天占着人行道，推婴儿车都过不去");
    let id = receive(&demo, "GD-300", &text).await;
    let s = suggest(&demo, id).await;
    let offered = s["categories"][0]["category"].as_str().unwrap().to_owned();
    let point = s["place"]["point"].clone();
    assert!(point.is_object(), "{s}");
    // Creating the case needs the category and place settled first.
    let (_, o) = act(&demo, id, 1, json!({ "type": "accept" })).await;
    let (status, p) = act(&demo, id, 2, json!({ "type": "create_case" })).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("action.type")),
        "{p} {o}"
    );
    for (action, field) in [
        (
            json!({ "type": "classify", "category": "9999" }),
            "action.category",
        ),
        (
            json!({ "type": "classify", "category": "0106", "point": { "lon": 500.0, "lat": 31.0 } }),
            "action.point",
        ),
    ] {
        let (status, p) = act(&demo, id, 2, action).await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{p}"
        );
    }
    // The dispatcher corrects the category (or keeps it) and confirms the place.
    let settled = if offered == "0101" { "0102" } else { "0101" };
    let (status, o) = act(
        &demo,
        id,
        2,
        json!({ "type": "classify", "category": settled, "point": point, "suggested": offered }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_eq!(o["state"]["category"], settled);
    assert_eq!(o["state"]["suggestion_kept"], false);
    assert!(o["state"]["community"].is_string(), "{o}");
    let (status, o) = act(&demo, id, 3, json!({ "type": "create_case" })).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    let case = o["state"]["cases"][0].as_i64().unwrap();
    let (_, _, c) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/cases/{case}"),
            None,
        )
        .await;
    assert_eq!(
        (
            c["source"].as_str(),
            c["category"].as_str(),
            c["description"].as_str()
        ),
        (Some("hotline"), Some(settled), Some(text.as_str())),
        "{c}"
    );
    assert_eq!(c["reporter"]["phone"], "13800000000", "{c}");

    // Words the bureau never saw suggest nothing, until a dispatcher settles an order with them.
    let odd = "咕噜咕噜噗噗噗叮叮当当";
    let first = receive(&demo, "GD-301", odd).await;
    assert!(suggest(&demo, first).await["categories"][0]["category"] != "0303");
    let (_, _, before) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-order-suggester",
            None,
        )
        .await;
    act(
        &demo,
        first,
        1,
        json!({ "type": "classify", "category": "0303" }),
    )
    .await;
    let (status, _, after) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-order-suggester",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(
        after["trained_on"].as_u64(),
        before["trained_on"].as_u64().map(|n| n + 1),
        "the settled order is learned from: {before} {after}"
    );
    let second = receive(&demo, "GD-302", odd).await;
    assert_eq!(
        suggest(&demo, second).await["categories"][0]["category"],
        "0303"
    );
    let (status, _, _) = demo
        .send_as(Role::Planner, "POST", "/api/v1/work-order-suggester", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_figures_and_the_quarterly_report_count_the_orders_as_they_stand() {
    let demo = demo_app_with(|s| s).await;
    let mut ids = Vec::new();
    for (number, kind, at) in [
        ("GD-Q1", "complaint", "2026-07-15T10:00:00+08:00"),
        ("GD-Q2", "consultation", "2026-08-03T09:00:00+08:00"),
        ("GD-Q3", "help", "2026-09-01T15:00:00+08:00"),
        ("GD-Q4", "complaint", "2026-06-30T23:00:00+08:00"),
    ] {
        let mut body = complaint(number);
        body["type"] = json!(kind);
        body["received_at"] = json!(at);
        let (status, _, o) = demo
            .send_as(
                Role::Dispatcher,
                "POST",
                "/api/v1/work-orders",
                Some(body.to_string()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{o}");
        ids.push(o["id"].as_i64().unwrap());
    }
    let point = crate::support::cell_centre(true);
    let (a, b) = (ids[0], ids[1]);
    for (version, action) in [
        json!({ "type": "accept" }),
        json!({ "type": "classify", "category": "0106", "point": { "lon": point.lon, "lat": point.lat }, "suggested": "0106" }),
        json!({ "type": "reply", "text": "已责令安装油烟净化设备" }),
        json!({ "type": "callback", "solved": true, "satisfaction": "basically_satisfied" }),
        json!({ "type": "close" }),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, o) = act(&demo, a, version as i64 + 1, action).await;
        assert_eq!(status, StatusCode::OK, "{o}");
    }
    for (version, action) in [
        json!({ "type": "accept" }),
        json!({ "type": "reply", "text": "已答复" }),
        json!({ "type": "callback", "solved": false, "satisfaction": "dissatisfied", "bureau_at_fault": true }),
        json!({ "type": "rehandle", "reason": "未解决" }),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, o) = act(&demo, b, version as i64 + 1, action).await;
        assert_eq!(status, StatusCode::OK, "{o}");
    }
    let (status, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/work-orders/figures?from=2026-07-01&to=2026-09-30",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let t = &f["total"];
    // GD-Q4 came on 30 June, local time: not this quarter's.
    assert_eq!(t["received"], 3, "{f}");
    assert_eq!(
        t["by_type"],
        json!({ "complaint": 1, "consultation": 1, "help": 1 })
    );
    for (field, n) in [
        ("replied", 2),
        ("replied_on_time", 0),
        ("called_back", 2),
        ("satisfied", 1),
        ("rehandled", 1),
        ("closed", 1),
        // GD-Q3 was never replied; GD-Q2 is being handled again with a new due time.
        ("overdue", 1),
    ] {
        assert_eq!(t[field], n, "{field}: {f}");
    }
    assert_eq!(t["satisfied_rate"], 0.5);
    assert!(t["mean_working_hours"].as_f64().unwrap() > 0.0);
    assert_eq!(
        f["by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["key"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2026-07", "2026-08", "2026-09"]
    );
    let fumes = f["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "0106")
        .unwrap();
    assert_eq!(
        (fumes["received"].as_u64(), fumes["name"].as_str()),
        (Some(1), Some("餐饮油烟"))
    );
    assert_eq!(
        f["by_community"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (
                c["key"].as_str().unwrap().is_empty(),
                c["received"].as_u64().unwrap(),
                c["name"].is_string()
            ))
            .collect::<Vec<_>>(),
        [(true, 2, false), (false, 1, true)],
        "the order placed is counted in its community: {f}"
    );
    assert_eq!(
        (f["suggested"].as_u64(), f["suggestion_kept"].as_u64()),
        (Some(1), Some(1))
    );

    // The quarterly report carries the same figures, in JSON, CSV and HTML.
    let (_, _, report) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3",
            None,
        )
        .await;
    assert_eq!(report["work_orders"]["total"], f["total"], "{report}");
    let (_, csv) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=csv",
            "text/plain",
            String::new(),
        )
        .await;
    assert!(
        csv.lines()
            .any(|l| l.starts_with("work_orders,received,受理工单,3,")),
        "{csv}"
    );
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
        html.contains("十二、12345热线工单") && html.contains("50.0%") && html.contains("古城社区"),
        "{html}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("work_orders,community.340688001001,古城社区,1,")),
        "{csv}"
    );
    // Bad days are named.
    let (status, _, p) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/work-orders/figures?from=2026-09-30&to=2026-07-01",
            None,
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("to"))
    );
}

#[tokio::test]
async fn orders_come_from_the_platform_once_by_number_and_go_back_with_their_replies() {
    let demo = demo_app_with(|s| s.with_hotline_keys(vec!["k-12345".into()])).await;
    let csv = |rows: &str| {
        format!(
            "工单编号,受理时间,来源渠道,工单类型,紧急,诉求人,联系电话,诉求内容,事发地址\n{rows}"
        )
    };
    let import = |body: String| {
        let demo = &demo;
        async move {
            let (status, text) = demo
                .send_text_as(
                    Role::Dispatcher,
                    "POST",
                    "/api/v1/work-orders/import",
                    "text/csv",
                    body,
                )
                .await;
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        }
    };
    let count = || async {
        let (_, _, list) = demo
            .send_as(Role::Dispatcher, "GET", "/api/v1/work-orders", None)
            .await;
        list["orders"].as_array().unwrap().len()
    };
    // Bad rows are named by line and column; nothing is stored.
    let (status, p) = import(csv(
        "GD-A1,2026-09-14 09:10,电话,投诉,否,王女士,138,楼下烧烤油烟直排,人民路1号\n\
         GD-A2,2026-09-14 25:00,电话,投诉,否,,,噪音,\n\
         GD-A3,2026-09-14 10:00,电话,闲聊,否,,,噪音,\n\
         GD-A1,2026-09-14 11:00,电话,咨询,可能,,,问询,\n",
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let named: Vec<(u64, &str)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [(3, "received_at"), (4, "type"), (5, "urgent")],
        "{p}"
    );
    assert_eq!(count().await, 0);
    let good = csv(
        "GD-A1,2026-09-14 09:10,电话,投诉,否,王女士,13800000000,楼下烧烤油烟直排,人民路1号\n\
         GD-A2,2026-09-14 10:00,网站,咨询,是,,,占道经营如何处罚,\n",
    );
    let (status, taken) = import(good.clone()).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(
        taken,
        json!({ "received": 2, "updated": 0, "unchanged": 0 })
    );
    // The same file again changes nothing; a corrected row updates its order, never a second.
    let (_, taken) = import(good).await;
    assert_eq!(
        taken,
        json!({ "received": 0, "updated": 0, "unchanged": 2 })
    );
    let (_, taken) = import(csv(
        "GD-A1,2026-09-14 09:10,电话,投诉,否,王女士,13800000000,楼下烧烤油烟直排，晚上更严重,人民路1号\n",
    ))
    .await;
    assert_eq!(
        taken,
        json!({ "received": 0, "updated": 1, "unchanged": 0 })
    );
    assert_eq!(count().await, 2);
    let (_, _, list) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            "/api/v1/work-orders?from=2026-09-14&to=2026-09-14",
            None,
        )
        .await;
    let a1 = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == "GD-A1")
        .unwrap()
        .clone();
    assert_eq!(
        (a1["version"].as_i64(), a1["text"].as_str()),
        (Some(2), Some("楼下烧烤油烟直排，晚上更严重"))
    );

    // The platform's push: its key, idempotent by number, bad fields named by their index.
    let push = |key: Option<&'static str>, body: Value| {
        let demo = &demo;
        async move {
            let mut headers = vec![("content-type", "application/json".to_owned())];
            if let Some(k) = key {
                headers.push(("x-api-key", k.to_owned()));
            }
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(a, b)| (*a, b.as_str())).collect();
            let (status, _, answer) = crate::support::exchange(
                &demo.router,
                "POST",
                "/api/v1/work-orders/push",
                &headers,
                Some(body.to_string()),
            )
            .await;
            (status, answer)
        }
    };
    let orders = json!({ "orders": [complaint("GD-P1"), complaint("GD-P2")] });
    assert_eq!(push(None, orders.clone()).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        push(Some("wrong"), orders.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, taken) = push(Some("k-12345"), orders.clone()).await;
    assert_eq!(
        (status, taken["received"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{taken}"
    );
    let (_, taken) = push(Some("k-12345"), orders).await;
    assert_eq!(taken["unchanged"], 2, "{taken}");
    let mut bad = complaint("GD-P3");
    bad["text"] = json!("长".repeat(2001));
    let (status, p) = push(
        Some("k-12345"),
        json!({ "orders": [complaint("GD-P4"), bad] }),
    )
    .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("orders[1].text")),
        "{p}"
    );
    assert_eq!(count().await, 4, "nothing of a refused push is kept");

    // Replies and callbacks go back as CSV, without the caller.
    let id = a1["id"].as_i64().unwrap();
    act(&demo, id, 2, json!({ "type": "accept" })).await;
    act(
        &demo,
        id,
        3,
        json!({ "type": "reply", "text": "已责令整改" }),
    )
    .await;
    let (status, _) = act(
        &demo,
        id,
        4,
        json!({ "type": "callback", "solved": true, "satisfaction": "satisfied" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, out) = demo
        .send_text_as(
            Role::Dispatcher,
            "GET",
            "/api/v1/work-orders?format=csv&lang=zh",
            "text/plain",
            String::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let header = out.lines().next().unwrap();
    assert!(
        header.contains("工单编号") && header.contains("满意度"),
        "{out}"
    );
    let row = out.lines().find(|l| l.starts_with("GD-A1,")).unwrap();
    assert!(
        row.contains("已责令整改") && row.contains("满意") && row.contains(",是,"),
        "{row}"
    );
    assert!(!out.contains("13800000000"), "{out}");
}

#[tokio::test]
async fn an_admin_changes_a_reply_time_for_the_orders_that_come_after() {
    let demo = demo_app_with(|s| s).await;
    let (_, _, before) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(complaint("GD-T1").to_string()),
        )
        .await;
    let (_, _, mut rules) = demo
        .send_as(Role::Admin, "GET", "/api/v1/work-order-types", None)
        .await;
    let consultation = rules["types"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["code"] == "consultation")
        .unwrap();
    rules["types"][consultation]["reply_within"] = json!("5d");
    let (status, _, saved) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/work-order-types",
            Some(rules.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    // Wed 30 Sep 10:00 + 5 working days: the holiday, Sat 10 (worked) and Mon 12 … Wed 14 Oct.
    let (_, _, after) = demo
        .send_as(
            Role::Dispatcher,
            "POST",
            "/api/v1/work-orders",
            Some(complaint("GD-T2").to_string()),
        )
        .await;
    assert_eq!(before["due"], "2026-10-10T02:00:00Z");
    assert!(
        after["due"].as_str().unwrap() > before["due"].as_str().unwrap(),
        "{after}"
    );
    let (_, _, kept) = demo
        .send_as(
            Role::Dispatcher,
            "GET",
            &format!("/api/v1/work-orders/{}", before["id"]),
            None,
        )
        .await;
    assert_eq!(
        kept["due"], before["due"],
        "an order keeps the due time it was given"
    );
    // No type is removed; a limit is between 1 and 60 working days; only admins change them.
    let mut removed = rules.clone();
    removed["types"].as_array_mut().unwrap().pop();
    let (status, _, p) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/work-order-types",
            Some(removed.to_string()),
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("types")),
        "{p}"
    );
    let mut zero = rules.clone();
    zero["types"][0]["reply_within"] = json!("0d");
    let (status, _, p) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/work-order-types",
            Some(zero.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (status, _, _) = demo
        .send_as(
            Role::Dispatcher,
            "PUT",
            "/api/v1/work-order-types",
            Some(rules.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
