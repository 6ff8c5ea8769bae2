//! Which database, and what its connections start with.

use sqlx::{AnyConnection, Executor};
use std::time::Duration;

/// How long a PostgreSQL connection may sit idle before it is pinged on its way out.
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs on each new SQLite connection of the pool before its first statement. (PostgreSQL's
/// connections need nothing; SQLite's session readers set themselves up, `readers::inline`.)
pub async fn prepare_sqlite(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    // WAL lets readers run beside the one writer; NORMAL sync is durable across process
    // crashes in WAL mode; the busy timeout queues writers instead of failing them.
    connection
        .execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .await?;
    Ok(())
}
