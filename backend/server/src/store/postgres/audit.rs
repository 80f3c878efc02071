//! The append-only audit log in PostgreSQL (the statements are `sql/audit.rs`).

use async_trait::async_trait;

use super::PgStore;
use crate::store::{AuditEntry, AuditFilter, AuditStore, Page, StoreError, sql};

#[async_trait]
impl AuditStore for PgStore {
    async fn append_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        sql::append_audit(self.pool(), e).await
    }

    async fn query_audit(
        &self,
        f: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        sql::query_audit(self.pool(), f, limit).await
    }

    async fn audit_after(&self, page: Page) -> Result<Vec<AuditEntry>, StoreError> {
        sql::audit_after(self.pool(), page).await
    }
}
