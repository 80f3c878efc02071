//! Per-address rate limits on the doors anyone can knock on: logging in, and posting public
//! reports through Open311. A token bucket per (address, door); an empty bucket answers 429
//! with `Retry-After`. The address is the client's (`client_address.rs`). When the store
//! shares buckets between servers (PostgreSQL), they are kept there, so that several servers
//! behind a load balancer allow together what one would; otherwise, or if the store fails to
//! answer, they are counted in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::client_address::ClientAddress;
use crate::store::{RateToken, Store};

/// Requests a minute, per address, for each limited door.
pub const LOGIN_PER_MINUTE: f64 = 20.0;
pub const PUBLIC_POSTS_PER_MINUTE: f64 = 60.0;
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

fn door(method: &Method, path: &str) -> Option<(&'static str, f64)> {
    if method != Method::POST {
        return None;
    }
    // Changing one's password checks a password too: the same bucket as logging in.
    if path == "/api/v1/login" || path == "/api/v1/me/password" {
        Some(("login", LOGIN_PER_MINUTE))
    } else if path.starts_with("/open311/v2/requests") {
        Some(("open311", PUBLIC_POSTS_PER_MINUTE))
    } else {
        None
    }
}

pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((name, per_minute)) = door(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let ip = ClientAddress::of(&request);
    match state.limiter.take(ip, name, per_minute).await {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let body = json!({ "type": "about:blank", "title": "Too Many Requests", "status": 429, "detail": format!("too many requests from this address; try again in {wait} s") });
            (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::RETRY_AFTER, wait.to_string()),
                    (header::CONTENT_TYPE, "application/problem+json".to_owned()),
                ],
                body.to_string(),
            )
                .into_response()
        }
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
