//! An admin changes the case categories and their time limits in the app: the new catalogue is
//! checked whole, stored (setting `categories`), and swapped in for every case made after it.
//! Cases already made keep their deadlines.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use citygrid_core::category::Catalogue;

use super::{CaseRules, CaseService};
use crate::store::{SettingChange, StoreError};

/// The setting that holds the catalogue an admin saved.
const KEY: &str = "categories";

/// Why a catalogue was not taken.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueEditError {
    /// The catalogue comes from a file named on the command line.
    #[error("the catalogue comes from {0} (--categories); change that file instead")]
    Fixed(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CaseService {
    /// The catalogue is the file's, and cannot be changed in the app.
    #[must_use]
    pub fn with_catalogue_file(mut self, path: &str) -> Self {
        self.catalogue_file = Some(Arc::from(path));
        self
    }

    /// Takes the catalogue an admin saved earlier, if any (not when a file was given).
    /// Returns whether there was one.
    pub async fn load_saved_catalogue(&self) -> Result<bool, CatalogueEditError> {
        if self.catalogue_file.is_some() {
            return Ok(false);
        }
        let Some(text) = self.district.store().setting(KEY).await? else {
            return Ok(false);
        };
        let catalogue = Catalogue::from_json(&text)
            .map_err(|e| CatalogueEditError::Invalid(format!("the saved catalogue: {e}")))?;
        self.swap_catalogue(catalogue);
        Ok(true)
    }

    /// Checks, stores and applies a new catalogue (the JSON of `GET /categories`). Every code
    /// in use stays: categories can be renamed, re-timed or added, not removed.
    pub async fn set_catalogue(
        &self,
        text: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Catalogue, CatalogueEditError> {
        if let Some(file) = &self.catalogue_file {
            return Err(CatalogueEditError::Fixed(file.to_string()));
        }
        let catalogue =
            Catalogue::from_json(text).map_err(|e| CatalogueEditError::Invalid(e.to_string()))?;
        let current = self.rules();
        if let Some(gone) = current
            .catalogue
            .categories
            .iter()
            .find(|c| catalogue.get(c.code.as_str()).is_none())
        {
            return Err(CatalogueEditError::Invalid(format!(
                "category {} ({}) is missing: categories can be changed or added, not removed",
                gone.code, gone.name_zh
            )));
        }
        let stored = serde_json::to_string(&catalogue)
            .map_err(|e| CatalogueEditError::Invalid(e.to_string()))?;
        self.district
            .store()
            .set_setting(&SettingChange::new(KEY, &stored, by, now))
            .await?;
        self.swap_catalogue(catalogue.clone());
        Ok(catalogue)
    }

    fn swap_catalogue(&self, catalogue: Catalogue) {
        let rules = self.rules();
        self.rules.store(Arc::new(CaseRules {
            catalogue,
            calendar: rules.calendar.clone(),
        }));
    }
}
