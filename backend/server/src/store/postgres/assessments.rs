//! Assessments in the PostgreSQL store (the statements are `sql/assessments.rs`).

use async_trait::async_trait;
use citygrid_core::api::assessments::Assessment;
use citygrid_core::period::PeriodEntry;

use super::PgStore;
use crate::store::{AssessmentFilter, AssessmentStore, Page, SectionFact, StoreError, sql};

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

    async fn section_facts(&self, from: &str, to: &str) -> Result<Vec<SectionFact>, StoreError> {
        sql::section_facts(self.pool(), from, to).await
    }

    async fn assessments_after(&self, page: Page) -> Result<Vec<Assessment>, StoreError> {
        sql::assessments_after(self.pool(), page).await
    }

    async fn append_period_entries(
        &self,
        entries: &[PeriodEntry],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::append_period_entries(self.pool(), entries, keep_ids).await
    }

    async fn period_entries(&self, from: &str, to: &str) -> Result<Vec<PeriodEntry>, StoreError> {
        sql::period_entries(self.pool(), from, to).await
    }

    async fn period_entries_after(&self, page: Page) -> Result<Vec<PeriodEntry>, StoreError> {
        sql::period_entries_after(self.pool(), page).await
    }
}
