//! The embedded store: one SQLite file that is also a valid GeoPackage 1.3.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use citygrid_core::features::{Attributes, BaseLayers, LayerRows};
use citygrid_core::ids::GridCode;
use geo::{BoundingRect, Geometry};
use sqlx::query_builder::Separated;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::layer_rows::{self, LayerRowSets};
use super::{
    AccountStore, AuditStore, CaseFilter, CaseStore, Credentials, DispatchStore, DistrictStore,
    LiveFilter, NewUser, StoreError, accounts_sqlite, cases_sqlite, dispatch_sqlite, facts_sqlite,
    gpkg,
};
use chrono::{DateTime, Utc};
use citygrid_core::case::{Case, CaseEvent, CaseId, LiveEvent};

/// GeoPackage's `application_id` ("GPKG") and `user_version` for version 1.3.
const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
const GPKG_USER_VERSION: i32 = 10300;
/// How long closing waits for connections still in use by requests.
const CLOSE_PATIENCE: Duration = Duration::from_secs(30);
/// Rows per INSERT statement (SQLite's per-statement cost is high; see DESIGN §11).
const ROWS_PER_INSERT: usize = 400;

/// A citygrid database in one SQLite/GeoPackage file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// A shared lock on `<db>.lock` for as long as the store is open: a restore takes it
    /// exclusively, so it cannot replace a database anyone has open. [`SqliteStore::close`]
    /// gives it up only once every connection has closed.
    lock: Option<std::sync::Arc<std::sync::Mutex<Option<std::fs::File>>>>,
}

/// The lock file beside a database.
pub fn lock_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    name.into()
}

impl SqliteStore {
    /// Opens (creating if absent) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(|e| StoreError::Locked(format!("{}: {e}", lock_path(path).display())))?;
        lock.try_lock_shared()
            .map_err(|_| StoreError::Locked(format!("{} is being restored", path.display())))?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Read pages through a memory map and keep a larger page cache: most reads are of
            // hot pages (indexes of recent cases), and a read() per page costs more than the work.
            .pragma("mmap_size", "268435456")
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite").run(&pool).await?;
        sqlx::query(&format!("PRAGMA application_id = {GPKG_APPLICATION_ID}"))
            .execute(&pool)
            .await?;
        sqlx::query(&format!("PRAGMA user_version = {GPKG_USER_VERSION}"))
            .execute(&pool)
            .await?;
        Ok(Self {
            pool,
            lock: Some(std::sync::Arc::new(std::sync::Mutex::new(Some(lock)))),
        })
    }

    /// Closes every connection, waits until each has (SQLite checkpoints and removes its
    /// write-ahead log then), and only then gives up the lock on the file. Every clone of this
    /// store is closed with it.
    pub async fn close_file(&self) {
        // `Pool::close` can return with a connection still idle in the pool: one that came back
        // from a request just after the pool's last look at its idle queue. Closing again
        // closes it; the pool's size falls only once a connection's close has finished.
        let patience = std::time::Instant::now() + CLOSE_PATIENCE;
        self.pool.close().await;
        while self.pool.size() > 0 && std::time::Instant::now() < patience {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.pool.close().await;
        }
        if self.pool.size() > 0 {
            tracing::warn!(
                connections = self.pool.size(),
                "connections still open after closing the database; a restore will wait for them"
            );
        }
        if let Some(lock) = &self.lock {
            // A poisoned lock still holds the file: dropping it is all that is done here.
            let mut held = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            held.take();
        }
    }

    /// Opens an in-memory database (for tests).
    pub async fn memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite").run(&pool).await?;
        Ok(Self { pool, lock: None })
    }
}

fn enc(g: &Geometry) -> Result<Vec<u8>, StoreError> {
    gpkg::encode(g).map_err(StoreError::Encode)
}

fn attrs_json(a: &Attributes) -> String {
    serde_json::Value::Object(a.clone()).to_string()
}

type Binder<'q, 'a> = Separated<'q, 'a, Sqlite, &'static str>;

/// Inserts rows in multi-row statements; `encode` gives each row's geometry (GeoPackage
/// binary), `bind` binds its values.
async fn insert_all<T>(
    tx: &mut Transaction<'_, Sqlite>,
    head: &str,
    items: &[T],
    encode: impl Fn(&T) -> Result<Vec<u8>, StoreError>,
    bind: impl for<'q, 'a> Fn(&mut Binder<'q, 'a>, &T, Vec<u8>),
) -> Result<(), StoreError> {
    for chunk in items.chunks(ROWS_PER_INSERT) {
        let geoms = chunk.iter().map(&encode).collect::<Result<Vec<_>, _>>()?;
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(head);
        q.push_values(chunk.iter().zip(geoms), |mut b, (item, geom)| {
            bind(&mut b, item, geom);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Deletes a layer's rows and inserts new ones, in the caller's transaction.
async fn write_layer(tx: &mut Transaction<'_, Sqlite>, rows: &LayerRows) -> Result<(), StoreError> {
    let table = rows.layer().as_str();
    sqlx::query(&format!("DELETE FROM {table}"))
        .execute(&mut **tx)
        .await?;
    match rows {
        LayerRows::Communities(v) => {
            insert_all(
                tx,
                "INSERT INTO communities (geom, code, name, subdistrict, attributes) ",
                v,
                |c| enc(&c.geometry.clone().into()),
                |b, c, geom| {
                    b.push_bind(geom)
                        .push_bind(c.code.to_string())
                        .push_bind(c.name.clone())
                        .push_bind(c.subdistrict.clone())
                        .push_bind(attrs_json(&c.attributes));
                },
            )
            .await?;
        }
        LayerRows::Grids(v) => {
            insert_all(
                tx,
                "INSERT INTO grids (geom, code, name, community, attributes) ",
                v,
                |g| enc(&g.geometry.clone().into()),
                |b, g, geom| {
                    b.push_bind(geom)
                        .push_bind(g.code.to_string())
                        .push_bind(g.name.clone())
                        .push_bind(g.community.as_ref().map(ToString::to_string))
                        .push_bind(attrs_json(&g.attributes));
                },
            )
            .await?;
        }
        LayerRows::Streets(v) => {
            insert_all(tx, "INSERT INTO streets (geom, street_id, name, class, left_from, left_to, right_from, right_to, attributes) ", v, |s| enc(&s.geometry.clone().into()), |b, s, geom| {
                b.push_bind(geom)
                    .push_bind(i64::from(s.id.0))
                    .push_bind(s.name.clone())
                    .push_bind(s.class.clone())
                    .push_bind(s.left.map(|r| i64::from(r.from)))
                    .push_bind(s.left.map(|r| i64::from(r.to)))
                    .push_bind(s.right.map(|r| i64::from(r.from)))
                    .push_bind(s.right.map(|r| i64::from(r.to)))
                    .push_bind(attrs_json(&s.attributes));
            })
            .await?;
        }
        LayerRows::Shops(v) => {
            insert_all(tx, "INSERT INTO shops (geom, code, name, address, category, contact, phone, license, door_radius_m, attributes) ", v, |s| enc(&s.front.to_geometry()), |b, s, geom| {
                b.push_bind(geom)
                    .push_bind(s.code.to_string())
                    .push_bind(s.name.clone())
                    .push_bind(s.address.clone())
                    .push_bind(s.category.clone())
                    .push_bind(s.contact.clone())
                    .push_bind(s.phone.clone())
                    .push_bind(s.license.clone())
                    .push_bind(s.door_radius_m)
                    .push_bind(attrs_json(&s.attributes));
            })
            .await?;
        }
        LayerRows::Zones(v) => {
            insert_all(
                tx,
                "INSERT INTO zones (geom, zone_id, name, level, hours, categories, attributes) ",
                v,
                |z| enc(&z.geometry.clone().into()),
                |b, z, geom| {
                    b.push_bind(geom)
                        .push_bind(i64::from(z.id.0))
                        .push_bind(z.name.clone())
                        .push_bind(z.level.as_str())
                        .push_bind(z.hours.map(|h| h.to_string()))
                        .push_bind(serde_json::Value::from(z.categories.clone()).to_string())
                        .push_bind(attrs_json(&z.attributes));
                },
            )
            .await?;
        }
        LayerRows::Components(v) => {
            insert_all(
                tx,
                "INSERT INTO components (geom, code, kind, status, attributes) ",
                v,
                |c| enc(&c.geometry.into()),
                |b, c, geom| {
                    b.push_bind(geom)
                        .push_bind(c.code.to_string())
                        .push_bind(c.kind.clone())
                        .push_bind(c.status.clone())
                        .push_bind(attrs_json(&c.attributes));
                },
            )
            .await?;
        }
        LayerRows::Addresses(v) => {
            insert_all(
                tx,
                "INSERT INTO addresses (geom, street, number, attributes) ",
                v,
                |a| enc(&a.geometry.into()),
                |b, a, geom| {
                    b.push_bind(geom)
                        .push_bind(a.street.clone())
                        .push_bind(a.number.clone())
                        .push_bind(attrs_json(&a.attributes));
                },
            )
            .await?;
        }
        LayerRows::Officers(v) => {
            insert_all(
                tx,
                "INSERT INTO officers (code, name, team, phone, grids) ",
                v,
                |_| Ok(Vec::new()),
                |b, o, _| {
                    let grids: Vec<&str> = o.grids.iter().map(GridCode::as_str).collect();
                    b.push_bind(o.code.to_string())
                        .push_bind(o.name.clone())
                        .push_bind(o.team.clone())
                        .push_bind(o.phone.clone())
                        .push_bind(serde_json::Value::from(grids).to_string());
                },
            )
            .await?;
        }
    }
    update_contents(tx, rows).await
}

/// Keeps `gpkg_contents` true: the layer's envelope and time of last change.
async fn update_contents(
    tx: &mut Transaction<'_, Sqlite>,
    rows: &LayerRows,
) -> Result<(), StoreError> {
    let rects: Vec<geo::Rect> = match rows {
        LayerRows::Communities(v) => v
            .iter()
            .filter_map(|c| c.geometry.bounding_rect())
            .collect(),
        LayerRows::Grids(v) => v
            .iter()
            .filter_map(|g| g.geometry.bounding_rect())
            .collect(),
        LayerRows::Streets(v) => v
            .iter()
            .filter_map(|s| s.geometry.bounding_rect())
            .collect(),
        LayerRows::Shops(v) => v
            .iter()
            .filter_map(|s| s.front.to_geometry().bounding_rect())
            .collect(),
        LayerRows::Zones(v) => v
            .iter()
            .filter_map(|z| z.geometry.bounding_rect())
            .collect(),
        LayerRows::Components(v) => v.iter().map(|c| c.geometry.bounding_rect()).collect(),
        LayerRows::Addresses(v) => v.iter().map(|a| a.geometry.bounding_rect()).collect(),
        LayerRows::Officers(_) => Vec::new(),
    };
    let env = rects.iter().fold(None, |acc: Option<[f64; 4]>, r| {
        let [a, b, c, d] = acc.unwrap_or([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
        Some([
            a.min(r.min().x),
            b.min(r.min().y),
            c.max(r.max().x),
            d.max(r.max().y),
        ])
    });
    sqlx::query(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, \
         last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
    )
    .bind(env.map(|e| e[0]))
    .bind(env.map(|e| e[1]))
    .bind(env.map(|e| e[2]))
    .bind(env.map(|e| e[3]))
    .bind(rows.layer().as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn all(pool: &SqlitePool, table: &str) -> Result<Vec<SqliteRow>, StoreError> {
    Ok(sqlx::query(&format!("SELECT * FROM {table} ORDER BY fid"))
        .fetch_all(pool)
        .await?)
}

#[async_trait]
impl DistrictStore for SqliteStore {
    async fn load_base(&self) -> Result<BaseLayers, StoreError> {
        let pool = &self.pool;
        layer_rows::base_layers(&LayerRowSets {
            communities: all(pool, "communities").await?,
            grids: all(pool, "grids").await?,
            streets: all(pool, "streets").await?,
            shops: all(pool, "shops").await?,
            zones: all(pool, "zones").await?,
            components: all(pool, "components").await?,
            addresses: all(pool, "addresses").await?,
            officers: all(pool, "officers").await?,
        })
    }

    async fn replace_layers(&self, layers: Vec<LayerRows>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for rows in &layers {
            write_layer(&mut tx, rows).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.close_file().await;
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn set_setting(
        &self,
        key: &str,
        value: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(key)
        .bind(value)
        .bind(super::cases_sqlite::ts(at))
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn insert_case(
        &self,
        case: &Case,
        event: &CaseEvent,
    ) -> Result<(CaseId, i64), StoreError> {
        cases_sqlite::insert_case(&self.pool, case, event).await
    }

    async fn insert_history(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<usize, StoreError> {
        cases_sqlite::insert_history(&self.pool, cases).await
    }

    async fn update_case(
        &self,
        case: &Case,
        read_version: i64,
        event: &CaseEvent,
    ) -> Result<(), StoreError> {
        cases_sqlite::update_case(&self.pool, case, read_version, event).await
    }

    async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        cases_sqlite::get_case(&self.pool, id).await
    }

    async fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        cases_sqlite::case_events(&self.pool, id).await
    }

    async fn list_cases(&self, filter: &CaseFilter, limit: usize) -> Result<Vec<Case>, StoreError> {
        cases_sqlite::list_cases(&self.pool, filter, limit).await
    }

    async fn events_after(
        &self,
        after: i64,
        filter: &LiveFilter,
        limit: usize,
    ) -> Result<Vec<LiveEvent>, StoreError> {
        cases_sqlite::events_after(&self.pool, after, filter, limit).await
    }

    async fn put_photo(
        &self,
        hash: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        cases_sqlite::put_photo(&self.pool, hash, content_type, bytes).await
    }

    async fn get_photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        cases_sqlite::get_photo(&self.pool, hash).await
    }

    async fn has_photo(&self, hash: &str) -> Result<bool, StoreError> {
        cases_sqlite::has_photo(&self.pool, hash).await
    }

    async fn case_facts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<super::CaseFact>, StoreError> {
        facts_sqlite::case_facts(&self.pool, from, to).await
    }

    async fn cases_changed_since(&self, seq: i64) -> Result<Vec<i64>, StoreError> {
        facts_sqlite::cases_changed_since(&self.pool, seq).await
    }

    async fn case_facts_by_ids(&self, ids: &[i64]) -> Result<Vec<super::CaseFact>, StoreError> {
        facts_sqlite::case_facts_by_ids(&self.pool, ids).await
    }

    async fn latest_event_seq(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT max(seq) FROM case_events")
                .fetch_one(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }

    async fn export_cases(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Case, Vec<CaseEvent>)>, StoreError> {
        cases_sqlite::export_cases(&self.pool, after, limit).await
    }

    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<(), StoreError> {
        cases_sqlite::import_cases(&self.pool, cases).await
    }

    async fn photo_hashes(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        cases_sqlite::photo_hashes(&self.pool, after, limit).await
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        accounts_sqlite::insert_user(&self.pool, user, now).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        accounts_sqlite::credentials(&self.pool, username).await
    }

    async fn record_login(
        &self,
        user: i64,
        failed_logins: i64,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        accounts_sqlite::record_login(&self.pool, user, failed_logins, locked_until).await
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user: i64,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        accounts_sqlite::insert_session(&self.pool, token_hash, user, now, expires).await
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<citygrid_core::account::User>, StoreError> {
        accounts_sqlite::session_user(&self.pool, token_hash, now).await
    }

    async fn revoke_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        accounts_sqlite::revoke_session(&self.pool, token_hash).await
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        accounts_sqlite::count_users(&self.pool).await
    }

    async fn list_users(&self) -> Result<Vec<citygrid_core::account::User>, StoreError> {
        accounts_sqlite::list_users(&self.pool).await
    }

    async fn update_user(
        &self,
        user: &citygrid_core::account::User,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        accounts_sqlite::update_user(&self.pool, user, password_hash).await
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, entry: &super::AuditEntry) -> Result<(), StoreError> {
        accounts_sqlite::append_audit(&self.pool, entry).await
    }

    async fn query_audit(
        &self,
        filter: &super::AuditFilter,
        limit: usize,
    ) -> Result<Vec<super::AuditEntry>, StoreError> {
        accounts_sqlite::query_audit(&self.pool, filter, limit).await
    }

    async fn audit_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<super::AuditEntry>, StoreError> {
        accounts_sqlite::audit_after(&self.pool, after, limit).await
    }
}

#[async_trait]
impl DispatchStore for SqliteStore {
    async fn append_status(
        &self,
        change: &citygrid_core::officer::StatusChange,
    ) -> Result<(), StoreError> {
        dispatch_sqlite::append_status(&self.pool, change).await
    }

    async fn latest_statuses(
        &self,
    ) -> Result<Vec<citygrid_core::officer::StatusChange>, StoreError> {
        dispatch_sqlite::latest_statuses(&self.pool).await
    }

    async fn status_history(
        &self,
        officer: &str,
        limit: usize,
    ) -> Result<Vec<citygrid_core::officer::StatusChange>, StoreError> {
        dispatch_sqlite::status_history(&self.pool, officer, limit).await
    }

    async fn insert_fixes(
        &self,
        fixes: &[citygrid_core::officer::Fix],
        received: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        dispatch_sqlite::insert_fixes(&self.pool, fixes, received).await
    }

    async fn latest_fixes(&self) -> Result<Vec<citygrid_core::officer::Fix>, StoreError> {
        dispatch_sqlite::latest_fixes(&self.pool).await
    }

    async fn fixes(
        &self,
        officer: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<citygrid_core::officer::Fix>, StoreError> {
        dispatch_sqlite::fixes(&self.pool, officer, from, to, limit).await
    }

    async fn insert_shift(
        &self,
        shift: &citygrid_core::officer::Shift,
        created_by: &str,
    ) -> Result<(), StoreError> {
        dispatch_sqlite::insert_shift(&self.pool, shift, created_by).await
    }

    async fn shifts(
        &self,
        officer: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<citygrid_core::officer::Shift>, StoreError> {
        dispatch_sqlite::shifts(&self.pool, officer, from, to).await
    }

    async fn delete_fixes_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        dispatch_sqlite::delete_fixes_before(&self.pool, before).await
    }
}
