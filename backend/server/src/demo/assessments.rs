//! A year of the demo district's inspections, of the order of a real bureau's quarter (FIELDWORK
//! §1): each month the town's sections assessed daily and comprehensively and swept for dust,
//! the villages' sections by their own list, a hundred and more shops' door fronts surveyed;
//! contractors of differing care, so that some months settle with deductions; a poor result
//! raises a rectification notice, handled and closed within days; each month signed off by the
//! leader early the next, one correction and two appeals over the year. Deterministic.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use citygrid_core::LonLat;
use citygrid_core::api::assessments::{Assessment, NewAssessment, NoticeRequest, Subject};
use citygrid_core::case::Action;
use citygrid_core::checklist::{Checklist, Deduct, Finding, Sample};
use citygrid_core::features::{Section, SectionArea};
use citygrid_core::period::{PeriodChange, PeriodEntry};

use crate::assessments::{AssessmentError, ChecklistBook, periods, record};
use crate::cases::{Actor, CaseService};
use crate::rng::Rng;

/// The score under which a comprehensive assessment raises a notice.
const NOTICE_BELOW: f64 = 74.0;

/// How carelessly each section is kept: findings are drawn in proportion.
fn care(i: usize) -> f64 {
    [1.6, 0.7, 1.1, 0.5, 1.3, 0.9, 2.0, 0.8, 1.0][i % 9]
}

pub(super) fn at_local(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, minute, 0)
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// Findings against `c`: about `expected` of its items, each deducting as an assessor would.
fn findings(rng: &mut Rng, c: &Checklist, expected: f64, near: Option<LonLat>) -> Vec<Finding> {
    let mut out = Vec::new();
    for item in &c.items {
        let p = if item.major {
            0.01 * expected
        } else {
            expected / c.items.len() as f64
        };
        if item.measure.is_some_and(|m| {
            matches!(
                m,
                citygrid_core::checklist::Measure::GramsPerSquareMetre { .. }
            )
        }) || !rng.chance(p.min(0.9))
        {
            continue;
        }
        let mut f = Finding {
            item: item.code.clone(),
            ..Finding::default()
        };
        match item.deduct {
            Deduct::Fixed { .. } => {}
            Deduct::Range { min, max } => {
                f.points = Some((min + rng.unit() * (max - min)).round().clamp(min, max));
            }
            Deduct::PerOccurrence { .. } => f.occurrences = Some(1 + rng.below(4) as u32),
        }
        f.point = near.and_then(|p| {
            LonLat::new(
                p.lon + (rng.unit() - 0.5) * 0.002,
                p.lat + (rng.unit() - 0.5) * 0.0016,
            )
            .ok()
        });
        out.push(f);
    }
    out
}

/// One assessment to record, with the notices it raises.
struct Planned {
    body: NewAssessment,
    now: DateTime<Utc>,
}

/// The months of the demo year: December before the history's end to its November.
pub(super) fn months(end: DateTime<Utc>) -> Vec<NaiveDate> {
    let last = end
        .with_timezone(&Shanghai)
        .date_naive()
        .with_day(1)
        .unwrap_or_default();
    (0..12)
        .rev()
        .filter_map(|k| last.checked_sub_months(chrono::Months::new(k)))
        .collect()
}

/// Plans the year's assessments.
fn plan(
    base: &citygrid_core::features::BaseLayers,
    book: &ChecklistBook,
    end: DateTime<Utc>,
) -> Vec<Planned> {
    let templates = book.current();
    let latest = |code: &str| templates.latest(code).cloned();
    let (Some(daily), Some(comprehensive), Some(rural), Some(dust), Some(door)) = (
        latest("urban-daily"),
        latest("urban-comprehensive"),
        latest("rural-cleaning"),
        latest("dust-by-weight"),
        latest("door-front"),
    ) else {
        return Vec::new();
    };
    let mut rng = Rng::new(0x5a17_a55e_55ed);
    let mut out = Vec::new();
    let last_day = end.with_timezone(&Shanghai).date_naive();
    let assessors = ["张建国", "李卫东", "王秀梅", "赵志强"];
    for month in months(end) {
        let days_in = if month.month() == last_day.month() && month.year() == last_day.year() {
            (last_day.day() - 1).max(1)
        } else {
            28
        };
        let day = |rng: &mut Rng| {
            month
                .with_day(1 + rng.below(days_in as usize) as u32)
                .unwrap_or(month)
        };
        for (i, s) in base.sections.iter().enumerate() {
            let near = record::section_point(s);
            let subject = Subject::Section(s.code.clone());
            let urban = s.area == SectionArea::Urban;
            // Town: one or two daily, one comprehensive, one dust sweep; villages: five daily
            // rounds and four comprehensive ones by the rural list.
            let rounds: Vec<(&Checklist, f64)> = if urban {
                let mut r = vec![(&daily, 1.0), (&comprehensive, 1.0), (&dust, 0.0)];
                if rng.chance(0.3) {
                    r.push((&daily, 1.0));
                }
                r
            } else {
                let mut r = vec![(&daily, 1.0); 5];
                r.extend(vec![(&rural, 1.0); 4]);
                r
            };
            for (c, weight) in rounds {
                let expected = care(i) * weight * if urban { 2.0 } else { 2.2 };
                let found = findings(&mut rng, c, expected, near);
                let samples = if c.dust.is_some() {
                    (0..3)
                        .map(|_| Sample {
                            area_m2: 1.0,
                            grams: ((4.0 + rng.unit() * 9.0 * care(i)) * 10.0).round() / 10.0,
                            point: near,
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let notices = match c.score(&found, &samples) {
                    Ok(score) if score.score < NOTICE_BELOW && c.code != "urban-daily" => score
                        .failed_items
                        .first()
                        .map(|item| {
                            vec![NoticeRequest {
                                item: item.clone(),
                                note: None,
                            }]
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                let at = at_local(day(&mut rng), 9 + rng.below(7) as u32, rng.below(60) as u32);
                out.push(Planned {
                    body: NewAssessment {
                        checklist: c.code.clone(),
                        version: Some(c.version),
                        subject: subject.clone(),
                        assessors: vec![
                            (*rng.pick(&assessors)).to_owned(),
                            (*rng.pick(&assessors)).to_owned(),
                        ],
                        at: Some(at),
                        position: near,
                        findings: found,
                        samples,
                        note: None,
                        notices,
                        campaign: None,
                    },
                    now: at + Duration::minutes(20),
                });
            }
        }
        // A hundred and more door fronts a month, along the shopping streets.
        let surveys = 110 + rng.below(60);
        for _ in 0..surveys {
            let shop = rng.pick(&base.shops);
            let expected = 1.2 * care(rng.below(9));
            let found = findings(&mut rng, &door, expected, None);
            let at = at_local(day(&mut rng), 9 + rng.below(8) as u32, rng.below(60) as u32);
            out.push(Planned {
                body: NewAssessment {
                    checklist: door.code.clone(),
                    version: Some(door.version),
                    subject: Subject::Shop(shop.code.clone()),
                    assessors: vec!["ZF0001".to_owned()],
                    at: Some(at),
                    position: None,
                    findings: found,
                    samples: Vec::new(),
                    note: None,
                    notices: Vec::new(),
                    campaign: None,
                },
                now: at + Duration::minutes(5),
            });
        }
    }
    out.sort_by_key(|p| p.now);
    out
}

/// Takes a notice through the loop: registered, sent to the cell's officer, handled within
/// two days, verified and closed.
pub(super) async fn close_notice(
    cases: &CaseService,
    id: i64,
    officer: &str,
    raised: DateTime<Utc>,
) -> Result<(), AssessmentError> {
    use citygrid_core::api::cases::TransitionBody;
    let actor = Actor::system("demo");
    let steps = [
        (Action::Register, 1),
        (Action::Dispatch, 2),
        (Action::Handle, 30),
        (Action::Verify, 34),
        (Action::Close, 36),
    ];
    let reported = cases
        .district()
        .store()
        .get_case(citygrid_core::case::CaseId(id))
        .await?
        .is_some_and(|c| c.status == citygrid_core::case::Status::Reported);
    for (action, hours) in steps {
        if action == Action::Register && !reported {
            continue;
        }
        let mut body = TransitionBody::just(action);
        if action == Action::Dispatch {
            body.assignee = Some(officer.to_owned());
        }
        cases
            .transition(
                citygrid_core::case::CaseId(id),
                body,
                &actor,
                raised + Duration::hours(hours),
            )
            .await
            .map_err(AssessmentError::Notice)?;
    }
    Ok(())
}

/// Records the demo year's assessments and the periods' ledger; how many assessments.
pub async fn load(
    cases: &CaseService,
    book: &ChecklistBook,
    end: DateTime<Utc>,
) -> Result<usize, AssessmentError> {
    let district = cases.district();
    let atlas = district.atlas();
    let store = district.store();
    let base = atlas.base();
    let officer = base
        .officers
        .first()
        .map(|o| o.code.to_string())
        .unwrap_or_default();
    let mut made: Vec<Assessment> = Vec::new();
    for p in plan(base, book, end) {
        let mut a = record::prepare(book, &atlas, store.as_ref(), &p.body, "demo", p.now).await?;
        if !p.body.notices.is_empty() {
            let actor = Actor::system("demo");
            a.notices =
                record::raise_notices(cases, book, &atlas, &a, &p.body, &actor, p.now).await?;
            for id in &a.notices {
                close_notice(cases, *id, &officer, p.now).await?;
            }
        }
        made.push(a);
    }
    store.insert_assessments(&made, false).await?;
    // Each month signed off by the leader on the 5th of the next; the last one still open.
    let months: Vec<String> = months(end)
        .iter()
        .map(|m| m.format("%Y-%m").to_string())
        .collect();
    let templates = book.current();
    let all = periods::read(store.as_ref(), &base.sections, &months, &templates).await?;
    let mut ledger = Vec::new();
    let open = months.last().cloned().unwrap_or_default();
    for p in all
        .iter()
        .filter(|p| p.figures.month != open && p.figures.score.is_some())
    {
        let Ok(month) = NaiveDate::parse_from_str(&format!("{}-01", p.figures.month), "%Y-%m-%d")
        else {
            continue;
        };
        let signed = at_local(
            month
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(month)
                .with_day(5)
                .unwrap_or(month),
            10,
            0,
        );
        let entry = |change: PeriodChange, at: DateTime<Utc>| PeriodEntry {
            id: 0,
            section: p.figures.section.clone(),
            month: p.figures.month.clone(),
            change,
            by: "leader".to_owned(),
            at,
        };
        ledger.push(entry(
            PeriodChange::SignedOff {
                figures: p.figures.clone(),
            },
            signed,
        ));
        // The careless town section contests two months; one correction in the villages.
        let deducted = p.figures.settlement.map_or(0.0, |s| s.deducted);
        let nth = all
            .iter()
            .filter(|q| {
                q.figures.section == p.figures.section && q.figures.month <= p.figures.month
            })
            .count();
        if deducted > 0.0
            && p.figures.area == SectionArea::Urban
            && (nth == 3 || nth == 7)
            && care_of(&base.sections, &p.figures.section) > 1.8
        {
            ledger.push(entry(
                PeriodChange::AppealFiled {
                    yuan: (deducted * 0.3).round(),
                    reason: if nth == 3 {
                        "暴雨期间无法作业".into()
                    } else {
                        "道路施工围挡影响清扫".into()
                    },
                },
                signed + Duration::days(3),
            ));
        }
        if p.figures.area == SectionArea::Rural && nth == 5 && deducted > 0.0 {
            ledger.push(entry(
                PeriodChange::Adjusted {
                    yuan: -500.0,
                    reason: "复核：一项扣分重复计算".into(),
                },
                signed + Duration::days(10),
            ));
        }
    }
    let ids = store.append_period_entries(&ledger, false).await?;
    // The appeals decided a week after they were filed: the first upheld, the second not.
    let mut decisions = Vec::new();
    let mut upheld = true;
    for (e, id) in ledger.iter().zip(&ids) {
        if matches!(e.change, PeriodChange::AppealFiled { .. }) {
            decisions.push(PeriodEntry {
                id: 0,
                change: PeriodChange::AppealDecided {
                    appeal: *id,
                    upheld,
                    note: if upheld {
                        "气象记录属实".into()
                    } else {
                        "围挡外区域仍应清扫".into()
                    },
                },
                at: e.at + Duration::days(7),
                ..e.clone()
            });
            upheld = !upheld;
        }
    }
    store.append_period_entries(&decisions, false).await?;
    Ok(made.len())
}

fn care_of(sections: &[Section], code: &citygrid_core::ids::SectionCode) -> f64 {
    sections
        .iter()
        .position(|s| &s.code == code)
        .map_or(1.0, care)
}
