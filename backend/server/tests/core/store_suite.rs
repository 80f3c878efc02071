//! What every store must do, run against each store: the embedded SQLite file always, and
//! PostgreSQL with PostGIS when `CITYGRID_TEST_PG` names a server (`cargo xtask test` starts a
//! scratch one, so CI runs both). Each PostgreSQL test gets a fresh database of its own.
//!
//! The PostgreSQL store is built part by part; the parts it has are tested here on both.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use citygrid::store::{DistrictStore, PgStore, SqliteStore};
use citygrid_core::features::{AddressPoint, LayerRows};
use sqlx::{Connection, Executor};

use crate::support::demo_base;

/// A fresh database on the test server, if there is one.
pub async fn scratch_postgres() -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var("CITYGRID_TEST_PG").ok()?;
    let name = format!(
        "citygrid_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (server, _) = url.rsplit_once('/').unwrap();
    Some(format!("{server}/{name}"))
}

/// Every store there is to test, by name.
async fn stores() -> Vec<(&'static str, Arc<dyn DistrictStore>)> {
    let mut all: Vec<(&'static str, Arc<dyn DistrictStore>)> =
        vec![("sqlite", Arc::new(SqliteStore::memory().await.unwrap()))];
    if let Some(url) = scratch_postgres().await {
        all.push(("postgres", Arc::new(PgStore::open(&url).await.unwrap())));
    }
    all
}

#[tokio::test]
async fn every_layer_round_trips_through_every_store() {
    let mut base = demo_base().clone();
    // Address points and attributes too.
    base.addresses.push(AddressPoint {
        street: "人民路".into(),
        number: "12a".into(),
        geometry: geo::Point::new(116.79, 33.954),
        attributes: serde_json::json!({ "source": "survey", "floors": 3 })
            .as_object()
            .unwrap()
            .clone(),
    });
    base.shops[0]
        .attributes
        .insert("note".into(), "门前三包".into());
    for (name, store) in stores().await {
        store
            .replace_layers(base.clone().into_rows())
            .await
            .unwrap();
        assert_eq!(store.load_base().await.unwrap(), base, "{name}");
    }
}

#[tokio::test]
async fn a_replacement_that_fails_changes_no_layer() {
    let base = demo_base().clone();
    for (name, store) in stores().await {
        store
            .replace_layers(base.clone().into_rows())
            .await
            .unwrap();
        // New streets, then grid cells with a code twice: neither is kept.
        let mut streets = base.streets.clone();
        streets.truncate(3);
        let mut grids = base.grids.clone();
        grids.truncate(5);
        grids.push(grids[0].clone());
        let refused = store
            .replace_layers(vec![LayerRows::Streets(streets), LayerRows::Grids(grids)])
            .await;
        assert!(refused.is_err(), "{name}");
        assert_eq!(store.load_base().await.unwrap(), base, "{name}");
    }
}

#[tokio::test]
async fn settings_are_kept_and_replaced() {
    for (name, store) in stores().await {
        assert_eq!(store.setting("categories").await.unwrap(), None, "{name}");
        store
            .set_setting(&citygrid::store::SettingChange::new(
                "categories",
                "{\"a\":1}",
                "admin",
                Utc::now(),
            ))
            .await
            .unwrap();
        store
            .set_setting(&citygrid::store::SettingChange::new(
                "categories",
                "{\"a\":2}",
                "admin",
                Utc::now(),
            ))
            .await
            .unwrap();
        assert_eq!(
            store.setting("categories").await.unwrap().as_deref(),
            Some("{\"a\":2}"),
            "{name}"
        );
        store.ping().await.unwrap();
    }
}

/// Every store, whole (for copying between them).
async fn whole_stores() -> Vec<(&'static str, Arc<dyn citygrid::store::Store>)> {
    let mut all: Vec<(&'static str, Arc<dyn citygrid::store::Store>)> =
        vec![("sqlite", Arc::new(SqliteStore::memory().await.unwrap()))];
    if let Some(url) = scratch_postgres().await {
        all.push(("postgres", Arc::new(PgStore::open(&url).await.unwrap())));
    }
    all
}

/// A deployment with something of everything: the demo's layers, a month of its cases, a photo,
/// users (one disabled), audit entries, duty statuses, a shift and an admin's catalogue.
async fn deployment() -> Arc<dyn citygrid::store::Store> {
    use citygrid_core::officer::{DutyStatus, Shift, StatusChange};
    let store: Arc<dyn citygrid::store::Store> = Arc::new(SqliteStore::memory().await.unwrap());
    store
        .replace_layers(demo_base().clone().into_rows())
        .await
        .unwrap();
    let end = citygrid::demo::history::history_end();
    let mut cases = citygrid::demo::history::history(
        demo_base(),
        &crate::support::demo_atlas(),
        &crate::support::rules(),
    );
    cases.retain(|(c, _)| c.created_at > end - chrono::Duration::days(30));
    // A note published to the public moves as one.
    if let Some(e) = cases.first_mut().and_then(|(_, es)| es.last_mut()) {
        e.note = Some("已处理".into());
        e.visibility = citygrid_core::case::Visibility::Public;
    }
    store.insert_history(&cases).await.unwrap();
    store
        .put_photo(&citygrid::store::Photo {
            hash: "ab".repeat(32).as_str(),
            content_type: "image/png",
            bytes: &[1, 2, 3],
        })
        .await
        .unwrap();
    let now = Utc::now();
    for (name, disabled) in [("alice", false), ("bob", true)] {
        store
            .insert_user(
                &citygrid::store::NewUser {
                    username: name.into(),
                    display_name: Some(name.to_uppercase()),
                    role: citygrid_core::account::Role::Supervisor,
                    password_hash: format!("$argon2id$hash-of-{name}"),
                    scope: vec!["340688001001".into()],
                    officer: None,
                    must_change_password: name == "alice",
                },
                now,
            )
            .await
            .unwrap();
        if disabled {
            let mut user = store.credentials(name).await.unwrap().unwrap().user;
            user.disabled = true;
            store.update_user(&user, None).await.unwrap();
        }
    }
    for (i, action) in ["POST /api/v1/login", "import grids"]
        .into_iter()
        .enumerate()
    {
        store
            .append_audit(&citygrid::store::AuditEntry {
                seq: 0,
                at: now - chrono::Duration::minutes(10 - i as i64),
                actor: "alice".into(),
                origin: "127.0.0.1".into(),
                action: action.into(),
                status: 200,
                detail: Some(format!("step {i}")),
            })
            .await
            .unwrap();
    }
    for (officer, status) in [("ZF0001", DutyStatus::OnDuty), ("ZF0002", DutyStatus::Busy)] {
        store
            .append_status(&StatusChange {
                officer: officer.into(),
                status,
                at: now,
                actor: "dispatcher".into(),
            })
            .await
            .unwrap();
    }
    store
        .insert_shift(
            &Shift {
                officer: "ZF0001".into(),
                starts_at: now,
                ends_at: now + chrono::Duration::hours(8),
            },
            "dispatcher",
        )
        .await
        .unwrap();
    store
        .put_login_throttle(&citygrid::store::LoginThrottle {
            username: "alice".into(),
            address: "10.0.0.1".into(),
            failures: 2,
            last_failure: Some(now),
            blocked_until: None,
            last_login: Some(now - chrono::Duration::days(2)),
        })
        .await
        .unwrap();
    store
        .set_setting(&citygrid::store::SettingChange::new(
            "categories",
            "{\"edited\":true}",
            "admin",
            now,
        ))
        .await
        .unwrap();
    store
        .set_setting(&citygrid::store::SettingChange::new(
            "checklists",
            "{\"checklists\":[]}",
            "admin",
            now,
        ))
        .await
        .unwrap();
    let made: Vec<_> = (0..3).map(|i| assessment(i, now)).collect();
    store.insert_assessments(&made, false).await.unwrap();
    store
        .append_period_entries(&ledger(now), false)
        .await
        .unwrap();
    let (campaign, action, applications) = fieldwork(chrono::SubsecRound::trunc_subsecs(now, 3));
    store.insert_campaigns(&[campaign], false).await.unwrap();
    store.insert_actions(&[action], false).await.unwrap();
    store
        .insert_applications(&applications, false)
        .await
        .unwrap();
    store
        .insert_work_orders(
            &work_orders(chrono::SubsecRound::trunc_subsecs(now, 3)),
            false,
        )
        .await
        .unwrap();
    store
        .save_report_text(&report_text(chrono::SubsecRound::trunc_subsecs(now, 3)), 0)
        .await
        .unwrap();
    store
        .set_setting(&citygrid::store::SettingChange::new(
            "campaign_kinds",
            "{\"kinds\":[]}",
            "admin",
            now,
        ))
        .await
        .unwrap();
    store
}

/// A section's month signed off, then appealed.
fn ledger(now: chrono::DateTime<Utc>) -> Vec<citygrid_core::period::PeriodEntry> {
    use citygrid_core::period::{PeriodChange, PeriodEntry, PeriodFigures};
    let section = &demo_base().sections[0];
    let figures = PeriodFigures::of(section, "2026-09", None, &[]);
    [
        PeriodChange::SignedOff { figures },
        PeriodChange::AppealFiled {
            yuan: 1_000.0,
            reason: "暴雨".into(),
        },
    ]
    .into_iter()
    .map(|change| PeriodEntry {
        id: 0,
        section: section.code.clone(),
        month: "2026-09".into(),
        change,
        by: "leader".into(),
        at: now,
    })
    .collect()
}

#[tokio::test]
async fn the_periods_ledger_is_kept_in_order_and_a_month_is_signed_off_once() {
    // Stores keep times to the millisecond.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
    for (name, store) in whole_stores().await {
        let entries = ledger(now);
        let ids = store.append_period_entries(&entries, false).await.unwrap();
        let read = store.period_entries("2026-09", "2026-09").await.unwrap();
        assert_eq!(read.iter().map(|e| e.id).collect::<Vec<_>>(), ids, "{name}");
        let mut first = entries[0].clone();
        first.id = ids[0];
        assert_eq!(read[0], first, "{name}");
        assert!(
            store
                .period_entries("2026-10", "2026-12")
                .await
                .unwrap()
                .is_empty()
        );
        // A second sign-off of the month is refused, and the batch it came in with too.
        let again = vec![entries[1].clone(), entries[0].clone()];
        assert!(
            matches!(
                store.append_period_entries(&again, false).await,
                Err(citygrid::store::StoreError::Duplicate(_))
            ),
            "{name}"
        );
        assert_eq!(
            store
                .period_entries("2026-09", "2026-09")
                .await
                .unwrap()
                .len(),
            2,
            "{name}"
        );
    }
}

/// An assessment as recorded: the `i`-th of the demo's sections, a month apart.
fn assessment(i: usize, now: chrono::DateTime<Utc>) -> citygrid_core::api::assessments::Assessment {
    use citygrid_core::api::assessments::{Assessment, Subject};
    use citygrid_core::checklist::{AssessmentKind, Finding, Score};
    let section = &demo_base().sections[i];
    let at = now - chrono::Duration::days(31 * i as i64);
    Assessment {
        id: 0,
        kind: if i == 1 {
            AssessmentKind::Comprehensive
        } else {
            AssessmentKind::Daily
        },
        checklist: "urban-daily".into(),
        version: 1,
        subject: Subject::Section(section.code.clone()),
        subject_name: section.name.clone(),
        contractor: Some(section.contractor.clone()),
        area: Some(section.area),
        assessors: vec!["张考核".into()],
        at,
        month: at.format("%Y-%m").to_string(),
        position: None,
        findings: vec![Finding {
            item: "U01".into(),
            occurrences: Some(3),
            note: Some("烟头".into()),
            grid: Some(demo_base().grids[0].code.clone()),
            ..Finding::default()
        }],
        samples: Vec::new(),
        note: None,
        score: Score {
            score: 97.0,
            rating: "excellent".into(),
            deducted: vec![3.0],
            failed_items: vec!["U01".into()],
            major: false,
            dust_g_per_m2: None,
        },
        notices: vec![7],
        campaign: (i == 2).then_some(1),
        recorded_by: "supervisor".into(),
        recorded_at: now,
    }
}

/// A campaign, an action of it and two applications (one decided), as recorded.
fn fieldwork(
    now: chrono::DateTime<Utc>,
) -> (
    citygrid_core::api::campaigns::Campaign,
    citygrid_core::api::campaigns::Action,
    Vec<citygrid_core::api::approvals::Application>,
) {
    use citygrid_core::api::approvals::{Applicant, Application, ApplicationStatus, Step};
    use citygrid_core::api::campaigns::{Action, ActionPlace, Campaign, CampaignArea};
    use citygrid_core::approval::{ApprovalLimit, Clock, Mode};
    use citygrid_core::campaign::{Tally, Target};
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let campaign = Campaign {
        id: 0,
        version: 1,
        name: "飞线充电整治".into(),
        kind: "flying-wires".into(),
        kind_name_zh: "电动车飞线充电整治".into(),
        kind_name_en: "Flying-wire charging".into(),
        starts: day("2026-07-01"),
        ends: day("2026-12-31"),
        area: CampaignArea {
            communities: vec!["340688001".into()],
            ..CampaignArea::default()
        },
        lead_team: "东山一中队".into(),
        targets: vec![Target {
            item: "wires-removed".into(),
            quantity: 100.0,
            by: day("2026-11-30"),
        }],
        bases: Vec::new(),
        note: None,
        created_by: "leader".into(),
        created_at: now,
        updated_by: "leader".into(),
        updated_at: now,
    };
    let action = Action {
        id: 0,
        campaign: 1,
        at: now,
        day: day("2026-09-15"),
        place: ActionPlace::Point {
            at: citygrid_core::LonLat::new(117.0, 31.8).unwrap(),
        },
        cell: Some("340688001001".into()),
        community: Some("340688001".into()),
        zones: Vec::new(),
        officers: vec!["ZF0001".into()],
        vehicles: vec!["皖A12345".into()],
        note: Some("夜查".into()),
        photos: Vec::new(),
        tallies: vec![
            Tally {
                item: "wires-removed".into(),
                quantity: 12.0,
                parties: None,
            },
            Tally {
                item: "ebikes-cleared".into(),
                quantity: 30.0,
                parties: None,
            },
        ],
        cases: vec![3],
        recorded_by: "officer".into(),
        recorded_at: now,
    };
    let clock = Clock {
        limit_minutes: 420,
        used_minutes: 30,
        deadline: None,
        paused: false,
        overdue: false,
        on_time: Some(true),
        same_day: Some(true),
    };
    let application = |number: &str, steps: Vec<Step>, status| Application {
        id: 0,
        number: number.into(),
        version: 1 + steps.len() as i64,
        kind: "shop-sign".into(),
        type_name_zh: "门头招牌设置备案".into(),
        type_name_en: "Shop-sign filing".into(),
        mode: Mode::Filing,
        limit: ApprovalLimit::SameDay,
        applicant: Some(Applicant {
            name: "某某餐饮店".into(),
            credit_code: Some("91110108551385082Q".into()),
            contact: "13800000000".into(),
        }),
        subject: "门头招牌".into(),
        place: Default::default(),
        shop_name: None,
        cell: None,
        community: Some("340688001".into()),
        received_at: now - chrono::Duration::hours(2),
        materials: vec!["营业执照复印件".into()],
        sign: None,
        note: None,
        status,
        steps,
        clock: clock.clone(),
        recorded_by: "dispatcher".into(),
        recorded_at: now,
    };
    let decided = vec![Step::Approved {
        at: now - chrono::Duration::hours(1),
        by: "dispatcher".into(),
        certificate: "ZP-2026-001".into(),
    }];
    (
        campaign,
        action,
        vec![
            application("SP20260915001", decided, ApplicationStatus::Approved),
            application("SP20260915002", Vec::new(), ApplicationStatus::Received),
        ],
    )
}

/// A complaint and a consultation as the centre sent them; the complaint accepted and replied.
fn work_orders(now: chrono::DateTime<Utc>) -> Vec<citygrid_core::api::hotline::WorkOrder> {
    use citygrid_core::api::hotline::{Caller, WorkOrder};
    use citygrid_core::work_order::{OrderEvent, fold};
    let order = |number: &str, kind: &str, events: Vec<OrderEvent>| {
        let due = now + chrono::Duration::days(3);
        WorkOrder {
            id: 0,
            number: number.into(),
            version: 1 + events.len() as i64,
            received_at: now - chrono::Duration::hours(5),
            channel: Some("电话".into()),
            kind: kind.into(),
            urgent: false,
            caller: Some(Caller {
                name: Some("王女士".into()),
                phone: Some("13800000000".into()),
            }),
            text: "楼下烧烤店油烟直排，窗户都不能开".into(),
            address: Some("淮海西路12号".into()),
            due,
            state: fold(due, &events),
            overdue: false,
            events,
            recorded_by: "citygrid".into(),
            recorded_at: now,
        }
    };
    vec![
        order(
            "GD20260915000123",
            "complaint",
            vec![
                OrderEvent::Accepted {
                    at: now - chrono::Duration::hours(4),
                    by: "dispatcher".into(),
                },
                OrderEvent::Replied {
                    at: now - chrono::Duration::hours(1),
                    by: "dispatcher".into(),
                    text: "已责令整改".into(),
                },
            ],
        ),
        order("GD20260915000124", "consultation", Vec::new()),
    ]
}

/// A leader's edit of 2026-Q3: one paragraph rewritten and next quarter's plan.
fn report_text(now: chrono::DateTime<Utc>) -> citygrid_core::api::report_draft::ReportText {
    citygrid_core::api::report_draft::ReportText {
        id: 0,
        quarter: "2026-Q3".into(),
        paragraphs: vec![citygrid_core::api::report_draft::EditedParagraph {
            section: "streets".into(),
            key: "received".into(),
            text: "三季度共受理问题2800件。".into(),
        }],
        plan: "一是持续推进门前责任制。\n二是开展冬季除雪准备。".into(),
        version: 1,
        updated_by: "leader".into(),
        updated_at: now,
    }
}

#[tokio::test]
async fn a_quarters_report_text_is_kept_once_and_changed_from_its_version() {
    use citygrid::store::Page;
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
    for (name, store) in whole_stores().await {
        assert_eq!(store.report_text("2026-Q3").await.unwrap(), None, "{name}");
        let first = report_text(now);
        store.save_report_text(&first, 0).await.unwrap();
        // A second first edit (another leader read version 0 too) is refused.
        assert!(
            matches!(
                store.save_report_text(&first, 0).await,
                Err(citygrid::store::StoreError::Conflict(_))
            ),
            "{name}"
        );
        let mut kept = store.report_text("2026-Q3").await.unwrap().unwrap();
        assert_eq!(
            (kept.plan.as_str(), kept.version),
            (first.plan.as_str(), 1),
            "{name}"
        );
        kept.plan = "一是持续推进门前责任制。".into();
        kept.version = 2;
        store.save_report_text(&kept, 1).await.unwrap();
        assert!(
            matches!(
                store.save_report_text(&kept, 1).await,
                Err(citygrid::store::StoreError::Conflict(_))
            ),
            "{name}"
        );
        let again = store.report_text("2026-Q3").await.unwrap().unwrap();
        assert_eq!(again.version, 2, "{name}");
        assert_eq!(again.paragraphs, first.paragraphs, "{name}");
        assert_eq!(store.report_text("2026-Q2").await.unwrap(), None, "{name}");
        let all = store
            .report_texts_after(Page {
                after: 0,
                limit: 10,
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{name}");
    }
}

#[tokio::test]
async fn work_orders_are_kept_once_by_number_and_changed_from_their_version() {
    use citygrid::store::{Page, WorkOrderFilter};
    use citygrid_core::work_order::{OrderEvent, OrderStatus, fold};
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
    for (name, store) in whole_stores().await {
        let orders = work_orders(now);
        let ids = store.insert_work_orders(&orders, false).await.unwrap();
        assert_eq!(ids.len(), 2, "{name}");
        let again = store.insert_work_orders(&orders[1..], false).await;
        assert!(
            matches!(again, Err(citygrid::store::StoreError::Duplicate(_))),
            "{name}"
        );
        let replied = store
            .work_orders(&WorkOrderFilter {
                statuses: vec![OrderStatus::Replied],
                ..WorkOrderFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(replied.len(), 1, "{name}");
        assert_eq!(replied[0].caller, orders[0].caller, "{name}");
        let mut o = store.work_order(ids[1]).await.unwrap().unwrap();
        o.events.push(OrderEvent::Accepted {
            at: now,
            by: "dispatcher".into(),
        });
        o.state = fold(o.due, &o.events);
        o.version += 1;
        store.update_work_order(&o, 1).await.unwrap();
        assert!(
            matches!(
                store.update_work_order(&o, 1).await,
                Err(citygrid::store::StoreError::Conflict(_))
            ),
            "{name}"
        );
        let by_number = store
            .work_orders(&WorkOrderFilter {
                number: Some("GD20260915000124".into()),
                ..WorkOrderFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(by_number[0].state.status, OrderStatus::Accepted, "{name}");
        // An import: a re-imported order written over its version and a new one, together —
        // or, when the version moved meanwhile, neither.
        let mut again = by_number[0].clone();
        again.text = "楼下烧烤油烟直排（补充）".into();
        again.kind = "complaint".into();
        again.version += 1;
        let mut fresh = orders[1].clone();
        fresh.number = "GD20260915000125".into();
        let stale = store
            .save_work_orders(std::slice::from_ref(&fresh), &[(again.clone(), 1)])
            .await;
        assert!(
            matches!(stale, Err(citygrid::store::StoreError::Conflict(_))),
            "{name}"
        );
        assert_eq!(
            store
                .work_orders(&WorkOrderFilter::default())
                .await
                .unwrap()
                .len(),
            2,
            "nothing of a refused import is kept: {name}"
        );
        let new_ids = store
            .save_work_orders(std::slice::from_ref(&fresh), &[(again.clone(), 2)])
            .await
            .unwrap();
        assert_eq!(new_ids.len(), 1, "{name}");
        let kept = store.work_order(again.id).await.unwrap().unwrap();
        assert_eq!(
            (kept.kind.as_str(), kept.version),
            ("complaint", 3),
            "{name}"
        );
        assert_eq!(
            store
                .work_orders(&WorkOrderFilter {
                    kind: Some("complaint".into()),
                    ..WorkOrderFilter::default()
                })
                .await
                .unwrap()
                .len(),
            2,
            "the type column follows the re-imported order: {name}"
        );
        assert_eq!(
            store
                .work_orders_after(Page {
                    after: 0,
                    limit: 10
                })
                .await
                .unwrap()
                .len(),
            3,
            "{name}"
        );
    }
}

#[tokio::test]
async fn campaigns_actions_and_applications_are_kept_and_changed_from_their_version() {
    use citygrid::store::{ActionFilter, ApplicationFilter, CampaignFilter, Page};
    use citygrid_core::api::approvals::{ApplicationStatus, Step};
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
    for (name, store) in whole_stores().await {
        let (campaign, action, applications) = fieldwork(now);
        let ids = store
            .insert_campaigns(std::slice::from_ref(&campaign), false)
            .await
            .unwrap();
        let mut stored = store.campaign(ids[0]).await.unwrap().unwrap();
        assert_eq!(
            stored,
            citygrid_core::api::campaigns::Campaign {
                id: ids[0],
                ..campaign.clone()
            },
            "{name}"
        );
        // Selected by kind and by running days.
        let running = |from: &str, to: &str| CampaignFilter {
            running_from: Some(from.parse().unwrap()),
            running_to: Some(to.parse().unwrap()),
            ..CampaignFilter::default()
        };
        assert_eq!(
            store
                .campaigns(&running("2026-10-01", "2026-10-31"))
                .await
                .unwrap()
                .len(),
            1,
            "{name}"
        );
        assert!(
            store
                .campaigns(&running("2027-01-01", "2027-03-31"))
                .await
                .unwrap()
                .is_empty(),
            "{name}"
        );
        // A change from the version read; a second one from the same version is a conflict.
        stored.name = "飞线充电整治（二期）".into();
        stored.version = 2;
        store.update_campaign(&stored, 1).await.unwrap();
        let stale = store.update_campaign(&stored, 1).await;
        assert!(
            matches!(stale, Err(citygrid::store::StoreError::Conflict(_))),
            "{name}"
        );
        assert_eq!(
            store.campaign(ids[0]).await.unwrap().unwrap().name,
            "飞线充电整治（二期）"
        );

        store
            .insert_actions(std::slice::from_ref(&action), false)
            .await
            .unwrap();
        let by_day = |from: &str, to: &str| ActionFilter {
            campaign: Some(ids[0]),
            from_day: Some(from.parse().unwrap()),
            to_day: Some(to.parse().unwrap()),
            ..ActionFilter::default()
        };
        let found = store
            .actions(&by_day("2026-09-01", "2026-09-30"))
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0].tallies, action.tallies, "{name}");
        assert!(
            store
                .actions(&by_day("2026-10-01", "2026-10-31"))
                .await
                .unwrap()
                .is_empty(),
            "{name}"
        );

        let ids = store
            .insert_applications(&applications, false)
            .await
            .unwrap();
        assert_eq!(ids.len(), 2, "{name}");
        // A number is taken once.
        let again = store.insert_applications(&applications[..1], false).await;
        assert!(
            matches!(again, Err(citygrid::store::StoreError::Duplicate(_))),
            "{name}"
        );
        assert_eq!(
            store.count_application_numbers("SP20260915").await.unwrap(),
            2,
            "{name}"
        );
        let open = store
            .applications(&ApplicationFilter {
                statuses: vec![ApplicationStatus::Received],
                ..ApplicationFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(open.len(), 1, "{name}");
        let mut a = open[0].clone();
        a.steps.push(Step::Rejected {
            at: now,
            by: "dispatcher".into(),
            reason: "材料不全".into(),
        });
        a.status = ApplicationStatus::Rejected;
        a.version = 2;
        store.update_application(&a, 1).await.unwrap();
        assert!(
            matches!(
                store.update_application(&a, 1).await,
                Err(citygrid::store::StoreError::Conflict(_))
            ),
            "{name}"
        );
        // Decided at or after a moment: the one rejected now, not the one approved before.
        let decided_since = store
            .applications(&ApplicationFilter {
                open_or_decided_from: Some(now - chrono::Duration::minutes(30)),
                ..ApplicationFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(
            decided_since
                .iter()
                .map(|a| a.number.as_str())
                .collect::<Vec<_>>(),
            ["SP20260915002"],
            "{name}"
        );
        let page = store
            .applications_after(Page {
                after: 0,
                limit: 10,
            })
            .await
            .unwrap();
        assert_eq!(page.len(), 2, "{name}");
        assert_eq!(page[1].applicant, applications[1].applicant, "{name}");
    }
}

#[tokio::test]
async fn assessments_are_kept_whole_and_selected_in_every_store() {
    use citygrid::store::{AssessmentFilter, Page};
    let now = Utc::now();
    for (name, store) in whole_stores().await {
        let made: Vec<_> = (0..3).map(|i| assessment(i, now)).collect();
        let ids = store.insert_assessments(&made, false).await.unwrap();
        assert_eq!(ids.len(), 3, "{name}");
        let mut first = made[0].clone();
        first.id = ids[0];
        assert_eq!(
            store.assessment(ids[0]).await.unwrap(),
            Some(first.clone()),
            "{name}"
        );
        // Newest first; by month, kind and subject.
        let all = store
            .assessments(&AssessmentFilter::default())
            .await
            .unwrap();
        assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), ids, "{name}");
        let month = AssessmentFilter {
            from_month: Some(made[1].month.clone()),
            to_month: Some(made[1].month.clone()),
            ..AssessmentFilter::default()
        };
        assert_eq!(store.assessments(&month).await.unwrap().len(), 1, "{name}");
        let kind = AssessmentFilter {
            kind: Some(citygrid_core::checklist::AssessmentKind::Comprehensive),
            ..AssessmentFilter::default()
        };
        assert_eq!(
            store.assessments(&kind).await.unwrap()[0].id,
            ids[1],
            "{name}"
        );
        let subject = AssessmentFilter {
            subject_type: Some("section".into()),
            subject: Some(made[2].subject.code().to_owned()),
            ..AssessmentFilter::default()
        };
        assert_eq!(
            store.assessments(&subject).await.unwrap()[0].id,
            ids[2],
            "{name}"
        );
        let page = store
            .assessments_after(Page {
                after: ids[0],
                limit: 10,
            })
            .await
            .unwrap();
        assert_eq!(
            page.iter().map(|a| a.id).collect::<Vec<_>>(),
            ids[1..],
            "{name}"
        );
        // Kept ids that clash: the whole batch is refused, nothing added.
        let mut clash = made.clone();
        clash[0].id = 9_000;
        clash[1].id = ids[0];
        assert!(
            store.insert_assessments(&clash, true).await.is_err(),
            "{name}"
        );
        assert_eq!(
            store
                .assessments(&AssessmentFilter::default())
                .await
                .unwrap()
                .len(),
            3,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_deployment_moves_to_another_store_whole_and_checked() {
    let source = deployment().await;
    let cases = source
        .export_cases(citygrid::store::Page {
            after: 0,
            limit: 100_000,
        })
        .await
        .unwrap();
    assert!(cases.len() > 500, "a month of the demo");
    for (name, target) in whole_stores().await {
        let report = citygrid::migrate_store::migrate(source.as_ref(), target.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.cases, cases.len(), "{name}");
        assert_eq!(
            report.events,
            cases.iter().map(|(_, e)| e.len()).sum::<usize>(),
            "{name}"
        );
        assert_eq!(
            (report.photos, report.users, report.audit_entries),
            (1, 2, 2),
            "{name}"
        );
        assert_eq!((report.statuses, report.shifts), (2, 1), "{name}");
        assert_eq!(
            (report.assessments, report.period_entries),
            (3, 2),
            "{name}"
        );
        assert_eq!(
            (
                report.campaigns,
                report.actions,
                report.applications,
                report.work_orders,
                report.report_texts
            ),
            (1, 1, 2, 2, 1),
            "{name}"
        );
        assert_eq!(
            target
                .applications_after(citygrid::store::Page {
                    after: 0,
                    limit: 10
                })
                .await
                .unwrap(),
            source
                .applications_after(citygrid::store::Page {
                    after: 0,
                    limit: 10
                })
                .await
                .unwrap(),
            "{name}: the same applications under the same ids"
        );
        let moved = source
            .assessments(&citygrid::store::AssessmentFilter::default())
            .await
            .unwrap();
        assert_eq!(
            target
                .assessments(&citygrid::store::AssessmentFilter::default())
                .await
                .unwrap(),
            moved,
            "{name}: the same assessments under the same ids"
        );
        assert_eq!(
            target.setting("checklists").await.unwrap().as_deref(),
            Some("{\"checklists\":[]}"),
            "{name}"
        );
        // An assessment recorded afterwards takes the next id.
        let next = target
            .insert_assessments(&[assessment(0, Utc::now())], false)
            .await
            .unwrap()[0];
        assert!(next > moved[0].id.max(moved[2].id), "{name}: {next}");
        assert_eq!(report.login_throttles, 1, "{name}");
        // The same ids, the same histories, the same logins.
        let (first, _) = &cases[0];
        assert_eq!(
            target.get_case(first.id).await.unwrap().as_ref(),
            Some(first),
            "{name}"
        );
        let events = target.case_events(first.id).await.unwrap();
        assert_eq!(
            events,
            source.case_events(first.id).await.unwrap(),
            "{name}"
        );
        assert!(
            events.last().unwrap().visibility.is_public(),
            "{name}: {events:?}"
        );
        let bob = target.credentials("bob").await.unwrap().unwrap();
        assert!(bob.user.disabled, "{name}");
        let alice = target.credentials("alice").await.unwrap().unwrap();
        assert!(alice.user.must_change_password && !bob.user.must_change_password);
        assert_eq!(bob.password_hash, "$argon2id$hash-of-bob", "{name}");
        assert_eq!(
            target.setting("categories").await.unwrap().as_deref(),
            Some("{\"edited\":true}"),
            "{name}"
        );
        // A case made afterwards takes the next id.
        let (new_id, _) = target.insert_case(first, &cases[0].1[0]).await.unwrap();
        assert!(new_id.0 > cases.last().unwrap().0.id.0, "{name}: {new_id}");
        // Nothing is merged into a database that holds a deployment already.
        let again = citygrid::migrate_store::migrate(source.as_ref(), target.as_ref()).await;
        assert!(
            matches!(
                again,
                Err(citygrid::migrate_store::MigrateError::NotEmpty(_))
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_deployment_moves_back_from_postgres_to_a_file_unchanged() {
    let Some(url) = scratch_postgres().await else {
        eprintln!("skipped: CITYGRID_TEST_PG names no PostgreSQL server");
        return;
    };
    let original = deployment().await;
    let postgres: Arc<dyn citygrid::store::Store> = Arc::new(PgStore::open(&url).await.unwrap());
    let there = citygrid::migrate_store::migrate(original.as_ref(), postgres.as_ref())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file: Arc<dyn citygrid::store::Store> = Arc::new(
        SqliteStore::open(&dir.path().join("back.gpkg"))
            .await
            .unwrap(),
    );
    let back = citygrid::migrate_store::migrate(postgres.as_ref(), file.as_ref())
        .await
        .unwrap();
    // Every part's checksum is the same after the round trip as before it.
    assert_eq!(back.checksums, there.checksums);
    assert_eq!(
        (back.cases, back.events, back.users, back.audit_entries),
        (there.cases, there.events, there.users, there.audit_entries)
    );
    let (first, _) = &original
        .export_cases(citygrid::store::Page { after: 0, limit: 1 })
        .await
        .unwrap()[0];
    assert_eq!(file.get_case(first.id).await.unwrap().as_ref(), Some(first));
    assert_eq!(
        file.credentials("bob")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$hash-of-bob"
    );
}

#[tokio::test]
async fn rate_buckets_are_shared_through_postgres_and_kept_in_memory_otherwise() {
    use citygrid::store::{AccountStore, RateToken};
    let file = SqliteStore::memory().await.unwrap();
    assert_eq!(
        file.take_rate_token("login 10.0.0.1", 5.0).await.unwrap(),
        None
    );
    let Some(url) = scratch_postgres().await else {
        eprintln!("skipped: CITYGRID_TEST_PG names no PostgreSQL server");
        return;
    };
    // Two servers' stores on one database draw from the same bucket.
    let (a, b) = (
        PgStore::open(&url).await.unwrap(),
        PgStore::open(&url).await.unwrap(),
    );
    for k in 0..5 {
        let store = if k % 2 == 0 { &a } else { &b };
        assert_eq!(
            store.take_rate_token("login 10.0.0.1", 5.0).await.unwrap(),
            Some(RateToken::Taken),
            "token {k}"
        );
    }
    match b.take_rate_token("login 10.0.0.1", 5.0).await.unwrap() {
        Some(RateToken::Empty(wait)) => assert!((1..=12).contains(&wait), "{wait}"),
        other => panic!("the sixth token in a minute: {other:?}"),
    }
    // Other addresses and doors have their own.
    for key in ["login 10.0.0.2", "open311 10.0.0.1"] {
        assert_eq!(
            a.take_rate_token(key, 5.0).await.unwrap(),
            Some(RateToken::Taken),
            "{key}"
        );
    }
}

/// Whether `want` is announced within `within` (other notices are passed over).
async fn hears(
    notices: &mut tokio::sync::broadcast::Receiver<citygrid::store::Notice>,
    want: &citygrid::store::Notice,
    within: std::time::Duration,
) -> bool {
    let until = tokio::time::Instant::now() + within;
    while let Ok(got) = tokio::time::timeout_at(until, notices.recv()).await {
        if got.as_ref().is_ok_and(|n| n == want) {
            return true;
        }
    }
    false
}

/// Stores settings until the store announces one (the listener connects in the background).
async fn hears_settings(
    store: &PgStore,
    notices: &mut tokio::sync::broadcast::Receiver<citygrid::store::Notice>,
) -> bool {
    for k in 0..100 {
        store
            .set_setting(&citygrid::store::SettingChange::new(
                "probe",
                &k.to_string(),
                "test",
                Utc::now(),
            ))
            .await
            .unwrap();
        let wait = std::time::Duration::from_millis(100);
        if hears(notices, &citygrid::store::Notice::Settings, wait).await {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn changes_are_heard_again_after_the_notice_connection_is_lost() {
    use citygrid::store::Notice;
    let Some(url) = scratch_postgres().await else {
        eprintln!("skipped: CITYGRID_TEST_PG names no PostgreSQL server");
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    let mut notices = store.notices().unwrap();
    assert!(
        hears_settings(&store, &mut notices).await,
        "heard while connected"
    );
    // The database ends the listening connection (as in a restart or a failover).
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert_eq!(ended, [true], "one listening connection");
    // What was missed meanwhile is made up for: the atlas reloads, event streams wake.
    let ten = std::time::Duration::from_secs(10);
    assert!(
        hears(&mut notices, &Notice::Layers, ten).await,
        "a reload after the loss"
    );
    assert!(
        hears(&mut notices, &Notice::Event { seq: 0 }, ten).await,
        "the newest case event (none yet) after the loss"
    );
    // And once connected again, changes are heard as before.
    assert!(
        hears_settings(&store, &mut notices).await,
        "heard after reconnecting"
    );
}

#[tokio::test]
async fn a_stored_fix_is_announced_with_itself() {
    use citygrid::store::{DispatchStore, Notice};
    use citygrid_core::officer::Fix;
    let Some(url) = scratch_postgres().await else {
        eprintln!("skipped: CITYGRID_TEST_PG names no PostgreSQL server");
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    let mut notices = store.notices().unwrap();
    assert!(hears_settings(&store, &mut notices).await, "listening");
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T08:30:15.250Z")
        .unwrap()
        .with_timezone(&Utc);
    let fix = |officer: &str, lon: f64, minutes: i64| Fix {
        officer: officer.into(),
        lon,
        lat: 33.95,
        accuracy_m: Some(5.0),
        at: at + chrono::Duration::minutes(minutes),
    };
    // Two of one officer in one statement: the newer is announced.
    store
        .insert_fixes(
            &[fix("ZF0001", 116.791, 0), fix("ZF0001", 116.792, 1)],
            Utc::now(),
        )
        .await
        .unwrap();
    let ten = std::time::Duration::from_secs(10);
    assert!(hears(&mut notices, &Notice::Fix(fix("ZF0001", 116.792, 1)), ten).await);
}

#[tokio::test]
async fn a_stored_duty_status_is_announced_with_itself() {
    use citygrid::store::{DispatchStore, Notice};
    use citygrid_core::officer::{DutyStatus, StatusChange};
    let Some(url) = scratch_postgres().await else {
        eprintln!("skipped: CITYGRID_TEST_PG names no PostgreSQL server");
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    let mut notices = store.notices().unwrap();
    assert!(hears_settings(&store, &mut notices).await, "listening");
    let change = StatusChange {
        officer: "ZF0002".into(),
        status: DutyStatus::Busy,
        at: chrono::DateTime::parse_from_rfc3339("2026-11-27T08:30:15.250Z")
            .unwrap()
            .with_timezone(&Utc),
        actor: "case:7".into(),
    };
    store.append_status(&change).await.unwrap();
    let ten = std::time::Duration::from_secs(10);
    assert!(hears(&mut notices, &Notice::Status(change), ten).await);
}

#[tokio::test]
async fn login_throttles_are_kept_cleared_and_pruned_in_every_store() {
    use citygrid::store::LoginThrottle;
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let throttle = |username: &str, address: &str, failures: i64, login: bool| LoginThrottle {
        username: username.into(),
        address: address.into(),
        failures,
        last_failure: (failures > 0).then_some(now),
        blocked_until: (failures >= 5).then(|| now + chrono::Duration::minutes(1)),
        last_login: login.then(|| now - chrono::Duration::days(1)),
    };
    for (name, store) in whole_stores().await {
        let rows = [
            throttle("li.na", "10.0.0.1", 5, false),
            throttle("li.na", "10.0.0.2", 0, true),
            throttle("", "10.0.0.1", 6, false),
            throttle("li.na", "*", 6, false),
        ];
        for t in &rows {
            store.put_login_throttle(t).await.unwrap();
        }
        // Written over by key.
        store
            .put_login_throttle(&throttle("li.na", "10.0.0.1", 7, false))
            .await
            .unwrap();
        let mut found = store
            .login_throttles(&[("li.na", "10.0.0.1"), ("", "10.0.0.1"), ("x", "y")])
            .await
            .unwrap();
        found.sort_by(|a, b| a.username.cmp(&b.username));
        assert_eq!(
            found,
            [
                throttle("", "10.0.0.1", 6, false),
                throttle("li.na", "10.0.0.1", 7, false)
            ],
            "{name}"
        );
        assert_eq!(
            store.list_login_throttles().await.unwrap().len(),
            4,
            "{name}"
        );
        // Clearing forgets failures and keeps what an address is known for.
        assert_eq!(
            store
                .clear_login_throttles(Some("li.na"), None)
                .await
                .unwrap(),
            2,
            "{name}"
        );
        let known = store
            .login_throttles(&[("li.na", "10.0.0.2")])
            .await
            .unwrap();
        assert_eq!(known, [throttle("li.na", "10.0.0.2", 0, true)], "{name}");
        // Pruning keeps known addresses and what still holds something back.
        let pruned = store
            .prune_login_throttles(
                now + chrono::Duration::hours(2),
                now - chrono::Duration::days(90),
            )
            .await
            .unwrap();
        assert_eq!(pruned, 3, "{name}");
        let left = store.list_login_throttles().await.unwrap();
        assert_eq!(left, [throttle("li.na", "10.0.0.2", 0, true)], "{name}");
    }
}

#[tokio::test]
async fn a_deleted_user_is_gone_with_their_sessions_in_every_store() {
    let now = Utc::now();
    for (name, store) in whole_stores().await {
        let id = store
            .insert_user(
                &citygrid::store::NewUser {
                    username: "wu.gang".into(),
                    display_name: None,
                    role: citygrid_core::account::Role::Dispatcher,
                    password_hash: "$argon2id$hash".into(),
                    scope: Vec::new(),
                    officer: None,
                    must_change_password: false,
                },
                now,
            )
            .await
            .unwrap();
        store
            .insert_session(&citygrid::store::NewSession {
                token_hash: format!("session-of-{name}"),
                user: id,
                created_at: now,
                expires_at: now + chrono::Duration::hours(1),
            })
            .await
            .unwrap();
        assert!(
            store
                .session_user(&format!("session-of-{name}"), now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(store.delete_user(id).await.unwrap(), "{name}");
        assert!(
            !store.delete_user(id).await.unwrap(),
            "{name}: deleted twice"
        );
        assert!(
            store.credentials("wu.gang").await.unwrap().is_none(),
            "{name}"
        );
        assert!(
            store
                .session_user(&format!("session-of-{name}"), now)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        assert!(
            store.list_users().await.unwrap().iter().all(|u| u.id != id),
            "{name}"
        );
    }
}
