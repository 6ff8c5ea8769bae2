//! What the desktop app keeps between its calls to the API: the connected accounts and their
//! refresh tokens, each tab's session, the sign-ins under way and the local inbox.

pub mod account_list;
pub mod app_file;
pub mod connections;
pub mod inbox;
pub mod live_feed;
pub mod loopback;
pub mod pkce;
pub mod profile_session;
pub mod qr;
pub mod revocations;
pub mod sign_ins;
pub mod token_store;
pub mod vault;
