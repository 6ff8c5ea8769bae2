//! PostgreSQL's session readers: connections of their own, beside the pool. sqlx's pool pings
//! every connection it takes back, a second round trip per read. These skip that ping and
//! stay just as safe: one comes back only after its statement ran to the end without an
//! error; one whose statement failed, or whose request went away half-way, is closed and
//! replaced on the next read. A connection idle for a while is still pinged first, as the
//! pool does. (The code is the same for any sqlx connection; its tests run it on SQLite.)

use super::super::setup::PING_AFTER_IDLE;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Connection};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// A read waits at most this long for a connection, as the pool's acquire does.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct Readers {
    url: String,
    /// One permit per connection that may exist, idle or in use.
    permits: Semaphore,
    idle: Mutex<Vec<Idle>>,
    closed: AtomicBool,
}

#[derive(Debug)]
struct Idle {
    connection: AnyConnection,
    since: Instant,
}

/// A connection lent to one read: given back by [`Lease::give_back`], closed if dropped.
struct Lease<'a> {
    connection: AnyConnection,
    readers: &'a Readers,
    _permit: SemaphorePermit<'a>,
}

impl Readers {
    /// At most `size` connections to `url`, opened as reads need them.
    pub fn new(url: String, size: usize) -> Readers {
        Readers {
            url,
            permits: Semaphore::new(size),
            idle: Mutex::new(Vec::with_capacity(size)),
            closed: AtomicBool::new(false),
        }
    }

    /// Every row of `query`, read on one of these connections.
    pub async fn fetch_all<'q>(
        &self,
        query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Result<Vec<AnyRow>, sqlx::Error> {
        let mut lease = self.lease().await?;
        let rows = query.fetch_all(&mut lease.connection).await?;
        lease.give_back();
        Ok(rows)
    }

    /// Closes the idle connections; reads from now on fail as from a closed pool.
    pub async fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.permits.close();
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|e| e.into_inner()));
        for Idle { connection, .. } in idle {
            // Closing says goodbye to PostgreSQL and lets SQLite checkpoint; a failure leaves
            // nothing to undo.
            let _ = connection.close().await;
        }
    }

    async fn lease(&self) -> Result<Lease<'_>, sqlx::Error> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.acquire())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let connection = match idle {
            Some(Idle {
                mut connection,
                since,
            }) if since.elapsed() >= PING_AFTER_IDLE => {
                // It may have lost its server meanwhile (a restart, a proxy's idle timeout).
                match connection.ping().await {
                    Ok(()) => connection,
                    Err(_) => self.open().await?,
                }
            }
            Some(Idle { connection, .. }) => connection,
            None => self.open().await?,
        };
        Ok(Lease {
            connection,
            readers: self,
            _permit: permit,
        })
    }

    async fn open(&self) -> Result<AnyConnection, sqlx::Error> {
        tokio::time::timeout(ACQUIRE_TIMEOUT, AnyConnection::connect(&self.url))
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
    }
}

impl Lease<'_> {
    /// The read ran to the end: the connection is fit for the next one. (Dropped instead, the
    /// lease closes it.)
    fn give_back(self) {
        if self.readers.closed.load(Ordering::SeqCst) {
            return;
        }
        let idle = Idle {
            connection: self.connection,
            since: Instant::now(),
        };
        let mut pool = self.readers.idle.lock().unwrap_or_else(|e| e.into_inner());
        pool.push(idle);
        // The permit goes back after the connection, so whoever takes it finds one idle.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Executor, Row};
    use std::task::Poll;

    /// A SQLite file with a table of the numbers 1 to 10,000, and readers on it.
    async fn numbers(dir: &std::path::Path) -> Readers {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", dir.join("readers.db").display());
        let mut setup = AnyConnection::connect(&url).await.unwrap();
        setup
            .execute(
                "CREATE TABLE numbers (n INTEGER PRIMARY KEY); \
                 WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 10000) \
                 INSERT INTO numbers SELECT n FROM k",
            )
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM numbers")
            .fetch_one(&mut setup)
            .await
            .unwrap();
        assert_eq!(count, 10_000);
        Readers::new(url, 2)
    }

    async fn all(readers: &Readers) -> Result<Vec<i64>, sqlx::Error> {
        let rows = readers
            .fetch_all(sqlx::query("SELECT n FROM numbers ORDER BY n"))
            .await?;
        Ok(rows.iter().map(|row| row.get("n")).collect())
    }

    fn idle(readers: &Readers) -> usize {
        readers.idle.lock().unwrap().len()
    }

    #[tokio::test]
    async fn a_read_cut_off_half_way_closes_its_connection_and_the_next_read_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let readers = numbers(dir.path()).await;
        assert_eq!(all(&readers).await.unwrap().len(), 10_000);
        assert_eq!(
            idle(&readers),
            1,
            "a finished read gives its connection back"
        );

        // A read that can never finish (its rows have no end), polled a few times so that
        // rows are under way, then dropped, as when a client hangs up.
        let endless = "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k) \
                       SELECT n FROM k";
        let mut cut = Box::pin(readers.fetch_all(sqlx::query(endless)));
        for _ in 0..3 {
            let polled = std::future::poll_fn(|cx| Poll::Ready(cut.as_mut().poll(cx))).await;
            assert!(polled.is_pending(), "the read is under way");
            tokio::task::yield_now().await;
        }
        drop(cut);
        assert_eq!(
            idle(&readers),
            0,
            "its connection, rows still unread, is not reused"
        );

        let rows = all(&readers).await.unwrap();
        assert_eq!(rows, (1..=10_000).collect::<Vec<_>>());
        assert_eq!(idle(&readers), 1);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_given_back_and_closed_readers_refuse() {
        let dir = tempfile::tempdir().unwrap();
        let readers = numbers(dir.path()).await;
        let wrong = readers
            .fetch_all(sqlx::query("SELECT n FROM no_such_table"))
            .await;
        assert!(wrong.is_err());
        assert_eq!(idle(&readers), 0);
        assert_eq!(all(&readers).await.unwrap().len(), 10_000);

        readers.close().await;
        assert_eq!(idle(&readers), 0);
        assert!(matches!(all(&readers).await, Err(sqlx::Error::PoolClosed)));
    }
}
