//! The hotline's figures over some days (FIELDWORK §1, §6): the orders received in the days,
//! as they stand when read — by type, replied, replied on time, called back, satisfied,
//! handled again, urged, closed, overdue, the mean working time to the first reply — in all
//! and by month, community and category (the dispatcher's classification).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use citygrid_core::api::hotline::{OrderFigures, OrderTally, WorkOrder};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::work_order::{OrderState, OrderStatus, fold};

use crate::store::{Store, StoreError, WorkOrderFilter};

/// Names of communities and categories by code.
pub struct Names<'a> {
    pub types: &'a citygrid_core::work_order::HotlineRules,
    pub communities: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub categories: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

#[derive(Default)]
struct Tally {
    t: OrderTally,
    minutes: i64,
}

impl Tally {
    /// Counts order `o`, whose events fold to `s`.
    fn add(&mut self, cal: &WorkingCalendar, o: &WorkOrder, s: &OrderState, now: DateTime<Utc>) {
        let t = &mut self.t;
        t.received += 1;
        *t.by_type.entry(o.kind.clone()).or_default() += 1;
        if let Some(first) = s.first_reply {
            t.replied += 1;
            t.replied_on_time += u64::from(s.replied_on_time);
            self.minutes += cal.working_minutes_between(o.received_at, first);
        }
        if let Some(satisfaction) = s.satisfaction {
            t.called_back += 1;
            t.satisfied += u64::from(satisfaction.counts_satisfied());
        }
        t.rehandled += u64::from(s.rehandled > 0);
        t.urged += u64::from(s.urged > 0);
        t.closed += u64::from(s.status == OrderStatus::Closed);
        t.overdue += u64::from(s.overdue(now));
    }

    fn done(mut self, key: String, name: String) -> OrderTally {
        let t = &mut self.t;
        t.key = key;
        t.name = name;
        t.satisfied_rate = (t.called_back > 0)
            .then(|| (t.satisfied as f64 / t.called_back as f64 * 1000.0).round() / 1000.0);
        t.mean_working_hours = (t.replied > 0)
            .then(|| (self.minutes as f64 / 60.0 / t.replied as f64 * 10.0).round() / 10.0);
        self.t
    }
}

/// The figures of `orders` received over the local days `from`..=`to`, read at `now`.
pub fn figures(
    orders: &[WorkOrder],
    cal: &WorkingCalendar,
    names: &Names<'_>,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> OrderFigures {
    let (start, end) = cal.days_bounds(from, to);
    let mut total = Tally::default();
    let mut by_month: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_community: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut suggested, mut kept) = (0, 0);
    for o in orders
        .iter()
        .filter(|o| o.received_at >= start && o.received_at < end)
    {
        let s = fold(o.due, &o.events);
        let month = o
            .received_at
            .with_timezone(&cal.timezone)
            .format("%Y-%m")
            .to_string();
        total.add(cal, o, &s, now);
        by_month.entry(month).or_default().add(cal, o, &s, now);
        by_community
            .entry(s.community.clone().unwrap_or_default())
            .or_default()
            .add(cal, o, &s, now);
        by_category
            .entry(s.category.clone().unwrap_or_default())
            .or_default()
            .add(cal, o, &s, now);
        if let Some(k) = s.suggestion_kept {
            suggested += 1;
            kept += u64::from(k);
        }
    }
    let named = |m: BTreeMap<String, Tally>, name: &dyn Fn(&str) -> Option<String>| {
        m.into_iter()
            .map(|(k, t)| {
                let n = if k.is_empty() {
                    String::new()
                } else {
                    name(&k).unwrap_or_else(|| k.clone())
                };
                t.done(k, n)
            })
            .collect::<Vec<_>>()
    };
    let type_names = total
        .t
        .by_type
        .keys()
        .map(|k| {
            let name = names
                .types
                .get(k)
                .map_or_else(|| k.clone(), |t| t.name_zh.clone());
            (k.clone(), name)
        })
        .collect();
    OrderFigures {
        type_names,
        from,
        to,
        total: total.done(String::new(), String::new()),
        by_month: named(by_month, &|_| Some(String::new())),
        by_community: named(by_community, names.communities),
        by_category: named(by_category, names.categories),
        suggested,
        suggestion_kept: kept,
    }
}

/// Reads the orders received in the days and works their figures out.
pub async fn read(
    store: &dyn Store,
    cal: &WorkingCalendar,
    names: &Names<'_>,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OrderFigures, StoreError> {
    let (start, end) = cal.days_bounds(from, to);
    let orders = store
        .work_orders(&WorkOrderFilter {
            received_from: Some(start),
            received_before: Some(end),
            ..WorkOrderFilter::default()
        })
        .await?;
    Ok(figures(&orders, cal, names, from, to, now))
}
