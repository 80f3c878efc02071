//! The append-only audit log in PostgreSQL.

use async_trait::async_trait;

use super::PgStore;
use crate::store::rows::audit_of;
use crate::store::{AuditEntry, AuditFilter, AuditStore, StoreError};

#[async_trait]
impl AuditStore for PgStore {
    async fn append_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit (at, actor, origin, action, status, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.at)
        .bind(&e.actor)
        .bind(&e.origin)
        .bind(&e.action)
        .bind(e.status)
        .bind(&e.detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn query_audit(
        &self,
        f: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut q: sqlx::QueryBuilder<sqlx::Postgres> =
            sqlx::QueryBuilder::new("SELECT * FROM audit WHERE true");
        if let Some(actor) = &f.actor {
            q.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(action) = &f.action {
            // A prefix: `POST /api/v1/cases` finds every case change.
            q.push(" AND left(action, ")
                .push_bind(action.chars().count() as i32)
                .push(") = ")
                .push_bind(action.clone());
        }
        if let Some(t) = f.from {
            q.push(" AND at >= ").push_bind(t);
        }
        if let Some(t) = f.to {
            q.push(" AND at < ").push_bind(t);
        }
        if let Some(before) = f.before {
            q.push(" AND seq < ").push_bind(before);
        }
        q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit as i64);
        let rows = q.build().fetch_all(self.pool()).await?;
        rows.iter().map(audit_of).collect()
    }

    async fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after)
            .bind(limit as i64)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(audit_of).collect()
    }
}
