//! A year of the demo district's 12345 work orders (FIELDWORK §6): about two of every three
//! cases the hotline brought become an order in the caller's words (`complaints.rs`), received
//! a little before its case, accepted, classified — the suggestion kept most of the time,
//! corrected now and then —, linked to the case, replied once the case closed (some late,
//! some after an extension asked in time, some urged), called back the next working day; a
//! few callers dissatisfied, some of them for the bureau's reasons and handled again. Besides,
//! some thirty consultations, requests for help, suggestions and thanks a month. Every step is
//! checked by the loop's rules as the API checks it. Deterministic.

use chrono::{DateTime, Duration, Utc};
use citygrid_core::api::hotline::{Caller, NewWorkOrder, WorkOrder};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::case::{Case, CaseEvent, Source, Status};
use citygrid_core::work_order::{OrderAction, OrderEvent, Satisfaction, fold, may_take};

use super::complaints;
use crate::cases::CaseService;
use crate::hotline::book::builtin;
use crate::hotline::orders::prepare;
use crate::record_error::RecordError;
use crate::rng::Rng;
use crate::store::Page;

const DESK: &str = "dispatcher";
const CALLBACKS: &str = "12345回访";

/// An order's loop as it is built: each step checked against the state so far.
struct Loop {
    order: WorkOrder,
}

impl Loop {
    /// Takes `event` if the loop allows `action` at its time; whether it did.
    fn step(&mut self, action: &OrderAction, event: OrderEvent) -> bool {
        let state = fold(self.order.due, &self.order.events);
        if may_take(&state, action, event.at()).is_err() {
            return false;
        }
        self.order.events.push(event);
        true
    }

    fn due(&self) -> DateTime<Utc> {
        fold(self.order.due, &self.order.events).due
    }
}

fn caller(rng: &mut Rng) -> Caller {
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    ];
    let title = if rng.chance(0.5) { "女士" } else { "先生" };
    Caller {
        name: Some(format!("{}{title}", rng.pick(&SURNAMES))),
        phone: Some(format!("1{}{}", [3, 5, 8][rng.below(3)], rng.digits(9))),
    }
}

/// When the case behind an order was closed or refused, if it was by `end`.
fn settled(events: &[CaseEvent]) -> Option<(DateTime<Utc>, bool)> {
    events.iter().find_map(|e| match e.to {
        Status::Closed => Some((e.at, true)),
        Status::Rejected => Some((e.at, false)),
        _ => None,
    })
}

/// Reply, callback, perhaps a second round, close — from `replied` on, as far as `end`.
fn answer_and_call_back(
    rng: &mut Rng,
    cal: &WorkingCalendar,
    l: &mut Loop,
    text: String,
    replied: DateTime<Utc>,
    end: DateTime<Utc>,
) {
    if replied > end
        || !l.step(
            &OrderAction::Reply { text: text.clone() },
            OrderEvent::Replied {
                at: replied,
                by: DESK.into(),
                text,
            },
        )
    {
        return;
    }
    let called = cal.add_working_minutes(replied, 60 + rng.below(360) as i64);
    if called > end || rng.chance(0.08) {
        return;
    }
    let satisfaction = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
    ][rng.weighted(&[80.0, 12.0, 8.0])];
    let at_fault = satisfaction == Satisfaction::Dissatisfied && rng.chance(0.6);
    let callback = |at| OrderEvent::CalledBack {
        at,
        by: CALLBACKS.into(),
        solved: satisfaction != Satisfaction::Dissatisfied,
        satisfaction,
        bureau_at_fault: at_fault,
    };
    let action = OrderAction::Callback {
        solved: satisfaction != Satisfaction::Dissatisfied,
        satisfaction,
        bureau_at_fault: at_fault,
    };
    if !l.step(&action, callback(called)) {
        return;
    }
    let mut last = called;
    if at_fault {
        let again = called + Duration::minutes(45);
        let reason = "来电人表示问题仍未解决，要求重新办理".to_owned();
        let rules = builtin();
        let Some(t) = rules.get(&l.order.kind) else {
            return;
        };
        let due = rules.due(cal, t, l.order.urgent, again);
        if again > end
            || !l.step(
                &OrderAction::Rehandle {
                    reason: reason.clone(),
                },
                OrderEvent::Rehandled {
                    at: again,
                    by: DESK.into(),
                    reason,
                    due,
                },
            )
        {
            return;
        }
        let second = cal.add_working_minutes(again, 240 + rng.below(1200) as i64);
        let text = "已再次派员现场处置，问题已彻底整改，并约谈当事人。".to_owned();
        if second > end
            || !l.step(
                &OrderAction::Reply { text: text.clone() },
                OrderEvent::Replied {
                    at: second,
                    by: DESK.into(),
                    text,
                },
            )
        {
            return;
        }
        let called = cal.add_working_minutes(second, 120 + rng.below(300) as i64);
        let satisfaction = if rng.chance(0.7) {
            Satisfaction::Satisfied
        } else {
            Satisfaction::BasicallySatisfied
        };
        let ok = called <= end
            && l.step(
                &OrderAction::Callback {
                    solved: true,
                    satisfaction,
                    bureau_at_fault: false,
                },
                OrderEvent::CalledBack {
                    at: called,
                    by: CALLBACKS.into(),
                    solved: true,
                    satisfaction,
                    bureau_at_fault: false,
                },
            );
        if !ok {
            return;
        }
        last = called;
    }
    // Dissatisfied for reasons not the bureau's: closed as it stands.
    let closed = last + Duration::minutes(30);
    if closed <= end {
        l.step(
            &OrderAction::Close,
            OrderEvent::Closed {
                at: closed,
                by: DESK.into(),
            },
        );
    }
}

/// The order a hotline case came from.
fn for_case(
    rng: &mut Rng,
    cal: &WorkingCalendar,
    cases: &CaseService,
    case: &Case,
    events: &[CaseEvent],
    end: DateTime<Utc>,
) -> Result<Option<WorkOrder>, RecordError> {
    let rules = cases.rules();
    let Some(category) = rules.catalogue.get(&case.category.0) else {
        return Ok(None);
    };
    let received = case.created_at - Duration::minutes(5 + rng.below(40) as i64);
    let number = case
        .location
        .street
        .as_ref()
        .and_then(|s| s.house_number)
        .unwrap_or(1 + rng.below(200) as u32);
    let place = complaints::place(
        rng,
        case.location.street.as_ref().map(|s| &*s.name),
        case.location.shop.as_ref().map(|s| &*s.name),
        number,
    );
    let body = NewWorkOrder {
        number: String::new(),
        received_at: received,
        channel: Some(if rng.chance(0.8) { "电话" } else { "网站" }.into()),
        kind: "complaint".into(),
        urgent: rng.chance(0.03),
        caller: caller(rng),
        text: complaints::complaint(rng, &case.category.0, &place),
        address: None,
    };
    let number = format!(
        "GD{}{:02}",
        received.with_timezone(&cal.timezone).format("%Y%m%d%H%M%S"),
        rng.below(100)
    );
    let order = prepare(&builtin(), cal, &NewWorkOrder { number, ..body }, DESK, end)?;
    let mut l = Loop { order };
    let accepted = case.created_at - Duration::minutes(2);
    l.step(
        &OrderAction::Accept,
        OrderEvent::Accepted {
            at: accepted,
            by: DESK.into(),
        },
    );
    // The dispatcher mostly keeps the suggested category; now and then the suggestion was
    // another one and they corrected it.
    let suggested = if rng.chance(0.85) {
        case.category.0.clone()
    } else {
        complaints::categories()
            .nth(rng.below(14))
            .unwrap_or("0101")
            .to_owned()
    };
    let classified = OrderEvent::Classified {
        at: case.created_at - Duration::minutes(1),
        by: DESK.into(),
        category: case.category.0.clone(),
        point: Some(case.point),
        community: case.location.community.as_ref().map(|c| c.code.to_string()),
        suggested: Some(suggested.clone()),
    };
    l.step(
        &OrderAction::Classify {
            category: case.category.0.clone(),
            point: Some(case.point),
            suggested: Some(suggested),
        },
        classified,
    );
    l.step(
        &OrderAction::Link { case: case.id.0 },
        OrderEvent::Linked {
            at: case.created_at,
            by: DESK.into(),
            case: case.id.0,
        },
    );
    let Some((at, closed)) = settled(events) else {
        // Still being handled at the end: urged if past its due time.
        if end > l.due() && rng.chance(0.6) {
            let urged = l.due() + Duration::hours(2);
            l.step(
                &OrderAction::Urge,
                OrderEvent::Urged {
                    at: urged.min(end),
                    by: "12345".into(),
                },
            );
        }
        return Ok(Some(l.order));
    };
    let replied = at + Duration::minutes(10 + rng.below(110) as i64);
    let due = l.due();
    if replied > due {
        if rng.chance(0.5) && due - Duration::hours(6) > accepted {
            // Asked for more time while there was still time.
            let until = replied + Duration::hours(4);
            let reason = "需协调相关部门联合处置".to_owned();
            l.step(
                &OrderAction::RequestExtension {
                    until,
                    reason: reason.clone(),
                },
                OrderEvent::Extended {
                    at: due - Duration::hours(6),
                    by: DESK.into(),
                    until,
                    reason,
                },
            );
        } else if rng.chance(0.5) {
            l.step(
                &OrderAction::Urge,
                OrderEvent::Urged {
                    at: due + Duration::hours(1),
                    by: "12345".into(),
                },
            );
        }
    }
    let text = complaints::reply(rng, &category.name_zh, closed);
    answer_and_call_back(rng, cal, &mut l, text, replied, end);
    Ok(Some(l.order))
}

/// An order needing no case: a question, a request, a suggestion, thanks.
fn without_case(
    rng: &mut Rng,
    cal: &WorkingCalendar,
    received: DateTime<Utc>,
    n: usize,
    end: DateTime<Utc>,
) -> Result<WorkOrder, RecordError> {
    let (kind, text) = complaints::other(rng);
    let body = NewWorkOrder {
        number: format!(
            "GD{}{:03}",
            received.with_timezone(&cal.timezone).format("%Y%m%d%H%M"),
            n % 1000
        ),
        received_at: received,
        channel: Some("电话".into()),
        kind: kind.into(),
        urgent: false,
        caller: caller(rng),
        text: text.into(),
        address: None,
    };
    let mut l = Loop {
        order: prepare(&builtin(), cal, &body, DESK, end)?,
    };
    let accepted = received + Duration::minutes(10 + rng.below(50) as i64);
    if accepted <= end {
        l.step(
            &OrderAction::Accept,
            OrderEvent::Accepted {
                at: accepted,
                by: DESK.into(),
            },
        );
        // Some of the last weeks' orders are still on the desk at the end.
        if received > end - Duration::days(20) && rng.chance(0.35) {
            return Ok(l.order);
        }
        let replied = cal.add_working_minutes(accepted, 30 + rng.below(900) as i64);
        answer_and_call_back(
            rng,
            cal,
            &mut l,
            complaints::answer(kind).into(),
            replied,
            end,
        );
    }
    Ok(l.order)
}

/// Stores the demo year's work orders; how many.
pub async fn load(cases: &CaseService, end: DateTime<Utc>) -> Result<usize, RecordError> {
    let cal = cases.rules().calendar.clone();
    let store = cases.district().store();
    let mut rng = Rng::new(0x1234_5000);
    let mut made: Vec<WorkOrder> = Vec::new();
    let mut after = 0;
    let mut first: Option<DateTime<Utc>> = None;
    loop {
        let page = store.export_cases(Page { after, limit: 5000 }).await?;
        let Some((last, _)) = page.last() else { break };
        after = last.id.0;
        for (case, events) in &page {
            first = Some(first.map_or(case.created_at, |f| f.min(case.created_at)));
            let complained = case.source == Source::Hotline
                && complaints::categories().any(|c| c == case.category.0)
                && rng.chance(0.65);
            if complained && let Some(o) = for_case(&mut rng, &cal, cases, case, events, end)? {
                made.push(o);
            }
        }
    }
    // About thirty orders a month that need no case, over the year's working hours.
    let Some(first) = first else { return Ok(0) };
    let days = (end - first).num_days().max(1);
    for n in 0..(days as usize) {
        let at = first + Duration::days(n as i64) + Duration::minutes(rng.below(600) as i64);
        if at < end {
            made.push(without_case(&mut rng, &cal, at, n, end)?);
        }
    }
    // Numbers are the centre's: one per order.
    made.sort_by_key(|a| a.received_at);
    made.dedup_by(|a, b| a.number == b.number);
    for o in &mut made {
        o.version = 1 + o.events.len() as i64;
        o.state = fold(o.due, &o.events);
    }
    store.insert_work_orders(&made, false).await?;
    Ok(made.len())
}
