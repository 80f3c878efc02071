//! `citygrid backup FILE`: a consistent copy of the embedded database, taken while it serves.

use std::path::PathBuf;

use anyhow::Context;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The copy to write; it must not exist yet.
    file: PathBuf,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let store = open::file(&global.db, "backup").await?;
    let result = store.backup(&args.file).await;
    open::audit(&store, "backup", &args.file, result.is_ok()).await;
    store.close_file().await;
    result.with_context(|| format!("backing up to {}", args.file.display()))?;
    println!(
        "backed up {} to {}",
        global.db.display(),
        args.file.display()
    );
    Ok(())
}
