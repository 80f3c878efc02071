//! An action of a campaign as its team recorded it: its time within the campaign's period,
//! its place resolved by the atlas to grid cell, community and zones (an area by its inner
//! point), the officers among the district's, the photos and cases it names, and each tally
//! checked against the campaign kind's items.

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::campaigns::{Action, ActionPlace, Campaign, NewAction};
use citygrid_core::campaign::{CampaignKinds, check_tally};
use citygrid_core::case::CaseId;
use geo::InteriorPoint;

use crate::atlas::{Atlas, LocateOptions};
use crate::record_error::{RecordError, check_point, trimmed};
use crate::store::Store;

/// How far in the future an action's time may lie (clocks differ).
const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);
/// The most tallies, officers, vehicles, photos or cases one action lists.
const MAX_LIST: usize = 100;

/// The point an action is placed by: its point, or an inner point of its area.
fn place_point(place: &ActionPlace) -> Result<LonLat, RecordError> {
    match place {
        ActionPlace::Point { at } => {
            check_point("place.at", *at)?;
            Ok(*at)
        }
        ActionPlace::Area { ring } => {
            if ring.len() < 3 {
                return Err(RecordError::field(
                    "place.ring",
                    "an area has at least three corners",
                ));
            }
            for (i, p) in ring.iter().enumerate() {
                check_point(&format!("place.ring[{i}]"), *p)?;
            }
            let polygon = geo::Polygon::new(
                geo::LineString::from(ring.iter().map(|p| (p.lon, p.lat)).collect::<Vec<_>>()),
                Vec::new(),
            );
            polygon
                .interior_point()
                .and_then(|p| LonLat::new(p.x(), p.y()).ok())
                .ok_or_else(|| RecordError::field("place.ring", "the area has no inside"))
        }
    }
}

fn listed<'a>(field: &str, items: &'a [String]) -> Result<Vec<String>, RecordError> {
    if items.len() > MAX_LIST {
        return Err(RecordError::field(
            field,
            format!("at most {MAX_LIST} in one action"),
        ));
    }
    Ok(items
        .iter()
        .map(|s: &'a String| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

/// Checks an action of `campaign`; what is returned is ready to store (id 0).
pub async fn prepare(
    kinds: &CampaignKinds,
    atlas: &Atlas,
    store: &dyn Store,
    campaign: &Campaign,
    body: &NewAction,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Action, RecordError> {
    let at = body.at.unwrap_or(now);
    if at > now + CLOCK_SLACK {
        return Err(RecordError::field("at", "lies in the future"));
    }
    let tz = atlas.timezone();
    let day = at.with_timezone(&tz).date_naive();
    crate::record_error::check_day("at", day)?;
    if day < campaign.starts || day > campaign.ends {
        return Err(RecordError::field(
            "at",
            format!(
                "{day} lies outside the campaign's period {} – {}",
                campaign.starts, campaign.ends
            ),
        ));
    }
    let kind = kinds.kind(&campaign.kind).ok_or_else(|| {
        RecordError::field(
            "campaign",
            format!("campaign kind {} is unknown", campaign.kind),
        )
    })?;
    if body.tallies.len() > MAX_LIST {
        return Err(RecordError::field("tallies", format!("at most {MAX_LIST}")));
    }
    for (i, t) in body.tallies.iter().enumerate() {
        check_tally(kind, t, &format!("tallies[{i}]"))?;
    }
    let point = place_point(&body.place)?;
    let officers = listed("officers", &body.officers)?;
    for (i, o) in officers.iter().enumerate() {
        if !atlas.base().officers.iter().any(|x| x.code.as_str() == o) {
            return Err(RecordError::field(
                format!("officers[{i}]"),
                format!("there is no officer {o}"),
            ));
        }
    }
    let vehicles = listed("vehicles", &body.vehicles)?;
    let photos = listed("photos", &body.photos)?;
    for (i, hash) in photos.iter().enumerate() {
        if !store.has_photo(hash).await? {
            return Err(RecordError::field(
                format!("photos[{i}]"),
                format!("no photo {hash}: upload it first with POST /photos"),
            ));
        }
    }
    if body.cases.len() > MAX_LIST {
        return Err(RecordError::field("cases", format!("at most {MAX_LIST}")));
    }
    for (i, id) in body.cases.iter().enumerate() {
        let found = *id > 0 && store.get_case(CaseId(*id)).await?.is_some();
        if !found {
            return Err(RecordError::field(
                format!("cases[{i}]"),
                format!("there is no case {id}"),
            ));
        }
    }
    let location = atlas.locate(
        point,
        &LocateOptions {
            at,
            ..LocateOptions::default()
        },
    );
    Ok(Action {
        id: 0,
        campaign: campaign.id,
        at,
        day,
        place: body.place.clone(),
        cell: location.grid.map(|g| g.code.as_str().to_owned()),
        community: location.community.map(|c| c.code.as_str().to_owned()),
        zones: location.zones.iter().map(|z| z.name.to_string()).collect(),
        officers,
        vehicles,
        note: trimmed(body.note.as_ref()),
        photos,
        tallies: body.tallies.clone(),
        cases: body.cases.clone(),
        recorded_by: by.to_owned(),
        recorded_at: now,
    })
}
