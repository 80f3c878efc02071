//! What the web app reads besides cases and layers: the district's name, time zone and tiles
//! (and the content security policy that lets the tiles in), every case of a filter as lean
//! map points, and a base layer replaced from a file with its errors listed by feature.

use axum::http::StatusCode;
use citygrid::http::site::{SiteConfig, checked_tiles};
use citygrid_core::Crs;
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{Demo, cell_centre, demo_app_with};

async fn send(
    demo: &Demo,
    role: Role,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    demo.send_as(role, method, uri, body).await
}

#[tokio::test]
async fn the_district_tells_its_name_time_zone_extent_and_tiles() {
    let tiles = checked_tiles(
        "https://tiles.example.org/{z}/{x}/{y}.png",
        Crs::Gcj02,
        "© 示例",
    )
    .unwrap();
    let demo = demo_app_with(|s| {
        s.with_site(SiteConfig {
            name: "相城区".into(),
            tiles: Some(tiles),
        })
    })
    .await;
    let (status, headers, body) = send(&demo, Role::Officer, "GET", "/api/v1/district", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "相城区");
    assert_eq!(body["timezone"], "Asia/Shanghai");
    assert_eq!(body["tiles"]["crs"], "gcj02");
    assert_eq!(body["grids"], 398);
    let bbox: Vec<f64> = serde_json::from_value(body["bbox"].clone()).unwrap();
    let centre = cell_centre(true);
    assert!(
        bbox[0] < centre.lon
            && centre.lon < bbox[2]
            && bbox[1] < centre.lat
            && centre.lat < bbox[3]
    );
    // The page may load the configured tiles, and nothing else from outside.
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: blob: https://tiles.example.org;"),
        "{csp}"
    );
    assert!(!csp.contains('*'), "{csp}");
}

#[tokio::test]
async fn without_tiles_the_page_loads_nothing_from_outside() {
    let demo = demo_app_with(|s| s).await;
    let (_, headers, body) = send(&demo, Role::Planner, "GET", "/api/v1/district", None).await;
    assert_eq!(body["tiles"], Value::Null);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("img-src 'self' data: blob:;"), "{csp}");
    assert!(csp.contains("connect-src 'self';"), "{csp}");
}

#[tokio::test]
async fn map_points_hold_every_case_of_the_filter_within_reach() {
    let demo = demo_app_with(|s| s).await;
    let mut made = Vec::new();
    for (inside, category) in [
        (true, "0501"),
        (true, "0501"),
        (false, "0501"),
        (true, "0101"),
    ] {
        let p = cell_centre(inside);
        let body = json!({ "category": category, "source": "patrol", "lon": p.lon, "lat": p.lat });
        let (status, _, case) = send(
            &demo,
            Role::Dispatcher,
            "POST",
            "/api/v1/cases",
            Some(body.to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        made.push(case["case"]["id"].as_i64().unwrap());
    }
    let ids = |v: &Value| -> Vec<i64> {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["id"].as_i64().unwrap())
            .collect()
    };
    let (status, headers, all) = send(
        &demo,
        Role::Dispatcher,
        "GET",
        "/api/v1/cases?format=points&category=0501",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(headers["content-type"], "application/geo+json");
    assert_eq!(
        ids(&all),
        [made[2], made[1], made[0]],
        "newest first, only 0501"
    );
    assert_eq!(all["truncated"], false);
    let first = &all["features"][0];
    assert_eq!(first["geometry"]["type"], "Point");
    assert_eq!(first["properties"]["category"], "0501");
    assert_eq!(first["properties"]["overdue"], false);
    assert!(first["properties"]["status"].is_string());
    // A supervisor's map holds only their area's cases.
    let (_, _, theirs) = send(
        &demo,
        Role::Supervisor,
        "GET",
        "/api/v1/cases?format=points",
        None,
    )
    .await;
    assert_eq!(ids(&theirs), [made[3], made[1], made[0]]);
    let (status, _, refused) = send(
        &demo,
        Role::Dispatcher,
        "GET",
        "/api/v1/cases?format=dots",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["detail"].as_str().unwrap().contains("points"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_layer_file_with_bad_features_is_refused_by_feature_and_changes_nothing() {
    let demo = demo_app_with(|s| s).await;
    let zones_before = send(&demo, Role::Admin, "GET", "/api/v1/layers/zones", None)
        .await
        .2["features"]
        .as_array()
        .unwrap()
        .len();
    assert!(zones_before > 0);
    let p = cell_centre(true);
    let square = |d: f64| {
        json!({ "type": "Polygon", "coordinates": [[
        [p.lon - d, p.lat - d], [p.lon + d, p.lat - d], [p.lon + d, p.lat + d], [p.lon - d, p.lat + d], [p.lon - d, p.lat - d]
    ]] })
    };
    let file = |second_level: &str| {
        json!({ "type": "FeatureCollection", "features": [
            { "type": "Feature", "geometry": square(0.0005), "properties": { "name": "夜市", "level": "permitted", "hours": "18:00-23:00" } },
            { "type": "Feature", "geometry": square(0.0003), "properties": { "name": "学校门口", "level": second_level } },
        ] })
        .to_string()
    };
    let (status, headers, problem) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/layers/zones",
        Some(file("forbidden")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(problem["errors"][0]["feature"], 1);
    assert_eq!(problem["errors"][0]["field"], "level");
    assert!(
        problem["detail"].as_str().unwrap().contains("not changed"),
        "{problem}"
    );
    let after = send(&demo, Role::Admin, "GET", "/api/v1/layers/zones", None)
        .await
        .2;
    assert_eq!(after["features"].as_array().unwrap().len(), zones_before);
    // Only admins replace layers.
    let (status, _, _) = send(
        &demo,
        Role::Dispatcher,
        "PUT",
        "/api/v1/layers/zones",
        Some(file("strict")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A good file replaces the layer, and the atlas answers with it at once.
    let (status, _, report) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/layers/zones",
        Some(file("strict")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["count"], 2);
    let after = send(&demo, Role::Admin, "GET", "/api/v1/layers/zones", None)
        .await
        .2;
    assert_eq!(after["features"].as_array().unwrap().len(), 2);
    let located = send(
        &demo,
        Role::Admin,
        "GET",
        &format!("/api/v1/locate?lon={}&lat={}", p.lon, p.lat),
        None,
    )
    .await
    .2;
    assert_eq!(
        located["zones"].as_array().map(Vec::len),
        Some(2),
        "{located}"
    );
    // Not GeoJSON at all: refused in words.
    let (status, _, problem) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/layers/grids?crs=mars",
        Some("{}".into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["field"], "crs");
}

#[tokio::test]
async fn an_admin_changes_a_time_limit_and_new_cases_follow_it_after_a_restart_too() {
    let demo = demo_app_with(|s| s).await;
    let (_, _, mut catalogue) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    let garbage = catalogue["categories"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["code"] == "0101")
        .unwrap();
    assert_eq!(garbage["limit"], "4h");
    garbage["limit"] = json!("1d");
    garbage["name_en"] = json!("Exposed rubbish");
    // Only admins change the catalogue.
    let (status, _, _) = send(
        &demo,
        Role::Dispatcher,
        "PUT",
        "/api/v1/categories",
        Some(catalogue.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, saved) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/categories",
        Some(catalogue.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, _, read) = send(&demo, Role::Planner, "GET", "/api/v1/categories", None).await;
    let row = read["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "0101")
        .unwrap()
        .clone();
    assert_eq!(row["limit"], "1d");
    assert_eq!(row["name_en"], "Exposed rubbish");
    // A case made now has a day, not four hours (in working time: more than four hours ahead).
    let p = cell_centre(true);
    let body = json!({ "category": "0101", "source": "patrol", "lon": p.lon, "lat": p.lat });
    let (_, _, made) = send(
        &demo,
        Role::Dispatcher,
        "POST",
        "/api/v1/cases",
        Some(body.to_string()),
    )
    .await;
    let created =
        chrono::DateTime::parse_from_rfc3339(made["case"]["created_at"].as_str().unwrap()).unwrap();
    let deadline =
        chrono::DateTime::parse_from_rfc3339(made["case"]["deadline"].as_str().unwrap()).unwrap();
    assert!(
        deadline - created > chrono::Duration::hours(8),
        "{created} → {deadline}"
    );
    // Saved: a server started on the same store takes it.
    let again =
        citygrid::cases::CaseService::new(demo.state.district.clone(), crate::support::rules());
    assert_eq!(
        again
            .rules()
            .catalogue
            .get("0101")
            .unwrap()
            .limit
            .to_string(),
        "4h"
    );
    assert!(again.load_saved_catalogue().await.unwrap());
    assert_eq!(
        again
            .rules()
            .catalogue
            .get("0101")
            .unwrap()
            .limit
            .to_string(),
        "1d"
    );
}

#[tokio::test]
async fn a_bad_catalogue_is_refused_in_words_and_changes_nothing() {
    let demo = demo_app_with(|s| s).await;
    let (_, _, before) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    let mut bad = before.clone();
    bad["categories"][0]["limit"] = json!("soon");
    let (status, _, problem) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/categories",
        Some(bad.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("soon"),
        "{problem}"
    );
    let mut fewer = before.clone();
    fewer["categories"].as_array_mut().unwrap().remove(0);
    let (status, _, problem) = send(
        &demo,
        Role::Admin,
        "PUT",
        "/api/v1/categories",
        Some(fewer.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("0101"),
        "{problem}"
    );
    let (_, _, after) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    assert_eq!(after, before);
    // A catalogue given as a file on the command line is not changed in the app.
    let fixed = demo_app_with(|mut s| {
        s.cases = s
            .cases
            .clone()
            .with_catalogue_file("/etc/citygrid/categories.json");
        s
    })
    .await;
    let (status, _, problem) = send(
        &fixed,
        Role::Admin,
        "PUT",
        "/api/v1/categories",
        Some(before.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/etc/citygrid/categories.json")
    );
}

/// Time limits as an admin types them in Chinese are read; what is not a limit is refused in
/// words (never a dropped connection), and nothing changes.
#[tokio::test]
async fn time_limits_typed_in_chinese_are_read_and_nonsense_is_refused() {
    let demo = demo_app_with(|s| s).await;
    let (_, _, before) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    let put = |limit: String| {
        let mut edited = before.clone();
        edited["categories"][0]["limit"] = json!(limit);
        let demo = &demo;
        async move {
            send(
                demo,
                Role::Admin,
                "PUT",
                "/api/v1/categories",
                Some(edited.to_string()),
            )
            .await
        }
    };
    for (typed, saved) in [
        ("4小时", "4h"),
        ("2天", "2d"),
        ("４ｈ", "4h"),
        ("3个工作日", "3d"),
    ] {
        let (status, _, answer) = put(typed.to_owned()).await;
        assert_eq!(status, StatusCode::OK, "{typed}: {answer}");
        let (_, _, now) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
        assert_eq!(now["categories"][0]["limit"], saved, "{typed}");
    }
    let (_, _, last_good) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    for nonsense in [String::new(), "4".repeat(10_000), "很快".to_owned()] {
        let (status, _, problem) = put(nonsense.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().len() < 500,
            "the refusal does not repeat the whole input: {problem}"
        );
    }
    let (_, _, after) = send(&demo, Role::Admin, "GET", "/api/v1/categories", None).await;
    assert_eq!(after, last_good);
}

/// A supervisor names their community as people do (古城社区) and gets what its code gives; a
/// community outside their area by name is refused like by code.
#[tokio::test]
async fn places_are_named_by_name_as_well_as_by_code() {
    let demo = crate::support::demo_with_year(|s| s).await;
    let get = |uri: String| {
        let demo = &demo;
        async move { send(demo, Role::Supervisor, "GET", &uri, None).await }
    };
    let by_code = get(format!(
        "/api/v1/cases?community={}&limit=500",
        crate::support::SUPERVISOR_SCOPE
    ))
    .await;
    let by_name = get(format!(
        "/api/v1/cases?community={}&limit=500",
        crate::support::encode("古城社区")
    ))
    .await;
    assert_eq!(by_name.0, StatusCode::OK, "{}", by_name.2);
    assert!(!by_code.2["cases"].as_array().unwrap().is_empty());
    assert_eq!(by_name.2, by_code.2);
    let elsewhere = crate::support::demo_base()
        .communities
        .iter()
        .find(|c| c.code.as_str() != crate::support::SUPERVISOR_SCOPE)
        .unwrap();
    let (status, _, _) = get(format!(
        "/api/v1/cases?community={}",
        crate::support::encode(&elsewhere.name)
    ))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
