//! Idle SSH connections kept for reuse, each dropped after a quiet spell.
//!
//! A connection is lent out exclusively for one command and given back afterwards, so
//! concurrent commands on one host open more connections instead of crowding one
//! (OpenSSH allows only ten sessions per connection).
use super::Target;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::time::Instant;

/// What a connection was made for: the same target and identity may reuse it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct PoolKey {
    addr: String,
    port: u16,
    user: String,
    pinned_key: Option<String>,
    /// SHA-256 of the private key, so the key itself is not copied around.
    identity: [u8; 32],
}

impl PoolKey {
    pub(super) fn of(target: &Target) -> Self {
        Self {
            addr: target.addr.clone(),
            port: target.port,
            user: target.user.clone(),
            pinned_key: target.pinned_key.clone(),
            identity: Sha256::digest(target.private_key.as_bytes()).into(),
        }
    }
}

pub(super) struct Pool<C> {
    state: Mutex<State<C>>,
    idle_timeout: Duration,
}

struct State<C> {
    idle: HashMap<PoolKey, Vec<Idle<C>>>,
    reaper_running: bool,
}

struct Idle<C> {
    conn: C,
    since: Instant,
}

impl<C: Send + 'static> Pool<C> {
    pub(super) fn new(idle_timeout: Duration) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State {
                idle: HashMap::new(),
                reaper_running: false,
            }),
            idle_timeout,
        })
    }

    /// The most recently used idle connection for `key` that `alive` accepts; the
    /// ones it rejects are dropped.
    pub(super) fn take(&self, key: &PoolKey, alive: impl Fn(&C) -> bool) -> Option<C> {
        let mut state = self.lock();
        let idle = state.idle.get_mut(key)?;
        while let Some(entry) = idle.pop() {
            if alive(&entry.conn) && entry.since.elapsed() < self.idle_timeout {
                return Some(entry.conn);
            }
        }
        None
    }

    /// Keeps `conn` for reuse until it has been idle for the pool's timeout.
    pub(super) fn put(self: &Arc<Self>, key: PoolKey, conn: C) {
        let mut state = self.lock();
        let since = Instant::now();
        state.idle.entry(key).or_default().push(Idle { conn, since });
        if !state.reaper_running {
            state.reaper_running = true;
            tokio::spawn(reap(Arc::downgrade(self)));
        }
    }

    /// Drops the connections idle for too long; returns when the next one expires.
    fn evict_expired(&self) -> Option<Instant> {
        let mut state = self.lock();
        let timeout = self.idle_timeout;
        state.idle.retain(|_, conns| {
            conns.retain(|c| c.since.elapsed() < timeout);
            !conns.is_empty()
        });
        let next = state.idle.values().flatten().map(|c| c.since + timeout).min();
        state.reaper_running = next.is_some();
        next
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<C>> {
        // The state stays consistent even if a holder panicked: every change is one step.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs while the pool holds connections, dropping each when it expires.
async fn reap<C: Send + 'static>(pool: Weak<Pool<C>>) {
    loop {
        let next = match pool.upgrade() {
            Some(pool) => pool.evict_expired(),
            None => return,
        };
        match next {
            Some(at) => tokio::time::sleep_until(at).await,
            None => return,
        }
    }
}

impl<C> Pool<C> {
    pub(super) fn idle_count(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.idle.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(addr: &str) -> PoolKey {
        PoolKey::of(&Target {
            host: addr.into(),
            addr: addr.into(),
            port: 22,
            user: "root".into(),
            pinned_key: None,
            private_key: String::from("key").into(),
        })
    }

    #[tokio::test]
    async fn ssh_pool_lends_the_latest_connection_for_the_same_key() {
        let pool = Pool::new(Duration::from_secs(60));
        pool.put(key("a"), 1);
        pool.put(key("a"), 2);
        assert_eq!(pool.take(&key("b"), |_| true), None);
        assert_eq!(pool.take(&key("a"), |_| true), Some(2));
        assert_eq!(pool.take(&key("a"), |_| false), None);
        assert_eq!(pool.idle_count(), 0);
    }

    #[tokio::test]
    async fn ssh_pool_drops_connections_after_the_idle_timeout() {
        let pool = Pool::new(Duration::from_millis(50));
        pool.put(key("a"), 1);
        assert_eq!(pool.idle_count(), 1);
        let deadline = Instant::now() + Duration::from_secs(5);
        while pool.idle_count() > 0 {
            assert!(Instant::now() < deadline, "the idle connection was never dropped");
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The reaper stopped with the pool empty; a new connection starts it again.
        pool.put(key("a"), 2);
        assert_eq!(pool.take(&key("a"), |_| true), Some(2));
    }
}
