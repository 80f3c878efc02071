//! Users and sessions, for both stores (PostgreSQL alone also keeps shared rate buckets).

use chrono::{DateTime, Utc};
use citygrid_core::account::User;
use sqlx::Pool;

use super::{Arg, Dialect, Found, Sql};
use crate::store::rows::{credentials_of, throttle_of, user_of};
use crate::store::{Credentials, LoginThrottle, NewSession, NewUser, StoreError};

/// A user's columns (`u.`), as [`user_of`] reads them.
fn user_columns<DB: Dialect>() -> String {
    format!(
        "u.id, u.username, u.display_name, u.role, {}, u.officer, u.disabled, u.must_change_password",
        DB::json_text("u.scope", "scope")
    )
}

/// Creates a user; a taken username is [`StoreError::Duplicate`].
pub(in crate::store) async fn insert_user<DB: Dialect>(
    pool: &Pool<DB>,
    u: &NewUser,
    now: DateTime<Utc>,
) -> Found<i64> {
    let q = Sql::new(
        "INSERT INTO users (username, display_name, role, password_hash, scope, officer, created_at, \
         must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .arg(&u.username)
    .arg(&u.display_name)
    .arg(u.role.as_str())
    .arg(&u.password_hash)
    .arg(Arg::json(&u.scope)?)
    .arg(&u.officer)
    .arg(now)
    .arg(u.must_change_password);
    match DB::int(pool, q).await {
        Ok(id) => id.ok_or_else(|| StoreError::Encode("no id for the new user".into())),
        Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
            Err(StoreError::Duplicate(format!("user {}", u.username)))
        }
        Err(e) => Err(e),
    }
}

/// A user with what a login checks.
pub(in crate::store) async fn credentials<DB: Dialect>(
    pool: &Pool<DB>,
    username: &str,
) -> Found<Option<Credentials>> {
    let q = Sql::new(format!(
        "SELECT {}, u.password_hash FROM users u WHERE u.username = ?",
        user_columns::<DB>()
    ))
    .arg(username);
    DB::optional(pool, q)
        .await?
        .as_ref()
        .map(credentials_of)
        .transpose()
}

const THROTTLE_COLUMNS: &str =
    "username, address, failures, last_failure, blocked_until, last_login";

/// The throttles of these keys that exist.
pub(in crate::store) async fn login_throttles<DB: Dialect>(
    pool: &Pool<DB>,
    keys: &[(&str, &str)],
) -> Found<Vec<LoginThrottle>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let wanted = vec!["(username = ? AND address = ?)"; keys.len()].join(" OR ");
    let mut q = Sql::new(format!(
        "SELECT {THROTTLE_COLUMNS} FROM login_throttles WHERE {wanted}"
    ));
    for (username, address) in keys {
        q = q.arg(*username).arg(*address);
    }
    DB::all(pool, q).await?.iter().map(throttle_of).collect()
}

pub(in crate::store) async fn put_login_throttle<DB: Dialect>(
    pool: &Pool<DB>,
    t: &LoginThrottle,
) -> Found<()> {
    let q = Sql::new(format!(
        "INSERT INTO login_throttles ({THROTTLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (username, address) DO UPDATE SET failures = excluded.failures, \
         last_failure = excluded.last_failure, blocked_until = excluded.blocked_until, \
         last_login = excluded.last_login"
    ))
    .arg(&t.username)
    .arg(&t.address)
    .arg(t.failures)
    .arg(t.last_failure)
    .arg(t.blocked_until)
    .arg(t.last_login);
    DB::execute(pool, q).await.map(drop)
}

pub(in crate::store) async fn list_login_throttles<DB: Dialect>(
    pool: &Pool<DB>,
) -> Found<Vec<LoginThrottle>> {
    let q = Sql::new(format!(
        "SELECT {THROTTLE_COLUMNS} FROM login_throttles \
         ORDER BY last_failure IS NULL, last_failure DESC, username, address"
    ));
    DB::all(pool, q).await?.iter().map(throttle_of).collect()
}

pub(in crate::store) async fn clear_login_throttles<DB: Dialect>(
    pool: &Pool<DB>,
    username: Option<&str>,
    address: Option<&str>,
) -> Found<u64> {
    let mut conditions = vec!["failures > 0"];
    let mut args = Vec::new();
    if let Some(u) = username {
        conditions.push("username = ?");
        args.push(u);
    }
    if let Some(a) = address {
        conditions.push("address = ?");
        args.push(a);
    }
    if args.is_empty() {
        return Ok(0);
    }
    let mut q = Sql::new(format!(
        "UPDATE login_throttles SET failures = 0, blocked_until = NULL WHERE {}",
        conditions.join(" AND ")
    ));
    for a in args {
        q = q.arg(a);
    }
    DB::execute(pool, q).await
}

pub(in crate::store) async fn prune_login_throttles<DB: Dialect>(
    pool: &Pool<DB>,
    failures_before: DateTime<Utc>,
    logins_before: DateTime<Utc>,
) -> Found<u64> {
    let q = Sql::new(
        "DELETE FROM login_throttles WHERE (last_failure IS NULL OR last_failure < ?) \
         AND (blocked_until IS NULL OR blocked_until < ?) \
         AND (last_login IS NULL OR last_login < ?)",
    )
    .arg(failures_before)
    .arg(failures_before)
    .arg(logins_before);
    DB::execute(pool, q).await
}

pub(in crate::store) async fn insert_session<DB: Dialect>(
    pool: &Pool<DB>,
    s: &NewSession,
) -> Found<()> {
    let q = Sql::new(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .arg(&s.token_hash)
    .arg(s.user)
    .arg(s.created_at)
    .arg(s.expires_at);
    DB::execute(pool, q).await.map(drop)
}

/// The user of a live session (not revoked, not expired, user not disabled).
pub(in crate::store) async fn session_user<DB: Dialect>(
    pool: &Pool<DB>,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Found<Option<User>> {
    let q = Sql::new(format!(
        "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ? AND NOT s.revoked AND s.expires_at > ? AND NOT u.disabled",
        user_columns::<DB>()
    ))
    .arg(token_hash)
    .arg(now);
    DB::optional(pool, q)
        .await?
        .as_ref()
        .map(user_of)
        .transpose()
}

/// Revokes a session; whether it was live.
pub(in crate::store) async fn revoke_session<DB: Dialect>(
    pool: &Pool<DB>,
    token_hash: &str,
) -> Found<bool> {
    let q = Sql::new("UPDATE sessions SET revoked = TRUE WHERE token_hash = ? AND NOT revoked")
        .arg(token_hash);
    Ok(DB::execute(pool, q).await? == 1)
}

pub(in crate::store) async fn count_users<DB: Dialect>(pool: &Pool<DB>) -> Found<i64> {
    Ok(DB::int(pool, Sql::new("SELECT count(*) FROM users"))
        .await?
        .unwrap_or(0))
}

pub(in crate::store) async fn list_users<DB: Dialect>(pool: &Pool<DB>) -> Found<Vec<User>> {
    let q = Sql::new(format!(
        "SELECT {} FROM users u ORDER BY u.id",
        user_columns::<DB>()
    ));
    DB::all(pool, q).await?.iter().map(user_of).collect()
}

/// Writes a user's role, scope, officer code, name and flags, and a new password hash if given,
/// and ends their sessions, in one transaction, so that nobody
/// keeps rights they no longer have. Whether the user exists.
pub(in crate::store) async fn update_user<DB: Dialect>(
    pool: &Pool<DB>,
    user: &User,
    password_hash: Option<&str>,
) -> Found<bool> {
    let update = Sql::new(
        "UPDATE users SET role = ?, scope = ?, officer = ?, display_name = ?, disabled = ?, \
         must_change_password = ?, password_hash = COALESCE(?, password_hash) WHERE id = ?",
    )
    .arg(user.role.as_str())
    .arg(Arg::json(&user.scope)?)
    .arg(&user.officer)
    .arg(&user.display_name)
    .arg(user.disabled)
    .arg(user.must_change_password)
    .arg(password_hash)
    .arg(user.id)
    .changing_one(format!("user {}", user.id));
    let revoke = Sql::new("UPDATE sessions SET revoked = TRUE WHERE user_id = ? AND NOT revoked")
        .arg(user.id);
    match DB::transaction(pool, vec![update, revoke]).await {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Deletes a user and their sessions in one transaction. Whether the user existed.
pub(in crate::store) async fn delete_user<DB: Dialect>(pool: &Pool<DB>, id: i64) -> Found<bool> {
    let sessions = Sql::new("DELETE FROM sessions WHERE user_id = ?").arg(id);
    let user = Sql::new("DELETE FROM users WHERE id = ?")
        .arg(id)
        .changing_one(format!("user {id}"));
    match DB::transaction(pool, vec![sessions, user]).await {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}
