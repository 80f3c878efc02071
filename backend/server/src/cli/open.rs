//! Opening what `--db` names, and the audit entries of commands that change or export data.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};

use crate::district::District;
use crate::store::{SqliteStore, Store};

use super::{is_postgres, shown};

/// The store `--db` names: PostgreSQL for a `postgres://` URL, else the embedded file.
pub async fn store(db: &Path) -> anyhow::Result<Arc<dyn Store>> {
    if is_postgres(db) {
        let url = db.to_str().unwrap_or_default();
        let store = crate::store::PgStore::open(url)
            .await
            .with_context(|| format!("opening the database {}", shown(db)))?;
        return Ok(Arc::new(store));
    }
    let store = SqliteStore::open(db)
        .await
        .with_context(|| format!("opening the database {}", db.display()))?;
    Ok(Arc::new(store))
}

/// The embedded file, for the commands that work on it alone.
pub async fn file(db: &Path, what: &str) -> anyhow::Result<SqliteStore> {
    if is_postgres(db) {
        bail!(
            "{what} works on the embedded database file; for PostgreSQL use its own tools (pg_dump, pg_restore, amcheck)"
        );
    }
    SqliteStore::open(db)
        .await
        .with_context(|| format!("opening {}", db.display()))
}

/// The district: the store and the atlas built from its base layers.
pub async fn district(db: &Path, timezone: chrono_tz::Tz) -> anyhow::Result<District> {
    let store = store(db).await?;
    match District::open(store.clone(), timezone).await {
        Ok(district) => Ok(district),
        Err(e) => {
            store.close().await;
            Err(e).with_context(|| format!("loading the base layers from {}", shown(db)))
        }
    }
}

/// Who runs a command, as the audit log and case histories name them.
pub fn actor() -> String {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{who}")
}

/// Writes a command that changes or exports data into the audit log (status 0 when it
/// succeeded, 1 when it failed). A failure to write it is reported, not fatal.
pub async fn audit(store: &dyn Store, what: &str, file: &Path, ok: bool) {
    let detail = file.to_string_lossy();
    let entry = crate::store::AuditEntry {
        seq: 0,
        at: chrono::Utc::now(),
        actor: actor(),
        origin: "cli".to_owned(),
        action: what.to_owned(),
        status: i64::from(!ok),
        detail: (!detail.is_empty()).then(|| detail.into_owned()),
    };
    if let Err(e) = store.append_audit(&entry).await {
        eprintln!("warning: the audit log could not be written: {e}");
    }
}

/// Reads a file the user named, saying which one failed.
pub fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}
