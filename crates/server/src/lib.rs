//! Lanyard's identity server: profiles, sessions and mail over an HTTP JSON API (API.md),
//! on SQLite or PostgreSQL. Runs standalone (`lanyard-server`) or embedded in the desktop app.

pub mod config;
pub mod error;
mod http;
mod mail;
mod password;
mod profile;
mod ratelimit;
mod recovery;
mod signin;
mod signup;
pub mod startup;
mod state;
mod store;
mod tokens;

pub use config::Config;
pub use password::argon2id;
pub use startup::Application;
