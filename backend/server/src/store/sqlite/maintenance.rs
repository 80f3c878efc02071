//! Backup, restore and integrity checks of the embedded store.

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::path::Path;

use super::SqliteStore;
use crate::store::StoreError;

/// Why a backup or restore was refused.
#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error("{0} already exists; choose a new file")]
    Exists(String),
    #[error("{0} is not a citygrid database: {1}")]
    NotCitygrid(String, String),
    #[error("{path} failed its integrity check: {problems}")]
    Damaged { path: String, problems: String },
    #[error("{0} is in use; stop the server first")]
    InUse(String),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for MaintenanceError {
    fn from(e: sqlx::Error) -> Self {
        MaintenanceError::Store(StoreError::Database(e))
    }
}

impl SqliteStore {
    /// A consistent copy of the live database, taken while it serves (SQLite's `VACUUM INTO`).
    pub async fn backup(&self, to: &Path) -> Result<(), MaintenanceError> {
        if to.exists() {
            return Err(MaintenanceError::Exists(to.display().to_string()));
        }
        sqlx::query("VACUUM INTO ?")
            .bind(to.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The problems `PRAGMA integrity_check` and `foreign_key_check` find (empty when sound).
    pub async fn check(&self) -> Result<Vec<String>, MaintenanceError> {
        let mut conn = self.pool.acquire().await?;
        check_connection(&mut conn).await
    }
}

async fn check_connection(conn: &mut SqliteConnection) -> Result<Vec<String>, MaintenanceError> {
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    let mut problems: Vec<String> = rows.into_iter().filter(|r| r != "ok").collect();
    let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    problems.extend(
        fk.into_iter()
            .map(|(t,)| format!("a row of {t} refers to a missing row")),
    );
    Ok(problems)
}

/// Replaces the database at `db` with the backup at `from`, after checking the backup is a sound
/// citygrid database and that nothing holds `db` open for writing.
pub async fn restore(from: &Path, db: &Path) -> Result<(), MaintenanceError> {
    let name = from.display().to_string();
    let mut backup =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(from).read_only(true))
            .await
            .map_err(|e| MaintenanceError::NotCitygrid(name.clone(), e.to_string()))?;
    let has_cases: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('cases', 'grids', '_sqlx_migrations')",
    )
    .fetch_one(&mut backup)
    .await
    .map_err(|e| MaintenanceError::NotCitygrid(name.clone(), e.to_string()))?;
    if has_cases != 3 {
        return Err(MaintenanceError::NotCitygrid(
            name,
            "it lacks citygrid's tables".to_owned(),
        ));
    }
    let problems = check_connection(&mut backup).await?;
    if !problems.is_empty() {
        return Err(MaintenanceError::Damaged {
            path: name,
            problems: problems.join("; "),
        });
    }
    backup.close().await?;
    let io = |e: std::io::Error| MaintenanceError::Io(format!("{}: {e}", db.display()));
    // Every open store holds a shared lock on the lock file: the exclusive one is ours only
    // when nobody has the database open, and it keeps them out until the copy is in place.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(super::lock_path(db))
        .map_err(io)?;
    lock.try_lock()
        .map_err(|_| MaintenanceError::InUse(db.display().to_string()))?;
    // The lock keeps citygrid's stores out; a connection still open without it (a store
    // dropped unclosed whose connections are finishing, another program) is found by asking
    // SQLite itself for the database alone. Closing that one connection leaves no log behind.
    if db.exists() {
        ensure_unused(db).await?;
    }
    let staging = db.with_extension("restoring");
    std::fs::copy(from, &staging).map_err(io)?;
    for suffix in ["-wal", "-shm"] {
        let side = Path::new(&format!("{}{suffix}", db.display())).to_path_buf();
        if side.exists() {
            std::fs::remove_file(&side).map_err(io)?;
        }
    }
    std::fs::rename(&staging, db).map_err(io)?;
    drop(lock);
    Ok(())
}

/// Takes the database alone (`locking_mode=EXCLUSIVE`, an exclusive transaction, no waiting)
/// and lets it go: refused while any other connection has it open. The last connection to
/// close checkpoints and removes the write-ahead log, so nothing of it is left to mix into a
/// restored file.
async fn ensure_unused(db: &Path) -> Result<(), MaintenanceError> {
    let in_use = || MaintenanceError::InUse(db.display().to_string());
    let options = SqliteConnectOptions::new()
        .filename(db)
        .pragma("locking_mode", "EXCLUSIVE")
        .busy_timeout(std::time::Duration::ZERO);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|_| in_use())?;
    let taken = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await;
    if taken.is_err() {
        let _ = conn.close().await;
        return Err(in_use());
    }
    sqlx::query("COMMIT").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DistrictStore;

    #[tokio::test]
    async fn backup_then_restore_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.gpkg");
        let store = SqliteStore::open(&db).await.unwrap();
        store
            .replace_layers(crate::demo::generate().into_rows())
            .await
            .unwrap();
        let copy = dir.path().join("copy.gpkg");
        store.backup(&copy).await.unwrap();
        assert!(matches!(
            store.backup(&copy).await,
            Err(MaintenanceError::Exists(_))
        ));
        assert!(store.check().await.unwrap().is_empty());
        // While the store is open, restore refuses; once it is closed, it runs.
        assert!(matches!(
            restore(&copy, &db).await,
            Err(MaintenanceError::InUse(_))
        ));
        store.close().await;
        restore(&copy, &db).await.unwrap();
        let back = SqliteStore::open(&db).await.unwrap();
        assert_eq!(back.load_base().await.unwrap().grids.len(), 398);
        back.close().await;
        // Not a citygrid database.
        let junk = dir.path().join("junk.gpkg");
        std::fs::write(&junk, b"not sqlite").unwrap();
        assert!(matches!(
            restore(&junk, &db).await,
            Err(MaintenanceError::NotCitygrid(..))
        ));
    }

    /// A store is closed and restored over, again and again: whatever the order in which its
    /// connections finish, the restored file opens and is the backup, never mixed with an old
    /// write-ahead log.
    #[tokio::test]
    async fn restore_after_close_never_meets_an_old_connection() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.gpkg");
        let copy = dir.path().join("copy.gpkg");
        let store = SqliteStore::open(&db).await.unwrap();
        store
            .set_setting(&crate::store::SettingChange::new(
                "round",
                "backup",
                "test",
                chrono::Utc::now(),
            ))
            .await
            .unwrap();
        store.backup(&copy).await.unwrap();
        store.close().await;
        for round in 0..200 {
            let store = SqliteStore::open(&db).await.unwrap();
            assert_eq!(
                store.setting("round").await.unwrap().as_deref(),
                Some("backup"),
                "round {round}"
            );
            // Writes that leave pages in the write-ahead log, on several connections.
            let writes = (0..4).map(|i| {
                let store = store.clone();
                async move {
                    store
                        .set_setting(&crate::store::SettingChange::new(
                            &format!("k{i}"),
                            "after",
                            "test",
                            chrono::Utc::now(),
                        ))
                        .await
                }
            });
            for w in futures_util::future::join_all(writes).await {
                w.unwrap();
            }
            store
                .set_setting(&crate::store::SettingChange::new(
                    "round",
                    "changed",
                    "test",
                    chrono::Utc::now(),
                ))
                .await
                .unwrap();
            store.close().await;
            restore(&copy, &db).await.unwrap();
        }
    }

    /// A connection that is not a citygrid store (another program) still keeps a restore out.
    #[tokio::test]
    async fn restore_is_refused_while_another_connection_has_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.gpkg");
        let copy = dir.path().join("copy.gpkg");
        let store = SqliteStore::open(&db).await.unwrap();
        store.backup(&copy).await.unwrap();
        store.close().await;
        let mut other = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&db))
            .await
            .unwrap();
        let _: i64 = sqlx::query_scalar("SELECT count(*) FROM grids")
            .fetch_one(&mut other)
            .await
            .unwrap();
        assert!(matches!(
            restore(&copy, &db).await,
            Err(MaintenanceError::InUse(_))
        ));
        other.close().await.unwrap();
        restore(&copy, &db).await.unwrap();
    }
}
