//! Browser sign-ins under way: attempts waiting for the provider's answer, one-time codes
//! waiting for the desktop's exchange, and identities waiting for proof of a profile. All
//! short-lived, each spent once.

use super::{Db, millis};
use chrono::{DateTime, Utc};
use lanyard_core::api::SessionScope;
use lanyard_core::names::UnknownName;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    pub account_id: Option<String>,
    pub social: Option<String>,
    /// A signed-in profile connecting the social identity to itself.
    pub connect_profile: Option<String>,
    pub nonce: String,
    pub pkce_verifier: String,
    pub redirect_uri: String,
    pub client_state: String,
    pub code_challenge: String,
}

pub async fn insert_attempt(
    db: &Db,
    state_hash: &str,
    attempt: &AttemptRow,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_attempts (state_hash, account_id, social, nonce, pkce_verifier, redirect_uri, \
         client_state, code_challenge, expires_at, connect_profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(state_hash)
    .bind(attempt.account_id.as_deref())
    .bind(attempt.social.as_deref())
    .bind(&attempt.nonce)
    .bind(&attempt.pkce_verifier)
    .bind(&attempt.redirect_uri)
    .bind(&attempt.client_state)
    .bind(&attempt.code_challenge)
    .bind(millis(expires_at))
    .bind(attempt.connect_profile.as_deref())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Takes a live attempt out of the table: each comes back from the provider once.
pub async fn take_attempt(
    db: &Db,
    state_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "DELETE FROM sign_in_attempts WHERE state_hash = $1 AND expires_at > $2 \
         RETURNING account_id, social, connect_profile, nonce, pkce_verifier, redirect_uri, client_state, code_challenge",
    )
    .bind(state_hash)
    .bind(millis(now))
    .fetch_all(&db.pool)
    .await
    .map(super::first)
}

/// What happens to an exchange's identity when its code is traded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMode {
    /// Link it to the exchange's profile, which proved itself, then sign in.
    Link,
    /// Ask for proof of a profile first (`link_required`).
    Prove,
}

lanyard_core::named_values!(LinkMode, "link mode", { Link => "link", Prove => "prove" });

pub struct NewExchange<'a> {
    pub code_hash: &'a str,
    pub code_challenge: &'a str,
    /// Who signs in (or links); `None` only while a proof is pending for an unknown profile.
    pub profile_id: Option<&'a str>,
    pub account_id: Option<&'a str>,
    pub scope: SessionScope,
    pub link_mode: Option<LinkMode>,
    /// The identity to link, with `link_mode`.
    pub link: Option<&'a PendingLink>,
    pub expires_at: DateTime<Utc>,
}

/// An identity waiting to be linked.
#[derive(Debug, Clone, FromRow)]
pub struct PendingLink {
    pub issuer: String,
    pub subject: String,
    pub provider: String,
    /// The identity's verified email, if the provider gave one.
    pub email: Option<String>,
}

pub async fn insert_exchange(db: &Db, new: &NewExchange<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO exchange_codes (code_hash, code_challenge, profile_id, account_id, scope, link_mode, \
         link_issuer, link_subject, link_provider, link_email, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new.code_hash)
    .bind(new.code_challenge)
    .bind(new.profile_id)
    .bind(new.account_id)
    .bind(new.scope.as_str())
    .bind(new.link_mode.map(LinkMode::as_str))
    .bind(new.link.map(|l| l.issuer.as_str()))
    .bind(new.link.map(|l| l.subject.as_str()))
    .bind(new.link.map(|l| l.provider.as_str()))
    .bind(new.link.and_then(|l| l.email.as_deref()))
    .bind(millis(new.expires_at))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

#[derive(Debug, FromRow)]
pub struct ExchangeRow {
    pub code_challenge: String,
    pub profile_id: Option<String>,
    pub account_id: Option<String>,
    pub scope: String,
    pub link_mode: Option<String>,
    pub link_issuer: Option<String>,
    pub link_subject: Option<String>,
    pub link_provider: Option<String>,
    pub link_email: Option<String>,
}

impl ExchangeRow {
    pub fn scope(&self) -> Option<SessionScope> {
        SessionScope::parse(&self.scope)
    }

    /// What to do with the identity, if any; an unknown stored mode is an error, not "none".
    pub fn link_mode(&self) -> Result<Option<LinkMode>, UnknownName> {
        self.link_mode.as_deref().map(LinkMode::parse).transpose()
    }

    pub fn pending_link(&self) -> Option<PendingLink> {
        Some(PendingLink {
            issuer: self.link_issuer.clone()?,
            subject: self.link_subject.clone()?,
            provider: self.link_provider.clone()?,
            email: self.link_email.clone(),
        })
    }
}

/// Spends a live code, once.
pub async fn take_exchange(
    db: &Db,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<ExchangeRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE exchange_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING code_challenge, profile_id, account_id, scope, link_mode, link_issuer, link_subject, \
         link_provider, link_email",
    )
    .bind(code_hash)
    .bind(millis(now))
    .fetch_all(&db.pool)
    .await
    .map(super::first)
}

/// Keeps an identity waiting for proof of a profile (`profile_id`, when one is known).
pub async fn insert_pending_link(
    db: &Db,
    hash: &str,
    profile_id: Option<&str>,
    link: &PendingLink,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pending_links (token_hash, profile_id, issuer, subject, provider, email, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash)
    .bind(profile_id)
    .bind(&link.issuer)
    .bind(&link.subject)
    .bind(&link.provider)
    .bind(link.email.as_deref())
    .bind(millis(expires_at))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

#[derive(Debug, FromRow)]
pub struct PendingLinkRow {
    pub profile_id: Option<String>,
    pub issuer: String,
    pub subject: String,
    pub provider: String,
    pub email: Option<String>,
}

impl PendingLinkRow {
    pub fn identity(&self) -> PendingLink {
        PendingLink {
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            provider: self.provider.clone(),
            email: self.email.clone(),
        }
    }
}

/// A live link token, left unspent (the password is checked first).
pub async fn peek_pending_link(
    db: &Db,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<PendingLinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT profile_id, issuer, subject, provider, email FROM pending_links \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(hash)
    .bind(millis(now))
    .fetch_optional(&db.pool)
    .await
}

/// Spends a live link token, once.
pub async fn take_pending_link(
    db: &Db,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pending_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(hash)
    .bind(millis(now))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes browser sign-ins, exchange codes and link tokens whose time is up; how many.
pub async fn forget_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut forgotten = 0;
    for table in ["sign_in_attempts", "exchange_codes", "pending_links"] {
        forgotten += sqlx::query(&format!("DELETE FROM {table} WHERE expires_at <= $1"))
            .bind(millis(now))
            .execute(&db.pool)
            .await?
            .rows_affected();
    }
    Ok(forgotten)
}
