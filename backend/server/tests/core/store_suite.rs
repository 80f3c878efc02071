//! What every store must do, run against each store: the embedded SQLite file always, and
//! PostgreSQL with PostGIS when `CITYGRID_TEST_PG` names a server (`cargo xtask test` starts a
//! scratch one, so CI runs both). Each PostgreSQL test gets a fresh database of its own.
//!
//! The PostgreSQL store is built part by part; the parts it has are tested here on both.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use citygrid::store::{DistrictStore, PgStore, SqliteStore};
use citygrid_core::features::{AddressPoint, LayerRows};
use sqlx::{Connection, Executor};

use crate::support::demo_base;

/// A fresh database on the test server, if there is one.
pub async fn scratch_postgres() -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var("CITYGRID_TEST_PG").ok()?;
    let name = format!(
        "citygrid_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (server, _) = url.rsplit_once('/').unwrap();
    Some(format!("{server}/{name}"))
}

/// Every store there is to test, by name.
async fn stores() -> Vec<(&'static str, Arc<dyn DistrictStore>)> {
    let mut all: Vec<(&'static str, Arc<dyn DistrictStore>)> =
        vec![("sqlite", Arc::new(SqliteStore::memory().await.unwrap()))];
    if let Some(url) = scratch_postgres().await {
        all.push(("postgres", Arc::new(PgStore::open(&url).await.unwrap())));
    }
    all
}

#[tokio::test]
async fn every_layer_round_trips_through_every_store() {
    let mut base = demo_base().clone();
    // Address points and attributes too.
    base.addresses.push(AddressPoint {
        street: "人民路".into(),
        number: "12a".into(),
        geometry: geo::Point::new(116.79, 33.954),
        attributes: serde_json::json!({ "source": "survey", "floors": 3 })
            .as_object()
            .unwrap()
            .clone(),
    });
    base.shops[0]
        .attributes
        .insert("note".into(), "门前三包".into());
    for (name, store) in stores().await {
        store
            .replace_layers(base.clone().into_rows())
            .await
            .unwrap();
        assert_eq!(store.load_base().await.unwrap(), base, "{name}");
    }
}

#[tokio::test]
async fn a_replacement_that_fails_changes_no_layer() {
    let base = demo_base().clone();
    for (name, store) in stores().await {
        store
            .replace_layers(base.clone().into_rows())
            .await
            .unwrap();
        // New streets, then grid cells with a code twice: neither is kept.
        let mut streets = base.streets.clone();
        streets.truncate(3);
        let mut grids = base.grids.clone();
        grids.truncate(5);
        grids.push(grids[0].clone());
        let refused = store
            .replace_layers(vec![LayerRows::Streets(streets), LayerRows::Grids(grids)])
            .await;
        assert!(refused.is_err(), "{name}");
        assert_eq!(store.load_base().await.unwrap(), base, "{name}");
    }
}

#[tokio::test]
async fn settings_are_kept_and_replaced() {
    for (name, store) in stores().await {
        assert_eq!(store.setting("categories").await.unwrap(), None, "{name}");
        store
            .set_setting("categories", "{\"a\":1}", "admin", Utc::now())
            .await
            .unwrap();
        store
            .set_setting("categories", "{\"a\":2}", "admin", Utc::now())
            .await
            .unwrap();
        assert_eq!(
            store.setting("categories").await.unwrap().as_deref(),
            Some("{\"a\":2}"),
            "{name}"
        );
        store.ping().await.unwrap();
    }
}
