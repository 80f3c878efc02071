//! An application as the desk receives it: its type from the catalogue, the applicant (a
//! name, a contact, a credit code checked by its check character), what it is for, and its
//! place — a shop, a position or an address — resolved by the atlas to shop, grid cell and
//! community. A shop-sign filing names its shop and its sign.

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::approvals::{
    Applicant, Application, ApplicationPlace, ApplicationStatus, NewApplication,
};
use citygrid_core::approval::{ApprovalTypes, check_credit_code};
use citygrid_core::features::ShopFront;
use geo::InteriorPoint;

use crate::atlas::{Atlas, LocateOptions};
use crate::record_error::{RecordError, check_day, check_point, required, trimmed};

/// How far in the future a receipt time may lie (clocks differ).
const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);

fn applicant(a: &Applicant) -> Result<Applicant, RecordError> {
    Ok(Applicant {
        name: required("applicant.name", &a.name, 200)?,
        credit_code: match trimmed(a.credit_code.as_ref()) {
            None => None,
            Some(code) => Some(
                check_credit_code(&code)
                    .map_err(|e| RecordError::field("applicant.credit_code", e))?,
            ),
        },
        contact: required("applicant.contact", &a.contact, 100)?,
    })
}

/// The shop's door (or its front's inner point).
fn shop_point(front: &ShopFront) -> Option<LonLat> {
    let p = match front {
        ShopFront::Door(p) => Some(*p),
        ShopFront::Area(a) => a.interior_point(),
    }?;
    LonLat::new(p.x(), p.y()).ok()
}

/// Checks an application; what is returned is ready to store (id 0, no number yet).
pub fn prepare(
    types: &ApprovalTypes,
    atlas: &Atlas,
    body: &NewApplication,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Application, RecordError> {
    let t = types.get(&body.kind).ok_or_else(|| {
        RecordError::field(
            "type",
            format!(
                "there is no approval type {:?} (GET /approval-types)",
                body.kind
            ),
        )
    })?;
    let applicant = applicant(&body.applicant)?;
    let subject = required("subject", &body.subject, 500)?;
    let received_at = body.received_at.unwrap_or(now);
    if received_at > now + CLOCK_SLACK {
        return Err(RecordError::field("received_at", "lies in the future"));
    }
    check_day("received_at", received_at.date_naive())?;
    let place = ApplicationPlace {
        position: body.place.position,
        shop: trimmed(body.place.shop.as_ref()),
        address: trimmed(body.place.address.as_ref()),
    };
    if let Some(p) = place.position {
        check_point("place.position", p)?;
    }
    let shop = match &place.shop {
        Some(code) => Some(
            atlas
                .base()
                .shops
                .iter()
                .find(|s| s.code.as_str() == code)
                .ok_or_else(|| {
                    RecordError::field("place.shop", format!("there is no shop {code}"))
                })?,
        ),
        None => None,
    };
    if place.position.is_none() && shop.is_none() && place.address.is_none() {
        return Err(RecordError::field(
            "place",
            "an application names its shop, a position or an address",
        ));
    }
    if t.shop_sign {
        if shop.is_none() {
            return Err(RecordError::field(
                "place.shop",
                format!("a {} names the shop whose sign it is", t.name_zh),
            ));
        }
        match &body.sign {
            Some(s) if !s.text.trim().is_empty() => {
                if let Some(a) = s.area_m2
                    && !(a.is_finite() && a > 0.0 && a < 10_000.0)
                {
                    return Err(RecordError::field(
                        "sign.area_m2",
                        "a sign's area is above 0 m²",
                    ));
                }
            }
            _ => {
                return Err(RecordError::field(
                    "sign.text",
                    "a sign filing gives the sign's words",
                ));
            }
        }
    }
    let point = place
        .position
        .or_else(|| shop.and_then(|s| shop_point(&s.front)));
    let location = point.map(|p| {
        atlas.locate(
            p,
            &LocateOptions {
                at: received_at,
                ..LocateOptions::default()
            },
        )
    });
    Ok(Application {
        id: 0,
        number: String::new(),
        version: 1,
        kind: t.code.clone(),
        type_name_zh: t.name_zh.clone(),
        type_name_en: t.name_en.clone(),
        mode: t.mode,
        limit: t.limit,
        applicant: Some(applicant),
        subject,
        place,
        shop_name: shop.map(|s| s.name.clone()),
        cell: location
            .as_ref()
            .and_then(|l| l.grid.as_ref())
            .map(|g| g.code.as_str().to_owned()),
        community: location
            .as_ref()
            .and_then(|l| l.community.as_ref())
            .map(|c| c.code.as_str().to_owned()),
        received_at,
        materials: body
            .materials
            .iter()
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .collect(),
        sign: if t.shop_sign { body.sign.clone() } else { None },
        note: trimmed(body.note.as_ref()),
        status: ApplicationStatus::Received,
        steps: Vec::new(),
        clock: citygrid_core::approval::Clock {
            limit_minutes: 0,
            used_minutes: 0,
            deadline: None,
            paused: false,
            overdue: false,
            on_time: None,
            same_day: None,
        },
        recorded_by: by.to_owned(),
        recorded_at: now,
    })
}
