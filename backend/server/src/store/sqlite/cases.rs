//! Cases, their events and photos, and the facts statistics read, in the embedded store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::access::Reach;
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent};
use futures_util::TryStreamExt;
use geo::{Geometry, Point};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use super::{SqliteStore, gpkg, ts};
use crate::store::rows::{FACT_COLUMNS, case_of, event_of, fact_of, live_event_of, with_events};
use crate::store::{CaseFact, CaseFilter, CaseStore, Codes, LiveFilter, StoreError};

fn photos_json(photos: &[String]) -> Result<String, StoreError> {
    json(&photos)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Encode(e.to_string()))
}

/// Appends an event and returns its sequence number.
async fn insert_event(
    tx: &mut Transaction<'_, Sqlite>,
    case: CaseId,
    e: &CaseEvent,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(case.0)
    .bind(ts(e.at))
    .bind(&e.actor)
    .bind(&e.action)
    .bind(e.from.map(citygrid_core::case::Status::as_str))
    .bind(e.to.as_str())
    .bind(&e.note)
    .bind(&e.assignee)
    .bind(e.deadline.map(ts))
    .bind(&e.photo)
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// A case ready to insert: id, the case, its geometry, location JSON and reporter JSON.
type EncodedCase<'a> = (i64, &'a Case, Vec<u8>, String, Option<String>);

/// Writes cases under the given ids, with their events, in the caller's transaction.
async fn write_history(
    tx: &mut Transaction<'_, Sqlite>,
    cases: &[(Case, Vec<CaseEvent>)],
    ids: &[i64],
) -> Result<(), StoreError> {
    let rows: Vec<EncodedCase> = cases
        .iter()
        .zip(ids)
        .map(|((c, _), id)| {
            let geom =
                gpkg::encode(&Geometry::Point(Point::from(c.point))).map_err(StoreError::Encode)?;
            Ok((
                *id,
                c,
                geom,
                json(&c.location)?,
                c.reporter.as_ref().map(json).transpose()?,
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    for chunk in rows.chunks(400) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO cases (fid, geom, lon, lat, category, source, status, description, quantity, address, grid, community, \
             street_id, shop, location, reporter, assignee, duplicate_of, created_at, updated_at, deadline, version, photos) ",
        );
        q.push_values(chunk, |mut b, (id, c, geom, location, reporter)| {
            b.push_bind(*id)
                .push_bind(geom.clone())
                .push_bind(c.point.lon)
                .push_bind(c.point.lat)
                .push_bind(c.category.as_str().to_owned())
                .push_bind(c.source.as_str())
                .push_bind(c.status.as_str())
                .push_bind(c.description.clone())
                .push_bind(c.quantity)
                .push_bind(c.address.clone())
                .push_bind(c.location.grid.as_ref().map(|g| g.code.to_string()))
                .push_bind(c.location.community.as_ref().map(|g| g.code.to_string()))
                .push_bind(c.location.street.as_ref().map(|s| i64::from(s.id.0)))
                .push_bind(c.location.shop.as_ref().map(|s| s.code.to_string()))
                .push_bind(location.clone())
                .push_bind(reporter.clone())
                .push_bind(c.assignee.clone())
                .push_bind(c.duplicate_of.map(|d| d.0))
                .push_bind(ts(c.created_at))
                .push_bind(ts(c.updated_at))
                .push_bind(ts(c.deadline))
                .push_bind(c.version)
                .push_bind(serde_json::Value::from(c.photos.clone()).to_string());
        });
        q.build().execute(&mut **tx).await?;
    }
    let events: Vec<(i64, &CaseEvent)> = cases
        .iter()
        .zip(ids)
        .flat_map(|((_, es), id)| es.iter().map(move |e| (*id, e)))
        .collect();
    for chunk in events.chunks(1000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo) ",
        );
        q.push_values(chunk, |mut b, (id, e)| {
            b.push_bind(*id)
                .push_bind(ts(e.at))
                .push_bind(e.actor.clone())
                .push_bind(e.action.clone())
                .push_bind(e.from.map(citygrid_core::case::Status::as_str))
                .push_bind(e.to.as_str())
                .push_bind(e.note.clone())
                .push_bind(e.assignee.clone())
                .push_bind(e.deadline.map(ts))
                .push_bind(e.photo.clone());
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

const CASE_COLUMNS: &str = "fid, lon, lat, category, source, status, description, quantity, address, location, reporter, \
                            assignee, duplicate_of, created_at, updated_at, deadline, version, photos";

const EVENT_COLUMNS: &str = "e.seq, e.case_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.note, \
                             e.assignee AS event_assignee, e.deadline AS event_deadline, e.photo";

/// Narrows a query on `cases` (columns prefixed by `table`) to a user's reach.
fn within_reach(q: &mut QueryBuilder<Sqlite>, table: &str, reach: &Reach) {
    match reach {
        Reach::All => {}
        Reach::Areas(codes) if codes.is_empty() => {
            q.push(" AND 0");
        }
        Reach::Areas(codes) => {
            for (i, column) in ["grid", "community"].into_iter().enumerate() {
                q.push(if i == 0 { " AND (" } else { " OR " });
                q.push(format!("{table}{column} IN ("));
                let mut list = q.separated(", ");
                for code in codes {
                    list.push_bind(code.clone());
                }
                q.push(")");
            }
            q.push(")");
        }
        Reach::Assigned(code) => {
            q.push(format!(" AND {table}assignee = "))
                .push_bind(code.clone());
            if code.is_empty() {
                q.push(" AND 0");
            }
        }
    }
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn latest_event_seq(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT max(seq) FROM case_events")
                .fetch_one(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }

    /// Stores a photo under its hash (once: the same bytes twice are one photo).
    async fn put_photo(
        &self,
        hash: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("INSERT OR IGNORE INTO photos (hash, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(hash)
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .bind(ts(Utc::now()))
        .execute(pool)
        .await?;
        Ok(())
    }
    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let pool = &self.pool;
        let row = sqlx::query("SELECT content_type, data FROM photos WHERE hash = ?")
            .bind(hash)
            .fetch_optional(pool)
            .await?;
        row.map(|r| Ok((r.try_get("content_type")?, r.try_get("data")?)))
            .transpose()
    }
    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM photos WHERE hash = ?")
                .bind(hash)
                .fetch_one(pool)
                .await?
                > 0,
        )
    }
    async fn insert_case(&self, c: &Case, event: &CaseEvent) -> Result<(CaseId, i64), StoreError> {
        let pool = &self.pool;
        let geom =
            gpkg::encode(&Geometry::Point(Point::from(c.point))).map_err(StoreError::Encode)?;
        let mut tx = pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (geom, lon, lat, category, source, status, description, quantity, address, grid, community, \
         street_id, shop, location, reporter, assignee, duplicate_of, created_at, updated_at, deadline, version, photos) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING fid",
    )
    .bind(geom)
    .bind(c.point.lon)
    .bind(c.point.lat)
    .bind(c.category.as_str())
    .bind(c.source.as_str())
    .bind(c.status.as_str())
    .bind(&c.description)
    .bind(c.quantity)
    .bind(&c.address)
    .bind(c.location.grid.as_ref().map(|g| g.code.to_string()))
    .bind(c.location.community.as_ref().map(|g| g.code.to_string()))
    .bind(c.location.street.as_ref().map(|s| i64::from(s.id.0)))
    .bind(c.location.shop.as_ref().map(|s| s.code.to_string()))
    .bind(json(&c.location)?)
    .bind(c.reporter.as_ref().map(json).transpose()?)
    .bind(&c.assignee)
    .bind(c.duplicate_of.map(|d| d.0))
    .bind(ts(c.created_at))
    .bind(ts(c.updated_at))
    .bind(ts(c.deadline))
    .bind(c.version)
    .bind(photos_json(&c.photos)?)
    .fetch_one(&mut *tx)
    .await?;
        let seq = insert_event(&mut tx, CaseId(id), event).await?;
        tx.commit().await?;
        Ok((CaseId(id), seq))
    }
    /// Many cases with their events, in one transaction, in multi-row statements.
    async fn insert_history(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<usize, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let first: i64 = sqlx::query_scalar::<_, Option<i64>>("SELECT max(fid) FROM cases")
            .fetch_one(&mut *tx)
            .await?
            .unwrap_or(0)
            + 1;
        let ids: Vec<i64> = (0..cases.len() as i64).map(|i| first + i).collect();
        write_history(&mut tx, cases, &ids).await?;
        tx.commit().await?;
        Ok(cases.len())
    }
    /// Cases under their own ids with their events, in one transaction.
    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<(), StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let ids: Vec<i64> = cases.iter().map(|(c, _)| c.id.0).collect();
        write_history(&mut tx, cases, &ids).await?;
        tx.commit().await?;
        Ok(())
    }
    /// Cases with ids above `after`, in id order, each with its events.
    async fn export_cases(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE fid > ? ORDER BY fid LIMIT ?"
        ))
        .bind(after)
        .bind(limit as i64)
        .fetch_all(pool)
        .await?;
        let cases = rows.iter().map(case_of).collect::<Result<Vec<_>, _>>()?;
        let (Some(lo), Some(hi)) = (cases.first(), cases.last()) else {
            return Ok(Vec::new());
        };
        let events = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id BETWEEN ? AND ? ORDER BY e.case_id, e.seq"
    ))
    .bind(lo.id.0)
    .bind(hi.id.0)
    .fetch_all(pool)
    .await?;
        with_events(cases, &events)
    }
    /// Photo hashes above `after`, in order.
    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_scalar("SELECT hash FROM photos WHERE hash > ? ORDER BY hash LIMIT ?")
                .bind(after)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?,
        )
    }
    async fn update_case(
        &self,
        c: &Case,
        read_version: i64,
        event: &CaseEvent,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let done = sqlx::query(
        "UPDATE cases SET status = ?, assignee = ?, duplicate_of = ?, updated_at = ?, deadline = ?, version = ?, photos = ? \
         WHERE fid = ? AND version = ?",
    )
    .bind(c.status.as_str())
    .bind(&c.assignee)
    .bind(c.duplicate_of.map(|d| d.0))
    .bind(ts(c.updated_at))
    .bind(ts(c.deadline))
    .bind(c.version)
    .bind(photos_json(&c.photos)?)
    .bind(c.id.0)
    .bind(read_version)
    .execute(&mut *tx)
    .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("case {}", c.id)));
        }
        insert_event(&mut tx, c.id, event).await?;
        tx.commit().await?;
        Ok(())
    }
    async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        let pool = &self.pool;
        let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE fid = ?"))
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(case_of).transpose()
    }
    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id = ? ORDER BY e.seq"
        ))
        .bind(id.0)
        .fetch_all(pool)
        .await?;
        rows.iter().map(event_of).collect()
    }
    async fn events_after(
        &self,
        after: i64,
        f: &LiveFilter,
        limit: usize,
    ) -> Result<Vec<LiveEvent>, StoreError> {
        let pool = &self.pool;
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {EVENT_COLUMNS}, c.category, c.source, c.status, c.lon, c.lat, c.grid, c.community, c.assignee, c.deadline \
         FROM case_events e JOIN cases c ON c.fid = e.case_id WHERE e.seq > "
        ));
        q.push_bind(after);
        for (column, values) in [
            ("c.grid", &f.grids),
            ("c.community", &f.communities),
            ("c.category", &f.categories),
        ] {
            if values.is_empty() {
                continue;
            }
            q.push(format!(" AND {column} IN ("));
            let mut list = q.separated(", ");
            for v in values {
                list.push_bind(v.clone());
            }
            q.push(")");
        }
        within_reach(&mut q, "c.", &f.reach);
        q.push(" ORDER BY e.seq LIMIT ").push_bind(limit as i64);
        let rows = q.build().fetch_all(pool).await?;
        rows.iter().map(live_event_of).collect()
    }
    async fn list_cases(&self, f: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError> {
        let pool = &self.pool;
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1"));
        if let Some([x0, y0, x1, y1]) = f.bbox {
            q.push(" AND lon BETWEEN ")
                .push_bind(x0)
                .push(" AND ")
                .push_bind(x1);
            q.push(" AND lat BETWEEN ")
                .push_bind(y0)
                .push(" AND ")
                .push_bind(y1);
        }
        let any_of = |q: &mut QueryBuilder<Sqlite>, column: &str, values: Vec<String>| {
            if values.is_empty() {
                return;
            }
            q.push(format!(" AND {column} IN ("));
            let mut list = q.separated(", ");
            for v in values {
                list.push_bind(v);
            }
            q.push(")");
        };
        any_of(
            &mut q,
            "status",
            f.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
        );
        any_of(&mut q, "category", f.categories.clone());
        any_of(
            &mut q,
            "source",
            f.sources.iter().map(|s| s.as_str().to_owned()).collect(),
        );
        for (column, value) in [
            ("grid", &f.grid),
            ("community", &f.community),
            ("shop", &f.shop),
        ] {
            if let Some(v) = value {
                q.push(format!(" AND {column} = ")).push_bind(v.clone());
            }
        }
        if let Some(street) = f.street {
            q.push(" AND street_id = ").push_bind(i64::from(street));
        }
        if let Some(t) = f.created_from {
            q.push(" AND created_at >= ").push_bind(ts(t));
        }
        if let Some(t) = f.created_to {
            q.push(" AND created_at < ").push_bind(ts(t));
        }
        if let Some(t) = f.overdue_at {
            q.push(" AND status IN ('reported', 'registered', 'dispatched') AND deadline < ")
                .push_bind(ts(t));
        }
        if let Some(before) = f.before {
            q.push(" AND fid < ").push_bind(before.0);
        }
        within_reach(&mut q, "", &f.reach);
        // With a bbox the matches are few and an index on place finds them; `+fid` stops SQLite
        // from walking the whole table backwards by id instead (its plan for ORDER BY + LIMIT).
        let order = if f.bbox.is_some() {
            " ORDER BY +fid DESC LIMIT "
        } else {
            " ORDER BY fid DESC LIMIT "
        };
        q.push(order).push_bind(limit as i64);
        let rows = q.build().fetch_all(pool).await?;
        rows.iter().map(case_of).collect()
    }
    /// Cases created in `[from, to)`, oldest first (by creation, then id). The table is read in its
    /// own order and sorted here: following the `created_at` index visits the rows in random page
    /// order, which over a million cases is some thirty times slower. Rows are streamed, not held,
    /// and the codes repeated over many cases (categories, grid cells, communities, shops, officers)
    /// are shared.
    async fn case_facts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CaseFact>, StoreError> {
        let pool = &self.pool;
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
    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_scalar("SELECT DISTINCT case_id FROM case_events WHERE seq > ?")
                .bind(seq)
                .fetch_all(pool)
                .await?,
        )
    }
    /// The facts of these cases (in no particular order).
    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseFact>, StoreError> {
        let pool = &self.pool;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;
    use citygrid_core::case::{Source, Status};
    use citygrid_core::category::CategoryCode;
    use citygrid_core::{LonLat, api::Location};

    #[tokio::test]
    async fn case_events_cannot_be_changed_or_deleted() {
        let store = SqliteStore::memory().await.unwrap();
        let now = Utc::now();
        let case = Case {
            id: CaseId(0),
            category: CategoryCode("0501".into()),
            source: Source::Patrol,
            status: Status::Registered,
            description: String::new(),
            quantity: None,
            point: LonLat {
                lon: 116.8,
                lat: 33.95,
            },
            address: None,
            location: Location {
                point: LonLat {
                    lon: 116.8,
                    lat: 33.95,
                },
                grid: None,
                outside: None,
                community: None,
                subdistrict: None,
                zones: vec![],
                street: None,
                shop: None,
            },
            reporter: None,
            assignee: None,
            duplicate_of: None,
            photos: Vec::new(),
            created_at: now,
            updated_at: now,
            deadline: now,
            version: 1,
        };
        let event = CaseEvent {
            seq: 0,
            at: now,
            actor: "a".into(),
            action: "report".into(),
            from: None,
            to: Status::Registered,
            note: None,
            assignee: None,
            deadline: None,
            photo: None,
        };
        let (id, _) = store.insert_case(&case, &event).await.unwrap();
        for sql in [
            "UPDATE case_events SET note = 'changed'",
            "DELETE FROM case_events",
        ] {
            let err = sqlx::query(sql).execute(&store.pool).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        assert_eq!(store.case_events(id).await.unwrap().len(), 1);
        // A stale version is a conflict and appends nothing.
        let mut moved = Case {
            id,
            status: Status::Dispatched,
            version: 2,
            ..case
        };
        store.update_case(&moved, 1, &event).await.unwrap();
        moved.version = 3;
        assert!(matches!(
            store.update_case(&moved, 1, &event).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.case_events(id).await.unwrap().len(), 2);
    }
}
