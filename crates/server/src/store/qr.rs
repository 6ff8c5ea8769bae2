//! The `qr_requests` table. Every state change is one conditional write, so a request is
//! approved, denied or collected at most once however requests race.

use super::{Db, millis, time};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// Where a QR sign-in request is in its life. Only `Pending` moves, and only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrState {
    Pending,
    /// Approved on a phone; the desktop's next poll collects the session.
    Approved,
    Denied,
    /// A wrong number was picked on the phone.
    Cancelled,
    /// Collected: the session was handed out.
    Used,
}

lanyard_core::named_values!(QrState, "QR request state", {
    Pending => "pending",
    Approved => "approved",
    Denied => "denied",
    Cancelled => "cancelled",
    Used => "used",
});

/// What a QR request signs in: a desktop tab (one account) or the profile page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrPurpose {
    Tab,
    Profile,
}

lanyard_core::named_values!(QrPurpose, "QR request purpose", { Tab => "tab", Profile => "profile" });

#[derive(Debug, Clone, FromRow)]
pub struct QrRow {
    pub poll_token_hash: String,
    pub device_name: String,
    pub platform: Option<String>,
    pub ip: String,
    pub match_number: i64,
    pub choices: String,
    #[sqlx(try_from = "String")]
    pub state: QrState,
    #[sqlx(try_from = "String")]
    pub purpose: QrPurpose,
    pub created_at: i64,
    pub expires_at: i64,
}

impl QrRow {
    pub fn created_at(&self) -> DateTime<Utc> {
        time(self.created_at)
    }
    pub fn expires_at(&self) -> DateTime<Utc> {
        time(self.expires_at)
    }
}

const COLUMNS: &str = "poll_token_hash, device_name, platform, ip, match_number, choices, state, \
                       purpose, created_at, expires_at";

pub struct NewQr<'a> {
    pub id: &'a str,
    pub poll_token_hash: &'a str,
    pub device_name: &'a str,
    pub platform: Option<&'a str>,
    pub ip: &'a str,
    pub match_number: u8,
    pub choices: &'a str,
    pub purpose: QrPurpose,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(db: &Db, new: &NewQr<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO qr_requests (id, poll_token_hash, device_name, platform, ip, match_number, choices, \
         created_at, expires_at, purpose) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new.id)
    .bind(new.poll_token_hash)
    .bind(new.device_name)
    .bind(new.platform)
    .bind(new.ip)
    .bind(i64::from(new.match_number))
    .bind(new.choices)
    .bind(millis(new.now))
    .bind(millis(new.expires_at))
    .bind(new.purpose.as_str())
    .execute(&db.pool)
    .await
    .map(|_| ())
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<QrRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM qr_requests WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Moves a pending, unexpired request to `state` (approved with who and where, denied or
/// cancelled). `false` when it was no longer pending or had expired.
pub async fn settle(
    db: &Db,
    id: &str,
    state: QrState,
    profile_id: Option<&str>,
    account_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE qr_requests SET state = $2, profile_id = $3, account_id = $4 \
         WHERE id = $1 AND state = 'pending' AND expires_at > $5",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(profile_id)
    .bind(account_id)
    .bind(millis(now))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who approved, for which account: collected once, by the first poll after approval.
#[derive(Debug, FromRow)]
pub struct Approved {
    pub profile_id: String,
    pub account_id: Option<String>,
}

pub async fn collect(
    db: &Db,
    id: &str,
    until: DateTime<Utc>,
) -> Result<Option<Approved>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE qr_requests SET state = 'used' WHERE id = $1 AND state = 'approved' AND expires_at > $2 \
         RETURNING profile_id, account_id",
    )
    .bind(id)
    .bind(millis(until))
    .fetch_all(&db.pool)
    .await
    .map(super::first)
}

/// Forgets requests that expired long ago.
pub async fn forget_before(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM qr_requests WHERE expires_at < $1")
        .bind(millis(before))
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
