//! Per-address limits: a token bucket for report submissions and a growing penalty for wrong staff
//! tokens. Both count by the TCP peer's address ([`ClientKey`]).
//!
//! Why by address, and what it means behind a reverse proxy: the peer is the proxy, so every client
//! shares one count. `X-Forwarded-For` is not read — anyone can send it, and trusting it needs a list of
//! trusted proxies this server does not have. A city behind a proxy limits per address in the proxy
//! (`docs/report-api.md`) and may turn the built-in report limit off (`--report-rate 0`).
//!
//! Memory is bounded: at most [`MAX_ADDRESSES`] addresses are tracked, entries that no longer matter (a
//! full bucket, a penalty long over) are dropped at most once a minute when new addresses arrive, and
//! when the table is still full, new addresses share one overflow entry.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// Addresses tracked per table.
pub const MAX_ADDRESSES: usize = 100_000;
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// What a limit counts against: an IPv4 address, or an IPv6 /64 (one subscriber usually holds a whole
/// /64, so single IPv6 addresses would be no limit at all). Requests without a peer address (in-process
/// tests) share one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// Where a full table sends new addresses.
    const OVERFLOW: ClientKey = ClientKey(IpAddr::V6(Ipv6Addr::UNSPECIFIED));

    pub fn of(ip: Option<IpAddr>) -> ClientKey {
        match ip {
            None => ClientKey(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            Some(IpAddr::V4(a)) => ClientKey(IpAddr::V4(a)),
            Some(IpAddr::V6(a)) => match a.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => ClientKey(IpAddr::V6(Ipv6Addr::from(a.to_bits() & !0u128 << 64))),
            },
        }
    }
}

/// The peer address that `serve` puts on every request.
impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientKey::of(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// A map from addresses that cannot grow without bound.
struct Table<V> {
    map: HashMap<ClientKey, V>,
    pruned: Instant,
}

impl<V> Table<V> {
    fn new() -> Table<V> {
        Table { map: HashMap::new(), pruned: Instant::now() }
    }

    /// The entry for `key`; `done` says which entries may be forgotten.
    fn entry(&mut self, key: ClientKey, now: Instant, done: impl Fn(&V) -> bool, new: impl FnOnce() -> V) -> &mut V {
        let mut key = key;
        if !self.map.contains_key(&key) {
            if self.map.len() >= MAX_ADDRESSES || now.duration_since(self.pruned) >= PRUNE_EVERY {
                self.map.retain(|_, v| !done(v));
                self.pruned = now;
            }
            if self.map.len() >= MAX_ADDRESSES {
                key = ClientKey::OVERFLOW;
            }
        }
        self.map.entry(key).or_insert_with(new)
    }
}

/// A token bucket: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_minute: u32,
    pub burst: u32,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Report submissions per address.
pub struct RateLimiter {
    rate: Rate,
    buckets: Mutex<Table<Bucket>>,
}

impl RateLimiter {
    pub fn new(rate: Rate) -> RateLimiter {
        RateLimiter { rate: Rate { per_minute: rate.per_minute.max(1), burst: rate.burst.max(1) }, buckets: Mutex::new(Table::new()) }
    }

    /// Takes one token; Err with the wait until the next one when the bucket is empty.
    pub fn take(&self, key: ClientKey, now: Instant) -> Result<(), Duration> {
        let per_sec = f64::from(self.rate.per_minute) / 60.0;
        let burst = f64::from(self.rate.burst);
        let refill = |b: &Bucket| (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_sec).min(burst);
        let mut table = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let b = table.entry(key, now, |b| refill(b) >= burst, || Bucket { tokens: burst, at: now });
        b.tokens = refill(b);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / per_sec))
        }
    }
}

/// Wrong staff tokens: after the n-th wrong token in a row from an address, every staff request from
/// it is refused for `base · 2^(n−1)` (at most [`PENALTY_MAX`]); a right token afterwards clears it.
pub struct Penalty {
    base: Duration,
    strikes: Mutex<Table<Strikes>>,
}

/// The longest refusal after wrong tokens.
pub const PENALTY_MAX: Duration = Duration::from_secs(600);
/// A run of wrong tokens is forgotten this long after its refusal ended.
const FORGET_AFTER: Duration = Duration::from_secs(3600);

struct Strikes {
    failures: u32,
    until: Instant,
}

impl Penalty {
    /// `base` zero: no penalty.
    pub fn new(base: Duration) -> Penalty {
        Penalty { base, strikes: Mutex::new(Table::new()) }
    }

    /// Err with the time left while `key` is being refused.
    pub fn check(&self, key: ClientKey, now: Instant) -> Result<(), Duration> {
        let table = self.strikes.lock().unwrap_or_else(|p| p.into_inner());
        // A full table put new addresses on the overflow entry (`Table::entry`).
        let overflowing = table.map.len() >= MAX_ADDRESSES;
        let strikes = table.map.get(&key).or_else(|| if overflowing { table.map.get(&ClientKey::OVERFLOW) } else { None });
        match strikes {
            Some(s) if s.until > now => Err(s.until - now),
            _ => Ok(()),
        }
    }

    /// Records a wrong token; the refusal it earns.
    pub fn fail(&self, key: ClientKey, now: Instant) -> Duration {
        if self.base.is_zero() {
            return Duration::ZERO;
        }
        let mut table = self.strikes.lock().unwrap_or_else(|p| p.into_inner());
        let s = table.entry(key, now, |s| now > s.until + FORGET_AFTER, || Strikes { failures: 0, until: now });
        if now > s.until + FORGET_AFTER {
            s.failures = 0;
        }
        s.failures = s.failures.saturating_add(1);
        let wait = self.base.saturating_mul(1 << (s.failures - 1).min(16)).min(PENALTY_MAX);
        s.until = now + wait;
        wait
    }

    /// A right token: the address starts afresh.
    pub fn succeed(&self, key: ClientKey) {
        self.strikes.lock().unwrap_or_else(|p| p.into_inner()).map.remove(&key);
    }
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn keys_group_an_ipv6_subscriber() {
        assert_eq!(ClientKey::of(ip("2001:db8:1:2:aaaa::1")), ClientKey::of(ip("2001:db8:1:2:bbbb::2")));
        assert_ne!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:3::1")));
        assert_eq!(ClientKey::of(ip("::ffff:10.0.0.1")), ClientKey::of(ip("10.0.0.1")));
        assert_ne!(ClientKey::of(ip("10.0.0.1")), ClientKey::of(ip("10.0.0.2")));
    }

    #[test]
    fn a_bucket_allows_the_burst_then_the_rate() {
        let l = RateLimiter::new(Rate { per_minute: 60, burst: 3 });
        let (a, b) = (ClientKey::of(ip("10.0.0.1")), ClientKey::of(ip("10.0.0.2")));
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.take(a, t).is_ok());
        }
        let wait = l.take(a, t).unwrap_err();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::from_millis(900), "{wait:?}");
        assert!(l.take(b, t).is_ok(), "another address has its own bucket");
        assert!(l.take(a, t + Duration::from_millis(1100)).is_ok(), "one token a second");
        assert!(l.take(a, t + Duration::from_millis(1200)).is_err());
    }

    #[test]
    fn the_table_stays_bounded() {
        let l = RateLimiter::new(Rate { per_minute: 1, burst: 1 });
        let t = Instant::now();
        for i in 0..(MAX_ADDRESSES as u32 + 10) {
            let _ = l.take(ClientKey::of(Some(IpAddr::V4(Ipv4Addr::from(i)))), t);
        }
        let table = l.buckets.lock().unwrap();
        assert!(table.map.len() <= MAX_ADDRESSES + 1, "{}", table.map.len());
        drop(table);
        // Once buckets are full again they are dropped to make room.
        let later = t + Duration::from_secs(120);
        let _ = l.take(ClientKey::of(ip("192.0.2.1")), later);
        assert!(l.buckets.lock().unwrap().map.len() < 10);
    }

    #[test]
    fn penalties_double_and_clear() {
        let p = Penalty::new(Duration::from_secs(1));
        let k = ClientKey::of(ip("10.0.0.1"));
        let t = Instant::now();
        assert!(p.check(k, t).is_ok());
        assert_eq!(p.fail(k, t), Duration::from_secs(1));
        assert!(p.check(k, t).is_err());
        assert!(p.check(ClientKey::of(ip("10.0.0.9")), t).is_ok());
        let t2 = t + Duration::from_secs(1);
        assert!(p.check(k, t2).is_ok());
        assert_eq!(p.fail(k, t2), Duration::from_secs(2));
        assert_eq!(p.fail(k, t2), Duration::from_secs(4));
        for _ in 0..30 {
            p.fail(k, t2);
        }
        assert_eq!(p.check(k, t2).unwrap_err(), PENALTY_MAX);
        p.succeed(k);
        assert!(p.check(k, t2).is_ok());
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
    }
}
