//! 12345 hotline work orders (FIELDWORK §6): `orders` receives them and takes them through
//! their loop, `exchange` (with `csv_import`, `csv_out`) trades them with the city's platform,
//! `figures` counts them, `suggest` turns a caller's words into ranked case categories and
//! `place` finds the place they name; `book` keeps the types in use. The order types and the
//! loop are citygrid-core's `work_order`.

pub mod book;
pub mod csv_import;
pub mod csv_out;
pub mod exchange;
pub mod figures;
pub mod orders;
pub mod place;
pub mod suggest;

use std::sync::Arc;

use arc_swap::ArcSwapOption;
use citygrid_core::api::hotline::{CategorySuggestion, OrderSuggestions, WorkOrder};
use citygrid_core::category::Catalogue;

use crate::atlas::Atlas;
use citygrid_core::work_order::fold;

use crate::store::{Page, Store, StoreError, WorkOrderFilter};

/// The suggester in use, trained on the bureau's cases when first asked for, retrained when
/// asked and forgotten after an import (the next ask trains anew).
#[derive(Debug, Clone, Default)]
pub struct SuggesterCell(Arc<ArcSwapOption<suggest::Suggester>>);

/// How many cases a page of training reads.
const TRAINING_PAGE: usize = 5000;

/// What training learns from: every case's description under its category, and the words of
/// every order a dispatcher settled on a category for, corrections included (once: a case made
/// from an order carries the same words).
async fn examples(store: &dyn Store) -> Result<Vec<(String, String)>, StoreError> {
    let mut examples: Vec<(String, String)> = Vec::new();
    let mut after = 0;
    loop {
        let page = store
            .export_cases(Page {
                after,
                limit: TRAINING_PAGE,
            })
            .await?;
        let Some((last, _)) = page.last() else { break };
        after = last.id.0;
        examples.extend(
            page.into_iter()
                .filter(|(c, _)| !c.description.trim().is_empty())
                .map(|(c, _)| (c.category.0, c.description)),
        );
    }
    // Hashes only: a city's million descriptions are not kept twice.
    let hash = |e: &(String, String)| {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(e)
    };
    let from_cases: std::collections::HashSet<u64> = examples.iter().map(hash).collect();
    for o in store.work_orders(&WorkOrderFilter::default()).await? {
        if let Some(category) = fold(o.due, &o.events).category {
            let example = (category, o.text);
            if !from_cases.contains(&hash(&example)) {
                examples.push(example);
            }
        }
    }
    Ok(examples)
}

impl SuggesterCell {
    /// Trains a suggester on the store's cases and settled orders and puts it in use.
    pub async fn train(
        &self,
        store: &dyn Store,
        catalogue: &Catalogue,
    ) -> Result<Arc<suggest::Suggester>, StoreError> {
        let examples = examples(store).await?;
        let catalogue = catalogue.clone();
        let trained = tokio::task::spawn_blocking(move || {
            suggest::Suggester::train(
                &catalogue,
                examples.iter().map(|(c, d)| (c.as_str(), d.as_str())),
            )
        })
        .await
        // Only a server shutting down stops the task: worth asking again.
        .map_err(|e| StoreError::Locked(format!("training was stopped: {e}")))?;
        let trained = Arc::new(trained);
        self.0.store(Some(trained.clone()));
        Ok(trained)
    }

    /// The suggester in use, trained first if there is none yet.
    pub async fn get(
        &self,
        store: &dyn Store,
        catalogue: &Catalogue,
    ) -> Result<Arc<suggest::Suggester>, StoreError> {
        match self.0.load_full() {
            Some(s) => Ok(s),
            None => self.train(store, catalogue).await,
        }
    }

    /// Drops the suggester in use after new cases or orders came in; the next ask trains.
    pub fn forget(&self) {
        self.0.store(None);
    }
}

/// What an order's words suggest: categories and a place.
pub fn suggestions(
    suggester: &suggest::Suggester,
    catalogue: &Catalogue,
    atlas: &Atlas,
    order: &WorkOrder,
) -> OrderSuggestions {
    let categories: Vec<CategorySuggestion> = suggester
        .suggest(&order.text, 3)
        .into_iter()
        .map(|s| {
            let c = catalogue.get(&s.category);
            CategorySuggestion {
                name_zh: c.map(|c| c.name_zh.clone()).unwrap_or_default(),
                name_en: c.map(|c| c.name_en.clone()).unwrap_or_default(),
                category: s.category,
                score: (s.score * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    let place = place::find(atlas, order.address.as_deref(), &order.text);
    let note = match (categories.is_empty(), place.is_none()) {
        (true, true) => Some("nothing in the words matched a category or a place".to_owned()),
        (true, false) => Some("nothing in the words matched a category".to_owned()),
        (false, true) => Some("no place was found in the address or the words".to_owned()),
        (false, false) => None,
    };
    OrderSuggestions {
        categories,
        place,
        trained_on: suggester.trained_on as u64,
        note,
    }
}

/// The hotline's figures over the local days `from`..=`to`, names from the atlas and catalogue.
pub async fn read_figures(
    district: &crate::district::District,
    rules: &crate::cases::CaseRules,
    types: &citygrid_core::work_order::HotlineRules,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<citygrid_core::api::hotline::OrderFigures, StoreError> {
    let atlas = district.atlas();
    let community = |code: &str| {
        atlas
            .base()
            .communities
            .iter()
            .find(|c| c.code.as_str() == code)
            .map(|c| c.name.clone())
    };
    let category = |code: &str| rules.catalogue.get(code).map(|c| c.name_zh.clone());
    let names = figures::Names {
        types,
        communities: &community,
        categories: &category,
    };
    figures::read(
        district.store().as_ref(),
        &rules.calendar,
        &names,
        from,
        to,
        now,
    )
    .await
}
