//! `/reports`: the supervisor's reports (SPEC §8): SLA compliance by group with the breaches,
//! customer satisfaction, the reopen rate, the backlog by age and the expedite requests.
//!
//! The period and the grouping live in the URL, so a report can be bookmarked and shared; the
//! period is read by `shared::report::Period::parse`, the same rule the server applies.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::i18n::Text;
use shared::report::{
    BacklogReport, Compliance, CsatReport, GroupBy, Period, ReopenReport, SlaGroup, SlaReport,
};
use shared::sla::ClockKind;
use shared::ticket::Role;

use crate::api::{self, ApiError};
use crate::components::chart::{Bar, BarChart, BarRow};
use crate::components::form::get_form;
use crate::components::layout::RequireRole;
use crate::components::number::{fixed, whole_percent};
use crate::components::reactive::{Waiting, transition};
use crate::components::status::StatusBadge;
use crate::components::time::format_time;
use crate::pages::admin::today;
use crate::remote::Remote;
use crate::state::{Session, session};

const GROUPINGS: [(GroupBy, Text); 4] = [
    (GroupBy::Organisation, Text::Organisation),
    (GroupBy::Category, Text::Category),
    (GroupBy::Plan, Text::Plan),
    (GroupBy::Agent, Text::GroupAgent),
];

/// What the URL asks for: the period (or why it cannot be read), the grouping and the page of
/// the expedite requests.
#[derive(Clone, Debug, PartialEq)]
struct ReportParams {
    from: String,
    to: String,
    period: Option<Period>,
    group_by: GroupBy,
    expedite_cursor: String,
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <RequireRole allow=Role::is_manager>
            <Reports/>
        </RequireRole>
    }
}

#[component]
fn Reports() -> impl IntoView {
    let session = session();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let today = today(session);
        query.with(|q| {
            let from = q.get("from").unwrap_or_default();
            let to = q.get("to").unwrap_or_default();
            let period = Period::parse(Some(&from), Some(&to), today).ok();
            ReportParams {
                // The inputs show the period in force, the default one included.
                from: period.map(|p| p.from.to_string()).unwrap_or(from),
                to: period.map(|p| p.to.to_string()).unwrap_or(to),
                period,
                group_by: q
                    .get("group_by")
                    .and_then(|g| g.parse().ok())
                    .unwrap_or(GroupBy::Organisation),
                expedite_cursor: q.get("expedite_cursor").unwrap_or_default(),
            }
        })
    });
    let period = Memo::new(move |_| params.with(|p| p.period));
    let group_by = Memo::new(move |_| params.with(|p| p.group_by));
    let expedite_cursor = Memo::new(move |_| params.with(|p| p.expedite_cursor.clone()));

    let sla = Remote::new(move || {
        let (period, group_by) = (period.get(), group_by.get());
        async move {
            match period {
                Some(period) => Some(api::find_sla_report(period, group_by).await),
                None => None,
            }
        }
    });
    let csat = Remote::new(move || {
        let period = period.get();
        async move {
            match period {
                Some(period) => Some(api::find_csat_report(period).await),
                None => None,
            }
        }
    });
    let reopens = Remote::new(move || {
        let period = period.get();
        async move {
            match period {
                Some(period) => Some(api::find_reopen_report(period).await),
                None => None,
            }
        }
    });
    let backlog = Remote::new(api::find_backlog_report);
    let expedite = Remote::new(move || {
        let cursor = expedite_cursor.get();
        api::list_expedite_requests(Some(cursor))
    });

    // The address of this page with the same period and grouping and another expedite page.
    let expedite_page_url = move |cursor: &str| {
        let current = params.get();
        let mut url = format!(
            "/reports?from={}&to={}&group_by={}",
            current.from,
            current.to,
            current.group_by.as_str()
        );
        if !cursor.is_empty() {
            url.push_str("&expedite_cursor=");
            url.push_str(&String::from(js_sys::encode_uri_component(cursor)));
        }
        url
    };

    view! {
        <div class="reports">
            <h1>{session.text(Text::Reports)}</h1>
            <p class="help">{session.text(Text::ReportsHelp)}</p>
            <form method="GET" action="/reports" class="card report-filters" on:submit=get_form("/reports")>
                <fieldset class="field-row">
                    <legend>{session.text(Text::ReportPeriod)}</legend>
                    <div class="field">
                        <label for="report-from">{session.text(Text::PeriodFrom)}</label>
                        <input id="report-from" name="from" type="date" required
                            aria-describedby="report-period-help"
                            aria-invalid={move || if period.get().is_none() { "true" } else { "false" }}
                            prop:value={move || params.get().from}/>
                    </div>
                    <div class="field">
                        <label for="report-to">{session.text(Text::PeriodTo)}</label>
                        <input id="report-to" name="to" type="date" required
                            aria-describedby="report-period-help"
                            aria-invalid={move || if period.get().is_none() { "true" } else { "false" }}
                            prop:value={move || params.get().to}/>
                    </div>
                    <div class="field">
                        <label for="report-group-by">{session.text(Text::GroupBy)}</label>
                        <select id="report-group-by" name="group_by">
                            {move || {
                                let current = group_by.get();
                                GROUPINGS.into_iter().map(|(value, text)| view! {
                                    <option value=value.as_str() selected=current == value>{session.t(text)}</option>
                                }).collect_view()
                            }}
                        </select>
                    </div>
                    <div class="field end actions">
                        <button type="submit" class="button primary">{session.text(Text::ShowReports)}</button>
                        <a class="button secondary" href="/reports">{session.text(Text::LastThirtyDays)}</a>
                    </div>
                </fieldset>
                <p id="report-period-help" class="help">{session.text(Text::PeriodHelp)}</p>
                <p class="form-error" role="alert">
                    {move || period.get().is_none().then(|| session.t(Text::PeriodInvalid))}
                </p>
            </form>

            <section class="card report report-sla" aria-labelledby="report-sla-title">
                <div class="report-head">
                    <h2 id="report-sla-title">{session.text(Text::SlaCompliance)}</h2>
                    {move || period.get().map(|p| view! {
                        <a class="button secondary small" href=api::sla_report_csv_url(p, group_by.get())
                            download="" aria-describedby="report-sla-title">{session.t(Text::DownloadCsv)}</a>
                    })}
                </div>
                {transition(Waiting::Status, move || sla.get().flatten().map(|result| match result {
                    Err(error) => load_failed(session, &error).into_any(),
                    Ok(report) => sla_view(session, &report).into_any(),
                }))}
            </section>

            <section class="card report report-breaches" aria-labelledby="report-breaches-title">
                <div class="report-head">
                    <h2 id="report-breaches-title">{session.text(Text::Breaches)}</h2>
                </div>
                {transition(Waiting::Status, move || sla.get().flatten().map(|result| match result {
                    Err(error) => load_failed(session, &error).into_any(),
                    Ok(report) => breaches_view(session, report).into_any(),
                }))}
            </section>

            <div class="report-grid">
                <section class="card report report-csat" aria-labelledby="report-csat-title">
                    <div class="report-head">
                        <h2 id="report-csat-title">{session.text(Text::CustomerSatisfaction)}</h2>
                        {move || period.get().map(|p| view! {
                            <a class="button secondary small" href=api::csat_report_csv_url(p)
                                download="" aria-describedby="report-csat-title">{session.t(Text::DownloadCsv)}</a>
                        })}
                    </div>
                    {transition(Waiting::Status, move || csat.get().flatten().map(|result| match result {
                        Err(error) => load_failed(session, &error).into_any(),
                        Ok(report) => csat_view(session, &report).into_any(),
                    }))}
                </section>

                <section class="card report report-reopens" aria-labelledby="report-reopens-title">
                    <div class="report-head">
                        <h2 id="report-reopens-title">{session.text(Text::ReopenRate)}</h2>
                        {move || period.get().map(|p| view! {
                            <a class="button secondary small" href=api::reopen_report_csv_url(p)
                                download="" aria-describedby="report-reopens-title">{session.t(Text::DownloadCsv)}</a>
                        })}
                    </div>
                    {transition(Waiting::Status, move || reopens.get().flatten().map(|result| match result {
                        Err(error) => load_failed(session, &error).into_any(),
                        Ok(report) => reopen_view(session, &report).into_any(),
                    }))}
                </section>

                <section class="card report report-backlog" aria-labelledby="report-backlog-title">
                    <div class="report-head">
                        <h2 id="report-backlog-title">{session.text(Text::BacklogByAge)}</h2>
                        <a class="button secondary small" href=api::backlog_report_csv_url()
                            download="" aria-describedby="report-backlog-title">{session.text(Text::DownloadCsv)}</a>
                    </div>
                    {transition(Waiting::Status, move || backlog.get().map(|result| match result {
                        Err(error) => load_failed(session, &error).into_any(),
                        Ok(report) => backlog_view(session, &report).into_any(),
                    }))}
                </section>
            </div>

            <section class="card report report-expedite" aria-labelledby="report-expedite-title">
                <div class="report-head">
                    <h2 id="report-expedite-title">{session.text(Text::ExpediteRequests)}</h2>
                </div>
                {transition(Waiting::Status, move || expedite.get().map(|result| match result {
                    Err(error) => load_failed(session, &error).into_any(),
                    Ok(list) if list.requests.is_empty() => {
                        view! { <p class="empty">{session.t(Text::NoExpediteRequests)}</p> }.into_any()
                    }
                    Ok(list) => {
                        let zone = session.zone();
                        let next = list.meta.next_cursor.clone();
                        let not_first = !expedite_cursor.get().is_empty();
                        view! {
                            <table class="list labelled expedite">
                                <caption class="visually-hidden">{session.t(Text::ExpediteRequests)}</caption>
                                <thead><tr>
                                    <th scope="col">{session.t(Text::When)}</th>
                                    <th scope="col">{session.t(Text::Reference)}</th>
                                    <th scope="col">{session.t(Text::Subject)}</th>
                                    <th scope="col">{session.t(Text::Status)}</th>
                                    <th scope="col">{session.t(Text::Organisation)}</th>
                                    <th scope="col">{session.t(Text::RequestedBy)}</th>
                                    <th scope="col">{session.t(Text::Comment)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.requests.into_iter().map(|request| {
                                        let status = api::from_name::<shared::ticket::Status>(&request.status);
                                        view! {
                                            <tr>
                                                <td class="ref" data-label=session.t(Text::When)>
                                                    <time datetime=request.at.to_rfc3339()>{format_time(request.at, &zone)}</time>
                                                </td>
                                                <td class="ref" data-label=session.t(Text::Reference)>
                                                    <a href=format!("/tickets/{}", request.reference)>{request.reference.clone()}</a>
                                                </td>
                                                <td data-label=session.t(Text::Subject)>{request.subject.clone()}</td>
                                                <td data-label=session.t(Text::Status)>
                                                    {match status {
                                                        Some(status) => view! { <StatusBadge status=status/> }.into_any(),
                                                        None => view! { <span class="badge status">{request.status.clone()}</span> }.into_any(),
                                                    }}
                                                </td>
                                                <td data-label=session.t(Text::Organisation)>{request.organisation.clone()}</td>
                                                <td data-label=session.t(Text::RequestedBy)>{request.requested_by.clone().unwrap_or_default()}</td>
                                                <td class="comment" data-label=session.t(Text::Comment)>{request.comment.clone().unwrap_or_default()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <div class="pager">
                                {not_first.then(|| view! {
                                    <a class="button secondary" href=expedite_page_url("")>{session.t(Text::FirstPage)}</a>
                                })}
                                {next.map(|next| view! {
                                    <a class="button secondary" href=expedite_page_url(&next)>{session.t(Text::NextPage)}</a>
                                })}
                            </div>
                        }.into_any()
                    }
                }))}
            </section>
        </div>
    }
}

fn load_failed(session: Session, error: &ApiError) -> impl IntoView {
    view! {
        <p class="form-error" role="alert">{session.t(Text::LoadFailed)}": "{error.to_string()}</p>
    }
}

fn percent_text(value: Option<f64>) -> String {
    value
        .map(|v| format!("{}%", fixed(v, 1)))
        .unwrap_or_else(|| "—".to_owned())
}

/// The label of a group: the server's words, except where the app has its own translation.
fn group_label(session: Session, report: &SlaReport, group: &SlaGroup) -> String {
    if report.group_by == GroupBy::Agent && group.key.is_none() {
        session.t(Text::ViewUnassigned).to_owned()
    } else {
        group.label.clone()
    }
}

fn compliance_bar(
    session: Session,
    name: Text,
    compliance: &Compliance,
    class: &'static str,
) -> Bar {
    let decided = compliance.met + compliance.breached;
    Bar {
        name: Some(session.t(name).to_owned()),
        share: compliance.percent.unwrap_or(0.0) / 100.0,
        value: match compliance.percent {
            Some(percent) => format!("{}% ({}/{decided})", fixed(percent, 1), compliance.met),
            None => session.t(Text::NotDecided).to_owned(),
        },
        class,
    }
}

fn sla_view(session: Session, report: &SlaReport) -> impl IntoView {
    if report.groups.is_empty() {
        return view! { <p class="empty">{session.t(Text::NoSlaData)}</p> }.into_any();
    }
    let rows: Vec<BarRow> = report
        .groups
        .iter()
        .map(|group| BarRow {
            label: group_label(session, report, group),
            bars: vec![
                compliance_bar(
                    session,
                    Text::FirstResponse,
                    &group.first_response,
                    "bar-first",
                ),
                compliance_bar(
                    session,
                    Text::Resolution,
                    &group.resolution,
                    "bar-resolution",
                ),
            ],
        })
        .collect();
    let row = |label: String, group: &SlaGroup, total: bool| {
        let cells = [
            group.first_response.met.to_string(),
            group.first_response.breached.to_string(),
            percent_text(group.first_response.percent),
            group.resolution.met.to_string(),
            group.resolution.breached.to_string(),
            percent_text(group.resolution.percent),
        ];
        view! {
            <tr class:total=total>
                <th scope="row">{label}</th>
                <td class="num">{group.tickets}</td>
                {cells.into_iter().map(|value| view! { <td class="num">{value}</td> }).collect_view()}
            </tr>
        }
    };
    let group_heading = GROUPINGS
        .iter()
        .find(|(value, _)| *value == report.group_by)
        .map(|(_, text)| *text)
        .unwrap_or(Text::Group);
    view! {
        <div class="table-scroll">
            <table class="list sla-table">
                <caption class="visually-hidden">{session.t(Text::SlaCompliance)}</caption>
                <thead>
                    <tr>
                        <th scope="col" rowspan="2">{session.t(group_heading)}</th>
                        <th scope="col" rowspan="2" class="num">{session.t(Text::TicketCount)}</th>
                        <th scope="colgroup" colspan="3" class="num">{session.t(Text::FirstResponse)}</th>
                        <th scope="colgroup" colspan="3" class="num">{session.t(Text::Resolution)}</th>
                    </tr>
                    <tr>
                        <th scope="col" class="num">{session.t(Text::MetCount)}</th>
                        <th scope="col" class="num">{session.t(Text::BreachedCount)}</th>
                        <th scope="col" class="num">{session.t(Text::MetPercent)}</th>
                        <th scope="col" class="num">{session.t(Text::MetCount)}</th>
                        <th scope="col" class="num">{session.t(Text::BreachedCount)}</th>
                        <th scope="col" class="num">{session.t(Text::MetPercent)}</th>
                    </tr>
                </thead>
                <tbody>
                    {report.groups.iter().map(|group| row(group_label(session, report, group), group, false)).collect_view()}
                </tbody>
                <tfoot>
                    {row(session.t(Text::Total).to_owned(), &report.total, true)}
                </tfoot>
            </table>
        </div>
        <figure class="chart-figure">
            <figcaption>{session.t(Text::SlaChartTitle)}</figcaption>
            <BarChart label=session.t(Text::SlaChartTitle).to_owned() rows=rows track=true/>
        </figure>
    }
    .into_any()
}

fn clock_text(kind: ClockKind) -> Text {
    match kind {
        ClockKind::FirstResponse => Text::FirstResponse,
        ClockKind::NextResponse => Text::NextResponse,
        ClockKind::Resolution => Text::Resolution,
        ClockKind::Escalation => Text::Escalation,
    }
}

fn breaches_view(session: Session, report: SlaReport) -> impl IntoView {
    if report.breaches.is_empty() {
        return view! { <p class="empty">{session.t(Text::NoBreaches)}</p> }.into_any();
    }
    let zone = session.zone();
    view! {
        <table class="list labelled breaches">
            <caption class="visually-hidden">{session.t(Text::Breaches)}</caption>
            <thead><tr>
                <th scope="col">{session.t(Text::Reference)}</th>
                <th scope="col">{session.t(Text::Subject)}</th>
                <th scope="col">{session.t(Text::Organisation)}</th>
                <th scope="col">{session.t(Text::Assignee)}</th>
                <th scope="col">{session.t(Text::ClockName)}</th>
                <th scope="col">{session.t(Text::Registered)}</th>
                <th scope="col">{session.t(Text::Deadline)}</th>
                <th scope="col">{session.t(Text::StoppedAt)}</th>
            </tr></thead>
            <tbody>
                {report.breaches.into_iter().map(|breach| {
                    let time = |at: chrono::DateTime<chrono::Utc>| view! {
                        <time datetime=at.to_rfc3339()>{format_time(at, &zone)}</time>
                    };
                    view! {
                        <tr>
                            <td class="ref" data-label=session.t(Text::Reference)>
                                <a href=format!("/tickets/{}", breach.reference)>{breach.reference.clone()}</a>
                            </td>
                            <td data-label=session.t(Text::Subject)>{breach.subject.clone()}</td>
                            <td data-label=session.t(Text::Organisation)>{breach.organisation.clone()}</td>
                            <td data-label=session.t(Text::Assignee)>
                                {breach.assignee.clone().unwrap_or_else(|| session.t(Text::Unassigned).to_owned())}
                            </td>
                            <td data-label=session.t(Text::ClockName)>
                                <span class="badge state-breached">{session.t(clock_text(breach.clock))}</span>
                            </td>
                            <td class="ref" data-label=session.t(Text::Registered)>{time(breach.registered_at)}</td>
                            <td class="ref" data-label=session.t(Text::Deadline)>{breach.deadline.map(time)}</td>
                            <td class="ref" data-label=session.t(Text::StoppedAt)>
                                {match breach.stopped_at {
                                    Some(at) => time(at).into_any(),
                                    None => view! { <span class="meta">{session.t(Text::StillRunning)}</span> }.into_any(),
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn csat_view(session: Session, report: &CsatReport) -> impl IntoView {
    if report.count == 0 {
        return view! { <p class="empty">{session.t(Text::NoRatings)}</p> }.into_any();
    }
    let most = report
        .distribution
        .iter()
        .map(|d| d.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let rows: Vec<BarRow> = report
        .distribution
        .iter()
        .rev()
        .map(|entry| BarRow {
            label: format!("{} ★", entry.score),
            bars: vec![Bar {
                name: None,
                share: entry.count as f64 / most as f64,
                value: format!(
                    "{} ({}%)",
                    entry.count,
                    whole_percent(entry.count, report.count)
                ),
                class: "bar-csat",
            }],
        })
        .collect();
    view! {
        <dl class="figures">
            <div>
                <dt>{session.t(Text::AverageScore)}</dt>
                <dd><span class="figure">{report.average.map(|a| fixed(a, 2)).unwrap_or_default()}</span>
                    " "<span class="meta">{session.t(Text::OutOfFive)}</span></dd>
            </div>
            <div>
                <dt>{session.t(Text::RatingCount)}</dt>
                <dd><span class="figure">{report.count}</span></dd>
            </div>
        </dl>
        <figure class="chart-figure">
            <figcaption>{session.t(Text::CsatChartTitle)}</figcaption>
            <BarChart label=session.t(Text::CsatChartTitle).to_owned() rows=rows/>
        </figure>
    }
    .into_any()
}

fn reopen_view(session: Session, report: &ReopenReport) -> impl IntoView {
    if report.resolved == 0 && report.reopened == 0 {
        return view! { <p class="empty">{session.t(Text::NoResolutions)}</p> }.into_any();
    }
    view! {
        <dl class="figures">
            <div>
                <dt>{session.t(Text::ReopenRate)}</dt>
                <dd><span class="figure">{percent_text(report.rate)}</span></dd>
            </div>
            <div>
                <dt>{session.t(Text::Resolutions)}</dt>
                <dd><span class="figure">{report.resolved}</span></dd>
            </div>
            <div>
                <dt>{session.t(Text::Reopens)}</dt>
                <dd><span class="figure">{report.reopened}</span></dd>
            </div>
        </dl>
    }
    .into_any()
}

/// The app's words for a backlog bucket; the server's label for a key it does not know.
fn bucket_label(session: Session, key: &str, fallback: &str) -> String {
    let text = match key {
        "lt_1d" => Text::AgeUnderOneDay,
        "1_3d" => Text::AgeOneToThreeDays,
        "3_7d" => Text::AgeThreeToSevenDays,
        "7_30d" => Text::AgeSevenToThirtyDays,
        "gt_30d" => Text::AgeOverThirtyDays,
        _ => return fallback.to_owned(),
    };
    session.t(text).to_owned()
}

fn backlog_view(session: Session, report: &BacklogReport) -> impl IntoView {
    let zone = session.zone();
    let as_of = view! {
        <p class="meta as-of">{session.t(Text::AsOf)}" "
            <time datetime=report.at.to_rfc3339()>{format_time(report.at, &zone)}</time></p>
    };
    if report.total == 0 {
        return view! { {as_of}<p class="empty">{session.t(Text::NoBacklog)}</p> }.into_any();
    }
    let most = report
        .buckets
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let rows: Vec<BarRow> = report
        .buckets
        .iter()
        .map(|bucket| BarRow {
            label: bucket_label(session, &bucket.key, &bucket.label),
            bars: vec![Bar {
                name: None,
                share: bucket.count as f64 / most as f64,
                value: bucket.count.to_string(),
                class: if bucket.min_days >= 7 {
                    "bar-old"
                } else {
                    "bar-young"
                },
            }],
        })
        .collect();
    view! {
        {as_of}
        <dl class="figures">
            <div>
                <dt>{session.t(Text::OpenTickets)}</dt>
                <dd><span class="figure">{report.total}</span></dd>
            </div>
        </dl>
        <figure class="chart-figure">
            <figcaption>{session.t(Text::BacklogChartTitle)}</figcaption>
            <BarChart label=session.t(Text::BacklogChartTitle).to_owned() rows=rows/>
        </figure>
    }
    .into_any()
}
