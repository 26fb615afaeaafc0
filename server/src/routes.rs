//! The HTTP surface: each module has its own `router()`; this one joins them under `/api`.

mod admin;
mod announcements;
pub(crate) mod attachments;
mod auth;
mod balances;
mod canned;
mod dead_letters;
mod events;
mod health;
mod inbound;
mod known_errors;
mod login_throttles;
mod mailboxes;
pub(crate) mod notifications;
mod openapi;
mod password;
mod password_reminders;
mod plan_templates;
mod plans;
mod products;
mod rating_links;
mod reports;
mod second_factor;
mod sessions;
mod sla;
mod staff;
pub(crate) mod tickets;
mod webhooks;

use axum::Router;
use axum::http::Uri;
use utoipa_axum::router::OpenApiRouter;

use crate::error::Error;
use crate::state::AppState;

/// Every route of the API with its OpenAPI operation, from one declaration: each module's
/// `router()` lists its handlers with `routes!`, and each handler's `#[utoipa::path]` gives
/// the method, the path and what goes in and out. Paths are relative to `/api`.
pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(sessions::router())
        .merge(password::router())
        .merge(second_factor::router())
        .merge(events::router())
        .merge(notifications::router())
        .merge(tickets::router())
        .merge(known_errors::router())
        .merge(announcements::router())
        .merge(canned::router())
        .merge(staff::router())
        .merge(sla::router())
        .merge(admin::router())
        .merge(login_throttles::router())
        .merge(plans::router())
        .merge(plan_templates::router())
        .merge(password_reminders::router())
        .merge(balances::router())
        .merge(products::router())
        .merge(reports::router())
        .merge(attachments::router())
        .merge(inbound::router())
        .merge(dead_letters::router())
        .merge(rating_links::router())
        .merge(webhooks::router())
        .merge(mailboxes::router())
        .merge(openapi::router())
}

/// The API's router (to be nested under `/api`), with the envelope's 404 for any other path.
pub(crate) fn api_router() -> Router<AppState> {
    let (router, _) = api_routes().split_for_parts();
    router.fallback(api_not_found)
}

async fn api_not_found(uri: Uri) -> Error {
    tracing::debug!(%uri, "no such API route");
    Error::NoRoute
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::state::AppState;

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

    /// `(method, path)` of every route the axum router holds. axum has no public listing, so this
    /// reads the router's `Debug` form: its path table (`RouteId(n): "/path"`) and each route's
    /// method router (`get: BoxedHandler`, `post: None`, ...).
    fn router_routes(router: &axum::Router<AppState>) -> BTreeSet<(String, String)> {
        let text = format!("{router:?}");
        let text = text
            .split("fallback_router:")
            .next()
            .expect("the path router comes first");
        let (routes, node) = text
            .split_once("node: Node { paths: {")
            .expect("the router's path table");
        let mut paths = std::collections::BTreeMap::new();
        for entry in node.split("RouteId(").skip(1) {
            let (id, rest) = entry.split_once("): \"").expect("RouteId(n): \"path\"");
            let path = rest.split('"').next().expect("a quoted path");
            paths.insert(id.to_owned(), path.to_owned());
        }
        let mut found = BTreeSet::new();
        for entry in routes.split("RouteId(").skip(1) {
            let (id, rest) = entry.split_once("): ").expect("RouteId(n): endpoint");
            let path = &paths[id];
            for method in METHODS {
                let field = rest
                    .split_once(&format!(" {method}: "))
                    .map(|(_, value)| value)
                    .unwrap_or_else(|| panic!("no `{method}` in the endpoint of {path}: {rest}"));
                if !field.starts_with("None") {
                    found.insert((method.to_owned(), path.clone()));
                }
            }
        }
        found
    }

    fn document_operations() -> BTreeSet<(String, String)> {
        let document = serde_json::to_value(super::openapi::document()).expect("JSON");
        let mut found = BTreeSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            let path = path.strip_prefix("/api").expect("every path is under /api");
            for method in METHODS {
                if item.get(method).is_some() {
                    found.insert((method.to_owned(), path.to_owned()));
                }
            }
        }
        found
    }

    /// The router the server runs and the document it serves list the same operations: a route
    /// added without `#[utoipa::path]` + `routes!`, or a documented path without a handler, fails.
    #[test]
    fn every_route_is_documented_and_every_documented_operation_is_routed() {
        let routed = router_routes(&super::api_router());
        let documented = document_operations();
        assert!(
            routed.len() > 80,
            "read {} routes from the router",
            routed.len()
        );
        let undocumented: Vec<_> = routed.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routed).collect();
        assert!(
            undocumented.is_empty(),
            "routes missing from the document: {undocumented:?}"
        );
        assert!(
            unrouted.is_empty(),
            "documented operations without a route: {unrouted:?}"
        );
    }

    /// The test above reads what it compares: a route added with plain axum is seen.
    #[test]
    fn a_route_outside_the_declaration_is_caught() {
        let router =
            super::api_router().route("/undocumented", axum::routing::post(|| async { "" }));
        let routed = router_routes(&router);
        assert!(routed.contains(&("post".to_owned(), "/undocumented".to_owned())));
        assert!(!document_operations().contains(&("post".to_owned(), "/undocumented".to_owned())));
    }
}
