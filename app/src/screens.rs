//! The screens that load on navigation, in groups that are each one chunk of the module.
//!
//! Each group is one `#[lazy]` function of Leptos: `cargo xtask build` splits its code out of the
//! main module, and the first route of the group that opens fetches it (code that several
//! groups share is fetched with the first of them). Only the sign-in page and the frame stay in
//! the main module. The groups follow who opens what: everybody's tickets, the form of a new
//! ticket, the staff queue, known errors, the supervisors' administration (with the admins'
//! integrations), the calendar and plan editors, the reports, the account's own pages (profile
//! and password reset) and the rating link of the resolution mail. Every group splits the code
//! the groups share into finer chunks, and a screen fetches each of its chunks as a request of
//! its own: fewer groups keep a screen's requests few on a slow line.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages::admin::{
    accounts::AccountsPage, audit::AuditPage, calendars::CalendarsPage, contracts::ContractsPage,
    mailboxes::MailboxesPage, organisations::OrganisationsPage, plans::PlansPage,
    reminders::PasswordRemindersPage, webhooks::WebhooksPage,
};
use crate::pages::announcements::AnnouncementsPage;
use crate::pages::known_errors::{KnownErrorPage, KnownErrors, NewKnownErrorPage};
use crate::pages::profile::Profile;
use crate::pages::sign_in::{ForgotPassword, ResetPassword};
use crate::pages::{
    my_tickets::MyTickets, new_ticket::NewTicketPage, queue::Queue, rating_link::RatingLinkPage,
    reports::ReportsPage, ticket::TicketPage,
};

/// The screens of everybody's tickets.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum TicketScreen {
    Mine,
    One,
}

#[lazy]
fn tickets(screen: TicketScreen) -> AnyView {
    match screen {
        TicketScreen::Mine => MyTickets().into_any(),
        TicketScreen::One => TicketPage().into_any(),
    }
}

/// The form of a new ticket, which a customer who only follows their tickets never loads.
#[lazy]
fn new_ticket() -> AnyView {
    NewTicketPage().into_any()
}

#[lazy]
fn queue() -> AnyView {
    Queue().into_any()
}

/// The screens of the known errors.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum KnownErrorScreen {
    List,
    New,
    One,
}

#[lazy]
fn known_errors(screen: KnownErrorScreen) -> AnyView {
    match screen {
        KnownErrorScreen::List => KnownErrors().into_any(),
        KnownErrorScreen::New => NewKnownErrorPage().into_any(),
        KnownErrorScreen::One => KnownErrorPage().into_any(),
    }
}

/// The supervisors' and admins' screens of administration.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum AdminScreen {
    Organisations,
    Contracts,
    Accounts,
    Audit,
    Announcements,
    PasswordReminders,
    Webhooks,
    Mailboxes,
}

#[lazy]
fn administration(screen: AdminScreen) -> AnyView {
    match screen {
        AdminScreen::Organisations => OrganisationsPage().into_any(),
        AdminScreen::Contracts => ContractsPage().into_any(),
        AdminScreen::Accounts => AccountsPage().into_any(),
        AdminScreen::Audit => AuditPage().into_any(),
        AdminScreen::Announcements => AnnouncementsPage().into_any(),
        AdminScreen::PasswordReminders => PasswordRemindersPage().into_any(),
        AdminScreen::Webhooks => WebhooksPage().into_any(),
        AdminScreen::Mailboxes => MailboxesPage().into_any(),
    }
}

/// The editors of business calendars and SLA plans.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum ServiceLevelScreen {
    Calendars,
    Plans,
}

#[lazy]
fn service_levels(screen: ServiceLevelScreen) -> AnyView {
    match screen {
        ServiceLevelScreen::Calendars => CalendarsPage().into_any(),
        ServiceLevelScreen::Plans => PlansPage().into_any(),
    }
}

/// The page behind the rating link of the resolution mail, opened without signing in.
#[lazy]
fn rating_link() -> AnyView {
    RatingLinkPage().into_any()
}

/// The account's own screens: the profile (preferences, the password, the second factor, the
/// sessions, and for a held account the one step it must take first) and the pages of a
/// forgotten password, opened without signing in. One group: they share most of their code.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum AccountScreen {
    Profile,
    Forgot,
    Reset,
}

#[lazy]
fn account(screen: AccountScreen) -> AnyView {
    match screen {
        AccountScreen::Profile => Profile().into_any(),
        AccountScreen::Forgot => ForgotPassword().into_any(),
        AccountScreen::Reset => ResetPassword().into_any(),
    }
}

#[lazy]
fn reports() -> AnyView {
    ReportsPage().into_any()
}

/// Declares `$route`, a route whose view is the group function's call `$view`.
macro_rules! route {
    ($route:ident, $view:expr) => {
        #[derive(Debug)]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $view.await
            }
        }
    };
}

route!(MyTicketsRoute, tickets(TicketScreen::Mine));
route!(NewTicketRoute, new_ticket());
route!(TicketRoute, tickets(TicketScreen::One));
route!(QueueRoute, queue());
route!(KnownErrorsRoute, known_errors(KnownErrorScreen::List));
route!(NewKnownErrorRoute, known_errors(KnownErrorScreen::New));
route!(KnownErrorRoute, known_errors(KnownErrorScreen::One));
route!(
    OrganisationsRoute,
    administration(AdminScreen::Organisations)
);
route!(ContractsRoute, administration(AdminScreen::Contracts));
route!(AccountsRoute, administration(AdminScreen::Accounts));
route!(AuditRoute, administration(AdminScreen::Audit));
route!(
    AnnouncementsRoute,
    administration(AdminScreen::Announcements)
);
route!(
    PasswordRemindersRoute,
    administration(AdminScreen::PasswordReminders)
);
route!(
    CalendarsRoute,
    service_levels(ServiceLevelScreen::Calendars)
);
route!(PlansRoute, service_levels(ServiceLevelScreen::Plans));
route!(WebhooksRoute, administration(AdminScreen::Webhooks));
route!(MailboxesRoute, administration(AdminScreen::Mailboxes));
route!(ReportsRoute, reports());
route!(RatingLinkRoute, rating_link());
route!(ProfileRoute, account(AccountScreen::Profile));
route!(ForgotPasswordRoute, account(AccountScreen::Forgot));
route!(ResetPasswordRoute, account(AccountScreen::Reset));
