//! The checklist templates in use: the shipped `data/checklists.json` until an admin saves
//! others (setting `checklists`). Every version is kept: a template saved with changed content
//! becomes its next version, so an assessment made with an earlier one keeps its score; a
//! template left out of a save stays as it was.

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use citygrid_core::checklist::{Checklist, Checklists};

use crate::store::{SettingChange, Store, StoreError};

/// The setting that holds the templates an admin saved.
const KEY: &str = "checklists";

/// The shipped templates.
pub const BUILTIN_CHECKLISTS: &str = include_str!("../../../../data/checklists.json");

/// Why templates were not taken.
#[derive(Debug, thiserror::Error)]
pub enum ChecklistEditError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The templates, shared by every request.
#[derive(Clone)]
pub struct ChecklistBook {
    store: Arc<dyn Store>,
    current: Arc<ArcSwap<Checklists>>,
}

impl std::fmt::Debug for ChecklistBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChecklistBook")
            .field("templates", &self.current().checklists.len())
            .finish()
    }
}

fn builtin() -> Checklists {
    // The shipped file is checked by the tests of citygrid-core; an empty book is the
    // fallback should it ever not read.
    serde_json::from_str(BUILTIN_CHECKLISTS).unwrap_or(Checklists {
        about: String::new(),
        checklists: Vec::new(),
        rules: Vec::new(),
    })
}

/// Whether two versions of a template say the same (everything but the version number).
fn same(a: &Checklist, b: &Checklist) -> bool {
    Checklist {
        version: 0,
        ..a.clone()
    } == Checklist {
        version: 0,
        ..b.clone()
    }
}

impl ChecklistBook {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: Arc::new(ArcSwap::from_pointee(builtin())),
        }
    }

    /// Every version of every template.
    pub fn current(&self) -> Arc<Checklists> {
        self.current.load_full()
    }

    /// Takes the templates an admin saved earlier, if any; returns whether there were some.
    pub async fn load_saved(&self) -> Result<bool, ChecklistEditError> {
        let Some(text) = self.store.setting(KEY).await? else {
            return Ok(false);
        };
        let saved: Checklists = serde_json::from_str(&text)
            .map_err(|e| ChecklistEditError::Invalid(format!("the saved checklists: {e}")))?;
        self.current.store(Arc::new(saved));
        Ok(true)
    }

    /// Checks, versions, stores and applies templates (the body's newest version of each
    /// code is what counts). A template whose content changed becomes the next version of its
    /// code; one unchanged keeps its version; codes left out stay as they were.
    pub async fn save(
        &self,
        body: Checklists,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Checklists, ChecklistEditError> {
        body.check()
            .map_err(|e| ChecklistEditError::Invalid(e.to_string()))?;
        let current = self.current();
        let mut next = (*current).clone();
        if !body.about.is_empty() {
            next.about.clone_from(&body.about);
        }
        let mut codes: Vec<&str> = body.checklists.iter().map(|c| c.code.as_str()).collect();
        codes.dedup();
        for code in codes {
            let Some(wanted) = body.latest(code) else {
                continue;
            };
            match current.latest(code) {
                Some(latest) if same(latest, wanted) => {}
                Some(latest) => next.checklists.push(Checklist {
                    version: latest.version + 1,
                    ..wanted.clone()
                }),
                None => next.checklists.push(Checklist {
                    version: 1,
                    ..wanted.clone()
                }),
            }
        }
        // Rules, when sent, are the whole list: a signed-off period keeps its settled sums.
        if !body.rules.is_empty() {
            next.rules.clone_from(&body.rules);
        }
        next.check()
            .map_err(|e| ChecklistEditError::Invalid(e.to_string()))?;
        let stored =
            serde_json::to_string(&next).map_err(|e| ChecklistEditError::Invalid(e.to_string()))?;
        self.store
            .set_setting(&SettingChange::new(KEY, &stored, by, now))
            .await?;
        self.current.store(Arc::new(next.clone()));
        Ok(next)
    }
}
