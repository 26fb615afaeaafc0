//! `/admin/calendars`: the calendar editor — weekly hours (several intervals a day), holidays
//! from the bundled Russian production calendar or an explicit list, extra working days,
//! overrides and 24x7 — with a live deadline preview computed in the browser by `shared`
//! (the same functions the server runs), and a warning when the bundled calendar has no exact
//! data for a year. Saving goes to `/api/admin/calendars`; the preview never needs the server.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use leptos::prelude::*;
use shared::calendar::text::{HourMinute, parse_date};
use shared::calendar::{Calendar, CalendarSpec, Holidays, WeekSpec, seed_calendars};
use shared::i18n::{Locale, Text};
use shared::sla::{Plan, Target, seed_plans};
use shared::ticket::{Category, Classification, Severity};

use super::{AdminShell, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, from_local_input, to_local_input};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, keyed, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;
use shared::api::AdminCalendar;

const ZONES: [&str; 17] = [
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Asia/Tbilisi",
    "UTC",
];

const DAYS: [(Weekday, Text); 7] = [
    (Weekday::Mon, Text::Monday),
    (Weekday::Tue, Text::Tuesday),
    (Weekday::Wed, Text::Wednesday),
    (Weekday::Thu, Text::Thursday),
    (Weekday::Fri, Text::Friday),
    (Weekday::Sat, Text::Saturday),
    (Weekday::Sun, Text::Sunday),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The suggestions of the time-zone inputs (`<datalist id="zone-list">`).
#[component]
pub fn ZoneList() -> impl IntoView {
    view! { <datalist id="zone-list">{ZONES.into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}</datalist> }
}

/// One working interval being edited.
#[derive(Clone, Copy)]
struct Interval {
    id: usize,
    open: RwSignal<String>,
    close: RwSignal<String>,
}

/// One override being edited: a date and its hours (`10:00-15:00, 16:00-18:00`; empty closes it).
#[derive(Clone, Copy)]
struct OverrideRow {
    id: usize,
    date: RwSignal<String>,
    hours: RwSignal<String>,
}

/// The whole form: every part a signal, so typing never re-renders a list.
#[derive(Clone, Copy)]
struct Draft {
    id: RwSignal<Option<i64>>,
    name: RwSignal<String>,
    always_open: RwSignal<bool>,
    timezone: RwSignal<String>,
    week: [RwSignal<Vec<Interval>>; 7],
    holidays_ru: RwSignal<bool>,
    holiday_dates: RwSignal<String>,
    extra_days: RwSignal<String>,
    overrides: RwSignal<Vec<OverrideRow>>,
    shorten: RwSignal<bool>,
    next_id: StoredValue<usize>,
}

/// A problem of the form, with the part it is about: `name`, `timezone`, `week.mon`, `holidays`,
/// `extra_working_days`, `overrides` or `calendar`.
#[derive(Clone, Debug, PartialEq)]
struct DraftError {
    field: String,
    message: String,
}

fn day_key(index: usize) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][index]
}

fn week_day(week: &WeekSpec, index: usize) -> &Vec<String> {
    [
        &week.mon, &week.tue, &week.wed, &week.thu, &week.fri, &week.sat, &week.sun,
    ][index]
}

fn week_day_mut(week: &mut WeekSpec, index: usize) -> &mut Vec<String> {
    match index {
        0 => &mut week.mon,
        1 => &mut week.tue,
        2 => &mut week.wed,
        3 => &mut week.thu,
        4 => &mut week.fri,
        5 => &mut week.sat,
        _ => &mut week.sun,
    }
}

fn parse_dates(text: &str, field: &str, locale: Locale) -> Result<Vec<NaiveDate>, DraftError> {
    let mut dates = Vec::new();
    for token in text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
    {
        let date = parse_date(token).map_err(|_| DraftError {
            field: field.to_owned(),
            message: format!("{} «{token}»", Text::NotADate.get(locale)),
        })?;
        dates.push(date);
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(dates)
}

impl Draft {
    fn new() -> Draft {
        Draft {
            id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            always_open: RwSignal::new(false),
            // A new calendar starts empty (every day off) in the service's zone; a template
            // fills it at a click.
            timezone: RwSignal::new("Europe/Moscow".to_owned()),
            week: std::array::from_fn(|_| RwSignal::new(Vec::new())),
            holidays_ru: RwSignal::new(true),
            holiday_dates: RwSignal::new(String::new()),
            extra_days: RwSignal::new(String::new()),
            overrides: RwSignal::new(Vec::new()),
            shorten: RwSignal::new(false),
            next_id: StoredValue::new(0),
        }
    }

    fn next(&self) -> usize {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    fn interval(&self, text: &str) -> Interval {
        let (open, close) = text.split_once('-').unwrap_or((text, ""));
        Interval {
            id: self.next(),
            open: RwSignal::new(open.trim().to_owned()),
            close: RwSignal::new(close.trim().to_owned()),
        }
    }

    /// Fills the form from a spec.
    fn load(&self, id: Option<i64>, name: &str, spec: &CalendarSpec) {
        self.id.set(id);
        self.name.set(name.to_owned());
        self.always_open.set(spec.always_open);
        self.timezone.set(
            spec.timezone
                .clone()
                .unwrap_or_else(|| "Europe/Moscow".to_owned()),
        );
        let week = spec
            .week
            .clone()
            .unwrap_or_else(|| WeekSpec::weekdays(&["10:00-19:00"]));
        for (index, day) in self.week.iter().enumerate() {
            day.set(
                week_day(&week, index)
                    .iter()
                    .map(|text| self.interval(text))
                    .collect(),
            );
        }
        match &spec.holidays {
            Holidays::Ru => {
                self.holidays_ru.set(true);
                self.holiday_dates.set(String::new());
            }
            Holidays::Dates(dates) => {
                self.holidays_ru.set(false);
                self.holiday_dates.set(
                    dates
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
        }
        self.extra_days.set(
            spec.extra_working_days
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        self.overrides.set(
            spec.overrides
                .iter()
                .map(|(date, hours)| OverrideRow {
                    id: self.next(),
                    date: RwSignal::new(date.to_string()),
                    hours: RwSignal::new(hours.join(", ")),
                })
                .collect(),
        );
        self.shorten.set(spec.shorten_pre_holiday);
    }

    /// The spec the form describes (reactive), or the first problem.
    fn spec(&self, locale: Locale) -> Result<CalendarSpec, DraftError> {
        if self.always_open.get() {
            return Ok(CalendarSpec::always_open());
        }
        let mut week = WeekSpec::default();
        for (index, day) in self.week.iter().enumerate() {
            *week_day_mut(&mut week, index) = day
                .get()
                .iter()
                .map(|interval| {
                    format!(
                        "{}-{}",
                        interval.open.get().trim(),
                        interval.close.get().trim()
                    )
                })
                .collect();
        }
        let holidays = if self.holidays_ru.get() {
            Holidays::Ru
        } else {
            Holidays::Dates(parse_dates(&self.holiday_dates.get(), "holidays", locale)?)
        };
        let extra_working_days = parse_dates(&self.extra_days.get(), "extra_working_days", locale)?;
        let mut overrides = std::collections::BTreeMap::new();
        for row in self.overrides.get() {
            let date = parse_date(row.date.get().trim()).map_err(|_| DraftError {
                field: "overrides".into(),
                message: Text::OverrideNeedsDate.get(locale).to_owned(),
            })?;
            let hours: Vec<String> = row
                .hours
                .get()
                .split([',', ';'])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            overrides.insert(date, hours);
        }
        Ok(CalendarSpec {
            timezone: Some(self.timezone.get().trim().to_owned()),
            week: Some(week),
            holidays,
            extra_working_days,
            overrides,
            shorten_pre_holiday: self.shorten.get(),
            always_open: false,
        })
    }
}

/// Which part of the form a `shared` calendar error is about (`week.mon[0]` → `week.mon`).
fn error_part(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("week.") {
        return format!("week.{}", rest.split(['[', '.']).next().unwrap_or(rest));
    }
    for part in [
        "timezone",
        "holidays",
        "extra_working_days",
        "overrides",
        "week",
    ] {
        if field.starts_with(part) {
            return part.to_owned();
        }
    }
    "calendar".to_owned()
}

fn weekday_text(day: Weekday) -> Text {
    DAYS[day.num_days_from_monday() as usize].1
}

fn weekday_short(day: Weekday) -> Text {
    [
        Text::MonShort,
        Text::TueShort,
        Text::WedShort,
        Text::ThuShort,
        Text::FriShort,
        Text::SatShort,
        Text::SunShort,
    ][day.num_days_from_monday() as usize]
}

/// `Tue 30 Dec 2025 15:00` in `zone`.
pub(super) fn format_day_time(at: DateTime<Utc>, zone: &str, locale: Locale) -> String {
    let local = match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).naive_local(),
        Err(_) => at.naive_utc(),
    };
    let short = weekday_short(local.weekday()).get(locale);
    format!(
        "{short} {:02} {} {} {:02}:{:02}",
        local.day(),
        MONTHS[local.month0() as usize],
        local.year(),
        local.hour(),
        local.minute()
    )
}

pub(super) fn target_text(target: Target, locale: Locale) -> String {
    let t = |text: Text| text.get(locale);
    match target {
        Target::Working { minutes } if minutes % 60 == 0 => {
            format!("{} {}", minutes / 60, t(Text::WorkingHours))
        }
        Target::Working { minutes } => format!("{minutes} {}", t(Text::WorkingMinutes)),
        Target::SameOrNextWorkingDay { cutoff } => {
            format!("{} {}", t(Text::SameOrNextDay), HourMinute(cutoff))
        }
        Target::WorkingDays { days } => format!("{days} {}", t(Text::WorkingDaysUnit)),
        Target::None => t(Text::NoCommitment).to_owned(),
    }
}

pub(super) fn category_text(category: Category) -> Text {
    match category {
        Category::A => Text::CategoryA,
        Category::B => Text::CategoryB,
        Category::C => Text::CategoryC,
        Category::D => Text::CategoryD,
        Category::E => Text::CategoryE,
    }
}

pub(super) fn severity_text(severity: Severity) -> Text {
    match severity {
        Severity::Critical => Text::Severity1,
        Severity::Serious => Text::Severity2,
        Severity::Minor => Text::Severity3,
        Severity::NotADefect => Text::Severity4,
    }
}

#[component]
pub fn CalendarsPage() -> impl IntoView {
    let session = session();
    let draft = Draft::new();
    let refresh = RwSignal::new(0u32);
    let saved_list = Remote::new(move || {
        refresh.get();
        api::list_calendars()
    });
    let calendar = Memo::new(move |_| {
        let locale = session.locale.get();
        let spec = draft.spec(locale)?;
        Calendar::new(&spec).map_err(|error| DraftError {
            field: error_part(&error.field),
            message: format!("{}: {}", error.field, error.message),
        })
    });
    let part_error = move |part: &'static str| {
        move || {
            calendar.with(|result| {
                result
                    .as_ref()
                    .err()
                    .filter(|e| e.field == part)
                    .map(|e| e.message.clone())
            })
        }
    };

    // Saving.
    let save_error = RwSignal::new(None::<ApiError>);
    let saved_notice = RwSignal::new(false);
    let name_missing = RwSignal::new(false);
    let save = Submit::new(
        move |(id, name, spec): &(Option<i64>, String, CalendarSpec)| {
            let (id, name, spec) = (*id, name.clone(), spec.clone());
            async move {
                match id {
                    Some(id) => api::update_calendar(id, name, spec).await,
                    None => api::create_calendar(name, spec).await,
                }
            }
        },
    );
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
        let name = draft.name.get_untracked().trim().to_owned();
        name_missing.set(name.is_empty());
        let valid = calendar.with_untracked(|c| c.is_ok());
        if name.is_empty() || !valid || save.pending().get_untracked() {
            return;
        }
        if let Ok(spec) = draft.spec(session.locale.get_untracked()) {
            save.dispatch((draft.id.get_untracked(), name, spec));
        }
    };
    let name_message = move || {
        field_message(save_error, "name")().or_else(|| {
            name_missing
                .get()
                .then(|| session.t(Text::NameRequired).to_owned())
        })
    };
    let load = move |id: Option<i64>, name: String, spec: CalendarSpec| {
        draft.load(id, &name, &spec);
        saved_notice.set(false);
        save_error.set(None);
    };

    view! {
        <AdminShell title=Text::Calendars>
            <div class="calendar-layout">
                <div class="calendar-editor">
                    <section class="card" aria-labelledby="calendar-sources-title">
                        <h2 id="calendar-sources-title">{session.text(Text::StartFrom)}</h2>
                        <div class="actions">
                            {seed_calendars().into_iter().map(|(key, spec)| {
                                let label = key.clone();
                                view! {
                                    <button type="button" class="button secondary small"
                                        on:click=move |_| load(None, key.clone(), spec.clone())>
                                        <span class="visually-hidden">{session.text(Text::Template)}": "</span>{label}
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        <h3>{session.text(Text::SavedCalendars)}</h3>
                        {transition(Waiting::Loading, move || saved_list.get().map(|result| match result {
                            Err(_) => view! { <p class="help">{session.t(Text::SavedCalendarsUnavailable)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="help">{session.t(Text::NoSavedCalendars)}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="saved-list">
                                    {list.into_iter().map(|AdminCalendar { id, name, spec, .. }| {
                                        let label = name.clone();
                                        view! {
                                            <li>
                                                <button type="button" class="button secondary small"
                                                    aria-pressed={move || (draft.id.get() == Some(id)).to_string()}
                                                    on:click=move |_| load(Some(id), name.clone(), spec.clone())>
                                                    {session.t(Text::Edit)}" "{label}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }))}
                    </section>

                    <form class="card calendar-form" on:submit=submit novalidate>
                        <h2>{move || if draft.id.get().is_some() { session.t(Text::EditCalendar) } else { session.t(Text::NewCalendar) }}</h2>
                        <div class="field">
                            <label for="calendar-name">{session.text(Text::Name)}</label>
                            <input id="calendar-name" type="text" required maxlength="200"
                                aria-invalid={move || name_message().is_some().to_string()} aria-describedby="calendar-name-error"
                                prop:value=draft.name on:input=move |ev| draft.name.set(event_target_value(&ev))/>
                            <FieldError id="calendar-name-error" message=Signal::derive(name_message)/>
                        </div>
                        <div class="field checkbox">
                            <label>
                                <input id="calendar-always-open" type="checkbox" prop:checked=draft.always_open
                                    aria-describedby="calendar-always-open-help"
                                    on:change=move |ev| draft.always_open.set(event_target_checked(&ev))/>
                                {session.text(Text::AlwaysOpen)}
                            </label>
                            <p id="calendar-always-open-help" class="help">{session.text(Text::AlwaysOpenHelp)}</p>
                        </div>
                        <ShowWhen when=move || !draft.always_open.get()>
                            <CalendarFields draft=draft part_error=part_error/>
                        </ShowWhen>
                        <p class="form-error" role="alert">{part_error("calendar")}</p>
                        <p class="form-error" role="alert">{move || save_error.get().filter(|e| e.field("name").is_none()).map(|e| e.to_string())}</p>
                        <p class="notice" role="status">{move || saved_notice.get().then(|| session.t(Text::Saved))}</p>
                        <ShowWhen when=viewer_is_admin>
                            <div class="actions">
                                <button type="submit" class="button primary" disabled={move || save.pending().get() || calendar.with(|c| c.is_err())}>
                                    {move || session.t(if draft.id.get().is_some() { Text::SaveChanges } else { Text::SaveCalendar })}
                                </button>
                                <ShowWhen when=move || draft.id.get().is_some()>
                                    <button type="button" class="button secondary" on:click=move |_| draft.id.set(None)>
                                        {session.text(Text::SaveAsNew)}
                                    </button>
                                </ShowWhen>
                            </div>
                        </ShowWhen>
                    </form>
                </div>
                <DeadlinePreview calendar=calendar/>
            </div>
        </AdminShell>
    }
}

/// Time zone, weekly hours, holidays, extra working days, overrides.
#[component]
fn CalendarFields<F, R>(draft: Draft, part_error: F) -> impl IntoView
where
    F: Fn(&'static str) -> R + Copy + Send + Sync + 'static,
    R: Fn() -> Option<String> + Send + Sync + 'static,
{
    let session = session();
    let add_override = move |_| {
        let row = OverrideRow {
            id: draft.next(),
            date: RwSignal::new(String::new()),
            hours: RwSignal::new(String::new()),
        };
        draft.overrides.update(|rows| rows.push(row));
    };
    let copy_monday = move |_| {
        let monday: Vec<(String, String)> = draft.week[0]
            .get_untracked()
            .iter()
            .map(|i| (i.open.get_untracked(), i.close.get_untracked()))
            .collect();
        for day in &draft.week[1..5] {
            day.set(
                monday
                    .iter()
                    .map(|(open, close)| draft.interval(&format!("{open}-{close}")))
                    .collect(),
            );
        }
    };
    view! {
        <div class="field">
            <label for="calendar-zone">{session.text(Text::TimeZone)}</label>
            <input id="calendar-zone" type="text" list="zone-list" autocomplete="off" required
                aria-invalid={move || part_error("timezone")().is_some().to_string()} aria-describedby="calendar-zone-error"
                prop:value=draft.timezone on:input=move |ev| draft.timezone.set(event_target_value(&ev))/>
            <ZoneList/>
            <FieldError id="calendar-zone-error" message=Signal::derive(part_error("timezone"))/>
        </div>

        <fieldset class="week">
            <legend>{session.text(Text::WeeklyHours)}</legend>
            <p class="help">{session.text(Text::WeeklyHoursHelp)}</p>
            {DAYS.into_iter().enumerate().map(|(index, (_, day_text))| {
                let intervals = draft.week[index];
                let key = day_key(index);
                let error_id = format!("week-{key}-error");
                let part: &'static str = ["week.mon", "week.tue", "week.wed", "week.thu", "week.fri", "week.sat", "week.sun"][index];
                view! {
                    <fieldset class="day" aria-describedby=error_id.clone()>
                        <legend>{move || session.t(day_text)}</legend>
                        <ShowWhen when=move || intervals.with(|list| list.is_empty())>
                            <p class="help day-off">{session.text(Text::DayOff)}</p>
                        </ShowWhen>
                        {keyed(move || intervals.get(), |interval| interval.id.to_string(), move |interval| (
                            {
                                let open_id = format!("{key}-{}-open", interval.id);
                                let close_id = format!("{key}-{}-close", interval.id);
                                view! {
                                    <div class="interval">
                                        <label for=open_id.clone()>{session.text(Text::Opens)}</label>
                                        <input id=open_id type="text" inputmode="numeric" placeholder="10:00" maxlength="5" class="time"
                                            prop:value=interval.open on:input=move |ev| interval.open.set(event_target_value(&ev))/>
                                        <label for=close_id.clone()>{session.text(Text::Closes)}</label>
                                        <input id=close_id type="text" inputmode="numeric" placeholder="19:00" maxlength="5" class="time"
                                            prop:value=interval.close on:input=move |ev| interval.close.set(event_target_value(&ev))/>
                                        <button type="button" class="button secondary small"
                                            on:click=move |_| intervals.update(|list| list.retain(|i| i.id != interval.id))>
                                            {session.text(Text::RemoveInterval)}<span class="visually-hidden">" "{move || session.t(day_text)}</span>
                                        </button>
                                    </div>
                                }
                            }
                        ).into_any())}
                        <button type="button" class="button secondary small"
                            on:click=move |_| { let interval = draft.interval(""); intervals.update(|list| list.push(interval)); }>
                            {session.text(Text::AddInterval)}<span class="visually-hidden">" "{move || session.t(day_text)}</span>
                        </button>
                        <FieldError id=error_id.clone() message=Signal::derive(part_error(part))/>
                    </fieldset>
                }
            }).collect_view()}
            <button type="button" class="button secondary small" on:click=copy_monday>{session.text(Text::CopyMonday)}</button>
            <FieldError id="week-error" message=Signal::derive(part_error("week"))/>
        </fieldset>

        <fieldset class="field">
            <legend>{session.text(Text::Holidays)}</legend>
            <label class="radio">
                <input type="radio" name="holidays" value="ru" prop:checked=draft.holidays_ru
                    on:change=move |_| draft.holidays_ru.set(true)/>
                {session.text(Text::HolidaysRu)}
            </label>
            <label class="radio">
                <input type="radio" name="holidays" value="list" prop:checked={move || !draft.holidays_ru.get()}
                    on:change=move |_| draft.holidays_ru.set(false)/>
                {session.text(Text::HolidaysList)}
            </label>
            <ShowWhen when=move || !draft.holidays_ru.get()>
                <label for="calendar-holidays">{session.text(Text::HolidayDates)}</label>
                <textarea id="calendar-holidays" class="dates" aria-describedby="calendar-holidays-help calendar-holidays-error"
                    aria-invalid={move || part_error("holidays")().is_some().to_string()}
                    prop:value=draft.holiday_dates on:input=move |ev| draft.holiday_dates.set(event_target_value(&ev))></textarea>
                <p id="calendar-holidays-help" class="help">{session.text(Text::DatesHelp)}</p>
            </ShowWhen>
            <FieldError id="calendar-holidays-error" message=Signal::derive(part_error("holidays"))/>
            <div class="field checkbox">
                <label>
                    <input id="calendar-shorten" type="checkbox" prop:checked=draft.shorten
                        on:change=move |ev| draft.shorten.set(event_target_checked(&ev))/>
                    {session.text(Text::ShortenPreHoliday)}
                </label>
            </div>
        </fieldset>

        <div class="field">
            <label for="calendar-extra">{session.text(Text::ExtraWorkingDays)}</label>
            <textarea id="calendar-extra" class="dates" aria-describedby="calendar-extra-help calendar-extra-error"
                aria-invalid={move || part_error("extra_working_days")().is_some().to_string()}
                prop:value=draft.extra_days on:input=move |ev| draft.extra_days.set(event_target_value(&ev))></textarea>
            <p id="calendar-extra-help" class="help">{session.text(Text::ExtraWorkingDaysHelp)}</p>
            <FieldError id="calendar-extra-error" message=Signal::derive(part_error("extra_working_days"))/>
        </div>

        <fieldset class="field overrides">
            <legend>{session.text(Text::Overrides)}</legend>
            <p class="help">{session.text(Text::OverridesHelp)}</p>
            {keyed(move || draft.overrides.get(), |row| row.id.to_string(), move |row| (
                {
                    let date_id = format!("override-{}-date", row.id);
                    let hours_id = format!("override-{}-hours", row.id);
                    view! {
                        <div class="override">
                            <div class="field">
                                <label for=date_id.clone()>{session.text(Text::Date)}</label>
                                <input id=date_id type="date" prop:value=row.date on:input=move |ev| row.date.set(event_target_value(&ev))/>
                            </div>
                            <div class="field grow">
                                <label for=hours_id.clone()>{session.text(Text::HoursThatDay)}</label>
                                <input id=hours_id type="text" placeholder="10:00-15:00" prop:value=row.hours
                                    on:input=move |ev| row.hours.set(event_target_value(&ev))/>
                            </div>
                            <button type="button" class="button secondary small"
                                on:click=move |_| draft.overrides.update(|rows| rows.retain(|r| r.id != row.id))>
                                {session.text(Text::RemoveOverride)}<span class="visually-hidden">" "{move || row.date.get()}</span>
                            </button>
                        </div>
                    }
                }
            ).into_any())}
            <button type="button" class="button secondary small" on:click=add_override>{session.text(Text::AddOverride)}</button>
            <FieldError id="calendar-overrides-error" message=Signal::derive(part_error("overrides"))/>
        </fieldset>
    }
}

/// The live preview: the deadlines a ticket registered now (or at a chosen instant) would get
/// under a plan with this calendar, the next days' hours, and the coverage warning.
#[component]
fn DeadlinePreview(calendar: Memo<Result<Calendar, DraftError>>) -> impl IntoView {
    let session = session();
    let plans = seed_plans();
    let plan_key = RwSignal::new("standard".to_owned());
    let category = RwSignal::new(Category::C);
    let severity = RwSignal::new(Some(Severity::Serious));
    let special = RwSignal::new(false);
    let at_now = RwSignal::new(true);
    let at_value = RwSignal::new(String::new());
    let plans_for_preview = plans.clone();

    // The zone the chosen registration time is typed in: the calendar's.
    let calendar_zone = move || {
        calendar
            .with(|c| {
                c.as_ref()
                    .ok()
                    .filter(|c| !c.is_always_open())
                    .map(|c| c.timezone().name().to_owned())
            })
            .unwrap_or_else(|| "UTC".to_owned())
    };
    // To the minute, so that the live region changes once a minute, not every second.
    let registered = Memo::new(move |_| {
        if at_now.get() {
            let now = session.now.get();
            Some(
                now - Duration::seconds(i64::from(now.second()))
                    - Duration::nanoseconds(i64::from(now.nanosecond())),
            )
        } else {
            from_local_input(&at_value.get(), &calendar_zone())
        }
    });

    let preview = move || {
        let locale = session.locale.get();
        let viewer_zone = session.zone();
        let t = |text: Text| text.get(locale);
        let calendar = match calendar.get() {
            Ok(calendar) => calendar,
            Err(_) => {
                return view! { <p class="help">{t(Text::PreviewNeedsValidCalendar)}</p> }
                    .into_any();
            }
        };
        let Some(registered) = registered.get() else {
            return view! { <p class="help">{t(Text::PreviewNeedsTime)}</p> }.into_any();
        };
        let Ok(classification) = Classification::new(
            category.get(),
            if category.get() == Category::C {
                severity.get()
            } else {
                None
            },
            special.get(),
        ) else {
            return view! { <p class="help">{t(Text::ChooseSeverity)}</p> }.into_any();
        };
        let Some(mut spec) = plans_for_preview
            .iter()
            .find(|(key, _)| *key == plan_key.get())
            .map(|(_, spec)| spec.clone())
        else {
            return view! { <p class="help">{t(Text::LoadFailed)}</p> }.into_any();
        };
        spec.calendar = calendar.spec().clone();
        let plan = match Plan::new(&spec) {
            Ok(plan) => plan,
            Err(error) => {
                return view! { <p class="form-error" role="alert">{error.to_string()}</p> }
                    .into_any();
            }
        };
        let targets = plan.targets_for(&classification);
        let clock_calendar = plan.calendar_for(&classification).clone();
        let first = targets.first_response.deadline(&clock_calendar, registered);
        let resolution = targets.resolution.deadline(&clock_calendar, registered);
        let zone = if clock_calendar.is_always_open() {
            "UTC".to_owned()
        } else {
            clock_calendar.timezone().name().to_owned()
        };
        let working_now = clock_calendar.is_working(registered);
        let opens = (!working_now).then(|| clock_calendar.next_working(registered));
        // Every year the preview touches must be covered by exact data.
        let mut uncovered: Vec<i32> = [Some(registered), first, resolution]
            .into_iter()
            .flatten()
            .filter(|at| !clock_calendar.covers(*at))
            .map(|at| at.year())
            .collect();
        uncovered.sort_unstable();
        uncovered.dedup();
        let both = |at: DateTime<Utc>| {
            let here = format_day_time(at, &zone, locale);
            if viewer_zone == zone {
                here
            } else {
                format!(
                    "{here} ({zone}) · {} ({viewer_zone})",
                    format_day_time(at, &viewer_zone, locale)
                )
            }
        };
        let deadline_line = |label: Text, target: Target, deadline: Option<DateTime<Utc>>| {
            view! {
                <div class="preview-row">
                    <dt>{t(label)}</dt>
                    <dd>
                        <strong>{deadline.map(both).unwrap_or_else(|| t(Text::NoCommitment).to_owned())}</strong>
                        {target.is_committed().then(|| view! { <span class="help">" · "{target_text(target, locale)}</span> })}
                    </dd>
                </div>
            }
        };
        let reproduced_note = (targets.resolution_from == shared::sla::ResolutionFrom::Reproduced
            && targets.resolution.is_committed())
        .then(|| view! { <p class="help">{t(Text::ResolutionFromReproduced)}</p> });
        let special_note = classification
            .special
            .then(|| view! { <p class="help">{t(Text::SpecialUsesItsCalendar)}</p> });
        view! {
            <dl class="preview">
                <div class="preview-row">
                    <dt>{t(Text::Registered)}</dt>
                    <dd><strong>{both(registered)}</strong>
                        <span class=if working_now { "badge state-running" } else { "badge state-paused" }>
                            {t(if working_now { Text::WorkingTimeNow } else { Text::OutsideWorkingTime })}
                        </span>
                    </dd>
                </div>
                {opens.map(|opens| view! {
                    <div class="preview-row"><dt>{t(Text::ClockStartsAt)}</dt><dd>{both(opens)}</dd></div>
                })}
                {deadline_line(Text::FirstResponseBy, targets.first_response, first)}
                {deadline_line(Text::ResolutionBy, targets.resolution, resolution)}
            </dl>
            {reproduced_note}
            {special_note}
            {(!uncovered.is_empty()).then(|| view! {
                <p class="coverage-warning" role="alert">
                    <strong>{t(Text::CoverageWarningTitle)}" "{uncovered.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")}". "</strong>
                    {t(Text::CoverageWarning)}
                </p>
            })}
        }
        .into_any()
    };

    // The next fourteen local days with their working hours, to check holidays and transfers.
    let days = move || {
        let locale = session.locale.get();
        let t = |text: Text| text.get(locale);
        let Ok(calendar) = calendar.get() else {
            return ().into_any();
        };
        if calendar.is_always_open() {
            return view! { <p class="help">{t(Text::AlwaysOpenHelp)}</p> }.into_any();
        }
        let zone = calendar.timezone();
        let start = registered
            .get()
            .unwrap_or_else(|| session.now.get_untracked())
            .with_timezone(&zone)
            .date_naive();
        let rows = (0..14).filter_map(|offset| start.checked_add_signed(Duration::days(offset))).map(|date| {
            let intervals = calendar.working_intervals_on(date);
            let hours = if intervals.is_empty() {
                t(Text::DayOff).to_owned()
            } else {
                intervals
                    .iter()
                    .map(|(open, close)| format!("{}–{}", HourMinute(open.with_timezone(&zone)), HourMinute(close.with_timezone(&zone))))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let working = !intervals.is_empty();
            let weekday = t(weekday_text(date.weekday()));
            view! {
                <tr class:day-off=!working>
                    <th scope="row">{weekday}" "{format!("{:02} {}", date.day(), MONTHS[date.month0() as usize])}</th>
                    <td>{hours}</td>
                </tr>
            }
        }).collect_view();
        view! {
            <table class="list days">
                <caption>{t(Text::NextDays)}" ("{zone.name().to_owned()}")"</caption>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <aside class="card calendar-preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{session.text(Text::DeadlinePreview)}</h2>
            <p class="help">{session.text(Text::DeadlinePreviewHelp)}</p>
            <div class="field">
                <label for="preview-plan">{session.text(Text::Plan)}</label>
                <select id="preview-plan" on:change=move |ev| plan_key.set(event_target_value(&ev))>
                    {plans.iter().map(|(key, spec)| {
                        let key = key.clone();
                        let key_for_selected = key.clone();
                        view! { <option value=key selected={move || plan_key.get() == key_for_selected}>{spec.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="preview-category">{session.text(Text::Category)}</label>
                <select id="preview-category" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    if let Some(found) = Category::ALL.into_iter().find(|c| c.code() == code) {
                        category.set(found);
                    }
                }>
                    {Category::ALL.into_iter().map(|c| view! {
                        <option value=c.code() selected={move || category.get() == c}>{move || session.t(category_text(c))}</option>
                    }).collect_view()}
                </select>
            </div>
            <ShowWhen when=move || category.get() == Category::C>
                <div class="field">
                    <label for="preview-severity">{session.text(Text::Severity)}</label>
                    <select id="preview-severity" on:change=move |ev| {
                        let value = event_target_value(&ev).parse::<u8>().ok();
                        severity.set(value.and_then(|n| Severity::try_from(n).ok()));
                    }>
                        {Severity::ALL.into_iter().map(|s| view! {
                            <option value=s.number().to_string() selected={move || severity.get() == Some(s)}>{move || session.t(severity_text(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
            </ShowWhen>
            <div class="field checkbox">
                <label>
                    <input id="preview-special" type="checkbox" prop:checked=special on:change=move |ev| special.set(event_target_checked(&ev))/>
                    {session.text(Text::SpecialRequest)}
                </label>
            </div>
            <fieldset class="field">
                <legend>{session.text(Text::RegisteredAt)}</legend>
                <label class="radio">
                    <input type="radio" name="preview-when" prop:checked=at_now on:change=move |_| at_now.set(true)/>
                    {session.text(Text::Now)}
                </label>
                <label class="radio">
                    <input type="radio" name="preview-when" prop:checked={move || !at_now.get()}
                        on:change=move |_| {
                            if at_value.get_untracked().is_empty() {
                                at_value.set(to_local_input(session.now.get_untracked(), &calendar_zone()));
                            }
                            at_now.set(false);
                        }/>
                    {session.text(Text::AtChosenTime)}
                </label>
                <ShowWhen when=move || !at_now.get()>
                    <label for="preview-at">{move || format!("{} ({})", session.t(Text::RegisteredAt), calendar_zone())}</label>
                    <input id="preview-at" type="datetime-local" prop:value=at_value on:input=move |ev| at_value.set(event_target_value(&ev))/>
                </ShowWhen>
            </fieldset>
            <div class="preview-result" aria-live="polite" data-testid="calendar-preview">
                {preview}
            </div>
            {days}
        </aside>
    }
}
