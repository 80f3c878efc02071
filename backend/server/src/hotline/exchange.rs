//! Orders taken from the city's 12345 platform in bulk (a CSV import, a push): each checked as
//! if received through the API, an order number already kept updating that order's received
//! details over its loop (never a second order), all stored together or none.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use citygrid_core::api::hotline::{NewWorkOrder, OrdersTaken, WorkOrder};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::work_order::{HotlineRules, fold};

use crate::district::District;
use crate::record_error::RecordError;
use crate::store::{StoreError, WorkOrderFilter};

/// Whether two orders say the same of what the centre received.
fn same_received(a: &WorkOrder, b: &WorkOrder) -> bool {
    a.received_at == b.received_at
        && a.channel == b.channel
        && a.kind == b.kind
        && a.urgent == b.urgent
        && a.caller == b.caller
        && a.text == b.text
        && a.address == b.address
}

/// `kept` with the received details of `fresh` and its first due time, one version on; `None`
/// when nothing differs.
fn merged(kept: &WorkOrder, fresh: &WorkOrder) -> Option<WorkOrder> {
    if same_received(kept, fresh) {
        return None;
    }
    let mut o = kept.clone();
    o.received_at = fresh.received_at;
    o.channel.clone_from(&fresh.channel);
    o.kind.clone_from(&fresh.kind);
    o.urgent = fresh.urgent;
    o.caller.clone_from(&fresh.caller);
    o.text.clone_from(&fresh.text);
    o.address.clone_from(&fresh.address);
    o.due = fresh.due;
    o.version += 1;
    o.state = fold(o.due, &o.events);
    Some(o)
}

/// Stores checked orders (each number once): new ones inserted, kept ones updated when their
/// received details changed; all or none.
pub async fn take(district: &District, orders: Vec<WorkOrder>) -> Result<OrdersTaken, RecordError> {
    let store = district.store();
    let mut kept: HashMap<String, WorkOrder> = HashMap::new();
    for o in &orders {
        if let Some(k) = store
            .work_orders(&WorkOrderFilter {
                number: Some(o.number.clone()),
                ..WorkOrderFilter::default()
            })
            .await?
            .into_iter()
            .next()
        {
            kept.insert(k.number.clone(), k);
        }
    }
    let mut taken = OrdersTaken::default();
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for o in orders {
        match kept.get(&o.number) {
            None => new.push(o),
            Some(k) => match merged(k, &o) {
                Some(m) => changed.push((m, k.version)),
                None => taken.unchanged += 1,
            },
        }
    }
    taken.received = new.len() as u64;
    taken.updated = changed.len() as u64;
    if new.is_empty() && changed.is_empty() {
        return Ok(taken);
    }
    match store.save_work_orders(&new, &changed).await {
        Ok(_) => Ok(taken),
        Err(StoreError::Conflict(what) | StoreError::Duplicate(what)) => Err(
            RecordError::conflict("number", format!("{what} changed meanwhile; send it again")),
        ),
        Err(e) => Err(e.into()),
    }
}

/// The most orders one push carries.
pub const MAX_PUSH: usize = 1000;

/// Orders a platform pushed, by `by`: each checked (a bad field named `orders[i].…`, a number
/// given twice named too), then taken all together.
pub async fn push(
    district: &District,
    rules: &HotlineRules,
    calendar: &WorkingCalendar,
    orders: &[NewWorkOrder],
    by: &str,
    now: DateTime<Utc>,
) -> Result<OrdersTaken, RecordError> {
    if orders.len() > MAX_PUSH {
        return Err(RecordError::field(
            "orders",
            format!("at most {MAX_PUSH} orders in one push"),
        ));
    }
    let mut made = Vec::with_capacity(orders.len());
    let mut seen = HashMap::new();
    for (i, o) in orders.iter().enumerate() {
        let o = super::orders::prepare(rules, calendar, o, by, now).map_err(|e| match e {
            RecordError::Field { field, problem } => {
                RecordError::field(format!("orders[{i}].{field}"), problem)
            }
            other => other,
        })?;
        if let Some(first) = seen.insert(o.number.clone(), i) {
            return Err(RecordError::field(
                format!("orders[{i}].number"),
                format!("work order {} is orders[{first}] already", o.number),
            ));
        }
        made.push(o);
    }
    take(district, made).await
}
