//! A disk that fills up under the server, on the suite's database: a SQLite file on a small
//! disk of the test's own, or a PostgreSQL database whose tables live on one (a tablespace
//! there, as an operator puts a big database on a disk of its own). Mounting that disk (a
//! tmpfs) needs root: the test command runs as root on CI machines.

use crate::faults::{all_tasks, sqlite_integrity};
use crate::harness::TestApp;
use lanyard_client::api::{CreateTaskRequest, Task};
use lanyard_core::Code;
use lanyard_testkit::server::fresh_postgres_database;
use sqlx::Connection;
use std::collections::HashSet;
use std::process::{Command, Stdio};
use url::Url;

/// Unmounts the test's own small disk when the test ends, however it ends.
pub(crate) struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    /// A 4 MiB tmpfs of the test's own, or `None` where mounting is not allowed.
    pub(crate) fn mount() -> Option<SmallDisk> {
        SmallDisk::mount_with("size=4m")
    }

    /// A tmpfs mounted with `options` (`size=…`, `uid=…`), or `None` where mounting is not
    /// allowed.
    fn mount_with(options: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status();
        mounted
            .is_ok_and(|status| status.success())
            .then_some(SmallDisk(dir))
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        self.0.path()
    }

    /// Remounts the disk `ro` or `rw` (refused while a file on it is open for writing).
    pub(crate) fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success(), "remounting the test's disk {mode}");
    }

    /// Something else fills the disk to the last byte.
    fn fill(&self) {
        let mut filler = std::fs::File::create(self.path().join("filler")).unwrap();
        while std::io::Write::write_all(&mut filler, &[7u8; 64 * 1024]).is_ok() {}
    }

    fn make_room(&self) {
        std::fs::remove_file(self.path().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

pub(crate) fn task(title: String) -> CreateTaskRequest {
    CreateTaskRequest {
        title,
        assignee_id: None,
    }
}

#[track_caller]
pub(crate) fn cannot_write<T: std::fmt::Debug>(result: Result<T, lanyard_client::ApiError>) {
    let error = result.expect_err("the write is refused");
    assert_eq!(
        (error.status(), error.code()),
        (Some(503), Some(Code::Unavailable)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("nothing was changed"),
        "says what is wrong: {error}"
    );
}

/// A disk that fills up: each write is refused with 503 `unavailable` saying so (never a 500,
/// never a write reported done that was not kept: on SQLite it found exactly that, a task
/// answered 201 and gone, until writes read their `RETURNING` rows to the end), reads go on,
/// writes work again once there is room, and the database checks out whole (SQLite's
/// `integrity_check`; PostgreSQL's `amcheck` on every index against its table). (A read-only
/// remount of the disk is refused while the server has its files open: the read-only cases
/// are in `read_only`.)
#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_loses_nothing() {
    let postgres = std::env::var("LANYARD_TEST_DATABASE").as_deref() == Ok("postgres");
    let (disk, database, _tablespace) = if postgres {
        let Some((disk, tablespace)) = Tablespace::on_small_disk().await else {
            eprintln!(
                "not run: a tablespace on the test's small disk needs root and PostgreSQL on \
                 this machine"
            );
            return;
        };
        let database = tablespace.database.clone();
        (disk, database, Some(tablespace))
    } else {
        let Some(disk) = SmallDisk::mount() else {
            eprintln!("not run: mounting the test's small disk (tmpfs) needs root");
            return;
        };
        let database = format!("sqlite://{}", disk.path().join("lanyard.db").display());
        (disk, database, None)
    };
    let app = TestApp::spawn_on_database(database.clone()).await;
    let anna = app.admin_of("acme").await;
    let access = &anna.access_token;

    let mut kept = Vec::new();
    for n in 0..20 {
        let before = task(format!("Before {n}"));
        let written = app.client.create_task(access, "acme", &before).await;
        kept.push(written.unwrap().id);
    }
    disk.fill();
    let refused: Result<Task, _> = loop {
        match app
            .client
            .create_task(access, "acme", &task(format!("Task {}", kept.len())))
            .await
        {
            Ok(task) => kept.push(task.id),
            Err(error) => break Err(error),
        }
        assert!(kept.len() < 5_000, "the disk never filled");
    };
    cannot_write(refused);
    let listed = all_tasks(&app.client, access).await;
    assert_eq!(
        listed.len(),
        kept.len(),
        "reads go on, and every acknowledged task is there"
    );

    disk.make_room();
    let again = app
        .client
        .create_task(access, "acme", &task("After".into()))
        .await
        .unwrap();
    kept.push(again.id);

    let listed: HashSet<String> = all_tasks(&app.client, access)
        .await
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(listed, kept.into_iter().collect::<HashSet<_>>());
    if postgres {
        postgres_indexes_agree_with_their_tables(&database).await;
    } else {
        assert_eq!(sqlite_integrity(&database).await, "ok");
    }
}

/// A fresh PostgreSQL database in a tablespace of its own on a small disk; dropped with the
/// tablespace when the test ends, however it ends.
struct Tablespace {
    name: String,
    database: String,
    admin: Url,
}

impl Tablespace {
    /// The disk is mounted for the PostgreSQL server's own user (the owner of its data
    /// directory), which must own a tablespace's directory: so only where the server runs on
    /// this machine.
    async fn on_small_disk() -> Option<(SmallDisk, Tablespace)> {
        use std::os::unix::fs::MetadataExt;
        let scratch = Url::parse(&fresh_postgres_database().await).unwrap();
        let mut admin = scratch.clone();
        admin.set_path("postgres");
        let mut connection = sqlx::PgConnection::connect(admin.as_str()).await.unwrap();
        let data: String = sqlx::query_scalar("SHOW data_directory")
            .fetch_one(&mut connection)
            .await
            .unwrap();
        let owner = std::fs::metadata(data).ok()?.uid();
        // A new database is a copy of template1 (about 8 MiB); the rest is what fills up.
        let disk = SmallDisk::mount_with(&format!("size=16m,uid={owner},mode=0700"))?;
        // The fresh database (empty, nobody connected) moves onto the disk.
        let name = scratch.path().trim_start_matches('/').to_owned();
        let statements = [
            format!(
                "CREATE TABLESPACE {name} LOCATION '{}'",
                disk.path().display()
            ),
            format!("ALTER DATABASE {name} SET TABLESPACE {name}"),
        ];
        for statement in statements {
            sqlx::query(&statement)
                .execute(&mut connection)
                .await
                .unwrap();
        }
        let tablespace = Tablespace {
            name,
            database: scratch.to_string(),
            admin,
        };
        Some((disk, tablespace))
    }
}

impl Drop for Tablespace {
    fn drop(&mut self) {
        let name = &self.name;
        for statement in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("DROP TABLESPACE IF EXISTS {name}"),
        ] {
            let _ = Command::new("psql")
                .args([self.admin.as_str(), "-qc", &statement])
                .stdout(Stdio::null())
                .status();
        }
    }
}

/// PostgreSQL's `amcheck` on every B-tree index of the database, with `heapallindexed`: each
/// index is well formed and holds every row of its table, nothing more.
async fn postgres_indexes_agree_with_their_tables(database: &str) {
    let mut connection = sqlx::PgConnection::connect(database).await.unwrap();
    sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
        .execute(&mut connection)
        .await
        .unwrap();
    // bt_index_check answers `void`, read as text; a damaged index makes it raise an error.
    let checked: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, bt_index_check(c.oid, true)::text FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE a.amname = 'btree' AND n.nspname = 'public'",
    )
    .fetch_all(&mut connection)
    .await
    .unwrap();
    assert!(!checked.is_empty(), "the database has indexes to check");
}
