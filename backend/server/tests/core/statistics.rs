//! The planner's statistics over the demo's year of cases: counts that add up, the hot spots
//! the demo was made with, and the place that emerged late in the year.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use citygrid::demo::history::{HOTSPOTS, history, history_end};
use citygrid_core::LonLat;
use citygrid_core::account::Role;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::support::{Demo, at, demo_app_with};

/// The demo application with its year of history.
async fn demo_with_history() -> Demo {
    let demo = demo_app_with(|s| s).await;
    let atlas = demo.state.district.atlas();
    let year = history(atlas.base(), &atlas, &crate::support::rules());
    demo.state
        .district
        .store()
        .insert_history(&year)
        .await
        .unwrap();
    demo
}

async fn get(demo: &Demo, role: Role, uri: &str) -> (StatusCode, Value) {
    let req = Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {}", demo.token(role)))
        .body(Body::empty())
        .unwrap();
    let res = demo.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn grid_at(demo: &Demo, p: LonLat) -> String {
    let atlas = demo.state.district.atlas();
    let (i, _) = atlas.grid_at(p).unwrap();
    atlas.base().grids[i].code.to_string()
}

fn cell<'a>(cells: &'a Value, grid: &str) -> &'a Value {
    cells
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["grid"] == grid)
        .unwrap()
}

#[tokio::test]
async fn the_demo_hot_spots_are_found_and_counts_add_up() {
    let demo = demo_with_history().await;
    let end = history_end().format("%Y-%m-%d").to_string();
    // Counts per community and quarter add up to every case with a community.
    let (status, table) = get(
        &demo,
        Role::Planner,
        &format!("/api/v1/analytics/counts?by=community&slice=quarter&to={end}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{table}");
    let places = table["places"].as_array().unwrap();
    let total: u64 = places.iter().map(|p| p["total"].as_u64().unwrap()).sum();
    let by_slice: u64 = places
        .iter()
        .flat_map(|p| {
            p["by_slice"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
        })
        .sum();
    assert_eq!(total, by_slice);
    assert!(total > 10_000, "{total}");
    assert_eq!(places.len(), 8, "every community has cases");

    // Each recurring place the demo was made with is a 99 % hot spot of its own category.
    for h in HOTSPOTS.iter().filter(|h| h.from_day == 0) {
        let grid = grid_at(&demo, at(h.x, h.y));
        let (status, out) = get(
            &demo,
            Role::Planner,
            &format!("/api/v1/analytics/hotspots?category={}", h.category),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let c = cell(&out["cells"], &grid);
        assert_eq!(c["bin"], 3, "{}: {c}", h.name);
    }
    // Distance-band weights and FDR answer too; GeoJSON carries the cells' shapes.
    let (status, out) = get(
        &demo,
        Role::Planner,
        "/api/v1/analytics/hotspots?weights=distance&band_m=250&fdr=true&format=geojson",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["features"].as_array().unwrap().len(), 398);
    assert!(out["features"][0]["geometry"]["type"].is_string());
    // Dispatchers and officers do not get district-wide statistics.
    assert_eq!(
        get(&demo, Role::Dispatcher, "/api/v1/analytics/hotspots")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, problem) = get(
        &demo,
        Role::Leader,
        "/api/v1/analytics/hotspots?weights=rook",
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("weights"))
    );
}

#[tokio::test]
async fn the_place_that_emerged_late_in_the_year_is_new_or_growing() {
    let demo = demo_with_history().await;
    let end = history_end();
    let from = (end - chrono::Duration::days(364)).format("%Y-%m-%d");
    let to = end.format("%Y-%m-%d");
    let late = HOTSPOTS
        .iter()
        .find(|h| h.from_day > 250 && h.category == "0501")
        .unwrap();
    let steady = HOTSPOTS
        .iter()
        .find(|h| h.from_day == 0 && h.category == "0501")
        .unwrap();
    let (status, out) = get(
        &demo,
        Role::Planner,
        &format!("/api/v1/analytics/emerging?slice=month&category=0501&from={from}&to={to}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert!(out["slices"].as_array().unwrap().len() >= 12);
    let emerged = cell(&out["cells"], &grid_at(&demo, at(late.x, late.y)));
    assert!(
        ["new", "consecutive", "intensifying", "sporadic"]
            .contains(&emerged["category"].as_str().unwrap()),
        "{emerged}"
    );
    assert!(emerged["trend"]["z"].as_f64().unwrap() > 0.0, "{emerged}");
    let always = cell(&out["cells"], &grid_at(&demo, at(steady.x, steady.y)));
    assert!(
        ["persistent", "intensifying", "diminishing"]
            .contains(&always["category"].as_str().unwrap()),
        "{always}"
    );
}
