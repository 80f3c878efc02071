//! Campaigns, actions and applications in the embedded store (the statements are
//! `sql/fieldwork.rs`).

use async_trait::async_trait;
use citygrid_core::api::approvals::Application;
use citygrid_core::api::campaigns::{Action, Campaign};
use citygrid_core::api::hotline::WorkOrder;
use citygrid_core::api::report_draft::ReportText;

use super::SqliteStore;
use crate::store::{
    ActionFilter, ApplicationFilter, CampaignFilter, FieldworkStore, Page, StoreError,
    WorkOrderFilter, sql,
};

#[async_trait]
impl FieldworkStore for SqliteStore {
    async fn insert_campaigns(
        &self,
        items: &[Campaign],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::insert_campaigns(&self.pool, items, keep_ids).await
    }

    async fn update_campaign(&self, c: &Campaign, from_version: i64) -> Result<(), StoreError> {
        sql::update_campaign(&self.pool, c, from_version).await
    }

    async fn campaigns(&self, filter: &CampaignFilter) -> Result<Vec<Campaign>, StoreError> {
        sql::campaigns(&self.pool, filter).await
    }

    async fn campaign(&self, id: i64) -> Result<Option<Campaign>, StoreError> {
        sql::kept_one(&self.pool, id).await
    }

    async fn campaigns_after(&self, page: Page) -> Result<Vec<Campaign>, StoreError> {
        sql::kept_after(&self.pool, page).await
    }

    async fn insert_actions(
        &self,
        items: &[Action],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::insert_actions(&self.pool, items, keep_ids).await
    }

    async fn actions(&self, filter: &ActionFilter) -> Result<Vec<Action>, StoreError> {
        sql::actions(&self.pool, filter).await
    }

    async fn actions_after(&self, page: Page) -> Result<Vec<Action>, StoreError> {
        sql::kept_after(&self.pool, page).await
    }

    async fn insert_applications(
        &self,
        items: &[Application],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::insert_applications(&self.pool, items, keep_ids).await
    }

    async fn update_application(
        &self,
        a: &Application,
        from_version: i64,
    ) -> Result<(), StoreError> {
        sql::update_application(&self.pool, a, from_version).await
    }

    async fn applications(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<Vec<Application>, StoreError> {
        sql::applications(&self.pool, filter).await
    }

    async fn application(&self, id: i64) -> Result<Option<Application>, StoreError> {
        sql::kept_one(&self.pool, id).await
    }

    async fn applications_after(&self, page: Page) -> Result<Vec<Application>, StoreError> {
        sql::kept_after(&self.pool, page).await
    }

    async fn count_application_numbers(&self, prefix: &str) -> Result<i64, StoreError> {
        sql::count_numbers(&self.pool, prefix).await
    }

    async fn insert_work_orders(
        &self,
        items: &[WorkOrder],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError> {
        sql::insert_work_orders(&self.pool, items, keep_ids).await
    }

    async fn update_work_order(&self, o: &WorkOrder, from_version: i64) -> Result<(), StoreError> {
        sql::update_work_order(&self.pool, o, from_version).await
    }

    async fn save_work_orders(
        &self,
        new: &[WorkOrder],
        changed: &[(WorkOrder, i64)],
    ) -> Result<Vec<i64>, StoreError> {
        sql::save_work_orders(&self.pool, new, changed).await
    }

    async fn work_orders(&self, filter: &WorkOrderFilter) -> Result<Vec<WorkOrder>, StoreError> {
        sql::work_orders(&self.pool, filter).await
    }

    async fn work_order(&self, id: i64) -> Result<Option<WorkOrder>, StoreError> {
        sql::kept_one(&self.pool, id).await
    }

    async fn work_orders_after(&self, page: Page) -> Result<Vec<WorkOrder>, StoreError> {
        sql::kept_after(&self.pool, page).await
    }

    async fn report_text(&self, quarter: &str) -> Result<Option<ReportText>, StoreError> {
        sql::report_text(&self.pool, quarter).await
    }

    async fn save_report_text(&self, t: &ReportText, from_version: i64) -> Result<(), StoreError> {
        sql::save_report_text(&self.pool, t, from_version).await
    }

    async fn insert_report_texts(&self, items: &[ReportText]) -> Result<(), StoreError> {
        sql::insert_report_texts(&self.pool, items, true)
            .await
            .map(|_| ())
    }

    async fn report_texts_after(&self, page: Page) -> Result<Vec<ReportText>, StoreError> {
        sql::kept_after(&self.pool, page).await
    }
}
