//! Assessments, for both stores: each row the assessment as the API answers it (`body`), with
//! the columns the period figures and the filters select by.

use citygrid_core::api::assessments::Assessment;
use sqlx::Pool;

use super::{Arg, Dialect, Found, Sql};
use crate::store::rows::record;
use crate::store::{AssessmentFilter, Page, StoreError};

fn insert(a: &Assessment, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = if keep_id { ("id, ", "?, ") } else { ("", "") };
    let mut q = Sql::new(format!(
        "INSERT INTO assessments ({columns}at, month, kind, subject_type, subject, checklist, version, \
         score, rating, body, recorded_by, recorded_at) VALUES ({marks}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
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
        .arg(Arg::json(a)?)
        .arg(&a.recorded_by)
        .arg(a.recorded_at))
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

fn body<R: crate::store::rows::Columns>(row: &R) -> Found<Assessment> {
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
    q.push(" ORDER BY at DESC, id DESC");
    if let Some(limit) = f.limit {
        q.push(" LIMIT ").bind(limit as i64);
    }
    DB::all(pool, q).await?.iter().map(body).collect()
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
