//! The clocks of a ticket as a pure function of its event history.
//!
//! Every clock is a budget of working time: the target turned into working time at the clock's
//! start (3 working hours, or the working time until the end of the same-or-next working day).
//! Running segments consume it, pauses do not; the deadline is the instant the budget runs out
//! if the clock keeps running. The whole computation works on integer nanoseconds and does not
//! allocate; each event's place in the calendar's working time is looked up once, so the working
//! time of a segment or a pause is a subtraction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Plan, ResolutionFrom, Target};
use crate::calendar::{Calendar, Position, from_nanos, to_nanos};
use crate::ticket::Classification;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// One event of a ticket's history, as the clocks read it. The server maps its richer events
/// to these (a public agent reply with request-info is `WaitingForCustomer`, and so on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockEvent {
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: ClockEventKind,
}

impl ClockEvent {
    /// An event of `kind` at `at`.
    pub fn new(at: DateTime<Utc>, kind: ClockEventKind) -> Self {
        Self { at, kind }
    }
}

/// What happened. JSON: `{"at": "…", "kind": "registered"}`, or for a reclassification
/// `{"at": "…", "kind": "reclassified", "classification": {"category": "A"}}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "classification", rename_all = "snake_case")]
pub enum ClockEventKind {
    /// The official registration time; starts first response (and resolution unless the plan
    /// counts from "reproduced").
    Registered,
    /// A public reply by staff: stops first response and the running next-response cycle.
    AgentPublicReply,
    /// The automatic acknowledgement mail: never a response.
    AutoAcknowledgement,
    /// A customer message: re-arms next response, and resumes resolution when waiting.
    CustomerMessage,
    /// Staff asked the customer for information (a public message): counts as a response and
    /// pauses resolution until the customer answers.
    WaitingForCustomer,
    /// The problem was reproduced: starts resolution where the plan says so.
    MarkedReproduced,
    /// Handed to L2: starts an escalation cycle (and resumes resolution if it was waiting).
    Escalated,
    /// L2 linked a known error: stops the escalation cycle.
    KnownErrorLinked,
    /// The customer accepted a new classification: targets are recomputed from each clock's start.
    Reclassified(Classification),
    /// Resolved: every clock stops; resolution's outcome stands unless the ticket is reopened.
    Resolved,
    /// Reopened: resolution resumes (the resolved time counts as paused) and the reopen comment
    /// arms next response.
    Reopened,
    /// Closed: every clock stops for good.
    Closed,
    /// Put on hold: the clocks the plan names (`on_hold_pauses`) pause.
    OnHold,
    /// Taken back from hold: the paused clocks run again (resolution too, if it was waiting).
    Resumed,
}

/// Which clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    NextResponse,
    Resolution,
    Escalation,
}

/// The state of a clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Waiting for its start event (resolution counted from "reproduced").
    Pending,
    Running,
    /// Not counting: waiting for the customer.
    Paused,
    /// Running past the warning threshold.
    AtRisk,
    /// Stopped at or before its deadline.
    Met,
    /// Past its deadline, running or stopped.
    Breached,
    /// No commitment.
    None,
}

/// One clock of a ticket. Times are working time of the calendar the classification runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clock {
    pub kind: ClockKind,
    pub target: Target,
    pub state: ClockState,
    /// Whether the clock is counting now (running, at risk, or breached and still running).
    pub active: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    /// When the budget runs out: for a running clock the live deadline, for a stopped one the
    /// deadline it had; `None` while paused (it depends on when work resumes) or without target.
    pub deadline: Option<DateTime<Utc>>,
    /// When the clock turns at risk, on the same terms as `deadline`.
    pub warn_at: Option<DateTime<Utc>>,
    /// The working time the target allows.
    pub budget_seconds: Option<i64>,
    /// Working time used (pauses excluded).
    pub elapsed_seconds: i64,
    /// Working time left; negative when overdue.
    pub remaining_seconds: Option<i64>,
    /// Working time that passed while the clock was paused (waiting, or resolved before a reopen).
    pub paused_seconds: i64,
    /// A special request's clock that runs on the plan's ordinary calendar and targets, because
    /// those gave the earlier deadline (a special request is never due later than the same
    /// ticket without the flag). [`Plan::calendar_of`] picks the calendar to read it with.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ordinary_calendar: bool,
}

impl Clock {
    /// The clock's deadline if it is counting now.
    pub fn running_deadline(&self) -> Option<DateTime<Utc>> {
        if self.active { self.deadline } else { None }
    }

    /// The same clock at a later instant `now`, when no event happened in between: what
    /// [`clocks`] would say at `now` (state, deadline, remaining working time; the elapsed time
    /// to the second; a clock without a target keeps its elapsed time). The browser's countdowns call this every second, so a ticket page needs
    /// the events only once. A clock that is not counting is returned as it is.
    ///
    /// `calendar` is the calendar the clock runs on ([`Plan::calendar_of`] the clock under the
    /// classification in force).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use shared::sla::{clocks, seed_plan, ClockEvent, ClockEventKind, ClockState, Plan};
    /// use shared::ticket::{Category, Classification};
    ///
    /// let plan = Plan::new(&seed_plan("standard").unwrap()).unwrap();
    /// let question = Classification::new(Category::D, None, false).unwrap();
    /// let registered = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap(); // Monday 11:00 Moscow
    /// let events = [ClockEvent::new(registered, ClockEventKind::Registered)];
    /// let first = clocks(&plan, &question, &events, registered).first_response;
    /// let later = registered + Duration::minutes(90);
    /// let calendar = plan.calendar_for(&question);
    /// assert_eq!(first.at(calendar, later), clocks(&plan, &question, &events, later).first_response);
    /// ```
    pub fn at(&self, calendar: &Calendar, now: DateTime<Utc>) -> Clock {
        let Some(deadline) = self.deadline.filter(|_| self.active) else {
            return *self;
        };
        let (now_nanos, deadline_nanos) = (to_nanos(now), to_nanos(deadline));
        let remaining = if now_nanos < deadline_nanos {
            calendar.working_between_nanos(now_nanos, deadline_nanos)
        } else {
            -calendar.working_between_nanos(deadline_nanos, now_nanos)
        };
        let remaining_seconds = remaining / NANOS_PER_SECOND;
        let state = if deadline <= now {
            ClockState::Breached
        } else if self.warn_at.is_some_and(|warn| warn <= now) {
            ClockState::AtRisk
        } else {
            ClockState::Running
        };
        Clock {
            state,
            elapsed_seconds: self
                .budget_seconds
                .map_or(self.elapsed_seconds, |budget| budget - remaining_seconds),
            remaining_seconds: Some(remaining_seconds),
            ..*self
        }
    }
}

/// Every clock of a ticket at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clocks {
    /// The classification in force (the last accepted reclassification, else the given one).
    pub classification: Classification,
    pub first_response: Clock,
    /// The current (or last) next-response cycle; `None` before the first one.
    pub next_response: Option<Clock>,
    pub resolution: Clock,
    /// The current (or last) escalation cycle; `None` if never escalated.
    pub escalation: Option<Clock>,
    pub reopen_count: u32,
    /// How many next-response cycles ran, and how many of the finished ones were breached.
    pub next_response_cycles: u32,
    pub next_response_breaches: u32,
}

impl Clocks {
    /// Every clock present.
    pub fn iter(&self) -> impl Iterator<Item = &Clock> {
        [
            Some(&self.first_response),
            self.next_response.as_ref(),
            Some(&self.resolution),
            self.escalation.as_ref(),
        ]
        .into_iter()
        .flatten()
    }

    /// The nearest deadline of a clock that is counting now (past deadlines included): the
    /// ticket's queue position.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.iter().filter_map(Clock::running_deadline).min()
    }

    /// Whether any clock is at risk.
    pub fn at_risk(&self) -> bool {
        self.iter().any(|clock| clock.state == ClockState::AtRisk)
    }

    /// Whether any clock is breached (running past its deadline or stopped after it).
    pub fn breached(&self) -> bool {
        self.iter().any(|clock| clock.state == ClockState::Breached)
    }

    /// The next instant after `now` at which a state changes (a warning or a breach), so a
    /// background job knows when to look again. Events (replies, pauses) change states too; the
    /// caller recomputes on each.
    pub fn next_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.iter()
            .filter(|clock| clock.active)
            .flat_map(|clock| [clock.warn_at, clock.deadline])
            .flatten()
            .filter(|&at| at > now)
            .min()
    }
}

/// The fixed inputs of one clock.
#[derive(Clone, Copy)]
struct Terms<'a> {
    calendar: &'a Calendar,
    target: Target,
    warn_at_percent: u8,
}

impl Terms<'_> {
    /// The working time between two positions.
    fn between(&self, from: Position, to: Position) -> i64 {
        self.calendar.working_between_positions(from, to)
    }
}

/// A clock being computed, in nanoseconds.
#[derive(Clone, Copy)]
struct Meter {
    target: Target,
    budget: Option<i64>,
    warn_budget: i64,
    started: Option<i64>,
    running_since: Option<Position>,
    paused_since: Option<Position>,
    stopped: Option<Position>,
    used: i64,
    paused: i64,
    /// The instant the budget ran out, once a segment crossed it.
    deadline: Option<i64>,
    warn_at: Option<i64>,
}

impl Meter {
    fn new(target: Target) -> Self {
        Self {
            target,
            budget: None,
            warn_budget: 0,
            started: None,
            running_since: None,
            paused_since: None,
            stopped: None,
            used: 0,
            paused: 0,
            deadline: None,
            warn_at: None,
        }
    }

    fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    fn start(&mut self, terms: &Terms<'_>, at: Position) {
        if self.started.is_some() {
            return;
        }
        let (calendar, t) = (terms.calendar, at.at);
        self.budget = match terms.target {
            Target::Working { minutes } => Some(i64::from(minutes) * 60 * NANOS_PER_SECOND),
            Target::SameOrNextWorkingDay { cutoff } => {
                Some(terms.between(at, calendar.same_or_next_working_day_position(t, cutoff)))
            }
            Target::WorkingDays { days } => {
                Some(terms.between(at, calendar.add_working_days_position(t, days)))
            }
            Target::None => None,
        };
        if let Some(budget) = self.budget {
            self.warn_budget = budget / 100 * i64::from(terms.warn_at_percent)
                + budget % 100 * i64::from(terms.warn_at_percent) / 100;
            if budget == 0 {
                self.deadline = Some(t);
                self.warn_at = Some(t);
            }
        }
        self.started = Some(t);
        self.running_since = Some(at);
    }

    /// Projects the deadline and warning of the running segment that started at `from`.
    fn project(&mut self, terms: &Terms<'_>, from: Position) {
        let Some(budget) = self.budget else { return };
        let from = from.at;
        if self.deadline.is_none() && self.used < budget {
            self.deadline = Some(terms.calendar.add_working_nanos(from, budget - self.used));
        }
        if self.warn_at.is_none() && self.used < self.warn_budget {
            self.warn_at = Some(
                terms
                    .calendar
                    .add_working_nanos(from, self.warn_budget - self.used),
            );
        }
    }

    /// Ends the running segment at `t`. Only a segment that crosses the warning or the budget
    /// needs a deadline search; the others cost a subtraction of positions.
    fn end_segment(&mut self, terms: &Terms<'_>, t: Position) {
        let Some(from) = self.running_since.take() else {
            return;
        };
        let after = self.used + terms.between(from, t);
        let from = from.at;
        if let Some(budget) = self.budget {
            if self.deadline.is_none() && self.used < budget && after >= budget {
                self.deadline = Some(terms.calendar.add_working_nanos(from, budget - self.used));
            }
            if self.warn_at.is_none() && self.used < self.warn_budget && after >= self.warn_budget {
                self.warn_at = Some(
                    terms
                        .calendar
                        .add_working_nanos(from, self.warn_budget - self.used),
                );
            }
        }
        self.used = after;
    }

    fn pause(&mut self, terms: &Terms<'_>, t: Position) {
        if self.is_running() {
            self.end_segment(terms, t);
            self.paused_since = Some(t);
        }
    }

    fn resume(&mut self, terms: &Terms<'_>, t: Position) {
        if let Some(since) = self.paused_since.take() {
            self.paused += terms.between(since, t);
            self.running_since = Some(t);
        }
    }

    /// Stops the clock; `reopen` may resume it later.
    fn stop(&mut self, terms: &Terms<'_>, t: Position) {
        if self.stopped.is_some() {
            return;
        }
        if self.is_running() {
            self.end_segment(terms, t);
        } else if let Some(since) = self.paused_since.take() {
            self.paused += terms.between(since, t);
        }
        self.stopped = Some(t);
    }

    fn reopen(&mut self, terms: &Terms<'_>, t: Position) {
        // `take` clears the stop whether or not the clock had started.
        if let Some(stopped) = self.stopped.take()
            && self.started.is_some()
        {
            self.paused += terms.between(stopped, t);
            self.running_since = Some(t);
        }
    }

    fn breached_at_stop(&self) -> bool {
        matches!((self.deadline, self.stopped), (Some(deadline), Some(stopped)) if deadline < stopped.at)
    }

    /// The clock at `now`. A meter is finished once: it keeps the deadline it projects.
    fn finish(&mut self, terms: &Terms<'_>, kind: ClockKind, now_position: Position) -> Clock {
        let now = now_position.at;
        let mut used = self.used;
        let mut paused = self.paused;
        if let Some(from) = self.running_since {
            self.project(terms, from);
            used += terms.between(from, now_position);
        }
        if let Some(since) = self.paused_since {
            paused += terms.between(since, now_position);
        }
        let active = self.running_since.is_some();
        let state = match (self.budget, self.started, self.stopped) {
            (_, None, Some(_)) if self.target.is_committed() => ClockState::Met,
            (_, None, _) if self.target.is_committed() => ClockState::Pending,
            (None, _, _) => ClockState::None,
            (Some(_), _, Some(_)) => {
                if self.breached_at_stop() {
                    ClockState::Breached
                } else {
                    ClockState::Met
                }
            }
            (Some(_), _, None) => {
                if self.deadline.is_some_and(|deadline| deadline <= now) {
                    ClockState::Breached
                } else if self.paused_since.is_some() {
                    ClockState::Paused
                } else if self.warn_at.is_some_and(|warn| warn <= now) {
                    ClockState::AtRisk
                } else {
                    ClockState::Running
                }
            }
        };
        // A stopped clock reports the deadline it had: where the budget would have run out had
        // the work gone on. Only reported clocks pay for it, never every finished cycle.
        let (deadline, warn_at) = match (self.stopped.map(|stopped| stopped.at), self.budget) {
            (Some(t), Some(budget)) => (
                self.deadline
                    .or_else(|| Some(terms.calendar.add_working_nanos(t, budget - self.used))),
                self.warn_at.or_else(|| {
                    Some(
                        terms
                            .calendar
                            .add_working_nanos(t, self.warn_budget - self.used),
                    )
                }),
            ),
            _ => (self.deadline, self.warn_at),
        };
        Clock {
            kind,
            target: self.target,
            state,
            active,
            started_at: self.started.map(from_nanos),
            stopped_at: self.stopped.map(|stopped| from_nanos(stopped.at)),
            deadline: deadline.map(from_nanos),
            warn_at: warn_at.map(from_nanos),
            budget_seconds: self.budget.map(|budget| budget / NANOS_PER_SECOND),
            elapsed_seconds: used / NANOS_PER_SECOND,
            remaining_seconds: self.budget.map(|budget| (budget - used) / NANOS_PER_SECOND),
            paused_seconds: paused / NANOS_PER_SECOND,
            ordinary_calendar: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Open,
    Waiting,
    OnHold,
    Resolved,
    Closed,
}

/// The clocks of a ticket at `now` (SPEC §4).
///
/// `events` are the ticket's history in chronological order; events after `now` are ignored.
/// The registration time is the `Registered` event (else the first event, else `now`). The
/// classification in force is the last `Reclassified` event's, else `classification`; targets
/// and the calendar (24x7 for special requests) follow it, counted from each clock's start.
///
/// A special request is never due later than the same ticket without the flag [000, 003, 004:
/// special requests go out of turn]: each of its clocks is computed both ways and the one with
/// the earlier deadline is kept (marked [`Clock::ordinary_calendar`] when it is the ordinary
/// one); a clock with a deadline wins over one without.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use shared::sla::{clocks, seed_plan, ClockEvent, ClockEventKind, ClockState, Plan};
/// use shared::ticket::{Category, Classification, Severity};
///
/// let plan = Plan::new(&seed_plan("standard").unwrap()).unwrap();
/// let defect = Classification::new(Category::C, Some(Severity::Serious), false).unwrap();
/// let registered = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap(); // Monday 11:00 Moscow
/// let events = [ClockEvent::new(registered, ClockEventKind::Registered)];
/// let now = Utc.with_ymd_and_hms(2025, 12, 1, 14, 30, 0).unwrap(); // 17:30, past 75% of 8 h
/// let clocks = clocks(&plan, &defect, &events, now);
/// // Registered before 12:00: the answer is due by the end of the same working day.
/// assert_eq!(clocks.first_response.deadline, Some(Utc.with_ymd_and_hms(2025, 12, 1, 16, 0, 0).unwrap()));
/// assert_eq!(clocks.first_response.state, ClockState::AtRisk);
/// assert_eq!(clocks.next_deadline(), clocks.first_response.deadline);
/// ```
pub fn clocks(
    plan: &Plan,
    classification: &Classification,
    events: &[ClockEvent],
    now: DateTime<Utc>,
) -> Clocks {
    let special = clocks_on(plan, classification, events, now, false);
    if !special.classification.special {
        return special;
    }
    let ordinary = clocks_on(plan, classification, events, now, true);
    Clocks {
        first_response: earlier(special.first_response, ordinary.first_response),
        next_response: match (special.next_response, ordinary.next_response) {
            (Some(special), Some(ordinary)) => Some(earlier(special, ordinary)),
            (special, _) => special,
        },
        resolution: earlier(special.resolution, ordinary.resolution),
        escalation: match (special.escalation, ordinary.escalation) {
            (Some(special), Some(ordinary)) => Some(earlier(special, ordinary)),
            (special, _) => special,
        },
        next_response_breaches: special
            .next_response_breaches
            .min(ordinary.next_response_breaches),
        ..special
    }
}

/// A special request's clock or, when its deadline is earlier, the same clock under ordinary
/// terms. A deadline wins over none; on a tie the special clock stays.
fn earlier(special: Clock, ordinary: Clock) -> Clock {
    let ordinary_first = match (special.deadline, ordinary.deadline) {
        (Some(special), Some(ordinary)) => ordinary < special,
        (None, Some(_)) => special.budget_seconds.is_none(),
        _ => false,
    };
    if ordinary_first {
        Clock {
            ordinary_calendar: true,
            ..ordinary
        }
    } else {
        special
    }
}

/// [`clocks`] under one set of terms: the classification in force, or with `ordinary` the same
/// without the special flag (the plan's ordinary calendar and rules).
fn clocks_on(
    plan: &Plan,
    classification: &Classification,
    events: &[ClockEvent],
    now: DateTime<Utc>,
    ordinary: bool,
) -> Clocks {
    let now_nanos = to_nanos(now);
    let current = events.iter().take_while(|e| e.at <= now);
    let mut in_force = *classification;
    for event in current.clone() {
        if let ClockEventKind::Reclassified(next) = event.kind {
            in_force = next;
        }
    }
    let terms_of = Classification {
        special: in_force.special && !ordinary,
        ..in_force
    };
    let targets = plan.targets_for(&terms_of);
    let calendar = plan.calendar_for(&terms_of);
    let warn_at_percent = plan.warn_at_percent();
    let terms = |target| Terms {
        calendar,
        target,
        warn_at_percent,
    };
    let (first_terms, next_terms) = (terms(targets.first_response), terms(targets.next_response));
    let (resolution_terms, escalation_terms) =
        (terms(targets.resolution), terms(targets.escalation));

    let registered = calendar.position(
        events
            .iter()
            .find(|e| e.kind == ClockEventKind::Registered)
            .or(events.first())
            .map_or(now_nanos, |e| to_nanos(e.at)),
    );
    let mut first = Meter::new(targets.first_response);
    first.start(&first_terms, registered);
    let mut resolution = Meter::new(targets.resolution);
    if targets.resolution_from == ResolutionFrom::Registered {
        resolution.start(&resolution_terms, registered);
    }
    let mut next: Option<Meter> = None;
    let mut escalation: Option<Meter> = None;
    let (mut reopen_count, mut next_cycles, mut next_breaches) = (0u32, 0u32, 0u32);
    let mut phase = Phase::Open;

    let stop_next = |next: &mut Option<Meter>, t: Position, breaches: &mut u32| {
        if let Some(meter) = next.as_mut().filter(|m| m.stopped.is_none()) {
            meter.stop(&next_terms, t);
            if meter.breached_at_stop() {
                *breaches += 1;
            }
        }
    };

    for event in current {
        let t = calendar.position(to_nanos(event.at));
        match event.kind {
            ClockEventKind::Registered
            | ClockEventKind::AutoAcknowledgement
            | ClockEventKind::Reclassified(_) => {}
            ClockEventKind::AgentPublicReply | ClockEventKind::WaitingForCustomer => {
                first.stop(&first_terms, t);
                stop_next(&mut next, t, &mut next_breaches);
                if event.kind == ClockEventKind::WaitingForCustomer && phase == Phase::Open {
                    resolution.pause(&resolution_terms, t);
                    phase = Phase::Waiting;
                }
            }
            ClockEventKind::CustomerMessage => {
                if phase == Phase::Waiting {
                    resolution.resume(&resolution_terms, t);
                    phase = Phase::Open;
                }
                let answering = next.as_ref().is_some_and(|m| m.stopped.is_none());
                if matches!(phase, Phase::Open | Phase::OnHold)
                    && first.stopped.is_some()
                    && !answering
                {
                    let meter = next.insert(Meter::new(targets.next_response));
                    meter.start(&next_terms, t);
                    if phase == Phase::OnHold && plan.pauses_on_hold(ClockKind::NextResponse) {
                        meter.pause(&next_terms, t);
                    }
                    next_cycles += 1;
                }
            }
            ClockEventKind::MarkedReproduced => {
                if resolution.started.is_none()
                    && resolution.stopped.is_none()
                    && phase != Phase::Closed
                {
                    resolution.start(&resolution_terms, t);
                    if phase == Phase::Waiting
                        || (phase == Phase::OnHold && plan.pauses_on_hold(ClockKind::Resolution))
                    {
                        resolution.pause(&resolution_terms, t);
                    }
                }
            }
            ClockEventKind::Escalated => {
                if matches!(phase, Phase::Open | Phase::Waiting) {
                    if phase == Phase::Waiting {
                        resolution.resume(&resolution_terms, t);
                        phase = Phase::Open;
                    }
                    escalation
                        .insert(Meter::new(targets.escalation))
                        .start(&escalation_terms, t);
                }
            }
            ClockEventKind::KnownErrorLinked => {
                if let Some(meter) = escalation.as_mut() {
                    meter.stop(&escalation_terms, t);
                }
            }
            ClockEventKind::OnHold => {
                if matches!(phase, Phase::Open | Phase::Waiting) {
                    let hold = |meter: &mut Meter, terms: &Terms<'_>, kind| {
                        if plan.pauses_on_hold(kind) {
                            meter.pause(terms, t);
                        }
                    };
                    hold(&mut first, &first_terms, ClockKind::FirstResponse);
                    hold(&mut resolution, &resolution_terms, ClockKind::Resolution);
                    if let Some(meter) = next.as_mut() {
                        hold(meter, &next_terms, ClockKind::NextResponse);
                    }
                    if let Some(meter) = escalation.as_mut() {
                        hold(meter, &escalation_terms, ClockKind::Escalation);
                    }
                    phase = Phase::OnHold;
                }
            }
            ClockEventKind::Resumed => {
                if phase == Phase::OnHold {
                    first.resume(&first_terms, t);
                    resolution.resume(&resolution_terms, t);
                    if let Some(meter) = next.as_mut() {
                        meter.resume(&next_terms, t);
                    }
                    if let Some(meter) = escalation.as_mut() {
                        meter.resume(&escalation_terms, t);
                    }
                    phase = Phase::Open;
                }
            }
            ClockEventKind::Resolved | ClockEventKind::Closed => {
                if matches!(phase, Phase::Open | Phase::Waiting | Phase::OnHold) {
                    first.stop(&first_terms, t);
                    stop_next(&mut next, t, &mut next_breaches);
                    resolution.stop(&resolution_terms, t);
                    if let Some(meter) = escalation.as_mut() {
                        meter.stop(&escalation_terms, t);
                    }
                }
                phase = if event.kind == ClockEventKind::Resolved && phase != Phase::Closed {
                    Phase::Resolved
                } else {
                    Phase::Closed
                };
            }
            ClockEventKind::Reopened => {
                if matches!(phase, Phase::Resolved | Phase::Closed) {
                    resolution.reopen(&resolution_terms, t);
                    reopen_count += 1;
                    phase = Phase::Open;
                    next.insert(Meter::new(targets.next_response))
                        .start(&next_terms, t);
                    next_cycles += 1;
                }
            }
        }
    }

    let now_position = calendar.position(now_nanos);
    Clocks {
        classification: in_force,
        first_response: first.finish(&first_terms, ClockKind::FirstResponse, now_position),
        next_response: next
            .as_mut()
            .map(|meter| meter.finish(&next_terms, ClockKind::NextResponse, now_position)),
        resolution: resolution.finish(&resolution_terms, ClockKind::Resolution, now_position),
        escalation: escalation
            .as_mut()
            .map(|meter| meter.finish(&escalation_terms, ClockKind::Escalation, now_position)),
        reopen_count,
        next_response_cycles: next_cycles,
        next_response_breaches: next_breaches,
    }
}
