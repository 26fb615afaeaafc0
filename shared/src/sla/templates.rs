//! The seed regulations as ready plan templates, each with its calendar [000–004], which an
//! admin turns into a plan when making a contract (`POST /api/admin/plan-templates/{key}`).
//!
//! Where a regulation names a figure the template uses it, with the clause in a comment; where
//! it is silent the choice is the one its support team would expect, marked "silent".

use serde::{Deserialize, Serialize};

use super::{PlanSpec, ResolutionFrom, RuleSpec, Target, always_open_in};
use crate::calendar::{CalendarSpec, seed_calendar};
use crate::ticket::{Category, Severity};

/// A plan template: a seed regulation as a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanTemplate {
    /// The key a plan made from it gets, such as `alee`.
    pub key: String,
    /// The seed regulation, `000` … `004`.
    pub seed: String,
    pub vendor: String,
    /// The name in Russian (the spec's name is the English one).
    pub name_ru: String,
    /// The key of the seed calendar its ordinary calendar is.
    pub calendar: String,
    pub spec: PlanSpec,
}

fn rule(category: Option<Category>, first_response: Target, resolution: Target) -> RuleSpec {
    RuleSpec {
        category,
        severity: None,
        special: None,
        first_response,
        resolution,
        resolution_from: None,
        advice_only: false,
    }
}

fn special(first_response: Target) -> RuleSpec {
    RuleSpec {
        special: Some(true),
        ..rule(None, first_response, Target::None)
    }
}

/// Category E: only recorded, no commitment [001].
fn recorded() -> RuleSpec {
    rule(Some(Category::E), Target::None, Target::None)
}

fn calendar(key: &str) -> CalendarSpec {
    seed_calendar(key).unwrap_or_else(CalendarSpec::always_open)
}

#[allow(clippy::too_many_arguments)]
fn template(
    key: &str,
    seed: &str,
    vendor: &str,
    name: &str,
    name_ru: &str,
    calendar_key: &str,
    special_calendar: CalendarSpec,
    rules: Vec<RuleSpec>,
) -> PlanTemplate {
    let ordinary = calendar(calendar_key);
    PlanTemplate {
        key: key.to_owned(),
        seed: seed.to_owned(),
        vendor: vendor.to_owned(),
        name_ru: name_ru.to_owned(),
        calendar: calendar_key.to_owned(),
        spec: PlanSpec {
            name: name.to_owned(),
            calendar: ordinary,
            special_calendar,
            rules,
            warn_at_percent: 75,
            resolution_from: ResolutionFrom::Registered,
            escalation: Target::hours(3),
            on_hold_pauses: super::default_on_hold_pauses(),
            unsupported_versions: Default::default(),
        },
    }
}

/// [000] ENTELS: intake and work 7x24; "the SLA level defines only the reaction time, not the
/// fix"; special requests (спецобращения) out of turn. The regulation's table of levels is
/// not in the text (silent): 8 hours for a request, 1 hour for a special request, round the
/// clock in Moscow time.
fn entels() -> PlanTemplate {
    let moscow_24x7 = CalendarSpec {
        timezone: Some("Europe/Moscow".to_owned()),
        ..CalendarSpec::always_open()
    };
    let mut plan = template(
        "entels",
        "000",
        "ENTELS",
        "ENTELS — 7x24 support (000)",
        "ЭНТЕЛС — поддержка 7x24 (000)",
        "24x7",
        moscow_24x7.clone(),
        vec![
            special(Target::hours(1)),
            rule(None, Target::hours(8), Target::None),
        ],
    );
    plan.spec.calendar = moscow_24x7;
    plan
}

/// [001] ALEE Software: working days 10:00–19:00 Moscow; B and C answered the same working day
/// if registered before 12:00 Moscow, else the next; B resolved within 60 working days of its
/// registration, C counted from its reproduction; A and D "are not standard support, except
/// recommendations and consultations"; E only recorded. No special requests (silent): the
/// special calendar is 24x7 in Moscow time and no rule makes them faster.
fn alee() -> PlanTemplate {
    let noon = Target::same_or_next_day(12);
    let advice = |category| RuleSpec {
        advice_only: true,
        ..rule(Some(category), noon, Target::None)
    };
    let mut plan = template(
        "alee",
        "001",
        "ALEE Software",
        "ALEE — incident support (001)",
        "АЛЕЕ Софтвер — инцидентная поддержка (001)",
        "moscow_10_19",
        always_open_in(&calendar("moscow_10_19")),
        vec![
            RuleSpec {
                resolution_from: Some(ResolutionFrom::Registered),
                ..rule(Some(Category::B), noon, Target::WorkingDays { days: 60 })
            },
            RuleSpec {
                resolution_from: Some(ResolutionFrom::Reproduced),
                ..rule(Some(Category::C), noon, Target::None)
            },
            advice(Category::A),
            advice(Category::D),
            recorded(),
        ],
    );
    plan.spec.resolution_from = ResolutionFrom::Reproduced;
    plan
}

/// [002] TEKON-Dispatching: assistance levels ОП1 20 minutes (usage and configuration: D), ОП2
/// 40 minutes (file and data exchange: A, B), ОП3 2 hours (failures with an instruction: C),
/// ОП4 3 hours (failures without one: special requests); L2 answers an escalation within 3
/// hours. Working hours are not stated (silent): round the clock, as the hotline takes calls.
fn tekon() -> PlanTemplate {
    template(
        "tekon",
        "002",
        "TEKON-Dispatching",
        "TEKON — assistance levels (002)",
        "ТЕКОН-Диспетчеризация — уровни помощи (002)",
        "24x7",
        CalendarSpec::always_open(),
        vec![
            special(Target::hours(3)),
            rule(
                Some(Category::D),
                Target::Working { minutes: 20 },
                Target::None,
            ),
            rule(
                Some(Category::A),
                Target::Working { minutes: 40 },
                Target::None,
            ),
            rule(
                Some(Category::B),
                Target::Working { minutes: 40 },
                Target::None,
            ),
            rule(Some(Category::C), Target::hours(2), Target::None),
            recorded(),
        ],
    )
}

/// [003] Mobi-C: working days 8:00–18:00 Moscow except Russian holidays; "reaction time includes
/// only working time"; urgent requests out of turn. The tariff's maximum reaction time is not
/// in the text (silent): 8 working hours, 2 working hours for an urgent (special) request —
/// on the same office hours, since 003 has no round-the-clock mode; critical defects (C1) 4.
fn mobi_c() -> PlanTemplate {
    template(
        "mobi_c",
        "003",
        "Mobi-C",
        "Mobi-C — working hours 8–18 Moscow (003)",
        "Моби-С — рабочее время 8–18 МСК (003)",
        "moscow_8_18",
        calendar("moscow_8_18"),
        vec![
            special(Target::hours(2)),
            RuleSpec {
                severity: Some(Severity::Critical),
                ..rule(Some(Category::C), Target::hours(4), Target::None)
            },
            recorded(),
            rule(None, Target::hours(8), Target::None),
        ],
    )
}

/// [004] HiveTaxi: working days 11:00–18:00 Omsk; VIP 3 and Extended 12 working hours; the
/// emergency mode works 24/7 and its time is not limited to working hours ("except the staff's
/// work on special requests"). Standard has no figure (silent): the end of the next working
/// day, and no emergency mode.
fn hivetaxi(tier: &str) -> PlanTemplate {
    let omsk = calendar("omsk_11_18");
    let (key, name, name_ru, rules) = match tier {
        "vip" => (
            "hivetaxi_vip",
            "HiveTaxi — VIP (004)",
            "HiveTaxi — VIP (004)",
            vec![
                special(Target::hours(3)),
                recorded(),
                rule(None, Target::hours(3), Target::None),
            ],
        ),
        "extended" => (
            "hivetaxi_extended",
            "HiveTaxi — Extended (004)",
            "HiveTaxi — Расширенный (004)",
            vec![
                special(Target::hours(12)),
                recorded(),
                rule(None, Target::hours(12), Target::None),
            ],
        ),
        _ => (
            "hivetaxi_standard",
            "HiveTaxi — Standard (004)",
            "HiveTaxi — Стандарт (004)",
            vec![
                recorded(),
                rule(None, Target::WorkingDays { days: 1 }, Target::None),
            ],
        ),
    };
    template(
        key,
        "004",
        "HiveTaxi",
        name,
        name_ru,
        "omsk_11_18",
        always_open_in(&omsk),
        rules,
    )
}

/// Every plan template, in seed order.
///
/// # Examples
///
/// ```
/// use shared::sla::{Plan, plan_templates};
///
/// for template in plan_templates() {
///     assert!(Plan::new(&template.spec).is_ok(), "{}", template.key);
/// }
/// ```
pub fn plan_templates() -> Vec<PlanTemplate> {
    vec![
        entels(),
        alee(),
        tekon(),
        mobi_c(),
        hivetaxi("vip"),
        hivetaxi("extended"),
        hivetaxi("standard"),
    ]
}

/// One template by key.
pub fn plan_template(key: &str) -> Option<PlanTemplate> {
    plan_templates()
        .into_iter()
        .find(|template| template.key == key)
}
