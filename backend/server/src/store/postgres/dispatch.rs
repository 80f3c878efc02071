//! Officers' duty status history, GPS fixes and shifts in PostgreSQL: the same contract as the
//! embedded store's; the newest status and fix of each officer come from `DISTINCT ON`, and
//! fixes are written in one UNNEST statement.

use std::ops::Range;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, Shift, StatusChange};

use super::PgStore;
use crate::store::rows::{fix_of, status_of};
use crate::store::{DispatchStore, StoreError, sql};

#[async_trait]
impl DispatchStore for PgStore {
    async fn append_status(&self, s: &StatusChange) -> Result<(), StoreError> {
        sql::append_status(self.pool(), s).await
    }

    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<StatusChange>, StoreError> {
        sql::status_history(self.pool(), officer, limit).await
    }

    async fn fixes(
        &self,
        officer: &str,
        taken: Range<DateTime<Utc>>,
    ) -> Result<Vec<Fix>, StoreError> {
        sql::fixes(self.pool(), officer, taken).await
    }

    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        sql::delete_fixes_before(self.pool(), before).await
    }

    async fn insert_shift(&self, shift: &Shift, created_by: &str) -> Result<(), StoreError> {
        sql::insert_shift(self.pool(), shift, created_by).await
    }

    async fn shifts(
        &self,
        officer: Option<&str>,
        span: Range<DateTime<Utc>>,
    ) -> Result<Vec<Shift>, StoreError> {
        sql::shifts(self.pool(), officer, span).await
    }

    async fn latest_statuses(&self) -> Result<Vec<StatusChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT ON (officer) seq, officer, status, at, actor FROM officer_status \
             ORDER BY officer, seq DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(status_of).collect()
    }

    async fn insert_fixes(&self, fixes: &[Fix], received: DateTime<Utc>) -> Result<(), StoreError> {
        // One statement: all or none.
        sqlx::query(
            "INSERT INTO officer_fixes (officer, lon, lat, accuracy_m, at, received_at) \
             SELECT o, x, y, a, t, $6 FROM UNNEST($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::timestamptz[]) AS u(o, x, y, a, t)",
        )
        .bind(fixes.iter().map(|f| f.officer.clone()).collect::<Vec<_>>())
        .bind(fixes.iter().map(|f| f.lon).collect::<Vec<_>>())
        .bind(fixes.iter().map(|f| f.lat).collect::<Vec<_>>())
        .bind(fixes.iter().map(|f| f.accuracy_m).collect::<Vec<_>>())
        .bind(fixes.iter().map(|f| f.at).collect::<Vec<_>>())
        .bind(received)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn latest_fixes(&self) -> Result<Vec<Fix>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT ON (officer) id, officer, lon, lat, accuracy_m, at FROM officer_fixes \
             ORDER BY officer, at DESC, id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(fix_of).collect()
    }
}
