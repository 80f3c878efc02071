//! The production store: PostgreSQL with PostGIS (`migrations/postgres/`). Geometry is stored
//! in PostGIS columns (SRID 4326, GiST-indexed) and crosses the wire as WKB; rows are written
//! with UNNEST arrays, one statement per layer.
//!
//! Each part of the store trait is implemented in its own module, as for the embedded store:
//! `district.rs` (base layers and settings), `cases.rs`, `accounts.rs` (users, sessions and the
//! shared rate buckets), `audit.rs` and `dispatch.rs`. Each part passes the same shared tests
//! as the embedded store (`tests/core/store_suite.rs`). Here: connecting, migrating, and
//! following the `citygrid` channel on which every server's changes are announced.

mod accounts;
mod assessments;
mod audit;
mod cases;
mod dispatch;
mod district;
mod fieldwork;

pub(super) use district::insert_layer;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::StoreError;

/// A citygrid database in PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// What the database announces on the `citygrid` channel (every server's changes).
    notices: std::sync::Arc<tokio::sync::broadcast::Sender<crate::store::Notice>>,
}

/// After the notice connection was lost, anything may have changed meanwhile: every kind of
/// change is announced, with the newest stored case event.
async fn catch_up(pool: &PgPool, notices: &tokio::sync::broadcast::Sender<crate::store::Notice>) {
    for notice in [
        crate::store::Notice::Layers,
        crate::store::Notice::Fixes,
        crate::store::Notice::Statuses,
        crate::store::Notice::Settings,
    ] {
        let _ = notices.send(notice);
    }
    match sqlx::query_scalar::<_, Option<i64>>("SELECT max(seq) FROM case_events")
        .fetch_one(pool)
        .await
    {
        Ok(seq) => {
            let _ = notices.send(crate::store::Notice::Event {
                seq: seq.unwrap_or(0),
            });
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the newest case event after a lost connection");
        }
    }
}

/// Listens on the `citygrid` channel for as long as anyone may hear. A lost connection is
/// re-established (by the listener itself, or here after an error), and [`catch_up`] then makes
/// up for the notices missed meanwhile.
async fn listen(
    pool: PgPool,
    notices: std::sync::Arc<tokio::sync::broadcast::Sender<crate::store::Notice>>,
) {
    let mut reconnecting = false;
    loop {
        // A closed store has nothing more to announce.
        if pool.is_closed() {
            return;
        }
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "listening for other servers' changes");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen("citygrid").await {
            tracing::warn!(error = %e, "listening for other servers' changes");
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            continue;
        }
        if reconnecting {
            catch_up(&pool, &notices).await;
        }
        reconnecting = true;
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => match serde_json::from_str::<crate::store::Notice>(n.payload()) {
                    Ok(notice) => {
                        // Nobody listening is fine.
                        let _ = notices.send(notice);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, payload = n.payload(), "an unknown notice");
                    }
                },
                // The connection dropped and the listener has connected and listens again.
                Ok(None) => {
                    tracing::warn!("the notice connection was lost and is back; catching up");
                    catch_up(&pool, &notices).await;
                }
                Err(_) if pool.is_closed() => return,
                Err(e) => {
                    tracing::warn!(error = %e, "lost the notice connection; reconnecting");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    break;
                }
            }
        }
    }
}

impl PgStore {
    /// Connects (`postgres://…`) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = url.parse::<PgConnectOptions>()?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/postgres")
            .run(&pool)
            .await?;
        let notices = std::sync::Arc::new(tokio::sync::broadcast::channel(256).0);
        tokio::spawn(listen(pool.clone(), std::sync::Arc::clone(&notices)));
        Ok(Self { pool, notices })
    }

    pub(super) fn pool(&self) -> &PgPool {
        &self.pool
    }
}
