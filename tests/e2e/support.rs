//! Finding and running the binary, and talking to it over HTTP (ureq).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The `citygrid` binary built beside this test executable.
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("citygrid{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p citygrid` (cargo test --workspace builds it)",
        bin.display()
    );
    bin
}

pub fn repo() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs `citygrid --db DB ARGS…` to completion.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

/// A running server, stopped when dropped.
pub struct Server {
    child: std::sync::Mutex<Child>,
    pub addr: String,
    /// The demo admin's session, sent with every request as a bearer token.
    token: String,
}

impl Server {
    /// `citygrid --db DB demo --addr 127.0.0.1:0`, waiting for the address it prints.
    pub fn demo(db: &Path) -> Self {
        Self::demo_with(db, &[])
    }

    /// The same with more `demo` options.
    pub fn demo_with(db: &Path, options: &[&str]) -> Self {
        let mut args = vec![
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--addr",
            "127.0.0.1:0",
        ];
        args.extend(options);
        Self::start(&binary(), None, &args)
    }

    /// Starts `program ARGS…` (a server that prints its URL first) in the folder `cwd`,
    /// waiting for the address it prints, and logs the demo admin in.
    pub fn start(program: &Path, cwd: Option<&Path>, args: &[&str]) -> Self {
        let mut command = Command::new(program);
        if let Some(dir) = cwd {
            command.current_dir(dir);
        }
        let mut child = command
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next().unwrap().unwrap();
        std::thread::spawn(move || lines.for_each(drop));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the server prints its URL");
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let mut server = Self {
            child: std::sync::Mutex::new(child),
            addr,
            token: String::new(),
        };
        let (status, _, session) = server.request(
            "POST",
            "/api/v1/login",
            Some(r#"{"username": "admin", "password": "demo-admin-pass"}"#),
        );
        assert_eq!(status, 200, "the demo admin logs in: {session}");
        let session: serde_json::Value = serde_json::from_str(&session).unwrap();
        session["token"]
            .as_str()
            .unwrap()
            .clone_into(&mut server.token);
        server
    }

    /// The demo admin's session token on this server.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `http://ADDR` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends a request as the demo admin; returns the status, the content type and the body.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String, String) {
        let (status, headers, body) = self.try_send(method, path, &self.token, &[], body).unwrap();
        let content_type = header(&headers, "content-type");
        (
            status,
            content_type,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    /// A request with the given session token (none when empty) and extra headers; the
    /// status, the headers and the body's bytes, or the client's error.
    pub fn try_send(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<(u16, ureq::http::HeaderMap, Vec<u8>), ureq::Error> {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("content-type", "application/json");
        if !token.is_empty() {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(body.unwrap_or_default().to_owned())
            .map_err(ureq::Error::from)?;
        let mut response = agent().run(request)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()?;
        Ok((status, headers, bytes))
    }

    /// A failed login as if forwarded by a proxy for `client`; the status.
    pub fn wrong_login_for(&self, client: &str) -> u16 {
        // A new name each time: the failed-login throttle of one name stays out of it.
        static TRIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let k = TRIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body = format!(r#"{{"username": "nobody{k}", "password": "guess"}}"#);
        let forwarded = [("x-forwarded-for", client)];
        self.try_send("POST", "/api/v1/login", "", &forwarded, Some(&body))
            .unwrap()
            .0
    }

    /// A GET with another session's token; the status.
    pub fn status_as(&self, token: &str, path: &str) -> u16 {
        self.try_send("GET", path, token, &[], None).unwrap().0
    }

    /// Reads an event stream (`/api/v1/events…`) until `needle` appears or `within` passes;
    /// whether it appeared. `started` is called once the stream is open.
    pub fn stream_sees(
        &self,
        path: &str,
        needle: &str,
        within: std::time::Duration,
        started: impl FnOnce(),
    ) -> bool {
        let deadline = std::time::Instant::now() + within;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(within))
            .build()
            .into();
        let Ok(response) = agent
            .get(self.url(path))
            .header("authorization", format!("Bearer {}", self.token))
            .call()
        else {
            return false;
        };
        started();
        let mut reader = response.into_body().into_reader();
        let mut seen = Vec::new();
        let mut buf = [0_u8; 8192];
        while std::time::Instant::now() < deadline {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
            if String::from_utf8_lossy(&seen).contains(needle) {
                return true;
            }
        }
        false
    }

    pub fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.request("GET", path, None);
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }
}

impl Server {
    /// Kills the server at once (SIGKILL on Unix): no shutdown, no flushing.
    pub fn kill(&self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Like [`Server::request`], but `None` instead of a panic when the server is gone.
    pub fn try_request(&self, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
        let (status, _, body) = self
            .try_send(method, path, &self.token, &[], Some(body))
            .ok()?;
        Some((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// The largest body a test reads (a year of cases as points is tens of megabytes).
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// An HTTP client that hands every status back instead of an error.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A header's value as text (empty when absent).
pub fn header(headers: &ureq::http::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
