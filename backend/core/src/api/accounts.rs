//! Sessions, users and the audit log: `/login`, `/logout`, `/me`, `/session`, `/users`,
//! `/audit`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::query::When;
use crate::access::Permission;
use crate::account::{Role, User};

/// A field that may be left out (no change), given as `null` (cleared) or given a value.
#[allow(clippy::option_option)] // the three cases a PATCH tells apart
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// A new session: the answer to `POST /login` and `POST /me/password`. The same token is also
/// set as an HttpOnly cookie; writes made with the cookie carry `csrf_token` in `X-CSRF-Token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionAnswer {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
    pub csrf_token: String,
}

/// `POST /me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PasswordBody {
    pub current_password: String,
    pub new_password: String,
}

/// `GET /me`: the logged-in user, the session's CSRF token and what the role may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    pub csrf_token: String,
    pub permissions: Vec<Permission>,
}

/// `GET /session`: who is logged in, if anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionState {
    pub user: Option<Me>,
}

/// `GET /users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Users {
    pub users: Vec<User>,
}

/// `POST /users`: a user to add; without a password one is made and returned once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewUserBody {
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Community or grid codes a supervisor answers for.
    #[serde(default)]
    pub scope: Option<Vec<String>>,
    /// An officer's staff code.
    #[serde(default)]
    pub officer: Option<String>,
}

/// `PATCH /users/{id}`: what to change; a field left out stays, `null` clears it.
#[allow(clippy::option_option)] // left out, null, or a value
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub scope: Option<Option<Vec<String>>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub officer: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// A new password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Have a one-time password made (and returned once) instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_password: Option<bool>,
}

/// A user added or changed, with the password made for them (shown this once), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UserAnswer {
    pub user: User,
    pub password: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The user, `anonymous`, or `cli` for the command line.
    pub actor: String,
    /// Where from: the client's address, or `cli`.
    pub origin: String,
    /// What: `POST /api/v1/cases`, `import grids`, …
    pub action: String,
    /// The HTTP status (0 for the command line's successes).
    pub status: i64,
    pub detail: Option<String>,
}

/// `GET /audit`: which entries, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    /// The user (or anonymous, cli).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// How the action starts, e.g. `POST /api/v1/login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// At or after (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<When>,
    /// Before (a date or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<When>,
    /// Page size (1–1000, default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<i64>,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_cursor: Option<i64>,
}

/// Failed logins counted for one username from one client address (`GET /login-throttles`).
/// `username` is empty for an address's failures across every account; `address` is `*` for
/// an account's failures from every address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoginThrottle {
    pub username: String,
    pub address: String,
    /// Failures in a row (forgotten an hour after the last).
    pub failures: i64,
    #[serde(default)]
    pub last_failure: Option<DateTime<Utc>>,
    /// Logging in this way waits until then.
    #[serde(default)]
    pub blocked_until: Option<DateTime<Utc>>,
    /// The last time the right password came from this address: a known address, which an
    /// account's lock does not hold back.
    #[serde(default)]
    pub last_login: Option<DateTime<Utc>>,
}

/// `GET /login-throttles`: what failed logins hold back now, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoginThrottles {
    pub throttles: Vec<LoginThrottle>,
}

/// `DELETE /login-throttles`: whose failures to forget — a username, an address, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ThrottleQuery {
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// How many throttles were cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cleared {
    pub cleared: u64,
}
