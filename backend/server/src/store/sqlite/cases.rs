//! Cases, their events and photos, and the facts statistics read, in the embedded store.

use std::ops::Range;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent};
use futures_util::TryStreamExt;
use geo::{Geometry, Point};
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{SqliteStore, gpkg, ts};
use crate::store::rows::{case_of, fact_of};
use crate::store::{
    CaseFact, CaseFilter, CaseStore, Codes, LiveFilter, Page, Photo, StoreError, sql,
};

fn photos_json(photos: &[String]) -> Result<String, StoreError> {
    json(&photos)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Encode(e.to_string()))
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
            "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, note, assignee, deadline, photo, public_note) ",
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
                .push_bind(e.photo.clone())
                .push_bind(e.visibility.is_public());
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn latest_event_seq(&self) -> Result<i64, StoreError> {
        sql::latest_event_seq(&self.pool).await
    }

    async fn put_photo(&self, photo: &Photo<'_>) -> Result<(), StoreError> {
        sql::put_photo(&self.pool, photo).await
    }

    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        sql::get_photo(&self.pool, hash).await
    }

    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError> {
        sql::has_photo(&self.pool, hash).await
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
        let seq = sql::append_event::<Sqlite>(&mut tx, CaseId(id), event).await?;
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

    async fn export_cases(&self, page: Page) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError> {
        sql::export_cases(&self.pool, page).await
    }

    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        sql::photo_hashes(&self.pool, after, limit).await
    }

    async fn update_case(&self, c: &Case, event: &CaseEvent) -> Result<(), StoreError> {
        sql::update_case(&self.pool, c, event).await
    }

    async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        sql::get_case(&self.pool, id).await
    }

    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        sql::case_events(&self.pool, id).await
    }

    async fn events_after(
        &self,
        filter: &LiveFilter,
        page: Page,
    ) -> Result<Vec<LiveEvent>, StoreError> {
        sql::events_after(&self.pool, filter, page).await
    }

    async fn list_cases(&self, f: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError> {
        let mut q = sql::filtered_cases(&sql::case_columns::<Sqlite>(), f);
        // With a bbox the matches are few and an index on place finds them; `+fid` stops
        // SQLite from walking the whole table backwards by id instead (its plan for ORDER BY +
        // LIMIT).
        q.push(if f.bbox.is_some() {
            " ORDER BY +fid DESC LIMIT "
        } else {
            " ORDER BY fid DESC LIMIT "
        })
        .bind(limit as i64);
        let mut q = q.build::<Sqlite>();
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(case_of).collect()
    }

    /// Cases created in the range, oldest first (by creation, then id). The table is read in
    /// its own order and sorted here: following the `created_at` index visits the rows in
    /// random page order, which over a million cases is some thirty times slower. Rows are
    /// streamed, not held, and the codes repeated over many cases (categories, grid cells,
    /// communities, shops, officers) are shared.
    async fn case_facts(&self, created: Range<DateTime<Utc>>) -> Result<Vec<CaseFact>, StoreError> {
        let mut q = sql::case_facts(&created, "+").build::<Sqlite>();
        let mut rows = q.build().fetch(&self.pool);
        let mut codes = Codes::default();
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            out.push(fact_of(&row, &mut codes)?);
        }
        out.sort_unstable_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError> {
        sql::cases_changed_since(&self.pool, seq).await
    }

    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseFact>, StoreError> {
        sql::case_facts_by_ids(&self.pool, ids).await
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
            visibility: citygrid_core::case::Visibility::Internal,
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
        let moved = Case {
            id,
            status: Status::Dispatched,
            version: 2,
            ..case
        };
        store.update_case(&moved, &event).await.unwrap();
        // Another change made from version 1, after version 2 was stored.
        assert!(matches!(
            store.update_case(&moved, &event).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.case_events(id).await.unwrap().len(), 2);
    }
}
