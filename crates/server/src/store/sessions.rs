//! The `sessions` table (one row per refresh-token family) and `refresh_tokens` (every token a
//! family ever had, by hash, so a rotated token presented again is recognised as reuse).

use super::columns::{Columns, FromColumns};
use super::profiles::ProfileRow;
use super::sso::IdentityRow;
use super::{Db, first, millis, time};
use chrono::{DateTime, Utc};
use lanyard_core::api::SessionScope;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub profile_id: String,
    /// The account the session is for (a desktop tab), if any.
    pub account_id: Option<String>,
    pub device_name: String,
    /// `profile` or `account` (see `lanyard_core::api::SessionScope`).
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: i64,
}

impl SessionRow {
    /// The session's scope; a value this server does not know acts for nothing.
    pub fn scope(&self) -> Option<SessionScope> {
        SessionScope::parse(&self.scope)
    }
    pub fn created_at(&self) -> DateTime<Utc> {
        time(self.created_at)
    }
    pub fn last_used_at(&self) -> DateTime<Utc> {
        time(self.last_used_at)
    }
}

// Whether a session is live is decided by `Liveness`, or in the statement's `WHERE`.
const COLUMNS: &str = "id, profile_id, account_id, device_name, scope, created_at, last_used_at";

/// What admitting a bearer token needs of the session it names: read on every authenticated
/// request, so revocation is immediate on every replica.
#[derive(Debug, Clone)]
pub struct Liveness {
    pub profile_id: String,
    pub account_id: Option<String>,
    pub scope: String,
    /// The sliding end, never past the absolute one (`ends_at`).
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

impl FromColumns for Liveness {
    fn from_columns(row: &impl Columns) -> Result<Self, sqlx::Error> {
        Ok(Liveness {
            profile_id: row.get("profile_id")?,
            account_id: row.get("account_id")?,
            scope: row.get("scope")?,
            expires_at: row.get("expires_at")?,
            revoked_at: row.get("revoked_at")?,
        })
    }
}

impl Liveness {
    /// The session's scope; a value this server does not know acts for nothing.
    pub fn scope(&self) -> Option<SessionScope> {
        SessionScope::parse(&self.scope)
    }
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > millis(now)
    }
}

/// A session as [`Liveness`], with its profile and the identities linked to the profile.
pub struct WithProfile {
    pub session: Liveness,
    pub profile: ProfileRow,
    /// Oldest first.
    pub identities: Vec<IdentityRow>,
}

/// One row of [`with_profile`]'s join: one per linked identity, or one without any.
struct WithProfileRow {
    session: Liveness,
    profile: ProfileRow,
    identity_provider: Option<String>,
    identity_email: Option<String>,
}

impl FromColumns for WithProfileRow {
    fn from_columns(row: &impl Columns) -> Result<Self, sqlx::Error> {
        Ok(WithProfileRow {
            session: Liveness::from_columns(row)?,
            profile: ProfileRow::from_columns(row)?,
            identity_provider: row.get("identity_provider")?,
            identity_email: row.get("identity_email")?,
        })
    }
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub profile_id: &'a str,
    pub account_id: Option<&'a str>,
    pub device_name: &'a str,
    pub scope: SessionScope,
    pub refresh_hash: &'a str,
    pub now: DateTime<Utc>,
    /// The first sliding end.
    pub expires_at: DateTime<Utc>,
    /// The absolute end, which no refresh moves.
    pub ends_at: DateTime<Utc>,
}

/// Starts a family with its first refresh token.
pub async fn insert(db: &Db, new: &NewSession<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO sessions (id, profile_id, account_id, device_name, scope, created_at, last_used_at, \
         expires_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(new.id)
    .bind(new.profile_id)
    .bind(new.account_id)
    .bind(new.device_name)
    .bind(new.scope.as_str())
    .bind(millis(new.now))
    .bind(millis(new.expires_at.min(new.ends_at)))
    .bind(millis(new.ends_at))
    .execute(&mut *tx)
    .await?;
    insert_token(&mut tx, new.refresh_hash, new.id, new.now).await?;
    tx.commit().await
}

async fn insert_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    hash: &str,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(hash)
    .bind(session_id)
    .bind(millis(now))
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM sessions WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Read on one of the readers (`super::readers`), as every authenticated request does.
pub async fn liveness(db: &Db, id: &str) -> Result<Option<Liveness>, sqlx::Error> {
    let sql =
        "SELECT profile_id, account_id, scope, expires_at, revoked_at FROM sessions WHERE id = $1";
    db.readers.rows(sql, id).await.map(first)
}

/// The session `id` with its profile and the profile's identities, in one statement: `GET /me`
/// is the hottest authenticated request, and each statement through the pool costs several
/// hand-offs to the database (SQLite's worker thread, or a PostgreSQL round trip) besides
/// the query itself. Read on one of the readers (`super::readers`).
pub async fn with_profile(db: &Db, id: &str) -> Result<Option<WithProfile>, sqlx::Error> {
    let sql = "SELECT s.profile_id, s.account_id, s.scope, s.expires_at, s.revoked_at, \
         p.id, p.email, p.email_verified_at, p.phone, p.phone_verified_at, p.password_hash, \
         p.first_name, p.last_name, p.photo_url, p.language, \
         i.provider AS identity_provider, i.email AS identity_email \
         FROM sessions s JOIN profiles p ON p.id = s.profile_id \
         LEFT JOIN identities i ON i.profile_id = s.profile_id \
         WHERE s.id = $1 ORDER BY i.created_at";
    let rows: Vec<WithProfileRow> = db.readers.rows(sql, id).await?;
    let mut identities = Vec::with_capacity(rows.len());
    let mut first = None;
    for row in rows {
        if let Some(provider) = row.identity_provider {
            identities.push(IdentityRow {
                provider,
                email: row.identity_email,
            });
        }
        first.get_or_insert((row.session, row.profile));
    }
    Ok(first.map(|(session, profile)| WithProfile {
        session,
        profile,
        identities,
    }))
}

/// What presenting a refresh token led to.
pub enum Rotation {
    /// The token was current: it is now spent and `new_hash` is the family's current token.
    Rotated(SessionRow),
    /// The token had been rotated already: the family is now revoked.
    Reused { session_id: String },
    /// Unknown token, or a family that is revoked or expired.
    Dead,
}

/// Spends `old_hash` and issues `new_hash` in its place, atomically. The first statement is
/// the conditional write, so two concurrent refreshes with one token cannot both win: the
/// loser sees the token spent and is treated as reuse.
pub async fn rotate(
    db: &Db,
    old_hash: &str,
    new_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Rotation, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let spent: Option<String> = sqlx::query_scalar(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
         RETURNING session_id",
    )
    .bind(old_hash)
    .bind(millis(now))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(session_id) = spent else {
        let known: Option<String> =
            sqlx::query_scalar("SELECT session_id FROM refresh_tokens WHERE token_hash = $1")
                .bind(old_hash)
                .fetch_optional(&mut *tx)
                .await?;
        return match known {
            Some(session_id) => {
                revoke_in(&mut tx, &session_id, now).await?;
                tx.commit().await?;
                Ok(Rotation::Reused { session_id })
            }
            None => Ok(Rotation::Dead),
        };
    };
    let session: Option<SessionRow> = sqlx::query_as(&format!(
        "UPDATE sessions SET last_used_at = $2, \
         expires_at = CASE WHEN ends_at < $3 THEN ends_at ELSE $3 END \
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING {COLUMNS}"
    ))
    .bind(&session_id)
    .bind(millis(now))
    .bind(millis(expires_at))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(session) = session else {
        // The token is spent either way, so a dead family stays dead.
        tx.commit().await?;
        return Ok(Rotation::Dead);
    };
    insert_token(&mut tx, new_hash, &session_id, now).await?;
    tx.commit().await?;
    Ok(Rotation::Rotated(session))
}

async fn revoke_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(session_id)
        .bind(millis(now))
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The session a refresh token (current or spent) belongs to.
pub async fn id_by_token(db: &Db, hash: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT session_id FROM refresh_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(&db.pool)
        .await
}

/// Revokes one session of a profile; `false` when the profile has no such live session.
pub async fn revoke(
    db: &Db,
    profile_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND profile_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(profile_id)
    .bind(millis(now))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the profile's sessions for one account (its employee record there was dismissed).
pub async fn revoke_for_account(
    db: &Db,
    profile_id: &str,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $3 WHERE profile_id = $1 AND account_id = $2 AND revoked_at IS NULL",
    )
    .bind(profile_id)
    .bind(account_id)
    .bind(millis(now))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// The profile's live sessions, most recently used first.
pub async fn live(
    db: &Db,
    profile_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE profile_id = $1 AND revoked_at IS NULL \
         AND expires_at > $2 ORDER BY last_used_at DESC, id"
    ))
    .bind(profile_id)
    .bind(millis(now))
    .fetch_all(&db.pool)
    .await
}
