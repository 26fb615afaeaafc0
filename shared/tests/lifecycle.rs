//! The lifecycle table: which role may take which action in which status, and where it leads.

use shared::ticket::{Action, Role, Status, TransitionError, allowed_actions, transition};

#[test]
fn lifecycle_table() {
    use Action::*;
    use Role::*;
    use Status::*;
    let allowed: &[(Status, Action, Role, Status)] = &[
        (New, Take, AgentL1, Open),
        (New, AgentReply, AgentL1, Open),
        (New, Assign, Supervisor, Open),
        (New, RequestInfo, AgentL1, WaitingForCustomer),
        (Open, RequestInfo, AgentL2, WaitingForCustomer),
        (WaitingForCustomer, CustomerReply, Customer, Open),
        (WaitingForCustomer, AgentReply, AgentL1, WaitingForCustomer),
        (Open, Escalate, AgentL1, Escalated),
        (Escalated, LinkKnownError, AgentL2, Escalated),
        (Escalated, Resolve, AgentL2, Resolved),
        (Resolved, Reopen, Customer, Reopened),
        (Closed, Reopen, Customer, Reopened),
        (Reopened, AgentReply, AgentL1, Open),
        (Reopened, Take, AgentL2, Open),
        (Resolved, Close, Customer, Closed),
        (Resolved, Rate, Customer, Resolved),
        (Open, Expedite, Customer, Open),
        (Open, Close, Supervisor, Closed),
        (Closed, InternalNote, AgentL1, Closed),
        (Open, ProposeReclassification, AgentL1, Open),
        (Open, AcceptReclassification, Customer, Open),
    ];
    for &(status, action, role, expected) in allowed {
        assert_eq!(
            transition(status, action, role),
            Ok(expected),
            "{status} {action} by {role}"
        );
    }
    let refused: &[(Status, Action, Role, &str)] = &[
        (Open, Resolve, Customer, "forbidden"),
        (Open, Take, Customer, "forbidden"),
        (Open, Expedite, AgentL1, "forbidden"),
        (Open, Escalate, AgentL2, "forbidden"),
        (Open, Assign, AgentL1, "forbidden"),
        (Open, CustomerReply, AgentL1, "forbidden"),
        (Closed, Resolve, AgentL1, "invalid_transition"),
        (Open, Reopen, Customer, "invalid_transition"),
        (Escalated, Escalate, AgentL1, "invalid_transition"),
        (Open, Close, Customer, "invalid_transition"),
        (Open, Rate, Customer, "invalid_transition"),
        (Resolved, Resolve, AgentL1, "invalid_transition"),
    ];
    for &(status, action, role, code) in refused {
        let error = transition(status, action, role).unwrap_err();
        assert_eq!(error.code(), code, "{status} {action} by {role}: {error}");
    }
    assert_eq!(
        transition(Open, Resolve, Customer),
        Err(TransitionError::Forbidden {
            action: Resolve,
            role: Customer
        })
    );
    assert_eq!(
        transition(Open, Resolve, Customer).unwrap_err().to_string(),
        "a customer may not resolve"
    );
    // allowed_actions agrees with transition for every combination.
    for status in Status::ALL {
        for role in Role::ALL {
            let actions = allowed_actions(status, role);
            for action in Action::ALL {
                assert_eq!(
                    actions.contains(&action),
                    transition(status, action, role).is_ok()
                );
            }
            if role == Customer {
                assert!(
                    actions.iter().all(|a| !matches!(
                        a,
                        Take | Resolve | RequestInfo | Escalate | InternalNote
                    ))
                );
            }
        }
    }
    assert!(Role::Supervisor.is_staff() && !Role::Customer.is_staff());
    assert_eq!(
        serde_json::to_string(&WaitingForCustomer).unwrap(),
        r#""waiting_for_customer""#
    );
    assert_eq!(serde_json::to_string(&AgentL1).unwrap(), r#""agent_l1""#);
    assert_eq!(
        serde_json::to_string(&LinkKnownError).unwrap(),
        r#""link_known_error""#
    );
}
