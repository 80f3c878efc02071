//! End-to-end tests: the real `citygrid` binary, started as a user would, driven over HTTP and
//! on the command line. The binary is the one `cargo test --workspace` builds beside this test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod crash;
mod http;
mod support;
mod web;
