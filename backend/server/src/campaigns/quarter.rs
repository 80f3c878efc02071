//! The campaign lines of the quarterly report (FIELDWORK §1): every campaign with actions in
//! the quarter, its actions' tallies summed over the quarter's days alone.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use citygrid_core::api::analytics::CampaignLine;
use citygrid_core::api::campaigns::Action;
use citygrid_core::campaign::CampaignKinds;

use super::figures::tallies;
use crate::store::{ActionFilter, Store, StoreError};

/// The lines of the local days `first` up to (not including) `end`.
pub async fn lines(
    store: &dyn Store,
    kinds: &CampaignKinds,
    first: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<CampaignLine>, StoreError> {
    let actions = store
        .actions(&ActionFilter {
            from_day: Some(first),
            to_day: end.pred_opt(),
            ..ActionFilter::default()
        })
        .await?;
    let mut by_campaign: BTreeMap<i64, Vec<Action>> = BTreeMap::new();
    for a in actions {
        by_campaign.entry(a.campaign).or_default().push(a);
    }
    let mut out = Vec::with_capacity(by_campaign.len());
    for (id, actions) in by_campaign {
        let Some(c) = store.campaign(id).await? else {
            continue;
        };
        let f = tallies(kinds, &c, &actions);
        let mut cases: Vec<i64> = actions
            .iter()
            .flat_map(|a| a.cases.iter().copied())
            .collect();
        cases.sort_unstable();
        cases.dedup();
        out.push(CampaignLine {
            campaign: id,
            name: c.name,
            kind: c.kind,
            kind_name_zh: c.kind_name_zh,
            kind_name_en: c.kind_name_en,
            actions: f.actions,
            totals: f.totals,
            rates: f.rates,
            cases: cases.len() as u64,
        });
    }
    Ok(out)
}
