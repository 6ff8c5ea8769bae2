//! Rate limits on everything that hashes, mails or calls out, per client and per login, as
//! token buckets (GCRA); and the per-login count of failed passwords, which only failures
//! fill and which is keyed on the login *and* the client, so nobody can lock a person out from
//! elsewhere. A refused request gets 429 and how long to wait. The state lives in the
//! database (`store::limits`), so every replica on it shares one budget: spreading requests
//! over replicas buys an attacker nothing.

use crate::error::AppResult;
use crate::store::Db;
use crate::store::limits::{self, Rule};
use lanyard_core::Error;
use lanyard_core::clock::Clock;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// The client of a request, as limits key it and as people are shown it.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<IpAddr>,
}

impl Client {
    pub fn new(ip: Option<IpAddr>) -> Client {
        Client { ip }
    }

    /// The key of per-client limits. IPv6 clients are grouped by /64: one host usually holds
    /// a whole /64, and a key per address would give it billions of buckets.
    pub fn key(&self) -> String {
        match self.ip {
            Some(IpAddr::V6(ip)) if ip.to_ipv4_mapped().is_none() => {
                let [a, b, c, d, ..] = ip.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
            Some(IpAddr::V6(ip)) => ip.to_canonical().to_string(),
            Some(ip) => ip.to_string(),
            None => String::new(),
        }
    }

    /// The address itself (shown to a person approving a QR sign-in).
    pub fn shown(&self) -> String {
        self.ip
            .map(|ip| ip.to_canonical().to_string())
            .unwrap_or_default()
    }
}

/// Where limits keep their state, and the time they go by.
#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

impl Shared {
    fn now(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}

/// `rate_limited`, to try again once `wait_ms` have passed (rounded up to whole seconds).
fn refused(wait_ms: i64) -> Error {
    Error::RateLimited {
        retry_after_secs: wait_ms.max(0).unsigned_abs() / 1000 + 1,
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// One bucket per key: `burst` requests at once, then one more every `every`.
pub struct Limiter {
    name: &'static str,
    rule: Rule,
    shared: Option<Shared>,
}

impl Limiter {
    /// Limits kept in `shared`; with none, no limit at all.
    fn new(shared: Option<&Shared>, name: &'static str, burst: u32, every: Duration) -> Limiter {
        let every = millis(every);
        Limiter {
            name,
            rule: Rule {
                every,
                tolerance: every.saturating_mul(i64::from(burst.max(1) - 1)),
            },
            shared: shared.cloned(),
        }
    }

    pub async fn check(&self, key: &str) -> AppResult<()> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let now = shared.now();
        match limits::take(&shared.db, self.name, key, now, self.rule).await? {
            None => Ok(()),
            Some(arrival) => Err(refused(arrival - self.rule.tolerance - now).into()),
        }
    }
}

/// Failed attempts per key within a window; only failures count, and a success clears them.
pub struct Failures {
    allowed: i64,
    window: i64,
    shared: Option<Shared>,
}

impl Failures {
    /// `rate_limited` while `key` has used up its failures in the current window.
    pub async fn check(&self, key: &str) -> AppResult<()> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let now = shared.now();
        match limits::failures(&shared.db, key).await? {
            Some((count, since)) if count >= self.allowed && now - since < self.window => {
                Err(refused(since + self.window - now).into())
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure of `key`.
    pub async fn failed(&self, key: &str) -> AppResult<()> {
        match &self.shared {
            Some(shared) => Ok(limits::fail(&shared.db, key, shared.now(), self.window).await?),
            None => Ok(()),
        }
    }

    /// Forgets the failures of `key` (it just succeeded).
    pub async fn succeeded(&self, key: &str) -> AppResult<()> {
        match &self.shared {
            Some(shared) => Ok(limits::clear(&shared.db, key).await?),
            None => Ok(()),
        }
    }
}

pub struct RateLimits {
    pub sign_in_per_ip: Limiter,
    /// Wrong passwords per login and client (`"login client"`).
    pub password_failures: Failures,
    pub register_per_ip: Limiter,
    pub recovery_per_ip: Limiter,
    pub recovery_per_email: Limiter,
    /// Password resets and other one-time-link uses that hash a new password.
    pub reset_per_ip: Limiter,
    pub sms_code_per_phone: Limiter,
    pub qr_per_ip: Limiter,
    /// Single sign-on and social starts: each fetches a provider's discovery document.
    pub browser_start_per_ip: Limiter,
    /// Mails to addresses someone typed (invitations per account, email changes per profile).
    pub mail_per_sender: Limiter,
    /// Photo uploads per profile: each is decoded and resized, a core's work for a while.
    pub photo_per_profile: Limiter,
}

/// The key of per-login failures: the login together with the client.
pub fn login_key(login: &str, client: &Client) -> String {
    format!("{login} {}", client.key())
}

impl RateLimits {
    /// The production limits, kept in `shared`'s database. Generous to people, ruinous to
    /// guessing: ten wrong passwords for one login, then one try a minute.
    pub fn standard(shared: &Shared) -> RateLimits {
        RateLimits::kept_in(Some(shared))
    }

    /// No limits at all: only for benchmarks that measure raw throughput.
    pub fn off() -> RateLimits {
        RateLimits::kept_in(None)
    }

    fn kept_in(shared: Option<&Shared>) -> RateLimits {
        let minute = Duration::from_secs(60);
        let limit = |name, burst, every| Limiter::new(shared, name, burst, every);
        RateLimits {
            sign_in_per_ip: limit("sign_in_per_ip", 30, Duration::from_secs(2)),
            password_failures: Failures {
                allowed: 10,
                window: millis(15 * minute),
                shared: shared.cloned(),
            },
            register_per_ip: limit("register_per_ip", 10, minute),
            recovery_per_ip: limit("recovery_per_ip", 10, minute),
            recovery_per_email: limit("recovery_per_email", 3, 10 * minute),
            reset_per_ip: limit("reset_per_ip", 10, minute),
            sms_code_per_phone: limit("sms_code_per_phone", 5, minute),
            // A desktop renews its code every minute; a few tabs at once stay well inside.
            qr_per_ip: limit("qr_per_ip", 30, Duration::from_secs(5)),
            browser_start_per_ip: limit("browser_start_per_ip", 20, Duration::from_secs(6)),
            mail_per_sender: limit("mail_per_sender", 100, Duration::from_secs(36)),
            // Someone trying photos on picks a few in a row; nobody needs more than one a minute.
            photo_per_profile: limit("photo_per_profile", 10, minute),
        }
    }

    /// Drops buckets that are full again and expired failure counts, so the tables follow
    /// recent traffic, not all traffic.
    pub async fn forget_idle(&self) -> AppResult<()> {
        let failures = &self.password_failures;
        match &failures.shared {
            Some(shared) => {
                Ok(limits::forget_idle(&shared.db, shared.now(), failures.window).await?)
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use lanyard_core::clock::ManualClock;

    /// Limits on a fresh SQLite file, on a clock the test moves.
    async fn shared() -> (Shared, Arc<ManualClock>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("limits.db").display());
        let db = Db::connect(&url).await.unwrap();
        let clock = Arc::new(ManualClock::starting_now());
        let shared = Shared {
            db,
            clock: clock.clone(),
        };
        (shared, clock, dir)
    }

    fn wait(result: AppResult<()>) -> u64 {
        match result {
            Err(AppError::Domain(Error::RateLimited { retry_after_secs })) => retry_after_secs,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[tokio::test]
    async fn burst_then_refusal_with_a_wait_then_one_more_per_period() {
        let (shared, clock, _dir) = shared().await;
        let limiter = Limiter::new(Some(&shared), "test", 3, Duration::from_secs(60));
        for _ in 0..3 {
            limiter.check("anna").await.unwrap();
        }
        assert_eq!(wait(limiter.check("anna").await), 61);
        limiter.check("ben").await.unwrap();
        clock.advance(chrono::Duration::seconds(30));
        assert_eq!(wait(limiter.check("anna").await), 31);
        clock.advance(chrono::Duration::seconds(30));
        limiter.check("anna").await.unwrap();
        assert!(limiter.check("anna").await.is_err());
    }

    #[tokio::test]
    async fn only_failures_count_and_a_success_clears_them() {
        let (shared, clock, _dir) = shared().await;
        let failures = Failures {
            allowed: 2,
            window: 60_000,
            shared: Some(shared),
        };
        for _ in 0..5 {
            failures.check("anna").await.unwrap();
        }
        failures.failed("anna").await.unwrap();
        failures.check("anna").await.unwrap();
        failures.failed("anna").await.unwrap();
        assert_eq!(wait(failures.check("anna").await), 61);
        failures.check("anna elsewhere").await.unwrap();
        failures.succeeded("anna").await.unwrap();
        failures.check("anna").await.unwrap();
        // Failures older than the window count no more.
        failures.failed("anna").await.unwrap();
        failures.failed("anna").await.unwrap();
        clock.advance(chrono::Duration::seconds(60));
        failures.check("anna").await.unwrap();
        failures.failed("anna").await.unwrap();
        failures.check("anna").await.unwrap();
    }

    #[test]
    fn ipv6_clients_share_a_key_per_64() {
        let key = |ip: &str| Client::new(ip.parse().ok()).key();
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:127.0.0.7"), "127.0.0.7");
        assert_eq!(key("127.0.0.7"), "127.0.0.7");
    }
}
