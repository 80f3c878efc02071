//! Who is on duty and where: each officer's current duty status and newest GPS fix, kept in
//! memory for ranking and written through to the store (history and fixes), with live fixes
//! broadcast to listeners.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use citygrid_core::officer::{DutyStatus, Fix, StatusChange};

use crate::store::{Store, StoreError};

/// One officer's live state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Live {
    /// `None` until first set: treated as off duty.
    pub status: Option<StatusChange>,
    pub fix: Option<Fix>,
}

impl Live {
    pub fn status(&self) -> DutyStatus {
        self.status.as_ref().map_or(DutyStatus::Off, |s| s.status)
    }
}

#[derive(Debug, Clone)]
pub struct Roster {
    store: Arc<dyn Store>,
    live: Arc<RwLock<HashMap<String, Live>>>,
    fixes: Arc<tokio::sync::broadcast::Sender<Fix>>,
}

impl Roster {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            live: Arc::default(),
            fixes: Arc::new(tokio::sync::broadcast::channel(1024).0),
        }
    }

    /// Reads the latest statuses and fixes back from the store (after a restart).
    pub async fn restore(&self) -> Result<(), StoreError> {
        let statuses = self.store.latest_statuses().await?;
        let fixes = self.store.latest_fixes().await?;
        let mut live = self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for s in statuses {
            let key = s.officer.clone();
            live.entry(key).or_default().status = Some(s);
        }
        for f in fixes {
            let key = f.officer.clone();
            live.entry(key).or_default().fix = Some(f);
        }
        Ok(())
    }

    /// Every officer's live state (a copy).
    pub fn snapshot(&self) -> HashMap<String, Live> {
        self.live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// One officer's live state.
    pub fn get(&self, officer: &str) -> Live {
        self.live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(officer)
            .cloned()
            .unwrap_or_default()
    }

    /// Sets an officer's duty status (stored first, then made live).
    pub async fn set_status(&self, change: StatusChange) -> Result<StatusChange, StoreError> {
        self.store.append_status(&change).await?;
        self.live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(change.officer.clone())
            .or_default()
            .status = Some(change.clone());
        Ok(change)
    }

    /// Sets the status only if the officer is in `from` now (a case freeing a busy officer
    /// leaves an officer who went off duty meanwhile alone).
    pub async fn set_status_if(
        &self,
        officer: &str,
        from: DutyStatus,
        to: DutyStatus,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if self.get(officer).status() == from {
            self.set_status(StatusChange::new(officer, to, actor, now))
                .await?;
        }
        Ok(())
    }

    /// Stores fixes (every one, for the history) and makes each officer's newest one live; a
    /// late or out-of-order fix never replaces a newer one. The fixes that became current.
    pub async fn add_fixes(
        &self,
        fixes: &[Fix],
        now: DateTime<Utc>,
    ) -> Result<Vec<Fix>, StoreError> {
        self.store.insert_fixes(fixes, now).await?;
        Ok(self.apply_fixes(fixes))
    }

    /// Makes each officer's newest fix live (a late one never replaces a newer one) and
    /// broadcasts those that became current.
    fn apply_fixes(&self, fixes: &[Fix]) -> Vec<Fix> {
        let mut current = Vec::new();
        {
            let mut live = self
                .live
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for f in fixes {
                let entry = live.entry(f.officer.clone()).or_default();
                if entry.fix.as_ref().is_none_or(|old| f.at > old.at) {
                    entry.fix = Some(f.clone());
                    current.retain(|c: &Fix| c.officer != f.officer);
                    current.push(f.clone());
                }
            }
        }
        for f in &current {
            // Nobody listening is fine.
            let _ = self.fixes.send(f.clone());
        }
        current
    }

    /// Takes a fix another server stored, as if posted here.
    pub fn take_fix(&self, fix: Fix) {
        self.apply_fixes(&[fix]);
    }

    /// Takes the newest fix of every officer from the store (after notices may have been
    /// missed).
    pub async fn refresh_fixes(&self) -> Result<(), StoreError> {
        let latest = self.store.latest_fixes().await?;
        self.apply_fixes(&latest);
        Ok(())
    }

    /// Takes the duty statuses another server stored.
    pub async fn refresh_statuses(&self) -> Result<(), StoreError> {
        let latest = self.store.latest_statuses().await?;
        self.take_statuses(latest);
        Ok(())
    }

    /// Takes duty statuses another server stored; an older one never replaces a newer one.
    pub fn take_statuses(&self, changes: impl IntoIterator<Item = StatusChange>) {
        let mut live = self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for s in changes {
            let entry = live.entry(s.officer.clone()).or_default();
            if entry.status.as_ref().is_none_or(|old| s.at >= old.at) {
                entry.status = Some(s);
            }
        }
    }

    /// Live fixes as they become current.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Fix> {
        self.fixes.subscribe()
    }
}
