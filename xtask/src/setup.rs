//! What a fresh machine needs before building and testing.

use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::exec;

/// Everything: the wasm target, npm packages and (as root) Debian packages for the tests.
pub fn run(root: &Path) -> anyhow::Result<()> {
    frontend(root)?;
    debian_packages()
}

/// The wasm32 target and the front end's npm packages.
pub fn frontend(root: &Path) -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup")?;
    if !String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let frontend = root.join("frontend");
    let stamp = frontend.join("node_modules/.package-lock.json");
    let lock = frontend.join("package-lock.json");
    let fresh = match (
        stamp.metadata().and_then(|m| m.modified()),
        lock.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if !fresh {
        exec(
            Command::new("npm")
                .current_dir(&frontend)
                .args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    Ok(())
}

const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

/// The Debian packages the tests use: gdal-bin (ogrinfo reads the GeoPackage) and chromium
/// (the browser test, with a Chinese font). Installed with apt-get when running as root; otherwise named.
fn debian_packages() -> anyhow::Result<()> {
    let wanted = [("ogrinfo", "gdal-bin"), ("chromium", "chromium")];
    let mut missing: Vec<&str> = wanted
        .iter()
        .filter(|(bin, _)| !on_path(bin))
        .map(|(_, pkg)| *pkg)
        .collect();
    // A Chinese font, so that screenshots of the zh-CN page are readable.
    if !Path::new(CJK_FONT).exists() {
        missing.push("fonts-wqy-zenhei");
    }
    install_debian(&missing, "the tests need")
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs these Debian packages with apt-get as root; otherwise names them (`what` says who
/// needs them).
pub fn install_debian(missing: &[&str], what: &str) -> anyhow::Result<()> {
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() {
        anyhow::bail!(
            "{what} the Debian packages {}: run `sudo apt-get install -y {}`",
            missing.join(", "),
            missing.join(" ")
        );
    }
    exec(Command::new("apt-get").arg("update").arg("-qq"))?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn on_path(bin: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(bin).is_file()))
}
