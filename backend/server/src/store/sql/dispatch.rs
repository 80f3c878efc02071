//! Duty statuses, GPS fixes and shifts, for both stores (each finds the newest status and fix
//! of every officer, and writes fixes, in its own way).

use std::ops::Range;

use chrono::{DateTime, Utc};
use citygrid_core::officer::{Fix, Shift, StatusChange};
use sqlx::Pool;

use super::{Dialect, Found, Sql};
use crate::store::MAX_FIXES;
use crate::store::rows::{fix_of, shift_of, status_of};

pub(in crate::store) async fn append_status<DB: Dialect>(
    pool: &Pool<DB>,
    s: &StatusChange,
) -> Found<()> {
    let q = Sql::new("INSERT INTO officer_status (officer, status, at, actor) VALUES (?, ?, ?, ?)")
        .arg(&s.officer)
        .arg(s.status.as_str())
        .arg(s.at)
        .arg(&s.actor);
    DB::execute(pool, q).await.map(drop)
}

/// An officer's status changes, newest first.
pub(in crate::store) async fn status_history<DB: Dialect>(
    pool: &Pool<DB>,
    officer: &str,
    limit: usize,
) -> Found<Vec<StatusChange>> {
    let q = Sql::new(
        "SELECT seq, officer, status, at, actor FROM officer_status WHERE officer = ? \
         ORDER BY seq DESC LIMIT ?",
    )
    .arg(officer)
    .arg(limit as i64);
    DB::all(pool, q).await?.iter().map(status_of).collect()
}

/// An officer's fixes taken in the range, oldest first, at most [`MAX_FIXES`].
pub(in crate::store) async fn fixes<DB: Dialect>(
    pool: &Pool<DB>,
    officer: &str,
    taken: Range<DateTime<Utc>>,
) -> Found<Vec<Fix>> {
    let q = Sql::new(
        "SELECT id, officer, lon, lat, accuracy_m, at FROM officer_fixes \
         WHERE officer = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?",
    )
    .arg(officer)
    .arg(taken.start)
    .arg(taken.end)
    .arg(MAX_FIXES as i64);
    DB::all(pool, q).await?.iter().map(fix_of).collect()
}

/// Deletes fixes taken before `before`; how many.
pub(in crate::store) async fn delete_fixes_before<DB: Dialect>(
    pool: &Pool<DB>,
    before: DateTime<Utc>,
) -> Found<u64> {
    DB::execute(
        pool,
        Sql::new("DELETE FROM officer_fixes WHERE at < ?").arg(before),
    )
    .await
}

pub(in crate::store) async fn insert_shift<DB: Dialect>(
    pool: &Pool<DB>,
    shift: &Shift,
    created_by: &str,
) -> Found<()> {
    let q = Sql::new(
        "INSERT INTO officer_shifts (officer, starts_at, ends_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .arg(&shift.officer)
    .arg(shift.starts_at)
    .arg(shift.ends_at)
    .arg(created_by);
    DB::execute(pool, q).await.map(drop)
}

/// Shifts overlapping the range, of one officer or all, by start.
pub(in crate::store) async fn shifts<DB: Dialect>(
    pool: &Pool<DB>,
    officer: Option<&str>,
    span: Range<DateTime<Utc>>,
) -> Found<Vec<Shift>> {
    let mut q =
        Sql::new("SELECT id, officer, starts_at, ends_at FROM officer_shifts WHERE ends_at > ");
    q.bind(span.start).push(" AND starts_at < ").bind(span.end);
    if let Some(officer) = officer {
        q.push(" AND officer = ").bind(officer);
    }
    q.push(" ORDER BY starts_at, id LIMIT 10000");
    DB::all(pool, q).await?.iter().map(shift_of).collect()
}
