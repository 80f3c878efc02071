//! The inspection lines of the quarterly report (FIELDWORK §1): per urban and rural, the daily,
//! comprehensive and dust assessments, the notices and the deductions after corrections and
//! appeals; the door-front survey — distinct shops surveyed, their latest ratings, and the shop
//! records still incomplete.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use citygrid_core::api::analytics::{
    ContractorLine, DoorFrontLine, Inspections, Line, SanitationLine,
};
use citygrid_core::api::assessments::{Assessment, Subject};
use citygrid_core::checklist::{AssessmentKind, Checklists};
use citygrid_core::features::{BaseLayers, SectionArea};
use citygrid_core::period::Period;

use super::{periods, shops};
use crate::store::{AssessmentFilter, Store, StoreError};

/// The lines from the quarter's assessments and periods.
pub fn lines(
    base: &BaseLayers,
    rules: &Checklists,
    assessments: &[Assessment],
    periods: &[Period],
) -> Inspections {
    let sanitation = SectionArea::ALL
        .into_iter()
        .map(|area| {
            let of_area: Vec<&Assessment> = assessments
                .iter()
                .filter(|a| a.area == Some(area))
                .collect();
            let count = |k: AssessmentKind| of_area.iter().filter(|a| a.kind == k).count() as u64;
            let assessed: Vec<&Period> = periods
                .iter()
                .filter(|p| p.figures.area == area && (p.figures.score.is_some() || p.is_signed()))
                .collect();
            SanitationLine {
                area,
                sections: base.sections.iter().filter(|s| s.area == area).count() as u64,
                daily: count(AssessmentKind::Daily),
                comprehensive: count(AssessmentKind::Comprehensive),
                dust_samplings: count(AssessmentKind::DustSampling),
                notices: of_area.iter().map(|a| a.notices.len() as u64).sum(),
                deducted: (periods
                    .iter()
                    .filter(|p| p.figures.area == area)
                    .map(|p| p.deducted)
                    .sum::<f64>()
                    * 100.0)
                    .round()
                    / 100.0,
                periods_signed: assessed.iter().filter(|p| p.is_signed()).count() as u64,
                periods_assessed: assessed.len() as u64,
            }
        })
        .collect();
    // Door fronts: each shop's latest survey of the quarter gives its rating.
    let door_fronts = assessments
        .iter()
        .filter(|a| a.kind == AssessmentKind::DoorFront && matches!(a.subject, Subject::Shop(_)));
    let (surveys, notices) =
        door_fronts.fold((0, 0), |(n, k), a| (n + 1, k + a.notices.len() as u64));
    let latest = shops::latest_surveys(assessments);
    let mut by_rating: BTreeMap<(usize, String), (String, u64)> = BTreeMap::new();
    for (a, _) in latest.values() {
        let band = rules.get(&a.checklist, a.version).and_then(|c| {
            c.bands
                .iter()
                .position(|b| b.code == a.score.rating)
                .map(|i| (i, c.bands[i].name_zh.clone()))
        });
        let (order, name) = band.unwrap_or((usize::MAX, a.score.rating.clone()));
        by_rating
            .entry((order, a.score.rating.clone()))
            .or_insert((name, 0))
            .1 += 1;
    }
    Inspections {
        sanitation,
        door_front: DoorFrontLine {
            surveys,
            shops_surveyed: latest.len() as u64,
            shops: base.shops.len() as u64,
            incomplete_records: base
                .shops
                .iter()
                .filter(|s| !shops::missing(s).is_empty())
                .count() as u64,
            by_rating: by_rating
                .into_iter()
                .map(|((_, key), (name, cases))| Line { key, name, cases })
                .collect(),
            notices,
        },
        contractors: contractors(periods),
    }
}

/// Each contractor's scored section months, lowest mean score first.
fn contractors(periods: &[Period]) -> Vec<ContractorLine> {
    let mut by: BTreeMap<&str, Vec<&Period>> = BTreeMap::new();
    for p in periods.iter().filter(|p| p.figures.score.is_some()) {
        by.entry(p.figures.contractor.as_str()).or_default().push(p);
    }
    let round = |v: f64, places: i32| {
        let f = 10f64.powi(places);
        (v * f).round() / f
    };
    let mut lines: Vec<ContractorLine> = by
        .into_iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, ps)| {
            let scores: Vec<f64> = ps.iter().filter_map(|p| p.figures.score).collect();
            ContractorLine {
                contractor: name.to_owned(),
                periods: scores.len() as u64,
                mean_score: round(scores.iter().sum::<f64>() / scores.len() as f64, 1),
                lowest_score: round(scores.iter().copied().fold(f64::INFINITY, f64::min), 1),
                under_line: ps
                    .iter()
                    .filter(|p| p.figures.settlement.as_ref().is_some_and(|s| s.warning))
                    .count() as u64,
                deducted: round(ps.iter().map(|p| p.deducted).sum(), 2),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        a.mean_score
            .total_cmp(&b.mean_score)
            .then_with(|| a.contractor.cmp(&b.contractor))
    });
    lines
}

/// The inspection lines of the quarter from `first` to the day before `end`.
pub async fn inspections(
    store: &dyn Store,
    base: &BaseLayers,
    rules: &Checklists,
    first: NaiveDate,
    end: NaiveDate,
) -> Result<Inspections, StoreError> {
    let last = end.pred_opt().unwrap_or(end);
    let months = periods::months(first, last);
    let (Some(from), Some(to)) = (months.first(), months.last()) else {
        return Ok(lines(base, rules, &[], &[]));
    };
    let assessments = store
        .assessments(&AssessmentFilter {
            from_month: Some(from.clone()),
            to_month: Some(to.clone()),
            ..AssessmentFilter::default()
        })
        .await?;
    let facts: Vec<_> = assessments.iter().filter_map(periods::fact).collect();
    let ledger = store.period_entries(from, to).await?;
    let periods = periods::build(&base.sections, &months, rules, &facts, ledger);
    Ok(lines(base, rules, &assessments, &periods))
}
