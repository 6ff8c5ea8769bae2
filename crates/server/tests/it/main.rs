//! The server's integration tests: each test starts the real server on a random port with a
//! fresh database (a SQLite file, or a new PostgreSQL database when
//! `LANYARD_TEST_DATABASE=postgres`) and drives it over HTTP through `lanyard-client`.

// Test support code may panic: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod accounts;
mod attack_edge;
mod attack_recovery;
mod attack_sso;
mod backup;
#[cfg(unix)]
mod balanced;
mod employees;
mod events;
mod faults;
#[cfg(unix)]
mod full_disk;
mod http_edge;
mod languages;
mod licence;
mod logs;
mod phone_change;
mod photos;
mod profile;
mod qr;
#[cfg(unix)]
mod read_only;
mod recovery;
mod registration;
mod replicas;
mod sharing;
mod shutdown;
mod signin;
mod smtp;
mod social;
mod sso;
mod tasks;
