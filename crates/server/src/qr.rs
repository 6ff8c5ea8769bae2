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
use crate::session::{self, Caller, Grant};
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::qr::{self, NewQr, QrPurpose, QrRow, QrState};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{QrApproval, QrCreated, QrDetails, QrPoll, QrRequest, Tokens};
use lanyard_core::ids::ProfileId;
use lanyard_core::values::{Address, DeviceName};
use rand::Rng;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;
use tokio::sync::broadcast::error::RecvError;
use tracing::instrument;

const LIFETIME: Duration = Duration::seconds(60);
/// An approved request can still be collected this long after its code expired.
const COLLECT_GRACE: Duration = Duration::seconds(60);
const MAX_WAIT_SECONDS: u64 = 25;
/// How often a waiting poll re-reads the database even without a local signal.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

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

#[instrument(skip_all)]
pub async fn create(
    state: &AppState,
    client: &Client,
    user_agent: Option<&str>,
    request: &QrRequest,
) -> AppResult<QrCreated> {
    state.limits.qr_per_ip.check(&client.key()).await?;
    if request.device_name.trim().is_empty() {
        return Err(Error::invalid("device_name", "invalid-device-name").into());
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
                QrPurpose::Profile
            } else {
                QrPurpose::Tab
            },
            now,
            expires_at,
        },
    )
    .await?;
    // The LAN address while the desktop shares the server with a phone, else the public URL.
    let mut qr_url = state.reach().qr_base.clone();
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
    match row.state {
        QrState::Pending if row.expires_at() > state.clock.now() => Ok(row),
        state => Err(Error::Expired(why_not(state)).into()),
    }
}

/// Why a request can no longer be approved or collected.
fn why_not(state: QrState) -> &'static str {
    match state {
        QrState::Denied => "expired-qr-denied",
        QrState::Cancelled => "expired-qr-cancelled",
        QrState::Used | QrState::Approved => "expired-qr-used",
        QrState::Pending => "expired-qr-expired",
    }
}

#[instrument(skip_all)]
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
        needs_account: row.purpose == QrPurpose::Tab,
        device_name: row.device_name,
        platform: row.platform,
        ip: row.ip,
    })
}

#[instrument(skip_all)]
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    id: &str,
    approval: &QrApproval,
) -> AppResult<()> {
    let row = pending(state, id).await?;
    let now = state.clock.now();
    if i64::from(approval.number) != row.match_number {
        qr::settle(&state.db, id, QrState::Cancelled, None, None, now).await?;
        state.qr_changes.announce(id);
        return Err(Error::WrongNumber.into());
    }
    let account = match &approval.account {
        Some(reference) => Some(named_account(state, caller, reference).await?),
        // A desktop tab asked: it signs in to one account, never the whole profile.
        None if row.purpose == QrPurpose::Tab => {
            return Err(Error::invalid("account", "invalid-qr-account-missing").into());
        }
        None => None,
    };
    let account_id = account.as_ref().map(|a| a.id.as_str());
    if !qr::settle(
        &state.db,
        id,
        QrState::Approved,
        Some(&caller.profile_id),
        account_id,
        now,
    )
    .await?
    {
        return Err(Error::Expired(why_not(QrState::Used)).into());
    }
    state.qr_changes.announce(id);
    Ok(())
}

/// The account an approval names, by its id (as `GET /me/accounts` lists it) or by its
/// address, if the approver is active in it. An id is tried first: an address may look like
/// an id, an id never names another account. A reference that is neither is the request's
/// fault, not the login's.
async fn named_account(
    state: &AppState,
    caller: &Caller,
    reference: &str,
) -> AppResult<AccountRow> {
    let reference = reference.trim();
    if uuid::Uuid::try_parse(reference).is_ok()
        && let Some(account) = accounts::by_id(&state.db, reference).await?
    {
        return match session::active_in(state, &caller.profile_id, &account.id).await? {
            Some(_) => Ok(account),
            None => Err(Error::NoAccess {
                address: account.address,
            }
            .into()),
        };
    }
    if Address::parse(reference).is_err() {
        return Err(Error::invalid("account", "invalid-qr-account-reference").into());
    }
    session::account_for(state, &caller.profile_id, reference).await
}

#[instrument(skip_all)]
pub async fn deny(state: &AppState, id: &str) -> AppResult<()> {
    pending(state, id).await?;
    if !qr::settle(
        &state.db,
        id,
        QrState::Denied,
        None,
        None,
        state.clock.now(),
    )
    .await?
    {
        return Err(Error::Expired(why_not(QrState::Used)).into());
    }
    state.qr_changes.announce(id);
    Ok(())
}

/// `Ok(None)` while pending (202); the session once approved; `expired` after that.
#[instrument(skip_all)]
pub async fn poll(state: &AppState, id: &str, poll: &QrPoll) -> AppResult<Option<Tokens>> {
    let _waiting = state.qr_waiters.enter(id)?;
    let mut changes = state.qr_changes.subscribe();
    let deadline = tokio::time::Instant::now()
        + std::time::Duration::from_secs(poll.wait_seconds.min(MAX_WAIT_SECONDS));
    loop {
        let row = qr::by_id(&state.db, id).await?.ok_or(Error::NotFound)?;
        let presented = tokens::digest(poll.poll_token.expose_secret());
        if !bool::from(presented.as_bytes().ct_eq(row.poll_token_hash.as_bytes())) {
            return Err(Error::SessionExpired.into());
        }
        let now = state.clock.now();
        match row.state {
            QrState::Approved => {
                let approved = qr::collect(&state.db, id, now - COLLECT_GRACE)
                    .await?
                    .ok_or(Error::Expired(why_not(QrState::Used)))?;
                let account = match &approved.account_id {
                    Some(account_id) => accounts::by_id(&state.db, account_id).await?,
                    None => None,
                };
                let device = DeviceName::from_client(Some(&row.device_name));
                let grant = Grant::profile(account.as_ref());
                let profile_id = ProfileId::new(approved.profile_id);
                let tokens = session::open(state, &profile_id, &device, grant).await?;
                return Ok(Some(tokens));
            }
            QrState::Pending if row.expires_at() > now => {}
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
                    Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => std::future::pending().await,
                }
            }
        })
        .await;
    }
}

/// Removes requests that expired more than a day ago.
#[instrument(skip_all)]
pub async fn forget_old(state: &AppState) -> AppResult<u64> {
    Ok(qr::forget_before(&state.db, state.clock.now() - Duration::days(1)).await?)
}
