//! The browser test: the real server on the demo district, the built web app, and Debian's
//! headless Chromium driven by playwright-core (`frontend/browser-test.mjs`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::{cargo, exec};

pub fn run(root: &Path) -> anyhow::Result<()> {
    run_inner(root).context("browser test")
}

fn run_inner(root: &Path) -> anyhow::Result<()> {
    exec(
        cargo()
            .current_dir(root)
            .args(["build", "--package", "citygrid"]),
    )?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let bin = target_dir.join("debug/citygrid");
    let scratch = std::env::temp_dir().join(format!("citygrid-browser-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let mut server = Command::new(&bin)
        .args(["--db"])
        .arg(scratch.join("demo.gpkg"))
        .args(["demo", "--addr", "127.0.0.1:0", "--web"])
        .arg(root.join("dist/web"))
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let url = {
        let stdout = server.stdout.take().context("server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next().transpose()?.unwrap_or_default();
        // Keep draining the server's output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        line.split_whitespace()
            .find(|w| w.starts_with("http://"))
            .map(str::to_owned)
    };
    let result = match url {
        Some(url) => {
            let shot = root.join("dist/screenshot.png");
            let status = Command::new("node")
                .current_dir(root.join("frontend"))
                .arg("browser-test.mjs")
                .arg(&url)
                .arg(&shot)
                .status()
                .context("starting node")?;
            if status.success() {
                eprintln!("browser test passed; screenshot in {}", shot.display());
                Ok(())
            } else {
                Err(anyhow::anyhow!("browser test failed ({status})"))
            }
        }
        None => Err(anyhow::anyhow!("the server did not print its address")),
    };
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = result {
        bail!(e);
    }
    Ok(())
}
