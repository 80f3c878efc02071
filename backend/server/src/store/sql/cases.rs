//! Cases, their events and photos, for both stores, with the filters of case lists and live
//! events. Each store writes new cases (geometry, bulk loads) and orders its lists (planner
//! hints) in its own way.

use std::ops::Range;

use chrono::{DateTime, Utc};
use citygrid_core::access::Reach;
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent};
use sqlx::Pool;

use super::{Arg, Dialect, Found, Sql};
use crate::store::rows::{
    Columns, FACT_COLUMNS, case_of, event_of, fact_of, live_event_of, with_events,
};
use crate::store::{CaseFact, CaseFilter, Codes, LiveFilter, Page, Photo, StoreError};

/// A case's columns, as [`case_of`] reads them.
pub(in crate::store) fn case_columns<DB: Dialect>() -> String {
    format!(
        "fid, lon, lat, category, source, status, description, quantity, address, {}, {}, assignee, \
         duplicate_of, created_at, updated_at, deadline, version, {}",
        DB::json_text("location", "location"),
        DB::json_text("reporter", "reporter"),
        DB::json_text("photos", "photos"),
    )
}

/// An event's columns (`e.`), as [`event_of`] reads them.
const EVENT_COLUMNS: &str = "e.seq, e.case_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.note, \
     e.assignee AS event_assignee, e.deadline AS event_deadline, e.photo, e.public_note";

/// Appends an event to a case in the caller's transaction; its sequence number.
pub(in crate::store) async fn append_event<DB: Dialect>(
    conn: &mut DB::Connection,
    case: CaseId,
    e: &CaseEvent,
) -> Found<i64> {
    DB::int_on(conn, insert_event(case, e))
        .await?
        .ok_or_else(|| StoreError::Encode("no sequence number for the new event".into()))
}

fn insert_event(case: CaseId, e: &CaseEvent) -> Sql {
    Sql::new(
        "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, \
         deadline, photo, public_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .arg(case.0)
    .arg(e.at)
    .arg(&e.actor)
    .arg(&e.action)
    .arg(e.from.map(citygrid_core::case::Status::as_str))
    .arg(e.to.as_str())
    .arg(&e.note)
    .arg(&e.assignee)
    .arg(e.deadline)
    .arg(&e.photo)
    .arg(e.visibility.is_public())
}

/// Stores a photo under its hash (once: the same bytes twice are one photo).
pub(in crate::store) async fn put_photo<DB: Dialect>(
    pool: &Pool<DB>,
    photo: &Photo<'_>,
) -> Found<()> {
    let q = Sql::new(
        "INSERT INTO photos (hash, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (hash) DO NOTHING",
    )
    .arg(photo.hash)
    .arg(photo.content_type)
    .arg(photo.bytes.len() as i64)
    .arg(Arg::Bytes(photo.bytes.to_vec()))
    .arg(Utc::now());
    DB::execute(pool, q).await.map(drop)
}

/// A photo's content type and bytes.
pub(in crate::store) async fn get_photo<DB: Dialect>(
    pool: &Pool<DB>,
    hash: &str,
) -> Found<Option<(String, Vec<u8>)>> {
    let q = Sql::new("SELECT content_type, data FROM photos WHERE hash = ?").arg(hash);
    let Some(row) = DB::optional(pool, q).await? else {
        return Ok(None);
    };
    let corrupt = |column: &str| {
        crate::store::rows::corrupt("photos", 0, format!("{hash}: {column} is empty"))
    };
    let content_type = row
        .text("content_type")?
        .ok_or_else(|| corrupt("content_type"))?;
    let data = row.bytes("data")?.ok_or_else(|| corrupt("data"))?;
    Ok(Some((content_type.to_owned(), data)))
}

pub(in crate::store) async fn has_photo<DB: Dialect>(pool: &Pool<DB>, hash: &str) -> Found<bool> {
    let q = Sql::new("SELECT count(*) FROM photos WHERE hash = ?").arg(hash);
    Ok(DB::int(pool, q).await?.unwrap_or(0) > 0)
}

/// Photo hashes above `after`, in order.
pub(in crate::store) async fn photo_hashes<DB: Dialect>(
    pool: &Pool<DB>,
    after: &str,
    limit: usize,
) -> Found<Vec<String>> {
    let q = Sql::new("SELECT hash FROM photos WHERE hash > ? ORDER BY hash LIMIT ?")
        .arg(after)
        .arg(limit as i64);
    DB::texts(pool, q).await
}

/// Moves a case on from the version before its own and appends its event, in one transaction;
/// a case changed meanwhile is [`StoreError::Conflict`].
pub(in crate::store) async fn update_case<DB: Dialect>(
    pool: &Pool<DB>,
    c: &Case,
    event: &CaseEvent,
) -> Found<()> {
    let update = Sql::new(
        "UPDATE cases SET status = ?, assignee = ?, duplicate_of = ?, updated_at = ?, deadline = ?, \
         version = ?, photos = ? WHERE fid = ? AND version = ?",
    )
    .arg(c.status.as_str())
    .arg(&c.assignee)
    .arg(c.duplicate_of.map(|d| d.0))
    .arg(c.updated_at)
    .arg(c.deadline)
    .arg(c.version)
    .arg(Arg::json(&c.photos)?)
    .arg(c.id.0)
    .arg(c.version - 1)
    .changing_one(format!("case {}", c.id));
    DB::transaction(pool, vec![update, insert_event(c.id, event)]).await
}

pub(in crate::store) async fn get_case<DB: Dialect>(
    pool: &Pool<DB>,
    id: CaseId,
) -> Found<Option<Case>> {
    let q = Sql::new(format!(
        "SELECT {} FROM cases WHERE fid = ?",
        case_columns::<DB>()
    ))
    .arg(id.0);
    DB::optional(pool, q)
        .await?
        .as_ref()
        .map(case_of)
        .transpose()
}

/// A case's events, oldest first.
pub(in crate::store) async fn case_events<DB: Dialect>(
    pool: &Pool<DB>,
    id: CaseId,
) -> Found<Vec<CaseEvent>> {
    let q = Sql::new(format!(
        "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id = ? ORDER BY e.seq"
    ))
    .arg(id.0);
    DB::all(pool, q).await?.iter().map(event_of).collect()
}

/// Cases with ids above the page's, in id order, each with its events.
pub(in crate::store) async fn export_cases<DB: Dialect>(
    pool: &Pool<DB>,
    page: Page,
) -> Found<Vec<(Case, Vec<CaseEvent>)>> {
    let q = Sql::new(format!(
        "SELECT {} FROM cases WHERE fid > ? ORDER BY fid LIMIT ?",
        case_columns::<DB>()
    ))
    .arg(page.after)
    .arg(page.limit as i64);
    let cases = DB::all(pool, q)
        .await?
        .iter()
        .map(case_of)
        .collect::<Found<Vec<_>>>()?;
    let (Some(first), Some(last)) = (cases.first(), cases.last()) else {
        return Ok(Vec::new());
    };
    let q = Sql::new(format!(
        "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id BETWEEN ? AND ? \
         ORDER BY e.case_id, e.seq"
    ))
    .arg(first.id.0)
    .arg(last.id.0);
    with_events(cases, &DB::all(pool, q).await?)
}

/// The sequence number of the latest case event (0 when there is none).
pub(in crate::store) async fn latest_event_seq<DB: Dialect>(pool: &Pool<DB>) -> Found<i64> {
    Ok(DB::int(pool, Sql::new("SELECT max(seq) FROM case_events"))
        .await?
        .unwrap_or(0))
}

/// The cases with events after `seq`.
pub(in crate::store) async fn cases_changed_since<DB: Dialect>(
    pool: &Pool<DB>,
    seq: i64,
) -> Found<Vec<i64>> {
    let q = Sql::new("SELECT DISTINCT case_id FROM case_events WHERE seq > ?").arg(seq);
    DB::ints(pool, q).await
}

/// The facts of these cases (in no particular order), a few hundred ids per statement.
pub(in crate::store) async fn case_facts_by_ids<DB: Dialect>(
    pool: &Pool<DB>,
    ids: &[i64],
) -> Found<Vec<CaseFact>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut codes = Codes::default();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(format!("SELECT {FACT_COLUMNS} FROM cases WHERE fid IN "));
        q.list(chunk);
        for row in DB::all(pool, q).await? {
            out.push(fact_of(&row, &mut codes)?);
        }
    }
    Ok(out)
}

/// The facts statistics read of the cases created in the range, in the order `order` asks
/// for (each database has its fastest way to read them all).
pub(in crate::store) fn case_facts(created: &Range<DateTime<Utc>>, hint: &str) -> Sql {
    let mut q = Sql::new(format!("SELECT {FACT_COLUMNS} FROM cases WHERE "));
    // `hint` is `+` in SQLite: read the table in its own order, not by the created_at index.
    q.push(hint)
        .push("created_at >= ")
        .bind(created.start)
        .push(" AND ")
        .push(hint)
        .push("created_at < ")
        .bind(created.end);
    q
}

/// Narrows a query on `cases` (columns prefixed by `table`) to a user's reach.
fn within_reach(q: &mut Sql, table: &str, reach: &Reach) {
    match reach {
        Reach::All => {}
        Reach::Areas(codes) if codes.is_empty() => {
            q.push(" AND FALSE");
        }
        Reach::Areas(codes) => {
            q.push(&format!(" AND ({table}grid IN "))
                .list(codes)
                .push(&format!(" OR {table}community IN "))
                .list(codes)
                .push(")");
        }
        Reach::Assigned(code) if code.is_empty() => {
            q.push(" AND FALSE");
        }
        Reach::Assigned(code) => {
            q.push(&format!(" AND {table}assignee = ")).bind(code);
        }
    }
}

/// Events after the page's sequence number, oldest first, of the cases the filter selects.
pub(in crate::store) async fn events_after<DB: Dialect>(
    pool: &Pool<DB>,
    filter: &LiveFilter,
    page: Page,
) -> Found<Vec<LiveEvent>> {
    let mut q = Sql::new(format!(
        "SELECT {EVENT_COLUMNS}, c.category, c.source, c.status, c.lon, c.lat, c.grid, c.community, \
         c.assignee, c.deadline FROM case_events e JOIN cases c ON c.fid = e.case_id WHERE e.seq > "
    ));
    q.bind(page.after)
        .and_in("c.grid", &filter.grids)
        .and_in("c.community", &filter.communities)
        .and_in("c.category", &filter.categories);
    within_reach(&mut q, "c.", &filter.reach);
    q.push(" ORDER BY e.seq LIMIT ").bind(page.limit as i64);
    DB::all(pool, q).await?.iter().map(live_event_of).collect()
}

/// `SELECT` of the listed columns of the cases a filter selects (every part of it, reach
/// included), without an order: each store adds the order and limit its planner needs.
pub(in crate::store) fn filtered_cases(columns: &str, f: &CaseFilter) -> Sql {
    let mut q = Sql::new(format!("SELECT {columns} FROM cases WHERE TRUE"));
    if let Some([x0, y0, x1, y1]) = f.bbox {
        q.push(" AND lon BETWEEN ").bind(x0).push(" AND ").bind(x1);
        q.push(" AND lat BETWEEN ").bind(y0).push(" AND ").bind(y1);
    }
    let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
    let sources: Vec<String> = f.sources.iter().map(|s| s.as_str().to_owned()).collect();
    q.and_in("status", &statuses)
        .and_in("category", &f.categories)
        .and_in("source", &sources);
    for (column, value) in [
        ("grid", &f.grid),
        ("community", &f.community),
        ("shop", &f.shop),
    ] {
        if let Some(v) = value {
            q.push(&format!(" AND {column} = ")).bind(v);
        }
    }
    if let Some(street) = f.street {
        q.push(" AND street_id = ").bind(i64::from(street));
    }
    if let Some(t) = f.created_from {
        q.push(" AND created_at >= ").bind(t);
    }
    if let Some(t) = f.created_to {
        q.push(" AND created_at < ").bind(t);
    }
    if let Some(t) = f.overdue_at {
        q.push(" AND status IN ('reported', 'registered', 'dispatched') AND deadline < ")
            .bind(t);
    }
    if let Some(before) = f.before {
        q.push(" AND fid < ").bind(before.0);
    }
    within_reach(&mut q, "", &f.reach);
    q
}
