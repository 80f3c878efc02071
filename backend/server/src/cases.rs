//! The case service: reports arrive, are resolved to their responsibility and given a deadline,
//! and move through the closed loop. Every change is one store transaction with its event.

mod actor;
mod catalogue_edit;
mod create;
pub mod csv_io;
pub use catalogue_edit::CatalogueEditError;
pub mod exif;
mod map_points;
pub mod photos;
pub mod rules;
mod transition;
pub(crate) mod view;

use std::sync::Arc;

use citygrid_core::api::GeocodeCandidate;
use citygrid_core::case::{Action, CaseId, Status};

pub use actor::Actor;
pub use create::{Created, NewCase, PossibleDuplicate};
pub use map_points::MapPoints;
pub use rules::CaseRules;

pub use view::CaseView;

use crate::district::District;
use crate::store::StoreError;

/// Why a case operation was refused. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
    #[error("the address matches several places; choose one or set accept_best")]
    Ambiguous { candidates: Vec<GeocodeCandidate> },
    #[error("no case {0}")]
    NotFound(CaseId),
    #[error("{action} is not allowed when the case is {status}")]
    NotAllowed {
        status: Status,
        action: Action,
        allowed: Vec<Action>,
    },
    /// The actor's role may not take this action (on any case).
    #[error("a {role} may not {action} a case")]
    Forbidden { role: &'static str, action: Action },
    #[error("the case changed meanwhile (now version {current}); read it again")]
    Conflict { current: i64 },
    /// A public report of a place outside the district (no grid cell or community there).
    #[error("the point is outside the district")]
    OutsideDistrict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CaseError {
    pub fn field(field: &'static str, problem: impl Into<String>) -> Self {
        CaseError::Field {
            field,
            problem: problem.into(),
        }
    }
}

/// Cases over the district's store and atlas.
#[derive(Debug, Clone)]
pub struct CaseService {
    district: District,
    /// Swapped whole when an admin changes the catalogue.
    rules: Arc<arc_swap::ArcSwap<CaseRules>>,
    /// Where the catalogue was given on the command line, if it was: it is then not editable.
    catalogue_file: Option<Arc<str>>,
    /// The sequence number of the latest event stored through this service: listeners wake on
    /// a change and read what is new from the store, so nothing is lost between wake-ups.
    latest: Arc<tokio::sync::watch::Sender<i64>>,
    /// Officers' duty status, kept in step with dispatches (none in tools without dispatch).
    roster: Option<crate::dispatch::Roster>,
}

impl CaseService {
    pub fn new(district: District, rules: Arc<CaseRules>) -> Self {
        Self {
            district,
            rules: Arc::new(arc_swap::ArcSwap::new(rules)),
            catalogue_file: None,
            latest: Arc::new(tokio::sync::watch::Sender::new(0)),
            roster: None,
        }
    }

    /// The district the cases are in.
    pub fn district(&self) -> &District {
        &self.district
    }

    /// With officers' duty status kept in step with dispatches.
    #[must_use]
    pub fn with_roster(mut self, roster: crate::dispatch::Roster) -> Self {
        self.roster = Some(roster);
        self
    }

    /// Wakes listeners: the case's events are stored.
    fn notify(&self, view: &CaseView) {
        if let Some(seq) = view.events.as_ref().and_then(|e| e.last()).map(|e| e.seq) {
            self.notify_seq(seq);
        }
    }

    /// Wakes listeners: events up to `seq` are stored (here or, on a shared database, by
    /// another server).
    pub fn notify_seq(&self, seq: i64) {
        self.latest.send_if_modified(|latest| {
            let newer = seq > *latest;
            if newer {
                *latest = seq;
            }
            newer
        });
    }

    /// A receiver that changes whenever new events are stored.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
        self.latest.subscribe()
    }

    /// Stored events after `after` of cases within the actor's reach, for a listener.
    pub async fn events_after(
        &self,
        after: i64,
        filter: &crate::store::LiveFilter,
        actor: &Actor,
        limit: usize,
    ) -> Result<Vec<citygrid_core::case::LiveEvent>, CaseError> {
        let filter = crate::store::LiveFilter {
            reach: actor.reach().clone(),
            ..filter.clone()
        };
        Ok(self
            .district
            .store()
            .events_after(&filter, crate::store::Page { after, limit })
            .await?)
    }

    /// The latest stored event's sequence number.
    pub async fn latest_event_seq(&self) -> Result<i64, CaseError> {
        Ok(self.district.store().latest_event_seq().await?)
    }

    /// The rules now (a snapshot: a catalogue change made meanwhile applies to the next call).
    pub fn rules(&self) -> Arc<CaseRules> {
        self.rules.load_full()
    }

    /// A case within the actor's reach; one outside it is answered exactly as one that does
    /// not exist, so that ids cannot be probed.
    pub(crate) async fn reachable(
        &self,
        id: CaseId,
        actor: &Actor,
    ) -> Result<citygrid_core::case::Case, CaseError> {
        let case = self
            .district
            .store()
            .get_case(id)
            .await?
            .filter(|c| actor.reaches(c));
        case.ok_or(CaseError::NotFound(id))
    }

    /// A case with its full history, as the actor may see it (a public client without the
    /// notes that are internal).
    pub async fn get(
        &self,
        id: CaseId,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CaseView, CaseError> {
        let store = self.district.store();
        let case = store.get_case(id).await?.ok_or(CaseError::NotFound(id))?;
        let mut events = store.case_events(id).await?;
        // Whoever reported a case may read it, even outside their reach (an officer's own
        // report, before anyone sends it to them); acting on it still needs the reach.
        let reported = actor.is_user()
            && events
                .first()
                .is_some_and(|e| e.action == "report" && e.actor == actor.name);
        if !actor.reaches(&case) && !reported {
            return Err(CaseError::NotFound(id));
        }
        if actor.is_public() {
            // The public reads only the notes staff chose to publish.
            for e in events.iter_mut().filter(|e| !e.visibility.is_public()) {
                e.note = None;
            }
        }
        Ok(CaseView {
            events: Some(events),
            ..view::view(case, &self.rules().calendar, now, actor.sees_contacts())
        })
    }

    /// A page of the cases within the actor's reach matching a filter, newest first.
    pub async fn list(
        &self,
        filter: &crate::store::CaseFilter,
        actor: &Actor,
        limit: usize,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<CaseView>, CaseError> {
        let filter = crate::store::CaseFilter {
            reach: actor.reach().clone(),
            ..filter.clone()
        };
        let cases = self.district.store().list_cases(&filter, limit).await?;
        let contacts = actor.sees_contacts();
        let rules = self.rules();
        Ok(cases
            .into_iter()
            .map(|c| view::view(c, &rules.calendar, now, contacts))
            .collect())
    }
}
