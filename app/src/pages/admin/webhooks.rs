//! `/admin/webhooks`: the endpoints that hear of ticket events, each with its delivery log
//! (`?log=<id>` opens it); admins add endpoints, turn them on or off and remove them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::{DeliveryStatus, NewWebhook, Webhook, WebhookEvent};
use shared::i18n::Text;

use super::AdminShell;
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time_exact;
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

/// The words for a webhook event.
pub fn event_text(event: WebhookEvent) -> Text {
    match event {
        WebhookEvent::TicketCreated => Text::EventTicketCreated,
        WebhookEvent::StatusChanged => Text::EventStatusChanged,
        WebhookEvent::MessageAdded => Text::EventMessageAdded,
        WebhookEvent::ClockAtRisk => Text::EventClockAtRisk,
        WebhookEvent::ClockBreached => Text::EventClockBreached,
        WebhookEvent::Rated => Text::EventRated,
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let log = move || query.with(|q| q.get("log").and_then(|v| v.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let hooks = Remote::new(move || {
        refresh.get();
        api::list_webhooks()
    });
    view! {
        <AdminShell title=Text::Webhooks>
            <p class="help">{session.text(Text::WebhooksHelp)}</p>
            <NewWebhookForm refresh=refresh/>
            {transition(Waiting::Loading, move || hooks.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{session.t(Text::NoWebhooks)}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="list webhooks">
                        <caption class="visually-hidden">{session.t(Text::Webhooks)}</caption>
                        <thead><tr>
                            <th scope="col">{session.t(Text::WebhookUrl)}</th>
                            <th scope="col">{session.t(Text::WebhookEvents)}</th>
                            <th scope="col">{session.t(Text::Status)}</th>
                            <th scope="col">{session.t(Text::DeliveryPending)}</th>
                            <th scope="col">{session.t(Text::DeliveryFailed)}</th>
                            <th scope="col">{session.t(Text::Actions)}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|hook| view! { <WebhookRow hook=hook refresh=refresh/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }))}
            {move || log().map(|id| view! { <DeliveryLog id=id/> })}
        </AdminShell>
    }
}

#[component]
fn WebhookRow(hook: Webhook, refresh: RwSignal<u32>) -> impl IntoView {
    let session = session();
    let id = hook.id;
    let error = RwSignal::new(None::<ApiError>);
    let toggled = NewWebhook {
        url: hook.url.clone(),
        secret: None,
        events: hook.events.clone(),
        internal: hook.internal,
        enabled: !hook.enabled,
    };
    let toggle = Submit::new(move |body: &NewWebhook| {
        let body = body.clone();
        async move { api::update_webhook(id, body).await.map(drop) }
    });
    let remove = Submit::new(move |_: &()| async move { api::delete_webhook(id).await });
    effect(move |_| {
        for result in [toggle.value(), remove.value()].into_iter().flatten() {
            match result {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(failure) => error.set(Some(failure)),
            }
        }
    });
    let events = hook
        .events
        .iter()
        .map(|event| session.t(event_text(*event)))
        .collect::<Vec<_>>()
        .join(", ");
    let url = hook.url.clone();
    view! {
        <tr>
            <td><code>{hook.url.clone()}</code>{hook.internal.then(|| view! { <span class="badge">{session.t(Text::InternalNote)}</span> })}</td>
            <td>{events}</td>
            <td>{session.t(if hook.enabled { Text::Enabled } else { Text::Disabled })}</td>
            <td>{hook.pending}</td>
            <td>{hook.failed}</td>
            <td class="row-actions">
                <a href=format!("/admin/webhooks?log={id}")>{session.t(Text::DeliveryLog)}<span class="visually-hidden">": "{url.clone()}</span></a>
                <button type="button" class="button secondary" on:click=move |_| toggle.dispatch(toggled.clone())>
                    {session.t(if hook.enabled { Text::Disable } else { Text::Enable })}<span class="visually-hidden">": "{url.clone()}</span>
                </button>
                <button type="button" class="button danger" on:click=move |_| remove.dispatch(())>
                    {session.t(Text::Delete)}<span class="visually-hidden">": "{url}</span>
                </button>
                <p class="form-error" role="alert">{move || error.get().map(|e| e.to_string())}</p>
            </td>
        </tr>
    }
}

#[component]
fn NewWebhookForm(refresh: RwSignal<u32>) -> impl IntoView {
    let session = session();
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let events = RwSignal::new(WebhookEvent::ALL.to_vec());
    let internal = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(false);
    let create = Submit::new(move |_: &()| {
        let body = NewWebhook {
            url: url.get_untracked(),
            secret: Some(secret.get_untracked()),
            events: events.get_untracked(),
            internal: internal.get_untracked(),
            enabled: true,
        };
        async move { api::create_webhook(body).await }
    });
    effect(move |_| {
        if let Some(result) = create.value() {
            match result {
                Ok(_) => {
                    error.set(None);
                    url.set(String::new());
                    secret.set(String::new());
                    notice.set(true);
                    refresh.update(|n| *n += 1);
                }
                Err(failure) => {
                    notice.set(false);
                    error.set(Some(failure));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !create.pending().get_untracked() {
            create.dispatch(());
        }
    };
    const SHOWN: &[&str] = &["url", "secret", "events"];
    view! {
        <section class="card editor" aria-labelledby="new-webhook-title">
            <h2 id="new-webhook-title">{session.text(Text::AddWebhook)}</h2>
            <form on:submit=submit novalidate>
                <div class="field-row">
                    <div class="field grow">
                        <label for="webhook-url">{session.text(Text::WebhookUrl)}</label>
                        <input id="webhook-url" type="url" required placeholder="https://"
                            aria-invalid={move || invalid(field_message(error, "url")())} aria-describedby="webhook-url-error"
                            prop:value=url on:input=move |ev| url.set(event_target_value(&ev))/>
                        <FieldError id="webhook-url-error" message=Signal::derive(field_message(error, "url"))/>
                    </div>
                    <div class="field grow">
                        <label for="webhook-secret">{session.text(Text::WebhookSecret)}</label>
                        <input id="webhook-secret" type="password" required minlength="16" maxlength="200" autocomplete="new-password"
                            aria-invalid={move || invalid(field_message(error, "secret")())} aria-describedby="webhook-secret-error"
                            prop:value=secret on:input=move |ev| secret.set(event_target_value(&ev))/>
                        <FieldError id="webhook-secret-error" message=Signal::derive(field_message(error, "secret"))/>
                    </div>
                </div>
                <fieldset class="checks" aria-describedby="webhook-events-error">
                    <legend>{session.text(Text::WebhookEvents)}</legend>
                    {WebhookEvent::ALL.into_iter().map(|event| {
                        let id = format!("webhook-event-{}", event.as_str());
                        let label_for = id.clone();
                        view! {
                            <label for=label_for>
                                <input id=id type="checkbox" prop:checked=move || events.with(|chosen| chosen.contains(&event))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        events.update(|chosen| {
                                            chosen.retain(|e| *e != event);
                                            if on { chosen.push(event); }
                                        });
                                    }/>
                                {session.t(event_text(event))}
                            </label>
                        }
                    }).collect_view()}
                    <FieldError id="webhook-events-error" message=Signal::derive(field_message(error, "events"))/>
                </fieldset>
                <label class="check" for="webhook-internal">
                    <input id="webhook-internal" type="checkbox" prop:checked=internal on:change=move |ev| internal.set(event_target_checked(&ev))/>
                    {session.text(Text::WebhookInternal)}
                </label>
                <div class="actions">
                    <button type="submit" class="button primary" disabled={move || create.pending().get()}>{session.text(Text::AddWebhook)}</button>
                </div>
            </form>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || notice.get().then(|| session.t(Text::WebhookCreated))}</p>
        </section>
    }
}

/// The newest deliveries of endpoint `id`.
#[component]
fn DeliveryLog(id: i64) -> impl IntoView {
    let session = session();
    let deliveries = Remote::new(move || api::list_webhook_deliveries(id));
    view! {
        <section class="card" aria-labelledby="delivery-log-title">
            <h2 id="delivery-log-title">{session.text(Text::DeliveryLog)}</h2>
            {transition(Waiting::Loading, move || deliveries.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.deliveries.is_empty() => view! { <p class="empty">{session.t(Text::NoDeliveries)}</p> }.into_any(),
                Ok(list) => {
                    let zone = session.zone();
                    view! {
                        <table class="list deliveries">
                            <caption class="visually-hidden">{session.t(Text::DeliveryLog)}</caption>
                            <thead><tr>
                                <th scope="col">{session.t(Text::When)}</th>
                                <th scope="col">{session.t(Text::WebhookEvents)}</th>
                                <th scope="col">{session.t(Text::Status)}</th>
                                <th scope="col">{session.t(Text::Attempts)}</th>
                                <th scope="col">{session.t(Text::ResponseCode)}</th>
                            </tr></thead>
                            <tbody>
                                {list.deliveries.into_iter().map(|delivery| {
                                    let status = match delivery.status {
                                        DeliveryStatus::Pending => Text::DeliveryPending,
                                        DeliveryStatus::Delivered => Text::DeliveryDelivered,
                                        DeliveryStatus::Failed => Text::DeliveryFailed,
                                    };
                                    let answer = match (delivery.response_code, delivery.last_error) {
                                        (Some(code), _) if delivery.status == DeliveryStatus::Delivered => code.to_string(),
                                        (_, Some(error)) => error,
                                        (Some(code), None) => code.to_string(),
                                        (None, None) => String::new(),
                                    };
                                    view! {
                                        <tr>
                                            <td><time datetime=delivery.created_at.to_rfc3339()>{format_time_exact(delivery.created_at, &zone)}</time></td>
                                            <td>{session.t(event_text(delivery.event))}" "<span class="meta">{delivery.reference.unwrap_or_default()}</span></td>
                                            <td>{session.t(status)}</td>
                                            <td>{delivery.attempts}</td>
                                            <td>{answer}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }))}
        </section>
    }
}
