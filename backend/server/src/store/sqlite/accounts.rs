//! Users and sessions in the embedded store (the statements are `sql/accounts.rs`; the rate
//! buckets are counted in memory, one server per file).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::account::User;

use super::SqliteStore;
use crate::store::{
    AccountStore, Credentials, LoginThrottle, NewSession, NewUser, StoreError, sql,
};

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_user(&self, u: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        sql::insert_user(&self.pool, u, now).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        sql::credentials(&self.pool, username).await
    }

    async fn login_throttles(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<LoginThrottle>, StoreError> {
        sql::login_throttles(&self.pool, keys).await
    }

    async fn put_login_throttle(&self, throttle: &LoginThrottle) -> Result<(), StoreError> {
        sql::put_login_throttle(&self.pool, throttle).await
    }

    async fn list_login_throttles(&self) -> Result<Vec<LoginThrottle>, StoreError> {
        sql::list_login_throttles(&self.pool).await
    }

    async fn clear_login_throttles(
        &self,
        username: Option<&str>,
        address: Option<&str>,
    ) -> Result<u64, StoreError> {
        sql::clear_login_throttles(&self.pool, username, address).await
    }

    async fn prune_login_throttles(
        &self,
        failures_before: DateTime<Utc>,
        logins_before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        sql::prune_login_throttles(&self.pool, failures_before, logins_before).await
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

    async fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        sql::delete_user(&self.pool, id).await
    }

    async fn update_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        sql::update_user(&self.pool, user, password_hash).await
    }
}
