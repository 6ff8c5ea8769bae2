//! Lanyard's domain core: typed values that carry the rules of SPEC.md, the error codes of
//! API.md, the wire types shared by the server and the client, and the ports (clock, mail)
//! that the server fills in. Nothing here does IO.

pub mod api;
pub mod clock;
pub mod code;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod mail;
pub mod names;
pub mod pkce;
pub mod policy;
pub mod secret;
pub mod values;

pub use error::{Code, Error};
pub use i18n::{Language, Text};
