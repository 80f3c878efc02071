//! Accounts: users with roles, argon2id passwords, opaque session tokens stored only as hashes,
//! and a growing lock after repeated failed logins.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use citygrid_core::account::{Role, User};
use sha2::{Digest, Sha256};

use crate::store::{LoginState, NewSession, NewUser, Store, StoreError};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins in a row before the account is locked.
pub const MAX_FAILURES: i64 = 5;
/// The first lock; each further failure doubles it, up to a day.
pub const LOCK_MINUTES: i64 = 15;
pub const MIN_PASSWORD_CHARS: usize = 10;

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
    #[error("too many failed logins; try again after {until}")]
    Locked { until: DateTime<Utc> },
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

fn check_password(password: &str) -> Result<(), AccountError> {
    check_password_field("password", password)
}

fn check_password_field(field: &'static str, password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::Field {
            field,
            problem: format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        });
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
        check_password(&password)?;
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

    /// Checks a password and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<Session, AccountError> {
        let user = self.check_login(username, password, now).await?;
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
        now: DateTime<Utc>,
    ) -> Result<Session, AccountError> {
        check_password_field("new_password", new)?;
        if new == current {
            return Err(AccountError::Field {
                field: "new_password",
                problem: "must differ from the current password".into(),
            });
        }
        let mut user = self
            .check_login(username, current, now)
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

    /// The user whose password this is; failures are counted and lock the account.
    async fn check_login(
        &self,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<User, AccountError> {
        let Some(c) = self.store.credentials(username.trim()).await? else {
            // The same work as a real check, so timing does not tell which usernames exist.
            let _ = verify(password, dummy_hash());
            return Err(AccountError::InvalidLogin);
        };
        if let Some(until) = c.locked_until.filter(|u| *u > now) {
            return Err(AccountError::Locked { until });
        }
        if c.user.disabled || !verify(password, &c.password_hash) {
            let failed = c.failed_logins + 1;
            let locked = (failed >= MAX_FAILURES).then(|| {
                let doublings = u32::try_from((failed - MAX_FAILURES).min(7)).unwrap_or(7);
                now + Duration::minutes((LOCK_MINUTES << doublings).min(24 * 60))
            });
            self.store
                .record_login(
                    c.user.id,
                    &LoginState {
                        failed_logins: failed,
                        locked_until: locked,
                    },
                )
                .await?;
            return Err(match locked {
                Some(until) => AccountError::Locked { until },
                None => AccountError::InvalidLogin,
            });
        }
        self.store
            .record_login(c.user.id, &LoginState::default())
            .await?;
        Ok(c.user)
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
        let Some(mut user) = self
            .store
            .list_users()
            .await?
            .into_iter()
            .find(|u| u.id == id)
        else {
            return Ok(None);
        };
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
        let made = (change.password == Some(PasswordChange::Reset)).then(|| random_password(16));
        match change.password {
            Some(PasswordChange::Reset) => user.must_change_password = true,
            Some(PasswordChange::Set(_)) => user.must_change_password = false,
            None => {}
        }
        let hash = match (&change.password, &made) {
            (Some(PasswordChange::Set(p)), _) => {
                check_password(p)?;
                Some(hash_password(p)?)
            }
            (_, Some(p)) => Some(hash_password(p)?),
            _ => None,
        };
        let found = self.store.update_user(&user, hash.as_deref()).await?;
        Ok(found.then_some((user, made)))
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
