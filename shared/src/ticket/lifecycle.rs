//! Statuses, roles, actions and the transition function of SPEC §5.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The status of a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Open,
    WaitingForCustomer,
    /// At L2.
    Escalated,
    Resolved,
    Closed,
    Reopened,
    /// Postponed by staff with a reason the customer sees (a vendor fix, an unlicensed copy,
    /// scheduled work); the plan says which clocks pause meanwhile.
    OnHold,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 8] = [
        Self::New,
        Self::Open,
        Self::WaitingForCustomer,
        Self::Escalated,
        Self::Resolved,
        Self::Closed,
        Self::Reopened,
        Self::OnHold,
    ];

    /// The status of a JSON name such as `waiting_customer`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// The JSON name, such as `waiting_for_customer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::WaitingForCustomer => "waiting_for_customer",
            Self::Escalated => "escalated",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
            Self::OnHold => "on_hold",
        }
    }

    /// Whether the ticket still needs work (not resolved or closed).
    pub fn is_active(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    AgentL1,
    AgentL2,
    Supervisor,
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 5] = [
        Self::Customer,
        Self::AgentL1,
        Self::AgentL2,
        Self::Supervisor,
        Self::Admin,
    ];

    /// Whether the role works for the vendor (everyone but the customer).
    pub fn is_staff(self) -> bool {
        self != Self::Customer
    }

    /// Supervisors and admins: they see every ticket and report, and manage people.
    pub fn is_manager(self) -> bool {
        matches!(self, Self::Supervisor | Self::Admin)
    }

    /// Admins: accounts, organisations, contracts, plans, calendars and settings.
    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }

    /// L2 engineers and managers: they keep the known-error base.
    pub fn edits_known_errors(self) -> bool {
        matches!(self, Self::AgentL2 | Self::Supervisor | Self::Admin)
    }

    /// The role of a JSON name such as `agent_l1`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// The JSON name, such as `agent_l1`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::AgentL1 => "agent_l1",
            Self::AgentL2 => "agent_l2",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a user does to a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// An agent takes the ticket (from the queue).
    Take,
    /// A supervisor assigns the ticket to someone.
    Assign,
    /// A public reply by staff.
    AgentReply,
    /// An internal note, never shown to the customer.
    InternalNote,
    /// A message from the customer.
    CustomerReply,
    /// Staff asks the customer for information: the resolution clock pauses.
    RequestInfo,
    /// Staff reproduced the problem (starts resolution where the plan says so).
    MarkReproduced,
    /// L1 hands the ticket to L2.
    Escalate,
    /// The ticket is linked to a known error (L2's answer to an escalation).
    LinkKnownError,
    /// Staff proposes a new category/severity; the customer decides.
    ProposeReclassification,
    AcceptReclassification,
    RejectReclassification,
    Resolve,
    Reopen,
    Close,
    /// The customer rates a resolved ticket.
    Rate,
    /// The customer asks the head of support to hurry; no status change.
    Expedite,
    /// Staff set or clear the special-request flag (confirming or declining a request that
    /// waits for confirmation); the clocks are recomputed, the status stays.
    SetSpecial,
    /// Staff put the ticket on hold with a reason (`on_hold`).
    Hold,
    /// Staff take a ticket on hold back into work.
    Resume,
}

impl Action {
    /// Every action.
    pub const ALL: [Self; 20] = [
        Self::Take,
        Self::Assign,
        Self::AgentReply,
        Self::InternalNote,
        Self::CustomerReply,
        Self::RequestInfo,
        Self::MarkReproduced,
        Self::Escalate,
        Self::LinkKnownError,
        Self::ProposeReclassification,
        Self::AcceptReclassification,
        Self::RejectReclassification,
        Self::Resolve,
        Self::Reopen,
        Self::Close,
        Self::Rate,
        Self::Expedite,
        Self::SetSpecial,
        Self::Hold,
        Self::Resume,
    ];

    /// The JSON name, such as `request_info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Take => "take",
            Self::Assign => "assign",
            Self::AgentReply => "agent_reply",
            Self::InternalNote => "internal_note",
            Self::CustomerReply => "customer_reply",
            Self::RequestInfo => "request_info",
            Self::MarkReproduced => "mark_reproduced",
            Self::Escalate => "escalate",
            Self::LinkKnownError => "link_known_error",
            Self::ProposeReclassification => "propose_reclassification",
            Self::AcceptReclassification => "accept_reclassification",
            Self::RejectReclassification => "reject_reclassification",
            Self::Resolve => "resolve",
            Self::Reopen => "reopen",
            Self::Close => "close",
            Self::Rate => "rate",
            Self::Expedite => "expedite",
            Self::SetSpecial => "set_special",
            Self::Hold => "hold",
            Self::Resume => "resume",
        }
    }

    /// Whether a role may take this action at all (in some status).
    fn permitted(self, role: Role) -> bool {
        use Role::{Admin, AgentL1, Customer, Supervisor};
        match self {
            Self::CustomerReply
            | Self::AcceptReclassification
            | Self::RejectReclassification
            | Self::Rate
            | Self::Expedite => role == Customer,
            Self::Take
            | Self::AgentReply
            | Self::InternalNote
            | Self::RequestInfo
            | Self::MarkReproduced
            | Self::LinkKnownError
            | Self::ProposeReclassification
            | Self::Resolve
            | Self::SetSpecial => role.is_staff(),
            Self::Hold | Self::Resume => role.is_staff(),
            Self::Assign => matches!(role, Supervisor | Admin),
            Self::Escalate => matches!(role, AgentL1 | Supervisor | Admin),
            Self::Reopen => matches!(role, Customer | Supervisor | Admin),
            Self::Close => true,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The role may never take this action.
    #[error("a {role} may not {action}")]
    Forbidden { action: Action, role: Role },
    /// The action makes no sense in this status.
    #[error("cannot {action} a ticket that is {status}")]
    InvalidInStatus { action: Action, status: Status },
}

impl TransitionError {
    /// A stable machine-readable code: `forbidden` or `invalid_transition`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden { .. } => "forbidden",
            Self::InvalidInStatus { .. } => "invalid_transition",
        }
    }
}

/// The status after `role` takes `action` on a ticket in `status`.
///
/// `new` becomes `open` when staff takes, is assigned, or replies; `request_info` waits for the
/// customer; a customer message on a waiting ticket opens it again; `escalate` hands it to L2;
/// `reopen` (customer, supervisor or admin) turns a resolved or closed ticket into `reopened`,
/// which becomes `open` as soon as staff acts on it. `hold` (staff) puts an active ticket
/// `on_hold` and `resume` takes it back to `open`; on hold, asking for information and
/// escalating wait for the resume. Notes, ratings, expedite requests and reclassification
/// steps never change the status.
///
/// # Errors
///
/// [`TransitionError::Forbidden`] when the role may never take the action (a customer resolving,
/// an agent expediting), [`TransitionError::InvalidInStatus`] when the action is meaningless in
/// this status (resolving a closed ticket).
///
/// # Examples
///
/// ```
/// use shared::ticket::{transition, Action, Role, Status};
///
/// assert_eq!(transition(Status::New, Action::Take, Role::AgentL1), Ok(Status::Open));
/// assert_eq!(transition(Status::WaitingForCustomer, Action::CustomerReply, Role::Customer), Ok(Status::Open));
/// assert!(transition(Status::Open, Action::Resolve, Role::Customer).is_err());
/// ```
pub fn transition(status: Status, action: Action, role: Role) -> Result<Status, TransitionError> {
    use Status::{Closed, Escalated, New, OnHold, Open, Reopened, Resolved, WaitingForCustomer};
    if !action.permitted(role) {
        return Err(TransitionError::Forbidden { action, role });
    }
    let invalid = Err(TransitionError::InvalidInStatus { action, status });
    // Staff touching a new or reopened ticket takes it into work.
    let worked = |status: Status| {
        if matches!(status, New | Reopened) {
            Open
        } else {
            status
        }
    };
    match action {
        Action::InternalNote => Ok(status),
        Action::Rate => {
            if matches!(status, Resolved | Closed) {
                Ok(status)
            } else {
                invalid
            }
        }
        Action::Reopen => {
            if matches!(status, Resolved | Closed) {
                Ok(Reopened)
            } else {
                invalid
            }
        }
        _ if status == Closed => invalid,
        Action::Close => match (status, role) {
            (_, Role::Customer) if status != Resolved => invalid,
            _ => Ok(Closed),
        },
        _ if status == Resolved => match action {
            Action::AgentReply | Action::ProposeReclassification => Ok(Resolved),
            _ => invalid,
        },
        Action::Hold => {
            if status == OnHold {
                invalid
            } else {
                Ok(OnHold)
            }
        }
        Action::Resume => {
            if status == OnHold {
                Ok(Open)
            } else {
                invalid
            }
        }
        Action::RequestInfo | Action::Escalate if status == OnHold => invalid,
        Action::Take
        | Action::Assign
        | Action::AgentReply
        | Action::MarkReproduced
        | Action::LinkKnownError => Ok(worked(status)),
        Action::ProposeReclassification
        | Action::AcceptReclassification
        | Action::RejectReclassification
        | Action::Expedite
        | Action::SetSpecial => Ok(status),
        Action::CustomerReply => Ok(if status == WaitingForCustomer {
            Open
        } else {
            status
        }),
        Action::RequestInfo => Ok(WaitingForCustomer),
        Action::Escalate => {
            if status == Escalated {
                invalid
            } else {
                Ok(Escalated)
            }
        }
        Action::Resolve => Ok(Resolved),
    }
}

/// The actions `role` may take on a ticket in `status`, in [`Action::ALL`] order.
///
/// # Examples
///
/// ```
/// use shared::ticket::{allowed_actions, Action, Role, Status};
///
/// let customer = allowed_actions(Status::Resolved, Role::Customer);
/// assert!(customer.contains(&Action::Reopen) && customer.contains(&Action::Rate));
/// assert!(!allowed_actions(Status::Closed, Role::AgentL1).contains(&Action::Resolve));
/// ```
pub fn allowed_actions(status: Status, role: Role) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|&action| transition(status, action, role).is_ok())
        .collect()
}

/// What an action does to the clocks, in words the agent reads before confirming it (SPEC §4).
///
/// # Examples
///
/// ```
/// use shared::i18n::Text;
/// use shared::ticket::{Action, clock_effect};
///
/// assert_eq!(clock_effect(Action::RequestInfo), Text::EffectRequestInfo);
/// ```
pub fn clock_effect(action: Action) -> crate::i18n::Text {
    use crate::i18n::Text;
    match action {
        Action::AgentReply => Text::EffectReply,
        Action::InternalNote => Text::EffectInternalNote,
        Action::RequestInfo => Text::EffectRequestInfo,
        Action::MarkReproduced => Text::EffectMarkReproduced,
        Action::Escalate => Text::EffectEscalate,
        Action::LinkKnownError => Text::EffectLinkKnownError,
        Action::ProposeReclassification => Text::EffectPropose,
        Action::Resolve => Text::EffectResolve,
        Action::Reopen => Text::EffectReopen,
        Action::Close => Text::EffectClose,
        Action::SetSpecial => Text::EffectSetSpecial,
        Action::Hold => Text::EffectHold,
        Action::Resume => Text::EffectResume,
        Action::Take
        | Action::Assign
        | Action::CustomerReply
        | Action::AcceptReclassification
        | Action::RejectReclassification
        | Action::Rate
        | Action::Expedite => Text::EffectNone,
    }
}
