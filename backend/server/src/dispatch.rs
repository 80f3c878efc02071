//! Dispatch (DESIGN §7): officers' duty status and positions, the street graph of the current
//! atlas, and the officers ranked by travel time for a case.

pub mod roster;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use citygrid_core::LonLat;
use citygrid_core::access::{Permission, Reach};
use citygrid_core::account::{Role, User};
use citygrid_core::case::Case;
use citygrid_core::features::Officer;
use citygrid_core::ids::{GridCode, OfficerCode};
use citygrid_core::officer::{DutyStatus, Fix, Shift, StatusChange};

pub use roster::Roster;

use crate::district::District;
use crate::routing::ranking::{Spot, rank};
use crate::routing::{Mode, SearchSpace, Speeds, StreetGraph};
use crate::store::StoreError;

/// How old a fix may be for its officer to be ranked (default 10 minutes).
pub const DEFAULT_FRESHNESS_MINUTES: i64 = 10;
/// How long fixes are kept (default 30 days).
pub const DEFAULT_RETENTION_DAYS: i64 = 30;
/// The most fixes one request may carry.
pub const MAX_FIXES: usize = 1000;

/// Why a dispatch operation was refused. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
    #[error("no officer {0}")]
    UnknownOfficer(String),
    /// The user may not act for, or see, this officer.
    #[error("{0}")]
    OutOfReach(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub use citygrid_core::api::dispatch::{Candidates, OfficerView};

/// An officer to add or change.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficerSpec {
    pub code: String,
    pub name: String,
    pub team: Option<String>,
    pub phone: Option<String>,
    pub grids: Vec<String>,
}

/// The longest shift that may be planned.
pub const MAX_SHIFT_HOURS: i64 = 24;

/// The largest accuracy a fix may claim, in metres: a phone that knows its position no better
/// than this has no position worth storing.
pub const MAX_ACCURACY_M: f64 = 10_000.0;

#[derive(Debug, Clone)]
pub struct Dispatch {
    district: District,
    roster: Roster,
    speeds: Arc<Speeds>,
    freshness: Duration,
    retention: Duration,
    /// The graph of the atlas it was built from: rebuilt when the atlas changes.
    graph: Arc<crate::atlas::derived::Derived<StreetGraph>>,
}

thread_local! {
    static SPACE: std::cell::RefCell<SearchSpace> = std::cell::RefCell::new(SearchSpace::default());
}

impl Dispatch {
    pub fn new(district: District, roster: Roster) -> Self {
        Self {
            district,
            roster,
            speeds: Arc::default(),
            freshness: Duration::minutes(DEFAULT_FRESHNESS_MINUTES),
            retention: Duration::days(DEFAULT_RETENTION_DAYS),
            graph: Arc::default(),
        }
    }

    /// With other speeds, freshness window and retention period.
    #[must_use]
    pub fn with_settings(
        mut self,
        speeds: Speeds,
        freshness: Duration,
        retention: Duration,
    ) -> Self {
        self.speeds = Arc::new(speeds);
        self.freshness = freshness;
        self.retention = retention;
        self
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    pub fn district(&self) -> &District {
        &self.district
    }

    /// The street graph of the current atlas (built on first use after each change).
    pub fn graph(&self) -> Arc<StreetGraph> {
        let speeds = self.speeds.clone();
        self.graph.get(&self.district.atlas(), |atlas| {
            StreetGraph::build(&atlas.base().streets, atlas.projection(), &speeds)
        })
    }

    fn officer_exists(&self, code: &str) -> bool {
        self.district
            .atlas()
            .base()
            .officers
            .iter()
            .any(|o| o.code.as_str() == code)
    }

    /// Sets an officer's duty status.
    pub async fn set_status(&self, change: StatusChange) -> Result<StatusChange, DispatchError> {
        if !self.officer_exists(&change.officer) {
            return Err(DispatchError::UnknownOfficer(change.officer));
        }
        Ok(self.roster.set_status(change).await?)
    }

    /// Takes an officer's fixes: each checked (a WGS 84 point, a non-negative accuracy, not
    /// taken in the future), all stored or none. The fixes that became current.
    pub async fn add_fixes(
        &self,
        officer: &str,
        fixes: Vec<Fix>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Fix>, DispatchError> {
        if !self.officer_exists(officer) {
            return Err(DispatchError::UnknownOfficer(officer.to_owned()));
        }
        let field = |i: usize, name: &str, problem: String| DispatchError::Field {
            field: format!("fixes[{i}].{name}"),
            problem,
        };
        if fixes.is_empty() || fixes.len() > MAX_FIXES {
            return Err(DispatchError::Field {
                field: "fixes".into(),
                problem: format!("send 1 to {MAX_FIXES} fixes"),
            });
        }
        for (i, f) in fixes.iter().enumerate() {
            if let Err(e) = LonLat::new(f.lon, f.lat) {
                return Err(field(i, "lon", e.to_string()));
            }
            if f.accuracy_m
                .is_some_and(|a| !(a.is_finite() && (0.0..=MAX_ACCURACY_M).contains(&a)))
            {
                return Err(field(
                    i,
                    "accuracy_m",
                    format!("must be a number of metres from 0 to {MAX_ACCURACY_M}"),
                ));
            }
            if f.at > now + Duration::minutes(2) {
                return Err(field(i, "at", "is in the future".into()));
            }
        }
        let fixes: Vec<Fix> = fixes
            .into_iter()
            .map(|f| Fix {
                officer: officer.to_owned(),
                at: chrono::SubsecRound::trunc_subsecs(f.at, 3),
                ..f
            })
            .collect();
        Ok(self.roster.add_fixes(&fixes, now).await?)
    }

    fn fresh(&self, fix: &Fix, now: DateTime<Utc>) -> bool {
        now - fix.at <= self.freshness
    }

    /// Whether `viewer` may see the position of an officer answering for `grids`: those who
    /// may see positions at all, a supervisor only of officers working in their area.
    pub fn sees_position(&self, viewer: &User, grids: &[String]) -> bool {
        if !Permission::SeePositions.granted_to(viewer.role) {
            return false;
        }
        let reach = Reach::of(viewer);
        if !matches!(reach, Reach::Areas(_)) {
            return true;
        }
        let atlas = self.district.atlas();
        let community_of = |code: &str| atlas.community_of_grid(code).map(str::to_owned);
        grids.iter().any(|g| reach.may_name(g, community_of))
    }

    /// An officer reports only their own status and position; dispatchers and admins anyone's.
    pub fn acts_for(&self, user: &User, officer: &str) -> Result<(), DispatchError> {
        match user.role {
            Role::Officer if user.officer.as_deref() != Some(officer) => {
                Err(DispatchError::OutOfReach(
                    "an officer may only report their own status and position".into(),
                ))
            }
            _ => Ok(()),
        }
    }

    /// The officers whose positions `viewer` may see.
    pub fn visible_officers(&self, viewer: &User) -> std::collections::HashSet<String> {
        self.district
            .atlas()
            .base()
            .officers
            .iter()
            .filter(|o| {
                let grids: Vec<String> = o.grids.iter().map(ToString::to_string).collect();
                self.sees_position(viewer, &grids)
            })
            .map(|o| o.code.to_string())
            .collect()
    }

    /// The grid cells an officer answers for.
    fn grids_of(&self, officer: &str) -> Result<Vec<String>, DispatchError> {
        self.district
            .atlas()
            .base()
            .officers
            .iter()
            .find(|o| o.code.as_str() == officer)
            .map(|o| o.grids.iter().map(ToString::to_string).collect())
            .ok_or_else(|| DispatchError::UnknownOfficer(officer.to_owned()))
    }

    /// Every officer with their status and shift; positions only of those `viewer` may see.
    pub async fn officers(
        &self,
        now: DateTime<Utc>,
        viewer: &User,
    ) -> Result<Vec<OfficerView>, DispatchError> {
        let live = self.roster.snapshot();
        let shifts = self
            .district
            .store()
            .shifts(None, now..now + Duration::days(1))
            .await?;
        Ok(self
            .district
            .atlas()
            .base()
            .officers
            .iter()
            .map(|o| {
                let state = live.get(o.code.as_str()).cloned().unwrap_or_default();
                let grids: Vec<String> = o.grids.iter().map(ToString::to_string).collect();
                let known = state.fix.as_ref().is_some_and(|f| self.fresh(f, now));
                let shift = shifts
                    .iter()
                    .find(|s| s.officer == o.code.as_str())
                    .cloned();
                OfficerView {
                    code: o.code.to_string(),
                    name: o.name.clone(),
                    team: o.team.clone(),
                    status: state.status(),
                    status_since: state.status.as_ref().map(|s| s.at),
                    position: state.fix.filter(|_| self.sees_position(viewer, &grids)),
                    position_known: known,
                    on_shift: shift.as_ref().is_some_and(|s| s.starts_at <= now),
                    shift,
                    grids,
                }
            })
            .collect())
    }

    /// Adds an officer, or changes the one with this code.
    pub async fn put_officer(&self, spec: OfficerSpec) -> Result<Officer, DispatchError> {
        let field = |f: &str, p: &str| DispatchError::Field {
            field: f.to_owned(),
            problem: p.to_owned(),
        };
        let code = spec.code.trim();
        let code_ok = (1..=32).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !code_ok {
            return Err(field("code", "1–32 letters, digits, '-' or '_'"));
        }
        let name = spec.name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(field("name", "is required (at most 64 characters)"));
        }
        let atlas = self.district.atlas();
        if let Some(unknown) = spec.grids.iter().find(|g| {
            !atlas
                .base()
                .grids
                .iter()
                .any(|c| c.code.as_str() == g.as_str())
        }) {
            return Err(field(
                "grids",
                &format!("{unknown:?} is not a grid cell code"),
            ));
        }
        let officer = Officer {
            code: OfficerCode::from(code),
            name: name.to_owned(),
            team: spec
                .team
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            phone: spec
                .phone
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            grids: spec
                .grids
                .iter()
                .map(|g| GridCode::from(g.as_str()))
                .collect(),
        };
        let stored = officer.clone();
        self.district
            .edit_officers(|officers| {
                match officers.iter_mut().find(|o| o.code == stored.code) {
                    Some(existing) => *existing = stored,
                    None => officers.push(stored),
                }
                Ok::<(), DispatchError>(())
            })
            .await?;
        Ok(officer)
    }

    /// Removes an officer (their cases keep their code; their history stays).
    pub async fn remove_officer(&self, code: &str) -> Result<(), DispatchError> {
        self.district
            .edit_officers(|officers| {
                let before = officers.len();
                officers.retain(|o| o.code.as_str() != code);
                if officers.len() == before {
                    return Err(DispatchError::UnknownOfficer(code.to_owned()));
                }
                Ok(())
            })
            .await
    }

    /// Plans a shift: it must end after it starts and last at most a day.
    pub async fn plan_shift(&self, shift: Shift, actor: &str) -> Result<Shift, DispatchError> {
        if !self.officer_exists(&shift.officer) {
            return Err(DispatchError::UnknownOfficer(shift.officer));
        }
        if shift.ends_at <= shift.starts_at
            || shift.ends_at - shift.starts_at > Duration::hours(MAX_SHIFT_HOURS)
        {
            return Err(DispatchError::Field {
                field: "ends_at".into(),
                problem: format!("must be after starts_at, at most {MAX_SHIFT_HOURS} hours later"),
            });
        }
        self.district.store().insert_shift(&shift, actor).await?;
        Ok(shift)
    }

    /// An officer's shifts overlapping `[from, to)`.
    pub async fn shifts(
        &self,
        officer: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Shift>, DispatchError> {
        if !self.officer_exists(officer) {
            return Err(DispatchError::UnknownOfficer(officer.to_owned()));
        }
        Ok(self
            .district
            .store()
            .shifts(Some(officer), from..to)
            .await?)
    }

    /// The officers who can go to `case`, ranked by travel time (DESIGN §7): on duty, not busy,
    /// with a fresh fix.
    pub fn candidates(&self, case: &Case, k: usize, mode: Mode, now: DateTime<Utc>) -> Candidates {
        let atlas = self.district.atlas();
        let proj = atlas.projection();
        let live = self.roster.snapshot();
        let grid = case.location.grid.as_ref().map(|g| g.code.as_str());
        let mut spots = Vec::new();
        let mut unknown = Vec::new();
        for o in &atlas.base().officers {
            let Some(state) = live.get(o.code.as_str()) else {
                continue;
            };
            if state.status() != DutyStatus::OnDuty {
                continue;
            }
            match state.fix.as_ref().filter(|f| self.fresh(f, now)) {
                Some(f) => spots.push(Spot {
                    code: o.code.to_string(),
                    at: proj.project(LonLat {
                        lon: f.lon,
                        lat: f.lat,
                    }),
                    responsible: grid.is_some_and(|g| o.grids.iter().any(|c| c.as_str() == g)),
                }),
                None => unknown.push(o.code.to_string()),
            }
        }
        let graph = self.graph();
        let place = proj.project(case.point);
        let (candidates, considered) = SPACE.with(|s| {
            rank(
                &graph,
                &self.speeds,
                mode,
                place,
                &spots,
                k,
                &mut s.borrow_mut(),
            )
        });
        Candidates {
            mode,
            candidates,
            considered,
            position_unknown: unknown,
        }
    }

    /// An officer's fixes in `[from, to)`.
    /// An officer's fixes taken in `[from, to)`, for a viewer who may see them.
    pub async fn fixes(
        &self,
        officer: &str,
        taken: std::ops::Range<DateTime<Utc>>,
        viewer: &User,
    ) -> Result<Vec<Fix>, DispatchError> {
        let grids = self.grids_of(officer)?;
        if !self.sees_position(viewer, &grids) {
            return Err(DispatchError::OutOfReach(format!(
                "{officer} works outside the area you answer for"
            )));
        }
        Ok(self.district.store().fixes(officer, taken).await?)
    }

    /// An officer's status history, newest first.
    pub async fn status_history(&self, officer: &str) -> Result<Vec<StatusChange>, DispatchError> {
        if !self.officer_exists(officer) {
            return Err(DispatchError::UnknownOfficer(officer.to_owned()));
        }
        Ok(self.district.store().status_history(officer, 500).await?)
    }

    /// Deletes fixes older than the retention period; how many.
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64, DispatchError> {
        Ok(self
            .district
            .store()
            .delete_fixes_before(now - self.retention)
            .await?)
    }
}
