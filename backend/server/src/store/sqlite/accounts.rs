//! Users and sessions in the embedded store (the statements are `sql/accounts.rs`; the rate
//! buckets are counted in memory, one server per file).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::account::User;

use super::SqliteStore;
use crate::store::{AccountStore, Credentials, LoginState, NewSession, NewUser, StoreError, sql};

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_user(&self, u: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        sql::insert_user(&self.pool, u, now).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        sql::credentials(&self.pool, username).await
    }

    async fn record_login(&self, user: i64, state: &LoginState) -> Result<(), StoreError> {
        sql::record_login(&self.pool, user, state).await
    }

    async fn insert_session(&self, session: &NewSession) -> Result<(), StoreError> {
        sql::insert_session(&self.pool, session).await
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        sql::session_user(&self.pool, token_hash, now).await
    }

    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        sql::revoke_session(&self.pool, token_hash).await
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        sql::count_users(&self.pool).await
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        sql::list_users(&self.pool).await
    }

    async fn update_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        sql::update_user(&self.pool, user, password_hash).await
    }
}
