//! Users and sessions in the embedded store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::account::User;
use sqlx::Row;

use super::{SqliteStore, ts};
use crate::store::rows::user_of;
use crate::store::{AccountStore, Credentials, NewUser, StoreError};

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_user(&self, u: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let pool = &self.pool;
        let result = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, password_hash, scope, officer, created_at, must_change_password) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(u.role.as_str())
    .bind(&u.password_hash)
    .bind(serde_json::Value::from(u.scope.clone()).to_string())
    .bind(&u.officer)
    .bind(ts(now))
    .bind(i64::from(u.must_change_password))
    .fetch_one(pool)
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
        let pool = &self.pool;
        let row = sqlx::query("SELECT * FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let locked: Option<String> = row.try_get("locked_until")?;
        Ok(Some(Credentials {
            user: user_of(&row)?,
            password_hash: row.try_get("password_hash")?,
            failed_logins: row.try_get("failed_logins")?,
            locked_until: locked
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc)),
        }))
    }
    async fn record_login(
        &self,
        user: i64,
        failed_logins: i64,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")
            .bind(failed_logins)
            .bind(locked_until.map(ts))
            .bind(user)
            .execute(pool)
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
        let pool = &self.pool;
        sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(ts(now))
    .bind(ts(expires))
    .execute(pool)
    .await?;
        Ok(())
    }
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        let pool = &self.pool;
        let row = sqlx::query(
            "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ? AND s.revoked = 0 AND s.expires_at > ? AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(pool)
        .await?;
        row.as_ref().map(user_of).transpose()
    }
    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let done =
            sqlx::query("UPDATE sessions SET revoked = 1 WHERE token_hash = ? AND revoked = 0")
                .bind(token_hash)
                .execute(pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }
    async fn count_users(&self) -> Result<i64, StoreError> {
        let pool = &self.pool;
        Ok(sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(pool)
            .await?)
    }
    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query("SELECT * FROM users ORDER BY id")
            .fetch_all(pool)
            .await?;
        rows.iter().map(user_of).collect()
    }
    /// Writes a user's role, scope, officer code, name and disabled flag (and, if given, a new
    /// password hash, which also clears a lock), and ends their sessions, so that nobody keeps
    /// rights they no longer have. Whether the user exists.
    async fn update_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE users SET role = ?, scope = ?, officer = ?, display_name = ?, disabled = ?, \
         must_change_password = ?, password_hash = COALESCE(?, password_hash), \
         failed_logins = CASE WHEN ? IS NULL THEN failed_logins ELSE 0 END, \
         locked_until = CASE WHEN ? IS NULL THEN locked_until ELSE NULL END \
         WHERE id = ?",
        )
        .bind(user.role.as_str())
        .bind(serde_json::Value::from(user.scope.clone()).to_string())
        .bind(&user.officer)
        .bind(&user.display_name)
        .bind(i64::from(user.disabled))
        .bind(i64::from(user.must_change_password))
        .bind(password_hash)
        .bind(password_hash)
        .bind(password_hash)
        .bind(user.id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query("UPDATE sessions SET revoked = 1 WHERE user_id = ? AND revoked = 0")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(updated)
    }
}
