//! `/admin/mailboxes`: the support mailboxes the server reads over IMAP, how each fares, and a
//! "Test connection" button that says which step failed and the server's own words.

use leptos::prelude::*;
use shared::api::{
    Mailbox, MailboxCheck, MailboxState, MailboxStep, MailboxTls, NewMailbox, Product,
};
use shared::i18n::Text;

use super::AdminShell;
use crate::api::{self, ApiError};
use crate::components::form::{FieldError, field_message, form_message, invalid};
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time_exact;
use crate::remote::{Remote, Submit, effect};
use crate::state::session;

fn step_text(step: MailboxStep) -> Text {
    match step {
        MailboxStep::Connect => Text::StepConnect,
        MailboxStep::Tls => Text::StepTls,
        MailboxStep::Protocol => Text::StepProtocol,
        MailboxStep::Login => Text::StepLogin,
        MailboxStep::Folder => Text::StepFolder,
    }
}

#[component]
pub fn MailboxesPage() -> impl IntoView {
    let session = session();
    let refresh = RwSignal::new(0u32);
    let mailboxes = Remote::new(move || {
        refresh.get();
        api::list_mailboxes()
    });
    let products = Remote::new(|| async { api::list_products().await.unwrap_or_default() });
    view! {
        <AdminShell title=Text::Mailboxes>
            <p class="help">{session.text(Text::MailboxesHelp)}</p>
            {move || products.get().map(|products| view! { <NewMailboxForm refresh=refresh products=products/> })}
            {transition(Waiting::Loading, move || mailboxes.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{session.t(Text::NoMailboxes)}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="list mailboxes">
                        <caption class="visually-hidden">{session.t(Text::Mailboxes)}</caption>
                        <thead><tr>
                            <th scope="col">{session.t(Text::Name)}</th>
                            <th scope="col">{session.t(Text::MailboxHost)}</th>
                            <th scope="col">{session.t(Text::Status)}</th>
                            <th scope="col">{session.t(Text::MessagesIngested)}</th>
                            <th scope="col">{session.t(Text::MessagesFailed)}</th>
                            <th scope="col">{session.t(Text::Actions)}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|mailbox| view! { <MailboxRow mailbox=mailbox refresh=refresh/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }))}
        </AdminShell>
    }
}

#[component]
fn MailboxRow(mailbox: Mailbox, refresh: RwSignal<u32>) -> impl IntoView {
    let session = session();
    let id = mailbox.id;
    let error = RwSignal::new(None::<ApiError>);
    let check = Submit::new(move |_: &()| async move { api::test_mailbox(id).await });
    let toggled = NewMailbox {
        name: mailbox.name.clone(),
        host: mailbox.host.clone(),
        port: mailbox.port,
        tls: mailbox.tls,
        username: mailbox.username.clone(),
        secret: None,
        folder: mailbox.folder.clone(),
        processed_folder: mailbox.processed_folder.clone(),
        failed_folder: mailbox.failed_folder.clone(),
        product_id: mailbox.product_id,
        enabled: !mailbox.enabled,
    };
    let toggle = Submit::new(move |body: &NewMailbox| {
        let body = body.clone();
        async move { api::update_mailbox(id, body).await.map(drop) }
    });
    let remove = Submit::new(move |_: &()| async move { api::delete_mailbox(id).await });
    effect(move |_| {
        for result in [toggle.value(), remove.value()].into_iter().flatten() {
            match result {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(failure) => error.set(Some(failure)),
            }
        }
    });
    let zone = session.zone();
    let state = match mailbox.state {
        MailboxState::Ok => Text::MailboxOk,
        MailboxState::Failing => Text::MailboxFailing,
        MailboxState::Unknown => Text::MailboxUnknown,
    };
    let name = mailbox.name.clone();
    let checked_at = mailbox.checked_at.map(|at| format_time_exact(at, &zone));
    view! {
        <tr>
            <td><strong>{mailbox.name.clone()}</strong><br/><span class="meta">{mailbox.username.clone()}" · "{mailbox.folder.clone()}</span></td>
            <td><code>{format!("{}:{}", mailbox.host, mailbox.port)}</code>" "<span class="meta">{mailbox.tls.as_str()}</span></td>
            <td>
                <span class=if mailbox.state == MailboxState::Failing { "badge state-breached" } else { "badge" }>
                    {session.t(if mailbox.enabled { state } else { Text::Disabled })}
                </span>
                {mailbox.last_error.clone().map(|error| view! { <p class="meta">{error}</p> })}
                {checked_at.map(|at| view! { <p class="meta">{session.t(Text::LastRead)}": "{at}</p> })}
            </td>
            <td>{mailbox.ingested}</td>
            <td>{mailbox.failed}</td>
            <td class="row-actions">
                <button type="button" class="button secondary" disabled=move || check.pending().get() on:click=move |_| check.dispatch(())>
                    {session.t(Text::TestConnection)}<span class="visually-hidden">": "{name.clone()}</span>
                </button>
                <button type="button" class="button secondary" on:click=move |_| toggle.dispatch(toggled.clone())>
                    {session.t(if mailbox.enabled { Text::Disable } else { Text::Enable })}<span class="visually-hidden">": "{name.clone()}</span>
                </button>
                <button type="button" class="button danger" on:click=move |_| remove.dispatch(())>
                    {session.t(Text::Delete)}<span class="visually-hidden">": "{name.clone()}</span>
                </button>
                <p role="status" class="check-result">{move || check.value().map(|result| describe(session, result))}</p>
                <p class="form-error" role="alert">{move || error.get().map(|e| e.to_string())}</p>
            </td>
        </tr>
    }
}

/// The outcome of a connection test in words.
fn describe(session: crate::state::Session, result: Result<MailboxCheck, ApiError>) -> String {
    match result {
        Ok(check) if check.ok => format!("{}: {}", session.t(Text::ConnectionWorks), check.message),
        Ok(check) => format!(
            "{}: {}",
            session.t(check.failed_step.map_or(Text::MailboxFailing, step_text)),
            check.message
        ),
        Err(error) => error.to_string(),
    }
}

#[component]
fn NewMailboxForm(refresh: RwSignal<u32>, products: Vec<Product>) -> impl IntoView {
    let session = session();
    let name = RwSignal::new(String::new());
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("993".to_owned());
    let tls = RwSignal::new(MailboxTls::Tls);
    let username = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let folder = RwSignal::new("INBOX".to_owned());
    let product = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(false);
    let create = Submit::new(move |_: &()| {
        let body = NewMailbox {
            name: name.get_untracked(),
            host: host.get_untracked(),
            port: port.get_untracked().trim().parse().unwrap_or(0),
            tls: tls.get_untracked(),
            username: username.get_untracked(),
            secret: Some(secret.get_untracked()),
            folder: folder.get_untracked(),
            processed_folder: "Processed".to_owned(),
            failed_folder: "Failed".to_owned(),
            product_id: product.get_untracked().parse().ok(),
            enabled: true,
        };
        async move { api::create_mailbox(body).await }
    });
    effect(move |_| {
        if let Some(result) = create.value() {
            match result {
                Ok(_) => {
                    error.set(None);
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
    let text_input = move |id: &'static str,
                           field: &'static str,
                           label: Text,
                           value: RwSignal<String>,
                           kind: &'static str| {
        let error_id = format!("{id}-error");
        view! {
            <div class="field grow">
                <label for=id>{session.text(label)}</label>
                <input id=id type=kind required autocomplete="off"
                    aria-invalid={move || invalid(field_message(error, field)())} aria-describedby=error_id.clone()
                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
                <FieldError id=error_id message=Signal::derive(field_message(error, field))/>
            </div>
        }
    };
    const SHOWN: &[&str] = &[
        "name",
        "host",
        "port",
        "username",
        "secret",
        "folder",
        "product_id",
    ];
    view! {
        <section class="card editor" aria-labelledby="new-mailbox-title">
            <h2 id="new-mailbox-title">{session.text(Text::AddMailbox)}</h2>
            <form on:submit=submit novalidate>
                <div class="field-row">
                    {text_input("mailbox-name", "name", Text::Name, name, "text")}
                    {text_input("mailbox-host", "host", Text::MailboxHost, host, "text")}
                    {text_input("mailbox-port", "port", Text::MailboxPort, port, "number")}
                    <div class="field">
                        <label for="mailbox-tls">{session.text(Text::MailboxTls)}</label>
                        <select id="mailbox-tls" on:change=move |ev| {
                            if let Some(mode) = MailboxTls::parse(&event_target_value(&ev)) { tls.set(mode); }
                        }>
                            {[(MailboxTls::Tls, Text::TlsTls), (MailboxTls::Starttls, Text::TlsStarttls), (MailboxTls::None, Text::TlsNone)]
                                .into_iter()
                                .map(|(mode, text)| view! { <option value=mode.as_str() selected=move || tls.get() == mode>{session.t(text)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field-row">
                    {text_input("mailbox-user", "username", Text::MailboxUser, username, "text")}
                    {text_input("mailbox-password", "secret", Text::MailboxPassword, secret, "password")}
                    {text_input("mailbox-folder", "folder", Text::MailboxFolder, folder, "text")}
                    <div class="field">
                        <label for="mailbox-product">{session.text(Text::MailboxProduct)}</label>
                        <select id="mailbox-product" on:change=move |ev| product.set(event_target_value(&ev))>
                            <option value="">{session.t(Text::NoProductChosen)}</option>
                            {products.into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                        </select>
                        <FieldError id="mailbox-product-error" message=Signal::derive(field_message(error, "product_id"))/>
                    </div>
                </div>
                <div class="actions">
                    <button type="submit" class="button primary" disabled={move || create.pending().get()}>{session.text(Text::AddMailbox)}</button>
                </div>
            </form>
            <p class="form-error" role="alert">{form_message(error, SHOWN)}</p>
            <p class="notice" role="status">{move || notice.get().then(|| session.t(Text::MailboxCreated))}</p>
        </section>
    }
}
