//! `/campaigns` (FIELDWORK §4): a lead plans a campaign, field teams record actions with
//! tallies placed by the atlas; bad tallies, an action outside the period, a stale change are
//! named by field and store nothing; the figures sum by item, community, month and target
//! date, and count the cases and assessments linked; past actions import from CSV all or
//! nothing; the quarterly report carries the campaign's lines.

use axum::http::StatusCode;
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, demo_app_with, demo_base};

fn inside(i: usize) -> (f64, f64) {
    let p = geo::InteriorPoint::interior_point(&demo_base().grids[i].geometry).unwrap();
    (p.x(), p.y())
}

async fn plan(demo: &Demo, body: &Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(
            Role::Leader,
            "POST",
            "/api/v1/campaigns",
            Some(body.to_string()),
        )
        .await;
    (status, answer)
}

fn wires() -> Value {
    json!({
        "name": "电动车飞线充电专项整治", "kind": "flying-wires",
        "starts": "2026-07-01", "ends": "2026-09-30", "lead_team": "东山一中队",
        "area": { "communities": [demo_base().communities[0].code.as_str()] },
        "targets": [{ "item": "wires-removed", "quantity": 20, "by": "2026-08-31" }],
        "bases": []
    })
}

async fn act(demo: &Demo, campaign: i64, body: &Value) -> (StatusCode, Value) {
    let (status, _, answer) = demo
        .send_as(
            Role::Officer,
            "POST",
            &format!("/api/v1/campaigns/{campaign}/actions"),
            Some(body.to_string()),
        )
        .await;
    (status, answer)
}

async fn actions(demo: &Demo, campaign: i64) -> usize {
    let (_, _, list) = demo
        .send_as(
            Role::Planner,
            "GET",
            &format!("/api/v1/campaigns/{campaign}/actions"),
            None,
        )
        .await;
    list["actions"].as_array().unwrap().len()
}

#[tokio::test]
async fn actions_are_tallied_placed_and_summed_into_the_figures() {
    let demo = demo_app_with(|s| s).await;
    let (status, c) = plan(&demo, &wires()).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let id = c["id"].as_i64().unwrap();
    assert_eq!(
        (c["version"].as_i64(), c["kind_name_zh"].as_str()),
        (Some(1), Some("电动车飞线充电整治"))
    );

    // A case found on the way, linked to the action.
    let (x, y) = inside(0);
    let (status, _, case) = demo
        .send_as(
            Role::Officer,
            "POST",
            "/api/v1/cases",
            Some(json!({ "category": "0501", "source": "patrol", "lon": x, "lat": y }).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let case_id = case["case"]["id"].as_i64().unwrap();

    let first = json!({
        "at": "2026-08-12T20:00:00+08:00",
        "place": { "type": "point", "at": { "lon": x, "lat": y } },
        "officers": ["ZF0001"], "vehicles": ["皖A·F1234"], "note": "夜间巡查",
        "tallies": [{ "item": "wires-removed", "quantity": 12 }, { "item": "ebikes-cleared", "quantity": 30 }],
        "cases": [case_id]
    });
    let (status, a) = act(&demo, id, &first).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(
        a["cell"],
        demo_base().grids[0].code.as_str(),
        "placed by the atlas"
    );
    assert!(a["community"].is_string());
    assert_eq!(a["day"], "2026-08-12");
    let (x2, y2) = inside(5);
    let ring = json!([
        { "lon": x2 - 0.0005, "lat": y2 - 0.0005 }, { "lon": x2 + 0.0005, "lat": y2 - 0.0005 },
        { "lon": x2 + 0.0005, "lat": y2 + 0.0005 }, { "lon": x2 - 0.0005, "lat": y2 + 0.0005 }
    ]);
    let second = json!({
        "at": "2026-09-03T10:00:00+08:00",
        "place": { "type": "area", "ring": ring },
        "tallies": [{ "item": "wires-removed", "quantity": 9 }]
    });
    let (status, b) = act(&demo, id, &second).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(
        b["cell"],
        demo_base().grids[5].code.as_str(),
        "an area by its inner point"
    );

    let (status, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            &format!("/api/v1/campaigns/{id}/figures"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert_eq!(f["actions"], 2);
    let total = |item: &str| {
        f["totals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["item"] == item)
            .cloned()
            .unwrap()
    };
    assert_eq!(total("wires-removed")["quantity"], 21.0);
    assert_eq!(total("wires-removed")["unit"], "条");
    assert_eq!(total("ebikes-cleared")["quantity"], 30.0);
    assert_eq!(
        f["by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2026-08", "2026-09"]
    );
    // The target by 31 August counts the August action alone: 12 of 20, not met.
    assert_eq!(
        (
            f["targets"][0]["done"].as_f64(),
            f["targets"][0]["met"].as_bool()
        ),
        (Some(12.0), Some(false)),
        "{f}"
    );
    assert_eq!(f["cases"][0]["id"].as_i64(), Some(case_id));
    assert_eq!(f["cases"][0]["category"], "0501");

    // An assessment made for the campaign belongs to it.
    let section = demo_base().sections[0].code.as_str();
    let (status, _, assessment) = demo
        .send_as(
            Role::Supervisor,
            "POST",
            "/api/v1/assessments",
            Some(json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": section }, "campaign": id }).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{assessment}");
    let (_, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            &format!("/api/v1/campaigns/{id}/figures"),
            None,
        )
        .await;
    assert_eq!(f["assessments"], json!([assessment["id"]]));

    // The quarter's report carries the campaign with its totals, in JSON and in CSV.
    let (status, _, report) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let line = &report["campaigns"][0];
    assert_eq!(
        (
            line["campaign"].as_i64(),
            line["actions"].as_u64(),
            line["cases"].as_u64()
        ),
        (Some(id), Some(2), Some(1)),
        "{report}"
    );
    let (_, csv) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=csv&lang=zh",
            "text/plain",
            String::new(),
        )
        .await;
    assert!(
        csv.contains("专项整治") && csv.contains("电动车飞线充电专项整治：拆除飞线,0,21,条"),
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
        html.contains("十、专项整治") && html.contains("拆除飞线"),
        "{html}"
    );
}

#[tokio::test]
async fn bad_plans_tallies_and_changes_are_named_and_store_nothing() {
    let demo = demo_app_with(|s| s).await;
    let mut bad = wires();
    bad["kind"] = json!("kites");
    let (status, p) = plan(&demo, &bad).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
        "{p}"
    );
    let mut bad = wires();
    bad["ends"] = json!("2026-06-01");
    let (status, p) = plan(&demo, &bad).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("ends")),
        "{p}"
    );
    let mut bad = wires();
    bad["starts"] = json!("0001-01-01");
    let (status, p) = plan(&demo, &bad).await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("starts")),
        "{p}"
    );
    let (status, _, p) = demo
        .send_as(
            Role::Planner,
            "GET",
            "/api/v1/campaigns?from=0001-01-01",
            None,
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from")),
        "{p}"
    );
    let mut bad = wires();
    bad["area"] = json!({ "communities": ["NOWHERE"] });
    let (status, p) = plan(&demo, &bad).await;
    assert_eq!(p["field"], "area.communities[0]", "{status} {p}");
    let (status, _, p) = demo
        .send_as(
            Role::Officer,
            "POST",
            "/api/v1/campaigns",
            Some(wires().to_string()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "officers record actions, leads plan: {p}"
    );

    let (_, c) = plan(&demo, &wires()).await;
    let id = c["id"].as_i64().unwrap();
    let (x, y) = inside(0);
    let place = json!({ "type": "point", "at": { "lon": x, "lat": y } });
    for (tallies, at, field) in [
        (
            json!([{ "item": "fines", "quantity": 500, "parties": 1 }]),
            "2026-08-01T10:00:00+08:00",
            "tallies[0].item",
        ),
        (
            json!([{ "item": "wires-removed", "quantity": 3 }, { "item": "wires-removed", "quantity": -2 }]),
            "2026-08-01T10:00:00+08:00",
            "tallies[1].quantity",
        ),
        (
            json!([{ "item": "ebikes-cleared", "quantity": 2.5 }]),
            "2026-08-01T10:00:00+08:00",
            "tallies[0].quantity",
        ),
        (
            json!([{ "item": "wires-removed", "quantity": 3 }]),
            "2026-10-01T10:00:00+08:00",
            "at",
        ),
    ] {
        let body = json!({ "at": at, "place": place, "tallies": tallies });
        let (status, p) = act(&demo, id, &body).await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{p}"
        );
    }
    let body = json!({ "at": "2026-08-01T10:00:00+08:00", "place": place, "officers": ["NOBODY"] });
    let (_, p) = act(&demo, id, &body).await;
    assert_eq!(p["field"], "officers[0]");
    assert_eq!(actions(&demo, id).await, 0, "nothing stored");

    // One good action; then a change that would leave it outside the period is refused, and
    // so is a change from a version no longer current.
    let body = json!({ "at": "2026-09-20T10:00:00+08:00", "place": place,
                       "tallies": [{ "item": "wires-removed", "quantity": 3 }] });
    assert_eq!(act(&demo, id, &body).await.0, StatusCode::CREATED);
    let mut change = wires();
    change["version"] = json!(1);
    change["ends"] = json!("2026-09-10");
    let uri = format!("/api/v1/campaigns/{id}");
    let (status, _, p) = demo
        .send_as(Role::Leader, "PUT", &uri, Some(change.to_string()))
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("ends")),
        "{p}"
    );
    let mut change = wires();
    change["version"] = json!(1);
    change["name"] = json!("飞线充电整治（二期）");
    let (status, _, c2) = demo
        .send_as(Role::Leader, "PUT", &uri, Some(change.to_string()))
        .await;
    assert_eq!(
        (status, c2["version"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{c2}"
    );
    let (status, _, p) = demo
        .send_as(Role::Leader, "PUT", &uri, Some(change.to_string()))
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("version")),
        "{p}"
    );
    let (_, _, now) = demo.send_as(Role::Planner, "GET", &uri, None).await;
    assert_eq!(now["name"], "飞线充电整治（二期）");
}

#[tokio::test]
async fn past_actions_import_from_csv_all_or_nothing_and_export_back() {
    let demo = demo_app_with(|s| s).await;
    let mut muck = wires();
    muck["kind"] = json!("muck-trucks");
    muck["targets"] = json!([]);
    let (_, c) = plan(&demo, &muck).await;
    let id = c["id"].as_i64().unwrap();
    let (x, y) = inside(0);
    let import = |csv: String| {
        demo.send_text_as(
            Role::Leader,
            "POST",
            "/api/v1/campaign-actions/import",
            "text/csv",
            csv,
        )
    };
    let bad = format!(
        "专项行动编号,时间,经度,纬度,战果\n\
         {id},2026-08-01 21:00,{x},{y},trucks-checked=15;罚款=3000/2\n\
         {id},2026-08-02 21:00,{x},{y},trucks-checked=lots\n\
         99,2026-08-03 21:00,{x},{y},trucks-checked=1\n\
         {id},2026-12-03 21:00,{x},{y},trucks-checked=1\n\
         {id},2026-08-04 21:00,{x},{y},fines=600\n"
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
        [(3, "tallies"), (4, "campaign"), (5, "at"), (6, "tallies")],
        "{body}"
    );
    assert_eq!(actions(&demo, id).await, 0, "nothing imported");

    let good = format!(
        "campaign,at,lon,lat,officers,tallies,note\n\
         {id},2026-08-01 21:00,{x},{y},ZF0001;ZF0002,trucks-checked=15;罚款=3000/2,卡口\n\
         {id},2026-08-09 21:00,{x},{y},ZF0001,trucks-checked=9;trucks-fined=2;fines=1500/2,\n"
    );
    let (status, text) = import(good).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(actions(&demo, id).await, 2);
    let (_, _, f) = demo
        .send_as(
            Role::Leader,
            "GET",
            &format!("/api/v1/campaigns/{id}/figures"),
            None,
        )
        .await;
    let fines = f["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["item"] == "fines")
        .unwrap();
    assert_eq!(
        (
            fines["quantity"].as_f64(),
            fines["parties"].as_u64(),
            fines["unit"].as_str()
        ),
        (Some(4500.0), Some(4), Some("元"))
    );
    let (status, csv) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            &format!("/api/v1/campaigns/{id}/actions?format=csv"),
            "text/plain",
            String::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("trucks-checked=15;fines=3000/2"), "{csv}");
    // The export is audited.
    let (_, _, audit) = demo
        .send_as(Role::Admin, "GET", "/api/v1/audit?limit=5", None)
        .await;
    assert!(audit.to_string().contains("format=csv"), "{audit}");
}
