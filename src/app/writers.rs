//! One writer at a time per aggregate within this process. Optimistic concurrency keeps the log
//! right whatever happens, but commands racing for one aggregate (a login flood on one account)
//! would spend their bounded retries against each other and some would end in 409: here they
//! queue instead, and only writers on other replicas can still meet a conflict (then retried).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// Entries beyond this many trigger a sweep of locks nobody holds or waits for.
const SWEEP_ABOVE: usize = 1024;

/// Aggregate type and id.
type Key = (&'static str, String);

/// A lock per aggregate (type and id), created on demand and dropped when unused.
#[derive(Debug, Default)]
pub struct WriterLocks {
    locks: Mutex<HashMap<Key, Weak<AsyncMutex<()>>>>,
}

impl WriterLocks {
    /// Waits for the aggregate's lock; it is held until the guard drops.
    pub async fn lock(&self, aggregate_type: &'static str, id: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = (aggregate_type, id.to_owned());
            if let Some(lock) = locks.get(&key).and_then(Weak::upgrade) {
                lock
            } else {
                if locks.len() >= SWEEP_ABOVE {
                    locks.retain(|_, weak| weak.strong_count() > 0);
                }
                let lock = Arc::new(AsyncMutex::new(()));
                locks.insert(key, Arc::downgrade(&lock));
                lock
            }
        };
        lock.lock_owned().await
    }

    /// Locks several aggregates of one type, in a fixed order so two callers cannot deadlock.
    pub async fn lock_all(&self, aggregate_type: &'static str, ids: &[&str]) -> Vec<OwnedMutexGuard<()>> {
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut guards = Vec::with_capacity(sorted.len());
        for id in sorted {
            guards.push(self.lock(aggregate_type, id).await);
        }
        guards
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn writers_of_one_aggregate_take_turns_and_others_do_not_wait() {
        let locks = Arc::new(WriterLocks::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (locks, inside) = (locks.clone(), inside.clone());
            tasks.push(tokio::spawn(async move {
                let _guard = locks.lock("User", "a").await;
                assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two writers inside at once");
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        let held = locks.lock("User", "a").await;
        // Another aggregate (or the same id of another type) is not blocked by it.
        let _other = tokio::time::timeout(std::time::Duration::from_secs(1), locks.lock("User", "b")).await.expect("not blocked");
        let _other_type = tokio::time::timeout(std::time::Duration::from_secs(1), locks.lock("Application", "a")).await.expect("not blocked");
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        // Unused locks are swept once the table grows.
        for i in 0..=SWEEP_ABOVE {
            drop(locks.lock("User", &i.to_string()).await);
        }
        assert!(locks.locks.lock().unwrap().len() <= SWEEP_ABOVE);
    }
}
