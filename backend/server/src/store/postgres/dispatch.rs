//! Officers' duty status history, GPS fixes and shifts in PostgreSQL: the same contract as the
//! embedded store's.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, Shift, StatusChange};

use super::PgStore;
use crate::store::rows::{fix_of, shift_of, status_of};
use crate::store::{DispatchStore, StoreError};

#[async_trait]
impl DispatchStore for PgStore {
    async fn append_status(&self, s: &StatusChange) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO officer_status (officer, status, at, actor) VALUES ($1, $2, $3, $4)",
        )
        .bind(&s.officer)
        .bind(s.status.as_str())
        .bind(s.at)
        .bind(&s.actor)
        .execute(self.pool())
        .await?;
        Ok(())
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

    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<StatusChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, officer, status, at, actor FROM officer_status WHERE officer = $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(officer)
        .bind(limit as i64)
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

    async fn fixes(
        &self,
        officer: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Fix>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, officer, lon, lat, accuracy_m, at FROM officer_fixes \
             WHERE officer = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT $4",
        )
        .bind(officer)
        .bind(from)
        .bind(to)
        .bind(limit as i64)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(fix_of).collect()
    }

    async fn insert_shift(&self, shift: &Shift, created_by: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO officer_shifts (officer, starts_at, ends_at, created_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(&shift.officer)
        .bind(shift.starts_at)
        .bind(shift.ends_at)
        .bind(created_by)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn shifts(
        &self,
        officer: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Shift>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, officer, starts_at, ends_at FROM officer_shifts \
             WHERE ($1::text IS NULL OR officer = $1) AND ends_at > $2 AND starts_at < $3 \
             ORDER BY starts_at, id LIMIT 10000",
        )
        .bind(officer)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(shift_of).collect()
    }

    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM officer_fixes WHERE at < $1")
            .bind(before)
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
