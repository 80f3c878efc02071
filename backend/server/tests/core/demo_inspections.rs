//! The demo's year of inspections (FIELDWORK §1): each quarter of the order of the bureau's own
//! report — tens of daily and comprehensive assessments in town and villages, a few notices
//! taken through the loop, deductions of some hundred thousand 元, several hundred shops
//! surveyed — with its months signed off and its appeals decided.

use citygrid::assessments::quarter;
use citygrid::store::AssessmentFilter;
use citygrid_core::api::assessments::Subject;
use citygrid_core::case::Status;
use citygrid_core::features::SectionArea;
use citygrid_core::period::PeriodChange;

use crate::support::{demo_district, rules};

#[tokio::test]
async fn the_demo_year_reads_like_a_bureaus_quarters() {
    let district = demo_district().await;
    citygrid::demo::assessments::load(
        &citygrid::cases::CaseService::new(district.clone(), rules()),
        &citygrid::assessments::ChecklistBook::new(district.store().clone()),
        citygrid::demo::history::history_end(),
    )
    .await
    .unwrap();
    let store = district.store();
    let atlas = district.atlas();
    let book = citygrid::assessments::ChecklistBook::new(store.clone());
    let q2 = quarter::inspections(
        store.as_ref(),
        atlas.base(),
        &book.current(),
        chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
    )
    .await
    .unwrap();
    let line = |area| q2.sanitation.iter().find(|l| l.area == area).unwrap();
    let (town, villages) = (line(SectionArea::Urban), line(SectionArea::Rural));
    assert!(
        (20..=40).contains(&town.daily) && (15..=30).contains(&town.comprehensive),
        "{town:?}"
    );
    assert!(
        (20..=40).contains(&villages.daily) && (15..=30).contains(&villages.comprehensive),
        "{villages:?}"
    );
    assert!(
        (100_000.0..1_000_000.0).contains(&town.deducted),
        "{town:?}"
    );
    assert!(
        (10_000.0..200_000.0).contains(&villages.deducted),
        "{villages:?}"
    );
    assert_eq!(
        town.periods_signed, town.periods_assessed,
        "past months are signed off"
    );
    assert!(q2.door_front.shops_surveyed >= 200, "{:?}", q2.door_front);
    assert!(q2.door_front.incomplete_records > 0 && q2.door_front.by_rating.len() >= 2);

    // Notices were raised over the year, each a case closed through the loop.
    let all = store
        .assessments(&AssessmentFilter::default())
        .await
        .unwrap();
    let notices: Vec<i64> = all.iter().flat_map(|a| a.notices.clone()).collect();
    assert!(
        (3..=40).contains(&notices.len()),
        "{} notices",
        notices.len()
    );
    for id in &notices {
        let case = store
            .get_case(citygrid_core::case::CaseId(*id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (case.category.as_str(), case.status),
            ("9003", Status::Closed),
            "{id}"
        );
    }
    assert!(all.iter().any(|a| matches!(a.subject, Subject::Shop(_))));
    // Every finding with a point is placed in a grid cell of the district.
    let placed = all
        .iter()
        .flat_map(|a| &a.findings)
        .filter(|f| f.point.is_some())
        .collect::<Vec<_>>();
    assert!(!placed.is_empty());
    assert!(placed.iter().filter(|f| f.grid.is_some()).count() * 10 >= placed.len() * 9);

    // The ledger: months signed off, one appeal upheld and one rejected.
    let ledger = store.period_entries("2025-01", "2026-12").await.unwrap();
    let decided: Vec<bool> = ledger
        .iter()
        .filter_map(|e| match e.change {
            PeriodChange::AppealDecided { upheld, .. } => Some(upheld),
            _ => None,
        })
        .collect();
    assert_eq!(decided, [true, false], "one appeal upheld, one rejected");
    let periods = citygrid::assessments::periods::read(
        store.as_ref(),
        &atlas.base().sections,
        &["2026-06".to_owned()],
        &book.current(),
    )
    .await
    .unwrap();
    assert!(periods.iter().all(citygrid_core::period::Period::is_signed));
}
