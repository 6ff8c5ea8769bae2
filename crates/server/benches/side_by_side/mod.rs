//! The two servers of the comparison side by side: each started and timed the same way, the
//! same burst of sign-ups and sign-ins through each, and the rows that print both figures
//! with their ratio.

use crate::BURST;
use crate::child::{rss_mib, url_of};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use url::Url;

/// A server in a child process: its URL and its outbox folder.
pub struct Server {
    pub child: Child,
    pub url: Url,
    pub outbox: PathBuf,
}

/// Spawns a server working in `dir` and times it until `health`, under the URL it printed,
/// answers with a success.
pub fn start(
    runtime: &Runtime,
    http: &reqwest::Client,
    dir: &Path,
    health: &str,
    spawn: impl FnOnce(&Path) -> Child,
) -> (Server, Duration) {
    std::fs::create_dir(dir).unwrap();
    let started = Instant::now();
    let mut child = spawn(dir);
    let url = url_of(&mut child);
    let health = url.join(health).unwrap();
    runtime.block_on(async {
        for _ in 0..2000 {
            let answer = http.get(health.clone()).send().await;
            if answer.is_ok_and(|answer| answer.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("{health} never answered");
    });
    let took = started.elapsed();
    let outbox = dir.join("outbox");
    (Server { child, url, outbox }, took)
}

/// Calls `call` on a clone of `with` each time, as `measure` wants its calls.
pub fn on<W: Clone, Fut>(with: W, call: impl Fn(W) -> Fut + Clone) -> impl Fn() -> Fut + Clone {
    move || call(with.clone())
}

/// `BURST` sign-ups of `person<n>@example.com`, then `BURST` sign-ins, through clones of
/// `with`, `in_flight` at a time, to the server `pid`: how long they took in seconds, then
/// its resident memory right after and 10 s later.
pub async fn burst<W, Up, In>(
    pid: u32,
    in_flight: usize,
    with: W,
    sign_up: impl Fn(W, String) -> Up + Clone + Send + 'static,
    sign_in: impl Fn(W) -> In + Clone + Send + 'static,
) -> [f64; 3]
where
    W: Clone + Send + 'static,
    Up: Future<Output = ()> + Send,
    In: Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (next, with) = (next.clone(), with.clone());
            let (sign_up, sign_in) = (sign_up.clone(), sign_in.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= 2 * BURST {
                        break;
                    } else if n < BURST {
                        sign_up(with.clone(), format!("person{n}@example.com")).await;
                    } else {
                        sign_in(with.clone()).await;
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let took = started.elapsed().as_secs_f64();
    let loaded = rss_mib(pid);
    tokio::time::sleep(Duration::from_secs(10)).await;
    [took, loaded, rss_mib(pid)]
}

pub fn median_ms(times: &mut [Duration]) -> f64 {
    times.sort_unstable();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// A figure of each side, their ratio, and which side it favours (`higher_is_better` for
/// rates; times and memory are better lower).
pub fn compared(what: &str, lanyard: f64, peer: f64, unit: &str, higher_is_better: bool) {
    let decimals = if lanyard.max(peer) >= 1000.0 { 0 } else { 1 };
    let ahead = if (lanyard > peer) == higher_is_better {
        "Lanyard ahead"
    } else {
        "better-auth ahead"
    };
    row(
        what,
        &format!("{lanyard:.decimals$} {unit}"),
        &format!("{peer:.decimals$} {unit}"),
        &format!("{:.2}   {ahead}", lanyard / peer),
    );
}

pub fn row(what: &str, lanyard: &str, peer: &str, ratio: &str) {
    println!("{what:<48} {lanyard:>11} {peer:>12}   {ratio}");
}
