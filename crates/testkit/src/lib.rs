//! Real parts for Lanyard's tests, shared by the server's and the client's suites.

// Test support may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod oidc;
