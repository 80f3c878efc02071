//! The real citygrid server on a scratch demo database, for the browser and client tests.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::Context;

use crate::{cargo, exec};

/// The cargo target folder.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// A running demo server, stopped and cleaned up when dropped.
pub struct DemoServer {
    child: Child,
    scratch: PathBuf,
    pub url: String,
}

impl DemoServer {
    /// Builds the server (debug) and starts `citygrid demo` on a free port.
    pub fn start(root: &Path, web: Option<&Path>) -> anyhow::Result<Self> {
        Self::start_with(root, web, &[])
    }

    /// As [`DemoServer::start`], with more arguments for `citygrid demo`.
    pub fn start_with(root: &Path, web: Option<&Path>, extra: &[&str]) -> anyhow::Result<Self> {
        exec(
            cargo()
                .current_dir(root)
                .args(["build", "--package", "citygrid"]),
        )?;
        let bin = target_dir(root).join("debug/citygrid");
        let scratch = std::env::temp_dir().join(format!(
            "citygrid-xtask-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&scratch)?;
        let mut cmd = Command::new(&bin);
        cmd.arg("--db")
            .arg(scratch.join("demo.gpkg"))
            .args(["demo", "--addr", "127.0.0.1:0"])
            .args(extra);
        if let Some(web) = web {
            cmd.arg("--web").arg(web);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next().transpose()?.unwrap_or_default();
        // Keep draining the server's output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .map(str::to_owned);
        if let Some(url) = url {
            Ok(Self {
                child,
                scratch,
                url,
            })
        } else {
            let _ = child.kill();
            anyhow::bail!("the server did not print its address")
        }
    }
}

impl DemoServer {
    /// Logs a demo user in; their session token.
    pub fn login(&self, username: &str, password: &str) -> anyhow::Result<String> {
        let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
        let url = format!("{}api/v1/login", self.url);
        let answer = ureq::post(&url)
            .content_type("application/json")
            .send(&body)
            .and_then(|mut r| r.body_mut().read_to_string())
            .with_context(|| format!("logging in as {username} at {url}"))?;
        let session: serde_json::Value = serde_json::from_str(&answer)
            .with_context(|| format!("logging in as {username}: {answer}"))?;
        let token = session["token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .with_context(|| format!("logging in as {username}: {answer}"))?;
        Ok(token.to_owned())
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}
