//! The settings an admin changes (the category catalogue), for both stores.

use citygrid_core::features::LayerRows;
use sqlx::Pool;

use super::{Dialect, Found, Sql};
use crate::store::SettingChange;

pub(in crate::store) async fn setting<DB: Dialect>(
    pool: &Pool<DB>,
    key: &str,
) -> Found<Option<String>> {
    DB::text(
        pool,
        Sql::new("SELECT value FROM settings WHERE key = ?").arg(key),
    )
    .await
}

pub(in crate::store) async fn set_setting<DB: Dialect>(
    pool: &Pool<DB>,
    s: &SettingChange,
) -> Found<()> {
    let q = Sql::new(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .arg(&s.key)
    .arg(&s.value)
    .arg(s.at)
    .arg(&s.by);
    DB::execute(pool, q).await.map(drop)
}

/// Replaces the given layers in one transaction: all of them or none.
pub(in crate::store) async fn replace_layers<DB: Dialect>(
    pool: &Pool<DB>,
    layers: &[LayerRows],
) -> Found<()> {
    let mut tx = pool.begin().await?;
    for rows in layers {
        let table = rows.layer().as_str();
        DB::execute_on(&mut tx, Sql::new(format!("DELETE FROM {table}"))).await?;
        DB::insert_layer(&mut tx, rows).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether the database answers.
pub(in crate::store) async fn ping<DB: Dialect>(pool: &Pool<DB>) -> Found<()> {
    DB::int(pool, Sql::new("SELECT CAST(1 AS BIGINT)"))
        .await
        .map(drop)
}
