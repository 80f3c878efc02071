//! Assessments, for both stores: each row the assessment as the API answers it (`body`), with
//! the columns the period figures and the filters select by.

use citygrid_core::api::assessments::Assessment;
use citygrid_core::period::{Counted, PeriodEntry};
use sqlx::Pool;

use super::{Arg, Dialect, Found, Sql};
use crate::store::rows::{Columns, record};
use crate::store::{AssessmentFilter, Page, SectionFact, StoreError};

fn insert(a: &Assessment, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = if keep_id { ("id, ", "?, ") } else { ("", "") };
    let mut q = Sql::new(format!(
        "INSERT INTO assessments ({columns}at, month, kind, subject_type, subject, checklist, version, \
         score, rating, failed_items, major, notices, body, recorded_by, recorded_at, campaign) \
         VALUES ({marks}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(a.id);
    }
    Ok(q.arg(a.at)
        .arg(&a.month)
        .arg(a.kind.as_str())
        .arg(a.subject.kind())
        .arg(a.subject.code())
        .arg(&a.checklist)
        .arg(i64::from(a.version))
        .arg(a.score.score)
        .arg(&a.score.rating)
        .arg(a.score.failed_items.len() as i64)
        .arg(a.score.major)
        .arg(a.notices.len() as i64)
        .arg(Arg::json(a)?)
        .arg(&a.recorded_by)
        .arg(a.recorded_at)
        .arg(a.campaign))
}

/// Stores assessments in one transaction, with new ids (or their own, `keep_ids`, when a
/// deployment moves); the ids in order.
pub(in crate::store) async fn insert_assessments<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[Assessment],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    let mut tx = pool.begin().await?;
    let mut ids = Vec::with_capacity(items.len());
    for a in items {
        let id = DB::int_on(&mut *tx, insert(a, keep_ids)?)
            .await?
            .ok_or_else(|| StoreError::Encode("no id for the new assessment".into()))?;
        ids.push(id);
    }
    if keep_ids {
        // PostgreSQL's sequence must continue after the ids kept (SQLite's does by itself).
        DB::execute_on(
            &mut *tx,
            Sql::new(DB::sequence_catch_up("assessments", "id")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
}

fn body<R: Columns>(row: &R) -> Found<Assessment> {
    let r = record(row, "assessments", "id")?;
    let mut a: Assessment = r.json("body")?;
    a.id = r.fid;
    Ok(a)
}

/// The assessments a filter selects, newest first.
pub(in crate::store) async fn assessments<DB: Dialect>(
    pool: &Pool<DB>,
    f: &AssessmentFilter,
) -> Found<Vec<Assessment>> {
    let mut q = Sql::new(format!(
        "SELECT id, {} FROM assessments WHERE TRUE",
        DB::json_text("body", "body")
    ));
    if let Some(from) = &f.from_month {
        q.push(" AND month >= ").bind(from);
    }
    if let Some(to) = &f.to_month {
        q.push(" AND month <= ").bind(to);
    }
    if let Some(kind) = f.kind {
        q.push(" AND kind = ").bind(kind.as_str());
    }
    if let Some(t) = &f.subject_type {
        q.push(" AND subject_type = ").bind(t);
    }
    if let Some(s) = &f.subject {
        q.push(" AND subject = ").bind(s);
    }
    if let Some(c) = f.campaign {
        q.push(" AND campaign = ").bind(c);
    }
    q.push(" ORDER BY at DESC, id DESC");
    if let Some(limit) = f.limit {
        q.push(" LIMIT ").bind(limit as i64);
    }
    DB::all(pool, q).await?.iter().map(body).collect()
}

/// What the periods of the months `from` to `to` need of each section assessment, without its
/// body (oldest first).
pub(in crate::store) async fn section_facts<DB: Dialect>(
    pool: &Pool<DB>,
    from: &str,
    to: &str,
) -> Found<Vec<SectionFact>> {
    let q = Sql::new(
        "SELECT id, subject, month, kind, score, failed_items, major, notices FROM assessments \
         WHERE subject_type = 'section' AND month >= ? AND month <= ? ORDER BY id",
    )
    .arg(from)
    .arg(to);
    DB::all(pool, q)
        .await?
        .iter()
        .map(|row| {
            let r = record(row, "assessments", "id")?;
            Ok(SectionFact {
                section: r.string("subject")?.into(),
                month: r.string("month")?,
                counted: Counted {
                    kind: r.parsed("kind")?,
                    score: r.real("score")?,
                    failed_items: r.count("failed_items")?,
                    major: r.row.flag("major")?.unwrap_or(false),
                    notices: r.count("notices")?,
                },
            })
        })
        .collect()
}

/// One assessment.
pub(in crate::store) async fn assessment<DB: Dialect>(
    pool: &Pool<DB>,
    id: i64,
) -> Found<Option<Assessment>> {
    let q = Sql::new(format!(
        "SELECT id, {} FROM assessments WHERE id = ?",
        DB::json_text("body", "body")
    ))
    .arg(id);
    DB::optional(pool, q).await?.as_ref().map(body).transpose()
}

/// Assessments after the page's id, oldest first (a deployment moving).
pub(in crate::store) async fn assessments_after<DB: Dialect>(
    pool: &Pool<DB>,
    page: Page,
) -> Found<Vec<Assessment>> {
    let q = Sql::new(format!(
        "SELECT id, {} FROM assessments WHERE id > ? ORDER BY id LIMIT ?",
        DB::json_text("body", "body")
    ))
    .arg(page.after)
    .arg(page.limit as i64);
    DB::all(pool, q).await?.iter().map(body).collect()
}

fn insert_entry(e: &PeriodEntry, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = if keep_id { ("id, ", "?, ") } else { ("", "") };
    let mut q = Sql::new(format!(
        "INSERT INTO period_ledger ({columns}section, month, kind, body, actor, at) \
         VALUES ({marks}?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(e.id);
    }
    Ok(q.arg(e.section.as_str())
        .arg(&e.month)
        .arg(e.change.kind())
        .arg(Arg::json(&e.change)?)
        .arg(&e.by)
        .arg(e.at))
}

/// Appends ledger entries in one transaction (under their own ids, `keep_ids`, when a
/// deployment moves); their ids. A second sign-off of a month is refused as a duplicate.
pub(in crate::store) async fn append_period_entries<DB: Dialect>(
    pool: &Pool<DB>,
    entries: &[PeriodEntry],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    let mut tx = pool.begin().await?;
    let mut ids = Vec::with_capacity(entries.len());
    for e in entries {
        let id = match DB::int_on(&mut *tx, insert_entry(e, keep_ids)?).await {
            Ok(id) => id.ok_or_else(|| StoreError::Encode("no id for the ledger entry".into()))?,
            Err(StoreError::Database(sqlx::Error::Database(db))) if db.is_unique_violation() => {
                return Err(StoreError::Duplicate(format!(
                    "the sign-off of {} {}",
                    e.section, e.month
                )));
            }
            Err(other) => return Err(other),
        };
        ids.push(id);
    }
    if keep_ids {
        DB::execute_on(
            &mut *tx,
            Sql::new(DB::sequence_catch_up("period_ledger", "id")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
}

fn entry_of<R: Columns>(row: &R) -> Found<PeriodEntry> {
    let r = record(row, "period_ledger", "id")?;
    Ok(PeriodEntry {
        id: r.fid,
        section: r.string("section")?.into(),
        month: r.string("month")?,
        change: r.json("body")?,
        by: r.string("actor")?,
        at: r.instant("at")?,
    })
}

fn entries_select<DB: Dialect>() -> String {
    format!(
        "SELECT id, section, month, {}, actor, at FROM period_ledger",
        DB::json_text("body", "body")
    )
}

/// The ledger entries of the months from `from` to `to` (inclusive), oldest first.
pub(in crate::store) async fn period_entries<DB: Dialect>(
    pool: &Pool<DB>,
    from: &str,
    to: &str,
) -> Found<Vec<PeriodEntry>> {
    let q = Sql::new(format!(
        "{} WHERE month >= ? AND month <= ? ORDER BY id",
        entries_select::<DB>()
    ))
    .arg(from)
    .arg(to);
    DB::all(pool, q).await?.iter().map(entry_of).collect()
}

/// Ledger entries after the page's id, oldest first (a deployment moving).
pub(in crate::store) async fn period_entries_after<DB: Dialect>(
    pool: &Pool<DB>,
    page: Page,
) -> Found<Vec<PeriodEntry>> {
    let q = Sql::new(format!(
        "{} WHERE id > ? ORDER BY id LIMIT ?",
        entries_select::<DB>()
    ))
    .arg(page.after)
    .arg(page.limit as i64);
    DB::all(pool, q).await?.iter().map(entry_of).collect()
}
