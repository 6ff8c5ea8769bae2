//! HAProxy in front of several servers, as a company runs replicas: round robin over them, each
//! request forwarded with `X-Forwarded-For`, connections to the servers kept and reused.
//! The system's `haproxy` (Debian's package; the test command installs it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Balancer {
    /// Where clients connect.
    pub address: SocketAddr,
    process: Child,
    /// HAProxy's own socket, where it tells what each server answered.
    stats: PathBuf,
}

impl Balancer {
    /// HAProxy on `address` (from [`free_address`]) in front of `servers`, its configuration
    /// written into `dir`. Returns once it accepts connections.
    pub fn start(address: SocketAddr, servers: &[SocketAddr], dir: &Path) -> Balancer {
        let backends: String = servers
            .iter()
            .enumerate()
            .map(|(n, server)| format!("  server replica{n} {server}\n"))
            .collect();
        let stats = dir.join(format!("haproxy-{}.sock", address.port()));
        // Timeouts above the live feed's 15 s keep-alive comments, so a quiet stream stays.
        let config = format!(
            "global\n  maxconn 4096\n  stats socket {}\n\
             defaults\n  mode http\n  option forwardfor\n  http-reuse always\n\
             \x20 timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n\
             frontend lanyard\n  bind {address}\n  default_backend replicas\n\
             backend replicas\n  balance roundrobin\n{backends}",
            stats.display()
        );
        let file = dir.join(format!("haproxy-{}.cfg", address.port()));
        std::fs::write(&file, config).unwrap();
        let process = Command::new("haproxy")
            .arg("-db") // in the foreground, ended with the test
            .arg("-f")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy runs (the test command installs Debian's haproxy)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(address).is_err() {
            assert!(
                Instant::now() < deadline,
                "haproxy did not listen on {address}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Balancer {
            address,
            process,
            stats,
        }
    }

    /// How many responses each server has given through the balancer, in the order given.
    pub fn answered(&self) -> Vec<u64> {
        let mut socket = UnixStream::connect(&self.stats).expect("haproxy's stats socket");
        socket.write_all(b"show stat\n").unwrap();
        let mut csv = String::new();
        socket.read_to_string(&mut csv).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines
            .next()
            .expect("a header")
            .trim_start_matches("# ")
            .split(',')
            .collect();
        let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
        let server = column("svname");
        let responses: Vec<usize> = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx"]
            .into_iter()
            .map(column)
            .collect();
        lines
            .map(|line| line.split(',').collect::<Vec<_>>())
            .filter(|fields| fields.get(server).is_some_and(|s| s.starts_with("replica")))
            .map(|fields| {
                responses
                    .iter()
                    .map(|&n| fields[n].parse::<u64>().unwrap())
                    .sum()
            })
            .collect()
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A loopback address nothing listens on now (HAProxy cannot report a port it picked itself,
/// and the servers behind it must know its URL before it starts).
pub fn free_address() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], crate::ports::unclaimed()))
}
