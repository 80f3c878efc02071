//! Work orders received from the city's 12345 centre and taken through their loop: checked
//! (the type from `data/hotline.json`, a number the centre gave once, the caller's words),
//! their reply due by the working calendar, each step checked by citygrid-core's
//! `work_order::may_take` from the version read, the state folded from the events.

use chrono::{DateTime, Utc};
use citygrid_core::api::hotline::{NewOrderAction, NewWorkOrder, WorkOrder, WorkOrderQuery};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::case::{CaseId, Reporter, Source};
use citygrid_core::work_order::{
    HotlineRules, MAX_TEXT, OrderAction, OrderEvent, OrderStatus, fold, may_take,
};

use crate::atlas::LocateOptions;
use crate::cases::{Actor, CaseService, NewCase};
use crate::district::District;
use crate::record_error::{RecordError, check_day, check_point, required, trimmed};
use crate::store::{StoreError, WorkOrderFilter};

/// How far in the future a time may lie (clocks differ).
const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);

/// An order as a reader may see it: its state and overdue read now, the caller only for those
/// who may see reporters' contacts.
pub fn view(mut o: WorkOrder, now: DateTime<Utc>, contacts: bool) -> WorkOrder {
    o.state = fold(o.due, &o.events);
    o.overdue = o.state.overdue(now);
    if !contacts {
        o.caller = None;
    }
    o
}

/// Checks an order as the centre sent it; what is returned is ready to store (id 0).
pub fn prepare(
    rules: &HotlineRules,
    calendar: &WorkingCalendar,
    body: &NewWorkOrder,
    by: &str,
    now: DateTime<Utc>,
) -> Result<WorkOrder, RecordError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let number = required("number", &body.number, 40)?;
    let t = rules.get(body.kind.trim()).ok_or_else(|| {
        RecordError::field(
            "type",
            format!("there is no work-order type {:?}", body.kind),
        )
    })?;
    let text = required("text", &body.text, MAX_TEXT)?;
    let received_at = chrono::SubsecRound::trunc_subsecs(body.received_at, 3);
    if received_at > now + CLOCK_SLACK {
        return Err(RecordError::field("received_at", "lies in the future"));
    }
    check_day("received_at", received_at.date_naive())?;
    let caller = citygrid_core::api::hotline::Caller {
        name: trimmed(body.caller.name.as_ref()),
        phone: trimmed(body.caller.phone.as_ref()),
    };
    for (field, value) in [
        ("caller.name", &caller.name),
        ("caller.phone", &caller.phone),
        ("channel", &trimmed(body.channel.as_ref())),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
            return Err(RecordError::field(field, "at most 100 characters"));
        }
    }
    if body
        .address
        .as_ref()
        .is_some_and(|a| a.chars().count() > 500)
    {
        return Err(RecordError::field("address", "at most 500 characters"));
    }
    let due = rules.due(calendar, t, body.urgent, received_at);
    Ok(WorkOrder {
        id: 0,
        number,
        version: 1,
        received_at,
        channel: trimmed(body.channel.as_ref()),
        kind: t.code.clone(),
        urgent: body.urgent,
        caller: Some(caller),
        text,
        address: trimmed(body.address.as_ref()),
        due,
        events: Vec::new(),
        state: fold(due, &[]),
        overdue: false,
        recorded_by: by.to_owned(),
        recorded_at: now,
    })
}

/// The orders a query selects, as a reader may see them: open ones first by due time, then the
/// others, newest received first.
pub async fn list(
    district: &District,
    rules: &HotlineRules,
    calendar: &WorkingCalendar,
    q: &WorkOrderQuery,
    contacts: bool,
    now: DateTime<Utc>,
) -> Result<Vec<WorkOrder>, RecordError> {
    let statuses = match q.status.as_deref() {
        None | Some("") => Vec::new(),
        Some("open") => vec![OrderStatus::Received, OrderStatus::Accepted],
        Some(s) => vec![
            s.parse()
                .map_err(|e: String| RecordError::field("status", e))?,
        ],
    };
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    if let Some(k) = &kind
        && rules.get(k).is_none()
    {
        return Err(RecordError::field(
            "type",
            format!("there is no work-order type {k:?}"),
        ));
    }
    for (field, day) in [("from", q.from), ("to", q.to)] {
        if let Some(d) = day {
            check_day(field, d)?;
        }
    }
    let mut items: Vec<WorkOrder> = district
        .store()
        .work_orders(&WorkOrderFilter {
            kind,
            statuses,
            received_from: q.from.map(|d| calendar.start_of_day(d)),
            received_before: q.to.map(|d| calendar.days_bounds(d, d).1),
            ..WorkOrderFilter::default()
        })
        .await?
        .into_iter()
        .map(|o| view(o, now, contacts))
        .filter(|o| q.overdue != Some(true) || o.overdue)
        .collect();
    let open = |o: &WorkOrder| {
        matches!(
            o.state.status,
            OrderStatus::Received | OrderStatus::Accepted
        )
    };
    items.sort_by_key(|o| (!open(o), open(o).then_some(o.state.due)));
    Ok(items)
}

/// Receives an order; a number already received is a 409 naming `number`.
pub async fn receive(
    district: &District,
    rules: &HotlineRules,
    calendar: &WorkingCalendar,
    body: &NewWorkOrder,
    by: &str,
    now: DateTime<Utc>,
) -> Result<WorkOrder, RecordError> {
    let mut o = prepare(rules, calendar, body, by, now)?;
    match district
        .store()
        .insert_work_orders(std::slice::from_ref(&o), false)
        .await
    {
        Ok(ids) => {
            o.id = ids.first().copied().unwrap_or_default();
            Ok(o)
        }
        Err(StoreError::Duplicate(_)) => Err(RecordError::conflict(
            "number",
            format!("work order {} was received already", o.number),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Why a step was refused: the order's own fields and state, or the case it was to create.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Case(#[from] crate::cases::CaseError),
}

impl From<StoreError> for StepError {
    fn from(e: StoreError) -> Self {
        StepError::Record(e.into())
    }
}

/// Takes the next step of order `id`; a case it creates goes through the case service as
/// `actor`.
pub async fn act(
    cases: &CaseService,
    hotline: &HotlineRules,
    actor: &Actor,
    id: i64,
    body: &NewOrderAction,
    now: DateTime<Utc>,
) -> Result<WorkOrder, StepError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let district = cases.district();
    let rules = cases.rules();
    let calendar = &rules.calendar;
    let store = district.store();
    let mut o = store
        .work_order(id)
        .await?
        .ok_or_else(|| RecordError::NotFound(format!("no work order {id}")))?;
    if body.version != o.version {
        return Err(RecordError::conflict(
            "version",
            format!(
                "work order {} is at version {}, not {}",
                o.number, o.version, body.version
            ),
        )
        .into());
    }
    let state = fold(o.due, &o.events);
    // A step out of turn conflicts with the order as it stands; a bad field of the step is the
    // step's own fault.
    may_take(&state, &body.action, now).map_err(|e| {
        if e.field == "action.type" {
            RecordError::conflict(e.field, e.problem)
        } else {
            RecordError::from(e)
        }
    })?;
    let by = actor.name.clone();
    let event = match &body.action {
        OrderAction::Accept => OrderEvent::Accepted { at: now, by },
        OrderAction::Classify {
            category,
            point,
            suggested,
        } => {
            let category = category.trim();
            if rules.catalogue.get(category).is_none() {
                return Err(RecordError::field(
                    "action.category",
                    format!("there is no category {category:?}"),
                )
                .into());
            }
            if let Some(p) = point {
                check_point("action.point", *p)?;
            }
            let community = point.and_then(|p| {
                district
                    .atlas()
                    .locate(p, &LocateOptions::default())
                    .community
                    .map(|c| c.code.to_string())
            });
            OrderEvent::Classified {
                at: now,
                by,
                category: category.to_owned(),
                point: *point,
                community,
                suggested: trimmed(suggested.as_ref()),
            }
        }
        OrderAction::CreateCase => {
            let (Some(category), Some(point)) = (state.category.clone(), state.point) else {
                return Err(RecordError::conflict(
                    "action.type",
                    "settle the order's category and place first",
                )
                .into());
            };
            let caller = o.caller.clone().unwrap_or_default();
            let created = cases
                .create(
                    NewCase {
                        category,
                        source: Source::Hotline,
                        description: o.text.clone(),
                        quantity: None,
                        point: Some(point),
                        address: None,
                        accept_best: false,
                        reporter: (caller.name.is_some() || caller.phone.is_some()).then_some(
                            Reporter {
                                name: caller.name,
                                phone: caller.phone,
                            },
                        ),
                        photos: Vec::new(),
                    },
                    actor,
                    now,
                )
                .await?;
            OrderEvent::Linked {
                at: now,
                by,
                case: created.case.case.id.0,
            }
        }
        OrderAction::Link { case } => {
            if *case <= 0 || store.get_case(CaseId(*case)).await?.is_none() {
                return Err(
                    RecordError::field("action.case", format!("there is no case {case}")).into(),
                );
            }
            OrderEvent::Linked {
                at: now,
                by,
                case: *case,
            }
        }
        OrderAction::Reply { text } => OrderEvent::Replied {
            at: now,
            by,
            text: text.trim().to_owned(),
        },
        OrderAction::RequestExtension { until, reason } => OrderEvent::Extended {
            at: now,
            by,
            until: chrono::SubsecRound::trunc_subsecs(*until, 3),
            reason: reason.trim().to_owned(),
        },
        OrderAction::Urge => OrderEvent::Urged { at: now, by },
        OrderAction::Callback {
            solved,
            satisfaction,
            bureau_at_fault,
        } => OrderEvent::CalledBack {
            at: now,
            by,
            solved: *solved,
            satisfaction: *satisfaction,
            bureau_at_fault: *bureau_at_fault,
        },
        OrderAction::Rehandle { reason } => {
            let t = hotline.get(&o.kind).ok_or_else(|| {
                RecordError::field("type", format!("work-order type {} is unknown", o.kind))
            })?;
            OrderEvent::Rehandled {
                at: now,
                by,
                reason: reason.trim().to_owned(),
                due: hotline.due(calendar, t, o.urgent, now),
            }
        }
        OrderAction::Close => OrderEvent::Closed { at: now, by },
    };
    if let OrderEvent::Extended { until, .. } = &event {
        check_day("action.until", until.date_naive())?;
    }
    let from = o.version;
    o.events.push(event);
    o.version += 1;
    o.state = fold(o.due, &o.events);
    match store.update_work_order(&o, from).await {
        Ok(()) => Ok(o),
        Err(StoreError::Conflict(what)) => Err(RecordError::conflict(
            "version",
            format!("{what} changed meanwhile; read it again"),
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}
