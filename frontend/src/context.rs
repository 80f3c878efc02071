//! What every view of a session shares: the language, the user, the district, the category
//! catalogue, the case selected on the map and a counter bumped when cases change.

use std::collections::BTreeMap;

use citygrid_core::account::{Role, User};
use citygrid_core::api::district::DistrictInfo;
use citygrid_core::category::Category;
use citygrid_core::officer::Fix;
use leptos::prelude::*;

use crate::i18n::Lang;

/// A category's name in a language.
pub fn category_name(category: &Category, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &category.name_zh,
        Lang::En => &category.name_en,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub user: StoredValue<User>,
    /// The district, once `GET /district` has answered.
    pub district: RwSignal<Option<DistrictInfo>>,
    pub categories: RwSignal<Vec<Category>>,
    /// The case open in the detail panel.
    pub selected: RwSignal<Option<i64>>,
    /// Bumped whenever a case changes (an action here, or a live event).
    pub changed: RwSignal<u64>,
    /// The newest officer's fix from the live stream.
    pub last_fix: RwSignal<Option<Fix>>,
    /// The last click on the map (not on a case), `(lon, lat)`.
    pub clicked: RwSignal<Option<(f64, f64)>>,
    /// Officers' names by code, for those who may read the roster (and an officer's own).
    pub officers: RwSignal<BTreeMap<String, String>>,
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
                .find(|c| c.code.0 == code)
                .map_or_else(|| code.to_owned(), |c| category_name(c, lang).to_owned())
        })
    }
}

impl Ctx {
    /// An officer as a person reads them: the name first, the code after it; the code alone
    /// when the name is not known here.
    pub fn officer_name(&self, code: &str) -> String {
        self.officers.with(|o| {
            o.get(code)
                .map_or_else(|| code.to_owned(), |name| format!("{name} · {code}"))
        })
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
