//! Persistent storage behind one trait. Only this module knows which database is in use.
//!
//! Geometry crosses the SQL boundary in one form: GeoPackage binary (a small header with the
//! SRS id 4326 and the envelope, then ISO WKB), see [`gpkg`].

mod layer_rows;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::access::Reach;
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent, Source, Status};
use citygrid_core::features::{BaseLayers, LayerRows};
use citygrid_core::officer::{Fix, Shift};
use std::ops::Range;

pub use postgres::PgStore;
pub use sqlite::{SqliteStore, gpkg, lock_path, maintenance};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored {table} row {fid} cannot be read: {reason}")]
    Corrupt {
        table: &'static str,
        fid: i64,
        reason: String,
    },
    #[error("geometry cannot be encoded: {0}")]
    Encode(String),
    /// The database cannot be opened now (a restore holds it).
    #[error("the database is locked: {0}")]
    Locked(String),
    /// A unique value is taken.
    #[error("{0} already exists")]
    Duplicate(String),
    /// The row changed since it was read (optimistic concurrency).
    #[error("{0} changed meanwhile")]
    Conflict(String),
}

impl StoreError {
    /// The database cannot be reached, or refuses connections for now (shutting down, starting,
    /// restoring): worth retrying shortly, not a fault in the data or the code.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Locked(_) => true,
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_) => true,
                // Connection exceptions (08…) and the server shutting down or starting (57P0…).
                sqlx::Error::Database(db) => db
                    .code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P0")),
                _ => false,
            },
            _ => false,
        }
    }
}

pub use citygrid_core::api::accounts::AuditEntry;

/// What statistics need of a case. Codes are shared text, so that copies are cheap.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFact {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub category: std::sync::Arc<str>,
    pub source: Source,
    pub status: Status,
    pub grid: Option<std::sync::Arc<str>>,
    pub community: Option<std::sync::Arc<str>>,
    pub shop: Option<std::sync::Arc<str>>,
    pub street: Option<u32>,
    pub quantity: Option<f64>,
    pub lon: f64,
    pub lat: f64,
    /// The handling deadline.
    pub deadline: DateTime<Utc>,
    /// The officer it is (or was last) assigned to.
    pub assignee: Option<std::sync::Arc<str>>,
    /// When it was first reported handled (or handled on the spot).
    pub handled_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// How many times each of these happened to it.
    pub reworks: u32,
    pub extensions: u32,
    pub returns: u32,
    pub dispatches: u32,
    /// Events in its history (1: only the report).
    pub events: u32,
}

/// Which audit entries to read. Parts combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// The start of the action, e.g. `POST /api/v1/cases` or `import`.
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Keyset pagination: only entries before this sequence number.
    pub before: Option<i64>,
}

/// A user to create; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub role: citygrid_core::account::Role,
    pub password_hash: String,
    pub scope: Vec<String>,
    pub officer: Option<String>,
    /// The password was made by citygrid and must be changed at first login.
    pub must_change_password: bool,
}

/// The most fixes one read returns.
pub const MAX_FIXES: usize = 10_000;

/// Rows after a position (a sequence number or id), at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after: i64,
    pub limit: usize,
}

/// A photo to store under its content hash.
#[derive(Debug, Clone, Copy)]
pub struct Photo<'a> {
    pub hash: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A setting written by someone at some time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    pub key: String,
    pub value: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl SettingChange {
    pub fn new(key: &str, value: &str, by: &str, at: DateTime<Utc>) -> Self {
        Self {
            key: key.to_owned(),
            value: value.to_owned(),
            by: by.to_owned(),
            at,
        }
    }
}

/// A new session: its token's hash, whose it is, and when it began and ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: String,
    pub user: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What a login checks a password against.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: citygrid_core::account::User,
    pub password_hash: String,
}

pub use citygrid_core::api::accounts::LoginThrottle;

/// Which case events a live listener wants: any of the grids, communities and categories
/// given (an empty list does not filter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveFilter {
    /// Whose view: events of cases outside it are left out.
    pub reach: Reach,
    pub grids: Vec<String>,
    pub communities: Vec<String>,
    pub categories: Vec<String>,
}

/// Which cases to list. Every part is optional; parts combine with AND, lists within a part
/// with OR. Results come newest first (by id), `before` continues after the last one seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    /// min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    pub statuses: Vec<Status>,
    pub categories: Vec<String>,
    pub sources: Vec<Source>,
    pub grid: Option<String>,
    pub community: Option<String>,
    pub shop: Option<String>,
    pub street: Option<u32>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    /// Only cases whose handling is still due and whose deadline is before this moment.
    pub overdue_at: Option<DateTime<Utc>>,
    /// Keyset pagination: only ids below this one.
    pub before: Option<CaseId>,
    /// Whose view: cases outside it are never listed.
    pub reach: Reach,
}

/// A change made by another server on the same database.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Notice {
    /// Base layers changed: reload the atlas.
    Layers,
    /// Case events up to this sequence number are stored.
    Event { seq: i64 },
    /// A GPS fix is stored: the newest of its officer in one statement.
    Fix(citygrid_core::officer::Fix),
    /// GPS fixes may have been stored unannounced (after a lost notice connection): read each
    /// officer's newest.
    Fixes,
    /// A duty status is stored: the newest of its officer in one statement.
    Status(citygrid_core::officer::StatusChange),
    /// Duty statuses may have been stored unannounced (after a lost notice connection): read
    /// each officer's newest.
    Statuses,
    /// A setting (the category catalogue) changed.
    Settings,
}

/// The district's base layers and the settings an admin changed.
#[async_trait]
pub trait DistrictStore: Send + Sync + 'static {
    /// Changes made through other servers on the same database, as they are committed; `None`
    /// for a store only one server uses (the embedded file).
    fn notices(&self) -> Option<tokio::sync::broadcast::Receiver<Notice>> {
        None
    }

    /// Every base layer as stored.
    async fn load_base(&self) -> Result<BaseLayers, StoreError>;

    /// Replaces the given layers, all in one transaction: either every layer is replaced or
    /// nothing changes.
    async fn replace_layers(&self, layers: Vec<LayerRows>) -> Result<(), StoreError>;

    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Closes every connection and returns once each has closed; an embedded file's lock is
    /// given up only then, so that a restore never meets a connection still finishing. The
    /// store (and every clone of it) answers nothing afterwards.
    async fn close(&self);

    /// A setting an admin changed (its stored text), if any.
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Stores a setting, replacing its earlier value.
    async fn set_setting(&self, change: &SettingChange) -> Result<(), StoreError>;
}

/// Cases, their events and photos.
#[async_trait]
pub trait CaseStore: Send + Sync + 'static {
    /// Stores a new case and its first event in one transaction; the store assigns the id
    /// (`case.id` is ignored) and the event's sequence number, and returns both.
    async fn insert_case(
        &self,
        case: &Case,
        event: &CaseEvent,
    ) -> Result<(CaseId, i64), StoreError>;

    /// Stores whole case histories (imports, the demo) in one transaction; ids follow on from
    /// the highest stored id, in the order given. Returns how many were stored.
    async fn insert_history(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<usize, StoreError>;

    /// Replaces a case's state with `case` and appends `event`, in one transaction, if the
    /// stored version is still the one before `case.version`; otherwise
    /// [`StoreError::Conflict`].
    async fn update_case(&self, case: &Case, event: &CaseEvent) -> Result<(), StoreError>;

    async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError>;

    /// A case's history, oldest first.
    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError>;

    /// What statistics need of every case created in the range, oldest first.
    async fn case_facts(&self, created: Range<DateTime<Utc>>) -> Result<Vec<CaseFact>, StoreError>;

    /// The cases with events after `seq`: new or changed since.
    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError>;

    /// What statistics need of these cases.
    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseFact>, StoreError>;

    /// Cases matching a filter, newest first, at most `limit`.
    async fn list_cases(&self, filter: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError>;

    /// Case events after the page's sequence number, oldest first, for listeners.
    async fn events_after(
        &self,
        filter: &LiveFilter,
        page: Page,
    ) -> Result<Vec<LiveEvent>, StoreError>;

    /// Stores a photo under its content hash; storing the same photo again does nothing.
    async fn put_photo(&self, photo: &Photo<'_>) -> Result<(), StoreError>;

    /// A photo's content type and bytes.
    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError>;

    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError>;

    /// The sequence number of the latest case event (0 when there is none).
    async fn latest_event_seq(&self) -> Result<i64, StoreError>;

    /// Cases with ids above the page's, in id order, each with its events in order (for
    /// copying a deployment to another store).
    async fn export_cases(&self, page: Page) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError>;

    /// Stores cases under their own ids with their events in order, in one transaction; new
    /// cases made afterwards get ids above them.
    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<(), StoreError>;

    /// Photo hashes above `after`, in order.
    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError>;
}

/// Users and their sessions.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates a user; a taken username is [`StoreError::Duplicate`].
    async fn insert_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError>;

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError>;

    /// The failed-login throttles of these (username, address) keys, those that exist.
    async fn login_throttles(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<LoginThrottle>, StoreError>;

    /// Writes a throttle (a new one, or over the one of its key).
    async fn put_login_throttle(&self, throttle: &LoginThrottle) -> Result<(), StoreError>;

    /// Every throttle, the latest failure first.
    async fn list_login_throttles(&self) -> Result<Vec<LoginThrottle>, StoreError>;

    /// Forgets the failures of a username, an address or both (at least one is given; an
    /// address known for a user stays known). How many throttles had failures.
    async fn clear_login_throttles(
        &self,
        username: Option<&str>,
        address: Option<&str>,
    ) -> Result<u64, StoreError>;

    /// Deletes throttles without a failure since `failures_before` that are not a known
    /// address, or whose last login is before `logins_before`. How many.
    async fn prune_login_throttles(
        &self,
        failures_before: DateTime<Utc>,
        logins_before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    async fn insert_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The user of a live session (not revoked, not expired, user not disabled).
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<citygrid_core::account::User>, StoreError>;

    /// Revokes a session; whether it was live.
    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError>;

    async fn count_users(&self) -> Result<i64, StoreError>;

    /// Every user, by id.
    async fn list_users(&self) -> Result<Vec<citygrid_core::account::User>, StoreError>;

    /// Writes a user's role, scope, officer code, name and disabled flag, and a new password
    /// hash if given; ends their sessions. Whether the user exists.
    async fn update_user(
        &self,
        user: &citygrid_core::account::User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError>;

    /// Deletes a user and their sessions, in one transaction. Whether the user existed.
    async fn delete_user(&self, id: i64) -> Result<bool, StoreError>;

    /// Takes a token from the rate bucket `key`, shared by every server on this store: it
    /// holds at most `per_minute` tokens and refills at that rate. `None` when the store keeps
    /// no shared buckets (one server per store: it counts in memory).
    async fn take_rate_token(
        &self,
        _key: &str,
        _per_minute: f64,
    ) -> Result<Option<RateToken>, StoreError> {
        Ok(None)
    }
}

/// The answer of a shared rate bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateToken {
    Taken,
    /// Empty: seconds until a token is there.
    Empty(u64),
}

/// The append-only audit log.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Appends to the audit log (`seq` is assigned).
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;

    /// Audit entries matching a filter, newest first, at most `limit`.
    async fn query_audit(
        &self,
        filter: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError>;

    /// Audit entries after the page's sequence number, oldest first.
    async fn audit_after(&self, page: Page) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Officers' duty status, GPS fixes and shifts.
#[async_trait]
pub trait DispatchStore: Send + Sync + 'static {
    /// Records a change of an officer's duty status.
    async fn append_status(
        &self,
        change: &citygrid_core::officer::StatusChange,
    ) -> Result<(), StoreError>;

    /// Each officer's latest duty status.
    async fn latest_statuses(
        &self,
    ) -> Result<Vec<citygrid_core::officer::StatusChange>, StoreError>;

    /// An officer's status changes, newest first.
    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<citygrid_core::officer::StatusChange>, StoreError>;

    /// Stores GPS fixes, all or none.
    async fn insert_fixes(
        &self,
        fixes: &[citygrid_core::officer::Fix],
        received: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Each officer's newest fix.
    async fn latest_fixes(&self) -> Result<Vec<citygrid_core::officer::Fix>, StoreError>;

    /// An officer's fixes taken in the range, oldest first, at most [`MAX_FIXES`].
    async fn fixes(
        &self,
        officer: &str,
        taken: Range<DateTime<Utc>>,
    ) -> Result<Vec<Fix>, StoreError>;

    /// Plans a shift.
    async fn insert_shift(
        &self,
        shift: &citygrid_core::officer::Shift,
        created_by: &str,
    ) -> Result<(), StoreError>;

    /// Shifts overlapping the range, of one officer or of all, by start.
    async fn shifts(
        &self,
        officer: Option<&str>,
        span: Range<DateTime<Utc>>,
    ) -> Result<Vec<Shift>, StoreError>;

    /// Deletes fixes taken before `before` (the retention period); how many.
    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// Which assessments (every field narrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessmentFilter {
    /// First and last month (`2026-07`), inclusive.
    pub from_month: Option<String>,
    pub to_month: Option<String>,
    pub kind: Option<citygrid_core::checklist::AssessmentKind>,
    /// `section` or `shop`.
    pub subject_type: Option<String>,
    pub subject: Option<String>,
    /// Made for this campaign.
    pub campaign: Option<i64>,
    pub limit: Option<usize>,
}

/// What a section's period needs of one of its assessments.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionFact {
    pub section: citygrid_core::ids::SectionCode,
    pub month: String,
    pub counted: citygrid_core::period::Counted,
}

/// Inspections and assessments (FIELDWORK §2–3).
#[async_trait]
pub trait AssessmentStore: Send + Sync + 'static {
    /// Stores assessments, all or none, under new ids (or under their own, `keep_ids`, when a
    /// deployment moves); the ids in order.
    async fn insert_assessments(
        &self,
        items: &[citygrid_core::api::assessments::Assessment],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// The assessments a filter selects, newest first.
    async fn assessments(
        &self,
        filter: &AssessmentFilter,
    ) -> Result<Vec<citygrid_core::api::assessments::Assessment>, StoreError>;

    async fn assessment(
        &self,
        id: i64,
    ) -> Result<Option<citygrid_core::api::assessments::Assessment>, StoreError>;

    /// What the periods of the months `from` to `to` need of each section assessment.
    async fn section_facts(&self, from: &str, to: &str) -> Result<Vec<SectionFact>, StoreError>;

    /// Assessments after the page's id, oldest first.
    async fn assessments_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::assessments::Assessment>, StoreError>;

    /// Appends entries to the periods' ledger, all or none (under their own ids, `keep_ids`,
    /// when a deployment moves); their ids. A month signed off twice is a `Duplicate`.
    async fn append_period_entries(
        &self,
        entries: &[citygrid_core::period::PeriodEntry],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// The ledger of the months `from` to `to` (`2026-07`), inclusive, oldest first.
    async fn period_entries(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<citygrid_core::period::PeriodEntry>, StoreError>;

    /// Ledger entries after the page's id, oldest first.
    async fn period_entries_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::period::PeriodEntry>, StoreError>;
}

/// Which campaigns (every field narrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignFilter {
    pub kind: Option<String>,
    /// Running on or after this day (ending no earlier).
    pub running_from: Option<chrono::NaiveDate>,
    /// Running on or before this day (starting no later).
    pub running_to: Option<chrono::NaiveDate>,
}

/// Which campaign actions (every field narrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionFilter {
    pub campaign: Option<i64>,
    /// First and last local day, inclusive.
    pub from_day: Option<chrono::NaiveDate>,
    pub to_day: Option<chrono::NaiveDate>,
    pub community: Option<String>,
}

/// Which applications (every field narrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationFilter {
    pub kind: Option<String>,
    pub statuses: Vec<citygrid_core::api::approvals::ApplicationStatus>,
    pub received_from: Option<chrono::DateTime<chrono::Utc>>,
    pub received_before: Option<chrono::DateTime<chrono::Utc>>,
    /// Still open, or decided at or after this moment.
    pub open_or_decided_from: Option<chrono::DateTime<chrono::Utc>>,
    pub number: Option<String>,
}

/// Which work orders (every field narrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkOrderFilter {
    pub kind: Option<String>,
    pub statuses: Vec<citygrid_core::work_order::OrderStatus>,
    pub received_from: Option<chrono::DateTime<chrono::Utc>>,
    pub received_before: Option<chrono::DateTime<chrono::Utc>>,
    pub number: Option<String>,
}

/// Campaigns with their actions, applications for approvals, hotline work orders (FIELDWORK
/// §4–6), and the quarterly report's edited text.
#[async_trait]
pub trait FieldworkStore: Send + Sync + 'static {
    /// Stores campaigns, all or none, under new ids (or their own, `keep_ids`); the ids.
    async fn insert_campaigns(
        &self,
        items: &[citygrid_core::api::campaigns::Campaign],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// Writes a changed campaign over `from_version`; a newer one stored is a `Conflict`.
    async fn update_campaign(
        &self,
        campaign: &citygrid_core::api::campaigns::Campaign,
        from_version: i64,
    ) -> Result<(), StoreError>;

    /// The campaigns a filter selects, latest start first.
    async fn campaigns(
        &self,
        filter: &CampaignFilter,
    ) -> Result<Vec<citygrid_core::api::campaigns::Campaign>, StoreError>;

    async fn campaign(
        &self,
        id: i64,
    ) -> Result<Option<citygrid_core::api::campaigns::Campaign>, StoreError>;

    async fn campaigns_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::campaigns::Campaign>, StoreError>;

    /// Stores actions, all or none; their ids.
    async fn insert_actions(
        &self,
        items: &[citygrid_core::api::campaigns::Action],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// The actions a filter selects, oldest first.
    async fn actions(
        &self,
        filter: &ActionFilter,
    ) -> Result<Vec<citygrid_core::api::campaigns::Action>, StoreError>;

    async fn actions_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::campaigns::Action>, StoreError>;

    /// Stores applications, all or none; a number taken is a `Duplicate`.
    async fn insert_applications(
        &self,
        items: &[citygrid_core::api::approvals::Application],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// Writes a changed application over `from_version`; a newer one stored is a `Conflict`.
    async fn update_application(
        &self,
        application: &citygrid_core::api::approvals::Application,
        from_version: i64,
    ) -> Result<(), StoreError>;

    /// The applications a filter selects, newest received first.
    async fn applications(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<Vec<citygrid_core::api::approvals::Application>, StoreError>;

    async fn application(
        &self,
        id: i64,
    ) -> Result<Option<citygrid_core::api::approvals::Application>, StoreError>;

    async fn applications_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::approvals::Application>, StoreError>;

    /// How many application numbers start with `prefix`.
    async fn count_application_numbers(&self, prefix: &str) -> Result<i64, StoreError>;

    /// Stores work orders, all or none; a number taken is a `Duplicate`.
    async fn insert_work_orders(
        &self,
        items: &[citygrid_core::api::hotline::WorkOrder],
        keep_ids: bool,
    ) -> Result<Vec<i64>, StoreError>;

    /// Writes a changed work order over `from_version`; a newer one stored is a `Conflict`.
    async fn update_work_order(
        &self,
        order: &citygrid_core::api::hotline::WorkOrder,
        from_version: i64,
    ) -> Result<(), StoreError>;

    /// Writes re-imported orders over the versions read and stores new ones, all or none; a
    /// newer version stored is a `Conflict`, a number taken a `Duplicate`. The new ones' ids.
    async fn save_work_orders(
        &self,
        new: &[citygrid_core::api::hotline::WorkOrder],
        changed: &[(citygrid_core::api::hotline::WorkOrder, i64)],
    ) -> Result<Vec<i64>, StoreError>;

    /// The work orders a filter selects, newest received first.
    async fn work_orders(
        &self,
        filter: &WorkOrderFilter,
    ) -> Result<Vec<citygrid_core::api::hotline::WorkOrder>, StoreError>;

    async fn work_order(
        &self,
        id: i64,
    ) -> Result<Option<citygrid_core::api::hotline::WorkOrder>, StoreError>;

    async fn work_orders_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::hotline::WorkOrder>, StoreError>;

    /// A quarter's report text as a leader edited it, if they did.
    async fn report_text(
        &self,
        quarter: &str,
    ) -> Result<Option<citygrid_core::api::report_draft::ReportText>, StoreError>;

    /// Keeps a quarter's edited text: the first from version 0, later ones over
    /// `from_version`; another edit stored meanwhile is a `Conflict`.
    async fn save_report_text(
        &self,
        text: &citygrid_core::api::report_draft::ReportText,
        from_version: i64,
    ) -> Result<(), StoreError>;

    /// Stores texts under their own ids (a deployment moving); a quarter kept is a `Duplicate`.
    async fn insert_report_texts(
        &self,
        items: &[citygrid_core::api::report_draft::ReportText],
    ) -> Result<(), StoreError>;

    async fn report_texts_after(
        &self,
        page: Page,
    ) -> Result<Vec<citygrid_core::api::report_draft::ReportText>, StoreError>;
}

/// The operations citygrid needs from a database: every part. A store implements each part;
/// this trait is then implemented for it.
pub trait Store:
    DistrictStore
    + CaseStore
    + AccountStore
    + AuditStore
    + DispatchStore
    + AssessmentStore
    + FieldworkStore
{
}

impl<T> Store for T where
    T: DistrictStore
        + CaseStore
        + AccountStore
        + AuditStore
        + DispatchStore
        + AssessmentStore
        + FieldworkStore
{
}

impl std::fmt::Debug for dyn Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

/// One shared copy of each code seen.
#[derive(Default)]
pub(crate) struct Codes(std::collections::HashSet<std::sync::Arc<str>>);

impl Codes {
    pub(crate) fn share(&mut self, code: &str) -> std::sync::Arc<str> {
        if let Some(c) = self.0.get(code) {
            return c.clone();
        }
        let c: std::sync::Arc<str> = std::sync::Arc::from(code);
        self.0.insert(c.clone());
        c
    }

    pub(crate) fn share_opt(&mut self, code: Option<&str>) -> Option<std::sync::Arc<str>> {
        code.map(|c| self.share(c))
    }
}
