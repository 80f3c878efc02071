//! A report becomes a case: located (point or address), resolved to its responsibility, given
//! a deadline, checked for possible duplicates, stored with its first event.

use chrono::{DateTime, Duration, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::{GeocodeCandidate, Location};
use citygrid_core::case::{Case, CaseEvent, CaseId, Reporter, Source, Status};
use citygrid_core::category::CategoryCode;

use super::view::CaseView;
use super::{CaseError, CaseService};
use crate::atlas::{Atlas, GeocodeOptions, LocateOptions};
use crate::projection::LocalProjection;
use crate::store::CaseFilter;

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION: usize = 2000;
/// Two address candidates closer in score than this, and farther apart than
/// [`AMBIGUOUS_APART_M`], make the address ambiguous.
const AMBIGUOUS_SCORE_GAP: f64 = 0.05;
const AMBIGUOUS_APART_M: f64 = 30.0;
/// A best candidate below this score is not trusted without `accept_best`.
const MIN_TRUSTED_SCORE: f64 = 0.6;

/// A report as it arrives.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub category: String,
    pub source: Source,
    pub description: String,
    pub quantity: Option<f64>,
    /// Where, already in WGS 84; or else `address`.
    pub point: Option<LonLat>,
    pub address: Option<String>,
    /// Take the best address candidate even when the address is ambiguous.
    pub accept_best: bool,
    pub reporter: Option<Reporter>,
    /// Photos of the report: hashes of photos stored with [`CaseService::add_photo`].
    pub photos: Vec<String>,
}

pub use citygrid_core::api::cases::{Created, PossibleDuplicate};

fn metres(a: LonLat, b: LonLat) -> f64 {
    let c = LocalProjection::new(a).project(b);
    c.x.hypot(c.y)
}

/// The point an address stands for, unless it is ambiguous or unknown.
fn resolve_address(atlas: &Atlas, text: &str, accept_best: bool) -> Result<LonLat, CaseError> {
    let candidates = atlas.geocode(text, GeocodeOptions { limit: 5 });
    let Some(best) = candidates.first() else {
        return Err(CaseError::field(
            "address",
            format!("no place matches {text:?}"),
        ));
    };
    let rival = candidates.iter().skip(1).any(|c| {
        best.score - c.score < AMBIGUOUS_SCORE_GAP
            && metres(best.point, c.point) > AMBIGUOUS_APART_M
    });
    if !accept_best && (rival || best.score < MIN_TRUSTED_SCORE) {
        return Err(CaseError::Ambiguous {
            candidates: candidates.into_iter().collect::<Vec<GeocodeCandidate>>(),
        });
    }
    Ok(best.point)
}

impl CaseService {
    /// Creates a case at `now`.
    pub async fn create(
        &self,
        new: NewCase,
        actor: &super::Actor,
        now: DateTime<Utc>,
    ) -> Result<Created, CaseError> {
        // Times are stored to the millisecond; the answer shows what a later read would.
        let now = chrono::SubsecRound::trunc_subsecs(now, 3);
        let rules = self.rules();
        let category = rules
            .catalogue
            .get(new.category.trim())
            .ok_or_else(|| {
                CaseError::field("category", format!("unknown category {:?}", new.category))
            })?
            .clone();
        if new.description.chars().count() > MAX_DESCRIPTION {
            return Err(CaseError::field(
                "description",
                format!("is longer than {MAX_DESCRIPTION} characters"),
            ));
        }
        if let Some(q) = new
            .quantity
            .filter(|q| !(q.is_finite() && *q >= 0.0 && *q <= 1e9))
        {
            return Err(CaseError::field(
                "quantity",
                format!("must be a number ≥ 0, got {q}"),
            ));
        }
        self.check_photos("photos", &new.photos).await?;
        let atlas = self.district.atlas();
        let address = new
            .address
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let point = match (new.point, address) {
            (Some(p), _) => p,
            (None, Some(text)) => resolve_address(&atlas, text, new.accept_best)?,
            (None, None) => {
                return Err(CaseError::field(
                    "location",
                    "give a point (lon, lat) or an address",
                ));
            }
        };
        let location: Location = atlas.locate(
            point,
            &LocateOptions {
                at: now,
                ..LocateOptions::default()
            },
        );
        // The public may report only what the bureau answers for; staff may record a case on
        // the boundary.
        if actor.is_public() && location.grid.is_none() && location.community.is_none() {
            return Err(CaseError::OutsideDistrict);
        }
        let deadline = rules.deadline(&category, &location, now);
        // Officers' own reports are accepted at once; others wait for registration (立案).
        let status = match new.source {
            Source::Patrol | Source::Inspection => Status::Registered,
            Source::Hotline | Source::Public | Source::Video => Status::Reported,
        };
        let duplicates = self
            .possible_duplicates(
                &category.code,
                category.duplicate_radius_m,
                category.duplicate_days,
                point,
                actor,
                now,
            )
            .await?;
        let mut case = Case {
            id: CaseId(0),
            category: category.code.clone(),
            source: new.source,
            status,
            description: new.description.trim().to_owned(),
            quantity: new.quantity,
            point,
            address: address.map(str::to_owned),
            location,
            reporter: new
                .reporter
                .filter(|r| r.name.is_some() || r.phone.is_some()),
            assignee: None,
            duplicate_of: None,
            photos: new.photos.clone(),
            created_at: now,
            updated_at: now,
            deadline,
            version: 1,
        };
        let event = CaseEvent {
            seq: 0,
            at: now,
            actor: actor.name.clone(),
            action: "report".to_owned(),
            from: None,
            to: status,
            note: None,
            assignee: None,
            deadline: Some(deadline),
            photo: new.photos.first().cloned(),
            visibility: citygrid_core::case::Visibility::Internal,
        };
        let (id, seq) = self.district.store().insert_case(&case, &event).await?;
        case.id = id;
        // The answer is what was stored: no need to read it back.
        let view = CaseView {
            events: Some(vec![CaseEvent { seq, ..event }]),
            ..super::view::view(case, &rules.calendar, now, actor.sees_contacts())
        };
        self.notify(&view);
        Ok(Created {
            case: view,
            possible_duplicates: duplicates,
        })
    }

    /// Open cases of this category within `radius` metres reported in the last `days` days,
    /// among those the actor may read (a hint never shows a case its own read would deny).
    async fn possible_duplicates(
        &self,
        category: &CategoryCode,
        radius: f64,
        days: u32,
        at: LonLat,
        actor: &super::Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<PossibleDuplicate>, CaseError> {
        if radius <= 0.0 || days == 0 {
            return Ok(Vec::new());
        }
        // A box a little larger than the circle, in degrees; the exact distance decides.
        let dlat = radius / 111_000.0 * 1.01;
        let dlon = dlat / at.lat.to_radians().cos().max(0.01);
        let filter = CaseFilter {
            bbox: Some([at.lon - dlon, at.lat - dlat, at.lon + dlon, at.lat + dlat]),
            statuses: Status::ALL.into_iter().filter(|s| s.is_open()).collect(),
            categories: vec![category.0.clone()],
            created_from: Some(now - Duration::days(i64::from(days))),
            ..CaseFilter::default()
        };
        let nearby = self.district.store().list_cases(&filter, 50).await?;
        Ok(nearby
            .into_iter()
            .filter(|c| actor.reaches(c))
            .map(|c| PossibleDuplicate {
                id: c.id,
                status: c.status,
                distance_m: (metres(at, c.point) * 10.0).round() / 10.0,
                created_at: c.created_at,
            })
            .filter(|d| d.distance_m <= radius)
            .collect())
    }
}
