//! `/admin/audit`: the audit log, newest first, with its filters and page cursor in the URL.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::i18n::Text;

use super::AdminShell;
use crate::api::{self, AuditQuery};
use crate::components::form::get_form;
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time_exact;
use crate::remote::Remote;
use crate::state::session;

const ENTITIES: [&str; 7] = [
    "ticket",
    "known_error",
    "announcement",
    "organisation",
    "contract",
    "user",
    "calendar",
];

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| AuditQuery {
            entity: q.get("entity").unwrap_or_default(),
            entity_id: q.get("entity_id").unwrap_or_default(),
            actor_id: q.get("actor_id").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            cursor: q.get("cursor").unwrap_or_default(),
        })
    };
    let entries = Remote::new(move || api::list_audit_entries(filters()));
    let users = Remote::new(|| async { api::list_users(None).await.unwrap_or_default() });
    let actor_name = move |id: Option<i64>| -> String {
        match id {
            None => session.t(Text::System).to_owned(),
            Some(id) => users
                .get()
                .and_then(|list| list.iter().find(|u| u.id == id).map(|u| u.name.clone()))
                .unwrap_or_else(|| format!("#{id}")),
        }
    };
    let page_url = move |cursor: &str| {
        let mut next = filters();
        next.cursor = cursor.to_owned();
        let query = next.to_query();
        if query.is_empty() {
            "/admin/audit".to_owned()
        } else {
            format!("/admin/audit?{query}")
        }
    };
    let text_filter = move |id: &'static str,
                            name: &'static str,
                            label: Text,
                            value: String,
                            numeric: bool| {
        view! {
            <div class="field">
                <label for=id>{move || session.t(label)}</label>
                <input id=id name=name type="text" inputmode=if numeric { "numeric" } else { "text" } autocomplete="off" value=value/>
            </div>
        }
    };
    view! {
        <AdminShell title=Text::AuditLog>
            <form method="GET" action="/admin/audit" class="card audit-filters" on:submit=get_form("/admin/audit")>
                <fieldset class="field-row">
                    <legend>{session.text(Text::Filters)}</legend>
                    <div class="field">
                        <label for="audit-entity">{session.text(Text::Entity)}</label>
                        <select id="audit-entity" name="entity">
                            <option value="">{session.text(Text::Any)}</option>
                            {move || {
                                let current = filters().entity;
                                ENTITIES.into_iter().map(|entity| view! {
                                    <option value=entity selected=current == entity>{entity}</option>
                                }).collect_view()
                            }}
                        </select>
                    </div>
                    {move || {
                        let current = filters();
                        view! {
                            {text_filter("audit-entity-id", "entity_id", Text::EntityId, current.entity_id, false)}
                            {text_filter("audit-action", "action", Text::ActionName, current.action, false)}
                            {text_filter("audit-actor", "actor_id", Text::ActorId, current.actor_id, true)}
                        }
                    }}
                    <div class="field end actions">
                        <button type="submit" class="button primary">{session.text(Text::ApplyFilters)}</button>
                        <a class="button secondary" href="/admin/audit">{session.text(Text::ClearFilters)}</a>
                    </div>
                </fieldset>
                <p class="help">{session.text(Text::AuditActionHelp)}</p>
            </form>
            {transition(Waiting::Loading, move || entries.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                Ok(list) if list.entries.is_empty() => view! { <p class="empty">{session.t(Text::NoAuditEntries)}</p> }.into_any(),
                Ok(list) => {
                    let zone = session.zone();
                    let next = list.meta.next_cursor.clone();
                    let first = !filters().cursor.is_empty();
                    view! {
                        <table class="list audit">
                            <caption class="visually-hidden">{session.t(Text::AuditLog)}</caption>
                            <thead><tr>
                                <th scope="col">{session.t(Text::When)}</th>
                                <th scope="col">{session.t(Text::Actor)}</th>
                                <th scope="col">{session.t(Text::ActionName)}</th>
                                <th scope="col">{session.t(Text::Entity)}</th>
                                <th scope="col">{session.t(Text::Details)}</th>
                            </tr></thead>
                            <tbody>
                                {list.entries.into_iter().map(|entry| {
                                    let details = match &entry.details {
                                        serde_json::Value::Object(map) if map.is_empty() => String::new(),
                                        serde_json::Value::Null => String::new(),
                                        other => crate::api::to_json(other).unwrap_or_default(),
                                    };
                                    view! {
                                        <tr>
                                            <td class="ref"><time datetime=entry.at.to_rfc3339()>{format_time_exact(entry.at, &zone)}</time></td>
                                            <td>{actor_name(entry.actor_id)}</td>
                                            <td><code>{entry.action.clone()}</code></td>
                                            <td>{entry.entity.clone()}" "<span class="meta">{entry.entity_id.clone()}</span></td>
                                            <td class="details"><code>{details}</code></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <div class="pager">
                            {first.then(|| view! { <a class="button secondary" href=page_url("")>{session.t(Text::FirstPage)}</a> })}
                            {next.map(|next| view! { <a class="button secondary" href=page_url(&next)>{session.t(Text::NextPage)}</a> })}
                        </div>
                    }.into_any()
                }
            }))}
        </AdminShell>
    }
}
