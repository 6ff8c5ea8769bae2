//! Server-wide settings kept in the database, such as the token signing key, so every
//! replica shares them.

use super::Db;

/// Returns the stored value of `key`, first storing `candidate` if there is none. Replicas
/// starting together agree on one value: the first insert wins and all read it back.
pub async fn get_or_insert(db: &Db, key: &str, candidate: &str) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(candidate)
        .execute(&db.pool)
        .await?;
    sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_one(&db.pool)
        .await
}
