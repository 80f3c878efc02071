//! Officers' duty status history, GPS fixes and shifts in the embedded store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, StatusChange};

use super::{SqliteStore, ts};
use crate::store::rows::{fix_of, shift_of, status_of};
use crate::store::{DispatchStore, StoreError};

#[async_trait]
impl DispatchStore for SqliteStore {
    async fn append_status(&self, s: &StatusChange) -> Result<(), StoreError> {
        let pool = &self.pool;
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
    async fn latest_statuses(&self) -> Result<Vec<StatusChange>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query(
            "SELECT s.* FROM officer_status s JOIN \
         (SELECT officer, MAX(seq) AS seq FROM officer_status GROUP BY officer) l ON l.seq = s.seq",
        )
        .fetch_all(pool)
        .await?;
        rows.iter().map(status_of).collect()
    }
    /// An officer's status changes, newest first.
    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<StatusChange>, StoreError> {
        let pool = &self.pool;
        let rows =
            sqlx::query("SELECT * FROM officer_status WHERE officer = ? ORDER BY seq DESC LIMIT ?")
                .bind(officer)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
        rows.iter().map(status_of).collect()
    }
    /// Stores fixes, all or none.
    async fn insert_fixes(&self, fixes: &[Fix], received: DateTime<Utc>) -> Result<(), StoreError> {
        let pool = &self.pool;
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
    async fn latest_fixes(&self) -> Result<Vec<Fix>, StoreError> {
        let pool = &self.pool;
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
    async fn fixes(
        &self,
        officer: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Fix>, StoreError> {
        let pool = &self.pool;
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
    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let pool = &self.pool;
        Ok(sqlx::query("DELETE FROM officer_fixes WHERE at < ?")
            .bind(ts(before))
            .execute(pool)
            .await?
            .rows_affected())
    }
    async fn insert_shift(
        &self,
        shift: &citygrid_core::officer::Shift,
        created_by: &str,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
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
    async fn shifts(
        &self,
        officer: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<citygrid_core::officer::Shift>, StoreError> {
        let pool = &self.pool;
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
}
