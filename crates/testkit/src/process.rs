//! `lanyard-server` as a process of its own, as operators run it: for the tests that kill it,
//! or run several replicas of it behind a load balancer.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The server binary at `binary` on `database`, on a free loopback port, with `args` added;
/// returns the address it listens on once it says so (its `--public-url` may be another). Its log is read (and dropped) to the end, so no
/// write of the server's ever meets a closed pipe.
pub fn start(binary: &Path, database: &str, args: &[&str]) -> (Child, SocketAddr) {
    let mut child = Command::new(binary)
        .args(["--database", database, "--bind", "127.0.0.1:0"])
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANYARD_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let port = line
                .split_whitespace()
                .find_map(|field| field.strip_prefix("port="))?;
            port.parse().ok()
        })
        .expect("lanyard-server says where it listens");
    std::thread::spawn(move || lines.for_each(drop));
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

/// Ends the server at once, as `kill -9` does.
pub fn kill(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}
