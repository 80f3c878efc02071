//! The embedded store: one SQLite file that is also a valid GeoPackage 1.3. Each part of the
//! store trait is implemented in its own module: `district.rs` (base layers and settings),
//! `cases.rs` (cases, events, photos, statistics facts), `accounts.rs` (users and sessions),
//! `audit.rs` (the audit log) and `dispatch.rs` (duty status, fixes, shifts); `maintenance.rs`
//! backs up, restores and checks the file; `gpkg.rs` is its geometry encoding.

mod accounts;
mod assessments;
mod audit;
mod cases;
mod dispatch;
mod district;
mod fieldwork;

pub(super) use district::insert_layer;
pub mod gpkg;
pub mod maintenance;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::StoreError;

/// GeoPackage's `application_id` ("GPKG") and `user_version` for version 1.3.
const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
const GPKG_USER_VERSION: i32 = 10300;
/// How long closing waits for connections still in use by requests.
const CLOSE_PATIENCE: Duration = Duration::from_secs(30);

/// A citygrid database in one SQLite/GeoPackage file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// A shared lock on `<db>.lock` for as long as the store is open: a restore takes it
    /// exclusively, so it cannot replace a database anyone has open. [`SqliteStore::close`]
    /// gives it up only once every connection has closed.
    lock: Option<std::sync::Arc<std::sync::Mutex<Option<std::fs::File>>>>,
}

/// The lock file beside a database.
pub fn lock_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    name.into()
}

impl SqliteStore {
    /// Opens (creating if absent) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(|e| StoreError::Locked(format!("{}: {e}", lock_path(path).display())))?;
        lock.try_lock_shared()
            .map_err(|_| StoreError::Locked(format!("{} is being restored", path.display())))?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Read pages through a memory map and keep a larger page cache: most reads are of
            // hot pages (indexes of recent cases), and a read() per page costs more than the work.
            .pragma("mmap_size", "268435456")
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite").run(&pool).await?;
        sqlx::query(&format!("PRAGMA application_id = {GPKG_APPLICATION_ID}"))
            .execute(&pool)
            .await?;
        sqlx::query(&format!("PRAGMA user_version = {GPKG_USER_VERSION}"))
            .execute(&pool)
            .await?;
        Ok(Self {
            pool,
            lock: Some(std::sync::Arc::new(std::sync::Mutex::new(Some(lock)))),
        })
    }

    /// Closes every connection, waits until each has (SQLite checkpoints and removes its
    /// write-ahead log then), and only then gives up the lock on the file. Every clone of this
    /// store is closed with it.
    pub async fn close_file(&self) {
        // `Pool::close` can return with a connection still idle in the pool: one that came back
        // from a request just after the pool's last look at its idle queue. Closing again
        // closes it; the pool's size falls only once a connection's close has finished.
        let patience = std::time::Instant::now() + CLOSE_PATIENCE;
        self.pool.close().await;
        while self.pool.size() > 0 && std::time::Instant::now() < patience {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.pool.close().await;
        }
        if self.pool.size() > 0 {
            tracing::warn!(
                connections = self.pool.size(),
                "connections still open after closing the database; a restore will wait for them"
            );
        }
        if let Some(lock) = &self.lock {
            // A poisoned lock still holds the file: dropping it is all that is done here.
            let mut held = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            held.take();
        }
    }

    /// Opens an in-memory database (for tests).
    pub async fn memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite").run(&pool).await?;
        Ok(Self { pool, lock: None })
    }
}

/// Times in one sortable text form: UTC, milliseconds, `Z`.
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}
