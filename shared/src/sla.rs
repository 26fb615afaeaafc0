//! SLA plans, targets and the clocks of a ticket (SPEC §4).
//!
//! A [`PlanSpec`] is the JSON admins edit and the server stores per plan version; [`Plan::new`]
//! validates it and builds its calendars once. [`clocks`] is a pure function of the plan, the
//! classification, the ticket's event history and "now": the browser calls it every second for
//! its countdowns and the server calls it in every action to store the derived columns.
//!
//! This module must not read the clock or do I/O.

mod clock;
mod templates;

use std::fmt;

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

use crate::calendar::text::{HourMinute, parse_time};
use crate::calendar::{
    Calendar, CalendarError, CalendarSpec, WeekSpec, json_error_field, seed_calendar,
};
use crate::ticket::{Category, Classification, Severity};

pub use clock::{Clock, ClockEvent, ClockEventKind, ClockKind, ClockState, Clocks, clocks};
pub use templates::{PlanTemplate, plan_template, plan_templates};

/// What a clock promises.
///
/// JSON: `{"kind": "working", "minutes": 180}`, `{"kind": "same_or_next_working_day",
/// "cutoff": "12:00"}`, `{"kind": "working_days", "days": 60}` or `{"kind": "none"}`.
///
/// It is read through `TargetJson`, a plain struct, rather than as an internally tagged enum:
/// serde reads those by buffering the whole object first, machinery that the browser bundle
/// would carry for this one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "TargetJson")]
pub enum Target {
    /// An amount of working time (R1).
    Working { minutes: u32 },
    /// The end of the same working day if registered before the cut-off, else of the next (R3).
    SameOrNextWorkingDay {
        #[serde(serialize_with = "serialize_hhmm")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:00"))]
        cutoff: NaiveTime,
    },
    /// The end of the working day `days` working days later (R4).
    WorkingDays { days: u32 },
    /// No commitment: the clock is only recorded.
    None,
}

fn serialize_hhmm<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&HourMinute(*time))
}

/// A [`Target`] as JSON has it: the kind and whichever of its fields are there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetJson {
    kind: TargetKind,
    minutes: Option<u32>,
    cutoff: Option<String>,
    days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TargetKind {
    Working,
    SameOrNextWorkingDay,
    WorkingDays,
    None,
}

impl TryFrom<TargetJson> for Target {
    type Error = String;

    /// The target of a kind, with the messages serde gives for a missing or unknown field.
    /// `none` ignores other fields, as it always has.
    fn try_from(json: TargetJson) -> Result<Self, Self::Error> {
        let TargetJson {
            kind,
            minutes,
            cutoff,
            days,
        } = json;
        let present = [
            ("minutes", minutes.is_some()),
            ("cutoff", cutoff.is_some()),
            ("days", days.is_some()),
        ];
        let only = |wanted: &str| match present.iter().find(|(name, is)| *is && *name != wanted) {
            Some((name, _)) => Err(format!("unknown field `{name}`, expected `{wanted}`")),
            None => Ok(()),
        };
        let missing = |name: &str| format!("missing field `{name}`");
        match kind {
            TargetKind::Working => {
                only("minutes")?;
                let minutes = minutes.ok_or_else(|| missing("minutes"))?;
                Ok(Target::Working { minutes })
            }
            TargetKind::SameOrNextWorkingDay => {
                only("cutoff")?;
                let text = cutoff.ok_or_else(|| missing("cutoff"))?;
                let cutoff =
                    parse_time(&text).map_err(|_| format!("`{text}` is not a time like 12:00"))?;
                Ok(Target::SameOrNextWorkingDay { cutoff })
            }
            TargetKind::WorkingDays => {
                only("days")?;
                let days = days.ok_or_else(|| missing("days"))?;
                Ok(Target::WorkingDays { days })
            }
            TargetKind::None => Ok(Target::None),
        }
    }
}

impl Target {
    /// `n` working hours.
    pub fn hours(n: u32) -> Self {
        Self::Working { minutes: n * 60 }
    }

    /// The same-or-next working day with a cut-off at `hour:00`.
    pub fn same_or_next_day(hour: u32) -> Self {
        Self::SameOrNextWorkingDay {
            cutoff: NaiveTime::from_hms_opt(hour, 0, 0).expect("an hour of the day"),
        }
    }

    /// Whether there is a commitment.
    pub fn is_committed(&self) -> bool {
        *self != Self::None
    }

    /// The deadline for a clock started at `start`, or `None` without commitment.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use shared::calendar::Calendar;
    /// use shared::sla::Target;
    ///
    /// let start = Utc.with_ymd_and_hms(2025, 3, 3, 10, 0, 0).unwrap();
    /// assert_eq!(Target::hours(3).deadline(&Calendar::always_open(), start), Some(Utc.with_ymd_and_hms(2025, 3, 3, 13, 0, 0).unwrap()));
    /// ```
    pub fn deadline(&self, calendar: &Calendar, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match *self {
            Self::Working { minutes } => {
                Some(calendar.add_working(start, chrono::Duration::minutes(i64::from(minutes))))
            }
            Self::SameOrNextWorkingDay { cutoff } => {
                Some(calendar.same_or_next_working_day(start, cutoff))
            }
            Self::WorkingDays { days } => Some(calendar.add_working_days(start, days)),
            Self::None => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Working { minutes } if minutes % 60 == 0 => {
                write!(f, "{} working h", minutes / 60)
            }
            Self::Working { minutes } => write!(f, "{minutes} working min"),
            Self::SameOrNextWorkingDay { cutoff } => write!(
                f,
                "same or next working day (cut-off {})",
                HourMinute(cutoff)
            ),
            Self::WorkingDays { days } => write!(f, "{days} working days"),
            Self::None => f.write_str("no commitment"),
        }
    }
}

/// Where the resolution clock starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResolutionFrom {
    /// The official registration time.
    #[default]
    Registered,
    /// The moment an agent marks the problem reproduced [001].
    Reproduced,
}

/// One rule of a plan: a (partial) classification and its targets. A missing field matches
/// anything; rules are matched from the most specific (category + severity + special) to the
/// least, in listed order among equally specific ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<bool>,
    pub first_response: Target,
    pub resolution: Target,
    /// Where this rule's resolution clock starts [001: B from registration, C from
    /// reproduction]; the plan's `resolution_from` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_from: Option<ResolutionFrom>,
    /// Advice only, not standard support: recommendations and consultations within the targets,
    /// no commitment to solve [001: categories A and D].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advice_only: bool,
}

impl RuleSpec {
    fn specificity(&self) -> u8 {
        u8::from(self.category.is_some())
            + u8::from(self.severity.is_some())
            + u8::from(self.special.is_some())
    }

    fn matches(&self, classification: &Classification) -> bool {
        self.category.is_none_or(|c| c == classification.category)
            && self
                .severity
                .is_none_or(|s| Some(s) == classification.severity)
            && self.special.is_none_or(|s| s == classification.special)
    }
}

fn default_warn_at_percent() -> u8 {
    75
}

fn default_escalation() -> Target {
    Target::hours(3)
}

/// An SLA plan as admins edit it; see the module docs of [`crate::sla`].
///
/// ```json
/// { "name": "Standard",
///   "calendar": {"timezone": "Europe/Moscow", "week": {"mon": ["10:00-19:00"], "...": []}, "holidays": "ru"},
///   "special_calendar": {"always_open": true},
///   "rules": [
///     {"category": "B", "first_response": {"kind": "same_or_next_working_day", "cutoff": "12:00"},
///      "resolution": {"kind": "working_days", "days": 60}},
///     {"category": "E", "first_response": {"kind": "none"}, "resolution": {"kind": "none"}}],
///   "warn_at_percent": 75, "resolution_from": "reproduced",
///   "escalation": {"kind": "working", "minutes": 180} }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    pub name: String,
    /// The calendar of ordinary requests.
    #[serde(deserialize_with = "crate::json::object_only")]
    pub calendar: CalendarSpec,
    /// The calendar of special requests: 24x7 unless stated.
    #[serde(
        default = "CalendarSpec::always_open",
        deserialize_with = "crate::json::object_only"
    )]
    pub special_calendar: CalendarSpec,
    pub rules: Vec<RuleSpec>,
    /// The share of a target after which a running clock is at risk.
    #[serde(default = "default_warn_at_percent")]
    pub warn_at_percent: u8,
    #[serde(default)]
    pub resolution_from: ResolutionFrom,
    /// L2's answer to an escalation (a known-error link) [002].
    #[serde(default = "default_escalation")]
    pub escalation: Target,
    /// What happens to a ticket on a version its product does not support [000].
    #[serde(default)]
    pub unsupported_versions: crate::product::UnsupportedVersions,
    /// The clocks that pause while the ticket is on hold: resolution unless stated, as while
    /// it waits for the customer.
    #[serde(
        default = "default_on_hold_pauses",
        skip_serializing_if = "is_default_on_hold_pauses"
    )]
    pub on_hold_pauses: Vec<ClockKind>,
}

fn default_on_hold_pauses() -> Vec<ClockKind> {
    vec![ClockKind::Resolution]
}

fn is_default_on_hold_pauses(pauses: &[ClockKind]) -> bool {
    pauses == [ClockKind::Resolution]
}

impl PlanSpec {
    /// Parses the JSON form.
    ///
    /// # Errors
    ///
    /// A [`PlanError`] naming the field when the JSON is malformed or has unknown fields.
    pub fn from_json(json: &str) -> Result<Self, PlanError> {
        serde_json::from_str(json).map_err(|error| {
            let (field, message) = json_error_field(&error, "plan");
            PlanError { field, message }
        })
    }
}

/// An invalid plan: the field it is about and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PlanError {
    /// A JSON path such as `calendar.timezone` or `rules[2].severity`.
    pub field: String,
    pub message: String,
}

impl PlanError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    fn calendar(prefix: &str, error: CalendarError) -> Self {
        Self::new(format!("{prefix}.{}", error.field), error.message)
    }
}

/// The targets of one classification under a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Targets {
    pub first_response: Target,
    /// The next-response clock uses the first-response target.
    pub next_response: Target,
    pub resolution: Target,
    pub escalation: Target,
    /// Where the resolution clock starts: the matching rule's setting, else the plan's.
    #[serde(default)]
    pub resolution_from: ResolutionFrom,
    /// The matching rule gives advice only, not standard support [001: A and D].
    #[serde(default)]
    pub advice_only: bool,
}

/// A validated plan with its calendars built.
#[derive(Clone, Debug)]
pub struct Plan {
    spec: PlanSpec,
    calendar: Calendar,
    special_calendar: Calendar,
    /// Rule indices from the most specific to the least.
    order: Vec<usize>,
}

impl Plan {
    /// Validates a plan and builds its calendars.
    ///
    /// # Errors
    ///
    /// A [`PlanError`] naming the field: `name` when empty, `calendar.…` and
    /// `special_calendar.…` for calendar errors, `warn_at_percent` outside 1–100,
    /// `rules[i].severity` for a severity without category C, `….minutes` for a zero duration.
    ///
    /// # Examples
    ///
    /// ```
    /// use shared::sla::{seed_plan, Plan, Target};
    /// use shared::ticket::{Category, Classification};
    ///
    /// let plan = Plan::new(&seed_plan("standard").unwrap()).unwrap();
    /// let question = Classification::new(Category::E, None, false).unwrap();
    /// assert_eq!(plan.targets_for(&question).first_response, Target::None);
    /// ```
    pub fn new(spec: &PlanSpec) -> Result<Self, PlanError> {
        if spec.name.trim().is_empty() {
            return Err(PlanError::new("name", "a plan needs a name"));
        }
        let calendar =
            Calendar::new(&spec.calendar).map_err(|e| PlanError::calendar("calendar", e))?;
        let special_calendar = Calendar::new(&spec.special_calendar)
            .map_err(|e| PlanError::calendar("special_calendar", e))?;
        if !(1..=100).contains(&spec.warn_at_percent) {
            return Err(PlanError::new(
                "warn_at_percent",
                "must be between 1 and 100",
            ));
        }
        let check_target = |field: String, target: &Target| match target {
            Target::Working { minutes: 0 } => Err(PlanError::new(
                format!("{field}.minutes"),
                "must be positive",
            )),
            _ => Ok(()),
        };
        check_target("escalation".to_owned(), &spec.escalation)?;
        for (index, rule) in spec.rules.iter().enumerate() {
            if rule.severity.is_some() && rule.category.is_some_and(|c| c != Category::C) {
                return Err(PlanError::new(
                    format!("rules[{index}].severity"),
                    "only category C has a severity",
                ));
            }
            if rule.severity.is_some() && rule.category.is_none() {
                return Err(PlanError::new(
                    format!("rules[{index}].severity"),
                    "a severity needs category C",
                ));
            }
            check_target(
                format!("rules[{index}].first_response"),
                &rule.first_response,
            )?;
            check_target(format!("rules[{index}].resolution"), &rule.resolution)?;
        }
        let mut order: Vec<usize> = (0..spec.rules.len()).collect();
        order.sort_by_key(|&index| std::cmp::Reverse(spec.rules[index].specificity()));
        Ok(Self {
            spec: spec.clone(),
            calendar,
            special_calendar,
            order,
        })
    }

    /// The specification.
    pub fn spec(&self) -> &PlanSpec {
        &self.spec
    }

    /// The calendar of ordinary requests.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The calendar the clocks of this classification run on (24x7 for special requests).
    pub fn calendar_for(&self, classification: &Classification) -> &Calendar {
        if classification.special {
            &self.special_calendar
        } else {
            &self.calendar
        }
    }

    /// The calendar to read `clock` with under `classification`: [`Self::calendar_for`] the
    /// classification, or the ordinary calendar for a special request's clock that took the
    /// earlier ordinary deadline ([`Clock::ordinary_calendar`]).
    pub fn calendar_of(&self, classification: &Classification, clock: &Clock) -> &Calendar {
        if clock.ordinary_calendar {
            &self.calendar
        } else {
            self.calendar_for(classification)
        }
    }

    /// The targets of a classification: the first matching rule from the most specific; no
    /// commitment when no rule matches.
    pub fn targets_for(&self, classification: &Classification) -> Targets {
        let rule = self
            .order
            .iter()
            .map(|&index| &self.spec.rules[index])
            .find(|rule| rule.matches(classification));
        let (first_response, resolution) = rule.map_or((Target::None, Target::None), |rule| {
            (rule.first_response, rule.resolution)
        });
        Targets {
            first_response,
            next_response: first_response,
            resolution,
            escalation: self.spec.escalation,
            resolution_from: rule
                .and_then(|rule| rule.resolution_from)
                .unwrap_or(self.spec.resolution_from),
            advice_only: rule.is_some_and(|rule| rule.advice_only),
        }
    }

    /// The warning threshold in percent.
    pub fn warn_at_percent(&self) -> u8 {
        self.spec.warn_at_percent
    }

    /// Where the resolution clock starts unless a rule says otherwise
    /// ([`Targets::resolution_from`] has the answer for a classification).
    pub fn resolution_from(&self) -> ResolutionFrom {
        self.spec.resolution_from
    }

    /// Whether `clock` pauses while the ticket is on hold.
    pub fn pauses_on_hold(&self, clock: ClockKind) -> bool {
        self.spec.on_hold_pauses.contains(&clock)
    }
}

fn rule(
    category: Option<Category>,
    severity: Option<Severity>,
    first_response: Target,
    resolution: Target,
) -> RuleSpec {
    RuleSpec {
        category,
        severity,
        special: None,
        first_response,
        resolution,
        resolution_from: None,
        advice_only: false,
    }
}

/// The 24x7 calendar in the zone of `calendar`, whose days end at that zone's midnight.
pub fn always_open_in(calendar: &CalendarSpec) -> CalendarSpec {
    CalendarSpec {
        timezone: calendar.timezone.clone(),
        ..CalendarSpec::always_open()
    }
}

fn seed_calendar_spec(key: &str) -> CalendarSpec {
    seed_calendar(key).unwrap_or_else(|| CalendarSpec {
        timezone: Some("Europe/Moscow".to_owned()),
        week: Some(WeekSpec::weekdays(&["10:00-19:00"])),
        ..CalendarSpec::default()
    })
}

/// The seed plans, by key.
///
/// - `vip` [004]: reaction within 3 working hours, Mon–Fri 11:00–18:00 Omsk, Russian holidays;
///   E only recorded; special requests 3 hours round the clock (004 counts only working time
///   "except the staff's work on special requests").
/// - `extended` [004]: the same with 12 hours.
/// - `standard` [001]: Mon–Fri 10:00–19:00 Moscow; reaction the same working day if registered
///   before 12:00 Moscow, else the next (every category but E); B resolved within 60 working days
///   of registration; E only recorded; other resolution clocks counted from "reproduced";
///   special requests (which 001 does not name) 4 hours round the clock.
///
/// The special calendar of each is 24x7 in the zone of its ordinary calendar, so a day-based
/// target of a special request ends at that zone's midnight.
/// - `assistance` [002]: 24x7; reaction 20 min for usage and configuration questions (D, level 1),
///   40 min for environment and third-party requests (A, B: level 2), 2 h for product defects
///   (C: level 3), 3 h for special requests (level 4); E only recorded.
/// - `unqualified` [000]: no commitment (SLA-1 without a contract).
///
/// Every plan has the default escalation target of 3 working hours [002] and warns at 75%.
///
/// # Examples
///
/// ```
/// use shared::sla::{seed_plans, Plan};
///
/// for (key, spec) in seed_plans() {
///     assert!(Plan::new(&spec).is_ok(), "{key}");
/// }
/// ```
pub fn seed_plans() -> Vec<(String, PlanSpec)> {
    use Category::{A, B, C, D, E};
    let plan = |name: &str, calendar: &str, rules: Vec<RuleSpec>, resolution_from| PlanSpec {
        name: name.to_owned(),
        calendar: seed_calendar_spec(calendar),
        special_calendar: always_open_in(&seed_calendar_spec(calendar)),
        rules,
        warn_at_percent: default_warn_at_percent(),
        resolution_from,
        escalation: default_escalation(),
        on_hold_pauses: default_on_hold_pauses(),
        unsupported_versions: Default::default(),
    };
    let none = Target::None;
    let recorded = rule(Some(E), None, none, none);
    let special_rule = |target: Target| RuleSpec {
        category: None,
        severity: None,
        special: Some(true),
        first_response: target,
        resolution: none,
        resolution_from: None,
        advice_only: false,
    };
    vec![
        (
            "vip".to_owned(),
            plan(
                "VIP",
                "omsk_11_18",
                vec![
                    special_rule(Target::hours(3)),
                    recorded.clone(),
                    rule(None, None, Target::hours(3), none),
                ],
                ResolutionFrom::Registered,
            ),
        ),
        (
            "extended".to_owned(),
            plan(
                "Extended",
                "omsk_11_18",
                vec![
                    special_rule(Target::hours(12)),
                    recorded.clone(),
                    rule(None, None, Target::hours(12), none),
                ],
                ResolutionFrom::Registered,
            ),
        ),
        (
            "standard".to_owned(),
            plan(
                "Standard",
                "moscow_10_19",
                vec![
                    special_rule(Target::hours(4)),
                    // [001] "within 60 working days of its registration".
                    RuleSpec {
                        resolution_from: Some(ResolutionFrom::Registered),
                        ..rule(
                            Some(B),
                            None,
                            Target::same_or_next_day(12),
                            Target::WorkingDays { days: 60 },
                        )
                    },
                    // [001] defects are resolved counting from their reproduction.
                    RuleSpec {
                        resolution_from: Some(ResolutionFrom::Reproduced),
                        ..rule(Some(C), None, Target::same_or_next_day(12), none)
                    },
                    // [001] A and D: "not standard support, except recommendations and
                    // consultations".
                    RuleSpec {
                        advice_only: true,
                        ..rule(Some(A), None, Target::same_or_next_day(12), none)
                    },
                    RuleSpec {
                        advice_only: true,
                        ..rule(Some(D), None, Target::same_or_next_day(12), none)
                    },
                    recorded.clone(),
                    rule(None, None, Target::same_or_next_day(12), none),
                ],
                ResolutionFrom::Reproduced,
            ),
        ),
        (
            "assistance".to_owned(),
            plan(
                "Assistance levels",
                "24x7",
                vec![
                    special_rule(Target::hours(3)),
                    rule(Some(D), None, Target::Working { minutes: 20 }, none),
                    rule(Some(A), None, Target::Working { minutes: 40 }, none),
                    rule(Some(B), None, Target::Working { minutes: 40 }, none),
                    rule(Some(C), None, Target::hours(2), none),
                    recorded,
                ],
                ResolutionFrom::Registered,
            ),
        ),
        (
            "unqualified".to_owned(),
            plan(
                "Unqualified",
                "moscow_10_19",
                Vec::new(),
                ResolutionFrom::Registered,
            ),
        ),
    ]
}

/// One seed plan by key.
pub fn seed_plan(key: &str) -> Option<PlanSpec> {
    seed_plans()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, spec)| spec)
}

#[cfg(test)]
mod target_json {
    use super::*;

    fn parse(json: &str) -> Result<Target, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn every_target_reads_back_what_it_writes() {
        for (target, json) in [
            (
                Target::Working { minutes: 180 },
                r#"{"kind":"working","minutes":180}"#,
            ),
            (
                Target::same_or_next_day(12),
                r#"{"kind":"same_or_next_working_day","cutoff":"12:00"}"#,
            ),
            (
                Target::WorkingDays { days: 60 },
                r#"{"kind":"working_days","days":60}"#,
            ),
            (Target::None, r#"{"kind":"none"}"#),
        ] {
            assert_eq!(serde_json::to_string(&target).unwrap(), json);
            assert_eq!(parse(json), Ok(target));
        }
    }

    #[test]
    fn a_malformed_target_names_what_is_wrong() {
        let error = |json: &str| parse(json).expect_err(json);
        assert!(error(r#"{"kind":"working"}"#).starts_with("missing field `minutes`"));
        assert!(error(r#"{"minutes":5}"#).starts_with("missing field `kind`"));
        assert!(
            error(r#"{"kind":"working","minutes":5,"days":3}"#).starts_with("unknown field `days`")
        );
        assert!(
            error(r#"{"kind":"working_days","days":3,"colour":1}"#)
                .starts_with("unknown field `colour`")
        );
        assert!(error(r#"{"kind":"weekly"}"#).starts_with("unknown variant `weekly`"));
        assert!(
            error(r#"{"kind":"same_or_next_working_day","cutoff":"25:00"}"#)
                .contains("`25:00` is not a time like 12:00")
        );
        assert!(error(r#"{"kind":"working","minutes":-1}"#).contains("invalid value"));
        assert!(error(r#""working""#).starts_with("invalid type"));
        assert_eq!(parse(r#"{"kind":"none","minutes":5}"#), Ok(Target::None));
    }
}
