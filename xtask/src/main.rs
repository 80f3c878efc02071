//! Build automation for citygrid (the cargo-xtask pattern): `cargo xtask <command>`.
//!
//! - `setup`: what a fresh machine needs: the wasm32 target, MapLibre from npm, and (as root)
//!   the Debian packages the tests use (gdal-bin for ogrinfo, chromium for the browser test).
//! - `web`: builds the web app into `dist/web` (wasm with cargo, bindings with the
//!   wasm-bindgen library at the same version as the wasm-bindgen crate; no downloads).
//! - `demo [ARGS…]`: setup, web, then `citygrid demo ARGS…` (a release build, which carries the
//!   web app just built).
//! - `test`: setup, web, formatting, clippy, the whole test suite (the store suite on SQLite and
//!   on a scratch PostgreSQL with PostGIS), the integration tests once more on PostgreSQL, the
//!   Open311 client test, schemathesis against the OpenAPI document, and the browser test.
//! - `fuzz [SECONDS] [TARGET…]`: the cargo-fuzz targets, each for a bounded time (nightly).
//! - `bench-postgis [--points N] [--osm FILE] [--cases N]`: on a scratch PostgreSQL server
//!   (release build; installs the Debian packages as root), the atlas and street graph against
//!   PostGIS and pgRouting, then case creation, listing and statistics on PostgreSQL against
//!   the embedded store.
#![forbid(unsafe_code)]

mod browser;
mod fuzz;
mod open311;
mod postgres;
mod schemathesis;
mod server;
mod setup;
mod venv;
mod web;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("setup") => setup::run(&root),
        Some("web") => {
            setup::frontend(&root)?;
            web::build(&root)
        }
        Some("demo") => {
            setup::frontend(&root)?;
            web::build(&root)?;
            let mut cmd = cargo();
            // The release binary carries the web app just built.
            cmd.current_dir(&root)
                .args(["run", "--release", "--package", "citygrid", "--", "demo"])
                .args(&args[1..]);
            exec(&mut cmd)
        }
        Some("test") => test(&root),
        Some("browser-test") => {
            // The web app as the sources are now, not as last built; chromium installed if missing.
            setup::run(&root)?;
            web::build(&root)?;
            browser::run(&root)
        }
        Some("open311-test") => open311::run(&root),
        Some("schemathesis") => schemathesis::run(&root),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("bench-postgis") => postgres::bench(&root, &args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup | web | demo [ARGS…] | test | browser-test | open311-test | schemathesis | fuzz [SECONDS] [TARGET…] | bench-postgis [--points N] [--osm FILE] [--cases N]>"
            );
            bail!("unknown or missing command")
        }
    }
}

fn test(root: &Path) -> anyhow::Result<()> {
    setup::run(root)?;
    web::build(root)?;
    exec(
        cargo()
            .current_dir(root)
            .args(["fmt", "--all", "--", "--check"]),
    )
    .context("cargo fmt: run `cargo fmt --all`")?;
    exec(cargo().current_dir(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    exec(cargo().current_dir(root).args([
        "clippy",
        "--package",
        "citygrid-web",
        "--package",
        "citygrid-core",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The store suite runs on PostgreSQL with PostGIS too: a scratch server for the tests.
    let postgres = postgres::TempPostgres::start().context("a PostgreSQL server for the tests")?;
    // The quarterly report's Word file is read back by python-docx, an independent reader.
    let docx_reader = venv::with(root, "docx-venv", "tests/docx/requirements.txt")?.join("python");
    exec(
        cargo()
            .current_dir(root)
            .args(["test", "--workspace", "--all-targets"])
            .env("CITYGRID_TEST_PG", &postgres.url)
            .env("CITYGRID_DOCX_READER", &docx_reader),
    )?;
    // Every test made on the demo district once more, on PostgreSQL.
    exec(
        cargo()
            .current_dir(root)
            .args(["test", "--package", "citygrid", "--test", "core"])
            .env("CITYGRID_TEST_PG", &postgres.url)
            .env("CITYGRID_TEST_STORE", "postgres")
            .env("CITYGRID_DOCX_READER", &docx_reader),
    )?;
    drop(postgres);
    exec(
        cargo()
            .current_dir(root)
            .args(["test", "--workspace", "--doc"]),
    )?;
    open311::run(root)?;
    schemathesis::run(root)?;
    browser::run(root)
}

/// The workspace root (xtask lives one level below it). Read from the environment `cargo run`
/// sets, not from compile time: a build cache shared between checkouts may hold an xtask built
/// in another one.
fn project_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command, failing with its command line if it fails.
fn exec(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}
