//! Cases, their events and photos in PostgreSQL: the same contract as the embedded store's,
//! with native timestamps and jsonb, and the case's point in a GiST-indexed PostGIS column as
//! well as `lon`/`lat`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::access::Reach;
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent, Status};
use futures_util::TryStreamExt;
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

use super::PgStore;
use crate::store::rows::{
    FACT_COLUMNS, case_of, corrupt, event_of, fact_of, live_event_of, with_events,
};
use crate::store::{CaseFact, CaseFilter, CaseStore, Codes, LiveFilter, StoreError};

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Encode(e.to_string()))
}

const CASE_COLUMNS: &str = "fid, lon, lat, category, source, status, description, quantity, address, \
     location::text AS location, reporter::text AS reporter, assignee, duplicate_of, created_at, updated_at, \
     deadline, version, photos::text AS photos";

const EVENT_COLUMNS: &str = "e.seq, e.case_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.note, \
     e.assignee AS event_assignee, e.deadline AS event_deadline, e.photo";

/// Appends an event and returns its sequence number.
async fn insert_event(
    tx: &mut Transaction<'_, Postgres>,
    case: CaseId,
    e: &CaseEvent,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
    )
    .bind(case.0)
    .bind(e.at)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(e.from.map(Status::as_str))
    .bind(e.to.as_str())
    .bind(&e.note)
    .bind(&e.assignee)
    .bind(e.deadline)
    .bind(&e.photo)
    .fetch_one(&mut **tx)
    .await?)
}

/// Inserts cases in one statement under `ids`, or under new ids taken from the sequence
/// first (so that each case's events can be attached to it); the ids, in order.
async fn insert_cases(
    tx: &mut Transaction<'_, Postgres>,
    cases: &[&Case],
    ids: Option<Vec<i64>>,
) -> Result<Vec<i64>, StoreError> {
    let ids: Vec<i64> = match ids {
        Some(ids) => ids,
        None => {
            sqlx::query_scalar("SELECT nextval('cases_fid_seq') FROM generate_series(1, $1)")
                .bind(cases.len() as i64)
                .fetch_all(&mut **tx)
                .await?
        }
    };
    let col = |f: &dyn Fn(&Case) -> Option<String>| cases.iter().map(|c| f(c)).collect::<Vec<_>>();
    let locations = cases
        .iter()
        .map(|c| json(&c.location))
        .collect::<Result<Vec<_>, _>>()?;
    let reporters = cases
        .iter()
        .map(|c| c.reporter.as_ref().map(json).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let photos = cases
        .iter()
        .map(|c| json(&c.photos))
        .collect::<Result<Vec<_>, _>>()?;
    let sql = "INSERT INTO cases (fid, geom, lon, lat, category, source, status, description, quantity, address, grid, community, \
         street_id, shop, location, reporter, assignee, duplicate_of, created_at, updated_at, deadline, version, photos) \
         SELECT i, ST_SetSRID(ST_MakePoint(x, y), 4326), x, y, ca, so, st, de, qu, ad, gr, co, \
         sid, sh, lo::jsonb, re::jsonb, asg, dup, cr, up, dl, ve, ph::jsonb \
         FROM UNNEST($1::bigint[], $2::float8[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], \
         $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bigint[], \
         $18::timestamptz[], $19::timestamptz[], $20::timestamptz[], $21::bigint[], $22::text[]) \
         AS t(i, x, y, ca, so, st, de, qu, ad, gr, co, sid, sh, lo, re, asg, dup, cr, up, dl, ve, ph)";
    sqlx::query(sql)
        .bind(&ids)
        .bind(cases.iter().map(|c| c.point.lon).collect::<Vec<_>>())
        .bind(cases.iter().map(|c| c.point.lat).collect::<Vec<_>>())
        .bind(col(&|c| Some(c.category.as_str().to_owned())))
        .bind(col(&|c| Some(c.source.as_str().to_owned())))
        .bind(col(&|c| Some(c.status.as_str().to_owned())))
        .bind(col(&|c| Some(c.description.clone())))
        .bind(cases.iter().map(|c| c.quantity).collect::<Vec<_>>())
        .bind(col(&|c| c.address.clone()))
        .bind(col(&|c| {
            c.location.grid.as_ref().map(|g| g.code.to_string())
        }))
        .bind(col(&|c| {
            c.location.community.as_ref().map(|g| g.code.to_string())
        }))
        .bind(
            cases
                .iter()
                .map(|c| c.location.street.as_ref().map(|s| i64::from(s.id.0)))
                .collect::<Vec<_>>(),
        )
        .bind(col(&|c| {
            c.location.shop.as_ref().map(|s| s.code.to_string())
        }))
        .bind(locations)
        .bind(reporters)
        .bind(col(&|c| c.assignee.clone()))
        .bind(
            cases
                .iter()
                .map(|c| c.duplicate_of.map(|d| d.0))
                .collect::<Vec<_>>(),
        )
        .bind(cases.iter().map(|c| c.created_at).collect::<Vec<_>>())
        .bind(cases.iter().map(|c| c.updated_at).collect::<Vec<_>>())
        .bind(cases.iter().map(|c| c.deadline).collect::<Vec<_>>())
        .bind(cases.iter().map(|c| c.version).collect::<Vec<_>>())
        .bind(photos)
        .execute(&mut **tx)
        .await?;
    Ok(ids)
}

/// Narrows a query on `cases` (columns prefixed by `table`) to a user's reach.
fn within_reach(q: &mut QueryBuilder<Postgres>, table: &str, reach: &Reach) {
    match reach {
        Reach::All => {}
        Reach::Areas(codes) => {
            q.push(format!(" AND ({table}grid = ANY("))
                .push_bind(codes.clone())
                .push(format!(") OR {table}community = ANY("))
                .push_bind(codes.clone())
                .push("))");
        }
        Reach::Assigned(code) => {
            q.push(format!(" AND {table}assignee = "))
                .push_bind(code.clone());
            if code.is_empty() {
                q.push(" AND false");
            }
        }
    }
}

#[async_trait]
impl CaseStore for PgStore {
    async fn insert_case(&self, c: &Case, event: &CaseEvent) -> Result<(CaseId, i64), StoreError> {
        let mut tx = self.pool().begin().await?;
        let ids = insert_cases(&mut tx, &[c], None).await?;
        let id = CaseId(
            ids.first()
                .copied()
                .ok_or_else(|| corrupt("cases", 0, "no id"))?,
        );
        let seq = insert_event(&mut tx, id, event).await?;
        tx.commit().await?;
        Ok((id, seq))
    }

    async fn insert_history(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<usize, StoreError> {
        let mut tx = self.pool().begin().await?;
        write_history(&mut tx, cases, false).await?;
        tx.commit().await?;
        analyze_after_bulk(self, cases.len()).await?;
        Ok(cases.len())
    }

    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        write_history(&mut tx, cases, true).await?;
        // New cases continue above the copied ones.
        sqlx::query("SELECT setval('cases_fid_seq', GREATEST((SELECT max(fid) FROM cases), 1))")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        analyze_after_bulk(self, cases.len()).await
    }

    async fn export_cases(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE fid > $1 ORDER BY fid LIMIT $2"
        ))
        .bind(after)
        .bind(limit as i64)
        .fetch_all(self.pool())
        .await?;
        let cases = rows.iter().map(case_of).collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<i64> = cases.iter().map(|c| c.id.0).collect();
        let events = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id = ANY($1) ORDER BY e.case_id, e.seq"
        ))
        .bind(&ids)
        .fetch_all(self.pool())
        .await?;
        with_events(cases, &events)
    }

    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT hash FROM photos WHERE hash > $1 ORDER BY hash LIMIT $2")
                .bind(after)
                .bind(limit as i64)
                .fetch_all(self.pool())
                .await?,
        )
    }

    async fn update_case(
        &self,
        c: &Case,
        read_version: i64,
        event: &CaseEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE cases SET status = $1, assignee = $2, duplicate_of = $3, updated_at = $4, deadline = $5, \
             version = $6, photos = $7::jsonb WHERE fid = $8 AND version = $9",
        )
        .bind(c.status.as_str())
        .bind(&c.assignee)
        .bind(c.duplicate_of.map(|d| d.0))
        .bind(c.updated_at)
        .bind(c.deadline)
        .bind(c.version)
        .bind(json(&c.photos)?)
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
        let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE fid = $1"))
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(case_of).transpose()
    }

    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_id = $1 ORDER BY e.seq"
        ))
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(event_of).collect()
    }

    async fn case_facts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CaseFact>, StoreError> {
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM cases WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, fid"
        );
        let mut rows = sqlx::query(&sql).bind(from).bind(to).fetch(self.pool());
        let mut codes = Codes::default();
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            out.push(fact_of(&row, &mut codes)?);
        }
        Ok(out)
    }

    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT case_id FROM case_events WHERE seq > $1")
                .bind(seq)
                .fetch_all(self.pool())
                .await?,
        )
    }

    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseFact>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {FACT_COLUMNS} FROM cases WHERE fid = ANY($1)"
        ))
        .bind(ids)
        .fetch_all(self.pool())
        .await?;
        let mut codes = Codes::default();
        rows.iter().map(|r| fact_of(r, &mut codes)).collect()
    }

    async fn list_cases(&self, f: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError> {
        // The page's ids are chosen first (from the indexes), then only those rows are read.
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE fid IN (SELECT fid FROM cases WHERE true"
        ));
        if let Some([x0, y0, x1, y1]) = f.bbox {
            // The b-tree on (category, status, lon, lat) serves filtered lists far better than
            // the GiST on geom, which cannot also narrow by category and state.
            q.push(" AND lon BETWEEN ")
                .push_bind(x0)
                .push(" AND ")
                .push_bind(x1)
                .push(" AND lat BETWEEN ")
                .push_bind(y0)
                .push(" AND ")
                .push_bind(y1);
        }
        let mut any_of = |column: &str, values: Vec<String>| {
            if !values.is_empty() {
                q.push(format!(" AND {column} = ANY("))
                    .push_bind(values)
                    .push(")");
            }
        };
        any_of(
            "status",
            f.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
        );
        any_of("category", f.categories.clone());
        any_of(
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
            q.push(" AND created_at >= ").push_bind(t);
        }
        if let Some(t) = f.created_to {
            q.push(" AND created_at < ").push_bind(t);
        }
        if let Some(t) = f.overdue_at {
            q.push(" AND status IN ('reported', 'registered', 'dispatched') AND deadline < ")
                .push_bind(t);
        }
        if let Some(before) = f.before {
            q.push(" AND fid < ").push_bind(before.0);
        }
        within_reach(&mut q, "", &f.reach);
        // With a bbox the matches are few and the place index finds them; ordering by an
        // expression keeps the planner from walking the whole table backwards by id instead
        // (its plan for ORDER BY + LIMIT, hopeless when few rows match).
        let order = if f.bbox.is_some() {
            " ORDER BY fid + 0 DESC LIMIT "
        } else {
            " ORDER BY fid DESC LIMIT "
        };
        q.push(order).push_bind(limit as i64);
        q.push(") ORDER BY fid DESC");
        let rows = q.build().fetch_all(self.pool()).await?;
        rows.iter().map(case_of).collect()
    }

    async fn events_after(
        &self,
        after: i64,
        f: &LiveFilter,
        limit: usize,
    ) -> Result<Vec<LiveEvent>, StoreError> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT {EVENT_COLUMNS}, c.category, c.source, c.status, c.lon, c.lat, c.grid, c.community, c.assignee, \
             c.deadline FROM case_events e JOIN cases c ON c.fid = e.case_id WHERE e.seq > "
        ));
        q.push_bind(after);
        for (column, values) in [
            ("c.grid", &f.grids),
            ("c.community", &f.communities),
            ("c.category", &f.categories),
        ] {
            if !values.is_empty() {
                q.push(format!(" AND {column} = ANY("))
                    .push_bind(values.clone())
                    .push(")");
            }
        }
        within_reach(&mut q, "c.", &f.reach);
        q.push(" ORDER BY e.seq LIMIT ").push_bind(limit as i64);
        let rows = q.build().fetch_all(self.pool()).await?;
        rows.iter().map(live_event_of).collect()
    }

    async fn put_photo(
        &self,
        hash: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO photos (hash, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .bind(Utc::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = sqlx::query("SELECT content_type, data FROM photos WHERE hash = $1")
            .bind(hash)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((r.try_get("content_type")?, r.try_get("data")?)))
            .transpose()
    }

    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM photos WHERE hash = $1)")
                .bind(hash)
                .fetch_one(self.pool())
                .await?,
        )
    }

    async fn latest_event_seq(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT max(seq) FROM case_events")
                .fetch_one(self.pool())
                .await?
                .unwrap_or(0),
        )
    }
}

/// After a large import the planner's statistics are stale and the new pages are not yet marked
/// all-visible until autovacuum comes round; both are done at once, so that the next queries
/// get the plans the data needs and index-only scans need not visit the table.
async fn analyze_after_bulk(store: &PgStore, count: usize) -> Result<(), StoreError> {
    if count >= 10_000 {
        // VACUUM runs outside a transaction, over the simple protocol.
        sqlx::raw_sql("VACUUM (ANALYZE) cases, case_events")
            .execute(store.pool())
            .await?;
    }
    Ok(())
}

/// Writes cases with their events in the caller's transaction: under their own ids (`keep_ids`)
/// or new ones.
async fn write_history(
    tx: &mut Transaction<'_, Postgres>,
    cases: &[(Case, Vec<CaseEvent>)],
    keep_ids: bool,
) -> Result<(), StoreError> {
    for chunk in cases.chunks(5000) {
        let refs: Vec<&Case> = chunk.iter().map(|(c, _)| c).collect();
        let given = keep_ids.then(|| refs.iter().map(|c| c.id.0).collect());
        let ids = insert_cases(tx, &refs, given).await?;
        let events: Vec<(i64, &CaseEvent)> = ids
            .iter()
            .zip(chunk)
            .flat_map(|(id, (_, es))| es.iter().map(move |e| (*id, e)))
            .collect();
        sqlx::query(
                "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo) \
                 SELECT * FROM UNNEST($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::text[], $8::text[], $9::timestamptz[], $10::text[])",
            )
            .bind(events.iter().map(|(id, _)| *id).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.at).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.actor.clone()).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.action.clone()).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.from.map(|s| s.as_str().to_owned())).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.to.as_str().to_owned()).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.note.clone()).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.assignee.clone()).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.deadline).collect::<Vec<_>>())
            .bind(events.iter().map(|(_, e)| e.photo.clone()).collect::<Vec<_>>())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
