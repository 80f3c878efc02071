//! `citygrid locate LON LAT`: who is responsible for this point?

use anyhow::Context;

use crate::atlas::LocateOptions;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(allow_hyphen_values = true)]
    lon: f64,
    #[arg(allow_hyphen_values = true)]
    lat: f64,
    #[arg(long, default_value = "wgs84")]
    crs: citygrid_core::Crs,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let p = citygrid_core::LonLat::new(args.lon, args.lat).context("the point")?;
    let district = open::district(&global.db, global.timezone).await?;
    let location = district
        .atlas()
        .locate(args.crs.to_wgs84(p), &LocateOptions::default());
    district.store().close().await;
    println!("{}", serde_json::to_string_pretty(&location)?);
    Ok(())
}
