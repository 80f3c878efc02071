//! Finding and running the binary, and a minimal HTTP/1.1 client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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
        let mut child = Command::new(binary())
            .arg("--db")
            .arg(db)
            .args(["demo", "--addr", "127.0.0.1:0"])
            .args(options)
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

    /// The request head: as the demo admin once logged in.
    fn head(&self, method: &str, path: &str, length: usize) -> String {
        self.head_as(&self.token, method, path, length)
    }

    /// The request head with a given session token (none when empty).
    fn head_as(&self, token: &str, method: &str, path: &str, length: usize) -> String {
        let auth = if token.is_empty() {
            String::new()
        } else {
            format!("Authorization: Bearer {token}\r\n")
        };
        format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n",
            self.addr
        )
    }

    /// Sends a request; returns the status, the content type and the body.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let body = body.unwrap_or("");
        write!(stream, "{}{body}", self.head(method, path, body.len())).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap();
        let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let header = |name: &str| {
            head.lines()
                .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
                .map(|l| l[name.len() + 1..].trim().to_owned())
        };
        let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            dechunk(rest)
        } else {
            rest.to_owned()
        };
        (status, header("content-type").unwrap_or_default(), body)
    }

    /// A failed login as if forwarded by a proxy for `client`; the status.
    pub fn wrong_login_for(&self, client: &str) -> u16 {
        let body = r#"{"username": "nobody", "password": "guess"}"#;
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "POST /api/v1/login HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nX-Forwarded-For: {client}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        String::from_utf8_lossy(&raw)
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap()
    }

    /// A GET with another session's token; the status.
    pub fn status_as(&self, token: &str, path: &str) -> u16 {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "{}", self.head_as(token, "GET", path, 0)).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw);
        text.split_whitespace().nth(1).unwrap().parse().unwrap()
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
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "{}", self.head("GET", path, 0)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_millis(200)))
            .unwrap();
        let deadline = std::time::Instant::now() + within;
        let mut seen = Vec::new();
        let mut buf = [0_u8; 8192];
        let mut started = Some(started);
        while std::time::Instant::now() < deadline {
            match stream.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
            if let Some(f) = started.take_if(|_| seen.windows(4).any(|w| w == b"\r\n\r\n")) {
                f();
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

    /// Like [`Server::request`], but an error instead of a panic when the server is gone.
    pub fn try_request(&self, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
        let mut stream = TcpStream::connect(&self.addr).ok()?;
        write!(stream, "{}{body}", self.head(method, path, body.len())).ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n")?;
        let status = head.split_whitespace().nth(1)?.parse().ok()?;
        Some((status, rest.to_owned()))
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
