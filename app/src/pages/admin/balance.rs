//! An organisation's prepaid balance for paid work [004] on its admin page: what is left, the
//! history of top-ups, corrections and work on paid tickets, and for admins the form that
//! records a change (audited by the server).

use leptos::prelude::*;
use shared::api::{BalanceEntryKind, NewBalanceEntry, Organisation};
use shared::i18n::Text;

use super::viewer_is_admin;
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::components::layout::ShowWhen;
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time;
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

fn kind_text(kind: BalanceEntryKind) -> Text {
    match kind {
        BalanceEntryKind::TopUp => Text::BalanceTopUp,
        BalanceEntryKind::Correction => Text::BalanceCorrection,
        BalanceEntryKind::Work => Text::BalanceWork,
    }
}

/// Signed minutes with the unit, as the balance reads (`-30 min`).
fn minutes_text(minutes: i64, short: &str) -> String {
    format!("{minutes} {short}")
}

/// The balance and its history; admins also record a change.
#[component]
pub fn BalanceEditor(organisation: Organisation) -> impl IntoView {
    let session = session();
    let organisation_id = organisation.id;
    let refresh = RwSignal::new(0u32);
    let balance = Remote::new(move || {
        refresh.get();
        api::find_balance(organisation_id)
    });
    let kind = RwSignal::new(BalanceEntryKind::TopUp);
    let minutes = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let save = Submit::new(move |entry: &NewBalanceEntry| {
        let entry = entry.clone();
        async move { api::create_balance_entry(organisation_id, entry).await }
    });
    effect(move |_| {
        if let Some(result) = save.value() {
            match result {
                Ok(_) => {
                    error.set(None);
                    minutes.set(String::new());
                    comment.set(String::new());
                    saved.set(true);
                    refresh.update(|n| *n += 1);
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
        if save.pending().get_untracked() {
            return;
        }
        let Ok(value) = minutes.get_untracked().trim().parse::<i64>() else {
            error.set(Some(ApiError::invalid(
                "minutes",
                session.t(Text::WholeNumber).to_owned(),
            )));
            return;
        };
        saved.set(false);
        save.dispatch(NewBalanceEntry {
            kind: kind.get_untracked(),
            minutes: value,
            comment: comment.get_untracked(),
        });
    };
    const SHOWN: &[&str] = &["minutes", "comment", "kind"];
    let short = move || session.t(Text::MinutesShort);
    view! {
        <section class="card editor balance" aria-labelledby="balance-title">
            <h2 id="balance-title">{session.text(Text::BalanceOf)}" "{organisation.name.clone()}</h2>
            {transition(Waiting::Loading, move || balance.get().map(|result| match result {
                Err(failure) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{failure.to_string()}</p> }.into_any(),
                Ok(balance) => view! {
                    <p class="balance-left" data-testid="balance">
                        {session.t(Text::PrepaidBalance)}": "<strong>{minutes_text(balance.minutes, short())}</strong>
                    </p>
                    <table class="list balance-history">
                        <caption>{session.t(Text::BalanceHistory)}</caption>
                        <thead><tr>
                            <th scope="col">{session.t(Text::When)}</th>
                            <th scope="col">{session.t(Text::Kind)}</th>
                            <th scope="col">{session.t(Text::Minutes)}</th>
                            <th scope="col">{session.t(Text::Comment)}</th>
                            <th scope="col">{session.t(Text::Actor)}</th>
                        </tr></thead>
                        <tbody>
                            {balance.entries.is_empty().then(|| view! { <tr><td colspan="5" class="empty">{session.t(Text::NoBalanceHistory)}</td></tr> })}
                            {balance.entries.into_iter().map(|entry| view! {
                                <tr data-kind=entry.kind.as_str()>
                                    <td><time datetime=entry.created_at.to_rfc3339()>{format_time(entry.created_at, &session.zone())}</time></td>
                                    <td>{session.t(kind_text(entry.kind))}</td>
                                    <td class="number">{if entry.minutes > 0 { format!("+{}", entry.minutes) } else { entry.minutes.to_string() }}</td>
                                    <td>{entry.ticket.map(|reference| view! { <a href=format!("/tickets/{reference}")>{reference.clone()}</a>" " })}{entry.comment}</td>
                                    <td>{entry.actor_name.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }))}
            <ShowWhen when=viewer_is_admin>
                <form class="field-row" on:submit=submit novalidate>
                    <div class="field">
                        <label for="balance-kind">{session.text(Text::Kind)}</label>
                        <select id="balance-kind" on:change=move |ev| {
                            kind.set(if event_target_value(&ev) == "correction" { BalanceEntryKind::Correction } else { BalanceEntryKind::TopUp });
                        }>
                            <option value="top_up" selected={move || kind.get() == BalanceEntryKind::TopUp}>{session.text(Text::BalanceTopUp)}</option>
                            <option value="correction" selected={move || kind.get() == BalanceEntryKind::Correction}>{session.text(Text::BalanceCorrection)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="balance-minutes">{session.text(Text::Minutes)}</label>
                        <input id="balance-minutes" type="number" step="1" inputmode="numeric"
                            aria-invalid={move || invalid(field_message(error, "minutes")())} aria-describedby="balance-minutes-error"
                            prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev))/>
                        <FieldError id="balance-minutes-error" message=Signal::derive(field_message(error, "minutes"))/>
                    </div>
                    <div class="field grow">
                        <label for="balance-comment">{session.text(Text::Comment)}</label>
                        <input id="balance-comment" type="text" maxlength="500"
                            aria-invalid={move || invalid(field_message(error, "comment")())} aria-describedby="balance-comment-error"
                            prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))/>
                        <FieldError id="balance-comment-error" message=Signal::derive(field_message(error, "comment"))/>
                    </div>
                    <div class="field end">
                        <button type="submit" class="button primary" disabled={move || save.pending().get()}>{session.text(Text::RecordChange)}</button>
                    </div>
                </form>
                <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
                <p class="notice" role="status">{move || saved.get().then(|| session.t(Text::Saved))}</p>
            </ShowWhen>
        </section>
    }
}
