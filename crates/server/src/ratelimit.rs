//! Rate limits on everything that hashes, mails or calls out, per client and per login, as
//! token buckets (governor's GCRA); and the per-login count of failed passwords, which only
//! failures fill and which is keyed on the login *and* the client, so nobody can lock a person
//! out from elsewhere. A refused request gets 429 and how long to wait.

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use lanyard_core::Error;
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// One bucket per key: `burst` requests at once, then one more every `every`.
pub struct Limiter {
    buckets: Option<DefaultKeyedRateLimiter<String>>,
}

impl Limiter {
    fn new(burst: u32, every: Duration) -> Limiter {
        let quota = Quota::with_period(every)
            .map(|quota| quota.allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)));
        Limiter {
            buckets: quota.map(RateLimiter::keyed),
        }
    }

    pub fn check(&self, key: &str) -> Result<(), Error> {
        let Some(buckets) = &self.buckets else {
            return Ok(());
        };
        buckets.check_key(&key.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Error::RateLimited {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    fn forget_idle(&self) {
        if let Some(buckets) = &self.buckets {
            buckets.retain_recent();
            buckets.shrink_to_fit();
        }
    }
}

/// Failed attempts per key within a window; only failures count, and a success clears them.
pub struct Failures {
    allowed: u32,
    window: Duration,
    seen: Option<Mutex<HashMap<String, (u32, Instant)>>>,
}

impl Failures {
    fn new(allowed: u32, window: Duration) -> Failures {
        Failures {
            allowed,
            window,
            seen: Some(Mutex::new(HashMap::new())),
        }
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, HashMap<String, (u32, Instant)>>> {
        let seen = self.seen.as_ref()?;
        Some(seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// `rate_limited` while `key` has used up its failures in the current window.
    pub fn check(&self, key: &str) -> Result<(), Error> {
        let Some(seen) = self.lock() else {
            return Ok(());
        };
        match seen.get(key) {
            Some((count, since)) if *count >= self.allowed && since.elapsed() < self.window => {
                Err(Error::RateLimited {
                    retry_after_secs: self.window.saturating_sub(since.elapsed()).as_secs() + 1,
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure of `key`.
    pub fn failed(&self, key: &str) {
        let Some(mut seen) = self.lock() else { return };
        let entry = seen.entry(key.to_owned()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets the failures of `key` (it just succeeded).
    pub fn succeeded(&self, key: &str) {
        if let Some(mut seen) = self.lock() {
            seen.remove(key);
        }
    }

    fn forget_idle(&self) {
        let window = self.window;
        if let Some(mut seen) = self.lock() {
            seen.retain(|_, (_, since)| since.elapsed() < window);
            seen.shrink_to_fit();
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
}

/// The key of per-login failures: the login together with the client.
pub fn login_key(login: &str, client: &Client) -> String {
    format!("{login} {}", client.key())
}

impl RateLimits {
    /// The production limits. Generous to people, ruinous to guessing: ten wrong passwords
    /// for one login, then one try a minute.
    pub fn standard() -> RateLimits {
        let minute = Duration::from_secs(60);
        RateLimits {
            sign_in_per_ip: Limiter::new(30, Duration::from_secs(2)),
            password_failures: Failures::new(10, 15 * minute),
            register_per_ip: Limiter::new(10, minute),
            recovery_per_ip: Limiter::new(10, minute),
            recovery_per_email: Limiter::new(3, 10 * minute),
            reset_per_ip: Limiter::new(10, minute),
            sms_code_per_phone: Limiter::new(5, minute),
            // A desktop renews its code every minute; a few tabs at once stay well inside.
            qr_per_ip: Limiter::new(30, Duration::from_secs(5)),
            browser_start_per_ip: Limiter::new(20, Duration::from_secs(6)),
            mail_per_sender: Limiter::new(100, Duration::from_secs(36)),
        }
    }

    /// No limits at all: only for benchmarks that measure raw throughput.
    pub fn off() -> RateLimits {
        let off = || Limiter { buckets: None };
        RateLimits {
            sign_in_per_ip: off(),
            password_failures: Failures {
                allowed: 0,
                window: Duration::ZERO,
                seen: None,
            },
            register_per_ip: off(),
            recovery_per_ip: off(),
            recovery_per_email: off(),
            reset_per_ip: off(),
            sms_code_per_phone: off(),
            qr_per_ip: off(),
            browser_start_per_ip: off(),
            mail_per_sender: off(),
        }
    }

    /// Drops buckets that are full again, so memory follows recent traffic, not all traffic.
    pub fn forget_idle(&self) {
        for limiter in [
            &self.sign_in_per_ip,
            &self.register_per_ip,
            &self.recovery_per_ip,
            &self.recovery_per_email,
            &self.reset_per_ip,
            &self.sms_code_per_phone,
            &self.qr_per_ip,
            &self.browser_start_per_ip,
            &self.mail_per_sender,
        ] {
            limiter.forget_idle();
        }
        self.password_failures.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refusal_with_a_wait() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            limiter.check("anna").unwrap();
        }
        let Err(Error::RateLimited { retry_after_secs }) = limiter.check("anna") else {
            panic!("fourth try passed")
        };
        assert!((1..=61).contains(&retry_after_secs));
        limiter.check("ben").unwrap();
    }

    #[test]
    fn only_failures_count_and_a_success_clears_them() {
        let failures = Failures::new(2, Duration::from_secs(60));
        for _ in 0..5 {
            failures.check("anna").unwrap();
        }
        failures.failed("anna");
        failures.check("anna").unwrap();
        failures.failed("anna");
        assert!(matches!(
            failures.check("anna"),
            Err(Error::RateLimited { .. })
        ));
        failures.check("anna elsewhere").unwrap();
        failures.succeeded("anna");
        failures.check("anna").unwrap();
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
