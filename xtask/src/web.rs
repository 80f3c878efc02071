//! Builds the web app into `dist/web`: index.html, style, the map module, MapLibre's dist
//! folder and the wasm bundle with its bindings.

use std::path::Path;

use anyhow::Context;

use crate::{cargo, exec};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

pub fn build(root: &Path) -> anyhow::Result<()> {
    exec(cargo().current_dir(root).args([
        "build",
        "--package",
        "citygrid-web",
        "--lib",
        "--target",
        TARGET,
        "--profile",
        PROFILE,
    ]))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join("citygrid_web.wasm");
    let out = root.join("dist/web");
    let pkg = out.join("pkg");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    std::fs::create_dir_all(&pkg)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        // The library's default differs from the CLI's; without this the page cannot find the wasm.
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .typescript(false)
        .generate(&pkg)
        .map_err(|e| anyhow::anyhow!("wasm-bindgen: {e}"))?;
    for file in ["index.html", "style.css", "map.js"] {
        std::fs::copy(root.join("frontend/static").join(file), out.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    copy_dir(
        &root.join("frontend/node_modules/maplibre-gl/dist"),
        &out.join("maplibre"),
    )?;
    let size = std::fs::metadata(pkg.join("citygrid_web_bg.wasm")).map_or(0, |m| m.len());
    eprintln!(
        "web app built in {} (wasm {} KB)",
        out.display(),
        size / 1024
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)
        .with_context(|| format!("reading {} (run `cargo xtask setup`)", from.display()))?
    {
        let entry = entry?;
        let path = entry.path();
        // Source maps, type declarations and MapLibre's development builds are not served;
        // leaving them out keeps them out of the binary that embeds this folder.
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".map") || name.ends_with(".d.ts") || name.contains("-dev.") {
            continue;
        }
        if entry.file_type()?.is_file() {
            std::fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
