//! `citygrid restore FILE`: replace the embedded database with a backup (the server must be
//! stopped).

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::{Global, is_postgres};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The backup to restore.
    file: PathBuf,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if is_postgres(&global.db) {
        bail!("restore works on the embedded database file; for PostgreSQL use pg_restore");
    }
    crate::store::maintenance::restore(&args.file, &global.db)
        .await
        .with_context(|| format!("restoring {}", global.db.display()))?;
    println!(
        "restored {} from {}",
        global.db.display(),
        args.file.display()
    );
    Ok(())
}
