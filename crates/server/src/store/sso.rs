//! Tables of single sign-on that last: an account's provider, the identities linked to
//! profiles, and the email domains the operator verified for an account.

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

/// Whether the operator verified `domain` for the account (`admin verify-domain`).
pub async fn domain_verified(db: &Db, account_id: &str, domain: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT domain FROM verified_domains WHERE account_id = $1 AND domain = $2",
    )
    .bind(account_id)
    .bind(domain)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

pub async fn verify_domain(
    db: &Db,
    account_id: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO verified_domains (account_id, domain, verified_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, domain) DO NOTHING",
    )
    .bind(account_id)
    .bind(domain)
    .bind(millis(now))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Unlinks the profile's identities at `provider`; how many there were.
pub async fn unlink(db: &Db, profile_id: &str, provider: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM identities WHERE profile_id = $1 AND provider = $2")
        .bind(profile_id)
        .bind(provider)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
