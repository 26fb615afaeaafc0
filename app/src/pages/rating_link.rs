//! `/rate/:token`, the page behind the link in the resolution mail: the customer rates the
//! ticket (1–5 and a comment) or reopens it (with a comment) without signing in, once.
//!
//! The server decides what the link may still do (`GET /api/rating-links/{token}`); this page
//! only shows it and sends the choice.

use leptos::Params;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use shared::api::{RatingLink, RatingLinkAction};
use shared::i18n::Text;

use crate::api::{self, ApiError};
use crate::components::reactive::{Waiting, transition};
use crate::components::stars::StarPicker;
use crate::remote::Remote;
use crate::state::session;

/// The parameters of `/rate/:token`.
#[derive(Params, Clone, PartialEq)]
struct RatingLinkParams {
    token: Option<String>,
}

#[component]
pub fn RatingLinkPage() -> impl IntoView {
    let session = session();
    let params = use_params::<RatingLinkParams>();
    let token = move || {
        params.with(|params| {
            params
                .as_ref()
                .ok()
                .and_then(|params| params.token.clone())
                .unwrap_or_default()
        })
    };
    // What became of the link on this page: the thanks, or why it no longer works.
    let outcome = RwSignal::new(None::<Text>);
    let link = Remote::new(move || api::find_rating_link(token()));
    view! {
        <section class="card narrow rating-link">
            {transition(Waiting::Loading, move || {
                let found = link.get()?;
                let view = match (outcome.get(), found) {
                    (Some(done), found) => finished(done, found.ok()),
                    (None, Err(error)) if error.is_not_found() => finished(Text::RatingLinkUnknown, None),
                    (None, Err(error)) => view! {
                        <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p>
                    }.into_any(),
                    (None, Ok(found)) if !found.usable => finished(Text::RatingLinkUsed, Some(found)),
                    (None, Ok(found)) => view! { <RatingLinkForms link=found token=token() outcome=outcome/> }.into_any(),
                };
                Some(view)
            })}
        </section>
    }
}

/// The ticket a link names: its reference and subject.
fn ticket_heading(link: &RatingLink) -> AnyView {
    view! {
        <p class="ref">{link.reference.clone()}</p>
        <h1>{link.subject.clone()}</h1>
    }
    .into_any()
}

/// The page once the link has done its work or cannot: `text`, and the way into the portal.
fn finished(text: Text, link: Option<RatingLink>) -> AnyView {
    let session = session();
    let href = link
        .as_ref()
        .map(|link| format!("/tickets/{}", link.reference))
        .unwrap_or_else(|| "/sign-in".to_owned());
    view! {
        {match &link {
            Some(link) => ticket_heading(link),
            None => view! { <h1>{session.text(Text::RatingLinkTitle)}</h1> }.into_any(),
        }}
        <p class="notice" role="status">{session.text(text)}</p>
        <p><a href=href>{session.text(Text::OpenInPortal)}</a></p>
    }
    .into_any()
}

/// The forms of a usable link: rate, reopen, or both, as the server allows.
#[component]
fn RatingLinkForms(
    link: RatingLink,
    token: String,
    outcome: RwSignal<Option<Text>>,
) -> impl IntoView {
    let session = session();
    let score = RwSignal::new(0u8);
    let rate_comment = RwSignal::new(String::new());
    let reopen_comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let send = move |action: RatingLinkAction| {
        let token = token.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let done = match &action {
                RatingLinkAction::Rate { .. } => Text::ThanksForRating,
                RatingLinkAction::Reopen { .. } => Text::RatingLinkReopened,
            };
            match api::use_rating_link(token, action).await {
                Ok(_) => outcome.set(Some(done)),
                Err(failure) if failure.is_gone() => outcome.set(Some(Text::RatingLinkUsed)),
                Err(failure) if failure.is_not_found() => {
                    outcome.set(Some(Text::RatingLinkUnknown))
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let send_rating = send.clone();
    let can_rate = link.actions.iter().any(|action| action == "rate");
    let can_reopen = link.actions.iter().any(|action| action == "reopen");
    let field_error = move |field: &'static str| move || error.get().and_then(|e| e.field(field));
    view! {
        {ticket_heading(&link)}
        <p class="hint">{session.text(Text::RatingLinkTitle)}</p>
        {can_rate.then(|| view! {
            <form class="action-form" aria-label=session.text(Text::Rate) on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send_rating(RatingLinkAction::Rate { score: score.get_untracked(), comment: rate_comment.get_untracked() });
            }>
                <h2>{session.text(Text::Rate)}</h2>
                <StarPicker score=score/>
                <p class="field-error">{field_error("score")}</p>
                <div class="field">
                    <label for="rate-comment">{session.text(Text::Comment)}</label>
                    <textarea id="rate-comment" prop:value=rate_comment on:input=move |ev| rate_comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="button primary" disabled=busy>{session.text(Text::Rate)}</button>
            </form>
        })}
        {can_reopen.then(|| view! {
            <form class="action-form" aria-label=session.text(Text::Reopen) on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send(RatingLinkAction::Reopen { comment: reopen_comment.get_untracked() });
            }>
                <h2>{session.text(Text::Reopen)}</h2>
                <p class="hint">{session.text(Text::RatingLinkReopenHelp)}</p>
                <div class="field">
                    <label for="reopen-comment">{session.text(Text::Comment)}</label>
                    <textarea id="reopen-comment" prop:value=reopen_comment on:input=move |ev| reopen_comment.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{field_error("comment")}</p>
                </div>
                <button type="submit" class="button secondary" disabled=busy>{session.text(Text::Reopen)}</button>
            </form>
        })}
        <p class="form-error" role="alert">{move || error.get().filter(|e| e.body.field.is_none() && e.body.fields.is_empty()).map(|e| e.to_string())}</p>
    }
}
