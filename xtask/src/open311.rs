//! The Open311 interoperability test: an existing GeoReport v2 client library from PyPI
//! (installed in a virtual environment beside the build cache) against the real server.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::exec;
use crate::server::{DemoServer, target_dir};

/// The demo's Open311 key (README).
const DEMO_KEY: &str = "citygrid-demo";

pub fn run(root: &Path) -> anyhow::Result<()> {
    let venv = target_dir(root).join("open311-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    exec(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(root.join("tests/open311/requirements.txt")),
    )?;
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
