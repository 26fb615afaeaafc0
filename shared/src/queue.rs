//! The order agents take tickets in: special requests first, then the nearest running
//! deadline, then registration order (FIFO) [000, 003].
//!
//! This module only compares; the server stores the key's fields as derived columns so the
//! database can sort with an index in the same order.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the queue sorts a ticket by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueKey {
    /// A special request ("спецобращение"), worked out of turn.
    pub special: bool,
    /// The nearest deadline of a running clock (`Clocks::next_deadline`); `None` sorts last.
    pub deadline: Option<DateTime<Utc>>,
    /// The official registration time.
    pub registered_at: DateTime<Utc>,
    /// The ticket id, the final tie-breaker.
    pub id: i64,
}

impl Ord for QueueKey {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .special
            .cmp(&self.special)
            .then_with(|| match (self.deadline, other.deadline) {
                (Some(a), Some(b)) => a.cmp(&b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| self.registered_at.cmp(&other.registered_at))
            .then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for QueueKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts a queue into the order agents take tickets in.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use shared::queue::{sort_queue, QueueKey};
///
/// let at = |h| Utc.with_ymd_and_hms(2025, 1, 1, h, 0, 0).unwrap();
/// let mut queue = [
///     QueueKey { special: false, deadline: None, registered_at: at(1), id: 1 },
///     QueueKey { special: false, deadline: Some(at(9)), registered_at: at(2), id: 2 },
///     QueueKey { special: true, deadline: Some(at(12)), registered_at: at(3), id: 3 },
/// ];
/// sort_queue(&mut queue);
/// assert_eq!(queue.map(|key| key.id), [3, 2, 1]);
/// ```
pub fn sort_queue(queue: &mut [QueueKey]) {
    queue.sort_unstable();
}
