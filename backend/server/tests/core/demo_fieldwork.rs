//! The demo's year of campaigns and approvals (FIELDWORK §1): a quarter reads like the seed's —
//! some twenty flying-wire actions with about a hundred wires and a hundred and forty e-bikes,
//! some sixty muck trucks fined about forty thousand 元, garbage-sorting visits as a rate of the
//! district's households, about sixty applications mostly shop signs and mostly the same day —
//! with cases found on the way, signs written onto their shops, and an overdue application on
//! the desk.

use chrono::{NaiveDate, Utc};
use citygrid::store::ApplicationFilter;

use crate::support::{demo_district, rules};

#[tokio::test]
async fn the_demo_year_has_campaigns_and_approvals_of_the_seeds_order() {
    let district = demo_district().await;
    let cases = citygrid::cases::CaseService::new(district.clone(), rules());
    let end = citygrid::demo::history::history_end();
    let (actions, applications) = citygrid::demo::fieldwork::load(&cases, end).await.unwrap();
    assert!(
        actions > 300 && applications > 200,
        "{actions} actions, {applications} applications"
    );
    let store = district.store();
    let book = citygrid::campaigns::CampaignBook::new(store.clone());
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let q3 = citygrid::campaigns::quarter::lines(
        store.as_ref(),
        &book.current(),
        day(2026, 7, 1),
        day(2026, 10, 1),
    )
    .await
    .unwrap();
    let line = |kind: &str| {
        q3.iter()
            .find(|l| l.kind == kind)
            .unwrap_or_else(|| panic!("{kind}: {q3:?}"))
    };
    let total = |kind: &str, item: &str| {
        line(kind)
            .totals
            .iter()
            .find(|t| t.item == item)
            .map_or(0.0, |t| t.quantity)
    };
    let wires = line("flying-wires");
    assert!((15..=27).contains(&wires.actions), "{wires:?}");
    assert!(
        (60.0..=150.0).contains(&total("flying-wires", "wires-removed")),
        "{wires:?}"
    );
    assert!(
        (90.0..=200.0).contains(&total("flying-wires", "ebikes-cleared")),
        "{wires:?}"
    );
    let fines = line("muck-trucks")
        .totals
        .iter()
        .find(|t| t.item == "fines")
        .cloned()
        .unwrap();
    assert!((25_000.0..=65_000.0).contains(&fines.quantity), "{fines:?}");
    assert!((35..=80).contains(&fines.parties.unwrap_or(0)), "{fines:?}");
    let sorting = line("garbage-sorting");
    let rate = &sorting.rates[0];
    assert_eq!(rate.denominator, 10_687.0);
    assert!(
        (0.35..=0.8).contains(&(rate.numerator / rate.denominator)),
        "{rate:?}"
    );
    assert!(total("illegal-building", "area-demolished") > 100.0);
    assert!(total("outdoor-ads", "signs-area") > 50.0);
    assert!(
        q3.iter().map(|l| l.cases).sum::<u64>() > 0,
        "cases found on the way"
    );
    assert!(
        q3.iter().any(|l| l.kind == "night-barbecue"),
        "a summer campaign"
    );

    let calendar = rules().calendar.clone();
    let f = citygrid::approvals::figures::read(
        store.as_ref(),
        citygrid::approvals::types(),
        &calendar,
        day(2026, 7, 1),
        day(2026, 9, 30),
        Utc::now(),
    )
    .await
    .unwrap();
    assert!((45..=75).contains(&f.handled), "{f:?}");
    let signs = f.types.iter().find(|t| t.kind == "shop-sign").unwrap();
    assert!(signs.handled * 2 > f.handled, "shop signs above all: {f:?}");
    assert!(
        f.same_day * 10 >= f.handled * 8,
        "mostly the same day: {f:?}"
    );
    // The desk at the end of the year: something still open, one overdue.
    let open = store
        .applications(&ApplicationFilter {
            statuses: vec![
                citygrid_core::api::approvals::ApplicationStatus::Received,
                citygrid_core::api::approvals::ApplicationStatus::AwaitingMaterials,
            ],
            ..ApplicationFilter::default()
        })
        .await
        .unwrap();
    let overdue = open
        .into_iter()
        .map(|a| citygrid::approvals::view(a, &calendar, end, true))
        .filter(|a| a.clock.overdue)
        .count();
    assert!(overdue >= 1, "an overdue application");
    // Approved signs are on their shops.
    let signed = district
        .atlas()
        .base()
        .shops
        .iter()
        .filter(|s| s.attributes.contains_key("sign_filing"))
        .count();
    assert!(signed > 50, "{signed} shops with a filed sign");
}
