//! Background jobs, derived from stored state only, so a server that was down catches up on
//! start: recomputing the derived columns of tickets marked stale (after a plan or calendar
//! edit, or a migration that adds a derived column), SLA warnings and breaches (once per clock,
//! by the `sla_alerts` unique key), the waiting-for-customer reminder and "no response"
//! closing, closing unrated resolved tickets, and resuming tickets on hold at their `until`. Rows are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several instances
//! can run; SQLite is a single instance and serialises writers anyway.

use std::time::Duration;

use chrono::{DateTime, Utc};
use shared::sla::{ClockEventKind, ClockState};
use shared::ticket::{Action, Role};

use crate::db::entity::ticket;
use crate::db::jobs::{self as due, BATCH, Due, alert_once};
use crate::db::{self, ConnectionTrait, DatabaseConnection, DbErr, tickets as q};
use crate::outbox::{self, Composer, Notice};

/// What one run did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Tickets whose derived columns were recomputed because they were stale.
    pub recomputed: usize,
    pub alerts: usize,
    pub reminders: usize,
    pub closed_no_response: usize,
    pub closed_unrated: usize,
    /// Tickets on hold that resumed at their `until`.
    pub resumed: usize,
}

/// Runs the jobs every `interval` until the process ends.
pub async fn run(
    db: DatabaseConnection,
    composer: Composer,
    auto_close_days: i64,
    interval: Duration,
) {
    loop {
        match tick(&db, &composer, Utc::now(), auto_close_days).await {
            Ok(report) if report != Report::default() => tracing::info!(?report, "jobs ran"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "background jobs failed; retrying"),
        }
        crate::metrics::jobs_ran();
        tokio::time::sleep(interval).await;
    }
}

/// One run of every job at `now`.
///
/// # Errors
/// A database failure; what committed before it stays committed.
pub async fn tick(
    db: &DatabaseConnection,
    composer: &Composer,
    now: DateTime<Utc>,
    auto_close_days: i64,
) -> Result<Report, DbErr> {
    let mut report = Report::default();
    loop {
        let (done, recomputed) = recompute_stale(db, now).await?;
        report.recomputed += recomputed;
        if done {
            break;
        }
    }
    loop {
        let (done, alerts) = sla_alerts(db, composer, now).await?;
        report.alerts += alerts;
        if done {
            break;
        }
    }
    let (reminders, closed) = waiting_for_customer(db, composer, now).await?;
    report.reminders = reminders;
    report.closed_no_response = closed;
    report.closed_unrated = close_unrated(db, composer, now, auto_close_days).await?;
    report.resumed = resume_held(db, composer, now).await?;
    Ok(report)
}

/// Tickets whose clocks change state by `now`: record warnings and breaches once, notify the
/// assignee and the supervisors, refresh the derived columns. Returns (no more due, alerts).
async fn sla_alerts(
    db: &DatabaseConnection,
    composer: &Composer,
    now: DateTime<Utc>,
) -> Result<(bool, usize), DbErr> {
    let txn = crate::db::begin(db).await?;
    let claimed = due::claim(&txn, Due::Alerts(now)).await?;
    let done = (claimed.len() as u64) < BATCH;
    let supervisors = q::supervisors(&txn).await?;
    let mut alerts = 0;
    for row in claimed {
        let Some(clocks) = q::compute_clocks(&txn, &row, now).await? else {
            due::store_derived(&txn, row.id, None, None, now).await?;
            continue;
        };
        for clock in clocks.iter() {
            let kind = match clock.state {
                ClockState::AtRisk => "warning",
                ClockState::Breached if clock.active => "breach",
                _ => continue,
            };
            let Some(deadline) = clock.deadline else {
                continue;
            };
            let clock_name = serde_json::to_value(clock.kind)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default();
            if alert_once(&txn, row.id, &clock_name, kind, deadline, now).await? {
                alerts += 1;
                let event_id = q::insert_event(
                    &txn,
                    row.id,
                    &format!("sla_{kind}"),
                    None,
                    now,
                    true,
                    None,
                    serde_json::json!({ "sla_clock": clock_name, "deadline": deadline }),
                )
                .await?;
                let mut recipients = supervisors.clone();
                recipients.extend(row.assignee_id);
                recipients.sort_unstable();
                recipients.dedup();
                q::notify(
                    &txn,
                    &recipients,
                    row.id,
                    Some(event_id),
                    &format!("sla_{kind}"),
                    &format!("{}: {} {kind}", row.reference, clock_name.replace('_', " ")),
                    now,
                )
                .await?;
                outbox::mail_ticket(
                    &txn,
                    composer,
                    &row,
                    &recipients,
                    Notice::SlaAlert {
                        clock: &clock_name.replace('_', " "),
                        breached: kind == "breach",
                        deadline,
                    },
                    now,
                )
                .await?;
            }
        }
        // The derived columns change without a new version: they are not the caller's state.
        due::store_derived(&txn, row.id, None, Some(&clocks), now).await?;
    }
    txn.commit().await?;
    Ok((done, alerts))
}

/// Tickets whose derived columns are stale: recompute them from the event log and the plan
/// version the row names, one batch per transaction. Returns (no more stale, recomputed).
///
/// Alerts are left to [`sla_alerts`]: the fresh `next_check_at` brings a ticket whose clock
/// changed state under the new plan into its next batch.
pub async fn recompute_stale(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<(bool, usize), DbErr> {
    let txn = crate::db::begin(db).await?;
    let stale = due::claim(&txn, Due::Stale).await?;
    let done = (stale.len() as u64) < BATCH;
    let mut recomputed = 0;
    for row in stale {
        let clocks = q::compute_clocks(&txn, &row, now).await?;
        // Only a row still stale is written: an action that committed meanwhile has already
        // stored fresh columns under the ticket's version.
        due::store_derived(&txn, row.id, Some(row.version), clocks.as_ref(), now).await?;
        recomputed += 1;
    }
    txn.commit().await?;
    Ok((done, recomputed))
}

/// Waiting tickets: a reminder after 2 working days since the last agent request, closing as
/// "no response" after 3.
async fn waiting_for_customer(
    db: &DatabaseConnection,
    composer: &Composer,
    now: DateTime<Utc>,
) -> Result<(usize, usize), DbErr> {
    let txn = crate::db::begin(db).await?;
    let waiting = due::claim(&txn, Due::Waiting).await?;
    let (mut reminders, mut closed) = (0, 0);
    for row in waiting {
        let Some(asked) = due::last_request_info_at(&txn, row.id).await? else {
            continue;
        };
        let Some(classification) = q::classification_of(&row) else {
            continue;
        };
        let plan = q::plan_version(&txn, row.plan_version_id).await?;
        let calendar = plan.plan.calendar_for(&classification);
        if calendar.add_working_days(asked, 3) <= now {
            if close(&txn, composer, &row, now, "no_response").await? {
                closed += 1;
            }
        } else if calendar.add_working_days(asked, 2) <= now
            && alert_once(&txn, row.id, "waiting", "reminder", asked, now).await?
        {
            reminders += 1;
            let event_id = q::insert_event(
                &txn,
                row.id,
                "reminder",
                None,
                now,
                false,
                None,
                serde_json::json!({}),
            )
            .await?;
            q::notify(
                &txn,
                &[row.requester_id],
                row.id,
                Some(event_id),
                "reminder",
                &format!("{}: we are waiting for your answer", row.reference),
                now,
            )
            .await?;
            outbox::mail_ticket(
                &txn,
                composer,
                &row,
                &[row.requester_id],
                Notice::Reminder,
                now,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok((reminders, closed))
}

/// Resolved tickets nobody rated within `days` are closed.
async fn close_unrated(
    db: &DatabaseConnection,
    composer: &Composer,
    now: DateTime<Utc>,
    days: i64,
) -> Result<usize, DbErr> {
    let txn = crate::db::begin(db).await?;
    let before = now - chrono::Duration::days(days);
    let claimed = due::claim(&txn, Due::UnratedSince(before)).await?;
    let mut closed = 0;
    for row in claimed {
        if close(&txn, composer, &row, now, "unrated").await? {
            closed += 1;
        }
    }
    txn.commit().await?;
    Ok(closed)
}

/// Closes a ticket on behalf of the system, as `shared::ticket::transition` allows, and tells
/// its requester, assignee and the organisation's watchers.
async fn close(
    txn: &impl ConnectionTrait,
    composer: &Composer,
    row: &ticket::Model,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<bool, DbErr> {
    let notice = if reason == "no_response" {
        Notice::ClosedNoResponse
    } else {
        Notice::Update {
            kind: "close",
            comment: None,
        }
    };
    let change = q::TicketChange {
        closed_at: Some(Some(now)),
        close_reason: Some(Some(reason.to_owned())),
        ..Default::default()
    };
    act(
        txn,
        composer,
        row,
        now,
        SystemAction {
            action: Action::Close,
            kind: "close",
            clock: ClockEventKind::Closed,
            payload: serde_json::json!({ "reason": reason }),
            change,
            notification: (
                "closed",
                format!("{}: closed ({})", row.reference, reason.replace('_', " ")),
            ),
            notice,
        },
    )
    .await
}

/// Tickets on hold whose `until` has come: back into work.
async fn resume_held(
    db: &DatabaseConnection,
    composer: &Composer,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let txn = crate::db::begin(db).await?;
    let due = due::claim(&txn, Due::HoldEnded(now)).await?;
    let mut resumed = 0;
    for row in due {
        let action = SystemAction {
            action: Action::Resume,
            kind: "resume",
            clock: ClockEventKind::Resumed,
            payload: serde_json::json!({ "automatic": true }),
            change: q::TicketChange::default(),
            notification: ("resume", format!("{}: resume", row.reference)),
            notice: Notice::Update {
                kind: "resume",
                comment: None,
            },
        };
        if act(&txn, composer, &row, now, action).await? {
            resumed += 1;
        }
    }
    txn.commit().await?;
    Ok(resumed)
}

/// Puts a new ticket for scheduled off-hours work [004] on hold until its window starts, on
/// behalf of the system: the plan's `on_hold_pauses` clocks pause, the requester reads the
/// reason "scheduled work" with the time, and `resume_held` takes it back into work then.
/// Returns whether the hold was applied.
///
/// # Errors
/// A database failure.
pub(crate) async fn hold_for_scheduled_work(
    txn: &impl ConnectionTrait,
    composer: &Composer,
    row: &ticket::Model,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let reason = "scheduled work";
    let kind = shared::ticket::HoldKind::ScheduledWork;
    let change = q::TicketChange {
        hold: Some(shared::api::Hold {
            kind,
            reason: reason.to_owned(),
            until: Some(start),
        }),
        ..Default::default()
    };
    let action = SystemAction {
        action: Action::Hold,
        kind: "hold",
        clock: ClockEventKind::OnHold,
        payload: serde_json::json!({ "kind": kind, "reason": reason, "until": start, "automatic": true }),
        change,
        notification: (
            "hold",
            format!("{}: on hold (scheduled work)", row.reference),
        ),
        notice: Notice::OnHold {
            kind,
            reason,
            until: Some(start),
        },
    };
    act(txn, composer, row, now, action).await
}

/// What the system does to a ticket: the action, its event, what it changes on the row and
/// how everyone is told.
struct SystemAction<'a> {
    action: Action,
    kind: &'a str,
    clock: ClockEventKind,
    payload: serde_json::Value,
    change: q::TicketChange,
    /// The notification's kind and text.
    notification: (&'a str, String),
    notice: Notice<'a>,
}

/// Applies `action` to `row` on behalf of the system, as `shared::ticket::transition` allows,
/// with its event, audit entry, notifications and mail to the requester, assignee and the
/// organisation's watchers. Returns whether it was applied.
async fn act(
    txn: &impl ConnectionTrait,
    composer: &Composer,
    row: &ticket::Model,
    now: DateTime<Utc>,
    action: SystemAction<'_>,
) -> Result<bool, DbErr> {
    let status = q::status_of(row)?;
    let Ok(next) = shared::ticket::transition(status, action.action, Role::Admin) else {
        return Ok(false);
    };
    let event_id = q::insert_event(
        txn,
        row.id,
        action.kind,
        None,
        now,
        false,
        Some(action.clock),
        action.payload.clone(),
    )
    .await?;
    let mut current = row.clone();
    current.status = next.as_str().to_owned();
    let clocks = q::compute_clocks(txn, &current, now).await?;
    if !q::write_change(
        txn,
        row.id,
        row.version,
        next,
        action.change,
        clocks.as_ref(),
        now,
    )
    .await?
    {
        return Ok(false);
    }
    db::audit(
        txn,
        now,
        None,
        &format!("ticket.{}", action.kind),
        "ticket",
        &row.reference,
        action.payload,
    )
    .await?;
    let recipients = crate::tickets::recipients(txn, row, None, false, false).await?;
    let (kind, text) = &action.notification;
    q::notify(txn, &recipients, row.id, Some(event_id), kind, text, now).await?;
    outbox::mail_ticket(txn, composer, row, &recipients, action.notice, now).await?;
    Ok(true)
}
