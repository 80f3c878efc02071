//! The district's base layers and settings in PostgreSQL/PostGIS: geometry as WKB into
//! GiST-indexed PostGIS columns, each layer written with UNNEST arrays in one statement.

use async_trait::async_trait;
use citygrid_core::features::{Attributes, BaseLayers, LayerRows, NumberRange, Street};
use citygrid_core::ids::GridCode;
use geo::Geometry;
use geozero::{CoordDimensions, ToWkb};
use sqlx::postgres::{PgPool, PgRow};

use super::PgStore;
use crate::store::layer_rows::{self, LayerRowSets};
use crate::store::{DistrictStore, SettingChange, StoreError, sql};

fn wkb(g: &Geometry) -> Result<Vec<u8>, StoreError> {
    g.to_wkb(CoordDimensions::xy())
        .map_err(|e| StoreError::Encode(e.to_string()))
}

/// Attributes as JSON text (cast to jsonb in the statement).
fn attrs(a: &Attributes) -> String {
    serde_json::Value::Object(a.clone()).to_string()
}

async fn rows(pool: &PgPool, table: &str, columns: &str) -> Result<Vec<PgRow>, StoreError> {
    Ok(sqlx::query(&format!(
        "SELECT fid, ST_AsBinary(geom) AS wkb, attributes::text AS attributes, {columns} FROM {table} ORDER BY fid"
    ))
    .fetch_all(pool)
    .await?)
}

pub(in crate::store) async fn insert_layer(
    tx: &mut sqlx::PgConnection,
    rows: &LayerRows,
) -> Result<(), StoreError> {
    let geoms = |gs: Vec<Geometry>| gs.iter().map(wkb).collect::<Result<Vec<_>, _>>();
    let q = match rows {
        LayerRows::Communities(v) => sqlx::query(
            "INSERT INTO communities (geom, code, name, subdistrict, attributes) \
             SELECT ST_Multi(ST_GeomFromWKB(g, 4326)), c, n, s, a::jsonb FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(g, c, n, s, a)",
        )
        .bind(geoms(v.iter().map(|c| c.geometry.clone().into()).collect())?)
        .bind(v.iter().map(|c| c.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| c.subdistrict.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| attrs(&c.attributes)).collect::<Vec<_>>()),
        LayerRows::Grids(v) => sqlx::query(
            "INSERT INTO grids (geom, code, name, community, attributes) \
             SELECT ST_Multi(ST_GeomFromWKB(g, 4326)), c, n, m, a::jsonb FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(g, c, n, m, a)",
        )
        .bind(geoms(v.iter().map(|g| g.geometry.clone().into()).collect())?)
        .bind(v.iter().map(|g| g.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|g| g.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|g| g.community.as_ref().map(ToString::to_string)).collect::<Vec<_>>())
        .bind(v.iter().map(|g| attrs(&g.attributes)).collect::<Vec<_>>()),
        LayerRows::Streets(v) => {
            let side = |f: fn(&Street) -> Option<NumberRange>, from: bool| {
                v.iter()
                    .map(|s| f(s).map(|r| i64::from(if from { r.from } else { r.to })))
                    .collect::<Vec<_>>()
            };
            sqlx::query(
                "INSERT INTO streets (geom, street_id, name, class, left_from, left_to, right_from, right_to, attributes) \
                 SELECT ST_Multi(ST_GeomFromWKB(g, 4326)), i, n, c, lf, lt, rf, rt, a::jsonb \
                 FROM UNNEST($1::bytea[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[]) \
                 AS t(g, i, n, c, lf, lt, rf, rt, a)",
            )
            .bind(geoms(v.iter().map(|s| s.geometry.clone().into()).collect())?)
            .bind(v.iter().map(|s| i64::from(s.id.0)).collect::<Vec<_>>())
            .bind(v.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
            .bind(v.iter().map(|s| s.class.clone()).collect::<Vec<_>>())
            .bind(side(|s| s.left, true))
            .bind(side(|s| s.left, false))
            .bind(side(|s| s.right, true))
            .bind(side(|s| s.right, false))
            .bind(v.iter().map(|s| attrs(&s.attributes)).collect::<Vec<_>>())
        }
        LayerRows::Shops(v) => sqlx::query(
            "INSERT INTO shops (geom, code, name, address, category, contact, phone, license, door_radius_m, attributes) \
             SELECT ST_GeomFromWKB(g, 4326), c, n, ad, ca, co, p, l, r, a::jsonb \
             FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::text[]) \
             AS t(g, c, n, ad, ca, co, p, l, r, a)",
        )
        .bind(geoms(v.iter().map(|s| s.front.to_geometry()).collect())?)
        .bind(v.iter().map(|s| s.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.address.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.category.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.contact.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.phone.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.license.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.door_radius_m).collect::<Vec<_>>())
        .bind(v.iter().map(|s| attrs(&s.attributes)).collect::<Vec<_>>()),
        LayerRows::Zones(v) => sqlx::query(
            "INSERT INTO zones (geom, zone_id, name, level, hours, categories, attributes) \
             SELECT ST_Multi(ST_GeomFromWKB(g, 4326)), i, n, l, h, c::jsonb, a::jsonb \
             FROM UNNEST($1::bytea[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(g, i, n, l, h, c, a)",
        )
        .bind(geoms(v.iter().map(|z| z.geometry.clone().into()).collect())?)
        .bind(v.iter().map(|z| i64::from(z.id.0)).collect::<Vec<_>>())
        .bind(v.iter().map(|z| z.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|z| z.level.as_str().to_owned()).collect::<Vec<_>>())
        .bind(v.iter().map(|z| z.hours.map(|h| h.to_string())).collect::<Vec<_>>())
        .bind(v.iter().map(|z| serde_json::Value::from(z.categories.clone()).to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|z| attrs(&z.attributes)).collect::<Vec<_>>()),
        LayerRows::Components(v) => sqlx::query(
            "INSERT INTO components (geom, code, kind, status, attributes) \
             SELECT ST_GeomFromWKB(g, 4326), c, k, s, a::jsonb FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(g, c, k, s, a)",
        )
        .bind(geoms(v.iter().map(|c| c.geometry.into()).collect())?)
        .bind(v.iter().map(|c| c.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| c.kind.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| c.status.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|c| attrs(&c.attributes)).collect::<Vec<_>>()),
        LayerRows::Addresses(v) => sqlx::query(
            "INSERT INTO addresses (geom, street, number, attributes) \
             SELECT ST_GeomFromWKB(g, 4326), s, n, a::jsonb FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[]) AS t(g, s, n, a)",
        )
        .bind(geoms(v.iter().map(|a| a.geometry.into()).collect())?)
        .bind(v.iter().map(|a| a.street.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|a| a.number.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|a| attrs(&a.attributes)).collect::<Vec<_>>()),
        LayerRows::Sections(v) => sqlx::query(
            "INSERT INTO sections (geom, code, name, contractor, area, fee_per_month, rule, streets, attributes) \
             SELECT ST_GeomFromWKB(g, 4326), c, n, k, ar, f, r, s::jsonb, a::jsonb \
             FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::text[], $9::text[]) \
             AS t(g, c, n, k, ar, f, r, s, a)",
        )
        .bind(geoms(v.iter().map(|s| s.extent.to_geometry()).collect())?)
        .bind(v.iter().map(|s| s.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.contractor.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.area.as_str().to_owned()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.fee_per_month).collect::<Vec<_>>())
        .bind(v.iter().map(|s| s.rule.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| serde_json::Value::from(s.streets.clone()).to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|s| attrs(&s.attributes)).collect::<Vec<_>>()),
        LayerRows::Officers(v) => sqlx::query(
            "INSERT INTO officers (code, name, team, phone, grids) \
             SELECT c, n, t, p, g::jsonb FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(c, n, t, p, g)",
        )
        .bind(v.iter().map(|o| o.code.to_string()).collect::<Vec<_>>())
        .bind(v.iter().map(|o| o.name.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|o| o.team.clone()).collect::<Vec<_>>())
        .bind(v.iter().map(|o| o.phone.clone()).collect::<Vec<_>>())
        .bind(
            v.iter()
                .map(|o| serde_json::Value::from(o.grids.iter().map(GridCode::as_str).collect::<Vec<_>>()).to_string())
                .collect::<Vec<_>>(),
        ),
    };
    q.execute(&mut *tx).await?;
    Ok(())
}

#[async_trait]
impl DistrictStore for PgStore {
    fn notices(&self) -> Option<tokio::sync::broadcast::Receiver<crate::store::Notice>> {
        Some(self.notices.subscribe())
    }

    async fn load_base(&self) -> Result<BaseLayers, StoreError> {
        let pool = &self.pool;
        let street_columns = "street_id, name, class, left_from, left_to, right_from, right_to";
        let shop_columns = "code, name, address, category, contact, phone, license, door_radius_m";
        let zone_columns = "zone_id, name, level, hours, categories::text AS categories";
        let section_columns =
            "code, name, contractor, area, fee_per_month, rule, streets::text AS streets";
        let officers = sqlx::query(
            "SELECT fid, code, name, team, phone, grids::text AS grids FROM officers ORDER BY fid",
        )
        .fetch_all(pool)
        .await?;
        layer_rows::base_layers(&LayerRowSets {
            communities: rows(pool, "communities", "code, name, subdistrict").await?,
            grids: rows(pool, "grids", "code, name, community").await?,
            streets: rows(pool, "streets", street_columns).await?,
            shops: rows(pool, "shops", shop_columns).await?,
            zones: rows(pool, "zones", zone_columns).await?,
            components: rows(pool, "components", "code, kind, status").await?,
            addresses: rows(pool, "addresses", "street, number").await?,
            officers,
            sections: rows(pool, "sections", section_columns).await?,
        })
    }

    async fn replace_layers(&self, layers: Vec<LayerRows>) -> Result<(), StoreError> {
        sql::replace_layers(self.pool(), &layers).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sql::ping(self.pool()).await
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        sql::setting(self.pool(), key).await
    }

    async fn set_setting(&self, change: &SettingChange) -> Result<(), StoreError> {
        sql::set_setting(self.pool(), change).await
    }
}
