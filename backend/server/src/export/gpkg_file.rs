//! A layer as a GeoPackage file: the GeoPackage core tables (the same migration the embedded
//! store starts from), the bureau's system in the SRS table, and one feature table whose columns
//! are the layer's fields, typed.

use std::path::Path;

use geo::BoundingRect;
use geozero::{CoordDimensions, ToWkb};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::crs_wkt::Srs;
use super::table::{ExportError, Kind, Table, text};

const CORE: &str = include_str!("../../../../migrations/sqlite/0001_geopackage.sql");

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes `table` as the feature table `name` of a new GeoPackage at `path`, on a blocking
/// thread with its own small runtime: the file is local and written at once, and the writing
/// future (sqlx's executors in a loop) cannot be shown `Send` to a request's future.
pub async fn write(
    path: std::path::PathBuf,
    name: String,
    table: Table,
    srs: Srs,
) -> Result<(), ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write(e.to_string());
    tokio::task::spawn_blocking(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| fail(&e))?
            .block_on(write_file(&path, &name, &table, &srs))
    })
    .await
    .map_err(|e| fail(&e))?
}

async fn write_file(path: &Path, name: &str, table: &Table, srs: &Srs) -> Result<(), ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write(e.to_string());
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .map_err(|e| fail(&e))?;
    let mut tx = db.begin().await.map_err(|e| fail(&e))?;
    sqlx::query("PRAGMA application_id = 1196444487")
        .execute(&mut *tx)
        .await
        .map_err(|e| fail(&e))?;
    sqlx::query("PRAGMA user_version = 10300")
        .execute(&mut *tx)
        .await
        .map_err(|e| fail(&e))?;
    sqlx::raw_sql(CORE)
        .execute(&mut *tx)
        .await
        .map_err(|e| fail(&e))?;
    if srs.epsg != 4326 {
        sqlx::query("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, ?)")
            .bind(srs.name.clone())
            .bind(i64::from(srs.epsg))
            .bind(i64::from(srs.epsg))
            .bind(srs.wkt.clone())
            .bind(srs.name.clone())
            .execute(&mut *tx)
            .await
            .map_err(|e| fail(&e))?;
    }
    let columns: Vec<String> = table
        .fields
        .iter()
        .map(|f| {
            let kind = match f.kind {
                Kind::Integer => "INTEGER",
                Kind::Real => "REAL",
                Kind::Bool => "BOOLEAN",
                Kind::Text => "TEXT",
            };
            format!("{} {kind}", quoted(&f.name))
        })
        .collect();
    let mut create = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY",
        quoted(name)
    );
    for column in &columns {
        create.push_str(", ");
        create.push_str(column);
    }
    create.push(')');
    sqlx::query(&create)
        .execute(&mut *tx)
        .await
        .map_err(|e| fail(&e))?;
    let extent = table
        .rows
        .iter()
        .filter_map(|(g, _)| g.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        });
    sqlx::query(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?, 'features', ?, ?, ?, ?, ?, ?)",
    )
    .bind(name.to_owned())
    .bind(name.to_owned())
    .bind(extent.map(|r| r.min().x))
    .bind(extent.map(|r| r.min().y))
    .bind(extent.map(|r| r.max().x))
    .bind(extent.map(|r| r.max().y))
    .bind(i64::from(srs.epsg))
    .execute(&mut *tx)
    .await
    .map_err(|e| fail(&e))?;
    sqlx::query("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', ?, 0, 0)")
        .bind(name)
        .bind(i64::from(srs.epsg))
        .execute(&mut *tx)
        .await
        .map_err(|e| fail(&e))?;
    let names: Vec<String> = table.fields.iter().map(|f| quoted(&f.name)).collect();
    let placeholders = vec!["?"; names.len() + 1].join(", ");
    let insert = format!(
        "INSERT INTO {} (geom{}{}) VALUES ({placeholders})",
        quoted(name),
        if names.is_empty() { "" } else { ", " },
        names.join(", ")
    );
    let srs_id = i32::try_from(srs.epsg).map_err(|e| fail(&e))?;
    for (geometry, properties) in &table.rows {
        let envelope = match geometry {
            geo::Geometry::Point(_) => Vec::new(),
            other => other
                .bounding_rect()
                .map(|r| vec![r.min().x, r.max().x, r.min().y, r.max().y])
                .unwrap_or_default(),
        };
        let blob = geometry
            .to_gpkg_wkb(CoordDimensions::xy(), Some(srs_id), envelope)
            .map_err(|e| fail(&e))?;
        let mut query = sqlx::query(insert.as_str()).bind(blob);
        for field in &table.fields {
            let value = properties.get(&field.key);
            query = match field.kind {
                Kind::Integer => query.bind(value.and_then(serde_json::Value::as_i64)),
                Kind::Real => query.bind(value.and_then(serde_json::Value::as_f64)),
                Kind::Bool => query.bind(value.and_then(serde_json::Value::as_bool)),
                Kind::Text => query.bind(value.and_then(text)),
            };
        }
        query.execute(&mut *tx).await.map_err(|e| fail(&e))?;
    }
    tx.commit().await.map_err(|e| fail(&e))?;
    db.close().await.map_err(|e| fail(&e))?;
    Ok(())
}
