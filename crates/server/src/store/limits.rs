//! The shared state of rate limits: token buckets (GCRA, one row per limiter and key) and
//! counts of wrong passwords. Each change is one statement, so replicas racing on the same
//! key never both take the last token.

use super::Db;

/// One bucket's rule, in milliseconds: a token comes back every `every`, and `tolerance`
/// (`every × (burst − 1)`) is how far ahead of now the bucket may run.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub every: i64,
    pub tolerance: i64,
}

/// Takes a token from bucket (`limiter`, `key`) at `now`. `None` when taken; otherwise the
/// bucket's arrival time, from which the caller tells how long to wait.
pub async fn take(
    db: &Db,
    limiter: &str,
    key: &str,
    now: i64,
    rule: Rule,
) -> Result<Option<i64>, sqlx::Error> {
    let taken: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rate_limits (limiter, key, tat) VALUES ($1, $2, $3 + $4) \
         ON CONFLICT (limiter, key) DO UPDATE \
         SET tat = CASE WHEN rate_limits.tat > $3 THEN rate_limits.tat ELSE $3 END + $4 \
         WHERE rate_limits.tat - $3 <= $5 \
         RETURNING tat",
    )
    .bind(limiter)
    .bind(key)
    .bind(now)
    .bind(rule.every)
    .bind(rule.tolerance)
    .fetch_all(&db.pool)
    .await
    .map(super::first)?;
    if taken.is_some() {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT tat FROM rate_limits WHERE limiter = $1 AND key = $2")
        .bind(limiter)
        .bind(key)
        .fetch_optional(&db.pool)
        .await
}

/// The wrong passwords counted for `key`, and since when (Unix milliseconds).
pub async fn failures(db: &Db, key: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT failures, since FROM login_failures WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await
}

/// Counts one wrong password for `key`; a count older than `window` starts again at one.
pub async fn fail(db: &Db, key: &str, now: i64, window: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_failures (key, failures, since) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN login_failures.since <= $2 - $3 THEN 1 \
                    ELSE login_failures.failures + 1 END, \
         since = CASE WHEN login_failures.since <= $2 - $3 THEN $2 ELSE login_failures.since END",
    )
    .bind(key)
    .bind(now)
    .bind(window)
    .execute(&db.pool)
    .await
    .map(drop)
}

/// Forgets the wrong passwords of `key` (it just signed in).
pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(&db.pool)
        .await
        .map(drop)
}

/// Drops buckets full again by `now` and failure counts older than `window`.
pub async fn forget_idle(db: &Db, now: i64, window: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_limits WHERE tat <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE since <= $1")
        .bind(now - window)
        .execute(&db.pool)
        .await
        .map(drop)
}
