//! Login throttling by client address (in memory): after too many failed logins from one address within a
//! window, further attempts are refused until the window has passed. Accounts are also locked in the
//! store after repeated failures (see `api::auth`), which holds across server instances.
//!
//! Atomicity: an attempt *claims* a slot before its password is checked ([`LoginLimiter::claim`]: check
//! and count under one lock), so concurrent attempts cannot all pass the check before any failure is
//! counted; a successful login gives its own slot back ([`LoginLimiter::refund`]) but never clears the
//! address's other failures — one valid account must not reset the count of guesses at others.
//!
//! Why not `governor`: its GCRA limiter counts every attempt and has no way to give a cell back, so an
//! office behind one NAT address would be throttled by its own successful logins; what is limited here is
//! failures, which needs claim-then-refund. The table is bounded (swept past 100 000 addresses).

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

/// The most addresses remembered before expired windows are swept.
const SWEEP_AT: usize = 100_000;

impl LoginLimiter {
    pub fn new(max_failures: u32, window_seconds: u64) -> LoginLimiter {
        LoginLimiter {
            max_failures,
            window: Duration::from_secs(window_seconds),
            failures: Mutex::default(),
        }
    }

    /// Claims an attempt for the address: false (and nothing counted) when the address has used up its
    /// failures in the current window; true and the attempt counted as a failure otherwise, until
    /// [`LoginLimiter::refund`] says it succeeded. Without an address (no connection info) always true.
    pub fn claim(&self, address: Option<IpAddr>, now: Instant) -> bool {
        let Some(address) = address else { return true };
        let mut failures = match self.failures.lock() {
            Ok(failures) => failures,
            Err(poisoned) => poisoned.into_inner(),
        };
        if failures.len() > SWEEP_AT {
            let window = self.window;
            failures.retain(|_, (_, since)| now.duration_since(*since) < window);
        }
        let entry = failures.entry(address).or_insert((0, now));
        if now.duration_since(entry.1) >= self.window {
            *entry = (0, now);
        }
        if entry.0 >= self.max_failures {
            return false;
        }
        entry.0 += 1;
        true
    }

    /// Gives back the slot of an attempt that succeeded. The address's other failures stay counted.
    pub fn refund(&self, address: Option<IpAddr>) {
        let Some(address) = address else { return };
        let mut failures = match self.failures.lock() {
            Ok(failures) => failures,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(entry) = failures.get_mut(&address) {
            entry.0 = entry.0.saturating_sub(1);
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
            assert!(limiter.claim(address, start));
        }
        assert!(!limiter.claim(address, start));
        assert!(limiter.claim(other, start));
        assert!(limiter.claim(address, start + Duration::from_secs(61)));
    }

    #[test]
    fn a_success_gives_back_its_own_slot_only() {
        let limiter = LoginLimiter::new(3, 60);
        let address = Some(IpAddr::from([10, 0, 0, 1]));
        let start = Instant::now();
        assert!(limiter.claim(address, start));
        assert!(limiter.claim(address, start));
        // A valid login from the same address: its slot comes back, the two failures stay.
        assert!(limiter.claim(address, start));
        limiter.refund(address);
        assert!(limiter.claim(address, start));
        assert!(!limiter.claim(address, start), "two failures + one = three: throttled");
    }

    #[test]
    fn concurrent_claims_never_exceed_the_limit() {
        let limiter = std::sync::Arc::new(LoginLimiter::new(5, 60));
        let address = Some(IpAddr::from([10, 0, 0, 9]));
        let now = Instant::now();
        let granted: usize = (0..8)
            .map(|_| {
                let limiter = limiter.clone();
                std::thread::spawn(move || (0..50).filter(|_| limiter.claim(address, now)).count())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .sum();
        assert_eq!(granted, 5);
    }
}
