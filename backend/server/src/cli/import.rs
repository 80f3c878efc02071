//! `citygrid import LAYER FILE`: replace one base layer from a file.

use std::path::PathBuf;

use anyhow::Context;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// communities, grids, streets, shops, zones, components, addresses or officers.
    layer: citygrid_core::Layer,
    file: PathBuf,
    /// The coordinate system of the file: wgs84 (also cgcs2000), gcj02, bd09, or an EPSG code
    /// such as EPSG:4527 (CGCS2000 3° Gauss–Krüger zone 39, every zone 4491–4554), UTM or 3857.
    #[arg(long, default_value = "wgs84")]
    crs: crate::import::SourceCrs,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let bytes = open::read(&args.file)?;
    let format = crate::import::detect_format(&args.file.to_string_lossy(), &bytes);
    let district = open::district(&global.db, global.timezone).await?;
    let result = district
        .import_layer(args.layer, &bytes, format, &args.crs)
        .await;
    let what = format!("import {}", args.layer.as_str());
    open::audit(district.store().as_ref(), &what, &args.file, result.is_ok()).await;
    district.store().close().await;
    let report = result.with_context(|| args.file.display().to_string())?;
    println!(
        "imported {} {} from {}",
        report.count,
        report.layer,
        args.file.display()
    );
    for w in report.warnings {
        println!("warning: {w}");
    }
    Ok(())
}
