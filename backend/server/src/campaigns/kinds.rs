//! The campaign kinds in use: the shipped `data/campaigns.json` until an admin saves others
//! (setting `campaign_kinds`). A saved catalogue keeps every kind and item of the one it
//! replaces, each in its unit, so tallies already recorded keep their meaning.

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use citygrid_core::campaign::CampaignKinds;

use crate::record_error::RecordError;
use crate::store::{SettingChange, Store};

/// The setting that holds the kinds an admin saved.
const KEY: &str = "campaign_kinds";

/// The shipped kinds.
pub const BUILTIN_CAMPAIGN_KINDS: &str = include_str!("../../../../data/campaigns.json");

/// The kinds, shared by every request.
#[derive(Clone)]
pub struct CampaignBook {
    store: Arc<dyn Store>,
    current: Arc<ArcSwap<CampaignKinds>>,
}

impl std::fmt::Debug for CampaignBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignBook")
            .field("kinds", &self.current().kinds.len())
            .finish()
    }
}

fn builtin() -> CampaignKinds {
    // The shipped file is checked by citygrid-core's tests; an empty catalogue is the
    // fallback should it ever not read.
    serde_json::from_str(BUILTIN_CAMPAIGN_KINDS).unwrap_or(CampaignKinds {
        about: String::new(),
        kinds: Vec::new(),
    })
}

impl CampaignBook {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: Arc::new(ArcSwap::from_pointee(builtin())),
        }
    }

    pub fn current(&self) -> Arc<CampaignKinds> {
        self.current.load_full()
    }

    /// Takes the kinds an admin saved earlier, if any.
    pub async fn load_saved(&self) -> Result<bool, RecordError> {
        let Some(text) = self.store.setting(KEY).await? else {
            return Ok(false);
        };
        let saved: CampaignKinds = serde_json::from_str(&text)
            .map_err(|e| RecordError::field("campaign_kinds", format!("the saved kinds: {e}")))?;
        self.current.store(Arc::new(saved));
        Ok(true)
    }

    /// Checks the catalogue against the one in use, stores and applies it.
    pub async fn save(
        &self,
        next: CampaignKinds,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<CampaignKinds, RecordError> {
        next.check_replacing(&self.current())?;
        let text =
            serde_json::to_string(&next).map_err(|e| RecordError::field("kinds", e.to_string()))?;
        self.store
            .set_setting(&SettingChange::new(KEY, &text, by, now))
            .await?;
        self.current.store(Arc::new(next.clone()));
        Ok(next)
    }
}
