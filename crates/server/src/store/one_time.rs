//! The `one_time_tokens` table: mailed links and SMS codes, stored only as hashes. Each is
//! for one purpose, one profile and one target (the address or number it proves), and can be
//! consumed once before it expires.

use super::{Db, millis};
use chrono::{DateTime, Utc};

/// Wrong SMS codes tolerated before a code dies (a 6-digit code must not be guessable).
pub const MAX_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    VerifyPhone,
    PasswordReset,
    ChangeEmail,
    ChangePhone,
}

lanyard_core::named_values!(Purpose, "token purpose", {
    VerifyEmail => "verify_email",
    VerifyPhone => "verify_phone",
    PasswordReset => "password_reset",
    ChangeEmail => "change_email",
    ChangePhone => "change_phone",
});

pub struct NewToken<'a> {
    pub hash: &'a str,
    pub purpose: Purpose,
    pub profile_id: &'a str,
    pub target: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(db: &Db, new: &NewToken<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, purpose, profile_id, target, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.hash)
    .bind(new.purpose.as_str())
    .bind(new.profile_id)
    .bind(new.target)
    .bind(millis(new.now))
    .bind(millis(new.expires_at))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// A consumed token: whose it was and what it proves.
#[derive(Debug, sqlx::FromRow)]
pub struct Consumed {
    pub profile_id: String,
    pub target: String,
}

/// What to do with a live token: spend it (one conditional write, so it works exactly once
/// even when two requests race with it), or look at it and leave it unspent.
#[derive(Debug, Clone, Copy)]
enum Use {
    Spend,
    Peek,
}

/// Finds a live token of `purpose` by its digest and spends it, or only reads it.
async fn live(
    db: &Db,
    hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
    with: Use,
) -> Result<Option<Consumed>, sqlx::Error> {
    // `$1` the digest, `$2` the purpose, `$3` now, `$4` the attempts allowed.
    const LIVE: &str = "token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 AND attempts < $4";
    let sql = match with {
        Use::Spend => {
            format!(
                "UPDATE one_time_tokens SET used_at = $3 WHERE {LIVE} RETURNING profile_id, target"
            )
        }
        Use::Peek => format!("SELECT profile_id, target FROM one_time_tokens WHERE {LIVE}"),
    };
    sqlx::query_as(&sql)
        .bind(hash)
        .bind(purpose.as_str())
        .bind(millis(now))
        .bind(MAX_ATTEMPTS)
        .fetch_all(&db.pool)
        .await
        .map(super::first)
}

/// Spends a live token, once.
pub async fn consume(
    db: &Db,
    hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Consumed>, sqlx::Error> {
    live(db, hash, purpose, now, Use::Spend).await
}

/// A live token, left unspent: whether it is worth doing costly work for.
pub async fn peek(
    db: &Db,
    hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Consumed>, sqlx::Error> {
    live(db, hash, purpose, now, Use::Peek).await
}

/// The profiles with a live token of `purpose` for `target`: who is waiting to prove it.
pub async fn claimants(
    db: &Db,
    purpose: Purpose,
    target: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT profile_id FROM one_time_tokens \
         WHERE purpose = $1 AND target = $2 AND used_at IS NULL AND expires_at > $3 AND attempts < $4",
    )
    .bind(purpose.as_str())
    .bind(target)
    .bind(millis(now))
    .bind(MAX_ATTEMPTS)
    .fetch_all(&db.pool)
    .await
}

/// Counts a wrong code against every live token of that purpose of the profile.
pub async fn count_failure(db: &Db, profile_id: &str, purpose: Purpose) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE one_time_tokens SET attempts = attempts + 1 \
         WHERE profile_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(profile_id)
    .bind(purpose.as_str())
    .execute(&db.pool)
    .await
    .map(|_| ())
}
