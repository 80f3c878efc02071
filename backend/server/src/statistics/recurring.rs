//! Recurring problem blocks: grid cells, shop fronts and street segments where problems keep
//! coming back — N or more cases of one category within a month, or (for cells) a significant
//! hot spot in most of the recent months — ranked, each with its history by month and category.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{MAX_RECURRING_MONTHS, Snapshot, StatsError, StatsFilter};
use crate::analytics::gistar::gi_star;
use crate::analytics::slices::Slice;
use crate::heavy::Budget;
use crate::store::CaseFact;

pub use citygrid_core::api::analytics::{MonthHistory, RecurringPlace};

/// Cases of one category in one month that make a month count as recurring (default).
pub const DEFAULT_N: u64 = 3;
/// Recent months looked at for hot spots (default).
pub const DEFAULT_RECENT: usize = 6;

/// A place: its kind (`grid`, `shop`, `street`) and key.
type PlaceKey = (&'static str, String);

impl Snapshot {
    /// Places where problems recur over the filter's period, best first (at most `limit`).
    pub fn recurring(
        &self,
        filter: &StatsFilter,
        n: u64,
        recent: usize,
        limit: usize,
        budget: &Budget,
    ) -> Result<Vec<RecurringPlace>, StatsError> {
        let facts = self.facts(filter);
        let months = self.slices(Slice::Month, filter, &facts, MAX_RECURRING_MONTHS)?;
        budget.check()?;
        let index: HashMap<NaiveDate, usize> =
            months.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let atlas = self.atlas.clone();
        // Hot cells per month (all categories together).
        let mut per_month: Vec<Vec<CaseFact>> = vec![Vec::new(); months.len()];
        for f in &facts {
            if let Some(&m) = index.get(&Slice::Month.start_of(self.local_date(f.created_at))) {
                per_month[m].push(f.clone());
            }
        }
        let w = self.queen(&atlas);
        let first_recent = months.len().saturating_sub(recent);
        let mut hot_recent: HashMap<String, u32> = HashMap::new();
        for month in &per_month[first_recent..] {
            budget.check()?;
            let counts = Self::cell_counts(&atlas, month);
            let values: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
            for (cell, g) in atlas.base().grids.iter().zip(gi_star(&values, &w, false)) {
                if g.bin > 0 {
                    *hot_recent.entry(cell.code.to_string()).or_default() += 1;
                }
            }
        }
        // Histories per place: (kind, key) → per month, cases per category.
        let mut histories: HashMap<PlaceKey, Vec<BTreeMap<String, u64>>> = HashMap::new();
        for f in &facts {
            let Some(&m) = index.get(&Slice::Month.start_of(self.local_date(f.created_at))) else {
                continue;
            };
            let keys = [
                f.grid.as_deref().map(|g| ("grid", g.to_owned())),
                f.shop.as_deref().map(|s| ("shop", s.to_owned())),
                f.street.map(|s| ("street", s.to_string())),
            ];
            for key in keys.into_iter().flatten() {
                let months_of = histories
                    .entry(key)
                    .or_insert_with(|| vec![BTreeMap::new(); months.len()]);
                *months_of[m].entry(f.category.to_string()).or_default() += 1;
            }
        }
        let name = |kind: &str, key: &str| -> String {
            let base = atlas.base();
            match kind {
                "grid" => base
                    .grids
                    .iter()
                    .find(|g| g.code.as_str() == key)
                    .and_then(|g| g.name.clone())
                    .unwrap_or_else(|| key.to_owned()),
                "shop" => base
                    .shops
                    .iter()
                    .find(|s| s.code.as_str() == key)
                    .map_or_else(|| key.to_owned(), |s| s.name.clone()),
                _ => key
                    .parse::<u32>()
                    .ok()
                    .and_then(|id| base.streets.iter().find(|s| s.id.0 == id))
                    .map_or_else(|| key.to_owned(), |s| s.name.clone()),
            }
        };
        let threshold = (recent.min(months.len()) as u32).div_ceil(2).max(1);
        let mut places: Vec<RecurringPlace> = histories
            .into_iter()
            .filter_map(|((kind, key), by_month)| {
                let months_recurring = by_month
                    .iter()
                    .filter(|m| m.values().any(|c| *c >= n))
                    .count() as u32;
                let hot = if kind == "grid" {
                    hot_recent.get(&key).copied().unwrap_or(0)
                } else {
                    0
                };
                if months_recurring == 0 && hot < threshold {
                    return None;
                }
                let mut totals: BTreeMap<&String, u64> = BTreeMap::new();
                for m in &by_month {
                    for (c, k) in m {
                        *totals.entry(c).or_default() += k;
                    }
                }
                let main_category = totals
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(c, _)| (*c).clone())
                    .unwrap_or_default();
                let history: Vec<MonthHistory> = months
                    .iter()
                    .zip(by_month)
                    .map(|(month, by_category)| MonthHistory {
                        month: *month,
                        total: by_category.values().sum(),
                        by_category,
                    })
                    .collect();
                Some(RecurringPlace {
                    kind: kind.to_owned(),
                    name: name(kind, &key),
                    key,
                    months_recurring,
                    hot_recent_months: hot,
                    total: history.iter().map(|h| h.total).sum(),
                    main_category,
                    history,
                })
            })
            .collect();
        places.sort_by(|a, b| {
            (b.months_recurring + b.hot_recent_months)
                .cmp(&(a.months_recurring + a.hot_recent_months))
                .then(b.total.cmp(&a.total))
                .then_with(|| (&a.kind, &a.key).cmp(&(&b.kind, &b.key)))
        });
        places.truncate(limit);
        Ok(places)
    }
}
