//! Signing in through a browser and an identity provider: single sign-on to an account
//! (`account`) and social sign-in (`identities`), which share this flow (RFC 8252): an
//! `attempt` in flight, its end at the callback and the exchange (`flow`), and `linking`.
//!
//! The desktop opens the system browser at a `start` URL with a loopback `redirect_uri` and a
//! PKCE challenge (`loopback`). The server runs the code flow with the provider (`oidc`, or
//! `oauth2` for plain OAuth2 social providers; calls go out through `outbound`, which keeps
//! account administrators from aiming the server at its own network), decides what the
//! identity may do, and sends the browser back to the loopback address with a one-time code.
//! The desktop trades that code with its PKCE verifier (`exchange`).
//!
//! Trust (SPEC "Sessions and trust"): a session from an account's single sign-on acts only in
//! that account. An identity joins a profile only at the exchange, which PKCE binds to the
//! client that started the flow, and only when the person proved the profile: by being signed
//! in to it (connect), by its password (`link_required`), or — for single sign-on only — by an
//! email under a domain the operator verified for that account. Contact emails never count.

mod account;
mod attempt;
mod flow;
mod identities;
mod linking;
mod loopback;
mod oauth2;
mod oidc;
mod outbound;

pub use account::{configure, start};
pub use flow::{callback, exchange, forget_expired};
pub use identities::{link, start_connect, start_social, unlink};
