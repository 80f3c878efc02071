//! Users and sessions in PostgreSQL (the statements are `sql/accounts.rs`), and the rate
//! buckets every server on the database shares.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::account::User;

use super::PgStore;
use crate::store::{
    AccountStore, Credentials, LoginThrottle, NewSession, NewUser, RateToken, StoreError, sql,
};

#[async_trait]
impl AccountStore for PgStore {
    async fn insert_user(&self, u: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        sql::insert_user(self.pool(), u, now).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        sql::credentials(self.pool(), username).await
    }

    async fn login_throttles(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<LoginThrottle>, StoreError> {
        sql::login_throttles(self.pool(), keys).await
    }

    async fn put_login_throttle(&self, throttle: &LoginThrottle) -> Result<(), StoreError> {
        sql::put_login_throttle(self.pool(), throttle).await
    }

    async fn list_login_throttles(&self) -> Result<Vec<LoginThrottle>, StoreError> {
        sql::list_login_throttles(self.pool()).await
    }

    async fn clear_login_throttles(
        &self,
        username: Option<&str>,
        address: Option<&str>,
    ) -> Result<u64, StoreError> {
        sql::clear_login_throttles(self.pool(), username, address).await
    }

    async fn prune_login_throttles(
        &self,
        failures_before: DateTime<Utc>,
        logins_before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        sql::prune_login_throttles(self.pool(), failures_before, logins_before).await
    }

    async fn insert_session(&self, session: &NewSession) -> Result<(), StoreError> {
        sql::insert_session(self.pool(), session).await
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        sql::session_user(self.pool(), token_hash, now).await
    }

    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        sql::revoke_session(self.pool(), token_hash).await
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        sql::count_users(self.pool()).await
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        sql::list_users(self.pool()).await
    }

    async fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        sql::delete_user(self.pool(), id).await
    }

    async fn update_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        sql::update_user(self.pool(), user, password_hash).await
    }

    async fn take_rate_token(
        &self,
        key: &str,
        per_minute: f64,
    ) -> Result<Option<RateToken>, StoreError> {
        // The database's clock, so that servers whose clocks differ agree. The refill is
        // computed from the old row in one statement, so concurrent takes queue on the row.
        let refilled =
            "LEAST($2, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.last)) * $2 / 60)";
        let (taken, tokens, inserted): (bool, f64, bool) = sqlx::query_as(&format!(
            "INSERT INTO rate_buckets AS b (key, tokens, taken, last) VALUES ($1, $2 - 1, true, now()) \
             ON CONFLICT (key) DO UPDATE SET taken = {refilled} >= 1, \
               tokens = {refilled} - CASE WHEN {refilled} >= 1 THEN 1 ELSE 0 END, \
               last = GREATEST(b.last, now()) \
             RETURNING taken, tokens, xmax = 0"
        ))
        .bind(key)
        .bind(per_minute)
        .fetch_one(self.pool())
        .await?;
        if inserted {
            // Buckets idle long enough to be full again go; rows another server is taking
            // from are skipped, so this never waits.
            sqlx::query(
                "DELETE FROM rate_buckets WHERE key IN (SELECT key FROM rate_buckets \
                 WHERE last < now() - interval '2 minutes' FOR UPDATE SKIP LOCKED)",
            )
            .execute(self.pool())
            .await?;
        }
        Ok(Some(if taken {
            RateToken::Taken
        } else {
            RateToken::Empty(((1.0 - tokens) * 60.0 / per_minute).ceil().max(1.0) as u64)
        }))
    }
}
