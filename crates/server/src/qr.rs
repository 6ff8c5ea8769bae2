//! QR sign-in. The desktop asks for a request and shows `qr_url` as a QR code with a
//! two-digit number; a signed-in phone opens the URL, checks which device asks, picks the
//! same number among three (a relayed QR cannot be approved by guessing: a wrong pick cancels
//! the request) and approves; the desktop's next poll collects a session, once.
//!
//! Waiting polls sleep on a broadcast of state changes made by this server, and re-read the
//! database at least every second, so an approval that lands on another replica is seen too.

use crate::device;
use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::signin::{self, Caller, Grant};
use crate::state::AppState;
use crate::store::qr::{self, NewQr, QrRow};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{QrApproval, QrCreated, QrDetails, QrPoll, QrRequest, Tokens};
use rand::Rng;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;

const LIFETIME: Duration = Duration::seconds(60);
/// An approved request can still be collected this long after its code expired.
const COLLECT_GRACE: Duration = Duration::seconds(60);
const MAX_WAIT_SECONDS: u64 = 25;
/// How often a waiting poll re-reads the database even without a local signal.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Signals "request `id` changed" to the polls waiting on this server.
pub struct Changes(broadcast::Sender<String>);

impl Changes {
    pub fn new() -> Changes {
        Changes(broadcast::channel(256).0)
    }
    fn announce(&self, id: &str) {
        // No receiver means nobody waits here: nothing to do.
        let _ = self.0.send(id.to_owned());
    }
}

impl Default for Changes {
    fn default() -> Self {
        Changes::new()
    }
}

/// Polls that may wait on one request at once; more get `rate_limited`. The desktop keeps
/// one; a few more cover a retry racing a slow answer.
const MAX_WAITERS: usize = 3;

/// The polls waiting on each request on this server.
#[derive(Default)]
pub struct Waiters(std::sync::Mutex<HashMap<String, usize>>);

/// One waiting poll; leaving frees its place.
struct Waiting<'a> {
    waiters: &'a Waiters,
    id: String,
}

impl Waiters {
    fn enter(&self, id: &str) -> Result<Waiting<'_>, Error> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(id.to_owned()).or_insert(0);
        if *count >= MAX_WAITERS {
            return Err(Error::RateLimited {
                retry_after_secs: 1,
            });
        }
        *count += 1;
        Ok(Waiting {
            waiters: self,
            id: id.to_owned(),
        })
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut counts = self
            .waiters
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&self.id) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.id);
            }
        }
    }
}

/// The number shown on the desktop (10–99) and the three the phone offers, shuffled. The
/// number is derived from the server's key, the client and the current code lifetime, so a
/// relaying attacker who re-creates requests gets the same number until the next lifetime:
/// he cannot roll for the number his victim's phone happens to show.
fn numbers(state: &AppState, client: &Client, now: chrono::DateTime<chrono::Utc>) -> (u8, Vec<u8>) {
    let window = now.timestamp().div_euclid(LIFETIME.num_seconds());
    let derived = state
        .access
        .derive(&format!("qr-number {} {window}", client.key()));
    let shown = 10 + u8::try_from(u16::from_be_bytes([derived[0], derived[1]]) % 90).unwrap_or(0);
    let mut rng = OsRng;
    let mut choices: Vec<u8> = vec![shown];
    while choices.len() < 3 {
        let n = rng.gen_range(10..=99u8);
        if !choices.contains(&n) {
            choices.push(n);
        }
    }
    choices.shuffle(&mut rng);
    (shown, choices)
}

pub async fn create(
    state: &AppState,
    client: &Client,
    user_agent: Option<&str>,
    request: &QrRequest,
) -> AppResult<QrCreated> {
    state.limits.qr_per_ip.check(&client.key())?;
    if request.device_name.trim().is_empty() {
        return Err(Error::invalid("device_name", "say which device asks").into());
    }
    // What the approver sees is what the server saw, not what the device claims.
    let device = device::describe(user_agent);
    let ip = client.shown();
    let id = tokens::random();
    let poll_token = tokens::random();
    let now = state.clock.now();
    let (match_number, choices) = numbers(state, client, now);
    let expires_at = now + LIFETIME;
    let choices: Vec<String> = choices.iter().map(u8::to_string).collect();
    qr::insert(
        &state.db,
        &NewQr {
            id: id.expose_secret(),
            poll_token_hash: &tokens::digest(poll_token.expose_secret()),
            device_name: device.program,
            platform: device.platform,
            ip: &ip,
            match_number,
            choices: &choices.join(","),
            purpose: if request.profile_only {
                "profile"
            } else {
                "tab"
            },
            now,
            expires_at,
        },
    )
    .await?;
    let mut qr_url = state.public_url.clone();
    qr_url.set_path(&format!("qr/{}", id.expose_secret()));
    Ok(QrCreated {
        id: id.expose_secret().to_owned(),
        qr_url: qr_url.to_string(),
        poll_token,
        match_number,
        expires_at,
    })
}

/// A request that is still pending and unexpired, or why not.
async fn pending(state: &AppState, id: &str) -> AppResult<QrRow> {
    let row = qr::by_id(&state.db, id).await?.ok_or(Error::NotFound)?;
    match row.state.as_str() {
        "pending" if row.expires_at() > state.clock.now() => Ok(row),
        state => Err(Error::Expired(why_not(state)).into()),
    }
}

fn why_not(state: &str) -> &'static str {
    match state {
        "denied" => "The sign-in was denied on the phone",
        "cancelled" => "The sign-in was cancelled: a wrong number was picked on the phone",
        "used" | "approved" => "This QR code was already used",
        _ => "This QR code has expired; show a new one",
    }
}

pub async fn details(state: &AppState, id: &str) -> AppResult<QrDetails> {
    let row = pending(state, id).await?;
    Ok(QrDetails {
        choices: row
            .choices
            .split(',')
            .filter_map(|n| n.parse().ok())
            .collect(),
        created_at: row.created_at(),
        expires_at: row.expires_at(),
        needs_account: row.purpose == "tab",
        device_name: row.device_name,
        platform: row.platform,
        ip: row.ip,
    })
}

pub async fn approve(
    state: &AppState,
    caller: &Caller,
    id: &str,
    approval: &QrApproval,
) -> AppResult<()> {
    let row = pending(state, id).await?;
    let now = state.clock.now();
    if i64::from(approval.number) != row.match_number {
        qr::settle(&state.db, id, "cancelled", None, None, now).await?;
        state.qr_changes.announce(id);
        return Err(Error::WrongNumber.into());
    }
    let account = match &approval.account {
        Some(address) => Some(signin::account_for(state, &caller.profile_id, address).await?),
        // A desktop tab asked: it signs in to one account, never the whole profile.
        None if row.purpose == "tab" => {
            return Err(
                Error::invalid("account", "choose the account to sign the computer in to").into(),
            );
        }
        None => None,
    };
    let account_id = account.as_ref().map(|a| a.id.as_str());
    if !qr::settle(
        &state.db,
        id,
        "approved",
        Some(&caller.profile_id),
        account_id,
        now,
    )
    .await?
    {
        return Err(Error::Expired(why_not("used")).into());
    }
    state.qr_changes.announce(id);
    Ok(())
}

pub async fn deny(state: &AppState, id: &str) -> AppResult<()> {
    pending(state, id).await?;
    if !qr::settle(&state.db, id, "denied", None, None, state.clock.now()).await? {
        return Err(Error::Expired(why_not("used")).into());
    }
    state.qr_changes.announce(id);
    Ok(())
}

/// `Ok(None)` while pending (202); the session once approved; `expired` after that.
pub async fn poll(state: &AppState, id: &str, poll: &QrPoll) -> AppResult<Option<Tokens>> {
    let _waiting = state.qr_waiters.enter(id)?;
    let mut changes = state.qr_changes.0.subscribe();
    let deadline = tokio::time::Instant::now()
        + std::time::Duration::from_secs(poll.wait_seconds.min(MAX_WAIT_SECONDS));
    loop {
        let row = qr::by_id(&state.db, id).await?.ok_or(Error::NotFound)?;
        let presented = tokens::digest(poll.poll_token.expose_secret());
        if !bool::from(presented.as_bytes().ct_eq(row.poll_token_hash.as_bytes())) {
            return Err(Error::SessionExpired.into());
        }
        let now = state.clock.now();
        match row.state.as_str() {
            "approved" => {
                let approved = qr::collect(&state.db, id, now - COLLECT_GRACE)
                    .await?
                    .ok_or(Error::Expired(why_not("used")))?;
                let account = match &approved.account_id {
                    Some(account_id) => {
                        crate::store::accounts::by_id(&state.db, account_id).await?
                    }
                    None => None,
                };
                let tokens = signin::start(
                    state,
                    &approved.profile_id,
                    Some(&row.device_name),
                    Grant::profile(account.as_ref()),
                )
                .await?;
                return Ok(Some(tokens));
            }
            "pending" if row.expires_at() > now => {}
            other => return Err(Error::Expired(why_not(other)).into()),
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(None);
        }
        // Wake on a change announced here, or re-read after a second for other replicas.
        let wait = deadline.min(tokio::time::Instant::now() + RECHECK);
        let _ = tokio::time::timeout_at(wait, async {
            loop {
                match changes.recv().await {
                    Ok(changed) if changed == id => break,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
                }
            }
        })
        .await;
    }
}

/// Removes requests that expired more than a day ago.
pub async fn forget_old(state: &AppState) -> AppResult<u64> {
    Ok(qr::forget_before(&state.db, state.clock.now() - Duration::days(1)).await?)
}
