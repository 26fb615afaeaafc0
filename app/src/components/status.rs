//! The status of a ticket as a badge with words.

use leptos::prelude::*;
use shared::i18n::Text;
use shared::ticket::Status;

use crate::state::session;

pub fn status_text(status: Status) -> Text {
    match status {
        Status::New => Text::StatusNew,
        Status::Open => Text::StatusOpen,
        Status::WaitingForCustomer => Text::StatusWaiting,
        Status::Escalated => Text::StatusEscalated,
        Status::Resolved => Text::StatusResolved,
        Status::Closed => Text::StatusClosed,
        Status::Reopened => Text::StatusReopened,
        Status::OnHold => Text::StatusOnHold,
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let session = session();
    view! {
        <span class=format!("badge status status-{}", status.as_str()) data-status=status.as_str()>
            {move || session.t(status_text(status))}
        </span>
    }
}
