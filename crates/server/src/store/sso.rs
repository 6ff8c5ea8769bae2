//! Tables of single sign-on: an account's provider, linked identities, browser sign-ins
//! under way, and the one-time codes the desktop exchanges.

use super::{Db, is_unique_violation, millis};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct ProviderRow {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

pub async fn set_provider(
    db: &Db,
    account_id: &str,
    provider: &ProviderRow,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sso_providers (account_id, issuer, client_id, client_secret, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (account_id) DO UPDATE SET issuer = $2, client_id = $3, client_secret = $4, updated_at = $5",
    )
    .bind(account_id)
    .bind(&provider.issuer)
    .bind(&provider.client_id)
    .bind(&provider.client_secret)
    .bind(millis(now))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

pub async fn provider(db: &Db, account_id: &str) -> Result<Option<ProviderRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT issuer, client_id, client_secret FROM sso_providers WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await
}

/// The profile an identity is linked to.
pub async fn identity_owner(
    db: &Db,
    issuer: &str,
    subject: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT profile_id FROM identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(&db.pool)
        .await
}

pub struct NewIdentity<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub profile_id: &'a str,
    pub provider: &'a str,
    pub email: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Links an identity; `false` when it is already linked (to anyone).
pub async fn link(db: &Db, new: &NewIdentity<'_>) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO identities (issuer, subject, profile_id, provider, email, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.issuer)
    .bind(new.subject)
    .bind(new.profile_id)
    .bind(new.provider)
    .bind(new.email)
    .bind(millis(new.now))
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct IdentityRow {
    pub provider: String,
    pub email: Option<String>,
}

pub async fn identities_of(db: &Db, profile_id: &str) -> Result<Vec<IdentityRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT provider, email FROM identities WHERE profile_id = $1 ORDER BY created_at",
    )
    .bind(profile_id)
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    pub account_id: Option<String>,
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
        "INSERT INTO sign_in_attempts (state_hash, account_id, nonce, pkce_verifier, redirect_uri, client_state, \
         code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(state_hash)
    .bind(attempt.account_id.as_deref())
    .bind(&attempt.nonce)
    .bind(&attempt.pkce_verifier)
    .bind(&attempt.redirect_uri)
    .bind(&attempt.client_state)
    .bind(&attempt.code_challenge)
    .bind(millis(expires_at))
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
         RETURNING account_id, nonce, pkce_verifier, redirect_uri, client_state, code_challenge",
    )
    .bind(state_hash)
    .bind(millis(now))
    .fetch_optional(&db.pool)
    .await
}

pub struct NewExchange<'a> {
    pub code_hash: &'a str,
    pub code_challenge: &'a str,
    pub profile_id: &'a str,
    pub account_id: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_exchange(db: &Db, new: &NewExchange<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO exchange_codes (code_hash, code_challenge, profile_id, account_id, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new.code_hash)
    .bind(new.code_challenge)
    .bind(new.profile_id)
    .bind(new.account_id)
    .bind(millis(new.expires_at))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

#[derive(Debug, FromRow)]
pub struct ExchangeRow {
    pub code_challenge: String,
    pub profile_id: String,
    pub account_id: Option<String>,
}

/// Spends a live code, once.
pub async fn take_exchange(
    db: &Db,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<ExchangeRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE exchange_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING code_challenge, profile_id, account_id",
    )
    .bind(code_hash)
    .bind(millis(now))
    .fetch_optional(&db.pool)
    .await
}

/// The active employee of an account whom an email names: by the verified login of their
/// profile, or by the contact email their administrator keeps.
pub async fn employee_by_email(
    db: &Db,
    account_id: &str,
    email: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT e.profile_id FROM employees e JOIN profiles p ON p.id = e.profile_id \
         WHERE e.account_id = $1 AND e.status = 'active' \
         AND ((p.email = $2 AND p.email_verified_at IS NOT NULL) OR e.contact_email = $2) \
         ORDER BY e.id LIMIT 1",
    )
    .bind(account_id)
    .bind(email)
    .fetch_optional(&db.pool)
    .await
}
