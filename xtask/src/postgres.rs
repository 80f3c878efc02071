//! A throwaway PostgreSQL 15 server with PostGIS and pgRouting on 127.0.0.1 and a free port,
//! in a scratch folder, stopped and removed when dropped; and `cargo xtask bench-postgis`,
//! which runs `citygrid-bench postgis` and `citygrid-bench cases --pg` against one.
//!
//! Debian's packages (`postgresql-15`, `postgresql-15-postgis-3`, `postgresql-15-pgrouting`) are
//! installed with apt-get when running as root, and named otherwise. PostgreSQL refuses to run
//! as root, so as root the server runs as the `postgres` user (`runuser`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::server::target_dir;
use crate::setup::{install_debian, is_root};
use crate::{cargo, exec};

const BIN: &str = "/usr/lib/postgresql/15/bin";
const PACKAGES: [&str; 3] = [
    "postgresql-15",
    "postgresql-15-postgis-3",
    "postgresql-15-pgrouting",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// Installs what is missing (as root) or says what to install.
pub fn ensure_packages() -> anyhow::Result<()> {
    let missing: Vec<&str> = PACKAGES.into_iter().filter(|p| !installed(p)).collect();
    install_debian(&missing, "PostgreSQL with PostGIS and pgRouting needs")
}

/// A running scratch server; `url` names its `citygrid` database.
pub struct TempPostgres {
    dir: PathBuf,
    pub url: String,
}

/// A PostgreSQL program, run as `postgres` when we are root.
fn pg(program: &str) -> Command {
    let path = Path::new(BIN).join(program);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl TempPostgres {
    pub fn start() -> anyhow::Result<Self> {
        ensure_packages()?;
        let dir = std::env::temp_dir().join(format!("citygrid-pg-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        if is_root() {
            exec(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&dir),
            )?;
        }
        let data = dir.join("data");
        exec(
            pg("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
                .stdout(std::process::Stdio::null()),
        )
        .context("initdb")?;
        let port = free_port()?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c shared_buffers=512MB -c work_mem=64MB",
            dir.display()
        );
        exec(
            pg("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("log"))
                .args(["-w", "-o", &options, "start"])
                .stdout(std::process::Stdio::null()),
        )
        .context("starting PostgreSQL")?;
        let server = Self {
            dir,
            url: format!("postgres://postgres@127.0.0.1:{port}/citygrid"),
        };
        exec(
            pg("psql")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                    "-U",
                    "postgres",
                    "-q",
                ])
                .args(["-c", "CREATE DATABASE citygrid"]),
        )
        .context("creating the database")?;
        Ok(server)
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let _ = pg("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Splits the options meant for `citygrid-bench cases` (`--cases`, `--seconds`, `--clients`,
/// each with its value) from those meant for `citygrid-bench postgis`.
fn split_args(args: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut postgis, mut cases) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let to = if ["--cases", "--seconds", "--clients"].contains(&a.as_str()) {
            &mut cases
        } else {
            &mut postgis
        };
        to.push(a.clone());
        if a.starts_with("--")
            && !a.contains('=')
            && let Some(value) = it.next()
        {
            to.push(value.clone());
        }
    }
    (postgis, cases)
}

/// `cargo xtask bench-postgis [ARGS…]`: a release build, a scratch server, then both
/// comparisons on it: the atlas and street graph against PostGIS and pgRouting
/// (`citygrid-bench postgis`), and creating, listing and analysing a million cases on
/// PostgreSQL against the embedded store (`citygrid-bench cases --pg`).
pub fn bench(root: &Path, args: &[String]) -> anyhow::Result<()> {
    exec(
        cargo()
            .current_dir(root)
            .args(["build", "--release", "--package", "citygrid-bench"]),
    )?;
    let (postgis, cases) = split_args(args);
    let server = TempPostgres::start()?;
    eprintln!("PostgreSQL 15 with PostGIS and pgRouting at {}", server.url);
    let bench = target_dir(root).join("release/citygrid-bench");
    exec(
        Command::new(&bench)
            .args(["postgis", "--pg", &server.url])
            .args(&postgis),
    )?;
    exec(
        Command::new(&bench)
            .args(["cases", "--seconds", "10", "--clients", "2"])
            .args(["--pg", &server.url])
            .args(&cases),
    )
}

#[cfg(test)]
mod tests {
    use super::split_args;

    #[test]
    fn options_go_to_the_command_that_takes_them() {
        let args: Vec<String> = ["--points", "1000", "--cases", "5000", "--osm", "a.pbf"]
            .map(String::from)
            .to_vec();
        let (postgis, cases) = split_args(&args);
        assert_eq!(postgis, ["--points", "1000", "--osm", "a.pbf"]);
        assert_eq!(cases, ["--cases", "5000"]);
    }
}
