//! schemathesis (from PyPI) against the served OpenAPI document: generated requests for every
//! documented operation, checked for server errors (5xx) and for answers that do not conform to
//! their documented schemas. Deterministic (a fixed seed), bounded.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::server::DemoServer;

const SEED: &str = "20261127";
const EXAMPLES: &str = "40";

pub fn run(root: &Path) -> anyhow::Result<()> {
    let bin = crate::venv::with(
        root,
        "schemathesis-venv",
        "tests/schemathesis/requirements.txt",
    )?;
    let server = DemoServer::start(root, None).context("schemathesis")?;
    let schema = format!("{}api/v1/openapi.json", server.url);
    // As the demo admin, so that every operation is reached past its permission check.
    let token = server.login("admin", "demo-admin-pass")?;
    let auth = format!("Authorization: Bearer {token}");
    // schemathesis keeps a cache in its working folder: run it in a scratch one.
    let scratch =
        std::env::temp_dir().join(format!("citygrid-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let run = || {
        Command::new(bin.join("schemathesis"))
            .current_dir(&scratch)
            .args([
                "run",
                &schema,
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--exclude-path",
                "/api/v1/events",
                // Logging out would end the session the run is made with.
                "--exclude-path",
                "/api/v1/logout",
                "--header",
                &auth,
            ])
            .args([
                "--request-timeout",
                "10",
                "--max-examples",
                EXAMPLES,
                "--seed",
                SEED,
                // One worker: CPython can fail compiling code in two threads at once ("AST
                // constructor recursion depth mismatch"), an error of the tool, not of citygrid.
                "--workers",
                "1",
            ])
            .env("SCHEMATHESIS_TELEMETRY", "false")
            .output()
            .context("starting schemathesis")
    };
    // An error of the tool itself (a Python runtime error, no server error found) is retried
    // once; a server error never is.
    let mut out = run()?;
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    if !out.status.success()
        && text(&out).contains("Runtime Error")
        && !text(&out).contains("Server error")
    {
        eprintln!(
            "{}\nschemathesis failed on its own (see above); running it once more",
            text(&out)
        );
        out = run()?;
    }
    print!("{}", text(&out));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let status = out.status;
    let _ = std::fs::remove_dir_all(&scratch);
    if !status.success() {
        bail!("schemathesis found server errors ({status})");
    }
    Ok(())
}
