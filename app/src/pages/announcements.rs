//! "Announcements": supervisors and admins publish schedule changes, holiday hours and outages
//! with a validity period; the banner of every page shows the current ones.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::{Announcement, NewAnnouncement, UpdateAnnouncement};
use shared::i18n::Text;
use shared::ticket::Role;

use crate::api::{self, ApiError};
use crate::components::form::{
    FieldError, field_message, form_message, from_local_input, invalid, to_local_input,
};
use crate::components::layout::RequireRole;
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time;
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

const KINDS: [(&str, Text); 4] = [
    ("schedule", Text::KindSchedule),
    ("holiday", Text::KindHoliday),
    ("outage", Text::KindOutage),
    ("info", Text::KindInfo),
];

fn kind_text(kind: &str) -> Text {
    KINDS
        .iter()
        .find(|(code, _)| *code == kind)
        .map(|(_, text)| *text)
        .unwrap_or(Text::KindInfo)
}

/// Whether an announcement is scheduled, current or over at `now`.
fn phase(item: &Announcement, now: DateTime<Utc>) -> (&'static str, Text) {
    if item.starts_at > now {
        ("state-paused", Text::Scheduled)
    } else if item.ends_at.is_some_and(|end| end <= now) {
        ("state-none", Text::Expired)
    } else {
        ("state-running", Text::Current)
    }
}

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let session = session();
    let refresh = RwSignal::new(0u32);
    let list = Remote::new(move || {
        refresh.get();
        session.live_count.get();
        api::list_all_announcements()
    });
    // `None`: nothing open; `Some(None)`: a new one; `Some(Some(item))`: editing `item`.
    let editing = RwSignal::new(None::<Option<Announcement>>);
    let notice = RwSignal::new(None::<Text>);
    let delete_error = RwSignal::new(None::<String>);
    let remove = Submit::new(|id: &i64| {
        let id = *id;
        async move { api::delete_announcement(id).await }
    });
    effect(move |_| {
        if let Some(result) = remove.value() {
            match result {
                Ok(()) => {
                    delete_error.set(None);
                    notice.set(Some(Text::Deleted));
                    refresh.update(|n| *n += 1);
                }
                Err(error) => delete_error.set(Some(error.to_string())),
            }
        }
    });
    let on_saved = Callback::new(move |_: ()| {
        editing.set(None);
        notice.set(Some(Text::Saved));
        refresh.update(|n| *n += 1);
    });
    view! {
        <RequireRole allow=Role::is_manager>
        <section class="announcements-page">
            <div class="page-head">
                <h1>{session.text(Text::Announcements)}</h1>
                <button type="button" class="button primary" on:click=move |_| { notice.set(None); editing.set(Some(None)); }>
                    {session.text(Text::NewAnnouncement)}
                </button>
            </div>
            <p class="notice" role="status">{move || notice.get().map(|text| session.t(text))}</p>
            <p class="form-error" role="alert">{move || delete_error.get()}</p>
            {move || editing.get().map(|item| {
                view! { <AnnouncementForm initial=item on_saved=on_saved on_cancel=Callback::new(move |_: ()| editing.set(None))/> }
            })}
            {transition(Waiting::Loading, move || list.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="empty">{session.t(Text::NoAnnouncements)}</p> }.into_any(),
                Ok(items) => {
                    let zone = session.zone();
                    let now = session.now.get_untracked();
                    view! {
                        <table class="list">
                            <caption class="visually-hidden">{session.t(Text::Announcements)}</caption>
                            <thead><tr>
                                <th scope="col">{session.t(Text::Title)}</th>
                                <th scope="col">{session.t(Text::Kind)}</th>
                                <th scope="col">{session.t(Text::Validity)}</th>
                                <th scope="col">{session.t(Text::Visibility)}</th>
                                <th scope="col">{session.t(Text::Actions)}</th>
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|item| {
                                    let (class, phase_text) = phase(&item, now);
                                    let edit_item = item.clone();
                                    let id = item.id;
                                    let title = item.title.clone();
                                    let title_for_delete = item.title.clone();
                                    view! {
                                        <tr>
                                            <td><strong>{item.title.clone()}</strong><p class="help body">{item.body.clone()}</p></td>
                                            <td><span class=format!("badge kind kind-{}", item.kind)>{session.t(kind_text(&item.kind))}</span></td>
                                            <td>
                                                <span class=format!("badge {class}")>{session.t(phase_text)}</span>" "
                                                <span class="validity">
                                                    {format_time(item.starts_at, &zone)}" — "
                                                    {item.ends_at.map(|end| format_time(end, &zone)).unwrap_or_else(|| session.t(Text::NoEnd).to_owned())}
                                                </span>
                                            </td>
                                            <td>{session.t(if item.public { Text::PublicToo } else { Text::SignedInOnly })}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button secondary small"
                                                    on:click=move |_| { notice.set(None); editing.set(Some(Some(edit_item.clone()))); }>
                                                    {session.t(Text::Edit)}<span class="visually-hidden">": "{title.clone()}</span>
                                                </button>
                                                <button type="button" class="button danger small" disabled={move || remove.pending().get()}
                                                    on:click=move |_| {
                                                        let question = format!("{} «{}»?", session.t(Text::ConfirmDelete), title_for_delete);
                                                        if window().confirm_with_message(&question).unwrap_or(false) {
                                                            remove.dispatch(id);
                                                        }
                                                    }>
                                                    {session.t(Text::Delete)}<span class="visually-hidden">": "{item.title.clone()}</span>
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }))}
        </section>
        </RequireRole>
    }
}

#[component]
fn AnnouncementForm(
    initial: Option<Announcement>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let session = session();
    let zone = session.zone();
    let existing = initial.as_ref().map(|item| item.id);
    let kind = RwSignal::new(
        initial
            .as_ref()
            .map(|a| a.kind.clone())
            .unwrap_or_else(|| "schedule".to_owned()),
    );
    let title = RwSignal::new(
        initial
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(initial.as_ref().map(|a| a.body.clone()).unwrap_or_default());
    let starts = RwSignal::new(
        initial
            .as_ref()
            .map(|a| to_local_input(a.starts_at, &zone))
            .unwrap_or_else(|| to_local_input(session.now.get_untracked(), &zone)),
    );
    let ends = RwSignal::new(
        initial
            .as_ref()
            .and_then(|a| a.ends_at)
            .map(|end| to_local_input(end, &zone))
            .unwrap_or_default(),
    );
    let public = RwSignal::new(initial.as_ref().is_some_and(|a| a.public));
    let error = RwSignal::new(None::<ApiError>);
    let bad_date = RwSignal::new(None::<&'static str>);
    let zone_for_save = zone.clone();
    let save = Submit::new(move |_: &()| {
        let zone = zone_for_save.clone();
        let starts_at = from_local_input(&starts.get_untracked(), &zone);
        let ends_at = from_local_input(&ends.get_untracked(), &zone);
        let (kind, title, body, public) = (
            kind.get_untracked(),
            title.get_untracked(),
            body.get_untracked(),
            public.get_untracked(),
        );
        async move {
            match existing {
                None => api::create_announcement(NewAnnouncement {
                    kind,
                    title,
                    body,
                    starts_at,
                    ends_at,
                    public,
                })
                .await
                .map(|_| ()),
                Some(id) => api::update_announcement(
                    id,
                    UpdateAnnouncement {
                        kind: Some(kind),
                        title: Some(title),
                        body: Some(body),
                        starts_at,
                        ends_at,
                        public: Some(public),
                    },
                )
                .await
                .map(|_| ()),
            }
        }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(()) => on_saved.run(()),
                Err(failure) => error.set(Some(failure)),
            }
        }
    });
    let zone_for_submit = zone.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let starts_value = starts.get_untracked();
        let ends_value = ends.get_untracked();
        let problem = if !starts_value.is_empty()
            && from_local_input(&starts_value, &zone_for_submit).is_none()
        {
            Some("starts_at")
        } else if !ends_value.is_empty()
            && from_local_input(&ends_value, &zone_for_submit).is_none()
        {
            Some("ends_at")
        } else {
            None
        };
        bad_date.set(problem);
        if problem.is_none() && !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(());
        }
    };
    let date_message = move |name: &'static str| {
        move || {
            field_message(error, name)().or_else(|| {
                (bad_date.get() == Some(name)).then(|| session.t(Text::InvalidDate).to_owned())
            })
        }
    };
    const SHOWN: &[&str] = &["kind", "title", "body", "starts_at", "ends_at"];
    let heading = if existing.is_some() {
        Text::EditAnnouncement
    } else {
        Text::NewAnnouncement
    };
    view! {
        <section class="card editor" aria-labelledby="announcement-form-title">
            <h2 id="announcement-form-title">{move || session.t(heading)}</h2>
            <form on:submit=submit novalidate>
                <div class="field-row">
                    <div class="field">
                        <label for="announcement-kind">{session.text(Text::Kind)}</label>
                        <select id="announcement-kind" aria-describedby="announcement-kind-error" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {KINDS.into_iter().map(|(code, text)| view! {
                                <option value=code selected={move || kind.get() == code}>{move || session.t(text)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="announcement-kind-error" message=Signal::derive(field_message(error, "kind"))/>
                    </div>
                    <div class="field grow">
                        <label for="announcement-title">{session.text(Text::Title)}</label>
                        <input id="announcement-title" type="text" maxlength="200" required
                            aria-invalid={move || invalid(field_message(error, "title")())} aria-describedby="announcement-title-error"
                            prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                        <FieldError id="announcement-title-error" message=Signal::derive(field_message(error, "title"))/>
                    </div>
                </div>
                <div class="field">
                    <label for="announcement-body">{session.text(Text::MessageText)}</label>
                    <textarea id="announcement-body" aria-invalid={move || invalid(field_message(error, "body")())} aria-describedby="announcement-body-error"
                        prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <FieldError id="announcement-body-error" message=Signal::derive(field_message(error, "body"))/>
                </div>
                <fieldset class="field-row validity-fields">
                    <legend>{session.text(Text::Validity)}" ("{zone.clone()}")"</legend>
                    <div class="field">
                        <label for="announcement-starts">{session.text(Text::ValidFrom)}</label>
                        <input id="announcement-starts" type="datetime-local"
                            aria-invalid={move || invalid(date_message("starts_at")())} aria-describedby="announcement-starts-error"
                            prop:value=starts on:input=move |ev| starts.set(event_target_value(&ev))/>
                        <FieldError id="announcement-starts-error" message=Signal::derive(date_message("starts_at"))/>
                    </div>
                    <div class="field">
                        <label for="announcement-ends">{session.text(Text::ValidUntil)}</label>
                        <input id="announcement-ends" type="datetime-local" aria-describedby="announcement-ends-help announcement-ends-error"
                            aria-invalid={move || invalid(date_message("ends_at")())}
                            prop:value=ends on:input=move |ev| ends.set(event_target_value(&ev))/>
                        <p id="announcement-ends-help" class="help">{session.text(Text::ValidUntilHelp)}</p>
                        <FieldError id="announcement-ends-error" message=Signal::derive(date_message("ends_at"))/>
                    </div>
                </fieldset>
                <div class="field checkbox">
                    <label>
                        <input id="announcement-public" type="checkbox" prop:checked=public
                            on:change=move |ev| public.set(event_target_checked(&ev))/>
                        {session.text(Text::ShowOnSignIn)}
                    </label>
                </div>
                <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
                <div class="actions">
                    <button type="submit" class="button primary" disabled={move || save.pending().get()}>
                        {move || session.t(if existing.is_some() { Text::SaveChanges } else { Text::Publish })}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{session.text(Text::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}
