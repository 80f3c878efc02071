//! The Open311 interoperability test: an existing GeoReport v2 client library from PyPI
//! (installed in a virtual environment beside the build cache) against the real server.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::server::DemoServer;

/// The demo's Open311 key (README).
const DEMO_KEY: &str = "citygrid-demo";

pub fn run(root: &Path) -> anyhow::Result<()> {
    let python =
        crate::venv::with(root, "open311-venv", "tests/open311/requirements.txt")?.join("python");
    let server = DemoServer::start(root, None).context("open311 client test")?;
    let status = Command::new(&python)
        .arg(root.join("tests/open311/client.py"))
        .arg(&server.url)
        .arg(DEMO_KEY)
        .status()
        .context("starting python")?;
    if !status.success() {
        bail!("open311 client test failed ({status})");
    }
    Ok(())
}
