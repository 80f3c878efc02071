//! A GeoPackage feature table as a [`SourceFile`]: its rows with their attributes, the geometry
//! column decoded by `geozero`, and the coordinate system of its SRS (by EPSG code, else by its
//! WKT). The file is opened read-only.

use std::path::Path;

use geojson::GeometryValue;
use geozero::ToGeo;
use geozero::wkb::GpkgWkb;
use serde_json::{Map, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Column, ConnectOptions, Connection, Row, TypeInfo, ValueRef};

use super::error::ImportError;
use super::source_crs::SourceCrs;
use super::source_file::{SourceFeature, SourceFile, Unreadable};

/// The features of `table`, or of the file's only feature table.
pub async fn read(path: &Path, table: Option<&str>) -> Result<SourceFile, ImportError> {
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let fail = |e: &dyn std::fmt::Display| SourceFile::error(&file, e);
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| fail(&format!("not a readable GeoPackage: {e}")))?;
    let tables: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
         WHERE c.data_type = 'features' ORDER BY c.table_name",
    )
    .fetch_all(&mut db)
    .await
    .map_err(|e| fail(&format!("not a GeoPackage with feature tables: {e}")))?;
    let names = || {
        tables
            .iter()
            .map(|t| t.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match table {
        Some(wanted) => tables.iter().find(|t| t.0 == wanted).ok_or_else(|| {
            fail(&format!(
                "has no feature table {wanted:?}; its tables are {}",
                names()
            ))
        })?,
        None if tables.len() == 1 => &tables[0],
        None if tables.is_empty() => return Err(fail(&"has no feature table")),
        None => {
            return Err(fail(&format!(
                "has several feature tables ({}): name one with --table",
                names()
            )));
        }
    };
    let (table, geometry_column, srs_id) = chosen.clone();
    let crs = srs(&mut db, srs_id).await;
    let key_columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info(?) WHERE pk > 0")
            .bind(&table)
            .fetch_all(&mut db)
            .await
            .map_err(|e| fail(&e))?;
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let rows = sqlx::query(&format!("SELECT * FROM {quoted}"))
        .fetch_all(&mut db)
        .await
        .map_err(|e| fail(&format!("table {table}: {e}")))?;
    let _ = db.close().await;
    let fields: Vec<String> = rows
        .first()
        .map(|row| {
            row.columns()
                .iter()
                .map(|c| c.name().to_owned())
                .filter(|c| *c != geometry_column && !key_columns.contains(c))
                .collect()
        })
        .unwrap_or_default();
    let features = rows
        .iter()
        .map(|row| feature(row, &geometry_column, &fields))
        .collect();
    Ok(SourceFile {
        name: format!("{file}:{table}"),
        features,
        crs,
        fields,
        encoding: None,
    })
}

/// The coordinate system of an SRS id: by its EPSG code where citygrid knows it, else its WKT.
async fn srs(db: &mut sqlx::SqliteConnection, srs_id: i64) -> Option<Result<SourceCrs, String>> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT organization, organization_coordsys_id, definition \
         FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
    )
    .bind(srs_id)
    .fetch_optional(db)
    .await
    .ok()
    .flatten();
    let (organization, code, definition) = row?;
    if srs_id <= 0 || definition.trim() == "undefined" {
        return None;
    }
    let by_code = organization
        .eq_ignore_ascii_case("EPSG")
        .then(|| u32::try_from(code).ok().and_then(SourceCrs::from_epsg))
        .flatten();
    Some(match by_code {
        Some(crs) => Ok(crs),
        None => super::prj::from_wkt(&definition)
            .map_err(|e| format!("its SRS {organization}:{code}: {e}")),
    })
}

fn feature(row: &SqliteRow, geometry_column: &str, fields: &[String]) -> SourceFeature {
    let mut properties = Map::new();
    for field in fields {
        // An empty cell is no value, as a property left out of a GeoJSON feature.
        let value = value(row, field);
        if !value.is_null() {
            properties.insert(field.clone(), value);
        }
    }
    let blob: Option<Vec<u8>> = row
        .try_get(geometry_column)
        .map_err(|e| Unreadable::new("geometry", e.to_string()))?;
    let geometry = match blob {
        None => None,
        Some(bytes) => {
            let geo = GpkgWkb(bytes).to_geo().map_err(|e| {
                Unreadable::new("geometry", format!("is not GeoPackage binary: {e}"))
            })?;
            Some(geojson::Geometry::new(GeometryValue::from(&geo)))
        }
    };
    Ok(geojson::Feature {
        bbox: None,
        geometry,
        id: None,
        properties: Some(properties),
        foreign_members: None,
    })
}

/// A column's value as JSON, by the type SQLite stored it with.
fn value(row: &SqliteRow, column: &str) -> Value {
    let kind = match row.try_get_raw(column) {
        Ok(raw) if !raw.is_null() => raw.type_info().name().to_owned(),
        _ => return Value::Null,
    };
    match kind.as_str() {
        "INTEGER" => row
            .try_get::<i64, _>(column)
            .map_or(Value::Null, Value::from),
        "REAL" => row
            .try_get::<f64, _>(column)
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        "TEXT" => row
            .try_get::<String, _>(column)
            .map_or(Value::Null, Value::String),
        _ => Value::Null,
    }
}
