//! What every view of a session shares: the language, the user, the district, the category
//! catalogue, the case selected on the map and a counter bumped when cases change.

use citygrid_core::account::{Role, User};
use leptos::prelude::*;
use serde::Deserialize;

use crate::i18n::Lang;

/// The district as `GET /district` describes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct District {
    pub name: String,
    pub timezone: String,
    #[serde(default)]
    pub tiles: Option<serde_json::Value>,
    /// `[west, south, east, north]`, when the district has any geometry.
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
}

/// One category of the catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Category {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub limit: String,
    pub unit: String,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub user: StoredValue<User>,
    pub district: RwSignal<District>,
    pub categories: RwSignal<Vec<Category>>,
    /// The case open in the detail panel.
    pub selected: RwSignal<Option<i64>>,
    /// Bumped whenever a case changes (an action here, or a live event).
    pub changed: RwSignal<u64>,
    /// The newest officer's fix from the live stream.
    pub last_fix: RwSignal<Option<serde_json::Value>>,
    /// The last click on the map (not on a case), `(lon, lat)`.
    pub clicked: RwSignal<Option<(f64, f64)>>,
}

impl Ctx {
    pub fn role(&self) -> Role {
        self.user.with_value(|u| u.role)
    }

    /// A category's name in the current language, or its code when unknown.
    pub fn category_name(&self, code: &str) -> String {
        let lang = self.lang.get();
        self.categories.with(|c| {
            c.iter()
                .find(|c| c.code == code)
                .map_or_else(|| code.to_owned(), |c| c.name(lang).to_owned())
        })
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
