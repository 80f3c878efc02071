//! `citygrid generate-demo DIR`: the demo district's files (GeoJSON and the officers' CSV).

use std::path::PathBuf;

use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    dir: PathBuf,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let base = crate::demo::generate();
    for (name, text) in crate::demo::files(&base) {
        let path = dir.join(&name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
