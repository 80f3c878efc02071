//! The demo's year of case history: volume, loop outcomes, and the places it was made with.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Duration, Timelike};
use citygrid::cases::CaseRules;
use citygrid::demo::history::{HOTSPOTS, history, history_end};
use citygrid::projection::LocalProjection;
use citygrid::store::{CaseFilter, CaseStore, SqliteStore};
use citygrid_core::case::{Case, CaseEvent, Status};

use crate::support::{demo_atlas, demo_base};

fn year() -> &'static Vec<(Case, Vec<CaseEvent>)> {
    static YEAR: OnceLock<Vec<(Case, Vec<CaseEvent>)>> = OnceLock::new();
    YEAR.get_or_init(|| {
        history(
            demo_base(),
            &demo_atlas(),
            &CaseRules::load(None, None).unwrap(),
        )
    })
}

#[test]
fn about_2700_cases_a_quarter_from_every_source() {
    let cases = year();
    let start = history_end() - Duration::days(365);
    for q in 0..4 {
        let (from, to) = (
            start + Duration::days(91 * q),
            start + Duration::days(91 * (q + 1)),
        );
        let n = cases
            .iter()
            .filter(|(c, _)| c.created_at >= from && c.created_at < to)
            .count();
        assert!((2400..=3000).contains(&n), "quarter {q}: {n}");
        let hotline = cases
            .iter()
            .filter(|(c, _)| {
                c.created_at >= from && c.created_at < to && c.category.as_str() == "9002"
            })
            .count();
        assert!(
            (40..=85).contains(&hotline),
            "quarter {q}: {hotline} hotline complaints"
        );
    }
    let sources: std::collections::HashSet<_> = cases.iter().map(|(c, _)| c.source).collect();
    assert_eq!(sources.len(), 5);
    // Deterministic.
    let again = history(
        demo_base(),
        &demo_atlas(),
        &CaseRules::load(None, None).unwrap(),
    );
    assert_eq!(again.len(), cases.len());
    assert_eq!(
        again.last().map(|c| c.0.created_at),
        cases.last().map(|c| c.0.created_at)
    );
}

#[test]
fn most_are_handled_on_time_some_late_some_reworked_recent_ones_open() {
    let cases = year();
    let n = cases.len() as f64;
    let closed = cases
        .iter()
        .filter(|(c, _)| c.status == Status::Closed)
        .count() as f64;
    assert!(closed / n > 0.85, "{closed}/{n} closed");
    let late = cases
        .iter()
        .filter(|(c, es)| {
            es.iter()
                .find(|e| e.action == "handle")
                .is_some_and(|e| e.at > c.deadline)
        })
        .count() as f64;
    assert!((0.05..0.2).contains(&(late / n)), "{late} handled late");
    let reworked = cases
        .iter()
        .filter(|(_, es)| es.iter().any(|e| e.action == "rework"))
        .count() as f64;
    assert!((0.02..0.1).contains(&(reworked / n)), "{reworked} reworked");
    assert!(cases.iter().any(|(c, _)| c.status == Status::Rejected));
    let open_recent = cases
        .iter()
        .filter(|(c, _)| c.status.is_open())
        .all(|(c, _)| c.created_at > history_end() - Duration::days(10));
    assert!(open_recent, "only recent cases are still open");
    assert!(
        cases
            .iter()
            .filter(|(c, _)| c.category.as_str() == "9002")
            .all(|(c, es)| c.status != Status::Closed || es.iter().any(|e| e.action == "comment"))
    );
    // Every history is a valid walk of the loop, in time order.
    for (c, es) in cases {
        assert_eq!(es[0].action, "report");
        for w in es.windows(2) {
            assert!(w[0].at <= w[1].at);
            let action: citygrid_core::case::Action = w[1].action.parse().unwrap();
            assert_eq!(
                action.apply(w[0].to),
                Some(w[1].to),
                "case at {}",
                c.created_at
            );
        }
        assert_eq!(es.last().unwrap().to, c.status);
    }
}

#[test]
fn the_places_the_demo_was_made_with_recur_and_emerge() {
    let cases = year();
    let proj = LocalProjection::new(citygrid::demo::CENTRE);
    let start = history_end() - Duration::days(365);
    for h in &HOTSPOTS {
        let near: Vec<&Case> = cases
            .iter()
            .map(|(c, _)| c)
            .filter(|c| c.category.as_str() == h.category)
            .filter(|c| {
                let p = proj.project(c.point);
                (p.x - h.x).hypot(p.y - h.y) < 20.0
            })
            .collect();
        let months_with_3 = (0..12)
            .filter(|m| {
                let (from, to) = (
                    start + Duration::days(30 * m),
                    start + Duration::days(30 * (m + 1)),
                );
                near.iter()
                    .filter(|c| c.created_at >= from && c.created_at < to)
                    .count()
                    >= 3
            })
            .count();
        if h.from_day == 0 {
            assert!(
                months_with_3 >= 10,
                "{}: {months_with_3} months with 3 or more",
                h.name
            );
        } else {
            let before = near
                .iter()
                .filter(|c| c.created_at < start + Duration::days(h.from_day) - Duration::days(30))
                .count();
            assert!(before <= 2, "{}: {before} cases before it emerged", h.name);
            assert!(months_with_3 >= 2, "{}: {months_with_3}", h.name);
        }
        if h.evening {
            let evening = near
                .iter()
                .filter(|c| {
                    (18..23).contains(
                        &c.created_at
                            .with_timezone(&chrono_tz::Asia::Shanghai)
                            .hour(),
                    )
                })
                .count();
            assert!(
                evening as f64 / near.len() as f64 > 0.85,
                "{}: {evening}/{}",
                h.name,
                near.len()
            );
        }
    }
}

#[tokio::test]
async fn the_year_loads_into_the_store_in_one_go() {
    let store = SqliteStore::memory().await.unwrap();
    let cases = year();
    assert_eq!(store.insert_history(cases).await.unwrap(), cases.len());
    let page = store.list_cases(&CaseFilter::default(), 5).await.unwrap();
    assert_eq!(page[0].id.0, cases.len() as i64);
    let events = store.case_events(page[0].id).await.unwrap();
    assert_eq!(events.len(), cases.last().unwrap().1.len());
    let store: Arc<dyn citygrid::store::Store> = Arc::new(store);
    assert!(store.latest_event_seq().await.unwrap() > cases.len() as i64 * 3);
    let _ = chrono::Utc::now().year();
}
