//! A campaign as planned: its kind from the catalogue, its period, its area's zones,
//! communities and cells as the atlas knows them, its targets and rate bases among the kind's
//! items. Checked whole before anything is stored; a bad field is named as the body names it.

use chrono::{DateTime, Utc};
use citygrid_core::api::campaigns::{Campaign, CampaignArea, NewCampaign};
use citygrid_core::campaign::{CampaignKind, CampaignKinds, MAX_QUANTITY};
use citygrid_core::features::BaseLayers;

use crate::record_error::{RecordError, check_day, check_point, required, trimmed};

/// The longest a campaign may run (a slip of the year, not a plan).
const MAX_DAYS: i64 = 3 * 366;

fn check_area(base: &BaseLayers, area: &CampaignArea) -> Result<(), RecordError> {
    for (i, z) in area.zones.iter().enumerate() {
        if !base.zones.iter().any(|x| x.name == *z) {
            return Err(RecordError::field(
                format!("area.zones[{i}]"),
                format!("there is no zone {z}"),
            ));
        }
    }
    for (i, c) in area.communities.iter().enumerate() {
        if !base.communities.iter().any(|x| x.code.as_str() == c) {
            return Err(RecordError::field(
                format!("area.communities[{i}]"),
                format!("there is no community {c}"),
            ));
        }
    }
    for (i, c) in area.cells.iter().enumerate() {
        if !base.grids.iter().any(|x| x.code.as_str() == c) {
            return Err(RecordError::field(
                format!("area.cells[{i}]"),
                format!("there is no grid cell {c}"),
            ));
        }
    }
    if !area.polygon.is_empty() && area.polygon.len() < 3 {
        return Err(RecordError::field(
            "area.polygon",
            "a drawn area has at least three corners",
        ));
    }
    for (i, p) in area.polygon.iter().enumerate() {
        check_point(&format!("area.polygon[{i}]"), *p)?;
    }
    Ok(())
}

fn check_targets(kind: &CampaignKind, body: &NewCampaign) -> Result<(), RecordError> {
    for (i, t) in body.targets.iter().enumerate() {
        if kind.item(&t.item).is_none() {
            return Err(RecordError::field(
                format!("targets[{i}].item"),
                format!("{:?} is not an item of campaign kind {}", t.item, kind.code),
            ));
        }
        if !t.quantity.is_finite() || t.quantity <= 0.0 || t.quantity > MAX_QUANTITY {
            return Err(RecordError::field(
                format!("targets[{i}].quantity"),
                "a target is a quantity above 0",
            ));
        }
        check_day(&format!("targets[{i}].by"), t.by)?;
        if t.by < body.starts {
            return Err(RecordError::field(
                format!("targets[{i}].by"),
                "a target's date lies within the campaign",
            ));
        }
    }
    for (i, b) in body.bases.iter().enumerate() {
        match kind.item(&b.item) {
            Some(item) if item.rate => {}
            Some(_) => {
                return Err(RecordError::field(
                    format!("bases[{i}].item"),
                    format!("{} is not counted as a rate", b.item),
                ));
            }
            None => {
                return Err(RecordError::field(
                    format!("bases[{i}].item"),
                    format!("{:?} is not an item of campaign kind {}", b.item, kind.code),
                ));
            }
        }
        if !b.of.is_finite() || b.of <= 0.0 || b.of > MAX_QUANTITY {
            return Err(RecordError::field(
                format!("bases[{i}].of"),
                "a rate's base is a number above 0",
            ));
        }
    }
    Ok(())
}

/// Checks a planned campaign; what is returned is ready to store (id 0, version 1).
pub fn prepare(
    kinds: &CampaignKinds,
    base: &BaseLayers,
    body: &NewCampaign,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Campaign, RecordError> {
    let name = required("name", &body.name, 200)?;
    let kind = kinds.kind(&body.kind).ok_or_else(|| {
        RecordError::field(
            "kind",
            format!(
                "there is no campaign kind {:?} (GET /campaign-kinds)",
                body.kind
            ),
        )
    })?;
    check_day("starts", body.starts)?;
    check_day("ends", body.ends)?;
    if body.ends < body.starts {
        return Err(RecordError::field(
            "ends",
            "a campaign ends on or after it starts",
        ));
    }
    if (body.ends - body.starts).num_days() > MAX_DAYS {
        return Err(RecordError::field(
            "ends",
            format!("a campaign runs at most {MAX_DAYS} days"),
        ));
    }
    let lead_team = required("lead_team", &body.lead_team, 200)?;
    check_area(base, &body.area)?;
    check_targets(kind, body)?;
    Ok(Campaign {
        id: 0,
        version: 1,
        name,
        kind: kind.code.clone(),
        kind_name_zh: kind.name_zh.clone(),
        kind_name_en: kind.name_en.clone(),
        starts: body.starts,
        ends: body.ends,
        area: body.area.clone(),
        lead_team,
        targets: body.targets.clone(),
        bases: body.bases.clone(),
        note: trimmed(body.note.as_ref()),
        created_by: by.to_owned(),
        created_at: now,
        updated_by: by.to_owned(),
        updated_at: now,
    })
}
