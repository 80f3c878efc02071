//! The few columns of every case that statistics need, read in one pass.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::SqlitePool;

use super::cases_sqlite::ts;
use super::rows::{FACT_COLUMNS, fact_of};
use super::{CaseFact, Codes, StoreError};

/// Cases created in `[from, to)`, oldest first (by creation, then id). The table is read in its
/// own order and sorted here: following the `created_at` index visits the rows in random page
/// order, which over a million cases is some thirty times slower. Rows are streamed, not held,
/// and the codes repeated over many cases (categories, grid cells, communities, shops, officers)
/// are shared.
pub async fn case_facts(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CaseFact>, StoreError> {
    let sql =
        format!("SELECT {FACT_COLUMNS} FROM cases WHERE +created_at >= ? AND +created_at < ?");
    let mut rows = sqlx::query(&sql).bind(ts(from)).bind(ts(to)).fetch(pool);
    let mut codes = Codes::default();
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        out.push(fact_of(&row, &mut codes)?);
    }
    out.sort_unstable_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The cases with events after `seq` (new or changed since).
pub async fn cases_changed_since(pool: &SqlitePool, seq: i64) -> Result<Vec<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT case_id FROM case_events WHERE seq > ?")
            .bind(seq)
            .fetch_all(pool)
            .await?,
    )
}

/// The facts of these cases (in no particular order).
pub async fn case_facts_by_ids(
    pool: &SqlitePool,
    ids: &[i64],
) -> Result<Vec<CaseFact>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT {FACT_COLUMNS} FROM cases WHERE fid IN ({marks})");
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        let mut codes = Codes::default();
        for row in q.fetch_all(pool).await? {
            out.push(fact_of(&row, &mut codes)?);
        }
    }
    Ok(out)
}
