//! A layer's files by path, each read by its kind: GeoJSON, a Shapefile (`.shp` with the files
//! beside it), a `.zip` of Shapefiles, or a GeoPackage table.

use std::path::{Path, PathBuf};

use super::error::ImportError;
use super::source_file::{ReadOptions, SourceFile, read_geojson};
use super::{gpkg_read, shapefile_read};

/// The kind of a layer file, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    GeoJson,
    Shapefile,
    Zip,
    GeoPackage,
}

impl FileKind {
    pub fn of(path: &Path) -> FileKind {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "shp" => FileKind::Shapefile,
            "zip" => FileKind::Zip,
            "gpkg" => FileKind::GeoPackage,
            _ => FileKind::GeoJson,
        }
    }
}

/// Reads every file of a layer (a `.zip` may hold several Shapefiles).
pub async fn read_paths(
    paths: &[PathBuf],
    options: &ReadOptions,
    table: Option<&str>,
) -> Result<Vec<SourceFile>, ImportError> {
    let mut files = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match FileKind::of(path) {
            FileKind::GeoJson => {
                let bytes = std::fs::read(path).map_err(|e| SourceFile::error(&name, e))?;
                let mut file = read_geojson(&name, &bytes)?;
                file.name = name;
                files.push(file);
            }
            FileKind::Shapefile => {
                let parts = shapefile_read::parts_from_path(path)?;
                files.push(shapefile_read::read(parts, options.encoding)?);
            }
            FileKind::Zip => {
                let bytes = std::fs::read(path).map_err(|e| SourceFile::error(&name, e))?;
                let shown = path
                    .file_name()
                    .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
                for parts in shapefile_read::parts_from_zip(&shown, &bytes)? {
                    files.push(shapefile_read::read(parts, options.encoding)?);
                }
            }
            FileKind::GeoPackage => files.push(gpkg_read::read(path, table).await?),
        }
    }
    Ok(files)
}

/// Reads an uploaded file by its content: a `.zip` of Shapefiles, a GeoPackage, or GeoJSON.
pub async fn read_upload(
    bytes: &[u8],
    options: &ReadOptions,
    table: Option<&str>,
) -> Result<Vec<SourceFile>, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut files = Vec::new();
        for parts in shapefile_read::parts_from_zip("upload.zip", bytes)? {
            files.push(shapefile_read::read(parts, options.encoding)?);
        }
        return Ok(files);
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        let dir = tempfile::tempdir().map_err(|e| SourceFile::error("upload.gpkg", e))?;
        let path = dir.path().join("upload.gpkg");
        std::fs::write(&path, bytes).map_err(|e| SourceFile::error("upload.gpkg", e))?;
        return Ok(vec![gpkg_read::read(&path, table).await?]);
    }
    Ok(vec![read_geojson("", bytes)?])
}
