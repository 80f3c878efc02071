//! A campaign's figures: its actions' tallies summed by citygrid-core, the cases found during
//! them with where each stands now, and the assessments made for it.

use chrono::{DateTime, Utc};
use citygrid_core::api::campaigns::{Action, Campaign, CampaignFigures, LinkedCase};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::campaign::{ActionFact, CampaignKinds, figures};
use citygrid_core::case::CaseId;

use crate::record_error::RecordError;
use crate::store::{AssessmentFilter, Store};

/// What the tallies of `actions` come to for `campaign`.
pub fn tallies(
    kinds: &CampaignKinds,
    campaign: &Campaign,
    actions: &[Action],
) -> citygrid_core::campaign::TallyFigures {
    let facts: Vec<ActionFact<'_>> = actions
        .iter()
        .map(|a| ActionFact {
            date: a.day,
            community: a.community.as_deref(),
            tallies: &a.tallies,
        })
        .collect();
    let empty = citygrid_core::campaign::CampaignKind {
        code: campaign.kind.clone(),
        name_zh: campaign.kind_name_zh.clone(),
        name_en: campaign.kind_name_en.clone(),
        items: Vec::new(),
    };
    let kind = kinds.kind(&campaign.kind).unwrap_or(&empty);
    figures(kind, &campaign.targets, &campaign.bases, &facts)
}

/// The whole figures of a campaign.
pub async fn campaign_figures(
    store: &dyn Store,
    kinds: &CampaignKinds,
    calendar: &WorkingCalendar,
    campaign: &Campaign,
    actions: &[Action],
    now: DateTime<Utc>,
) -> Result<CampaignFigures, RecordError> {
    let mut ids: Vec<i64> = actions
        .iter()
        .flat_map(|a| a.cases.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut cases = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = store.get_case(CaseId(id)).await? {
            let v = crate::cases::view::view(c, calendar, now, false);
            cases.push(LinkedCase {
                id,
                category: v.case.category.as_str().to_owned(),
                status: v.case.status.as_str().to_owned(),
                overdue: v.overdue,
            });
        }
    }
    let mut assessments: Vec<i64> = store
        .assessments(&AssessmentFilter {
            campaign: Some(campaign.id),
            ..AssessmentFilter::default()
        })
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    assessments.sort_unstable();
    Ok(CampaignFigures {
        campaign: campaign.id,
        tallies: tallies(kinds, campaign, actions),
        cases,
        assessments,
    })
}
