//! Users, sessions and the rate buckets every server shares, in PostgreSQL: the same contract
//! as the embedded store's, with native timestamps, booleans and jsonb.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::account::User;
use sqlx::Row;

use super::PgStore;
use crate::store::rows::user_of;
use crate::store::{AccountStore, Credentials, NewUser, RateToken, StoreError};

const USER_COLUMNS: &str = "id, username, display_name, role, scope::text AS scope, officer, disabled, must_change_password";

#[async_trait]
impl AccountStore for PgStore {
    async fn insert_user(&self, u: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let result = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, scope, officer, created_at, must_change_password) \
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(&u.password_hash)
        .bind(serde_json::Value::from(u.scope.clone()).to_string())
        .bind(&u.officer)
        .bind(now)
        .bind(u.must_change_password)
        .fetch_one(self.pool())
        .await;
        match result {
            Ok(id) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Duplicate(format!("user {}", u.username)))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash, failed_logins, locked_until FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Credentials {
            user: user_of(&row)?,
            password_hash: row.try_get("password_hash")?,
            failed_logins: row.try_get("failed_logins")?,
            locked_until: row.try_get("locked_until")?,
        }))
    }

    async fn record_login(
        &self,
        user: i64,
        failed_logins: i64,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(failed_logins)
            .bind(locked_until)
            .bind(user)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user: i64,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(now)
        .bind(expires)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.scope::text AS scope, u.officer, u.disabled, \
             u.must_change_password \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > $2 AND NOT u.disabled",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_of).transpose()
    }

    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE sessions SET revoked = true WHERE token_hash = $1 AND NOT revoked")
                .bind(token_hash)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(self.pool())
            .await?)
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_of).collect()
    }

    async fn update_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(
            "UPDATE users SET role = $1, scope = $2::jsonb, officer = $3, display_name = $4, disabled = $5, \
             password_hash = COALESCE($6, password_hash), \
             failed_logins = CASE WHEN $6 IS NULL THEN failed_logins ELSE 0 END, \
             locked_until = CASE WHEN $6 IS NULL THEN locked_until ELSE NULL END, \
             must_change_password = $8 \
             WHERE id = $7",
        )
        .bind(user.role.as_str())
        .bind(serde_json::Value::from(user.scope.clone()).to_string())
        .bind(&user.officer)
        .bind(&user.display_name)
        .bind(user.disabled)
        .bind(password_hash)
        .bind(user.id)
        .bind(user.must_change_password)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query("UPDATE sessions SET revoked = true WHERE user_id = $1 AND NOT revoked")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(updated)
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
