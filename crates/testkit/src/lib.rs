//! Real parts for Lanyard's tests, shared by the server's and the client's suites and the
//! benches: a running server (`server`), its outbox read as mail (`outbox`, `mail`), an
//! OpenID provider and a browser stand-in (`oidc`), a relay that can cut a connection to a
//! real server and restore it (`relay`), the server as a process of its own (`process`) and
//! HAProxy in front of several (`balancer`), and ports for listeners that bind later (`ports`).

// Test support may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
pub mod balancer;
pub mod mail;
pub mod oidc;
pub mod outbox;
pub mod ports;
pub mod process;
pub mod relay;
pub mod server;
