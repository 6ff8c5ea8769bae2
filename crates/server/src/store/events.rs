//! The `events` table: the live feed's changes, per profile (the `events` service reads them).

use super::{Db, millis};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub id: String,
    pub profile_id: String,
    pub account_id: Option<String>,
    /// The `lanyard_core::api::Event`, as JSON.
    pub body: String,
}

const COLUMNS: &str = "id, profile_id, account_id, body";

pub async fn insert(db: &Db, row: &EventRow, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (id, profile_id, account_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&row.id)
    .bind(&row.profile_id)
    .bind(&row.account_id)
    .bind(&row.body)
    .bind(millis(now))
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Every event with an id above `after`, oldest first, at most `limit`.
pub async fn since(db: &Db, after: &str, limit: u32) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2"
    ))
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&db.pool)
    .await
}

/// The profile's events with an id above `after`, oldest first, at most `limit`.
pub async fn of_profile_since(
    db: &Db,
    profile_id: &str,
    after: &str,
    limit: u32,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events WHERE profile_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(profile_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&db.pool)
    .await
}

/// The id of the profile's newest event, if it has one.
pub async fn newest_of_profile(db: &Db, profile_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(id) FROM events WHERE profile_id = $1")
        .bind(profile_id)
        .fetch_one(&db.pool)
        .await
}

/// Drops the events with an id below `before`.
pub async fn prune(db: &Db, before: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM events WHERE id < $1")
        .bind(before)
        .execute(&db.pool)
        .await
        .map(|done| done.rows_affected())
}
