//! Officers' duty status history, GPS fixes and shifts in the embedded store.

use std::ops::Range;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, Shift, StatusChange};

use super::{SqliteStore, ts};
use crate::store::rows::{fix_of, status_of};
use crate::store::{DispatchStore, StoreError, sql};

#[async_trait]
impl DispatchStore for SqliteStore {
    async fn append_status(&self, s: &StatusChange) -> Result<(), StoreError> {
        sql::append_status(&self.pool, s).await
    }

    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<StatusChange>, StoreError> {
        sql::status_history(&self.pool, officer, limit).await
    }

    async fn fixes(
        &self,
        officer: &str,
        taken: Range<DateTime<Utc>>,
    ) -> Result<Vec<Fix>, StoreError> {
        sql::fixes(&self.pool, officer, taken).await
    }

    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        sql::delete_fixes_before(&self.pool, before).await
    }

    async fn insert_shift(&self, shift: &Shift, created_by: &str) -> Result<(), StoreError> {
        sql::insert_shift(&self.pool, shift, created_by).await
    }

    async fn shifts(
        &self,
        officer: Option<&str>,
        span: Range<DateTime<Utc>>,
    ) -> Result<Vec<Shift>, StoreError> {
        sql::shifts(&self.pool, officer, span).await
    }

    /// Each officer's latest status: the newest by sequence, found through the grouped maximum
    /// (SQLite has no `DISTINCT ON`).
    async fn latest_statuses(&self) -> Result<Vec<StatusChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.* FROM officer_status s JOIN \
             (SELECT officer, MAX(seq) AS seq FROM officer_status GROUP BY officer) l ON l.seq = s.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(status_of).collect()
    }

    /// Stores fixes, all or none: one statement per fix inside one transaction.
    async fn insert_fixes(&self, fixes: &[Fix], received: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for f in fixes {
            sqlx::query(
                "INSERT INTO officer_fixes (officer, lon, lat, accuracy_m, at, received_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
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
        let rows = sqlx::query(
            "SELECT f.* FROM officer_fixes f JOIN \
             (SELECT officer, MAX(at) AS at FROM officer_fixes GROUP BY officer) l \
             ON l.officer = f.officer AND l.at = f.at GROUP BY f.officer",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(fix_of).collect()
    }
}
