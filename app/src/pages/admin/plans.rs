//! `/admin/plans`: SLA plans — the calendar of ordinary and of special requests, the rules that
//! map a classification to first-response and resolution targets, the warning threshold, where
//! resolution starts and the escalation target — with a live table of the deadlines every
//! classification would get, computed in the browser by `shared::sla`.

use chrono::{DateTime, Duration, Timelike, Utc};
use leptos::prelude::*;
use shared::calendar::{CalendarSpec, seed_calendars};
use shared::i18n::{Locale, Text};
use shared::product::UnsupportedVersions;
use shared::sla::{ClockKind, Plan, PlanSpec, ResolutionFrom, RuleSpec, Target, seed_plans};
use shared::ticket::{Category, Classification, Severity};

use super::calendars::{category_text, format_day_time, severity_text, target_text};
use super::{AdminShell, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::FieldError;
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, keyed, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;
use shared::api::{AdminCalendar, AdminPlan};

/// A target being edited: its kind and the one number or time it needs.
#[derive(Clone, Copy)]
struct TargetDraft {
    kind: RwSignal<String>,
    value: RwSignal<String>,
}

impl TargetDraft {
    fn new(target: Target) -> TargetDraft {
        let (kind, value) = match target {
            Target::Working { minutes } => ("working", minutes.to_string()),
            Target::SameOrNextWorkingDay { cutoff } => (
                "same_or_next_working_day",
                format!("{:02}:{:02}", cutoff.hour(), cutoff.minute()),
            ),
            Target::WorkingDays { days } => ("working_days", days.to_string()),
            Target::None => ("none", String::new()),
        };
        TargetDraft {
            kind: RwSignal::new(kind.to_owned()),
            value: RwSignal::new(value),
        }
    }

    fn set(&self, target: Target) {
        let fresh = TargetDraft::new(target);
        self.kind.set(fresh.kind.get_untracked());
        self.value.set(fresh.value.get_untracked());
    }

    /// The target (reactive), or what is wrong with the value.
    fn target(&self) -> Result<Target, Text> {
        let value = self.value.get();
        let value = value.trim();
        match self.kind.get().as_str() {
            "working" => value
                .parse::<u32>()
                .map(|minutes| Target::Working { minutes })
                .map_err(|_| Text::WholeNumber),
            "same_or_next_working_day" => shared::calendar::text::parse_hour_minute(value)
                .map(|cutoff| Target::SameOrNextWorkingDay { cutoff })
                .map_err(|_| Text::CutoffFormat),
            "working_days" => value
                .parse::<u32>()
                .map(|days| Target::WorkingDays { days })
                .map_err(|_| Text::WholeNumber),
            _ => Ok(Target::None),
        }
    }
}

#[derive(Clone, Copy)]
struct RuleRow {
    id: usize,
    category: RwSignal<String>,
    severity: RwSignal<String>,
    special: RwSignal<String>,
    first_response: TargetDraft,
    resolution: TargetDraft,
    /// `""` (the plan's setting), `registered` or `reproduced`.
    resolution_from: RwSignal<String>,
    advice_only: RwSignal<bool>,
}

#[derive(Clone, Copy)]
struct PlanDraft {
    id: RwSignal<Option<i64>>,
    name: RwSignal<String>,
    calendar: RwSignal<CalendarSpec>,
    special_calendar: RwSignal<CalendarSpec>,
    rules: RwSignal<Vec<RuleRow>>,
    warn_at: RwSignal<String>,
    reproduced: RwSignal<bool>,
    unsupported_versions: RwSignal<UnsupportedVersions>,
    escalation: TargetDraft,
    /// The clocks that pause while a ticket is on hold.
    on_hold_pauses: RwSignal<Vec<ClockKind>>,
    next_id: StoredValue<usize>,
}

impl PlanDraft {
    fn new() -> PlanDraft {
        let draft = PlanDraft {
            id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            // The first of the calendars the editor offers, so the choice names a calendar.
            calendar: RwSignal::new(
                seed_calendars()
                    .into_iter()
                    .next()
                    .map(|(_, spec)| spec)
                    .unwrap_or_default(),
            ),
            special_calendar: RwSignal::new(CalendarSpec::always_open()),
            rules: RwSignal::new(Vec::new()),
            warn_at: RwSignal::new("75".to_owned()),
            reproduced: RwSignal::new(false),
            unsupported_versions: RwSignal::new(UnsupportedVersions::Accept),
            escalation: TargetDraft::new(Target::hours(3)),
            on_hold_pauses: RwSignal::new(vec![ClockKind::Resolution]),
            next_id: StoredValue::new(0),
        };
        // A new plan starts empty: its rules come from the admin or from a template they choose.
        draft
    }

    fn rule(&self, rule: &RuleSpec) -> RuleRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        RuleRow {
            id,
            category: RwSignal::new(
                rule.category
                    .map(|c| c.code().to_owned())
                    .unwrap_or_default(),
            ),
            severity: RwSignal::new(
                rule.severity
                    .map(|s| s.number().to_string())
                    .unwrap_or_default(),
            ),
            special: RwSignal::new(match rule.special {
                Some(true) => "yes".to_owned(),
                Some(false) => "no".to_owned(),
                None => String::new(),
            }),
            first_response: TargetDraft::new(rule.first_response),
            resolution: TargetDraft::new(rule.resolution),
            resolution_from: RwSignal::new(match rule.resolution_from {
                Some(ResolutionFrom::Registered) => "registered".to_owned(),
                Some(ResolutionFrom::Reproduced) => "reproduced".to_owned(),
                None => String::new(),
            }),
            advice_only: RwSignal::new(rule.advice_only),
        }
    }

    fn load(&self, id: Option<i64>, spec: &PlanSpec) {
        self.id.set(id);
        self.name.set(spec.name.clone());
        self.calendar.set(spec.calendar.clone());
        self.special_calendar.set(spec.special_calendar.clone());
        self.rules
            .set(spec.rules.iter().map(|rule| self.rule(rule)).collect());
        self.warn_at.set(spec.warn_at_percent.to_string());
        self.reproduced
            .set(spec.resolution_from == ResolutionFrom::Reproduced);
        self.escalation.set(spec.escalation);
        self.on_hold_pauses.set(spec.on_hold_pauses.clone());
        self.unsupported_versions.set(spec.unsupported_versions);
    }

    /// The spec (reactive), or the field and what is wrong with it.
    fn spec(&self, locale: Locale) -> Result<PlanSpec, (String, String)> {
        let t = |text: Text| text.get(locale).to_owned();
        let mut rules = Vec::new();
        for (index, row) in self.rules.get().iter().enumerate() {
            let category = Category::ALL
                .into_iter()
                .find(|c| c.code() == row.category.get());
            let severity = row
                .severity
                .get()
                .parse::<u8>()
                .ok()
                .and_then(|n| Severity::try_from(n).ok());
            let special = match row.special.get().as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            let first_response = row
                .first_response
                .target()
                .map_err(|text| (format!("rules[{index}].first_response"), t(text)))?;
            let resolution = row
                .resolution
                .target()
                .map_err(|text| (format!("rules[{index}].resolution"), t(text)))?;
            let resolution_from = match row.resolution_from.get().as_str() {
                "registered" => Some(ResolutionFrom::Registered),
                "reproduced" => Some(ResolutionFrom::Reproduced),
                _ => None,
            };
            rules.push(RuleSpec {
                category,
                severity,
                special,
                first_response,
                resolution,
                resolution_from,
                advice_only: row.advice_only.get(),
            });
        }
        let warn_at_percent = self
            .warn_at
            .get()
            .trim()
            .parse::<u8>()
            .map_err(|_| ("warn_at_percent".to_owned(), t(Text::WholeNumber)))?;
        let escalation = self
            .escalation
            .target()
            .map_err(|text| ("escalation".to_owned(), t(text)))?;
        Ok(PlanSpec {
            name: self.name.get().trim().to_owned(),
            calendar: self.calendar.get(),
            special_calendar: self.special_calendar.get(),
            rules,
            warn_at_percent,
            resolution_from: if self.reproduced.get() {
                ResolutionFrom::Reproduced
            } else {
                ResolutionFrom::Registered
            },
            escalation,
            on_hold_pauses: self.on_hold_pauses.get(),
            unsupported_versions: self.unsupported_versions.get(),
        })
    }
}

/// The classifications the preview table shows.
fn sample_classifications() -> Vec<(String, Classification)> {
    let mut list = Vec::new();
    for category in Category::ALL {
        if category == Category::C {
            for severity in Severity::ALL {
                if let Ok(c) = Classification::new(category, Some(severity), false) {
                    list.push((format!("C{}", severity.number()), c));
                }
            }
        } else if let Ok(c) = Classification::new(category, None, false) {
            list.push((category.code().to_owned(), c));
        }
    }
    if let Ok(c) = Classification::new(Category::C, Some(Severity::Critical), true) {
        list.push(("C1 ★".to_owned(), c));
    }
    list
}

/// The calendars a plan can use: the seed ones and the saved ones.
fn calendar_choices(saved: &[AdminCalendar]) -> Vec<(String, String, CalendarSpec)> {
    let mut choices: Vec<(String, String, CalendarSpec)> = seed_calendars()
        .into_iter()
        .map(|(key, spec)| (format!("seed:{key}"), key, spec))
        .collect();
    for calendar in saved {
        // A saved copy of a seed calendar (the demo stores them) is the same calendar: once.
        if choices
            .iter()
            .any(|(_, name, spec)| *name == calendar.name || *spec == calendar.spec)
        {
            continue;
        }
        choices.push((
            format!("saved:{}", calendar.id),
            calendar.name.clone(),
            calendar.spec.clone(),
        ));
    }
    choices
}

fn target_kind_options(session: crate::state::Session, kind: RwSignal<String>) -> impl IntoView {
    [
        ("working", Text::TargetWorking),
        ("same_or_next_working_day", Text::TargetSameOrNext),
        ("working_days", Text::TargetWorkingDays),
        ("none", Text::NoCommitment),
    ]
    .into_iter()
    .map(move |(code, text)| view! { <option value=code selected={move || kind.get() == code}>{move || session.t(text)}</option> })
    .collect_view()
}

/// The kind and value inputs of one target, labelled with `label`.
#[component]
fn TargetFields(target: TargetDraft, id: String, label: Text) -> impl IntoView {
    let session = session();
    let kind_id = format!("{id}-kind");
    let value_id = format!("{id}-value");
    let value_label = move || match target.kind.get().as_str() {
        "working" => session.t(Text::WorkingMinutes),
        "same_or_next_working_day" => session.t(Text::CutoffTime),
        "working_days" => session.t(Text::WorkingDaysUnit),
        _ => "",
    };
    let value_id_for_label = value_id.clone();
    view! {
        <div class="target">
            <div class="field">
                <label for=kind_id.clone()>{move || session.t(label)}</label>
                <select id=kind_id on:change=move |ev| target.kind.set(event_target_value(&ev))>
                    {target_kind_options(session, target.kind)}
                </select>
            </div>
            <ShowWhen when=move || target.kind.get() != "none">
                <div class="field">
                    <label for=value_id_for_label.clone()>{value_label}</label>
                    <input id=value_id_for_label.clone() type="text" class="time" inputmode="numeric"
                        prop:value={move || target.value.get()} on:input=move |ev| target.value.set(event_target_value(&ev))/>
                </div>
            </ShowWhen>
        </div>
    }
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let session = session();
    let draft = PlanDraft::new();
    let refresh = RwSignal::new(0u32);
    let saved_plans = Remote::new(move || {
        refresh.get();
        api::list_plans()
    });
    let saved_calendars = Remote::new(|| async { api::list_calendars().await.unwrap_or_default() });
    let plan = Memo::new(move |_| {
        let spec = draft.spec(session.locale.get())?;
        Plan::new(&spec)
            .map(|plan| plan.spec().clone())
            .map_err(|error| (error.field, error.message))
    });
    let error_for = move |prefix: String| {
        move || {
            plan.with(|result| {
                result
                    .as_ref()
                    .err()
                    .filter(|(field, _)| field.starts_with(&prefix))
                    .map(|(field, message)| format!("{field}: {message}"))
            })
        }
    };

    let save_error = RwSignal::new(None::<ApiError>);
    let saved_notice = RwSignal::new(false);
    let save = Submit::new(move |(id, spec): &(Option<i64>, PlanSpec)| {
        let (id, spec) = (*id, spec.clone());
        async move {
            match id {
                Some(id) => api::update_plan(id, spec.name.clone(), spec).await,
                None => api::create_plan(spec.name.clone(), spec).await,
            }
        }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(stored) => {
                    save_error.set(None);
                    saved_notice.set(true);
                    draft.id.set(Some(stored.id));
                    refresh.update(|n| *n += 1);
                }
                Err(error) => {
                    saved_notice.set(false);
                    save_error.set(Some(error));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(Ok(spec)) = plan.try_get_untracked()
            && !save.pending().get_untracked()
        {
            save.dispatch((draft.id.get_untracked(), spec));
        }
    };
    let load = move |id: Option<i64>, spec: PlanSpec| {
        draft.load(id, &spec);
        saved_notice.set(false);
        save_error.set(None);
    };
    let add_rule = move |_| {
        let row = draft.rule(&RuleSpec {
            category: None,
            severity: None,
            special: None,
            first_response: Target::hours(3),
            resolution: Target::None,
            resolution_from: None,
            advice_only: false,
        });
        draft.rules.update(|rules| rules.push(row));
    };
    let calendar_select = move |id: &'static str, label: Text, signal: RwSignal<CalendarSpec>| {
        view! {
            <div class="field grow">
                <label for=id>{move || session.t(label)}</label>
                <select id=id on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let saved = saved_calendars.get_untracked().unwrap_or_default();
                    if let Some((_, _, spec)) = calendar_choices(&saved).into_iter().find(|(key, _, _)| *key == value) {
                        signal.set(spec);
                    }
                }>
                    {move || {
                        let saved = saved_calendars.get().unwrap_or_default();
                        let current = signal.get();
                        let choices = calendar_choices(&saved);
                        let known = choices.iter().any(|(_, _, spec)| *spec == current);
                        view! {
                            {(!known).then(|| view! { <option value="" selected>{session.t(Text::CustomCalendar)}</option> })}
                            {choices.into_iter().map(|(key, name, spec)| {
                                let selected = spec == current;
                                view! { <option value=key selected=selected>{name}</option> }
                            }).collect_view()}
                        }
                    }}
                </select>
            </div>
        }
    };
    view! {
        <AdminShell title=Text::Plans>
            <div class="calendar-layout">
                <div class="calendar-editor">
                    <section class="card" aria-labelledby="plan-sources-title">
                        <h2 id="plan-sources-title">{session.text(Text::StartFrom)}</h2>
                        <div class="actions">
                            {seed_plans().into_iter().map(|(key, spec)| view! {
                                <button type="button" class="button secondary small" on:click=move |_| load(None, spec.clone())>
                                    <span class="visually-hidden">{session.text(Text::Template)}": "</span>{key}
                                </button>
                            }).collect_view()}
                        </div>
                        <h3>{session.text(Text::PlanTemplates)}</h3>
                        <div class="actions plan-templates">
                            {shared::sla::plan_templates().into_iter().map(|template| {
                                let spec = template.spec.clone();
                                view! {
                                    <button type="button" class="button secondary small" on:click=move |_| load(None, spec.clone())
                                        title=template.name_ru.clone()>
                                        {format!("{} · {}", template.seed, template.key)}
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        <h3>{session.text(Text::SavedPlans)}</h3>
                        {transition(Waiting::Loading, move || saved_plans.get().map(|result| match result {
                            Err(_) => view! { <p class="help">{session.t(Text::SavedPlansUnavailable)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="help">{session.t(Text::NoSavedPlans)}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="saved-list">
                                    {list.into_iter().map(|AdminPlan { id, name, spec, .. }| view! {
                                        <li><button type="button" class="button secondary small"
                                            aria-pressed={move || (draft.id.get() == Some(id)).to_string()}
                                            on:click=move |_| load(Some(id), spec.clone())>{session.t(Text::Edit)}" "{name}</button></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }))}
                    </section>
                    <form class="card calendar-form" on:submit=submit novalidate>
                        <h2>{move || session.t(if draft.id.get().is_some() { Text::EditPlan } else { Text::NewPlan })}</h2>
                        <div class="field">
                            <label for="plan-name">{session.text(Text::Name)}</label>
                            <input id="plan-name" type="text" required aria-describedby="plan-name-error"
                                prop:value=draft.name on:input=move |ev| draft.name.set(event_target_value(&ev))/>
                            <FieldError id="plan-name-error" message=Signal::derive(error_for("name".into()))/>
                        </div>
                        <div class="field-row">
                            {calendar_select("plan-calendar", Text::PlanCalendar, draft.calendar)}
                            {calendar_select("plan-special-calendar", Text::SpecialCalendar, draft.special_calendar)}
                        </div>
                        <FieldError id="plan-calendar-error" message=Signal::derive(error_for("calendar".into()))/>
                        <fieldset class="rules">
                            <legend>{session.text(Text::Rules)}</legend>
                            <p class="help">{session.text(Text::RulesHelp)}</p>
                            {keyed(move || draft.rules.get(), |row| row.id.to_string(), move |row| (
                                {
                                    let prefix = format!("rule-{}", row.id);
                                    let index = move || draft.rules.with(|rules| rules.iter().position(|r| r.id == row.id).unwrap_or(0));
                                    let error = move || {
                                        let prefix = format!("rules[{}]", index());
                                        plan.with(|result| result.as_ref().err().filter(|(field, _)| field.starts_with(&prefix)).map(|(_, message)| message.clone()))
                                    };
                                    let category_id = format!("{prefix}-category");
                                    let severity_id = format!("{prefix}-severity");
                                    let special_id = format!("{prefix}-special");
                                    let from_id = format!("{prefix}-resolution-from");
                                    let error_id = format!("{prefix}-error");
                                    view! {
                                        <fieldset class="rule" aria-describedby=error_id.clone()>
                                            <legend>{move || format!("{} {}", session.t(Text::Rule), index() + 1)}</legend>
                                            <div class="field-row">
                                                <div class="field">
                                                    <label for=category_id.clone()>{session.text(Text::Category)}</label>
                                                    <select id=category_id on:change=move |ev| row.category.set(event_target_value(&ev))>
                                                        <option value="" selected={move || row.category.get().is_empty()}>{session.text(Text::AnyCategory)}</option>
                                                        {Category::ALL.into_iter().map(|c| view! { <option value=c.code() selected={move || row.category.get() == c.code()}>{c.code()}</option> }).collect_view()}
                                                    </select>
                                                </div>
                                                <div class="field">
                                                    <label for=severity_id.clone()>{session.text(Text::Severity)}</label>
                                                    <select id=severity_id on:change=move |ev| row.severity.set(event_target_value(&ev))>
                                                        <option value="" selected={move || row.severity.get().is_empty()}>{session.text(Text::AnySeverity)}</option>
                                                        {Severity::ALL.into_iter().map(|s| view! { <option value=s.number().to_string() selected={move || row.severity.get() == s.number().to_string()}>{s.number()}</option> }).collect_view()}
                                                    </select>
                                                </div>
                                                <div class="field">
                                                    <label for=special_id.clone()>{session.text(Text::SpecialRequest)}</label>
                                                    <select id=special_id on:change=move |ev| row.special.set(event_target_value(&ev))>
                                                        <option value="" selected={move || row.special.get().is_empty()}>{session.text(Text::Any)}</option>
                                                        <option value="yes" selected={move || row.special.get() == "yes"}>{session.text(Text::Yes)}</option>
                                                        <option value="no" selected={move || row.special.get() == "no"}>{session.text(Text::No)}</option>
                                                    </select>
                                                </div>
                                            </div>
                                            <div class="field-row">
                                                <TargetFields target=row.first_response id=format!("{prefix}-first") label=Text::FirstResponse/>
                                                <TargetFields target=row.resolution id=format!("{prefix}-resolution") label=Text::Resolution/>
                                                <div class="field">
                                                    <label for=from_id.clone()>{session.text(Text::ResolutionCountsFrom)}</label>
                                                    <select id=from_id on:change=move |ev| row.resolution_from.set(event_target_value(&ev))>
                                                        <option value="" selected={move || row.resolution_from.get().is_empty()}>{session.text(Text::AsThePlanSays)}</option>
                                                        <option value="registered" selected={move || row.resolution_from.get() == "registered"}>{session.text(Text::FromRegistration)}</option>
                                                        <option value="reproduced" selected={move || row.resolution_from.get() == "reproduced"}>{session.text(Text::FromReproduction)}</option>
                                                    </select>
                                                </div>
                                                <div class="field checkbox">
                                                    <label>
                                                        <input type="checkbox" prop:checked=row.advice_only
                                                            on:change=move |ev| row.advice_only.set(event_target_checked(&ev))/>
                                                        {session.text(Text::AdviceOnly)}
                                                    </label>
                                                </div>
                                            </div>
                                            <FieldError id=error_id.clone() message=Signal::derive(error)/>
                                            <button type="button" class="button secondary small"
                                                on:click=move |_| draft.rules.update(|rules| rules.retain(|r| r.id != row.id))>
                                                {move || format!("{} {}", session.t(Text::RemoveRule), index() + 1)}
                                            </button>
                                        </fieldset>
                                    }
                                }
                            ).into_any())}
                            <button type="button" class="button secondary small" on:click=add_rule>{session.text(Text::AddRule)}</button>
                        </fieldset>
                        <div class="field-row">
                            <div class="field">
                                <label for="plan-warn">{session.text(Text::WarnAtPercent)}</label>
                                <input id="plan-warn" type="number" min="1" max="100" aria-describedby="plan-warn-error"
                                    prop:value=draft.warn_at on:input=move |ev| draft.warn_at.set(event_target_value(&ev))/>
                                <FieldError id="plan-warn-error" message=Signal::derive(error_for("warn_at_percent".into()))/>
                            </div>
                            <TargetFields target=draft.escalation id="plan-escalation".to_owned() label=Text::Escalation/>
                        </div>
                        <FieldError id="plan-escalation-error" message=Signal::derive(error_for("escalation".into()))/>
                        <div class="field checkbox">
                            <label>
                                <input id="plan-reproduced" type="checkbox" prop:checked=draft.reproduced
                                    on:change=move |ev| draft.reproduced.set(event_target_checked(&ev))/>
                                {session.text(Text::ResolutionFromReproducedOption)}
                            </label>
                        </div>
                        <UnsupportedVersionsField choice=draft.unsupported_versions/>
                        <OnHoldPausesField pauses=draft.on_hold_pauses/>
                        <p class="form-error" role="alert">{move || save_error.get().map(|e| e.to_string())}</p>
                        <p class="notice" role="status">{move || saved_notice.get().then(|| session.t(Text::Saved))}</p>
                        <ShowWhen when=viewer_is_admin>
                            <div class="actions">
                                <button type="submit" class="button primary" disabled={move || save.pending().get() || plan.with(|p| p.is_err())}>
                                    {move || session.t(if draft.id.get().is_some() { Text::SaveChanges } else { Text::SavePlan })}
                                </button>
                                <ShowWhen when=move || draft.id.get().is_some()>
                                    <button type="button" class="button secondary" on:click=move |_| draft.id.set(None)>{session.text(Text::SaveAsNew)}</button>
                                </ShowWhen>
                            </div>
                        </ShowWhen>
                    </form>
                </div>
                <PlanPreview plan=plan/>
            </div>
        </AdminShell>
    }
}

/// Every classification's targets and deadlines under the edited plan, registered now.
#[component]
fn PlanPreview(plan: Memo<Result<PlanSpec, (String, String)>>) -> impl IntoView {
    let session = session();
    let registered = Memo::new(move |_| {
        let now: DateTime<Utc> = session.now.get();
        now - Duration::seconds(i64::from(now.second()))
            - Duration::nanoseconds(i64::from(now.nanosecond()))
    });
    let table = move || {
        let locale = session.locale.get();
        let t = |text: Text| text.get(locale);
        let spec = match plan.get() {
            Ok(spec) => spec,
            Err((field, message)) => return view! { <p class="form-error" role="alert">{format!("{field}: {message}")}</p> }.into_any(),
        };
        let Ok(plan) = Plan::new(&spec) else {
            return ().into_any();
        };
        let at = registered.get();
        let uncovered = std::cell::Cell::new(false);
        let rows = sample_classifications().into_iter().map(|(label, classification)| {
            let targets = plan.targets_for(&classification);
            let calendar = plan.calendar_for(&classification);
            let zone = if calendar.is_always_open() { "UTC".to_owned() } else { calendar.timezone().name().to_owned() };
            let cell = |target: Target| {
                let deadline = target.deadline(calendar, at);
                let covered = deadline.is_none_or(|d| calendar.covers(d));
                if !covered {
                    uncovered.set(true);
                }
                view! {
                    <td>
                        {match deadline {
                            Some(deadline) => view! {
                                <span class="help">{target_text(target, locale)}</span><br/>
                                <strong>{format_day_time(deadline, &zone, locale)}</strong>
                            }.into_any(),
                            None => view! { <span class="help">{t(Text::NoCommitment)}</span> }.into_any(),
                        }}
                        {(!covered).then(|| view! { " "<span class="badge state-at_risk">{t(Text::NotExact)}</span> })}
                    </td>
                }
            };
            let name = match classification.severity {
                Some(severity) => t(severity_text(severity)).to_owned(),
                None => t(category_text(classification.category)).to_owned(),
            };
            view! {
                <tr>
                    <th scope="row" title=name>{label}</th>
                    {cell(targets.first_response)}
                    {cell(targets.resolution)}
                </tr>
            }
        }).collect_view();
        view! {
            <table class="list days plan-table">
                <caption>{t(Text::RegisteredAt)}": "{format_day_time(at, &session.zone(), locale)}</caption>
                <thead><tr>
                    <th scope="col">{t(Text::Category)}</th>
                    <th scope="col">{t(Text::FirstResponse)}</th>
                    <th scope="col">{t(Text::Resolution)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {uncovered.get().then(|| view! {
                <p class="coverage-warning" role="alert">
                    <strong>{t(Text::NotExact)}": "</strong>{t(Text::CoverageWarning)}
                </p>
            })}
        }
        .into_any()
    };
    view! {
        <aside class="card calendar-preview" aria-labelledby="plan-preview-title">
            <h2 id="plan-preview-title">{session.text(Text::DeadlinePreview)}</h2>
            <p class="help">{session.text(Text::PlanPreviewHelp)}</p>
            <div aria-live="polite">{table}</div>
        </aside>
    }
}

/// What the plan does with a ticket on a version its product does not support.
#[component]
fn UnsupportedVersionsField(choice: RwSignal<UnsupportedVersions>) -> impl IntoView {
    let session = session();
    let options = [
        (
            UnsupportedVersions::Accept,
            "accept",
            Text::UnsupportedAccept,
        ),
        (
            UnsupportedVersions::AdviceOnly,
            "advice_only",
            Text::UnsupportedAdviceOnly,
        ),
        (
            UnsupportedVersions::Refuse,
            "refuse",
            Text::UnsupportedRefuse,
        ),
    ];
    view! {
        <div class="field">
            <label for="plan-unsupported">{session.text(Text::UnsupportedVersionsSetting)}</label>
            <select id="plan-unsupported" on:change=move |ev| {
                let code = event_target_value(&ev);
                if let Some((value, _, _)) = options.iter().find(|(_, name, _)| *name == code) {
                    choice.set(*value);
                }
            }>
                {options.into_iter().map(|(value, name, text)| view! {
                    <option value=name selected={move || choice.get() == value}>{session.text(text)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Which clocks pause while a ticket is on hold: one checkbox per clock, kept in the clocks' order.
#[component]
fn OnHoldPausesField(pauses: RwSignal<Vec<ClockKind>>) -> impl IntoView {
    let session = session();
    let clocks = [
        (
            ClockKind::FirstResponse,
            "first_response",
            Text::FirstResponse,
        ),
        (ClockKind::NextResponse, "next_response", Text::NextResponse),
        (ClockKind::Resolution, "resolution", Text::Resolution),
        (ClockKind::Escalation, "escalation", Text::Escalation),
    ];
    let toggle = move |kind: ClockKind, on: bool| {
        pauses.update(|list| {
            list.retain(|k| *k != kind);
            if on {
                list.push(kind);
            }
            list.sort_by_key(|k| clocks.iter().position(|(c, _, _)| c == k));
        });
    };
    view! {
        <fieldset class="on-hold-pauses">
            <legend>{session.text(Text::OnHoldPausesSetting)}</legend>
            {clocks.into_iter().map(|(kind, code, text)| view! {
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name="on_hold_pauses" value=code
                            prop:checked=move || pauses.with(|list| list.contains(&kind))
                            on:change=move |ev| toggle(kind, event_target_checked(&ev))/>
                        {session.text(text)}
                    </label>
                </div>
            }).collect_view()}
        </fieldset>
    }
}
