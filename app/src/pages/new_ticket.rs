//! "New ticket": the form that files a request, with category help, known-error suggestions,
//! the SLA preview computed by `shared`, and attachments checked before upload.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::api::{NewTicket, SpecialRequests};
use shared::i18n::Text;
use shared::sla::{ClockEvent, ClockEventKind, Plan};
use shared::ticket::{Category, Channel, Classification, Severity};

mod work;

use crate::api::{self, ApiError};
use crate::components::attachment_drop::{AttachmentDrop, Picked, upload_all};
use crate::components::layout::{RequireUser, ShowWhen};
use crate::components::reactive::{Waiting, transition};
use crate::components::time::format_time;
use crate::remote::{Remote, effect};
use crate::state::session;

fn category_text(category: Category) -> Text {
    match category {
        Category::A => Text::CategoryA,
        Category::B => Text::CategoryB,
        Category::C => Text::CategoryC,
        Category::D => Text::CategoryD,
        Category::E => Text::CategoryE,
    }
}

fn severity_text(severity: Severity) -> Text {
    match severity {
        Severity::Critical => Text::Severity1,
        Severity::Serious => Text::Severity2,
        Severity::Minor => Text::Severity3,
        Severity::NotADefect => Text::Severity4,
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let session = session();
    let navigate = use_navigate();
    let subject = RwSignal::new(String::new());
    let category = RwSignal::new(Category::D);
    let severity = RwSignal::new(None::<Severity>);
    let special = RwSignal::new(false);
    let version = RwSignal::new(String::new());
    let product = RwSignal::new(None::<i64>);
    let product_fields = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let description = RwSignal::new(String::new());
    let steps = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Picked>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let on_behalf = OnBehalf::new();
    let work = work::WorkDraft::new();

    // The plan a ticket registered now gets, as the server decides it; built once by `shared`.
    let plan_in_force = Remote::new(api::find_plan_in_force);
    let plan = RwSignal::new(None::<std::sync::Arc<Plan>>);
    effect(move |_| {
        if let Some(Ok(found)) = plan_in_force.get() {
            plan.set(Plan::new(&found.spec).ok().map(std::sync::Arc::new));
        }
    });

    // Published known errors that match the subject, as the customer types.
    let suggestions = Remote::new(move || {
        let text = subject.get();
        async move {
            if text.trim().chars().count() < 3 {
                return Vec::new();
            }
            gloo_timers::future::TimeoutFuture::new(250).await;
            api::search_known_errors(text).await.unwrap_or_default()
        }
    });

    // What the contract says about special requests [000, 004].
    let special_setting = move || match plan_in_force.get() {
        Some(Ok(found)) => found.special_requests,
        _ => SpecialRequests::Allowed,
    };
    let special_refused = move || special_setting() == SpecialRequests::NotAllowed;
    // A customer whose contract does not cover today learns it before writing anything.
    let blocked = move || {
        !session.is_staff()
            && matches!(plan_in_force.get(), Some(Err(error)) if error.status == 403)
    };
    let blocked_reason = move || match plan_in_force.get() {
        Some(Err(error)) => error.to_string(),
        _ => String::new(),
    };
    // What the preview lacks when it cannot show deadlines.
    let preview_missing = move || {
        if session.is_staff() {
            Text::PreviewForCustomer
        } else if category.get() == Category::C && severity.get().is_none() {
            Text::PreviewChooseSeverity
        } else if matches!(plan_in_force.get(), Some(Err(_))) {
            Text::PreviewUnavailable
        } else {
            Text::Loading
        }
    };

    let preview = move || {
        let now = session.now.get();
        // Under `confirm` the request runs on normal clocks until support confirms it.
        let flagged = special.get() && special_setting() == SpecialRequests::Allowed;
        let classification = Classification::new(category.get(), severity.get(), flagged).ok()?;
        let plan = plan.get()?;
        let clocks = shared::clocks(
            &plan,
            &classification,
            &[ClockEvent::new(now, ClockEventKind::Registered)],
            now,
        );
        Some((
            plan.spec().name.clone(),
            clocks.first_response.target.to_string(),
            clocks.first_response.deadline,
            plan.targets_for(&classification).advice_only,
        ))
    };

    let field_error =
        move |name: &'static str| move || error.get().and_then(|error| error.field(name));

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let navigate = navigate.clone();
        let ticket = NewTicket {
            subject: subject.get_untracked(),
            description: description.get_untracked(),
            category: category.get_untracked(),
            severity: if category.get_untracked() == Category::C {
                severity.get_untracked()
            } else {
                None
            },
            special: special.get_untracked() && !special_refused(),
            product_version: version.get_untracked(),
            steps: Some(steps.get_untracked()).filter(|steps| !steps.trim().is_empty()),
            product_id: product.get_untracked(),
            product_fields: if product.get_untracked().is_some() {
                product_fields.get_untracked()
            } else {
                Default::default()
            },
            requester_id: None,
            channel: None,
            scheduled_work: work.window(work::plan_zone(plan.get_untracked().as_deref())),
            paid: work.paid.get_untracked(),
        };
        let ticket = if session.is_staff() {
            on_behalf.fill(ticket)
        } else {
            ticket
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::create_ticket(ticket).await {
                Ok(ticket) => {
                    upload_all(ticket.reference.clone(), files).await;
                    navigate(
                        &format!("/tickets/{}", ticket.reference),
                        Default::default(),
                    );
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };

    let t = move |text: Text| move || session.t(text);
    view! {
        <RequireUser>
        <section class="card form-page">
            <h1>{move || if session.is_staff() { session.t(Text::NewTicketForCustomer) } else { session.t(Text::NewTicket) }}</h1>
            <ShowWhen when=blocked>
                <div class="notice blocked" role="alert" data-testid="service-blocked">
                    <p><strong>{session.text(Text::ServiceBlocked)}</strong></p>
                    <p class="help">{blocked_reason}</p>
                </div>
            </ShowWhen>
            <form on:submit=submit.clone() novalidate hidden=blocked>
                {move || session.is_staff().then(|| view! { <OnBehalfFields on_behalf=on_behalf error=error/> })}
                <div class="field">
                    <label for="subject">{t(Text::Subject)}</label>
                    <input id="subject" type="text" maxlength="200" required autocomplete="off"
                        aria-invalid={move || field_error("subject")().is_some().to_string()}
                        prop:value=subject on:input=move |ev| subject.set(event_target_value(&ev))/>
                    <p class="field-error">{field_error("subject")}</p>
                    {transition(Waiting::Quietly, move || suggestions.get().filter(|list| !list.is_empty()).map(|list| view! {
                        <div class="suggestions" role="region" aria-label=session.t(Text::KnownErrors)>
                            <p class="help">{session.t(Text::SuggestedAnswers)}</p>
                            <ul>
                                {list.into_iter().map(|known| view! {
                                    <li>
                                        <details>
                                            <summary>{known.title.clone()}</summary>
                                            <p>{known.symptoms.clone()}</p>
                                            {Some(known.workaround.clone()).filter(|w| !w.is_empty()).map(|w| view! {
                                                <p><strong>{session.t(Text::Workaround)}": "</strong>{w}</p>
                                            })}
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()))}
                </div>
                <div class="field">
                    <label for="category">{t(Text::Category)}</label>
                    <select id="category" aria-describedby="category-help"
                        on:change=move |ev| {
                            let code = event_target_value(&ev);
                            if let Some(found) = Category::ALL.into_iter().find(|c| c.code() == code) {
                                category.set(found);
                            }
                        }>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.code() selected={move || category.get() == c}>{move || session.t(category_text(c))}</option>
                        }).collect_view()}
                    </select>
                    <p id="category-help" class="help">{move || session.t(category_text(category.get()))}</p>
                    <p class="field-error">{field_error("category")}</p>
                </div>
                <ShowWhen when=move || category.get() == Category::C>
                    <div class="field">
                        <label for="severity">{t(Text::Severity)}</label>
                        <select id="severity"
                            aria-invalid={move || field_error("severity")().is_some().to_string()}
                            on:change=move |ev| {
                                let value = event_target_value(&ev).parse::<u8>().ok();
                                severity.set(value.and_then(|n| Severity::try_from(n).ok()));
                            }>
                            <option value="" selected={move || severity.get().is_none()}>{t(Text::ChooseSeverity)}</option>
                            {Severity::ALL.into_iter().map(|s| view! {
                                <option value=s.number().to_string() selected={move || severity.get() == Some(s)}>
                                    {move || session.t(severity_text(s))}
                                </option>
                            }).collect_view()}
                        </select>
                        <p class="field-error">{field_error("severity")}</p>
                    </div>
                </ShowWhen>
                <div class="field checkbox">
                    <label>
                        <input id="special" type="checkbox" prop:checked=move || special.get() && !special_refused()
                            aria-describedby="special-help special-one-problem special-contract"
                            disabled=special_refused
                            on:change=move |ev| special.set(event_target_checked(&ev))/>
                        {t(Text::SpecialRequest)}
                    </label>
                    <p id="special-help" class="help">{t(Text::SpecialHelp)}</p>
                    <p id="special-one-problem" class="help one-problem">{t(Text::OneProblemPerSpecialRequest)}</p>
                    <p id="special-contract" class="help special-contract">{move || match special_setting() {
                        SpecialRequests::NotAllowed => session.t(Text::SpecialNotAllowed),
                        SpecialRequests::Confirm => session.t(Text::SpecialNeedsConfirmation),
                        SpecialRequests::Allowed => "",
                    }}</p>
                    <p class="field-error">{field_error("special")}</p>
                </div>
                <ProductChoice product=product fields=product_fields error=error/>
                <div class="field">
                    <label for="product_version">{t(Text::ProductVersion)}</label>
                    <input id="product_version" type="text" required placeholder="5.2.1"
                        aria-invalid={move || field_error("product_version")().or_else(field_error("version")).is_some().to_string()}
                        prop:value=version on:input=move |ev| version.set(event_target_value(&ev))/>
                    <p class="field-error">{move || field_error("product_version")().or_else(field_error("version"))}</p>
                </div>
                <div class="field">
                    <label for="description">{t(Text::Description)}</label>
                    <textarea id="description" required
                        aria-invalid={move || field_error("description")().is_some().to_string()}
                        prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{field_error("description")}</p>
                </div>
                <div class="field">
                    <label for="steps">{t(Text::StepsToReproduce)}</label>
                    <textarea id="steps" prop:value=steps on:input=move |ev| steps.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{field_error("steps")}</p>
                </div>
                <work::WorkFields work=work plan=plan error=error/>
                <AttachmentDrop files=files/>
                <div class="sla-preview" aria-live="polite" data-testid="sla-preview">
                    {move || preview().is_none().then(|| view! { <p class="help preview-missing">{session.t(preview_missing())}</p> })}
                    {move || preview().map(|(plan, target, deadline, advice_only)| view! {
                        <p>
                            {session.t(Text::SlaPreview)}" "<strong>{plan}</strong>" · "{target}
                        </p>
                        <p>
                            {session.t(Text::FirstResponseBy)}": "
                            <strong>{deadline.map(|d| format_time(d, &session.zone())).unwrap_or_else(|| session.t(Text::NoCommitment).to_owned())}</strong>
                        </p>
                        {advice_only.then(|| view! { <p class="help advice-only">{session.t(Text::AdviceOnly)}</p> })}
                    })}
                </div>
                <p class="form-error" role="alert">{move || error.get().filter(|e| e.body.fields.is_empty() && e.body.field.is_none()).map(|e| e.to_string())}</p>
                <button type="submit" class="button primary" disabled=busy>{t(Text::Submit)}</button>
            </form>
        </section>
        </RequireUser>
    }
}

/// Staff registering a ticket for a customer [000, 002 §1, 004]: whom it is for and how it
/// came in.
#[derive(Clone, Copy)]
struct OnBehalf {
    search: RwSignal<String>,
    /// The chosen customer's id and how the picker names them.
    requester: RwSignal<Option<(i64, String)>>,
    channel: RwSignal<Channel>,
}

impl OnBehalf {
    fn new() -> OnBehalf {
        OnBehalf {
            search: RwSignal::new(String::new()),
            requester: RwSignal::new(None),
            channel: RwSignal::new(Channel::Phone),
        }
    }

    /// `ticket` for the chosen customer and channel.
    fn fill(&self, ticket: NewTicket) -> NewTicket {
        NewTicket {
            requester_id: self.requester.get_untracked().map(|(id, _)| id),
            channel: Some(self.channel.get_untracked()),
            ..ticket
        }
    }
}

/// The customer picker (search existing customers by name or e-mail) and the channel select.
#[component]
fn OnBehalfFields(on_behalf: OnBehalf, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let session = session();
    let OnBehalf {
        search,
        requester,
        channel,
    } = on_behalf;
    let found = Remote::new(move || {
        let text = search.get();
        async move {
            if text.trim().chars().count() < 2 {
                return Vec::new();
            }
            gloo_timers::future::TimeoutFuture::new(200).await;
            api::list_customers(text).await.unwrap_or_default()
        }
    });
    let field_error =
        move |name: &'static str| move || error.get().and_then(|error| error.field(name));
    view! {
        <div class="field customer-picker">
            <label for="customer-search">{move || session.t(Text::Customer)}</label>
            <input id="customer-search" type="search" autocomplete="off"
                placeholder=move || session.t(Text::FindCustomer)
                aria-invalid={move || field_error("requester_id")().is_some().to_string()}
                prop:value=search on:input=move |ev| search.set(event_target_value(&ev))/>
            <p class="chosen" data-testid="chosen-customer">{move || requester.get().map(|(_, label)| label)}</p>
            {move || found.get().filter(|list| !list.is_empty()).map(|list| view! {
                <ul class="suggestions" role="listbox" aria-label=session.t(Text::Customer)>
                    {list.into_iter().map(|customer| {
                        let label = format!(
                            "{} <{}>{}",
                            customer.name,
                            customer.email,
                            customer.organisation_name.map(|name| format!(" · {name}")).unwrap_or_default()
                        );
                        let chosen = label.clone();
                        view! {
                            <li role="option" aria-selected={move || (requester.get().map(|(id, _)| id) == Some(customer.id)).to_string()}>
                                <button type="button" class="link" on:click=move |_| {
                                    requester.set(Some((customer.id, chosen.clone())));
                                    search.set(String::new());
                                }>{label}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <p class="field-error">{field_error("requester_id")}</p>
        </div>
        <div class="field">
            <label for="channel">{move || session.t(Text::Channel)}</label>
            <select id="channel" on:change=move |ev| {
                if let Some(found) = Channel::parse(&event_target_value(&ev)) { channel.set(found); }
            }>
                {Channel::ALL.into_iter().map(|choice| view! {
                    <option value=choice.as_str() selected={move || channel.get() == choice}>{move || session.t(choice.text())}</option>
                }).collect_view()}
            </select>
            <p class="field-error">{field_error("channel")}</p>
        </div>
    }
}

/// The product a ticket is about, with the supported versions as a hint and the fields the
/// chosen product asks for; offered only when there are products.
#[component]
fn ProductChoice(
    product: RwSignal<Option<i64>>,
    fields: RwSignal<std::collections::BTreeMap<String, String>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = session();
    let products = Remote::new(|| async { api::list_products().await.unwrap_or_default() });
    let chosen = move || {
        let id = product.get()?;
        products.get()?.into_iter().find(|found| found.id == id)
    };
    transition(Waiting::Quietly, move || {
        let list = products.get().filter(|list| !list.is_empty())?;
        Some(view! {
            <div class="field">
                <label for="product">{session.text(Text::Product)}</label>
                <select id="product" on:change=move |ev| {
                    product.set(event_target_value(&ev).parse().ok());
                    fields.set(Default::default());
                }>
                    <option value="" selected={move || product.get().is_none()}>{session.text(Text::NoProduct)}</option>
                    {list.into_iter().map(|item| view! {
                        <option value=item.id.to_string() selected={move || product.get() == Some(item.id)}>{item.name}</option>
                    }).collect_view()}
                </select>
                <p class="help">{move || chosen().map(|found| format!("{}: {}", session.t(Text::SupportedVersions), found.supported_versions.join(", ")))}</p>
                <p class="field-error">{move || error.get().and_then(|e| e.field("product_id"))}</p>
            </div>
            {move || chosen().map(|found| found.fields.into_iter().map(|field| {
                let id = format!("product-field-{}", field.key);
                let key = field.key.clone();
                let error_key = format!("product_fields.{}", field.key);
                let label = field.label(session.locale.get()).to_owned();
                view! {
                    <div class="field">
                        <label for=id.clone()>{label}</label>
                        <input id=id type="text" maxlength="200"
                            on:input=move |ev| { let value = event_target_value(&ev); fields.update(|all| { all.insert(key.clone(), value); }); }/>
                        <p class="field-error">{move || error.get().and_then(|e| e.field(&error_key))}</p>
                    </div>
                }
            }).collect_view())}
        }.into_any())
    })
}
