//! Persistent storage behind one trait. Only this module knows which database is in use.
//!
//! Geometry crosses the SQL boundary in one form: GeoPackage binary (a small header with the
//! SRS id 4326 and the envelope, then ISO WKB), see [`gpkg`].

pub mod gpkg;
mod sqlite;

use async_trait::async_trait;
use citygrid_core::features::{BaseLayers, LayerRows};

pub use sqlite::SqliteStore;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored {table} row {fid} cannot be read: {reason}")]
    Corrupt {
        table: &'static str,
        fid: i64,
        reason: String,
    },
    #[error("geometry cannot be encoded: {0}")]
    Encode(String),
}

/// The operations citygrid needs from a database.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Every base layer as stored.
    async fn load_base(&self) -> Result<BaseLayers, StoreError>;

    /// Replaces the given layers, all in one transaction: either every layer is replaced or
    /// nothing changes.
    async fn replace_layers(&self, layers: Vec<LayerRows>) -> Result<(), StoreError>;

    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
}
