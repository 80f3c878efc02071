//! The approvals' figures over some days (FIELDWORK §1, §5): by type, those decided in the
//! days — approved, rejected, the same day, within their limit, the mean working time — and
//! those received by the end and still open then, with the overdue among them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use citygrid_core::api::approvals::{Application, ApprovalFigures, Step, TypeFigures};
use citygrid_core::approval::{ApprovalTypes, Pause, clock, decided_at, pauses};
use citygrid_core::calendar::WorkingCalendar;

use crate::store::{ApplicationFilter, Store, StoreError};

#[derive(Default)]
struct Tally {
    handled: u64,
    approved: u64,
    rejected: u64,
    same_day: u64,
    on_time: u64,
    minutes: i64,
    open: u64,
    overdue: u64,
}

fn mean(minutes: i64, n: u64) -> Option<f64> {
    (n > 0).then(|| (minutes as f64 / n as f64 * 10.0).round() / 10.0)
}

/// Whether an application still open at `end` was past its deadline then (the pauses as
/// they stood at that moment).
fn overdue_at(cal: &WorkingCalendar, a: &Application, end: DateTime<Utc>) -> bool {
    let ps: Vec<Pause> = pauses(&a.steps)
        .into_iter()
        .filter(|p| p.from < end)
        .map(|p| Pause {
            until: p.until.filter(|u| *u <= end),
            ..p
        })
        .collect();
    clock(cal, a.limit, a.received_at, &ps, None, end).overdue
}

/// The figures of the applications given over the local days `from`..=`to`, read at `now`.
pub fn figures(
    types: &ApprovalTypes,
    cal: &WorkingCalendar,
    applications: &[Application],
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> ApprovalFigures {
    let (start, end) = cal.days_bounds(from, to);
    let end_now = end.min(now);
    let mut by_type: BTreeMap<&str, Tally> = BTreeMap::new();
    for a in applications {
        let t = by_type.entry(a.kind.as_str()).or_default();
        match decided_at(&a.steps) {
            Some(d) if d >= start && d < end => {
                let k = clock(cal, a.limit, a.received_at, &pauses(&a.steps), Some(d), d);
                t.handled += 1;
                match a.steps.last() {
                    Some(Step::Approved { .. }) => t.approved += 1,
                    _ => t.rejected += 1,
                }
                t.same_day += u64::from(k.same_day == Some(true));
                t.on_time += u64::from(k.on_time == Some(true));
                t.minutes += k.used_minutes;
            }
            d if a.received_at < end_now && d.is_none_or(|d| d >= end_now) => {
                t.open += 1;
                t.overdue += u64::from(overdue_at(cal, a, end_now));
            }
            _ => {}
        }
    }
    let lines: Vec<TypeFigures> = types
        .types
        .iter()
        .filter_map(|ty| {
            let t = by_type.get(ty.code.as_str())?;
            Some(TypeFigures {
                kind: ty.code.clone(),
                name_zh: ty.name_zh.clone(),
                name_en: ty.name_en.clone(),
                mode: ty.mode,
                handled: t.handled,
                approved: t.approved,
                rejected: t.rejected,
                same_day: t.same_day,
                on_time: t.on_time,
                mean_working_minutes: mean(t.minutes, t.handled),
                open: t.open,
                overdue: t.overdue,
            })
        })
        .filter(|l| l.handled + l.open > 0)
        .collect();
    let sum = |f: fn(&Tally) -> u64| by_type.values().map(f).sum::<u64>();
    let handled = sum(|t| t.handled);
    ApprovalFigures {
        from,
        to,
        handled,
        same_day: sum(|t| t.same_day),
        on_time: sum(|t| t.on_time),
        mean_working_minutes: mean(by_type.values().map(|t| t.minutes).sum(), handled),
        open: sum(|t| t.open),
        overdue: sum(|t| t.overdue),
        types: lines,
    }
}

/// Reads the applications the days need from the store and works their figures out.
pub async fn read(
    store: &dyn Store,
    types: &ApprovalTypes,
    cal: &WorkingCalendar,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ApprovalFigures, StoreError> {
    let (start, end) = cal.days_bounds(from, to);
    let applications = store
        .applications(&ApplicationFilter {
            received_before: Some(end),
            open_or_decided_from: Some(start),
            ..ApplicationFilter::default()
        })
        .await?;
    Ok(figures(types, cal, &applications, from, to, now))
}
