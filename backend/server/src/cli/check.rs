//! `citygrid check`: the embedded database's integrity; exits non-zero on a problem.

use anyhow::{Context, bail};

use super::{Global, open};

pub async fn run(global: &Global) -> anyhow::Result<()> {
    let store = open::file(&global.db, "check").await?;
    let problems = store.check().await;
    store.close_file().await;
    let problems = problems.with_context(|| format!("checking {}", global.db.display()))?;
    if !problems.is_empty() {
        bail!("{}: {}", global.db.display(), problems.join("; "));
    }
    println!("ok");
    Ok(())
}
