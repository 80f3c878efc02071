//! The failed-login policy: failures are counted per username *and* client address, so that
//! nobody can lock a user out from elsewhere, and no answer tells an existing username from an
//! unknown one (both are counted alike, by the name tried).
//!
//! Three counts are kept for each attempt, each with its own [`Rule`]:
//! - the pair (this username from this address): after [`PAIR`]'s threshold, each further
//!   failure doubles a wait, up to a quarter of an hour;
//! - the address across every username (`username` empty): a budget against one address
//!   trying many accounts;
//! - the username from every address (`address` `*`): a budget against many addresses trying
//!   one account.
//!
//! An address the user has logged in from before (a known address) is never held back by the
//! address or account budgets — only by its own pair's wait, which nobody elsewhere can cause.
//! Failures are forgotten [`FORGET_AFTER`] the last one.

use chrono::{DateTime, Duration, Utc};

use crate::store::LoginThrottle;

/// When failures start to make a login wait, and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Failures in a row before the first wait.
    pub threshold: i64,
    /// The first wait; each failure after it doubles.
    pub first_wait_minutes: i64,
    /// The longest wait.
    pub longest_wait_minutes: i64,
}

/// One username from one address.
pub const PAIR: Rule = Rule {
    threshold: 5,
    first_wait_minutes: 1,
    longest_wait_minutes: 15,
};
/// One address, every username.
pub const ADDRESS: Rule = Rule {
    threshold: 30,
    first_wait_minutes: 5,
    longest_wait_minutes: 60,
};
/// One username, every address.
pub const ACCOUNT: Rule = Rule {
    threshold: 100,
    first_wait_minutes: 1,
    longest_wait_minutes: 15,
};

/// Failures are forgotten this long after the last one.
pub const FORGET_AFTER: Duration = Duration::hours(1);
/// A known address stays known this long after its last login.
pub const KNOWN_FOR: Duration = Duration::days(90);
/// The address of an account's row that counts every address.
pub const EVERY_ADDRESS: &str = "*";
/// The longest username kept in a key (no real username is longer).
const MAX_NAME_CHARS: usize = 64;

/// The name tried, as its throttles are keyed: trimmed, lower-case, at most 64 characters.
pub fn key_name(username: &str) -> String {
    username
        .trim()
        .chars()
        .take(MAX_NAME_CHARS)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A throttle with no failures yet.
pub fn fresh(username: &str, address: &str) -> LoginThrottle {
    LoginThrottle {
        username: username.to_owned(),
        address: address.to_owned(),
        failures: 0,
        last_failure: None,
        blocked_until: None,
        last_login: None,
    }
}

/// Until when this throttle holds a login back, if it does now.
pub fn blocked(t: &LoginThrottle, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    t.blocked_until.filter(|until| *until > now)
}

/// Counts a failure under `rule`.
pub fn fail(t: &mut LoginThrottle, rule: Rule, now: DateTime<Utc>) {
    if t.last_failure.is_some_and(|last| now - last > FORGET_AFTER) {
        t.failures = 0;
    }
    t.failures += 1;
    t.last_failure = Some(now);
    if t.failures >= rule.threshold {
        let doublings = u32::try_from((t.failures - rule.threshold).min(16)).unwrap_or(16);
        let minutes = (rule.first_wait_minutes << doublings).min(rule.longest_wait_minutes);
        t.blocked_until = Some(now + Duration::minutes(minutes));
    }
}

/// The right password came: the pair's failures are forgotten and its address is known.
pub fn succeed(t: &mut LoginThrottle, now: DateTime<Utc>) {
    t.failures = 0;
    t.blocked_until = None;
    t.last_login = Some(now);
}

/// Whether the user has logged in from this pair's address lately.
pub fn known(t: &LoginThrottle, now: DateTime<Utc>) -> bool {
    t.last_login.is_some_and(|at| now - at < KNOWN_FOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_at_the_threshold_double_and_stop_growing() {
        let now = Utc::now();
        let mut t = fresh("li.na", "10.0.0.1");
        let mut waits = Vec::new();
        for i in 0..10 {
            let at = now + Duration::seconds(i);
            fail(&mut t, PAIR, at);
            waits.push(blocked(&t, at).map(|u| (u - at).num_minutes()));
        }
        assert_eq!(
            waits,
            [
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(15),
                Some(15)
            ]
        );
        // An hour after the last failure, counting starts again.
        fail(&mut t, PAIR, now + Duration::hours(2));
        assert_eq!(t.failures, 1);
        succeed(&mut t, now + Duration::hours(2));
        assert!(known(&t, now + Duration::days(30)));
        assert!(!known(&t, now + Duration::days(100)));
    }

    #[test]
    fn names_are_keyed_alike_and_bounded() {
        assert_eq!(key_name("  Li.Na "), "li.na");
        assert_eq!(key_name(&"x".repeat(3_000_000)).len(), 64);
    }
}
