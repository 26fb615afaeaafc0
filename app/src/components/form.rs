//! Small pieces every form uses: the message next to a field, the form-wide message, and the
//! conversions between `datetime-local` inputs and instants in the viewer's zone.

use chrono::{DateTime, TimeZone, Utc};
use leptos::prelude::*;
use shared::calendar::text::{format_date_time, parse_date_time};

use crate::api::ApiError;

/// The message the server gave for `name`, if the last attempt failed on it.
pub fn field_message(
    error: RwSignal<Option<ApiError>>,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    move || error.with(|error| error.as_ref().and_then(|error| error.field(name)))
}

/// The message of a failure that names no field (or names one the form does not show).
pub fn form_message(
    error: RwSignal<Option<ApiError>>,
    shown: &'static [&'static str],
) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    move || {
        error.with(|error| {
            let error = error.as_ref()?;
            let about_shown_field = error
                .body
                .field
                .as_deref()
                .is_some_and(|field| shown.contains(&field))
                || error
                    .body
                    .fields
                    .keys()
                    .any(|field| shown.contains(&field.as_str()));
            (!about_shown_field).then(|| error.to_string())
        })
    }
}

/// The message under a field, announced when it appears; `id` is what the input's
/// `aria-describedby` names.
#[component]
pub fn FieldError(
    #[prop(into)] id: String,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{move || message.get()}</p> }
}

/// `aria-invalid` for a field with `message`.
pub fn invalid(message: Option<String>) -> &'static str {
    if message.is_some() { "true" } else { "false" }
}

/// The value of a `datetime-local` input (`2025-12-30T10:00`) for `at` in `zone`.
pub fn to_local_input(at: DateTime<Utc>, zone: &str) -> String {
    let local = match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).naive_local(),
        Err(_) => at.naive_utc(),
    };
    format_date_time(local)
}

/// The instant a `datetime-local` value means in `zone`; `None` when empty or malformed.
pub fn from_local_input(value: &str, zone: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let naive = parse_date_time(value).ok()?;
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => tz
            .from_local_datetime(&naive)
            .earliest()
            .map(|local| local.with_timezone(&Utc)),
        Err(_) => Some(Utc.from_utc_datetime(&naive)),
    }
}

/// The submit handler of a filter form with `method="GET"`: like leptos_router's
/// `<Form method="GET">`, it follows `action?` with the form's fields and its submitter's name
/// and value in the router, without reloading the page, and compiles none of that component's
/// POST machinery.
pub fn get_form(action: &'static str) -> impl Fn(leptos::ev::SubmitEvent) + Clone + 'static {
    let navigate = leptos_router::hooks::use_navigate();
    move |event: leptos::ev::SubmitEvent| {
        if event.default_prevented() {
            return;
        }
        let Some(params) = form_query(&event) else {
            return;
        };
        navigate(&format!("{action}?{params}"), Default::default());
        event.prevent_default();
        event.stop_propagation();
    }
}

/// The query string of a submitted form, as leptos's `form_data_from_event` gathers it.
fn form_query(event: &leptos::ev::SubmitEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    let form = event
        .target()?
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let submitter = event.submitter();
    let named = submitter.as_ref().and_then(|submitter| {
        if let Some(button) = submitter.dyn_ref::<web_sys::HtmlButtonElement>() {
            Some((button.name(), button.value()))
        } else {
            submitter
                .dyn_ref::<web_sys::HtmlInputElement>()
                .map(|input| (input.name(), input.value()))
        }
    });
    if let Some((name, value)) = named {
        data.append_with_str(&name, &value).ok()?;
    }
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    Some(String::from(params.to_string()))
}
