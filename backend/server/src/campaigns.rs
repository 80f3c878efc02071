//! Campaigns (专项整治, FIELDWORK §4): the kinds' catalogue (`kinds`), a campaign as planned
//! (`plan`), its actions with their tallies (`actions`), its figures (`figures`), the CSV
//! files (`csv_out`, `csv_import`) and the quarterly report's campaign lines (`quarter`). The
//! tallies' checks and sums are pure, in citygrid-core (`campaign`).

pub mod actions;
pub mod csv_import;
pub mod csv_out;
pub mod figures;
pub mod kinds;
pub mod plan;
pub mod quarter;

use chrono::{DateTime, Utc};
use citygrid_core::api::campaigns::{Action, Campaign, NewAction, NewCampaign};

pub use kinds::CampaignBook;

use crate::district::District;
use crate::record_error::RecordError;
use crate::store::{ActionFilter, StoreError};

fn now_ms(now: DateTime<Utc>) -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(now, 3)
}

/// A stored campaign, or the 404 naming it.
pub async fn find(district: &District, id: i64) -> Result<Campaign, RecordError> {
    district
        .store()
        .campaign(id)
        .await?
        .ok_or_else(|| RecordError::NotFound(format!("no campaign {id}")))
}

/// Plans a campaign.
pub async fn create(
    district: &District,
    book: &CampaignBook,
    body: &NewCampaign,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Campaign, RecordError> {
    let now = now_ms(now);
    let mut c = plan::prepare(&book.current(), district.atlas().base(), body, by, now)?;
    let ids = district
        .store()
        .insert_campaigns(std::slice::from_ref(&c), false)
        .await?;
    c.id = ids.first().copied().unwrap_or_default();
    Ok(c)
}

/// Changes a campaign from the version the body names. Its kind stays once actions tally its
/// items, and its period keeps every action recorded inside it.
pub async fn update(
    district: &District,
    book: &CampaignBook,
    id: i64,
    body: &NewCampaign,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Campaign, RecordError> {
    let now = now_ms(now);
    let old = find(district, id).await?;
    let from = body.version.ok_or_else(|| {
        RecordError::field("version", "a change names the version it was made from")
    })?;
    if from != old.version {
        return Err(RecordError::conflict(
            "version",
            format!("campaign {id} is at version {}, not {from}", old.version),
        ));
    }
    let mut next = plan::prepare(&book.current(), district.atlas().base(), body, by, now)?;
    let actions = district
        .store()
        .actions(&ActionFilter {
            campaign: Some(id),
            ..ActionFilter::default()
        })
        .await?;
    if next.kind != old.kind && !actions.is_empty() {
        return Err(RecordError::conflict(
            "kind",
            format!(
                "{} actions already tally items of {}",
                actions.len(),
                old.kind
            ),
        ));
    }
    if let Some(outside) = actions
        .iter()
        .find(|a| a.day < next.starts || a.day > next.ends)
    {
        return Err(RecordError::conflict(
            if outside.day < next.starts {
                "starts"
            } else {
                "ends"
            },
            format!(
                "action {} on {} would lie outside the campaign",
                outside.id, outside.day
            ),
        ));
    }
    next.id = id;
    next.version = old.version + 1;
    next.created_by = old.created_by;
    next.created_at = old.created_at;
    match district.store().update_campaign(&next, from).await {
        Ok(()) => Ok(next),
        Err(StoreError::Conflict(what)) => Err(RecordError::conflict(
            "version",
            format!("{what} changed meanwhile; read it again"),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Records an action of campaign `id`.
pub async fn record_action(
    district: &District,
    book: &CampaignBook,
    id: i64,
    body: &NewAction,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Action, RecordError> {
    let now = now_ms(now);
    let campaign = find(district, id).await?;
    let atlas = district.atlas();
    let store = district.store();
    let mut a = actions::prepare(
        &book.current(),
        &atlas,
        store.as_ref(),
        &campaign,
        body,
        by,
        now,
    )
    .await?;
    let ids = store
        .insert_actions(std::slice::from_ref(&a), false)
        .await?;
    a.id = ids.first().copied().unwrap_or_default();
    Ok(a)
}
