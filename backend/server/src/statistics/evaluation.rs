//! The evaluation ratios of DESIGN §5 (docs/evaluation.md gives the definitions).

use chrono::{DateTime, Utc};
use citygrid_core::case::Status;

use crate::store::CaseFact;

pub use citygrid_core::api::analytics::{Evaluation, Ratio};

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    cases: u64,
    due: u64,
    handled: u64,
    handled_on_time: u64,
    closed: u64,
    closed_on_time: u64,
    reworked: u64,
    extended: u64,
    dispatched: u64,
    dispatched_right: u64,
}

/// Whether a case counts at all: accepted into the loop (not awaiting registration, not
/// refused, not void).
pub fn accepted(f: &CaseFact) -> bool {
    !matches!(f.status, Status::Reported | Status::Rejected | Status::Void)
}

fn tally(t: &mut Tally, f: &CaseFact, at: DateTime<Utc>) {
    if !accepted(f) {
        return;
    }
    t.cases += 1;
    let handled = f.handled_at.filter(|h| *h <= at);
    let on_time = handled.is_some_and(|h| h <= f.deadline);
    if handled.is_some() || f.deadline < at {
        t.due += 1;
    }
    if handled.is_some() {
        t.handled += 1;
        if f.reworks > 0 {
            t.reworked += 1;
        }
    }
    if on_time {
        t.handled_on_time += 1;
    }
    if f.closed_at.is_some_and(|c| c <= at) {
        t.closed += 1;
        if on_time {
            t.closed_on_time += 1;
        }
    }
    if f.extensions > 0 {
        t.extended += 1;
    }
    if f.dispatches > 0 {
        t.dispatched += 1;
        if f.returns == 0 {
            t.dispatched_right += 1;
        }
    }
}

/// The figures of the cases `facts`, grouped by `key` (cases without a key are left out),
/// as things stood at `at`; groups sorted by key.
pub fn evaluate(
    facts: &[CaseFact],
    at: DateTime<Utc>,
    key: impl Fn(&CaseFact) -> Option<String>,
) -> Vec<Evaluation> {
    let mut groups: std::collections::BTreeMap<String, Tally> = std::collections::BTreeMap::new();
    for f in facts {
        if let Some(k) = key(f) {
            tally(groups.entry(k).or_default(), f, at);
        }
    }
    groups
        .into_iter()
        .map(|(key, t)| Evaluation {
            key,
            cases: t.cases,
            due: t.due,
            handled: Ratio::of(t.handled, t.due),
            handled_on_time: Ratio::of(t.handled_on_time, t.due),
            closed: Ratio::of(t.closed, t.due),
            closed_on_time: Ratio::of(t.closed_on_time, t.due),
            rework: Ratio::of(t.reworked, t.handled),
            extension: Ratio::of(t.extended, t.cases),
            accurate_dispatch: Ratio::of(t.dispatched_right, t.dispatched),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use citygrid_core::case::Source;

    fn fact(status: Status, handled: Option<i64>, deadline: i64) -> CaseFact {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        CaseFact {
            id: 1,
            created_at: t0,
            category: "0501".into(),
            source: Source::Patrol,
            status,
            grid: Some("g".into()),
            community: None,
            shop: None,
            street: None,
            quantity: None,
            lon: 0.0,
            lat: 0.0,
            deadline: t0 + Duration::hours(deadline),
            assignee: None,
            handled_at: handled.map(|h| t0 + Duration::hours(h)),
            closed_at: None,
            reworks: 0,
            extensions: 0,
            returns: 0,
            dispatches: 1,
            events: 3,
        }
    }

    #[test]
    fn open_overdue_cases_count_against_the_rates() {
        let at = DateTime::<Utc>::UNIX_EPOCH + Duration::hours(10);
        let facts = [
            fact(Status::Handled, Some(1), 2),  // on time
            fact(Status::Handled, Some(5), 2),  // late
            fact(Status::Dispatched, None, 4),  // open, overdue: due, not handled
            fact(Status::Dispatched, None, 20), // open, not yet due
            fact(Status::Reported, None, 1),    // not accepted
            fact(Status::Rejected, Some(1), 2), // not accepted
        ];
        let e = &evaluate(&facts, at, |f| f.grid.as_deref().map(str::to_owned))[0];
        assert_eq!((e.cases, e.due), (4, 3));
        assert_eq!(e.handled.numerator, 2);
        assert!((e.handled.rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.handled_on_time.numerator, 1);
        assert_eq!(e.accurate_dispatch.rate, Some(1.0));
        assert_eq!(e.closed.rate, Some(0.0));
    }
}
