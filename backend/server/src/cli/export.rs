//! `citygrid export LAYER FILE`: a base layer as the bureau's GIS takes it — GeoJSON,
//! GeoPackage or zipped Shapefile (by FILE's extension), in WGS 84 or its own system, with
//! Chinese field names if asked.

use std::path::PathBuf;

use anyhow::Context;
use citygrid_core::Layer;

use super::{Global, open};
use crate::export::gis::{self, ExportOptions, GisFormat};
use crate::import::SourceCrs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// communities, grids, streets, shops, zones, components or addresses.
    layer: Layer,
    /// The file to write: .geojson, .gpkg, or .zip (Shapefiles).
    file: PathBuf,
    /// The system to write in: wgs84, or an EPSG code of a CGCS2000 Gauss–Krüger zone
    /// (EPSG:4527 …) or a WGS 84 UTM zone.
    #[arg(long, default_value = "wgs84")]
    crs: SourceCrs,
    /// Field names as a bureau's files carry them (网格编码, 道路名称 …).
    #[arg(long)]
    chinese_names: bool,
    /// The encoding of the Shapefile's text: GBK (the default, what most GIS software in
    /// China expects) or UTF-8.
    #[arg(long, default_value = "GBK")]
    encoding: String,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if args.layer == Layer::Officers {
        anyhow::bail!("officers are not a map layer; they are exported as CSV over the API");
    }
    let extension = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match extension.as_str() {
        "gpkg" => GisFormat::GeoPackage,
        "zip" | "shp" => GisFormat::Shapefile,
        "geojson" | "json" => GisFormat::GeoJson,
        other => anyhow::bail!(
            "{}: write a .geojson, .gpkg or .zip (Shapefiles), not .{other}",
            args.file.display()
        ),
    };
    let encoding = gis::shapefile_encoding(&args.encoding)
        .with_context(|| format!("--encoding {:?}: GBK or UTF-8", args.encoding))?;
    let options = ExportOptions {
        crs: args.crs,
        chinese_names: args.chinese_names,
        encoding,
    };
    let district = open::district(&global.db, global.timezone).await?;
    let atlas = district.atlas();
    district.store().close().await;
    let bytes = gis::layer(atlas.base(), args.layer, format, &options)
        .await
        .with_context(|| format!("exporting {}", args.layer))?;
    std::fs::write(&args.file, bytes)
        .with_context(|| format!("writing {}", args.file.display()))?;
    println!(
        "wrote {} {} to {} in {}",
        atlas.base().count(args.layer),
        args.layer,
        args.file.display(),
        options.crs.name()
    );
    Ok(())
}
