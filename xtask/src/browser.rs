//! The browser test: the real server on the demo district, the built web app, and Debian's
//! headless Chromium driven by playwright-core (`frontend/browser-test.mjs`).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::server::DemoServer;

pub fn run(root: &Path) -> anyhow::Result<()> {
    let server = DemoServer::start(root, Some(&root.join("dist/web"))).context("browser test")?;
    let shot = root.join("dist/screenshots");
    let status = Command::new("node")
        .current_dir(root.join("frontend"))
        .arg("browser-test.mjs")
        .arg(&server.url)
        .arg(&shot)
        .status()
        .context("starting node")?;
    if !status.success() {
        bail!("browser test failed ({status})");
    }
    eprintln!("browser test passed; screenshots in {}", shot.display());
    Ok(())
}
