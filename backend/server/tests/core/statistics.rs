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
    crate::support::demo_with_year(|s| s).await
}

async fn get(demo: &Demo, role: Role, uri: &str) -> (StatusCode, Value) {
    let (status, _, value) = demo.send_as(role, "GET", uri, None).await;
    (status, value)
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
    let (status, map) = get(
        &demo,
        Role::Planner,
        &format!("/api/v1/analytics/counts?by=grid&slice=month&to={end}&format=geojson"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let features = map["features"].as_array().unwrap();
    assert_eq!(features.len(), 398, "every cell, with or without cases");
    let on_map: u64 = features
        .iter()
        .map(|f| f["properties"]["total"].as_u64().unwrap())
        .sum();
    assert!(on_map >= total, "{on_map} < {total}");

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

#[tokio::test]
async fn recurring_places_are_the_ones_the_demo_was_made_with() {
    let demo = demo_with_history().await;
    let to = history_end().format("%Y-%m-%d");
    let (status, out) = get(
        &demo,
        Role::Planner,
        &format!("/api/v1/analytics/recurring?to={to}&limit=60"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let places = out["places"].as_array().unwrap();
    for h in HOTSPOTS.iter().filter(|h| h.from_day == 0) {
        let grid = grid_at(&demo, at(h.x, h.y));
        let place = places
            .iter()
            .find(|p| p["kind"] == "grid" && p["key"] == grid.as_str())
            .unwrap_or_else(|| panic!("{} ({grid}) is not among the recurring places", h.name));
        // Three or more of one category in most months of the year (the quietest place, 1.5
        // cases a week, in 9 of its 13 calendar months).
        assert!(
            place["months_recurring"].as_u64().unwrap() >= 8,
            "{}: {place}",
            h.name
        );
        assert!(place["history"].as_array().unwrap().len() >= 12);
        let month = &place["history"][3];
        assert!(
            month["by_category"][h.category].as_u64().unwrap_or(0) >= 1,
            "{}: {month}",
            h.name
        );
    }
    let (status, problem) = get(&demo, Role::Planner, "/api/v1/analytics/recurring?n=0").await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("n"))
    );
}

#[tokio::test]
async fn the_quarterly_report_agrees_with_an_independent_count() {
    use chrono::{Datelike, TimeZone};
    let demo = demo_with_history().await;
    let tz = chrono_tz::Asia::Shanghai;
    // The last full quarter of the demo's year.
    let end = history_end().with_timezone(&tz).date_naive();
    let q_start = chrono::NaiveDate::from_ymd_opt(end.year(), (end.month0() / 3) * 3 + 1, 1)
        .unwrap()
        - chrono::Months::new(3);
    let quarter = format!("{}-Q{}", q_start.year(), q_start.month0() / 3 + 1);
    let (from, to) = (
        tz.from_local_datetime(&q_start.and_hms_opt(0, 0, 0).unwrap())
            .unwrap(),
        tz.from_local_datetime(
            &(q_start + chrono::Months::new(3))
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )
        .unwrap(),
    );
    // Counted here from the generated history, not from the store.
    let atlas = demo.state.district.atlas();
    let year = history(atlas.base(), &atlas, &crate::support::rules());
    let inside: Vec<_> = year
        .iter()
        .filter(|(c, _)| c.created_at >= from && c.created_at < to)
        .collect();
    let hotline: Vec<_> = inside
        .iter()
        .filter(|(c, _)| c.source == citygrid_core::case::Source::Hotline)
        .collect();
    let answered = hotline.iter().filter(|(_, e)| e.len() > 1).count();
    let vending = inside
        .iter()
        .filter(|(c, _)| c.category.as_str() == "0501")
        .count();
    let guyu = inside
        .iter()
        .filter(|(c, _)| {
            c.location
                .community
                .as_ref()
                .is_some_and(|k| k.code.as_str() == crate::support::SUPERVISOR_SCOPE)
        })
        .count();

    let (status, report) = get(
        &demo,
        Role::Leader,
        &format!("/api/v1/reports/quarterly?quarter={quarter}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["received"].as_u64().unwrap() as usize, inside.len());
    let by_source: u64 = report["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(by_source as usize, inside.len());
    assert_eq!(
        report["hotline"]["received"].as_u64().unwrap() as usize,
        hotline.len()
    );
    assert_eq!(
        report["hotline"]["answered"].as_u64().unwrap() as usize,
        answered
    );
    let line = report["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "0501")
        .unwrap();
    assert_eq!(line["cases"].as_u64().unwrap() as usize, vending);
    assert_eq!(line["name"], "无照经营游商", "{line}");
    let community = report["by_community"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == crate::support::SUPERVISOR_SCOPE)
        .unwrap();
    assert_eq!(community["cases"].as_u64().unwrap() as usize, guyu);
    assert!(report["evaluation"]["handled"]["rate"].as_f64().unwrap() > 0.5);
    assert!(!report["recurring"].as_array().unwrap().is_empty());

    // The same as CSV and as a printable Chinese page.
    let req = |format: &str| {
        Request::builder()
            .uri(format!(
                "/api/v1/reports/quarterly?quarter={quarter}&format={format}"
            ))
            .header(
                "authorization",
                format!("Bearer {}", demo.token(Role::Leader)),
            )
            .body(Body::empty())
            .unwrap()
    };
    let res = demo.router.clone().oneshot(req("csv")).await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        csv.contains(&format!("received,{quarter},受理案件,{},,", inside.len())),
        "{csv}"
    );
    // With the header and the sections in Chinese, for a bureau's spreadsheet.
    let res = demo
        .router
        .clone()
        .oneshot(req("csv&lang=zh"))
        .await
        .unwrap();
    let zh =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        zh.trim_start_matches('\u{feff}')
            .starts_with("板块,编码,名称,件数,数量,单位")
            && zh.contains(&format!("受理,{quarter},受理案件,{},,", inside.len()))
            && zh.contains("\n类别,")
            && !zh.contains("\ncategory,"),
        "{zh}"
    );
    let res = demo.router.clone().oneshot(req("html")).await.unwrap();
    let html =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        html.contains("季度城市管理工作情况报告") && html.contains("热线投诉"),
        "{html}"
    );
    // Printed for people: the emerging hot spot kinds by their Chinese names, no raw keys.
    for kind in citygrid_core::api::analytics::EmergingCategory::ALL {
        assert!(
            !html.contains(&format!(">{}<", kind.as_str())),
            "{} printed raw",
            kind.as_str()
        );
    }
    let (status, problem) = get(
        &demo,
        Role::Leader,
        "/api/v1/reports/quarterly?quarter=2026-Q9",
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("quarter"))
    );
}

#[tokio::test]
async fn evaluation_groups_by_community_team_officer_and_period() {
    let demo = demo_with_history().await;
    for by in [
        "all",
        "grid",
        "community",
        "team",
        "officer",
        "month",
        "quarter",
    ] {
        let (status, out) = get(
            &demo,
            Role::Planner,
            &format!("/api/v1/analytics/evaluation?by={by}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{by}: {out}");
        let groups = out["groups"].as_array().unwrap();
        assert!(!groups.is_empty(), "{by}");
        for g in groups {
            for ratio in ["handled", "handled_on_time", "closed", "closed_on_time"] {
                let r = &g[ratio];
                assert!(
                    r["numerator"].as_u64() <= r["denominator"].as_u64(),
                    "{by} {ratio}: {g}"
                );
            }
        }
    }
    let (_, all) = get(&demo, Role::Planner, "/api/v1/analytics/evaluation").await;
    let (_, months) = get(
        &demo,
        Role::Planner,
        "/api/v1/analytics/evaluation?by=month",
    )
    .await;
    let sum: u64 = months["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, all["groups"][0]["cases"].as_u64().unwrap());
    let (status, problem) = get(
        &demo,
        Role::Planner,
        "/api/v1/analytics/evaluation?by=street",
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("by"))
    );
}

#[tokio::test]
async fn the_heat_surface_is_hottest_at_the_night_market() {
    let demo = demo_with_history().await;
    let (status, out) = get(
        &demo,
        Role::Planner,
        "/api/v1/analytics/heat?category=0501&cell_m=20",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let h = &out["heat"];
    let (cols, values) = (
        h["cols"].as_u64().unwrap() as usize,
        h["values"].as_array().unwrap(),
    );
    assert_eq!(values.len(), cols * h["rows"].as_u64().unwrap() as usize);
    assert!(
        h["radius_m"].as_f64().unwrap() > 20.0,
        "the usual rule chose {}",
        h["radius_m"]
    );
    // The hottest raster cell is near 南湖夜市 (ten street-vending cases a week).
    let peak = values
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
        .unwrap()
        .0;
    let (row, col) = (peak / cols, peak % cols);
    let sw = &h["south_west"];
    let proj = citygrid::projection::LocalProjection::new(citygrid::demo::CENTRE);
    let origin = proj.project(LonLat {
        lon: sw["lon"].as_f64().unwrap(),
        lat: sw["lat"].as_f64().unwrap(),
    });
    let peak_at = geo::Coord {
        x: origin.x + (col as f64 + 0.5) * 20.0,
        y: origin.y + (row as f64 + 0.5) * 20.0,
    };
    let market = HOTSPOTS.iter().find(|h| h.evening).unwrap();
    let market_at = proj.project(at(market.x, market.y));
    assert!(
        (peak_at.x - market_at.x).hypot(peak_at.y - market_at.y) < 100.0,
        "peak at {peak_at:?}"
    );
    let (status, problem) = get(&demo, Role::Planner, "/api/v1/analytics/heat?cell_m=1").await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("cell_m"))
    );
}

#[tokio::test]
async fn each_case_carries_what_became_of_it() {
    use citygrid::cases::{Actor, NewCase};
    use citygrid_core::api::cases::TransitionBody;
    use citygrid_core::case::{Action, Source};
    let demo = demo_app_with(|s| s).await;
    let cases = &demo.state.cases;
    let system = Actor::system("test");
    let now = chrono::Utc::now();
    let new = NewCase {
        category: "0501".into(),
        source: Source::Patrol,
        description: String::new(),
        quantity: None,
        point: Some(at(0.0, 0.0)),
        address: None,
        accept_best: false,
        reporter: None,
        photos: Vec::new(),
    };
    let id = cases.create(new, &system, now).await.unwrap().case.case.id;
    let step = |action: Action, assignee: Option<&str>| TransitionBody {
        assignee: assignee.map(str::to_owned),
        ..TransitionBody::just(action)
    };
    let times: Vec<chrono::DateTime<chrono::Utc>> = (1..=6)
        .map(|m| now + chrono::Duration::minutes(m))
        .collect();
    for (action, assignee, t) in [
        (Action::Dispatch, Some("ZF0001"), times[0]),
        (Action::Handle, None, times[1]),
        (Action::Rework, None, times[2]),
        (Action::Handle, None, times[3]),
        (Action::Verify, None, times[4]),
        (Action::Close, None, times[5]),
    ] {
        cases
            .transition(id, step(action, assignee), &system, t)
            .await
            .unwrap();
    }
    let facts = demo
        .state
        .district
        .store()
        .case_facts(now - chrono::Duration::hours(1)..now + chrono::Duration::hours(1))
        .await
        .unwrap();
    let f = facts.iter().find(|f| f.id == id.0).unwrap();
    let ms = |t: chrono::DateTime<chrono::Utc>| chrono::SubsecRound::trunc_subsecs(t, 3);
    assert_eq!(
        f.handled_at,
        Some(ms(times[1])),
        "the first time it was handled"
    );
    assert_eq!(f.closed_at, Some(ms(times[5])));
    assert_eq!(
        (f.reworks, f.dispatches, f.returns, f.extensions, f.events),
        (1, 1, 0, 0, 7)
    );
}

#[tokio::test]
async fn statistics_follow_new_and_changed_cases() {
    use citygrid::cases::{Actor, NewCase};
    use citygrid_core::api::cases::TransitionBody;
    use citygrid_core::case::{Action, Source};
    let demo = demo_app_with(|s| s).await;
    let total = |demo: &Demo| {
        let stats = demo.state.statistics.clone();
        async move {
            let t = stats
                .counts(
                    citygrid::statistics::Unit::Grid,
                    citygrid::analytics::slices::Slice::Month,
                    &Default::default(),
                )
                .await
                .unwrap();
            t.places.iter().map(|p| p.total).sum::<u64>()
        }
    };
    assert_eq!(total(&demo).await, 0);
    let system = Actor::system("test");
    let new = || NewCase {
        category: "0501".into(),
        source: Source::Patrol,
        description: String::new(),
        quantity: None,
        point: Some(at(10.0, 10.0)),
        address: None,
        accept_best: false,
        reporter: None,
        photos: Vec::new(),
    };
    let now = chrono::Utc::now();
    let first = demo
        .state
        .cases
        .create(new(), &system, now)
        .await
        .unwrap()
        .case
        .case
        .id;
    assert_eq!(total(&demo).await, 1);
    demo.state.cases.create(new(), &system, now).await.unwrap();
    assert_eq!(total(&demo).await, 2);
    // A change reaches the figures too.
    let handle = |action| TransitionBody {
        assignee: Some("ZF0001".into()),
        ..TransitionBody::just(action)
    };
    demo.state
        .cases
        .transition(first, handle(Action::Dispatch), &system, now)
        .await
        .unwrap();
    demo.state
        .cases
        .transition(first, handle(Action::Handle), &system, now)
        .await
        .unwrap();
    let e = demo
        .state
        .statistics
        .evaluation(
            "all",
            &Default::default(),
            now + chrono::Duration::minutes(1),
        )
        .await
        .unwrap();
    assert_eq!(e[0].handled.numerator, 1);
}
