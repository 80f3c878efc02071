//! `cargo xtask fuzz [SECONDS] [TARGET…]`: each cargo-fuzz target (`fuzz/`) for a bounded time
//! (default 60 s each, every target), from the committed seeds. Needs the nightly toolchain
//! and cargo-fuzz; both are installed when missing. A crash stops the run; libFuzzer writes the
//! input under `fuzz/artifacts/TARGET/`; fix it and keep the input in `fuzz/regressions/TARGET/`,
//! where the core test suite replays it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::exec;
use crate::server::target_dir;

pub const TARGETS: [&str; 7] = [
    "geojson_import",
    "shapefile_import",
    "osm_import",
    "geocode",
    "open311_form",
    "photo_strip",
    "core_text",
];

fn nightly() -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", "nightly"]);
    cmd
}

fn quietly_succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let seconds: u64 = match args.first() {
        Some(s) if s.chars().all(|c| c.is_ascii_digit()) => s.parse()?,
        _ => 60,
    };
    let named: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if let Some(unknown) = named.iter().find(|t| !TARGETS.contains(t)) {
        bail!(
            "unknown fuzz target {unknown}; the targets are {}",
            TARGETS.join(", ")
        );
    }
    let targets = if named.is_empty() {
        TARGETS.to_vec()
    } else {
        named
    };

    if !quietly_succeeds(nightly().args(["rustc", "--version"])) {
        exec(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))
        .context("installing the nightly toolchain (cargo-fuzz needs it)")?;
    }
    if !quietly_succeeds(nightly().args(["cargo", "fuzz", "--version"])) {
        exec(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
            .context("installing cargo-fuzz")?;
    }
    // Its own build folder: nightly, sanitizer-instrumented artifacts apart from the usual ones.
    let build = target_dir(root).join("fuzz");
    for target in targets {
        let corpus = build.join("corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        eprintln!("fuzzing {target} for {seconds} s");
        exec(
            nightly()
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &build)
                .args(["cargo", "fuzz", "run", "--release", target])
                .arg(&corpus)
                .arg(root.join("fuzz/seeds").join(target))
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-max_len=262144",
                    "-rss_limit_mb=4096",
                    "-timeout=20",
                    "-print_final_stats=1",
                ]),
        )
        .with_context(|| format!("fuzz target {target} failed: see fuzz/artifacts/{target}/"))?;
    }
    Ok(())
}
