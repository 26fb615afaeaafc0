//! Who is signed in and what service an organisation has, remembered between requests.
//!
//! Every authenticated request needs its user, and every new ticket its organisation's plan in
//! force and the people it is announced to. These change only by an administrator's or the
//! user's own edit, so they are kept in memory and read again only when they may have changed:
//!
//! - after any write request under `/api/admin/` or to `/api/me` on this instance (the
//!   middleware in `lib.rs` calls [`Directory::forget`] once the request's transaction has
//!   committed);
//! - on PostgreSQL, when another instance says so on channel `rg_directory`;
//! - otherwise after [`TTL`] at the latest, which bounds what a process that cannot notify (a
//!   command-line tool, a direct edit of the database) leaves stale.
//!
//! A read that began before a [`Directory::forget`] is not remembered, so a value read just
//! before an edit committed never outlives the edit.

use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use moka::sync::Cache;

use crate::auth::AuthUser;
use crate::db::entity::user;
use crate::tickets::Service;

/// The longest a remembered value is used without being read again.
pub const TTL: Duration = Duration::from_secs(5);
/// The most values of one kind remembered at once.
const CAPACITY: u64 = 100_000;

/// Values of one kind, each read once and then remembered until forgotten or [`TTL`] old.
pub struct Remembered<K, V> {
    cache: Cache<K, V>,
    generation: Arc<AtomicU64>,
}

impl<K, V> Remembered<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn new(generation: Arc<AtomicU64>) -> Self {
        Remembered {
            cache: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TTL)
                .build(),
            generation,
        }
    }

    /// The value for `key`: remembered, or read with `read` (a failed read is not remembered).
    ///
    /// # Errors
    /// The error of `read`.
    pub async fn get_or_read<E>(
        &self,
        key: K,
        read: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if let Some(value) = self.cache.get(&key) {
            return Ok(value);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let value = read.await?;
        if self.generation.load(Ordering::Acquire) == generation {
            self.cache.insert(key, value.clone());
        }
        Ok(value)
    }

    fn forget(&self) {
        self.cache.invalidate_all();
    }
}

/// The remembered reads of one instance; see the module documentation.
pub struct Directory {
    generation: Arc<AtomicU64>,
    /// Active users by id (an inactive or unknown one is read every time).
    pub(crate) users: Remembered<i64, AuthUser>,
    /// The service of an organisation on a contract day.
    pub(crate) services: Remembered<(i64, NaiveDate), Service>,
    /// Who hears of a new ticket, by organisation and requester.
    pub(crate) audiences: Remembered<(i64, i64), Arc<Vec<user::Model>>>,
    /// Whether every member of staff must have a second factor (the admin setting).
    pub(crate) require_staff_totp: Remembered<(), bool>,
}

impl Default for Directory {
    fn default() -> Self {
        let generation = Arc::new(AtomicU64::new(0));
        Directory {
            users: Remembered::new(generation.clone()),
            services: Remembered::new(generation.clone()),
            audiences: Remembered::new(generation.clone()),
            require_staff_totp: Remembered::new(generation.clone()),
            generation,
        }
    }
}

impl Directory {
    /// Forgets everything: users, organisations, contracts, plans or watchers may have changed.
    pub fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.users.forget();
        self.services.forget();
        self.audiences.forget();
        self.require_staff_totp.forget();
    }

    /// Whether a write request to `path` (with or without the `/api` prefix) may change what
    /// is remembered here.
    #[must_use]
    pub fn changed_by(path: &str) -> bool {
        let path = path.strip_prefix("/api").unwrap_or(path);
        path.starts_with("/admin/") || path == "/me" || path.starts_with("/me/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_read_once_until_forgotten() {
        let directory = Directory::default();
        let reads = AtomicU64::new(0);
        let read = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Arc::new(Vec::new()))
        };
        directory.audiences.get_or_read((1, 2), read()).await.ok();
        directory.audiences.get_or_read((1, 2), read()).await.ok();
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        directory.forget();
        directory.audiences.get_or_read((1, 2), read()).await.ok();
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_read_overtaken_by_a_change_is_not_remembered() {
        let directory = Directory::default();
        let stale = directory
            .audiences
            .get_or_read((1, 2), async {
                // The edit commits while this read is under way.
                directory.forget();
                Ok::<_, ()>(Arc::new(Vec::new()))
            })
            .await;
        assert!(stale.is_ok());
        let reads = AtomicU64::new(0);
        directory
            .audiences
            .get_or_read((1, 2), async {
                reads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(Arc::new(Vec::new()))
            })
            .await
            .ok();
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "read again after the change"
        );
    }

    #[tokio::test]
    async fn a_failed_read_is_not_remembered() {
        let directory = Directory::default();
        let failed = directory
            .audiences
            .get_or_read((1, 2), async { Err::<Arc<Vec<user::Model>>, _>("down") })
            .await;
        assert_eq!(failed.err(), Some("down"));
        let again = directory
            .audiences
            .get_or_read((1, 2), async { Ok::<_, &str>(Arc::new(Vec::new())) })
            .await;
        assert!(again.is_ok());
    }

    #[test]
    fn administration_and_profile_writes_change_the_directory() {
        assert!(Directory::changed_by("/api/admin/users/3/deactivate"));
        assert!(Directory::changed_by("/admin/contracts"));
        assert!(Directory::changed_by("/me"));
        assert!(Directory::changed_by("/api/me"));
        assert!(!Directory::changed_by("/api/tickets"));
        assert!(!Directory::changed_by("/api/media"));
        assert!(!Directory::changed_by("/api/notifications/read-all"));
    }
}
