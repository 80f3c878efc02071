//! Door-front shops (FIELDWORK §3): each surveyed shop's current rating — its latest survey's
//! band, with the band's colour for the map — and the shop records still lacking a contact, a
//! phone or a licence.

use std::collections::HashMap;

use citygrid_core::api::assessments::{Assessment, IncompleteShop, ShopRating, Subject};
use citygrid_core::checklist::{AssessmentKind, Checklists};
use citygrid_core::features::Shop;

use crate::store::{AssessmentFilter, Store, StoreError};

/// Each surveyed shop's latest door-front survey (by time, then id) and how many it had.
pub fn latest_surveys(surveys: &[Assessment]) -> HashMap<&str, (&Assessment, u32)> {
    let mut latest: HashMap<&str, (&Assessment, u32)> = HashMap::new();
    for a in surveys
        .iter()
        .filter(|a| a.kind == AssessmentKind::DoorFront)
    {
        let Subject::Shop(code) = &a.subject else {
            continue;
        };
        let slot = latest.entry(code.as_str()).or_insert((a, 0));
        slot.1 += 1;
        if (a.at, a.id) > (slot.0.at, slot.0.id) {
            slot.0 = a;
        }
    }
    latest
}

/// Each surveyed shop's latest rating, by shop code.
pub fn ratings(surveys: &[Assessment], templates: &Checklists) -> Vec<ShopRating> {
    let latest = latest_surveys(surveys);
    let mut out: Vec<ShopRating> = latest
        .into_values()
        .filter_map(|(a, surveys)| {
            let Subject::Shop(code) = &a.subject else {
                return None;
            };
            let band = templates
                .get(&a.checklist, a.version)
                .and_then(|c| c.bands.iter().find(|b| b.code == a.score.rating));
            Some(ShopRating {
                shop: code.clone(),
                rating: a.score.rating.clone(),
                rating_name: band.map_or_else(|| a.score.rating.clone(), |b| b.name_zh.clone()),
                colour: band.map_or_else(|| "#64748b".to_owned(), |b| b.colour.clone()),
                score: a.score.score,
                at: a.at,
                assessment: a.id,
                surveys,
            })
        })
        .collect();
    out.sort_by(|a, b| a.shop.cmp(&b.shop));
    out
}

/// The ratings from the store's door-front surveys.
pub async fn read_ratings(
    store: &dyn Store,
    templates: &Checklists,
) -> Result<Vec<ShopRating>, StoreError> {
    let surveys = store
        .assessments(&AssessmentFilter {
            kind: Some(AssessmentKind::DoorFront),
            subject_type: Some("shop".to_owned()),
            ..AssessmentFilter::default()
        })
        .await?;
    Ok(ratings(&surveys, templates))
}

/// What a shop's record lacks, if anything.
pub fn missing(shop: &Shop) -> Vec<String> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
    [
        ("contact", &shop.contact),
        ("phone", &shop.phone),
        ("license", &shop.license),
    ]
    .into_iter()
    .filter(|(_, v)| blank(v))
    .map(|(k, _)| k.to_owned())
    .collect()
}

/// The shops whose record is incomplete, in the layer's order.
pub fn incomplete(shops: &[Shop]) -> Vec<IncompleteShop> {
    shops
        .iter()
        .filter_map(|s| {
            let missing = missing(s);
            (!missing.is_empty()).then(|| IncompleteShop {
                code: s.code.clone(),
                name: s.name.clone(),
                address: s.address.clone(),
                missing,
            })
        })
        .collect()
}
