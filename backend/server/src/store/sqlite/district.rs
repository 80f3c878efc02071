//! The district's base layers and settings in the embedded store: each layer a GeoPackage
//! feature table, written in multi-row statements inside one transaction.

use async_trait::async_trait;
use citygrid_core::features::{Attributes, BaseLayers, LayerRows};
use citygrid_core::ids::GridCode;
use geo::{BoundingRect, Geometry};
use sqlx::query_builder::Separated;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::{SqliteStore, gpkg};
use crate::store::layer_rows::{self, LayerRowSets};
use crate::store::{DistrictStore, SettingChange, StoreError, sql};

/// Rows per INSERT statement (SQLite's per-statement cost is high; see DESIGN §11).
const ROWS_PER_INSERT: usize = 400;

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
    tx: &mut sqlx::SqliteConnection,
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
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Inserts a layer's rows (into a table just emptied), in the caller's transaction.
pub(in crate::store) async fn insert_layer(
    tx: &mut sqlx::SqliteConnection,
    rows: &LayerRows,
) -> Result<(), StoreError> {
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
        LayerRows::Sections(v) => {
            insert_all(tx, "INSERT INTO sections (geom, code, name, contractor, area, fee_per_month, rule, streets, attributes) ", v, |s| enc(&s.extent.to_geometry()), |b, s, geom| {
                b.push_bind(geom)
                    .push_bind(s.code.to_string())
                    .push_bind(s.name.clone())
                    .push_bind(s.contractor.clone())
                    .push_bind(s.area.as_str())
                    .push_bind(s.fee_per_month)
                    .push_bind(s.rule.clone())
                    .push_bind(serde_json::Value::from(s.streets.clone()).to_string())
                    .push_bind(attrs_json(&s.attributes));
            })
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
    tx: &mut sqlx::SqliteConnection,
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
        LayerRows::Sections(v) => v
            .iter()
            .filter_map(|s| s.extent.to_geometry().bounding_rect())
            .collect(),
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
    .execute(&mut *tx)
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
            sections: all(pool, "sections").await?,
        })
    }

    async fn replace_layers(&self, layers: Vec<LayerRows>) -> Result<(), StoreError> {
        sql::replace_layers(&self.pool, &layers).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sql::ping(&self.pool).await
    }

    async fn close(&self) {
        self.close_file().await;
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        sql::setting(&self.pool, key).await
    }

    async fn set_setting(&self, change: &SettingChange) -> Result<(), StoreError> {
        sql::set_setting(&self.pool, change).await
    }
}
