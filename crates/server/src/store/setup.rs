//! What every connection of the server starts with, in the pool and among the readers alike.

use sqlx::{AnyConnection, Executor};
use std::time::Duration;

/// How long a PostgreSQL connection may sit idle before it is pinged on its way out.
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs on each new connection before its first statement.
pub async fn prepare(backend: Backend, connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if backend == Backend::Sqlite {
        // WAL lets readers run beside the one writer; NORMAL sync is durable across process
        // crashes in WAL mode; the busy timeout queues writers instead of failing them.
        connection
            .execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .await?;
    }
    Ok(())
}
