//! Token-bucket rate limits per key (an address, a network), sharded so that concurrent
//! requests seldom meet on one lock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

const SHARDS: usize = 32;
/// A shard forgets its full buckets once it holds this many keys.
const SHARD_MAX: usize = 20_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct Limiter {
    burst: f64,
    per_sec: f64,
    shards: Vec<Mutex<HashMap<String, Bucket>>>,
}

impl Limiter {
    pub fn new(burst: u32, per_minute: u32) -> Limiter {
        Limiter {
            burst: f64::from(burst.max(1)),
            per_sec: f64::from(per_minute) / 60.0,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// Takes one token for `key`; Err(seconds to wait) when there is none.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        use std::hash::{BuildHasher, RandomState};
        static HASHER: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
        let h = HASHER.get_or_init(RandomState::new).hash_one(key) as usize;
        let mut shard = self.shards[h % SHARDS].lock().expect("limiter shard");
        let now = Instant::now();
        if shard.len() >= SHARD_MAX {
            let (burst, rate) = (self.burst, self.per_sec);
            shard.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let b = shard.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        b.tokens =
            (b.tokens + now.duration_since(b.at).as_secs_f64() * self.per_sec).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else if self.per_sec > 0.0 {
            Err(((1.0 - b.tokens) / self.per_sec).ceil() as u64)
        } else {
            Err(60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_per_key() {
        let l = Limiter::new(3, 1);
        for _ in 0..3 {
            assert!(l.take("a").is_ok());
        }
        let wait = l.take("a").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(l.take("b").is_ok(), "another key has its own bucket");
    }
}
