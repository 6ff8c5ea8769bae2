//! Lanyard's identity server: profiles, sessions and mail over an HTTP JSON API (API.md),
//! on SQLite or PostgreSQL. Runs standalone (`lanyard-server`) or embedded in the desktop app.

mod accounts;
pub mod admin;
mod changes;
pub mod config;
mod device;
mod employees;
pub mod error;
mod events;
mod http;
mod mail;
mod paging;
mod password;
mod photo;
pub mod plans;
mod profile;
mod qr;
mod ratelimit;
mod recovery;
mod scope;
mod sealed;
mod session;
pub mod sharing;
mod signin;
mod signup;
pub mod social;
mod sso;
pub mod startup;
mod state;
mod store;
mod tasks;
mod tokens;
mod verification;
mod views;

pub use config::Config;
/// The SMTP mailer, for a test that sends through it in a process with a trust store of its own.
pub use mail::smtp::Smtp;
pub use password::argon2id;
pub use sharing::{Sharing, SharingError, SharingStatus, lan_address};
pub use startup::{Application, StartError};
