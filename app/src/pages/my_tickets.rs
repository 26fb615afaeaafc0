//! "My tickets": the customer's organisation's tickets with their live deadlines.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::i18n::Text;

use crate::api;
use crate::components::announcements::AnnouncementBanner;
use crate::components::countdown::Countdown;
use crate::components::layout::RequireUser;
use crate::components::reactive::{Waiting, transition};
use crate::components::status::StatusBadge;
use crate::remote::Remote;
use crate::state::session;

#[component]
pub fn MyTickets() -> impl IntoView {
    let session = session();
    let tickets = Remote::new(move || {
        // Any live event about the organisation's tickets refreshes the list.
        session.live_count.get();
        api::list_tickets(api::TicketQuery::default())
    });
    view! {
        <RequireUser>
        <section>
            <AnnouncementBanner/>
            <div class="page-head">
                <h1>{session.text(Text::MyTickets)}</h1>
                <A href="/tickets/new" attr:class="button primary">{session.text(Text::NewTicket)}</A>
            </div>
            {transition(Waiting::Loading, move || tickets.get().map(|result| match result {
                Err(error) => view! {
                    <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p>
                }.into_any(),
                Ok(list) if list.tickets.is_empty() => view! {
                    <p class="empty">{session.t(Text::NoTickets)}</p>
                }.into_any(),
                Ok(list) => view! {
                    <table class="list tickets">
                        <thead><tr>
                            <th scope="col">{session.t(Text::Reference)}</th>
                            <th scope="col">{session.t(Text::Subject)}</th>
                            <th scope="col">{session.t(Text::Status)}</th>
                            <th scope="col">{session.t(Text::Deadline)}</th>
                        </tr></thead>
                        <tbody>
                            {list.tickets.into_iter().map(|ticket| {
                                let href = format!("/tickets/{}", ticket.reference);
                                view! {
                                    <tr data-reference=ticket.reference.clone()>
                                        <td class="ref"><a href=href.clone()>{ticket.reference.clone()}</a></td>
                                        <td class="subject"><a href=href>{ticket.subject.clone()}</a>
                                            <span class="meta">{ticket.classification.label()}</span></td>
                                        <td><StatusBadge status=ticket.status/></td>
                                        <td class="deadline"><Countdown ticket=ticket.clone()/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }))}
        </section>
        </RequireUser>
    }
}
