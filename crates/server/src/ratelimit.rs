//! Rate limits on sign-in, registration, recovery and SMS codes, per client IP and per login,
//! as token buckets (governor's GCRA). A refused request gets 429 and how long to wait.

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use lanyard_core::Error;
use std::num::NonZeroU32;
use std::time::Duration;

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

pub struct RateLimits {
    pub sign_in_per_ip: Limiter,
    pub sign_in_per_login: Limiter,
    pub register_per_ip: Limiter,
    pub recovery_per_ip: Limiter,
    pub recovery_per_email: Limiter,
    pub sms_code_per_phone: Limiter,
    pub qr_per_ip: Limiter,
}

impl RateLimits {
    /// The production limits. Generous to people, ruinous to guessing: ten wrong passwords
    /// for one login, then one try a minute.
    pub fn standard() -> RateLimits {
        let minute = Duration::from_secs(60);
        RateLimits {
            sign_in_per_ip: Limiter::new(30, Duration::from_secs(2)),
            sign_in_per_login: Limiter::new(10, minute),
            register_per_ip: Limiter::new(10, minute),
            recovery_per_ip: Limiter::new(10, minute),
            recovery_per_email: Limiter::new(3, 10 * minute),
            sms_code_per_phone: Limiter::new(5, minute),
            // A desktop renews its code every minute; a few tabs at once stay well inside.
            qr_per_ip: Limiter::new(30, Duration::from_secs(5)),
        }
    }

    /// No limits at all: only for benchmarks that measure raw throughput.
    pub fn off() -> RateLimits {
        let off = || Limiter { buckets: None };
        RateLimits {
            sign_in_per_ip: off(),
            sign_in_per_login: off(),
            register_per_ip: off(),
            recovery_per_ip: off(),
            recovery_per_email: off(),
            sms_code_per_phone: off(),
            qr_per_ip: off(),
        }
    }

    /// Drops buckets that are full again, so memory follows recent traffic, not all traffic.
    pub fn forget_idle(&self) {
        for limiter in [
            &self.sign_in_per_ip,
            &self.sign_in_per_login,
            &self.register_per_ip,
            &self.recovery_per_ip,
            &self.recovery_per_email,
            &self.sms_code_per_phone,
            &self.qr_per_ip,
        ] {
            limiter.forget_idle();
        }
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
}
