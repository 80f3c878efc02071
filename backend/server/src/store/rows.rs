//! Rows to domain values, written once for both databases. [`Columns`] reads a row of either
//! database by column; where the two differ — instants are RFC 3339 text in the embedded file
//! and `timestamptz` in PostgreSQL, flags are integers or booleans — its two implementations
//! bridge them, so each decoder below serves both stores. Text is borrowed from the row, not
//! copied, where the value is parsed or shared rather than kept.

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::account::User;
use citygrid_core::case::{Case, CaseEvent, CaseId, CaseSummary, LiveEvent, Visibility};
use citygrid_core::category::CategoryCode;
use citygrid_core::officer::{Fix, Shift, StatusChange};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{ColumnIndex, Row};

use super::{AuditEntry, CaseFact, Codes, StoreError};

/// A stored value that cannot be what it claims to be.
#[allow(clippy::needless_pass_by_value)] // called with errors and literals alike
pub(super) fn corrupt(table: &'static str, fid: i64, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        fid,
        reason: reason.to_string(),
    }
}

/// A column: by name, or by position in the SELECT list, in a row of either database.
pub(super) trait Column:
    Copy + std::fmt::Display + ColumnIndex<SqliteRow> + ColumnIndex<PgRow>
{
}
impl Column for &str {}
impl Column for usize {}

/// One database's row, read column by column; every value may be NULL.
pub(super) trait Columns {
    fn text<I: Column>(&self, col: I) -> Result<Option<&str>, sqlx::Error>;
    fn int<I: Column>(&self, col: I) -> Result<Option<i64>, sqlx::Error>;
    fn real<I: Column>(&self, col: I) -> Result<Option<f64>, sqlx::Error>;
    fn flag<I: Column>(&self, col: I) -> Result<Option<bool>, sqlx::Error>;
    fn bytes<I: Column>(&self, col: I) -> Result<Option<Vec<u8>>, sqlx::Error>;
    /// An instant, or why the stored text is not one.
    #[allow(clippy::type_complexity)]
    fn instant<I: Column>(
        &self,
        col: I,
    ) -> Result<Option<Result<DateTime<Utc>, String>>, sqlx::Error>;
}

/// The getters both databases decode alike.
macro_rules! common_columns {
    () => {
        fn text<I: Column>(&self, col: I) -> Result<Option<&str>, sqlx::Error> {
            self.try_get(col)
        }
        fn int<I: Column>(&self, col: I) -> Result<Option<i64>, sqlx::Error> {
            self.try_get(col)
        }
        fn real<I: Column>(&self, col: I) -> Result<Option<f64>, sqlx::Error> {
            self.try_get(col)
        }
        fn bytes<I: Column>(&self, col: I) -> Result<Option<Vec<u8>>, sqlx::Error> {
            self.try_get(col)
        }
    };
}

impl Columns for SqliteRow {
    common_columns!();

    fn flag<I: Column>(&self, col: I) -> Result<Option<bool>, sqlx::Error> {
        Ok(self.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
    }

    fn instant<I: Column>(
        &self,
        col: I,
    ) -> Result<Option<Result<DateTime<Utc>, String>>, sqlx::Error> {
        Ok(self.try_get::<Option<&str>, _>(col)?.map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| e.to_string())
        }))
    }
}

impl Columns for PgRow {
    common_columns!();

    fn flag<I: Column>(&self, col: I) -> Result<Option<bool>, sqlx::Error> {
        self.try_get(col)
    }

    fn instant<I: Column>(
        &self,
        col: I,
    ) -> Result<Option<Result<DateTime<Utc>, String>>, sqlx::Error> {
        Ok(self.try_get::<Option<DateTime<Utc>>, _>(col)?.map(Ok))
    }
}

/// A row of a table's record `fid`, so that every error names both.
pub(super) struct Record<'r, R> {
    pub(super) row: &'r R,
    pub(super) table: &'static str,
    pub(super) fid: i64,
}

impl<'r, R: Columns> Record<'r, R> {
    pub(super) fn required<T>(&self, col: impl Column, value: Option<T>) -> Result<T, StoreError> {
        value.ok_or_else(|| corrupt(self.table, self.fid, format!("{col} is empty")))
    }

    pub(super) fn str<I: Column>(&self, col: I) -> Result<&'r str, StoreError> {
        self.required(col, self.row.text(col)?)
    }

    pub(super) fn string<I: Column>(&self, col: I) -> Result<String, StoreError> {
        self.str(col).map(str::to_owned)
    }

    pub(super) fn opt_string<I: Column>(&self, col: I) -> Result<Option<String>, StoreError> {
        Ok(self.row.text(col)?.map(str::to_owned))
    }

    pub(super) fn int<I: Column>(&self, col: I) -> Result<i64, StoreError> {
        self.required(col, self.row.int(col)?)
    }

    pub(super) fn real<I: Column>(&self, col: I) -> Result<f64, StoreError> {
        self.required(col, self.row.real(col)?)
    }

    /// A count that cannot be negative; a stored negative reads as none.
    pub(super) fn count<I: Column>(&self, col: I) -> Result<u32, StoreError> {
        Ok(u32::try_from(self.int(col)?).unwrap_or(0))
    }

    pub(super) fn opt_instant<I: Column>(
        &self,
        col: I,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.row
            .instant(col)?
            .transpose()
            .map_err(|e| corrupt(self.table, self.fid, format!("{col}: {e}")))
    }

    pub(super) fn instant<I: Column>(&self, col: I) -> Result<DateTime<Utc>, StoreError> {
        let value = self.opt_instant(col)?;
        self.required(col, value)
    }

    /// A name parsed into its type (a status, a source, a role).
    pub(super) fn parsed<T, I>(&self, col: I) -> Result<T, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
        I: Column,
    {
        self.str(col)?
            .parse()
            .map_err(|e| corrupt(self.table, self.fid, format!("{col}: {e}")))
    }

    pub(super) fn opt_parsed<T, I>(&self, col: I) -> Result<Option<T>, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
        I: Column,
    {
        self.row
            .text(col)?
            .map(|v| {
                v.parse()
                    .map_err(|e| corrupt(self.table, self.fid, format!("{col}: {e}")))
            })
            .transpose()
    }

    /// A JSON document (stored as text, or jsonb read as text).
    pub(super) fn json<T, I>(&self, col: I) -> Result<T, StoreError>
    where
        T: serde::de::DeserializeOwned,
        I: Column,
    {
        serde_json::from_str(self.str(col)?)
            .map_err(|e| corrupt(self.table, self.fid, format!("{col}: {e}")))
    }

    pub(super) fn opt_json<T, I>(&self, col: I) -> Result<Option<T>, StoreError>
    where
        T: serde::de::DeserializeOwned,
        I: Column,
    {
        self.row
            .text(col)?
            .map(|v| {
                serde_json::from_str(v)
                    .map_err(|e| corrupt(self.table, self.fid, format!("{col}: {e}")))
            })
            .transpose()
    }
}

/// The record's id column, read first.
pub(super) fn record<'r, R>(
    row: &'r R,
    table: &'static str,
    id: &str,
) -> Result<Record<'r, R>, StoreError>
where
    R: Columns,
{
    let fid = row
        .int(id)?
        .ok_or_else(|| corrupt(table, 0, format!("{id} is empty")))?;
    Ok(Record { row, table, fid })
}

/// A case row (`cases.*` with location, reporter and photos as JSON text).
pub(super) fn case_of<R>(row: &R) -> Result<Case, StoreError>
where
    R: Columns,
{
    let r = record(row, "cases", "fid")?;
    Ok(Case {
        id: CaseId(r.fid),
        category: CategoryCode(r.string("category")?),
        source: r.parsed("source")?,
        status: r.parsed("status")?,
        description: r.string("description")?,
        quantity: row.real("quantity")?,
        point: LonLat {
            lon: r.real("lon")?,
            lat: r.real("lat")?,
        },
        address: r.opt_string("address")?,
        location: r.json("location")?,
        reporter: r.opt_json("reporter")?,
        assignee: r.opt_string("assignee")?,
        duplicate_of: row.int("duplicate_of")?.map(CaseId),
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
        deadline: r.instant("deadline")?,
        version: r.int("version")?,
        photos: r.json("photos")?,
    })
}

/// Each case with its events, from event rows (with `case_id`) in any order of cases and in
/// sequence within each.
pub(super) fn with_events<R>(
    cases: Vec<Case>,
    events: &[R],
) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError>
where
    R: Columns,
{
    let mut by_case: std::collections::HashMap<i64, Vec<CaseEvent>> =
        std::collections::HashMap::new();
    for row in events {
        let case = row
            .int("case_id")?
            .ok_or_else(|| corrupt("case_events", 0, "case_id is empty"))?;
        by_case.entry(case).or_default().push(event_of(row)?);
    }
    Ok(cases
        .into_iter()
        .map(|c| {
            let events = by_case.remove(&c.id.0).unwrap_or_default();
            (c, events)
        })
        .collect())
}

/// A case event row (its assignee and deadline as `event_assignee`, `event_deadline`).
pub(super) fn event_of<R>(row: &R) -> Result<CaseEvent, StoreError>
where
    R: Columns,
{
    let r = record(row, "case_events", "seq")?;
    Ok(CaseEvent {
        seq: r.fid,
        at: r.instant("at")?,
        actor: r.string("actor")?,
        action: r.string("action")?,
        from: r.opt_parsed("from_status")?,
        to: r.parsed("to_status")?,
        note: r.opt_string("note")?,
        assignee: r.opt_string("event_assignee")?,
        deadline: r.opt_instant("event_deadline")?,
        photo: r.opt_string("photo")?,
        visibility: if row.flag("public_note")?.unwrap_or(false) {
            Visibility::Public
        } else {
            Visibility::Internal
        },
    })
}

/// A row of a case event joined with its case (`case_id`, and the case's category, source,
/// status, lon, lat, grid, community, assignee and deadline), as the live stream sends it.
pub(super) fn live_event_of<R>(row: &R) -> Result<LiveEvent, StoreError>
where
    R: Columns,
{
    let event = event_of(row)?;
    let r = record(row, "cases", "case_id")?;
    let case = CaseSummary {
        id: CaseId(r.fid),
        category: CategoryCode(r.string("category")?),
        source: r.parsed("source")?,
        status: r.parsed("status")?,
        point: LonLat {
            lon: r.real("lon")?,
            lat: r.real("lat")?,
        },
        grid: r.opt_string("grid")?,
        community: r.opt_string("community")?,
        assignee: r.opt_string("assignee")?,
        deadline: r.instant("deadline")?,
    };
    let kind = if event.from.is_none() {
        "created"
    } else {
        "changed"
    };
    Ok(LiveEvent {
        seq: event.seq,
        kind: kind.to_owned(),
        case,
        event,
    })
}

/// A user row (scope as JSON text).
pub(super) fn user_of<R>(row: &R) -> Result<User, StoreError>
where
    R: Columns,
{
    let r = record(row, "users", "id")?;
    Ok(User {
        id: r.fid,
        username: r.string("username")?,
        display_name: r.opt_string("display_name")?,
        role: r.parsed("role")?,
        scope: r.json("scope")?,
        officer: r.opt_string("officer")?,
        disabled: row.flag("disabled")?.unwrap_or(false),
        must_change_password: row.flag("must_change_password")?.unwrap_or(false),
    })
}

/// A user with what a login checks: the password's hash.
pub(super) fn credentials_of<R>(row: &R) -> Result<super::Credentials, StoreError>
where
    R: Columns,
{
    let r = record(row, "users", "id")?;
    Ok(super::Credentials {
        user: user_of(row)?,
        password_hash: r.string("password_hash")?,
    })
}

/// A failed-login throttle (keyed by username and address, not by a number).
pub(super) fn throttle_of<R>(row: &R) -> Result<super::LoginThrottle, StoreError>
where
    R: Columns,
{
    let r = Record {
        row,
        table: "login_throttles",
        fid: 0,
    };
    Ok(super::LoginThrottle {
        username: r.string("username")?,
        address: r.string("address")?,
        failures: r.int("failures")?,
        last_failure: r.opt_instant("last_failure")?,
        blocked_until: r.opt_instant("blocked_until")?,
        last_login: r.opt_instant("last_login")?,
    })
}

pub(super) fn audit_of<R>(row: &R) -> Result<AuditEntry, StoreError>
where
    R: Columns,
{
    let r = record(row, "audit", "seq")?;
    Ok(AuditEntry {
        seq: r.fid,
        at: r.instant("at")?,
        actor: r.string("actor")?,
        origin: r.string("origin")?,
        action: r.string("action")?,
        status: r.int("status")?,
        detail: r.opt_string("detail")?,
    })
}

/// An officer's duty status change.
pub(super) fn status_of<R>(row: &R) -> Result<StatusChange, StoreError>
where
    R: Columns,
{
    let r = record(row, "officer_status", "seq")?;
    Ok(StatusChange {
        officer: r.string("officer")?,
        status: r.parsed("status")?,
        at: r.instant("at")?,
        actor: r.string("actor")?,
    })
}

/// A GPS fix.
pub(super) fn fix_of<R>(row: &R) -> Result<Fix, StoreError>
where
    R: Columns,
{
    let r = record(row, "officer_fixes", "id")?;
    Ok(Fix {
        officer: r.string("officer")?,
        lon: r.real("lon")?,
        lat: r.real("lat")?,
        accuracy_m: row.real("accuracy_m")?,
        at: r.instant("at")?,
    })
}

/// A planned shift.
pub(super) fn shift_of<R>(row: &R) -> Result<Shift, StoreError>
where
    R: Columns,
{
    let r = record(row, "officer_shifts", "id")?;
    Ok(Shift {
        officer: r.string("officer")?,
        starts_at: r.instant("starts_at")?,
        ends_at: r.instant("ends_at")?,
    })
}

/// The columns statistics need, in the order [`fact_of`] reads them (by position: it runs over
/// every case).
pub(super) const FACT_COLUMNS: &str = "fid, created_at, category, source, status, grid, community, shop, street_id, quantity, \
     lon, lat, deadline, assignee, handled_at, closed_at, reworks, extensions, returns, dispatches, events";

/// One row of [`FACT_COLUMNS`]; repeated codes are shared through `codes`.
pub(super) fn fact_of<R>(row: &R, codes: &mut Codes) -> Result<CaseFact, StoreError>
where
    R: Columns,
{
    let fid = row
        .int(0)?
        .ok_or_else(|| corrupt("cases", 0, "fid is empty"))?;
    let r = Record {
        row,
        table: "cases",
        fid,
    };
    Ok(CaseFact {
        id: fid,
        created_at: r.instant(1)?,
        category: codes.share(r.str(2)?),
        source: r.parsed(3)?,
        status: r.parsed(4)?,
        grid: codes.share_opt(row.text(5)?),
        community: codes.share_opt(row.text(6)?),
        shop: codes.share_opt(row.text(7)?),
        street: row.int(8)?.and_then(|s| u32::try_from(s).ok()),
        quantity: row.real(9)?,
        lon: r.real(10)?,
        lat: r.real(11)?,
        deadline: r.opt_instant(12)?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        assignee: codes.share_opt(row.text(13)?),
        handled_at: r.opt_instant(14)?,
        closed_at: r.opt_instant(15)?,
        reworks: r.count(16)?,
        extensions: r.count(17)?,
        returns: r.count(18)?,
        dispatches: r.count(19)?,
        events: r.count(20)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn row(sql: &str) -> SqliteRow {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        sqlx::query(sql).fetch_one(&pool).await.unwrap()
    }

    #[tokio::test]
    async fn a_bad_stored_value_names_its_table_record_and_column() {
        let good = "SELECT 7 AS seq, '2026-03-01T08:00:00.000Z' AS at, 'wang' AS actor, 'dispatch' AS action, \
                    'registered' AS from_status, 'dispatched' AS to_status, NULL AS note, 'ZF0001' AS event_assignee, \
                    NULL AS event_deadline, NULL AS photo, 0 AS public_note";
        let event = event_of(&row(good).await).unwrap();
        assert_eq!((event.seq, event.assignee.as_deref()), (7, Some("ZF0001")));
        assert_eq!(event.at.to_rfc3339(), "2026-03-01T08:00:00+00:00");

        let cases = [
            (
                good.replace("'2026-03-01T08:00:00.000Z' AS at", "'yesterday' AS at"),
                "at: ",
            ),
            (
                good.replace("'dispatched' AS to_status", "'lost' AS to_status"),
                "to_status: ",
            ),
            (
                good.replace("'wang' AS actor", "NULL AS actor"),
                "actor is empty",
            ),
        ];
        for (sql, reason) in cases {
            match event_of(&row(&sql).await) {
                Err(StoreError::Corrupt {
                    table,
                    fid,
                    reason: r,
                }) => {
                    assert_eq!((table, fid), ("case_events", 7));
                    assert!(r.starts_with(reason), "{r}");
                }
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
