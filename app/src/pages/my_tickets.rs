//! "My tickets": the customer's organisation's tickets.

use leptos::prelude::*;
use shared::i18n::Text;

use crate::components::layout::RequireUser;
use crate::state::session;

#[component]
pub fn MyTickets() -> impl IntoView {
    let session = session();
    view! {
        <RequireUser>
        <section>
            <h1>{move || session.t(Text::MyTickets)}</h1>
            <p class="empty">{move || session.t(Text::NoTickets)}</p>
        </section>
        </RequireUser>
    }
}
