//! Assessments in the PostgreSQL store (the statements are `sql/assessments.rs`).

use async_trait::async_trait;
use citygrid_core::api::assessments::Assessment;

use super::PgStore;
use crate::store::{AssessmentFilter, AssessmentStore, Page, StoreError, sql};

#[async_trait]
impl AssessmentStore for PgStore {
    async fn insert_assessments(
        &self,
        items: &[Assessment],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::insert_assessments(self.pool(), items, keep_ids).await
    }

    async fn assessments(&self, filter: &AssessmentFilter) -> Result<Vec<Assessment>, StoreError> {
        sql::assessments(self.pool(), filter).await
    }

    async fn assessment(&self, id: i64) -> Result<Option<Assessment>, StoreError> {
        sql::assessment(self.pool(), id).await
    }

    async fn assessments_after(&self, page: Page) -> Result<Vec<Assessment>, StoreError> {
        sql::assessments_after(self.pool(), page).await
    }
}
