//! What the throughput bench measures Lanyard against, on the same machine in the same run:
//! a bare axum handler answering the same JSON through the same client stack (also one that
//! reads a row from PostgreSQL first), and the raw rate of SQLite write transactions.

use crate::load::{Run, measure};
use axum::{Json, Router, routing::get};
use sqlx::{Connection, PgConnection};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use url::Url;

/// Requests per run of `GET /me` and of the bare handler beside it: at 20,000–60,000 a second
/// here, enough for half a second or more, so that one scheduling hiccup does not make the
/// 99th percentile (the 200th slowest).
pub const READS: usize = 20_000;

/// GETs `url` like the client does (same reqwest stack, keep-alive, 16 at a time).
pub async fn get_loop(url: Url) -> Run {
    let http = reqwest::Client::new();
    measure(READS, 16, move || {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let body = http
                .get(url)
                .bearer_auth("x")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert!(!body.is_empty());
        }
    })
    .await
}

/// A bare axum handler answering `body` at `/` on a free loopback port.
pub async fn bare_server(body: serde_json::Value) -> Url {
    serve(Router::new().route(
        "/",
        get(move || {
            let body = body.clone();
            async move { Json(body) }
        }),
    ))
    .await
}

/// The bare handler, but reading one row from the PostgreSQL database at `database` first
/// (the bench's profile, by its unique email), on one of eight connections: a round trip per
/// request, the least any server pays that reads each request's session from PostgreSQL.
pub async fn one_read_server(database: &str, body: serde_json::Value) -> Url {
    let mut connections = Vec::new();
    for _ in 0..8 {
        let connection = PgConnection::connect(database).await.unwrap();
        connections.push(tokio::sync::Mutex::new(connection));
    }
    let connections = Arc::new(connections);
    let next = Arc::new(AtomicUsize::new(0));
    serve(Router::new().route(
        "/",
        get(move || {
            let (body, connections, next) = (body.clone(), connections.clone(), next.clone());
            async move {
                let slot = next.fetch_add(1, Ordering::Relaxed) % connections.len();
                let mut connection = connections[slot].lock().await;
                let (id,): (String,) = sqlx::query_as("SELECT id FROM profiles WHERE email = $1")
                    .bind("bench@example.com")
                    .fetch_one(&mut *connection)
                    .await
                    .unwrap();
                assert!(!id.is_empty());
                Json(body)
            }
        }),
    ))
    .await
}

async fn serve(app: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The machine's raw SQLite write rate, the ceiling of refresh rotations: one-row `UPDATE`
/// transactions, 16 in flight, on a file in `dir` with the server's pool size and settings
/// (WAL, `synchronous = NORMAL`).
pub async fn sqlite_write_transactions(dir: &std::path::Path) -> Run {
    use sqlx::sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    };
    let options = SqliteConnectOptions::new()
        .filename(dir.join("ceiling.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(std::time::Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE IF NOT EXISTS counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE k(id) AS (SELECT 0 UNION ALL SELECT id + 1 FROM k WHERE id < 15) \
         INSERT OR IGNORE INTO counters SELECT id, 0 FROM k",
    )
    .execute(&pool)
    .await
    .unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    measure(2000, 16, move || {
        let (pool, next) = (pool.clone(), next.clone());
        async move {
            let mut transaction = pool.begin().await.unwrap();
            sqlx::query("UPDATE counters SET n = n + 1 WHERE id = ?1")
                .bind((next.fetch_add(1, Ordering::Relaxed) % 16) as i64)
                .execute(&mut *transaction)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
        }
    })
    .await
}
