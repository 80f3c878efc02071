//! Dispatch over HTTP: duty status and GPS fixes, who may post and see them, the candidates
//! for a case, busy while dispatched and free once handled, fixes kept for a time.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, OFFICER, at, demo_app_with};

async fn call(
    demo: &Demo,
    role: Role,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, _, value) = demo
        .send_as(role, method, uri, body.map(|b| b.to_string()))
        .await;
    (status, value)
}

fn fix(x: f64, y: f64, minutes_ago: i64) -> Value {
    let p = at(x, y);
    json!({ "lon": p.lon, "lat": p.lat, "accuracy_m": 8.0, "at": (Utc::now() - Duration::minutes(minutes_ago)).to_rfc3339() })
}

fn officer<'a>(list: &'a Value, code: &str) -> &'a Value {
    list["officers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == code)
        .unwrap()
}

#[tokio::test]
async fn the_dispatcher_sees_who_can_get_there_first_and_sending_one_makes_them_busy() {
    let demo = demo_app_with(|s| s).await;
    // Officers report for themselves only.
    let me = format!("/officers/{OFFICER}");
    assert_eq!(
        call(
            &demo,
            Role::Officer,
            "POST",
            &format!("/api/v1{me}/status"),
            Some(json!({ "status": "on_duty" }))
        )
        .await
        .0,
        StatusCode::OK
    );
    let (status, _) = call(
        &demo,
        Role::Officer,
        "POST",
        "/api/v1/officers/ZF0002/status",
        Some(json!({ "status": "off" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for code in ["ZF0002", "ZF0003"] {
        let (status, out) = call(
            &demo,
            Role::Dispatcher,
            "POST",
            &format!("/api/v1/officers/{code}/status"),
            Some(json!({ "status": "on_duty" })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{out}");
    }
    call(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/officers/ZF0004/status",
        Some(json!({ "status": "off" })),
    )
    .await;
    // Positions: near, far, stale, and near but off duty.
    let (status, out) = call(
        &demo,
        Role::Officer,
        "POST",
        &format!("/api/v1{me}/positions"),
        Some(json!([fix(0.0, 60.0, 2), fix(0.0, 80.0, 1)])),
    )
    .await;
    assert_eq!(
        (status, out["received"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{out}"
    );
    call(
        &demo,
        Role::Admin,
        "POST",
        "/api/v1/officers/ZF0002/positions",
        Some(fix(900.0, 600.0, 1)),
    )
    .await;
    call(
        &demo,
        Role::Admin,
        "POST",
        "/api/v1/officers/ZF0003/positions",
        Some(fix(10.0, 10.0, 30)),
    )
    .await;
    call(
        &demo,
        Role::Admin,
        "POST",
        "/api/v1/officers/ZF0004/positions",
        Some(fix(5.0, 5.0, 1)),
    )
    .await;

    let p = at(0.0, 0.0);
    let (_, created) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/cases",
        Some(json!({ "category": "0501", "source": "patrol", "lon": p.lon, "lat": p.lat })),
    )
    .await;
    let id = created["case"]["id"].as_i64().unwrap();
    let (status, found) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("/api/v1/cases/{id}/candidates?k=5&mode=walk"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let ranked: Vec<&str> = found["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["officer"].as_str().unwrap())
        .collect();
    assert_eq!(ranked, [OFFICER, "ZF0002"], "{found}");
    assert_eq!(found["position_unknown"], json!(["ZF0003"]));
    let first = &found["candidates"][0];
    assert!(
        first["eta_s"].as_f64().unwrap() > 0.0
            && first["network_m"].as_f64().unwrap() >= first["straight_m"].as_f64().unwrap() - 1.0,
        "{first}"
    );
    assert_eq!(first["reasons"][0], "fastest");
    // The case itself comes with them for the dispatcher, not for a planner.
    let (_, case) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("/api/v1/cases/{id}"),
        None,
    )
    .await;
    assert_eq!(case["candidates"]["candidates"][0]["officer"], OFFICER);
    // Registering a reported case answers with its candidates straight away.
    let (_, hotline) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/cases",
        Some(json!({ "category": "0501", "source": "hotline", "lon": p.lon, "lat": p.lat })),
    )
    .await;
    let hotline = hotline["case"]["id"].as_i64().unwrap();
    let (status, registered) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        &format!("/api/v1/cases/{hotline}/transitions"),
        Some(json!({ "action": "register" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        registered["candidates"]["candidates"][0]["officer"], OFFICER,
        "{registered}"
    );
    let (_, case) = call(
        &demo,
        Role::Planner,
        "GET",
        &format!("/api/v1/cases/{id}"),
        None,
    )
    .await;
    assert!(case.get("candidates").is_none());
    assert_eq!(
        call(
            &demo,
            Role::Planner,
            "GET",
            &format!("/api/v1/cases/{id}/candidates"),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, problem) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("/api/v1/cases/{id}/candidates?mode=plane"),
        None,
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("mode"))
    );

    // Sending the first makes them busy and takes them off the list; handling frees them.
    let (status, _) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        &format!("/api/v1/cases/{id}/transitions"),
        Some(json!({ "action": "dispatch", "assignee": OFFICER })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert_eq!(officer(&list, OFFICER)["status"], "busy");
    // The officer hears of it on their event stream: the case is theirs now.
    let me_user = demo
        .state
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Officer)
        .unwrap();
    let heard = demo
        .state
        .cases
        .events_after(
            0,
            &Default::default(),
            &citygrid::cases::Actor::user(&me_user),
            100,
        )
        .await
        .unwrap();
    assert!(
        heard
            .iter()
            .any(|e| e.case.id.0 == id && e.event.action == "dispatch")
    );
    let (_, found) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("/api/v1/cases/{id}/candidates"),
        None,
    )
    .await;
    assert_eq!(found["candidates"][0]["officer"], "ZF0002");
    let (status, _) = call(
        &demo,
        Role::Officer,
        "POST",
        &format!("/api/v1/cases/{id}/transitions"),
        Some(json!({ "action": "handle" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert_eq!(officer(&list, OFFICER)["status"], "on_duty");
    let (_, history) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("/api/v1{me}/status"),
        None,
    )
    .await;
    let statuses: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["on_duty", "busy", "on_duty"]);
}

#[tokio::test]
async fn fixes_are_checked_late_ones_do_not_move_anyone_and_old_ones_are_deleted() {
    let demo = demo_app_with(|s| s).await;
    let uri = format!("/api/v1/officers/{OFFICER}/positions");
    call(
        &demo,
        Role::Officer,
        "POST",
        &uri,
        Some(fix(100.0, 100.0, 1)),
    )
    .await;
    // A fix taken earlier, arriving later, is kept in the history but does not move them.
    call(
        &demo,
        Role::Officer,
        "POST",
        &uri,
        Some(fix(500.0, 500.0, 5)),
    )
    .await;
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    let here = at(100.0, 100.0);
    assert!((officer(&list, OFFICER)["position"]["lon"].as_f64().unwrap() - here.lon).abs() < 1e-9);
    assert_eq!(officer(&list, OFFICER)["position_known"], true);
    // Bad fixes name the fix and the field; none of the list is stored.
    for (body, field) in [
        (
            json!([fix(0.0, 0.0, 1), { "lon": 116.8, "lat": 95.0 }]),
            "fixes[1].lon",
        ),
        (
            json!({ "lon": 116.8, "lat": 33.95, "at": (Utc::now() + Duration::hours(1)).to_rfc3339() }),
            "fixes[0].at",
        ),
        (
            json!({ "lon": 116.8, "lat": 33.95, "accuracy_m": -3 }),
            "fixes[0].accuracy_m",
        ),
        (json!({ "lat": 33.95 }), "fixes[0].lon"),
    ] {
        let (status, problem) = call(&demo, Role::Officer, "POST", &uri, Some(body.clone())).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}"
        );
    }
    let (status, history) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("{uri}?from=2020-01-01"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history["fixes"].as_array().unwrap().len(), 2);
    // Positions are personal: officers do not read each other's, leaders see none.
    assert_eq!(
        call(&demo, Role::Officer, "GET", &uri, None).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, list) = call(&demo, Role::Leader, "GET", "/api/v1/officers", None).await;
    assert!(officer(&list, OFFICER).get("position").is_none());
    assert_eq!(
        call(&demo, Role::Officer, "GET", "/api/v1/officers", None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // After the retention period they are gone.
    let removed = demo
        .state
        .dispatch
        .prune(Utc::now() + Duration::days(31))
        .await
        .unwrap();
    assert_eq!(removed, 2);
    let (_, history) = call(
        &demo,
        Role::Dispatcher,
        "GET",
        &format!("{uri}?from=2020-01-01"),
        None,
    )
    .await;
    assert!(history["fixes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_supervisor_sees_the_positions_of_officers_in_their_area_only() {
    let demo = demo_app_with(|s| s).await;
    let atlas = demo.state.district.atlas();
    let officers = &atlas.base().officers;
    let scope = crate::support::SUPERVISOR_SCOPE;
    let inside = officers
        .iter()
        .find(|o| o.grids.iter().any(|g| g.as_str().starts_with(scope)))
        .unwrap()
        .code
        .to_string();
    let outside = officers
        .iter()
        .find(|o| !o.grids.iter().any(|g| g.as_str().starts_with(scope)))
        .unwrap()
        .code
        .to_string();
    for code in [&inside, &outside] {
        call(
            &demo,
            Role::Admin,
            "POST",
            &format!("/api/v1/officers/{code}/positions"),
            Some(fix(0.0, 0.0, 1)),
        )
        .await;
    }
    let (_, list) = call(&demo, Role::Supervisor, "GET", "/api/v1/officers", None).await;
    assert!(officer(&list, &inside).get("position").is_some());
    assert!(officer(&list, &outside).get("position").is_none());
    assert_eq!(
        call(
            &demo,
            Role::Supervisor,
            "GET",
            &format!("/api/v1/officers/{outside}/positions"),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &demo,
            Role::Supervisor,
            "GET",
            &format!("/api/v1/officers/{inside}/positions"),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        call(
            &demo,
            Role::Dispatcher,
            "GET",
            "/api/v1/officers/ZF9999/positions",
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn officers_are_managed_and_their_shifts_planned_through_the_api() {
    let demo = demo_app_with(|s| s).await;
    let grid = format!("{}001", crate::support::SUPERVISOR_SCOPE);
    let put = |body: Value| {
        call(
            &demo,
            Role::Dispatcher,
            "PUT",
            "/api/v1/officers/ZF0100",
            Some(body),
        )
    };
    let (status, problem) = put(json!({ "name": "赵新", "grids": ["nowhere"] })).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("grids"))
    );
    let (status, problem) = put(json!({ "grids": [grid] })).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );
    let (status, added) =
        put(json!({ "name": "赵新", "team": "东山一中队", "grids": [grid] })).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let (status, _) = put(json!({ "name": "赵新", "team": "东山二中队", "grids": [grid] })).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert_eq!(officer(&list, "ZF0100")["team"], "东山二中队");
    assert_eq!(
        list["officers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["code"] == "ZF0100")
            .count(),
        1
    );

    // A shift under way shows on the list.
    let shift = json!({ "starts_at": (Utc::now() - Duration::hours(1)).to_rfc3339(), "ends_at": (Utc::now() + Duration::hours(7)).to_rfc3339() });
    let (status, _) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/officers/ZF0100/shifts",
        Some(shift),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let backwards =
        json!({ "starts_at": "2026-11-30T17:00:00+08:00", "ends_at": "2026-11-30T08:00:00+08:00" });
    let (status, problem) = call(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/officers/ZF0100/shifts",
        Some(backwards),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("ends_at"))
    );
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert_eq!(officer(&list, "ZF0100")["on_shift"], true);
    assert_eq!(officer(&list, OFFICER)["on_shift"], false);
    let (_, planned) = call(
        &demo,
        Role::Leader,
        "GET",
        "/api/v1/officers/ZF0100/shifts",
        None,
    )
    .await;
    assert_eq!(planned["shifts"].as_array().unwrap().len(), 1);

    // Removed: gone from the list; a second removal finds nothing.
    let (status, _) = call(
        &demo,
        Role::Dispatcher,
        "DELETE",
        "/api/v1/officers/ZF0100",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        &demo,
        Role::Dispatcher,
        "DELETE",
        "/api/v1/officers/ZF0100",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert!(
        list["officers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["code"] != "ZF0100")
    );
}

#[tokio::test]
async fn the_street_graph_follows_the_streets_layer() {
    let demo = demo_app_with(|s| s).await;
    let before = demo.state.dispatch.graph();
    assert!(
        std::sync::Arc::ptr_eq(&before, &demo.state.dispatch.graph()),
        "built once"
    );
    let one = demo.state.district.atlas().base().streets[0].clone();
    demo.state
        .district
        .replace(vec![citygrid_core::features::LayerRows::Streets(vec![one])])
        .await
        .unwrap();
    let after = demo.state.dispatch.graph();
    assert!(after.edges.len() < before.edges.len() && !after.edges.is_empty());
}

/// A patrol report of `category` at `p` by `role`: the new case's id.
async fn reported(demo: &Demo, role: Role, category: &str, p: citygrid_core::LonLat) -> i64 {
    let body = json!({ "category": category, "source": "patrol", "lon": p.lon, "lat": p.lat });
    let (status, made) = call(demo, role, "POST", "/api/v1/cases", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["case"]["id"].as_i64().unwrap()
}

/// A case's transitions as one role: the status code and the answer.
async fn act(demo: &Demo, role: Role, id: i64, body: Value) -> (StatusCode, Value) {
    call(
        demo,
        role,
        "POST",
        &format!("/api/v1/cases/{id}/transitions"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_wrong_dispatch_is_recalled_and_an_officer_asks_for_more_time() {
    let demo = demo_app_with(|s| s).await;
    let me = format!("/api/v1/officers/{OFFICER}/status");
    let (status, _) = call(
        &demo,
        Role::Officer,
        "POST",
        &me,
        Some(json!({ "status": "on_duty" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let p = at(-75.0, 458.0);
    let id = reported(&demo, Role::Dispatcher, "0501", p).await;
    let dispatch = json!({ "action": "dispatch", "assignee": OFFICER });
    assert_eq!(
        act(&demo, Role::Dispatcher, id, dispatch.clone()).await.0,
        StatusCode::OK
    );

    // Sent to the wrong officer: only the dispatcher takes it back, and the case waits again.
    assert_eq!(
        act(&demo, Role::Officer, id, json!({ "action": "recall" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, recalled) = act(
        &demo,
        Role::Dispatcher,
        id,
        json!({ "action": "recall", "note": "派错人" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{recalled}");
    assert_eq!(recalled["status"], "registered");
    assert!(
        recalled.get("assignee").is_none_or(Value::is_null),
        "{recalled}"
    );
    let (_, list) = call(&demo, Role::Dispatcher, "GET", "/api/v1/officers", None).await;
    assert_eq!(
        officer(&list, OFFICER)["status"],
        "on_duty",
        "a recall frees the officer"
    );
    let (status, _) = call(
        &demo,
        Role::Officer,
        "GET",
        &format!("/api/v1/cases/{id}"),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a recalled task leaves the officer's reach"
    );
    // Once recalled it can be voided (a duplicate) or sent again.
    let (status, problem) = act(&demo, Role::Dispatcher, id, json!({ "action": "recall" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(
        act(&demo, Role::Dispatcher, id, dispatch.clone()).await.0,
        StatusCode::OK
    );
    // A duplicate sent out by mistake: recalled, then voided (refused while it was out).
    let twin = reported(&demo, Role::Dispatcher, "0501", p).await;
    assert_eq!(
        act(&demo, Role::Dispatcher, twin, dispatch).await.0,
        StatusCode::OK
    );
    let void = json!({ "action": "void", "duplicate_of": id });
    assert_eq!(
        act(&demo, Role::Dispatcher, twin, void.clone()).await.0,
        StatusCode::CONFLICT
    );
    let recall = json!({ "action": "recall" });
    assert_eq!(
        act(&demo, Role::Dispatcher, twin, recall).await.0,
        StatusCode::OK
    );
    let (status, voided) = act(&demo, Role::Dispatcher, twin, void).await;
    assert_eq!(
        (status, voided["status"].as_str()),
        (StatusCode::OK, Some("void")),
        "{voided}"
    );

    // The officer asks for more time: a later deadline and a reason; the deadline moves only
    // when the dispatcher extends it.
    let (_, case) = call(
        &demo,
        Role::Officer,
        "GET",
        &format!("/api/v1/cases/{id}"),
        None,
    )
    .await;
    let deadline: chrono::DateTime<Utc> = serde_json::from_value(case["deadline"].clone()).unwrap();
    let later = (deadline + Duration::days(2)).to_rfc3339();
    let earlier = (deadline - Duration::hours(1)).to_rfc3339();
    for (body, field) in [
        (
            json!({ "action": "request_extension", "deadline": later }),
            "note",
        ),
        (
            json!({ "action": "request_extension", "deadline": earlier, "note": "等待配合" }),
            "deadline",
        ),
        (
            json!({ "action": "request_extension", "note": "等待配合" }),
            "deadline",
        ),
    ] {
        let (status, problem) = act(&demo, Role::Officer, id, body.clone()).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}: {problem}"
        );
    }
    assert_eq!(
        act(
            &demo,
            Role::Dispatcher,
            id,
            json!({ "action": "request_extension", "deadline": later, "note": "x" })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, asked) = act(
        &demo,
        Role::Officer,
        id,
        json!({ "action": "request_extension", "deadline": later, "note": "商户需联系市场监管部门" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    assert_eq!(asked["status"], "dispatched");
    assert_eq!(
        asked["deadline"], case["deadline"],
        "asking does not move the deadline"
    );
    let events = asked["events"].as_array().unwrap();
    let last = events.last().unwrap();
    assert_eq!(last["action"], "request_extension");
    let asked_until: chrono::DateTime<Utc> =
        serde_json::from_value(last["deadline"].clone()).unwrap();
    assert_eq!(asked_until, deadline + Duration::days(2));
    let (status, extended) = act(
        &demo,
        Role::Dispatcher,
        id,
        json!({ "action": "extend", "deadline": later }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    let moved: chrono::DateTime<Utc> =
        serde_json::from_value(extended["deadline"].clone()).unwrap();
    assert_eq!(moved, deadline + Duration::days(2));

    // An officer reads the case they reported themselves (not sent to them): no more.
    let own = reported(&demo, Role::Officer, "0201", p).await;
    let (status, read) = call(
        &demo,
        Role::Officer,
        "GET",
        &format!("/api/v1/cases/{own}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["events"][0]["action"], "report");
    assert_eq!(
        act(
            &demo,
            Role::Officer,
            own,
            json!({ "action": "comment", "note": "补充" })
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "reading one's report is not acting on it"
    );

    // Handled: too late to recall.
    assert_eq!(
        act(
            &demo,
            Role::Officer,
            id,
            json!({ "action": "handle", "note": "已清理" })
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        act(&demo, Role::Dispatcher, id, json!({ "action": "recall" }))
            .await
            .0,
        StatusCode::CONFLICT
    );
}
