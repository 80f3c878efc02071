//! Python tools from PyPI, each in a virtual environment of its own beside the build cache.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::exec;
use crate::server::target_dir;

/// Makes (once) the virtual environment `name` and installs `requirements` (a path under the
/// repository) into it; its `bin` folder.
pub fn with(root: &Path, name: &str, requirements: &str) -> anyhow::Result<PathBuf> {
    let venv = target_dir(root).join(name);
    let bin = venv.join("bin");
    if !bin.join("python").exists() {
        exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    exec(
        Command::new(bin.join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(root.join(requirements)),
    )?;
    Ok(bin)
}
