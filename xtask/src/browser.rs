//! The browser test: the real server on the demo district, the built web app, and Debian's
//! headless Chromium driven by playwright-core (`frontend/browser-test.mjs`).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::server::DemoServer;

/// The tile template of the tiled district; the browser test answers its requests.
const TILES: &str = "https://tiles.citygrid.test/{z}/{x}/{y}.png";

pub fn run(root: &Path) -> anyhow::Result<()> {
    // The first server serves the web app inside its binary (as a user's copy does), the
    // second the built folder (`--web`, as while developing it).
    let web = root.join("dist/web");
    let server = DemoServer::start(root, None).context("browser test")?;
    // A second district whose map has GCJ-02 background tiles (served by the test itself).
    let tiled = DemoServer::start_with(
        root,
        Some(&web),
        &[
            "--tiles",
            TILES,
            "--tiles-crs",
            "gcj02",
            "--tiles-attribution",
            "测试底图",
        ],
    )
    .context("browser test with tiles")?;
    let shot = root.join("dist/screenshots");
    let status = Command::new("node")
        .current_dir(root.join("frontend"))
        .arg("browser-test.mjs")
        .arg(&server.url)
        .arg(&shot)
        .arg(&tiled.url)
        .status()
        .context("starting node")?;
    if !status.success() {
        bail!("browser test failed ({status})");
    }
    eprintln!("browser test passed; screenshots in {}", shot.display());
    Ok(())
}
