//! Servers in processes of their own: a bench runs its own binary again in a role (an
//! environment variable names it), reads what the child prints, and reads its memory from
//! `/proc` (Linux).

// Each bench includes this module and uses a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use url::Url;

/// The variable that names a child's role.
pub const ROLE: &str = "LANYARD_BENCH_ROLE";
/// The folder a child works in.
const DIR: &str = "LANYARD_BENCH_DIR";

/// This bench's binary again, in `role`, with `dir` and `env` in its environment.
pub fn spawn(role: &str, dir: &Path, env: &[(&str, &str)]) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .env(ROLE, role)
        .env(DIR, dir)
        .env("LANYARD_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The folder the parent gave this child.
pub fn dir() -> PathBuf {
    PathBuf::from(std::env::var(DIR).unwrap())
}

/// In a child: prints `line` for the parent, then waits until the parent closes stdin.
pub fn report_and_wait(line: &str) {
    println!("{line}");
    std::io::stdout().flush().unwrap();
    std::io::stdin().lines().count();
}

pub fn read_line(stdout: &mut ChildStdout) -> String {
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    line.trim().to_owned()
}

/// The URL a server child printed.
pub fn url_of(child: &mut Child) -> Url {
    Url::parse(&read_line(child.stdout.as_mut().unwrap())).unwrap()
}

/// Ends a child by closing its stdin, and waits for it.
pub fn stop(mut child: Child) {
    drop(child.stdin.take());
    child.wait().unwrap();
}

/// `VmRSS` of process `pid`, in MiB.
pub fn rss_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS")
}

/// A `kB` field of `/proc/<pid>/status`, in MiB.
pub fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024.0
}
