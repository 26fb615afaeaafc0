//! The 1–5 score of a rating, as five radio buttons named by their number of stars.

use leptos::prelude::*;
use shared::i18n::Text;

use crate::state::session;

/// Sets `score` to the number of stars chosen.
#[component]
pub fn StarPicker(score: RwSignal<u8>) -> impl IntoView {
    let session = session();
    view! {
        <fieldset class="stars">
            <legend>{session.text(Text::Score)}</legend>
            {(1..=5u8).map(|n| view! {
                <label class="star">
                    <input type="radio" name="score" value=n.to_string()
                        on:change=move |_| score.set(n)/>
                    <span aria-hidden="true">{"★".repeat(n as usize)}</span>
                    <span class="visually-hidden">{move || format!("{n} {}", session.t(Text::Stars))}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}
