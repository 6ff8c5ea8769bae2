//! Lanyard's client side, in two halves:
//!
//! - [`api`]: the typed HTTP client of API.md, one method per endpoint, answers and refusals
//!   typed. The server's integration tests drive the server through it exactly as a client
//!   would.
//! - [`desktop`]: what the desktop app keeps between those calls: the list of connected
//!   accounts, the keyring vault, each tab's session, the sign-ins under way (QR codes, the
//!   browser's loopback redirect, a profile picking an account) and the local inbox.
//!
//! `desktop` uses `api`; `api` knows nothing of the desktop.

pub mod api;
pub mod desktop;
mod error;

pub use api::{Client, Page, PageRequest};
pub use error::ApiError;
