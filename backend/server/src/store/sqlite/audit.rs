//! The append-only audit log in the embedded store.

use async_trait::async_trait;

use super::{SqliteStore, ts};
use crate::store::rows::audit_of;
use crate::store::{AuditEntry, AuditFilter, AuditStore, StoreError};

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query(
        "INSERT INTO audit (at, actor, origin, action, status, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(ts(e.at))
    .bind(&e.actor)
    .bind(&e.origin)
    .bind(&e.action)
    .bind(e.status)
    .bind(&e.detail)
    .execute(pool)
    .await?;
        Ok(())
    }
    async fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?")
            .bind(after)
            .bind(limit as i64)
            .fetch_all(pool)
            .await?;
        rows.iter().map(audit_of).collect()
    }
    /// Audit entries matching a filter, newest first.
    async fn query_audit(
        &self,
        f: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let pool = &self.pool;
        let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
            sqlx::QueryBuilder::new("SELECT * FROM audit WHERE 1 = 1");
        if let Some(actor) = &f.actor {
            q.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(action) = &f.action {
            // A prefix: `POST /api/v1/cases` finds every case change.
            q.push(" AND substr(action, 1, ")
                .push_bind(action.chars().count() as i64)
                .push(") = ")
                .push_bind(action.clone());
        }
        if let Some(t) = f.from {
            q.push(" AND at >= ").push_bind(ts(t));
        }
        if let Some(t) = f.to {
            q.push(" AND at < ").push_bind(ts(t));
        }
        if let Some(before) = f.before {
            q.push(" AND seq < ").push_bind(before);
        }
        q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit as i64);
        let rows = q.build().fetch_all(pool).await?;
        rows.iter().map(audit_of).collect()
    }
}
