//! The hotline's rules in use: the shipped `data/hotline.json` until an admin saves others
//! (setting `hotline_rules`). Saved rules keep every type of the ones they replace (orders
//! carry its code); a changed reply time applies to orders received afterwards, each order
//! keeping the due time it was given.

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use citygrid_core::work_order::HotlineRules;

use crate::record_error::RecordError;
use crate::store::{SettingChange, Store};

/// The setting that holds the rules an admin saved.
pub const KEY: &str = "hotline_rules";

/// The shipped rules.
pub const BUILTIN_HOTLINE: &str = include_str!("../../../../data/hotline.json");

/// The shipped rules, read (checked by citygrid-core's tests; empty should they ever not read).
pub fn builtin() -> HotlineRules {
    serde_json::from_str(BUILTIN_HOTLINE).unwrap_or(HotlineRules {
        about: String::new(),
        types: Vec::new(),
        urgent_within: citygrid_core::approval::ApprovalLimit::SameDay,
        callback_within: citygrid_core::approval::ApprovalLimit::WorkingDays(1),
    })
}

/// The rules, shared by every request.
#[derive(Clone)]
pub struct HotlineBook {
    store: Arc<dyn Store>,
    current: Arc<ArcSwap<HotlineRules>>,
}

impl std::fmt::Debug for HotlineBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotlineBook")
            .field("types", &self.current().types.len())
            .finish()
    }
}

impl HotlineBook {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: Arc::new(ArcSwap::from_pointee(builtin())),
        }
    }

    pub fn current(&self) -> Arc<HotlineRules> {
        self.current.load_full()
    }

    /// Takes the rules an admin saved earlier, if any.
    pub async fn load_saved(&self) -> Result<bool, RecordError> {
        let Some(text) = self.store.setting(KEY).await? else {
            return Ok(false);
        };
        let saved: HotlineRules = serde_json::from_str(&text)
            .map_err(|e| RecordError::field("hotline_rules", format!("the saved rules: {e}")))?;
        self.current.store(Arc::new(saved));
        Ok(true)
    }

    /// Checks rules against the ones in use, stores and applies them.
    pub async fn save(
        &self,
        next: HotlineRules,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<HotlineRules, RecordError> {
        next.check_replacing(&self.current())?;
        let text =
            serde_json::to_string(&next).map_err(|e| RecordError::field("types", e.to_string()))?;
        self.store
            .set_setting(&SettingChange::new(KEY, &text, by, now))
            .await?;
        self.current.store(Arc::new(next.clone()));
        Ok(next)
    }
}
