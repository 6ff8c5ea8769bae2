//! Ports for listeners that bind later: in another process (the OpenID provider, HAProxy, an
//! SMTP server), or a server whose own URL must be known before it is built.
//!
//! Asking the system for a free port (binding port 0) and letting go of it leaves a window in
//! which the system may hand that same port to anyone else: as the source port of an outgoing
//! connection, or to another listener on port 0. With many tests connecting at once, it
//! sometimes did ("Address already in use"). The system hands out ports by itself only from
//! its ephemeral range, so the ports given here lie below it.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, Ordering};

/// How many ports below the ephemeral range are tried.
const SPAN: u16 = 10_000;

/// A loopback TCP port that is free now and that the system will not give away by itself.
/// Each call in a process gives another port; processes start at their own offsets, so
/// suites run side by side rarely try the same ones.
pub fn unclaimed() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let first = first_ephemeral();
    let low = first.saturating_sub(SPAN).max(1024);
    let span = first - low;
    let start = (std::process::id() % u32::from(span)) as u16;
    for _ in 0..span {
        let step = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = low + start.wrapping_add(step) % span;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port from {low} to {}", low + span);
}

/// The first port of the system's ephemeral range (Linux: 32768 unless configured).
fn first_ephemeral() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .filter(|&first: &u16| first > 2048)
        .unwrap_or(32768)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_lie_below_the_ephemeral_range_and_differ_from_call_to_call() {
        let (one, two) = (unclaimed(), unclaimed());
        assert_ne!(one, two);
        for port in [one, two] {
            assert!(port < first_ephemeral(), "{port}");
            // Free: a listener can take it.
            TcpListener::bind(("127.0.0.1", port)).unwrap();
        }
    }
}
