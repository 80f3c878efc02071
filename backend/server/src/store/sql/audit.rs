//! The audit log, for both stores.

use sqlx::Pool;

use super::{Dialect, Found, Sql};
use crate::store::rows::audit_of;
use crate::store::{AuditEntry, AuditFilter, Page};

pub(in crate::store) async fn append_audit<DB: Dialect>(
    pool: &Pool<DB>,
    e: &AuditEntry,
) -> Found<()> {
    let q = Sql::new(
        "INSERT INTO audit (at, actor, origin, action, status, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .arg(e.at)
    .arg(&e.actor)
    .arg(&e.origin)
    .arg(&e.action)
    .arg(e.status)
    .arg(&e.detail);
    DB::execute(pool, q).await.map(drop)
}

/// Entries matching a filter, newest first.
pub(in crate::store) async fn query_audit<DB: Dialect>(
    pool: &Pool<DB>,
    f: &AuditFilter,
    limit: usize,
) -> Found<Vec<AuditEntry>> {
    let mut q = Sql::new("SELECT * FROM audit WHERE TRUE");
    if let Some(actor) = &f.actor {
        q.push(" AND actor = ").bind(actor);
    }
    if let Some(action) = &f.action {
        // A prefix: `POST /api/v1/cases` finds every case change.
        q.push(" AND substr(action, 1, CAST(")
            .bind(action.chars().count() as i64)
            .push(" AS INTEGER)) = ")
            .bind(action);
    }
    if let Some(t) = f.from {
        q.push(" AND at >= ").bind(t);
    }
    if let Some(t) = f.to {
        q.push(" AND at < ").bind(t);
    }
    if let Some(before) = f.before {
        q.push(" AND seq < ").bind(before);
    }
    q.push(" ORDER BY seq DESC LIMIT ").bind(limit as i64);
    DB::all(pool, q).await?.iter().map(audit_of).collect()
}

/// Entries after the page's sequence number, oldest first.
pub(in crate::store) async fn audit_after<DB: Dialect>(
    pool: &Pool<DB>,
    page: Page,
) -> Found<Vec<AuditEntry>> {
    let q = Sql::new("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?")
        .arg(page.after)
        .arg(page.limit as i64);
    DB::all(pool, q).await?.iter().map(audit_of).collect()
}
