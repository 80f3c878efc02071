//! The few columns of every case that statistics need, read in one pass.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqlitePool};

use super::cases_sqlite::ts;
use super::{CaseFact, StoreError};

/// Cases created in `[from, to)`, oldest first (the index on `created_at` gives the order, and
/// rows with the same time come by id).
pub async fn case_facts(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CaseFact>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {FACT_COLUMNS} FROM cases WHERE created_at >= ? AND created_at < ? ORDER BY created_at"
    ))
    .bind(ts(from))
    .bind(ts(to))
    .fetch_all(pool)
    .await?;
    rows.iter().map(fact_of).collect()
}

const FACT_COLUMNS: &str = "fid, created_at, category, source, status, grid, community, shop, street_id, quantity, \
     lon, lat, deadline, assignee, handled_at, closed_at, reworks, extensions, returns, dispatches, events";

fn shared(s: String) -> std::sync::Arc<str> {
    std::sync::Arc::from(s)
}

fn fact_of(r: &sqlx::sqlite::SqliteRow) -> Result<CaseFact, StoreError> {
    let id: i64 = r.try_get("fid")?;
    let corrupt = |e: String| StoreError::Corrupt {
        table: "cases",
        fid: id,
        reason: e,
    };
    let created: String = r.try_get("created_at")?;
    let source: String = r.try_get("source")?;
    let status: String = r.try_get("status")?;
    let time = |col: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        r.try_get::<Option<String>, _>(col)?
            .map(|t| {
                DateTime::parse_from_rfc3339(&t)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| corrupt(e.to_string()))
            })
            .transpose()
    };
    let count = |col: &str| -> Result<u32, StoreError> {
        Ok(u32::try_from(r.try_get::<i64, _>(col)?).unwrap_or(0))
    };
    Ok(CaseFact {
        id,
        deadline: time("deadline")?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        assignee: r.try_get::<Option<String>, _>("assignee")?.map(shared),
        handled_at: time("handled_at")?,
        closed_at: time("closed_at")?,
        reworks: count("reworks")?,
        extensions: count("extensions")?,
        returns: count("returns")?,
        dispatches: count("dispatches")?,
        events: count("events")?,
        created_at: DateTime::parse_from_rfc3339(&created)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| corrupt(e.to_string()))?,
        category: shared(r.try_get("category")?),
        source: source
            .parse()
            .map_err(|e: citygrid_core::case::UnknownName| corrupt(e.to_string()))?,
        status: status
            .parse()
            .map_err(|e: citygrid_core::case::UnknownName| corrupt(e.to_string()))?,
        grid: r.try_get::<Option<String>, _>("grid")?.map(shared),
        community: r.try_get::<Option<String>, _>("community")?.map(shared),
        shop: r.try_get::<Option<String>, _>("shop")?.map(shared),
        street: r
            .try_get::<Option<i64>, _>("street_id")?
            .and_then(|s| u32::try_from(s).ok()),
        quantity: r.try_get("quantity")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
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
        for row in q.fetch_all(pool).await? {
            out.push(fact_of(&row)?);
        }
    }
    Ok(out)
}
