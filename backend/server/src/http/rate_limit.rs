//! Per-address rate limits on the doors anyone can knock on: logging in, and posting and
//! reading public reports through Open311. An endpoint names its door (`Endpoint::limited`) and the router puts
//! this limit in front of its handler. A token bucket per (address, door); an empty bucket is
//! answered 429 with `Retry-After`, as an [`ApiError`] like every other refusal. The address is the client's
//! (`client_address.rs`). When the store
//! shares buckets between servers (PostgreSQL), they are kept there, so that several servers
//! behind a load balancer allow together what one would; otherwise, or if the store fails to
//! answer, they are counted in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::client_address::ClientAddress;
use super::{ApiError, AppState};
use crate::store::{RateToken, Store};

/// Requests a minute, per address, for each limited door.
pub const LOGIN_PER_MINUTE: f64 = 20.0;
pub const PUBLIC_POSTS_PER_MINUTE: f64 = 60.0;
pub const PUBLIC_READS_PER_MINUTE: f64 = 120.0;

/// A door with its own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Logging in, and changing one's password (it checks a password too).
    Login,
    /// Posting a public report through Open311.
    PublicReports,
    /// Reading public data through Open311 (no login).
    PublicReads,
}

impl Door {
    fn name(self) -> &'static str {
        match self {
            Door::Login => "login",
            Door::PublicReports => "open311",
            Door::PublicReads => "open311-read",
        }
    }

    pub fn per_minute(self) -> f64 {
        match self {
            Door::Login => LOGIN_PER_MINUTE,
            Door::PublicReports => PUBLIC_POSTS_PER_MINUTE,
            Door::PublicReads => PUBLIC_READS_PER_MINUTE,
        }
    }
}

/// Buckets kept before the idle ones are dropped.
const MAX_BUCKETS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets of all addresses.
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(IpAddr, &'static str), Bucket>>,
    shared: Option<Arc<dyn Store>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("shared", &self.shared.is_some())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// Buckets in `store` when it shares them, else in memory.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            buckets: Mutex::default(),
            shared: Some(store),
        }
    }

    /// Takes one token; the seconds to wait when there is none.
    async fn take(&self, ip: IpAddr, door: &'static str, per_minute: f64) -> Result<(), u64> {
        if let Some(store) = &self.shared {
            match store
                .take_rate_token(&format!("{door} {ip}"), per_minute)
                .await
            {
                Ok(Some(RateToken::Taken)) => return Ok(()),
                Ok(Some(RateToken::Empty(wait))) => return Err(wait),
                Ok(None) => {}
                Err(e) => tracing::warn!("shared rate limit unavailable, counting here: {e}"),
            }
        }
        self.take_here(ip, door, per_minute)
    }

    /// Takes one token from this server's own bucket.
    fn take_here(&self, ip: IpAddr, door: &'static str, per_minute: f64) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        if buckets.len() > MAX_BUCKETS {
            buckets.retain(|_, b| now.duration_since(b.last).as_secs() < 120);
        }
        let b = buckets.entry((ip, door)).or_insert(Bucket {
            tokens: per_minute,
            last: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * per_minute / 60.0)
            .min(per_minute);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) * 60.0 / per_minute).ceil() as u64)
        }
    }
}

/// The limit in front of one door's handler.
pub async fn limit(
    State((state, door)): State<(AppState, Door)>,
    request: Request,
    next: Next,
) -> Response {
    let ip = ClientAddress::of(&request);
    match state.limiter.take(ip, door.name(), door.per_minute()).await {
        Ok(()) => next.run(request).await,
        Err(retry_after) => ApiError::TooMany { retry_after }.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn buckets_empty_and_are_per_address() {
        let limiter = RateLimiter::default();
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        for _ in 0..5 {
            assert!(limiter.take_here(a, "login", 5.0).is_ok());
        }
        let wait = limiter.take_here(a, "login", 5.0).unwrap_err();
        assert!((1..=12).contains(&wait), "{wait}");
        assert!(limiter.take_here(b, "login", 5.0).is_ok());
        assert!(limiter.take_here(a, "open311", 5.0).is_ok());
    }
}
