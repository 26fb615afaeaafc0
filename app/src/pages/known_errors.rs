//! "Known errors": the published known errors (customers) or the whole base (staff), searchable.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::i18n::Text;

use crate::api;
use crate::components::layout::RequireUser;
use crate::state::session;

#[component]
pub fn KnownErrors() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let navigate = use_navigate();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let input = RwSignal::new(search());
    let list = LocalResource::new(move || {
        session.live_count.get();
        api::search_known_errors(search())
    });
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let q = input.get_untracked();
        let url = if q.is_empty() {
            "/known-errors".to_owned()
        } else {
            format!(
                "/known-errors?q={}",
                String::from(js_sys::encode_uri_component(&q))
            )
        };
        navigate(&url, Default::default());
    };
    view! {
        <RequireUser>
        <section>
            <h1>{move || session.t(Text::KnownErrors)}</h1>
            <form class="search" role="search" on:submit=on_search.clone()>
                <label for="known-search" class="visually-hidden">{move || session.t(Text::Search)}</label>
                <input id="known-search" type="search" prop:value=input on:input=move |ev| input.set(event_target_value(&ev))/>
                <button type="submit" class="button secondary">{move || session.t(Text::Search)}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{session.t(Text::Loading)}</p> }>
                {move || list.get().map(|result| match result {
                    Err(error) => view! { <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="empty">{session.t(Text::NoKnownErrors)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="known-errors">
                            {items.into_iter().map(|item| view! {
                                <li class="card">
                                    <h2>{item.title}</h2>
                                    {item.status.map(|s| view! { <span class="badge state-none">{s}</span> })}
                                    <p>{item.symptoms}</p>
                                    {item.workaround.map(|w| view! { <p><strong>{session.t(Text::Workaround)}": "</strong>{w}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
        </RequireUser>
    }
}
