//! Officers' duty status history and GPS fixes in the embedded store.

use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, StatusChange};
use sqlx::SqlitePool;

use super::StoreError;
use super::cases_sqlite::ts;
use super::rows::{fix_of, shift_of, status_of};

pub async fn append_status(pool: &SqlitePool, s: &StatusChange) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO officer_status (officer, status, at, actor) VALUES (?, ?, ?, ?)")
        .bind(&s.officer)
        .bind(s.status.as_str())
        .bind(ts(s.at))
        .bind(&s.actor)
        .execute(pool)
        .await?;
    Ok(())
}

/// Each officer's latest status.
pub async fn latest_statuses(pool: &SqlitePool) -> Result<Vec<StatusChange>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.* FROM officer_status s JOIN \
         (SELECT officer, MAX(seq) AS seq FROM officer_status GROUP BY officer) l ON l.seq = s.seq",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(status_of).collect()
}

/// An officer's status changes, newest first.
pub async fn status_history(
    pool: &SqlitePool,
    officer: &str,
    limit: usize,
) -> Result<Vec<StatusChange>, StoreError> {
    let rows =
        sqlx::query("SELECT * FROM officer_status WHERE officer = ? ORDER BY seq DESC LIMIT ?")
            .bind(officer)
            .bind(limit as i64)
            .fetch_all(pool)
            .await?;
    rows.iter().map(status_of).collect()
}

/// Stores fixes, all or none.
pub async fn insert_fixes(
    pool: &SqlitePool,
    fixes: &[Fix],
    received: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for f in fixes {
        sqlx::query(
            "INSERT INTO officer_fixes (officer, lon, lat, accuracy_m, at, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&f.officer)
        .bind(f.lon)
        .bind(f.lat)
        .bind(f.accuracy_m)
        .bind(ts(f.at))
        .bind(ts(received))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Each officer's newest fix (by when it was taken).
pub async fn latest_fixes(pool: &SqlitePool) -> Result<Vec<Fix>, StoreError> {
    let rows = sqlx::query(
        "SELECT f.* FROM officer_fixes f JOIN \
         (SELECT officer, MAX(at) AS at FROM officer_fixes GROUP BY officer) l \
         ON l.officer = f.officer AND l.at = f.at GROUP BY f.officer",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(fix_of).collect()
}

/// An officer's fixes taken in `[from, to)`, oldest first.
pub async fn fixes(
    pool: &SqlitePool,
    officer: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Fix>, StoreError> {
    let rows = sqlx::query(
        "SELECT * FROM officer_fixes WHERE officer = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?",
    )
    .bind(officer)
    .bind(ts(from))
    .bind(ts(to))
    .bind(limit as i64)
    .fetch_all(pool)
    .await?;
    rows.iter().map(fix_of).collect()
}

/// Deletes fixes taken before `before`; how many.
pub async fn delete_fixes_before(
    pool: &SqlitePool,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM officer_fixes WHERE at < ?")
        .bind(ts(before))
        .execute(pool)
        .await?
        .rows_affected())
}

pub async fn insert_shift(
    pool: &SqlitePool,
    shift: &citygrid_core::officer::Shift,
    created_by: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO officer_shifts (officer, starts_at, ends_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(&shift.officer)
    .bind(ts(shift.starts_at))
    .bind(ts(shift.ends_at))
    .bind(created_by)
    .execute(pool)
    .await?;
    Ok(())
}

/// Shifts overlapping `[from, to)`, of one officer or all, by start.
pub async fn shifts(
    pool: &SqlitePool,
    officer: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<citygrid_core::officer::Shift>, StoreError> {
    let rows = sqlx::query(
        "SELECT * FROM officer_shifts WHERE (? IS NULL OR officer = ?) AND ends_at > ? AND starts_at < ? \
         ORDER BY starts_at, id LIMIT 10000",
    )
    .bind(officer)
    .bind(officer)
    .bind(ts(from))
    .bind(ts(to))
    .fetch_all(pool)
    .await?;
    rows.iter().map(shift_of).collect()
}
