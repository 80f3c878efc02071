//! Accounts: users with roles, argon2id passwords, opaque session tokens stored only as hashes,
//! and growing waits after repeated failed logins, per username and address (`throttle.rs`).

pub mod throttle;

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use citygrid_core::account::{Role, User};
use sha2::{Digest, Sha256};

use crate::store::{LoginThrottle, NewSession, NewUser, Store, StoreError};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The least zxcvbn score a password needs (3: "safely unguessable").
const MIN_PASSWORD_SCORE: u8 = 3;

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
    #[error("{0} already exists")]
    Duplicate(String),
    /// Wrong username or password (which one is not said).
    #[error("the username or password is wrong")]
    InvalidLogin,
    #[error("too many failed logins from this address; try again after {until}")]
    Locked { until: DateTime<Utc> },
    /// Refused because it would leave the district without anyone to manage it.
    #[error("{0}")]
    Refused(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(what) => AccountError::Duplicate(what),
            other => AccountError::Store(other),
        }
    }
}

/// An admin who can log in.
fn is_active_admin(user: &User) -> bool {
    user.role == Role::Admin && !user.disabled
}

/// Whether an admin who can log in remains besides the user `id`.
fn another_admin(users: &[User], id: i64) -> bool {
    users.iter().any(|u| u.id != id && is_active_admin(u))
}

/// A new session: the token is shown once, to the one who logged in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// A user to add.
#[derive(Debug, Clone)]
pub struct UserSpec {
    pub username: String,
    /// None: a password is made and returned.
    pub password: Option<String>,
    pub role: Role,
    pub display_name: Option<String>,
    pub scope: Vec<String>,
    pub officer: Option<String>,
}

/// A change to a user; what is `None` stays as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub scope: Option<Vec<String>>,
    /// `Some(None)` removes the officer code.
    pub officer: Option<Option<String>>,
    pub display_name: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub password: Option<PasswordChange>,
}

/// A new password an admin gives a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChange {
    /// This one.
    Set(String),
    /// A one-time password made here and returned once, for a user who forgot theirs.
    Reset,
}

#[derive(Debug, Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
}

/// Random text from an alphabet without look-alikes.
pub fn random_password(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0_u8; len];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// The rule for a password (NIST SP 800-63B): at least [`MIN_PASSWORD_CHARS`] characters, not
/// blank, and not easy to guess — not a common password or word, a keyboard run, a repetition,
/// a sequence, or the username (zxcvbn's estimate must be at least "safely unguessable",
/// about 10⁸ guesses). No rules about kinds of characters.
fn check_password(field: &'static str, password: &str, username: &str) -> Result<(), AccountError> {
    let refuse = |problem: String| Err(AccountError::Field { field, problem });
    if password.trim().is_empty() {
        return refuse("must not be blank".into());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return refuse(format!(
            "must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &[username]);
    if (estimate.score() as u8) < MIN_PASSWORD_SCORE {
        let why = estimate
            .feedback()
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map_or_else(String::new, |w| format!(" ({w})"));
        return refuse(format!(
            "is too easy to guess{why}; a few unrelated words make a good one"
        ));
    }
    Ok(())
}

/// A supervisor needs a scope and an officer needs an officer code: without them they would
/// see nothing.
fn check_role_fields(
    role: Role,
    scope: &[String],
    officer: Option<&str>,
) -> Result<(), AccountError> {
    if role == Role::Supervisor && scope.is_empty() {
        return Err(AccountError::Field {
            field: "scope",
            problem: "a supervisor needs the community or grid codes they answer for".into(),
        });
    }
    if role == Role::Officer && officer.is_none_or(|o| o.trim().is_empty()) {
        return Err(AccountError::Field {
            field: "officer",
            problem: "an officer's account needs their officer code".into(),
        });
    }
    Ok(())
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// A real hash of nothing, made once: checking against it costs what a real check costs.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_password(16)).unwrap_or_default())
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl Accounts {
    /// A supervisor's scope must name communities or grid cells of the district.
    pub fn check_scope(
        &self,
        atlas: &crate::atlas::Atlas,
        codes: &[String],
    ) -> Result<(), AccountError> {
        let base = atlas.base();
        let known = |c: &str| {
            base.communities.iter().any(|k| k.code.as_str() == c)
                || base.grids.iter().any(|g| g.code.as_str() == c)
        };
        match codes.iter().find(|c| !known(c)) {
            Some(unknown) => Err(AccountError::Field {
                field: "scope",
                problem: format!("{unknown:?} is neither a community nor a grid cell code"),
            }),
            None => Ok(()),
        }
    }

    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Adds a user; returns it and the password made for it, if none was given.
    pub async fn add_user(
        &self,
        spec: UserSpec,
        now: DateTime<Utc>,
    ) -> Result<(User, Option<String>), AccountError> {
        let username = spec.username.trim().to_owned();
        let valid = (3..=32).contains(&username.len())
            && username
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !valid {
            return Err(AccountError::Field {
                field: "username",
                problem: "3–32 characters: lower-case letters, digits, '.', '_', '-'".into(),
            });
        }
        let made = spec.password.is_none().then(|| random_password(16));
        let password = spec
            .password
            .clone()
            .or_else(|| made.clone())
            .unwrap_or_default();
        check_password("password", &password, &username)?;
        check_role_fields(spec.role, &spec.scope, spec.officer.as_deref())?;
        let new = NewUser {
            username: username.clone(),
            display_name: spec.display_name.clone(),
            role: spec.role,
            password_hash: hash_password(&password)?,
            scope: spec.scope.clone(),
            officer: spec.officer.clone(),
            must_change_password: made.is_some(),
        };
        let id = self.store.insert_user(&new, now).await?;
        let user = User {
            id,
            username,
            display_name: spec.display_name,
            role: spec.role,
            scope: spec.scope,
            officer: spec.officer,
            disabled: false,
            must_change_password: made.is_some(),
        };
        Ok((user, made))
    }

    /// A fresh installation's first administrator: created with a one-time password (returned)
    /// when there are no users at all.
    pub async fn ensure_admin(&self, now: DateTime<Utc>) -> Result<Option<String>, AccountError> {
        if self.store.count_users().await? > 0 {
            return Ok(None);
        }
        let spec = UserSpec {
            username: "admin".into(),
            password: None,
            role: Role::Admin,
            display_name: Some("管理员".into()),
            scope: Vec::new(),
            officer: None,
        };
        Ok(self.add_user(spec, now).await?.1)
    }

    /// Checks a password tried from `address` and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: std::net::IpAddr,
        now: DateTime<Utc>,
    ) -> Result<Session, AccountError> {
        let user = self.check_login(username, password, address, now).await?;
        self.open_session(user, now).await
    }

    /// A user changes their own password: the current one must be right (a wrong one counts
    /// towards the lockout, as at login), the new one must follow the rules and differ from it.
    /// Every session of the user ends; a new one is opened and returned.
    pub async fn change_own_password(
        &self,
        username: &str,
        current: &str,
        new: &str,
        address: std::net::IpAddr,
        now: DateTime<Utc>,
    ) -> Result<Session, AccountError> {
        check_password("new_password", new, username)?;
        if new == current {
            return Err(AccountError::Field {
                field: "new_password",
                problem: "must differ from the current password".into(),
            });
        }
        let mut user = self
            .check_login(username, current, address, now)
            .await
            .map_err(|e| match e {
                AccountError::InvalidLogin => AccountError::Field {
                    field: "current_password",
                    problem: "is not this user's password".into(),
                },
                other => other,
            })?;
        user.must_change_password = false;
        self.store
            .update_user(&user, Some(&hash_password(new)?))
            .await?;
        self.open_session(user, now).await
    }

    /// The user whose password this is, tried from `address`. Failures are counted by
    /// username and address (`throttle.rs`); a throttled attempt is refused before the password
    /// is checked, alike for existing and unknown usernames.
    async fn check_login(
        &self,
        username: &str,
        password: &str,
        address: std::net::IpAddr,
        now: DateTime<Utc>,
    ) -> Result<User, AccountError> {
        use throttle::{ACCOUNT, ADDRESS, EVERY_ADDRESS, PAIR};
        let name = throttle::key_name(username);
        let address = address.to_string();
        let keys = [
            (name.as_str(), address.as_str()),
            ("", address.as_str()),
            (name.as_str(), EVERY_ADDRESS),
        ];
        let found = self.store.login_throttles(&keys).await?;
        let [mut pair, mut from_address, mut account] = keys.map(|(u, a)| {
            found
                .iter()
                .find(|t| t.username == u && t.address == a)
                .cloned()
                .unwrap_or_else(|| throttle::fresh(u, a))
        });
        let known = throttle::known(&pair, now);
        // Until when the three hold this attempt back (a known address: its own pair only).
        let held = |pair: &LoginThrottle, from_address: &LoginThrottle, account: &LoginThrottle| {
            let budgets = [from_address, account].map(|t| throttle::blocked(t, now));
            std::iter::once(throttle::blocked(pair, now))
                .chain(budgets.into_iter().filter(|_| !known))
                .flatten()
                .max()
        };
        if let Some(until) = held(&pair, &from_address, &account) {
            return Err(AccountError::Locked { until });
        }
        let user = match self.store.credentials(&name).await? {
            Some(c) if !c.user.disabled && verify(password, &c.password_hash) => Some(c.user),
            Some(_) => None,
            None => {
                // The same work as a real check, so timing does not tell which usernames exist.
                let _ = verify(password, dummy_hash());
                None
            }
        };
        if let Some(user) = user {
            throttle::succeed(&mut pair, now);
            self.store.put_login_throttle(&pair).await?;
            if account.failures > 0 {
                account.failures = 0;
                account.blocked_until = None;
                self.store.put_login_throttle(&account).await?;
            }
            return Ok(user);
        }
        throttle::fail(&mut pair, PAIR, now);
        throttle::fail(&mut from_address, ADDRESS, now);
        throttle::fail(&mut account, ACCOUNT, now);
        for t in [&pair, &from_address, &account] {
            self.store.put_login_throttle(t).await?;
        }
        Err(
            held(&pair, &from_address, &account).map_or(AccountError::InvalidLogin, |until| {
                AccountError::Locked { until }
            }),
        )
    }

    /// Every failed-login throttle with failures, the latest first.
    pub async fn throttles(&self) -> Result<Vec<LoginThrottle>, AccountError> {
        let mut all = self.store.list_login_throttles().await?;
        all.retain(|t| t.failures > 0);
        Ok(all)
    }

    /// Forgets the failures of a username, an address or both; how many throttles had some.
    pub async fn clear_throttles(
        &self,
        username: Option<&str>,
        address: Option<&str>,
    ) -> Result<u64, AccountError> {
        if username.is_none() && address.is_none() {
            return Err(AccountError::Field {
                field: "username",
                problem: "name a username, an address or both".into(),
            });
        }
        let name = username.map(throttle::key_name);
        Ok(self
            .store
            .clear_login_throttles(name.as_deref(), address.map(str::trim))
            .await?)
    }

    /// Deletes throttles that no longer hold anything back or remember anything.
    pub async fn prune_throttles(&self, now: DateTime<Utc>) -> Result<u64, AccountError> {
        Ok(self
            .store
            .prune_login_throttles(now - throttle::FORGET_AFTER, now - throttle::KNOWN_FOR)
            .await?)
    }

    /// Opens a session for a user whose identity is already established (after a password
    /// check, or by an operator's tool).
    pub async fn open_session(
        &self,
        user: User,
        now: DateTime<Utc>,
    ) -> Result<Session, AccountError> {
        let mut raw = [0_u8; 32];
        OsRng.fill_bytes(&mut raw);
        let token = hex::encode(raw);
        let expires_at = now + Duration::hours(SESSION_HOURS);
        self.store
            .insert_session(&NewSession {
                token_hash: token_hash(&token),
                user: user.id,
                created_at: now,
                expires_at,
            })
            .await?;
        Ok(Session {
            token,
            expires_at,
            user,
        })
    }

    /// Every user.
    pub async fn users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.store.list_users().await?)
    }

    /// Changes a user; their sessions end. The changed user with the password made for them
    /// (on a reset), or `None` if there is no user with this id.
    pub async fn change_user(
        &self,
        id: i64,
        change: UserChange,
    ) -> Result<Option<(User, Option<String>)>, AccountError> {
        let users = self.store.list_users().await?;
        let Some(mut user) = users.iter().find(|u| u.id == id).cloned() else {
            return Ok(None);
        };
        let was_admin = is_active_admin(&user);
        if let Some(role) = change.role {
            user.role = role;
        }
        if let Some(scope) = change.scope {
            user.scope = scope;
        }
        if let Some(officer) = change.officer {
            user.officer = officer;
        }
        if let Some(name) = change.display_name {
            user.display_name = name;
        }
        if let Some(disabled) = change.disabled {
            user.disabled = disabled;
        }
        check_role_fields(user.role, &user.scope, user.officer.as_deref())?;
        if was_admin && !is_active_admin(&user) && !another_admin(&users, id) {
            return Err(AccountError::Refused(
                "the last admin cannot lose the role or be disabled: make another admin first"
                    .to_owned(),
            ));
        }
        let made = (change.password == Some(PasswordChange::Reset)).then(|| random_password(16));
        match change.password {
            Some(PasswordChange::Reset) => user.must_change_password = true,
            Some(PasswordChange::Set(_)) => user.must_change_password = false,
            None => {}
        }
        let hash = match (&change.password, &made) {
            (Some(PasswordChange::Set(p)), _) => {
                check_password("password", p, &user.username)?;
                Some(hash_password(p)?)
            }
            (_, Some(p)) => Some(hash_password(p)?),
            _ => None,
        };
        let found = self.store.update_user(&user, hash.as_deref()).await?;
        if found && hash.is_some() {
            // A new password starts without the old one's failures.
            self.store
                .clear_login_throttles(Some(&user.username), None)
                .await?;
        }
        Ok(found.then_some((user, made)))
    }

    /// Deletes a user (their sessions end; what they did stays in the history under their
    /// name). Nobody deletes their own account, and the last admin stays. The deleted user, or
    /// `None` if there is no user with this id.
    pub async fn delete_user(&self, id: i64, by: i64) -> Result<Option<User>, AccountError> {
        if id == by {
            return Err(AccountError::Refused(
                "an admin cannot delete their own account".to_owned(),
            ));
        }
        let users = self.store.list_users().await?;
        let Some(user) = users.iter().find(|u| u.id == id).cloned() else {
            return Ok(None);
        };
        if is_active_admin(&user) && !another_admin(&users, id) {
            return Err(AccountError::Refused(
                "the last admin cannot be deleted: make another admin first".to_owned(),
            ));
        }
        Ok(self.store.delete_user(id).await?.then_some(user))
    }

    /// The user a token belongs to, if its session is live.
    pub async fn user(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, AccountError> {
        Ok(self.store.session_user(&token_hash(token), now).await?)
    }

    /// Ends a session; whether it was live.
    pub async fn logout(&self, token: &str) -> Result<bool, AccountError> {
        Ok(self.store.revoke_session(&token_hash(token)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessable_passwords_are_refused_and_good_ones_taken() {
        for weak in [
            "aaaaaaaaaa",
            "1234567890",
            "li.nali.na",
            "          ",
            "password123",
            "qwertyuiop",
            "short",
        ] {
            let refused = check_password("password", weak, "li.na");
            assert!(
                matches!(
                    refused,
                    Err(AccountError::Field {
                        field: "password",
                        ..
                    })
                ),
                "{weak:?} was taken"
            );
        }
        for good in [
            "correct horse battery",
            "沱河路摊点 night shift",
            &random_password(16),
        ] {
            assert!(
                check_password("password", good, "li.na").is_ok(),
                "{good:?}"
            );
        }
    }
}
