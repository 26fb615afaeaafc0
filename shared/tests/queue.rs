//! The queue order: special requests first, then the nearest deadline, then the oldest.

use chrono::{TimeZone, Utc};
use shared::queue::{QueueKey, sort_queue};

#[test]
fn queue_order() {
    let at = |h| Utc.with_ymd_and_hms(2025, 1, 1, h, 0, 0).unwrap();
    let mut queue = vec![
        QueueKey {
            special: false,
            deadline: None,
            registered_at: at(1),
            id: 1,
        },
        QueueKey {
            special: false,
            deadline: Some(at(10)),
            registered_at: at(5),
            id: 2,
        },
        QueueKey {
            special: false,
            deadline: Some(at(9)),
            registered_at: at(6),
            id: 3,
        },
        QueueKey {
            special: true,
            deadline: None,
            registered_at: at(7),
            id: 4,
        },
        QueueKey {
            special: true,
            deadline: Some(at(20)),
            registered_at: at(8),
            id: 5,
        },
        QueueKey {
            special: false,
            deadline: Some(at(9)),
            registered_at: at(2),
            id: 6,
        },
        QueueKey {
            special: false,
            deadline: None,
            registered_at: at(1),
            id: 0,
        },
    ];
    sort_queue(&mut queue);
    assert_eq!(
        queue.iter().map(|k| k.id).collect::<Vec<_>>(),
        [5, 4, 6, 3, 2, 0, 1]
    );
}
