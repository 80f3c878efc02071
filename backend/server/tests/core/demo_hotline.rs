//! The demo's year of 12345 work orders (FIELDWORK §6): between 60 and 300 a quarter in callers'
//! varied words, most linked to the hotline's cases, replied, called back and closed; a few
//! dissatisfied and handled again, some late, urged or extended; the quarter's figures read
//! like a bureau's.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use citygrid::store::WorkOrderFilter;
use citygrid_core::work_order::{OrderStatus, fold};

use crate::support::{demo_district, rules};

#[tokio::test]
async fn the_demo_year_has_work_orders_in_callers_words_through_their_loop() {
    let district = demo_district().await;
    let atlas = district.atlas();
    let year = citygrid::demo::history::history(atlas.base(), &atlas, &rules());
    district.store().insert_history(&year).await.unwrap();
    let cases = citygrid::cases::CaseService::new(district.clone(), rules());
    let end = citygrid::demo::history::history_end();
    let n = citygrid::demo::hotline::load(&cases, end).await.unwrap();
    let store = district.store();
    let orders = store
        .work_orders(&WorkOrderFilter::default())
        .await
        .unwrap();
    assert_eq!(orders.len(), n);
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let rules = rules();
    let f = citygrid::hotline::read_figures(
        &district,
        &rules,
        &citygrid::hotline::book::builtin(),
        day(2026, 7, 1),
        day(2026, 9, 30),
        end,
    )
    .await
    .unwrap();
    let t = &f.total;
    assert!((60..=300).contains(&t.received), "{t:?}");
    assert!(t.by_type.len() >= 4, "complaints and the others: {t:?}");
    assert!(t.replied * 10 >= t.received * 8, "most replied: {t:?}");
    assert!(
        t.replied_on_time < t.replied && t.replied_on_time * 10 >= t.replied * 7,
        "most on time, not all: {t:?}"
    );
    assert!(t.called_back * 10 >= t.replied * 8, "{t:?}");
    let rate = t.satisfied_rate.unwrap();
    assert!((0.85..1.0).contains(&rate), "{t:?}");
    assert!(t.rehandled >= 1, "{t:?}");
    assert!(t.mean_working_hours.unwrap() > 0.5, "{t:?}");
    assert!(
        f.by_category.len() >= 8 && f.by_community.len() >= 3,
        "{f:?}"
    );
    assert!(
        f.suggestion_kept < f.suggested && f.suggestion_kept * 10 >= f.suggested * 7,
        "{f:?}"
    );

    // Every loop folds as the API would have it; the year ends with some open, some overdue.
    let mut open = 0;
    let mut overdue = 0;
    for o in &orders {
        let s = fold(o.due, &o.events);
        assert_eq!(o.state, s, "{}", o.number);
        assert_eq!(o.version, 1 + o.events.len() as i64, "{}", o.number);
        if matches!(s.status, OrderStatus::Received | OrderStatus::Accepted) {
            open += 1;
            overdue += usize::from(s.overdue(end));
        }
        for c in &s.cases {
            let case = store
                .get_case(citygrid_core::case::CaseId(*c))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(case.source, citygrid_core::case::Source::Hotline);
        }
    }
    assert!(open > 0 && overdue > 0, "{open} open, {overdue} overdue");

    // Callers' words vary: within a category, many different texts and more than one phrasing
    // of the problem; no two categories share their texts.
    let mut texts: HashMap<String, HashSet<&str>> = HashMap::new();
    for o in &orders {
        if let Some(c) = fold(o.due, &o.events).category {
            texts.entry(c).or_default().insert(o.text.as_str());
        }
    }
    let fumes = &texts["0106"];
    assert!(fumes.len() >= 10, "{fumes:?}");
    let all: usize = texts.values().map(HashSet::len).sum();
    let distinct: HashSet<&str> = texts.values().flatten().copied().collect();
    assert_eq!(all, distinct.len(), "a text names one category");
}
