//! The web app is embedded from `dist/web` (built by `cargo xtask web`): rebuild when it changes.
//! A checkout that has not built it yet gets an empty folder, so that the binary builds (and
//! says it carries no web app) and is rebuilt once the web app is there.

fn main() {
    let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist/web");
    if !web.exists() {
        // Best effort: without the folder the binary still builds, carrying no web app.
        let _ = std::fs::create_dir_all(&web);
    }
    println!("cargo:rerun-if-changed=../../dist/web");
    println!("cargo:rerun-if-changed=build.rs");
}
