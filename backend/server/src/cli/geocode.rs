//! `citygrid geocode TEXT`: where is this address?

use crate::atlas::GeocodeOptions;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    text: String,
    #[arg(long, default_value_t = 5)]
    limit: usize,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let district = open::district(&global.db, global.timezone).await?;
    let candidates = district
        .atlas()
        .geocode(&args.text, GeocodeOptions { limit: args.limit });
    district.store().close().await;
    println!("{}", serde_json::to_string_pretty(&candidates)?);
    Ok(())
}
