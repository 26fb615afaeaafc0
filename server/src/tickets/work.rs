//! Scheduled off-hours work and paid work [004]. Scheduled work asks for a window at least two
//! working days ahead in the plan's calendar (the rule of `shared::ticket::scheduled`, which the
//! portal's form runs too) and waits on hold until the window starts. Paid work is accepted
//! only while the organisation's prepaid balance is positive, and the minutes staff record on
//! its replies and notes draw that balance down in the same transaction.

use chrono::{DateTime, Utc};
use shared::api::BalanceEntryKind;

use super::Draft;
use crate::auth::AuthUser;
use crate::db::entity::ticket;
use crate::db::{self, ConnectionTrait, tickets as q};
use crate::error::{Error, Result};
use crate::state::AppState;

/// The most minutes one reply or note may record: a whole day.
pub(crate) const MAX_MINUTES: u32 = 24 * 60;

/// Checks the window of scheduled work against the calendar of the plan the ticket will run
/// on, at `now`.
///
/// # Errors
/// 422 naming `scheduled_work.start` with the earliest start allowed, or `scheduled_work.end`.
pub(crate) fn check_scheduled(
    draft: &Draft,
    plan: &q::PlanVersion,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(window) = draft.scheduled_work else {
        return Ok(());
    };
    let calendar = plan.plan.calendar();
    shared::ticket::scheduled::check(&window, calendar, now)
        .map_err(|error| Error::field(error.field(), error.message(calendar)))
}

/// Checks that paid work is covered: the organisation's balance is positive.
///
/// # Errors
/// 422 naming `paid` when the balance is used up; a database failure.
pub(crate) async fn check_paid(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    draft: &Draft,
) -> Result<()> {
    if !draft.paid {
        return Ok(());
    }
    let left = db::balances::balance(db, organisation_id).await?;
    if left <= 0 {
        return Err(Error::field(
            "paid",
            format!(
                "your organisation's prepaid balance does not cover paid work ({left} min left)"
            ),
        ));
    }
    Ok(())
}

/// Puts a newly registered ticket for scheduled work on hold until its window starts; returns
/// the ticket as it is then (unchanged when it asks for no window).
///
/// # Errors
/// A database failure.
pub(crate) async fn hold_scheduled(
    state: &AppState,
    registered: ticket::Model,
    now: DateTime<Utc>,
) -> Result<ticket::Model> {
    let Some(start) = registered.scheduled_start else {
        return Ok(registered);
    };
    let txn = db::begin(&state.db).await?;
    crate::jobs::hold_for_scheduled_work(&txn, &state.composer, &registered, start, now).await?;
    let held = q::find_ticket(&txn, &registered.reference)
        .await?
        .ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(held)
}

/// Checks the minutes a message records: staff only, 1 to [`MAX_MINUTES`].
///
/// # Errors
/// 422 naming `minutes`.
pub(crate) fn check_minutes(user: &AuthUser, minutes: Option<u32>) -> Result<()> {
    match minutes {
        None => Ok(()),
        Some(_) if !user.is_staff() => Err(Error::field(
            "minutes",
            "only support staff record time spent",
        )),
        Some(minutes) if minutes == 0 || minutes > MAX_MINUTES => Err(Error::field(
            "minutes",
            format!("between 1 and {MAX_MINUTES} minutes"),
        )),
        Some(_) => Ok(()),
    }
}

/// Draws the minutes a staff message records on a paid ticket from its organisation's balance,
/// in the action's transaction. Time on other tickets is only recorded on the message.
///
/// # Errors
/// A database failure.
pub(crate) async fn draw_time(
    txn: &impl ConnectionTrait,
    user: &AuthUser,
    ticket: &ticket::Model,
    minutes: Option<u32>,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(minutes) = minutes.filter(|_| ticket.paid) else {
        return Ok(());
    };
    db::balances::insert(
        txn,
        db::balances::NewEntry {
            organisation_id: ticket.organisation_id,
            minutes: -i64::from(minutes),
            kind: BalanceEntryKind::Work,
            ticket_id: Some(ticket.id),
            actor_id: Some(user.id),
            comment: "",
            at: now,
        },
    )
    .await?;
    Ok(())
}
