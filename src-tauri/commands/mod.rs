//! The commands the web view may invoke. Each one is thin: it takes the inputs, calls the
//! client crate, and maps the error once (into [`UiError`](crate::error::UiError)).

pub mod account;
pub mod approve;
pub mod inbox;
pub mod links;
pub mod live;
pub mod passwordless;
pub mod profile;
pub mod settings;
pub mod sharing;
pub mod tabs;
pub mod tray;
pub mod updates;

use crate::error::UiError;

pub type Answer<T> = Result<T, UiError>;
