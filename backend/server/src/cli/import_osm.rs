//! `citygrid import-osm FILE`: a whole district from an OpenStreetMap extract.

use std::path::PathBuf;

use anyhow::Context;

use crate::import::osm;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    file: PathBuf,
    /// Grid cell size in metres.
    #[arg(long, default_value_t = 100.0)]
    grid_size: f64,
    /// The 6-digit district code that prefixes community and grid codes.
    #[arg(long, default_value = "000000")]
    district_code: String,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let bytes = open::read(&args.file)?;
    let options = osm::OsmOptions {
        grid_size_m: args.grid_size,
        district_code: args.district_code,
    };
    let base =
        osm::import_osm(&bytes, &options).with_context(|| args.file.display().to_string())?;
    let district = open::district(&global.db, global.timezone).await?;
    let result = district.replace(base.into_rows()).await;
    open::audit(
        district.store().as_ref(),
        "import-osm",
        &args.file,
        result.is_ok(),
    )
    .await;
    district.store().close().await;
    let reports = result.with_context(|| format!("storing {}", args.file.display()))?;
    for r in reports {
        println!("{:>12}: {}", r.layer.as_str(), r.count);
        for w in r.warnings.iter().take(10) {
            println!("warning: {w}");
        }
    }
    Ok(())
}
