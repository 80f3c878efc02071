//! Cases, their events and photos in PostgreSQL: the same contract as the embedded store's,
//! with native timestamps and jsonb, and the case's point in a GiST-indexed PostGIS column as
//! well as `lon`/`lat`.

use std::ops::Range;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent};
use futures_util::TryStreamExt;
use sqlx::{Postgres, Transaction};

use super::PgStore;
use crate::store::rows::{case_of, corrupt, fact_of};
use crate::store::sql::{self, Sql};
use crate::store::{CaseFact, CaseFilter, CaseStore, Codes, LiveFilter, Page, Photo, StoreError};

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Encode(e.to_string()))
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
        let seq = sql::append_event::<Postgres>(&mut tx, id, event).await?;
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

    async fn export_cases(&self, page: Page) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError> {
        sql::export_cases(self.pool(), page).await
    }

    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        sql::photo_hashes(self.pool(), after, limit).await
    }

    async fn update_case(&self, c: &Case, event: &CaseEvent) -> Result<(), StoreError> {
        sql::update_case(self.pool(), c, event).await
    }

    async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        sql::get_case(self.pool(), id).await
    }

    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        sql::case_events(self.pool(), id).await
    }

    /// Cases created in the range, oldest first: PostgreSQL sorts by the index on creation.
    async fn case_facts(&self, created: Range<DateTime<Utc>>) -> Result<Vec<CaseFact>, StoreError> {
        let mut q = sql::case_facts(&created, "");
        q.push(" ORDER BY created_at, fid");
        let mut q = q.build::<Postgres>();
        let mut rows = q.build().fetch(self.pool());
        let mut codes = Codes::default();
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            out.push(fact_of(&row, &mut codes)?);
        }
        Ok(out)
    }

    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError> {
        sql::cases_changed_since(self.pool(), seq).await
    }

    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseFact>, StoreError> {
        sql::case_facts_by_ids(self.pool(), ids).await
    }

    async fn list_cases(&self, f: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError> {
        // The page's ids are chosen first (the b-tree on (category, status, lon, lat) serves
        // filtered lists far better than the GiST on geom), then only those rows are read.
        let mut q = sql::filtered_cases("fid", f);
        // With a bbox the matches are few and the place index finds them; ordering by an
        // expression keeps the planner from walking the whole table backwards by id instead
        // (its plan for ORDER BY + LIMIT, hopeless when few rows match).
        q.push(if f.bbox.is_some() {
            " ORDER BY fid + 0 DESC LIMIT "
        } else {
            " ORDER BY fid DESC LIMIT "
        })
        .bind(limit as i64);
        let mut page = Sql::new(format!(
            "SELECT {} FROM cases WHERE fid IN (",
            sql::case_columns::<Postgres>()
        ));
        page.append(q).push(") ORDER BY fid DESC");
        let rows = page
            .build::<Postgres>()
            .build()
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(case_of).collect()
    }

    async fn events_after(
        &self,
        filter: &LiveFilter,
        page: Page,
    ) -> Result<Vec<LiveEvent>, StoreError> {
        sql::events_after(self.pool(), filter, page).await
    }

    async fn put_photo(&self, photo: &Photo<'_>) -> Result<(), StoreError> {
        sql::put_photo(self.pool(), photo).await
    }

    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        sql::get_photo(self.pool(), hash).await
    }

    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError> {
        sql::has_photo(self.pool(), hash).await
    }

    async fn latest_event_seq(&self) -> Result<i64, StoreError> {
        sql::latest_event_seq(self.pool()).await
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
                "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo, public_note) \
                 SELECT * FROM UNNEST($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::boolean[])",
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
            .bind(events.iter().map(|(_, e)| e.visibility.is_public()).collect::<Vec<_>>())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
