//! Reports for supervisors and admins: SLA compliance by group with the breaches, CSAT, reopen
//! rate and backlog age, each as JSON or (`?format=csv`) a CSV download; and the expedite
//! requests customers sent to the head of support.
//!
//! The database aggregates (`db::reports`); `shared::report` holds the rules and the CSV form.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde::Serialize;
use shared::api::{ExpediteRequest, ExpediteRequestList, Meta};
use shared::report::{
    BacklogReport, CsatReport, Format, GroupBy, ParamError, Period, ReopenReport, SlaReport,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::db::{reports as r, tickets as q};
use crate::error::{Error, Json, Result};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find_sla_report))
        .routes(routes!(find_csat_report))
        .routes(routes!(find_reopen_report))
        .routes(routes!(find_backlog_report))
        .routes(routes!(list_expedite_requests))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    group_by: Option<String>,
    format: Option<String>,
}

fn param(error: ParamError) -> Error {
    Error::field(&error.field, error.message)
}

fn query_of(query: Result<Query<ReportQuery>, QueryRejection>) -> Result<ReportQuery> {
    query
        .map(|Query(query)| query)
        .map_err(|rejection| Error::BadRequest(rejection.body_text()))
}

fn period_of(query: &ReportQuery) -> Result<Period> {
    Period::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        Utc::now().date_naive(),
    )
    .map_err(param)
}

/// The report as JSON, or as a CSV attachment named `name`.
fn respond<T: Serialize>(
    format: Format,
    name: &str,
    report: &T,
    csv: impl FnOnce() -> String,
) -> Response {
    match format {
        Format::Json => Json(report).into_response(),
        Format::Csv => {
            let mut response = csv().into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(value) =
                HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\""))
            {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
    }
}

/// `GET /api/reports/sla?from=&to=&group_by=organisation|category|plan|agent&format=`.
#[utoipa::path(
    get,
    path = "/reports/sla",
    tag = "reports",
    summary = "SLA compliance by group with breaches (managers)",
    params(
        ReportQuery
    ),
    responses(
        (status = 200, description = "the report as JSON, or CSV with ?format=csv", content((shared::report::SlaReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_sla_report(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response> {
    user.require_manager()?;
    let query = query_of(query)?;
    let period = period_of(&query)?;
    let format = Format::parse(query.format.as_deref()).map_err(param)?;
    let group_by: GroupBy = query
        .group_by
        .as_deref()
        .unwrap_or("organisation")
        .parse()
        .map_err(param)?;
    let counts = r::sla_counts(&state.db, &period, group_by).await?;
    let breaches = r::breaches(&state.db, &period).await?;
    let report = SlaReport::new(period, group_by, counts, breaches);
    let name = format!("sla-{}-{}-{}", group_by.as_str(), period.from, period.to);
    Ok(respond(format, &name, &report, || report.to_csv()))
}

/// `GET /api/reports/csat?from=&to=&format=`.
#[utoipa::path(
    get,
    path = "/reports/csat",
    tag = "reports",
    summary = "ratings: average, distribution, count (managers)",
    params(
        ReportQuery
    ),
    responses(
        (status = 200, description = "the report as JSON, or CSV with ?format=csv", content((shared::report::CsatReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_csat_report(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response> {
    user.require_manager()?;
    let query = query_of(query)?;
    let period = period_of(&query)?;
    let format = Format::parse(query.format.as_deref()).map_err(param)?;
    let counts = r::rating_counts(&state.db, &period).await?;
    let report = CsatReport::new(period, &counts);
    let name = format!("csat-{}-{}", period.from, period.to);
    Ok(respond(format, &name, &report, || report.to_csv()))
}

/// `GET /api/reports/reopens?from=&to=&format=`.
#[utoipa::path(
    get,
    path = "/reports/reopens",
    tag = "reports",
    summary = "reopen rate (managers)",
    params(
        ReportQuery
    ),
    responses(
        (status = 200, description = "the report as JSON, or CSV with ?format=csv", content((shared::report::ReopenReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_reopen_report(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response> {
    user.require_manager()?;
    let query = query_of(query)?;
    let period = period_of(&query)?;
    let format = Format::parse(query.format.as_deref()).map_err(param)?;
    let (resolved, reopened) = r::resolve_and_reopen_counts(&state.db, &period).await?;
    let report = ReopenReport::new(period, resolved, reopened);
    let name = format!("reopens-{}-{}", period.from, period.to);
    Ok(respond(format, &name, &report, || report.to_csv()))
}

/// `GET /api/reports/backlog?format=`: open tickets by age now.
#[utoipa::path(
    get,
    path = "/reports/backlog",
    tag = "reports",
    summary = "open tickets by age bucket (managers)",
    params(
        ReportQuery
    ),
    responses(
        (status = 200, description = "the report as JSON, or CSV with ?format=csv", content((shared::report::BacklogReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn find_backlog_report(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response> {
    user.require_manager()?;
    let query = query_of(query)?;
    let format = Format::parse(query.format.as_deref()).map_err(param)?;
    let now = Utc::now();
    let counts = r::backlog_counts(&state.db, now).await?;
    let report = BacklogReport::new(now, counts);
    let name = format!("backlog-{}", now.date_naive());
    Ok(respond(format, &name, &report, || report.to_csv()))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    cursor: Option<String>,
    limit: Option<u64>,
}

/// `GET /api/expedite-requests?cursor=&limit=`: tickets a customer asked to expedite, newest
/// request first (supervisors and admins).
#[utoipa::path(
    get,
    path = "/expedite-requests",
    tag = "reports",
    summary = "tickets customers asked to expedite (managers)",
    params(
        PageQuery
    ),
    responses(
        (status = 200, description = "a page", body = shared::api::ExpediteRequestList),
        (status = 400, description = "bad_request: a path or query parameter, a header or the JSON body does not parse", body = shared::api::ErrorBody),
        (status = 401, description = "unauthorized: no valid session (Bearer token or session cookie)", body = shared::api::ErrorBody),
        (status = 403, description = "forbidden: the role may not do this, the account must first change its password or set up a second factor, or a cookie-signed write came from another origin", body = shared::api::ErrorBody),
        (status = 422, description = "validation: `field` and `fields` name what is wrong", body = shared::api::ErrorBody),
        (status = "default", description = "any other error, in the same envelope", body = shared::api::ErrorBody)
    ),
)]
async fn list_expedite_requests(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<ExpediteRequestList>> {
    user.require_manager()?;
    let Query(query) = query.map_err(|rejection| Error::BadRequest(rejection.body_text()))?;
    let cursor = match query.cursor.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| Error::field("cursor", "not a cursor of this list"))?,
        ),
    };
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let mut found = r::expedite_requests(&state.db, cursor, limit).await?;
    let more = found.len() as u64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more
        .then(|| found.last().map(|(event, _)| event.id.to_string()))
        .flatten();
    let organisations = q::organisation_names(
        &state.db,
        found
            .iter()
            .filter_map(|(_, t)| t.as_ref().map(|t| t.organisation_id))
            .collect(),
    )
    .await?;
    let actors = q::user_names(
        &state.db,
        found
            .iter()
            .filter_map(|(event, _)| event.actor_id)
            .collect(),
    )
    .await?;
    let message_ids: Vec<i64> = found
        .iter()
        .filter_map(|(event, _)| message_id(&event.payload))
        .collect();
    let comments = r::message_bodies(&state.db, message_ids).await?;
    let requests = found
        .into_iter()
        .filter_map(|(event, ticket)| {
            let ticket = ticket?;
            Some(ExpediteRequest {
                id: event.id,
                at: event.at,
                reference: ticket.reference,
                subject: ticket.subject,
                status: ticket.status,
                organisation: organisations
                    .get(&ticket.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                requested_by: event
                    .actor_id
                    .and_then(|id| actors.get(&id))
                    .map(|(name, _)| name.clone()),
                comment: message_id(&event.payload).and_then(|id| comments.get(&id).cloned()),
            })
        })
        .collect();
    Ok(Json(ExpediteRequestList {
        requests,
        meta: Meta { next_cursor },
    }))
}

fn message_id(payload: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()?
        .get("message_id")?
        .as_i64()
}
