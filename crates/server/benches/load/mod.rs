//! Load from this process: a call run many times with a fixed number in flight, a subject
//! measured in turn with its baseline, and the server's refresh rotations.

// Each bench includes this module and uses a part of it.
#![allow(dead_code)]

use crate::common::login_request;
use lanyard_client::Client;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a run of calls gave: calls per second, and the 99th percentile of their latencies.
#[derive(Clone, Copy)]
pub struct Run {
    pub rate: f64,
    pub p99_ms: f64,
}

/// Runs `count` calls of `call` with `concurrency` at a time.
pub async fn measure<F, Fut>(count: usize, concurrency: usize, call: F) -> Run
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let left = Arc::new(AtomicUsize::new(count));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (left, call) = (left.clone(), call.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let sent = Instant::now();
                    call().await;
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::with_capacity(count);
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let rate = count as f64 / started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let p99 = latencies[(latencies.len() * 99).div_ceil(100) - 1];
    Run {
        rate,
        p99_ms: p99.as_secs_f64() * 1000.0,
    }
}

/// Baseline and subject measured alternately, twice each, to even out a noisy machine; the
/// means of each pair (rates and percentiles alike).
pub async fn alternate<B, BF, S, SF>(baseline: B, subject: S) -> (Run, Run)
where
    B: Fn() -> BF,
    BF: Future<Output = Run>,
    S: Fn() -> SF,
    SF: Future<Output = Run>,
{
    let (mut base, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        base.push(baseline().await);
        ours.push(subject().await);
    }
    let mean = |runs: &[Run]| Run {
        rate: runs.iter().map(|run| run.rate).sum::<f64>() / runs.len() as f64,
        p99_ms: runs.iter().map(|run| run.p99_ms).sum::<f64>() / runs.len() as f64,
    };
    (mean(&base), mean(&ours))
}

/// `count` refresh rotations through `client`, `in_flight` at a time, as desktops renew their
/// access tokens: each on a session of its own (`in_flight` sign-ins first), its refresh token
/// replaced by the one each rotation returns.
pub async fn refresh_rotations(client: &Client, count: usize, in_flight: usize) -> Run {
    let mut tokens = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        tokens.push(client.login(&login_request()).await.unwrap().refresh_token);
    }
    let tokens = Arc::new(Mutex::new(tokens));
    let client = client.clone();
    measure(count, in_flight, move || {
        let (client, tokens) = (client.clone(), tokens.clone());
        async move {
            // One token per call in flight: the pool is never empty here.
            let token = tokens.lock().unwrap().pop().unwrap();
            let rotated = client.refresh(&token).await.unwrap();
            tokens.lock().unwrap().push(rotated.refresh_token);
        }
    })
    .await
}
