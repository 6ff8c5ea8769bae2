//! lanyard-client's own tests: the vault against the real Secret Service (run inside
//! `scripts/keyring-session`), and the list of connected accounts on disk.

// Test code may panic: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod connections;
mod inbox;
mod live_feed;
mod qr;
mod reconcile;
mod sso;
mod support;
mod vault;
