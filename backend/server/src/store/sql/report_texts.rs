//! A leader's edits of a quarter's report text, for both stores: one row per quarter, the
//! record whole as `body`, changed only from the version read.

use citygrid_core::api::report_draft::ReportText;
use sqlx::Pool;

use super::fieldwork::{Kept, id_columns, insert_all, select};
use super::{Arg, Dialect, Found, Sql};
use crate::store::StoreError;

impl Kept for ReportText {
    const TABLE: &'static str = "report_texts";
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
}

fn insert_report_text(t: &ReportText, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = id_columns(keep_id);
    let mut q = Sql::new(format!(
        "INSERT INTO report_texts ({columns}quarter, version, updated_at, body) \
         VALUES ({marks}?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(t.id);
    }
    Ok(q.arg(&t.quarter)
        .arg(t.version)
        .arg(t.updated_at)
        .arg(Arg::json(t)?))
}

/// Stores texts (under their own ids, `keep_ids`, when a deployment moves); a quarter kept
/// already is a `Duplicate`.
pub(in crate::store) async fn insert_report_texts<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[ReportText],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    insert_all(
        pool,
        "report_texts",
        items,
        keep_ids,
        insert_report_text,
        |t| format!("the text of {}", t.quarter),
    )
    .await
}

/// Keeps a quarter's text: the first from version 0, later ones over `from_version`. Another
/// edit stored meanwhile is a `Conflict`.
pub(in crate::store) async fn save_report_text<DB: Dialect>(
    pool: &Pool<DB>,
    t: &ReportText,
    from_version: i64,
) -> Found<()> {
    let what = format!("the text of {}", t.quarter);
    if from_version == 0 {
        return match insert_report_texts(pool, std::slice::from_ref(t), false).await {
            Err(StoreError::Duplicate(_)) => Err(StoreError::Conflict(what)),
            other => other.map(|_| ()),
        };
    }
    let q = Sql::new(
        "UPDATE report_texts SET version = ?, updated_at = ?, body = ? \
         WHERE quarter = ? AND version = ?",
    )
    .arg(t.version)
    .arg(t.updated_at)
    .arg(Arg::json(t)?)
    .arg(&t.quarter)
    .arg(from_version)
    .changing_one(what);
    DB::transaction(pool, vec![q]).await
}

/// The quarter's text, if it was edited.
pub(in crate::store) async fn report_text<DB: Dialect>(
    pool: &Pool<DB>,
    quarter: &str,
) -> Found<Option<ReportText>> {
    let mut q = select::<DB, ReportText>();
    q.push(" AND quarter = ").bind(quarter);
    DB::optional(pool, q)
        .await?
        .as_ref()
        .map(super::fieldwork::kept)
        .transpose()
}
