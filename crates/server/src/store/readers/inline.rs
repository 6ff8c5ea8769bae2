//! SQLite's session readers: the read runs on the request's own thread. sqlx runs every SQLite
//! statement on a worker thread of its connection, so each read through it is two thread
//! hand-offs (a channel send, a futex wake, a task switch, and back), which cost more than
//! the indexed read itself. Here it is a plain call into SQLite (rusqlite on the same
//! libsqlite3 sqlx links), with the statement prepared once per connection.
//!
//! Blocking an async thread is fine for that read and nothing longer: in WAL mode a reader
//! waits for no writer, and the session pages are in memory. A connection never waits for a
//! lock on the request's thread (its busy timeout is zero); in the rare moment SQLite answers
//! busy (a checkpoint truncating the log, recovery after a crash), the read is made again on a
//! blocking thread that may wait as long as the pool's writers do.

use super::super::columns::FromColumns;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a read that met a busy database waits for it, off the request's thread: as long
/// as the pool's connections wait (`PRAGMA busy_timeout` in `setup`).
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Idle connections kept for the next reads: one per async thread suffices; more are opened
/// only while reads wait out a busy database, and closed after.
const KEPT: usize = 8;

#[derive(Debug)]
pub struct Readers {
    file: PathBuf,
    idle: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Readers {
    /// Readers of the SQLite database in `file`, which the pool has opened (and so made WAL).
    pub fn new(file: PathBuf) -> Readers {
        Readers {
            file,
            idle: Mutex::new(Vec::with_capacity(KEPT)),
            closed: AtomicBool::new(false),
        }
    }

    /// Every row of `sql` with `$1` bound to `key`.
    pub async fn rows<R>(&self, sql: &'static str, key: &str) -> Result<Vec<R>, sqlx::Error>
    where
        R: FromColumns + Send + 'static,
    {
        let connection = self.take()?;
        match read(&connection, sql, key) {
            Err(error) if busy(&error) => {
                let key = key.to_owned();
                let (connection, rows) = tokio::task::spawn_blocking(move || {
                    let rows = read_waiting(&connection, sql, &key);
                    (connection, rows)
                })
                .await
                .map_err(|_| sqlx::Error::WorkerCrashed)?;
                self.give_back_if_read(connection, rows)
            }
            rows => self.give_back_if_read(connection, rows),
        }
    }

    /// Closes the idle connections; reads from now on fail as from a closed pool.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn take(&self) -> Result<Connection, sqlx::Error> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(sqlx::Error::PoolClosed);
        }
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(connection) => Ok(connection),
            None => self.open().map_err(unreadable),
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        // Read-write as the pool opens it (in WAL mode even a reader writes the shared-memory
        // index), but refusing every write: these connections only read.
        let connection = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.pragma_update(None, "query_only", true)?;
        connection.busy_timeout(Duration::ZERO)?;
        Ok(connection)
    }

    /// A connection whose read failed is closed: whatever state it is in goes with it.
    fn give_back_if_read<R>(
        &self,
        connection: Connection,
        rows: Result<Vec<R>, ReadError>,
    ) -> Result<Vec<R>, sqlx::Error> {
        let rows = rows.map_err(|error| match error {
            ReadError::Sqlite(error) => unreadable(error),
            ReadError::Row(error) => error,
        })?;
        if !self.closed.load(Ordering::SeqCst) {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < KEPT {
                idle.push(connection);
            }
        }
        Ok(rows)
    }
}

enum ReadError {
    Sqlite(rusqlite::Error),
    /// A row that does not make an `R`.
    Row(sqlx::Error),
}

impl From<rusqlite::Error> for ReadError {
    fn from(error: rusqlite::Error) -> Self {
        ReadError::Sqlite(error)
    }
}

fn read<R: FromColumns>(
    connection: &Connection,
    sql: &str,
    key: &str,
) -> Result<Vec<R>, ReadError> {
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = statement.query([key])?;
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        read.push(R::from_columns(row).map_err(ReadError::Row)?);
    }
    Ok(read)
}

/// [`read`], waiting up to [`BUSY_WAIT`] for a busy database; the connection does not wait
/// again after.
fn read_waiting<R: FromColumns>(
    connection: &Connection,
    sql: &str,
    key: &str,
) -> Result<Vec<R>, ReadError> {
    connection.busy_timeout(BUSY_WAIT)?;
    let rows = read(connection, sql, key)?;
    connection.busy_timeout(Duration::ZERO)?;
    Ok(rows)
}

fn busy(error: &ReadError) -> bool {
    matches!(error, ReadError::Sqlite(error)
        if matches!(error.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)))
}

/// SQLite's error as sqlx's: the database out of reach (a busy wait that ran out, a file that
/// cannot be opened or read) as an IO error, so the request gets the 503 any unreachable
/// database gives; any other as the driver's own.
fn unreadable(error: rusqlite::Error) -> sqlx::Error {
    let unreachable = matches!(
        error.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::SystemIoFailure
                | ErrorCode::NotADatabase
                | ErrorCode::OutOfMemory
        )
    );
    if unreachable {
        sqlx::Error::Io(std::io::Error::other(error))
    } else {
        sqlx::Error::AnyDriverError(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::columns::Columns;
    use super::super::super::failure::unreachable;
    use super::*;
    use std::task::Poll;

    /// A WAL database of people by id, and readers on it.
    fn people(dir: &std::path::Path) -> (PathBuf, Readers) {
        let file = dir.join("people.db");
        let setup = Connection::open(&file).unwrap();
        setup
            .execute_batch(
                "PRAGMA journal_mode = WAL; \
                 CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, nick TEXT); \
                 INSERT INTO people VALUES ('a', 'Ada', NULL), ('b', 'Bob', 'bobby');",
            )
            .unwrap();
        (file.clone(), Readers::new(file))
    }

    #[derive(Debug, PartialEq)]
    struct Person {
        name: String,
        nick: Option<String>,
    }

    impl FromColumns for Person {
        fn from_columns(row: &impl Columns) -> Result<Self, sqlx::Error> {
            Ok(Person {
                name: row.get("name")?,
                nick: row.get("nick")?,
            })
        }
    }

    const BY_ID: &str = "SELECT name, nick FROM people WHERE id = $1";

    fn person(name: &str, nick: Option<&str>) -> Person {
        Person {
            name: name.into(),
            nick: nick.map(Into::into),
        }
    }

    fn idle(readers: &Readers) -> usize {
        readers.idle.lock().unwrap().len()
    }

    #[tokio::test]
    async fn reads_by_key_and_reuses_its_connection() {
        let dir = tempfile::tempdir().unwrap();
        let (_, readers) = people(dir.path());
        let bob: Vec<Person> = readers.rows(BY_ID, "b").await.unwrap();
        assert_eq!(bob, [person("Bob", Some("bobby"))]);
        let ada: Vec<Person> = readers.rows(BY_ID, "a").await.unwrap();
        assert_eq!(ada, [person("Ada", None)]);
        let nobody: Vec<Person> = readers.rows(BY_ID, "z").await.unwrap();
        assert!(nobody.is_empty());
        assert_eq!(idle(&readers), 1, "one connection served the three reads");
    }

    /// What revocation relies on: a connection kept for the next read holds no snapshot, so
    /// each read sees every write committed before it.
    #[tokio::test]
    async fn each_read_sees_what_was_committed_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let (file, readers) = people(dir.path());
        let before: Vec<Person> = readers.rows(BY_ID, "a").await.unwrap();
        assert_eq!(before, [person("Ada", None)]);
        Connection::open(&file)
            .unwrap()
            .execute("UPDATE people SET nick = 'countess' WHERE id = 'a'", [])
            .unwrap();
        let after: Vec<Person> = readers.rows(BY_ID, "a").await.unwrap();
        assert_eq!(after, [person("Ada", Some("countess"))]);
        assert_eq!(idle(&readers), 1, "on the same connection");
    }

    #[tokio::test]
    async fn a_failed_read_closes_its_connection_and_closed_readers_refuse() {
        let dir = tempfile::tempdir().unwrap();
        let (_, readers) = people(dir.path());
        let wrong = readers
            .rows::<Person>("SELECT name, nick FROM nobody WHERE id = $1", "a")
            .await;
        assert!(matches!(wrong, Err(sqlx::Error::AnyDriverError(_))));
        let missing_column = readers
            .rows::<Person>("SELECT name FROM people WHERE id = $1", "a")
            .await;
        assert!(matches!(
            missing_column,
            Err(sqlx::Error::ColumnNotFound(_))
        ));
        assert_eq!(idle(&readers), 0);
        assert_eq!(readers.rows::<Person>(BY_ID, "a").await.unwrap().len(), 1);

        readers.close();
        assert_eq!(idle(&readers), 0);
        let closed = readers.rows::<Person>(BY_ID, "a").await;
        assert!(matches!(closed, Err(sqlx::Error::PoolClosed)));
    }

    /// A database the readers cannot open answers as out of reach (the request's 503
    /// `unavailable`), not as a failed query (a 500).
    #[tokio::test]
    async fn a_database_out_of_reach_is_told_apart_from_a_failed_query() {
        let dir = tempfile::tempdir().unwrap();
        let readers = Readers::new(dir.path().join("no folder").join("people.db"));
        let away = readers.rows::<Person>(BY_ID, "a").await.unwrap_err();
        assert!(unreachable(&away), "{away:?}");

        let (_, readers) = people(dir.path());
        let wrong = readers
            .rows::<Person>("SELECT name, nick FROM nobody WHERE id = $1", "a")
            .await
            .unwrap_err();
        assert!(!unreachable(&wrong), "{wrong:?}");
    }

    #[tokio::test]
    async fn they_only_read() {
        let dir = tempfile::tempdir().unwrap();
        let (file, readers) = people(dir.path());
        let write = readers
            .rows::<Person>("DELETE FROM people WHERE id = $1 RETURNING name, nick", "a")
            .await;
        assert!(write.is_err(), "a reader refused the write");
        let count: i64 = Connection::open(&file)
            .unwrap()
            .query_row("SELECT count(*) FROM people", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 2);
    }

    /// A database locked by another connection: the read waits for it off the async thread
    /// (this one-thread runtime goes on meanwhile) and succeeds once it is free.
    #[tokio::test]
    async fn a_busy_database_is_waited_for_off_the_async_thread() {
        let dir = tempfile::tempdir().unwrap();
        let (file, readers) = people(dir.path());
        let locker = Connection::open(&file).unwrap();
        // In exclusive locking mode a WAL database is locked by its first write until the
        // connection closes: no other connection can read it meanwhile.
        locker
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE; UPDATE people SET nick = 'a' WHERE id = 'a';",
            )
            .unwrap();
        let impatient = Connection::open(&file).unwrap();
        impatient.busy_timeout(Duration::ZERO).unwrap();
        let refused = impatient.query_row("SELECT count(*) FROM people", [], |row| {
            row.get::<_, i64>(0)
        });
        assert_eq!(
            refused.unwrap_err().sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy),
            "the lock holds: a reader that does not wait is refused"
        );

        let mut read = std::pin::pin!(readers.rows::<Person>(BY_ID, "a"));
        let polled = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
        assert!(
            polled.is_pending(),
            "the read waits, and not on this thread"
        );
        // Were the read waiting on this thread, the poll above would have returned only once
        // its wait ran out, with an error. This thread goes on with other work instead:
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(locker);
        let ada = read.await.unwrap();
        assert_eq!(ada, [person("Ada", Some("a"))], "it read after the lock");

        // The waiting connection came back, and like a new one it never waits on the async
        // thread: its busy timeout is zero again.
        assert_eq!(idle(&readers), 1);
        let busy_timeout = |connection: &Connection| -> i64 {
            connection
                .query_row("PRAGMA busy_timeout", [], |row| row.get(0))
                .unwrap()
        };
        assert_eq!(busy_timeout(&readers.take().unwrap()), 0);
        assert_eq!(busy_timeout(&readers.open().unwrap()), 0);
    }
}
