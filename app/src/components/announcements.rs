//! The banner of current announcements (schedule changes, holiday hours, outages).

use leptos::prelude::*;
use shared::i18n::Text;

use crate::api;
use crate::components::reactive::{Waiting, transition};
use crate::remote::Remote;
use crate::state::session;

#[component]
pub fn AnnouncementBanner() -> impl IntoView {
    let session = session();
    let announcements = Remote::new(move || {
        session.live_count.get();
        api::list_announcements()
    });
    view! {
        {transition(Waiting::Quietly, move || announcements.get().and_then(|result| result.ok()).filter(|list| !list.is_empty()).map(|list| view! {
            <aside class="announcements" aria-label=session.t(Text::Announcements)>
                {list.into_iter().map(|item| view! {
                    <p><strong>{item.title}</strong>" "{item.body}</p>
                }).collect_view()}
            </aside>
        }.into_any()))}
    }
}
