//! The few columns of every case that statistics need, read in one pass.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::{Row, SqlitePool};

use super::cases_sqlite::ts;
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

const FACT_COLUMNS: &str = "fid, created_at, category, source, status, grid, community, shop, street_id, quantity, \
     lon, lat, deadline, assignee, handled_at, closed_at, reworks, extensions, returns, dispatches, events";

/// Reads one row of [`FACT_COLUMNS`], by position.
fn fact_of(r: &sqlx::sqlite::SqliteRow, codes: &mut Codes) -> Result<CaseFact, StoreError> {
    let id: i64 = r.try_get(0)?;
    let corrupt = |e: String| StoreError::Corrupt {
        table: "cases",
        fid: id,
        reason: e,
    };
    let parse = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| corrupt(e.to_string()))
    };
    let time = |col: usize| -> Result<Option<DateTime<Utc>>, StoreError> {
        r.try_get::<Option<&str>, _>(col)?.map(parse).transpose()
    };
    let count = |col: usize| -> Result<u32, StoreError> {
        Ok(u32::try_from(r.try_get::<i64, _>(col)?).unwrap_or(0))
    };
    Ok(CaseFact {
        id,
        created_at: parse(r.try_get::<&str, _>(1)?)?,
        category: codes.share(r.try_get::<&str, _>(2)?),
        source: r
            .try_get::<&str, _>(3)?
            .parse()
            .map_err(|e: citygrid_core::case::UnknownName| corrupt(e.to_string()))?,
        status: r
            .try_get::<&str, _>(4)?
            .parse()
            .map_err(|e: citygrid_core::case::UnknownName| corrupt(e.to_string()))?,
        grid: codes.share_opt(r.try_get(5)?),
        community: codes.share_opt(r.try_get(6)?),
        shop: codes.share_opt(r.try_get(7)?),
        street: r
            .try_get::<Option<i64>, _>(8)?
            .and_then(|s| u32::try_from(s).ok()),
        quantity: r.try_get(9)?,
        lon: r.try_get(10)?,
        lat: r.try_get(11)?,
        deadline: time(12)?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        assignee: codes.share_opt(r.try_get(13)?),
        handled_at: time(14)?,
        closed_at: time(15)?,
        reworks: count(16)?,
        extensions: count(17)?,
        returns: count(18)?,
        dispatches: count(19)?,
        events: count(20)?,
    })
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
