//! Login throttling by client address (in memory): after too many failed logins from one address within a
//! window, further attempts are refused until the window has passed. Accounts are also locked in the
//! store after repeated failures (see `api::auth`), which holds across server instances.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed-login counts per client address.
pub struct LoginLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl LoginLimiter {
    pub fn new(max_failures: u32, window_seconds: u64) -> LoginLimiter {
        LoginLimiter {
            max_failures,
            window: Duration::from_secs(window_seconds),
            failures: Mutex::default(),
        }
    }

    /// True when the address may try to log in now.
    pub fn allowed(&self, address: Option<IpAddr>, now: Instant) -> bool {
        let Some(address) = address else { return true };
        let Ok(failures) = self.failures.lock() else {
            return true;
        };
        match failures.get(&address) {
            Some((count, since)) => now.duration_since(*since) >= self.window || *count < self.max_failures,
            None => true,
        }
    }

    /// Records a failed login from the address.
    pub fn failed(&self, address: Option<IpAddr>, now: Instant) {
        let Some(address) = address else { return };
        let Ok(mut failures) = self.failures.lock() else { return };
        if failures.len() > 100_000 {
            let window = self.window;
            failures.retain(|_, (_, since)| now.duration_since(*since) < window);
        }
        let entry = failures.entry(address).or_insert((0, now));
        if now.duration_since(entry.1) >= self.window {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Forgets an address's failures (after a successful login).
    pub fn succeeded(&self, address: Option<IpAddr>) {
        if let (Some(address), Ok(mut failures)) = (address, self.failures.lock()) {
            failures.remove(&address);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_throttled_after_too_many_failures_until_the_window_passes() {
        let limiter = LoginLimiter::new(3, 60);
        let address = Some(IpAddr::from([10, 0, 0, 1]));
        let other = Some(IpAddr::from([10, 0, 0, 2]));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.allowed(address, start));
            limiter.failed(address, start);
        }
        assert!(!limiter.allowed(address, start));
        assert!(limiter.allowed(other, start));
        assert!(limiter.allowed(address, start + Duration::from_secs(61)));
        limiter.succeeded(address);
        assert!(limiter.allowed(address, start));
    }
}
