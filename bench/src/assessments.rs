//! `citygrid-bench assessments`: a city's year of inspections — 500 contract sections, 100,000
//! shops, 200,000 assessments — scored against their templates, turned into every section's
//! monthly periods with their settlements and ledgers, and summed into the quarterly report's
//! inspection lines; then the year's periods read back from the embedded store as
//! `GET /periods` does. Baseline in the same run: the periods computed by scanning every
//! assessment for every section's month (what a spreadsheet's SUMIFS does).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use citygrid::assessments::periods;
use citygrid::assessments::quarter;
use citygrid::store::{AssessmentStore, SectionFact, SqliteStore};
use citygrid_core::api::assessments::{Assessment, Subject};
use citygrid_core::checklist::{Checklist, Checklists, Deduct, Finding, Sample};
use citygrid_core::features::{BaseLayers, Section, SectionArea, SectionExtent, Shop, ShopFront};
use citygrid_core::period::{Counted, PeriodFigures};
use geo::{MultiPolygon, Point, Rect};

use crate::table::Row;

const SECTIONS: usize = 500;
const SHOPS: usize = 100_000;
const ASSESSMENTS: usize = 200_000;

fn unit(i: u64, salt: u64) -> f64 {
    citygrid::rng::Rng::keyed(salt, i).unit()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn city() -> BaseLayers {
    let rules = ["per-point-90", "banded-95-90", "per-item-500"];
    let sections = (0..SECTIONS)
        .map(|i| {
            let (x, y) = (
                116.0 + (i % 25) as f64 * 0.01,
                33.0 + (i / 25) as f64 * 0.01,
            );
            Section {
                code: format!("S{i:04}").into(),
                name: format!("第{i}标段"),
                contractor: format!("保洁公司{}", i % 40),
                area: if i % 5 == 0 {
                    SectionArea::Rural
                } else {
                    SectionArea::Urban
                },
                fee_per_month: 100_000.0 + (i % 7) as f64 * 50_000.0,
                rule: rules[i % 3].to_owned(),
                streets: Vec::new(),
                extent: SectionExtent::Area(MultiPolygon::new(vec![
                    Rect::new((x, y), (x + 0.01, y + 0.01)).to_polygon(),
                ])),
                attributes: Default::default(),
            }
        })
        .collect();
    let shops = (0..SHOPS)
        .map(|i| {
            let mut s = Shop::new(
                format!("M{i:06}").into(),
                format!("商户{i}"),
                ShopFront::Door(Point::new(
                    116.0 + unit(i as u64, 1) * 0.25,
                    33.0 + unit(i as u64, 2) * 0.2,
                )),
            );
            if i % 4 != 0 {
                s.phone = Some("13800000000".into());
                s.contact = Some("店主".into());
                s.license = Some("91340600MA2XXXXXX".into());
            }
            s
        })
        .collect();
    BaseLayers {
        sections,
        shops,
        ..BaseLayers::default()
    }
}

/// Findings drawn for one assessment of `c`.
fn findings(c: &Checklist, i: u64) -> Vec<Finding> {
    c.items
        .iter()
        .enumerate()
        .filter(|(k, item)| !item.major && unit(i, 10 + *k as u64) < 0.25)
        .map(|(_, item)| Finding {
            item: item.code.clone(),
            points: match item.deduct {
                Deduct::Range { min, max } => Some(f64::midpoint(min, max).round()),
                _ => None,
            },
            occurrences: matches!(item.deduct, Deduct::PerOccurrence { .. }).then_some(2),
            ..Finding::default()
        })
        .collect()
}

/// The year's assessments, scored (the time of the scoring is returned too).
fn year(
    base: &BaseLayers,
    templates: &Checklists,
    start: DateTime<Utc>,
) -> (Vec<Assessment>, Duration) {
    let pick = |code: &str| templates.latest(code).cloned();
    let lists: Vec<Checklist> = [
        "urban-daily",
        "urban-comprehensive",
        "dust-by-weight",
        "rural-cleaning",
        "door-front",
    ]
    .iter()
    .filter_map(|c| pick(c))
    .collect();
    let mut scoring = Duration::ZERO;
    let mut out = Vec::with_capacity(ASSESSMENTS);
    for i in 0..ASSESSMENTS as u64 {
        let at = start + chrono::Duration::seconds((unit(i, 3) * 364.0 * 86_400.0) as i64);
        let shop = i % 2 == 1;
        let c = if shop {
            &lists[4]
        } else {
            &lists[(i / 2 % 4) as usize]
        };
        let found = findings(c, i);
        let samples: Vec<Sample> = if c.dust.is_some() {
            (0..3)
                .map(|k| Sample {
                    area_m2: 1.0,
                    grams: 5.0 + unit(i, 20 + k) * 10.0,
                    point: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let t = Instant::now();
        let Ok(score) = c.score(&found, &samples) else {
            continue;
        };
        scoring += t.elapsed();
        let (subject, name, contractor, area) = if shop {
            let s = &base.shops[(i as usize / 2) % SHOPS];
            (Subject::Shop(s.code.clone()), s.name.clone(), None, None)
        } else {
            let s = &base.sections[(i as usize / 2) % SECTIONS];
            (
                Subject::Section(s.code.clone()),
                s.name.clone(),
                Some(s.contractor.clone()),
                Some(s.area),
            )
        };
        out.push(Assessment {
            id: i as i64 + 1,
            kind: c.kind,
            checklist: c.code.clone(),
            version: c.version,
            subject,
            subject_name: name,
            contractor,
            area,
            assessors: vec!["考核员".into()],
            at,
            month: at.format("%Y-%m").to_string(),
            position: None,
            findings: found,
            samples,
            note: None,
            score,
            notices: Vec::new(),
            campaign: None,
            recorded_by: "bench".into(),
            recorded_at: at,
        });
    }
    (out, scoring)
}

/// The baseline: each section's month found by scanning every assessment.
fn scanned(
    base: &BaseLayers,
    months: &[String],
    templates: &Checklists,
    all: &[SectionFact],
) -> f64 {
    let mut total = 0.0;
    for s in &base.sections {
        for m in months {
            let items: Vec<Counted> = all
                .iter()
                .filter(|a| &a.month == m && a.section == s.code)
                .map(|a| a.counted)
                .collect();
            let f = PeriodFigures::of(s, m, templates.rule(&s.rule), &items);
            total += f.settlement.map_or(0.0, |x| x.deducted);
        }
    }
    total
}

pub async fn run() -> anyhow::Result<Vec<Row>> {
    let base = city();
    let templates: Checklists =
        serde_json::from_str(citygrid::assessments::checklist_book::BUILTIN_CHECKLISTS)?;
    let start = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default(); // 2026-01-01
    let t = Instant::now();
    let (all, scoring) = year(&base, &templates, start);
    let made = t.elapsed();
    let months: Vec<String> = (1..=12).map(|m| format!("2026-{m:02}")).collect();
    let sections: Vec<SectionFact> = all.iter().filter_map(periods::fact).collect();

    let t = Instant::now();
    let year_periods = periods::build(&base.sections, &months, &templates, &sections, Vec::new());
    let totals = periods::totals(&year_periods);
    let built = t.elapsed();
    let t = Instant::now();
    let lines = quarter::lines(&base, &templates, &all, &year_periods);
    let summed = t.elapsed();

    // The baseline over one quarter only (a whole year would take minutes).
    let t = Instant::now();
    let baseline_total = scanned(&base, &months[..3], &templates, &sections);
    let baseline = t.elapsed();
    let t = Instant::now();
    let ours_quarter = periods::build(
        &base.sections,
        &months[..3],
        &templates,
        &sections,
        Vec::new(),
    );
    let ours = t.elapsed();
    let ours_total: f64 = ours_quarter.iter().map(|p| p.deducted).sum();
    anyhow::ensure!(
        (ours_total - baseline_total).abs() < 0.01,
        "the periods disagree with the scan: {ours_total} against {baseline_total}"
    );

    // From the embedded store, as GET /periods?from=2026-01&to=2026-12 reads them.
    let store = SqliteStore::memory().await?;
    let t = Instant::now();
    for chunk in all.chunks(20_000) {
        store.insert_assessments(chunk, true).await?;
    }
    let stored = t.elapsed();
    let t = Instant::now();
    let read = periods::read(&store, &base.sections, &months, &templates).await?;
    let from_store = t.elapsed();
    anyhow::ensure!(
        read.len() == year_periods.len(),
        "the store gave other periods"
    );

    let deducted: f64 = totals.iter().map(|t| t.deducted).sum();
    Ok(vec![
        Row {
            district: "city",
            what: format!("{} assessments made and scored", all.len()),
            value: ms(made),
            versus: format!("of which scoring {}", ms(scoring)),
        },
        Row {
            district: "city",
            what: format!(
                "{} periods (500 sections × 12 months) settled",
                year_periods.len()
            ),
            value: ms(built),
            versus: format!("deductions {deducted:.0} 元 in all"),
        },
        Row {
            district: "city",
            what: "a quarter's periods".to_owned(),
            value: format!("{:.1} ms", ours.as_secs_f64() * 1e3),
            versus: format!(
                "{:.0}× scanning every assessment per period ({})",
                baseline.as_secs_f64() / ours.as_secs_f64().max(1e-9),
                ms(baseline)
            ),
        },
        Row {
            district: "city",
            what: "the year's inspection lines (report)".to_owned(),
            value: ms(summed),
            versus: format!(
                "{} shops surveyed, {} records incomplete",
                lines.door_front.shops_surveyed, lines.door_front.incomplete_records
            ),
        },
        Row {
            district: "city",
            what: "the year's periods from the embedded store".to_owned(),
            value: ms(from_store),
            versus: format!("storing the year took {}", ms(stored)),
        },
    ])
}
