//! `/admin/reminders`: the reminder to change temporary passwords that the resolution mail adds
//! [000], per plan and, overriding the plan's, per organisation, in English and Russian.
//! Supervisors read it; admins change it (audited by the server).

use leptos::prelude::*;
use shared::api::PasswordReminder;
use shared::i18n::Text;

use super::{AdminShell, viewer_is_admin};
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, transition};
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

/// Whose reminder: `plans` or `organisations` (the path segment) and the id.
type Owner = (&'static str, i64);

fn owner_value((kind, id): Owner) -> String {
    format!("{kind}:{id}")
}

fn parse_owner(value: &str) -> Option<Owner> {
    let (kind, id) = value.split_once(':')?;
    let kind = match kind {
        "plans" => "plans",
        "organisations" => "organisations",
        _ => return None,
    };
    Some((kind, id.parse().ok()?))
}

#[component]
pub fn PasswordRemindersPage() -> impl IntoView {
    let session = session();
    let choices = Remote::new(|| async {
        let plans = api::list_plans().await?;
        let organisations = api::list_organisations().await?;
        Ok::<_, ApiError>((plans, organisations))
    });
    let owner = RwSignal::new(None::<Owner>);
    // The first plan is shown until another owner is chosen.
    effect(move |_| {
        if owner.get_untracked().is_none()
            && let Some(Ok((plans, _))) = choices.get()
            && let Some(first) = plans.first()
        {
            owner.set(Some(("plans", first.id)));
        }
    });
    view! {
        <AdminShell title=Text::PasswordReminders>
            <p class="help">{session.text(Text::PasswordRemindersHelp)}</p>
            {transition(Waiting::Loading, move || choices.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok((plans, organisations)) => view! {
                    <div class="field">
                        <label for="reminder-owner">{session.text(Text::ReminderFor)}</label>
                        <select id="reminder-owner" on:change=move |ev| owner.set(parse_owner(&event_target_value(&ev)))>
                            <optgroup label=session.t(Text::Plans)>
                                {plans.into_iter().map(|plan| {
                                    let value = owner_value(("plans", plan.id));
                                    view! { <option value=value selected={move || owner.get() == Some(("plans", plan.id))}>{session.t(Text::Plan)}": "{plan.name}</option> }
                                }).collect_view()}
                            </optgroup>
                            <optgroup label=session.t(Text::Organisations)>
                                {organisations.into_iter().map(|organisation| {
                                    let value = owner_value(("organisations", organisation.id));
                                    view! { <option value=value selected={move || owner.get() == Some(("organisations", organisation.id))}>{session.t(Text::Organisation)}": "{organisation.name}</option> }
                                }).collect_view()}
                            </optgroup>
                        </select>
                    </div>
                    {move || owner.get().map(|owner| view! { <ReminderEditor owner=owner/> })}
                }.into_any(),
            }))}
        </AdminShell>
    }
}

/// The two texts of one owner's reminder.
#[component]
fn ReminderEditor(owner: Owner) -> impl IntoView {
    let session = session();
    let (kind, id) = owner;
    let en = RwSignal::new(String::new());
    let ru = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let current = Remote::new(move || api::find_password_reminder(kind, id));
    effect(move |_| match current.get() {
        Some(Ok(reminder)) => {
            en.set(reminder.en);
            ru.set(reminder.ru);
        }
        Some(Err(failure)) => error.set(Some(failure)),
        None => {}
    });
    let save = Submit::new(move |reminder: &PasswordReminder| {
        let reminder = reminder.clone();
        async move { api::update_password_reminder(kind, id, reminder).await }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(reminder) => {
                    error.set(None);
                    en.set(reminder.en);
                    ru.set(reminder.ru);
                    saved.set(true);
                }
                Err(failure) => {
                    saved.set(false);
                    error.set(Some(failure));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !save.pending().get_untracked() {
            saved.set(false);
            save.dispatch(PasswordReminder {
                en: en.get_untracked(),
                ru: ru.get_untracked(),
            });
        }
    };
    const SHOWN: &[&str] = &["en", "ru"];
    view! {
        <form class="card editor reminder" on:submit=submit novalidate>
            <div class="field">
                <label for="reminder-en">{session.text(Text::ReminderEnglish)}</label>
                <textarea id="reminder-en" maxlength="2000" aria-describedby="reminder-en-error"
                    readonly={move || !viewer_is_admin()}
                    prop:value=en on:input=move |ev| en.set(event_target_value(&ev))></textarea>
                <FieldError id="reminder-en-error" message=Signal::derive(field_message(error, "en"))/>
            </div>
            <div class="field">
                <label for="reminder-ru">{session.text(Text::ReminderRussian)}</label>
                <textarea id="reminder-ru" maxlength="2000" aria-describedby="reminder-ru-error"
                    readonly={move || !viewer_is_admin()}
                    prop:value=ru on:input=move |ev| ru.set(event_target_value(&ev))></textarea>
                <FieldError id="reminder-ru-error" message=Signal::derive(field_message(error, "ru"))/>
            </div>
            <ShowWhen when=viewer_is_admin>
                <div class="actions">
                    <button type="submit" class="button primary" disabled={move || save.pending().get()}>{session.text(Text::SaveReminder)}</button>
                </div>
            </ShowWhen>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || saved.get().then(|| session.t(Text::Saved))}</p>
        </form>
    }
}
