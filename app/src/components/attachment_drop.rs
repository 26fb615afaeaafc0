//! Attachments: drag and drop or choose, each file checked by `shared::attachment::check`
//! before it is uploaded, with the upload's progress.

use leptos::prelude::*;
use shared::i18n::Text;

use crate::components::reactive::keyed;
use crate::state::session;

/// A file the user picked, with the verdict of the shared policy and the upload progress.
#[derive(Clone)]
pub struct Picked {
    pub id: usize,
    pub name: String,
    pub size: u64,
    pub file: send_wrapper::SendWrapper<web_sys::File>,
    /// `Err(message)` when the policy refuses the file.
    pub verdict: Result<(), String>,
    /// 0..=1 while uploading; `None` before.
    pub progress: Option<f64>,
    pub upload_error: Option<String>,
}

/// Reads the first bytes of `file` and asks `shared` whether it may be attached.
async fn check(file: &web_sys::File) -> Result<(), String> {
    let size = file.size() as u64;
    let head = file
        .slice_with_i32_and_i32(0, 64)
        .map_err(|_| "the file cannot be read".to_owned())?;
    let buffer = wasm_bindgen_futures::JsFuture::from(head.array_buffer())
        .await
        .map_err(|_| "the file cannot be read".to_owned())?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    shared::attachment::check(&file.name(), &bytes, size)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Adds the files of a `FileList` to `files`, each with its verdict.
pub fn add_files(
    list: Option<web_sys::FileList>,
    files: RwSignal<Vec<Picked>>,
    next_id: StoredValue<usize>,
) {
    let Some(list) = list else { return };
    for index in 0..list.length() {
        let Some(file) = list.item(index) else {
            continue;
        };
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        leptos::task::spawn_local(async move {
            let verdict = check(&file).await;
            files.update(|files| {
                files.push(Picked {
                    id,
                    name: file.name(),
                    size: file.size() as u64,
                    file: send_wrapper::SendWrapper::new(file),
                    verdict,
                    progress: None,
                    upload_error: None,
                })
            });
        });
    }
}

#[component]
pub fn AttachmentDrop(files: RwSignal<Vec<Picked>>) -> impl IntoView {
    let session = session();
    let next_id = StoredValue::new(0usize);
    let over = RwSignal::new(false);
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        over.set(false);
        add_files(
            event.data_transfer().and_then(|data| data.files()),
            files,
            next_id,
        );
    };
    let on_change = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        add_files(input.files(), files, next_id);
        input.set_value("");
    };
    view! {
        <div class="field">
            <label for="attachments">{session.text(Text::Attachments)}</label>
            <div class="dropzone" class:over=over
                on:dragover=move |event: leptos::ev::DragEvent| { event.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop>
                <input id="attachments" type="file" multiple on:change=on_change
                    aria-describedby="attachments-help"/>
                <p id="attachments-help" class="help">{session.text(Text::AttachmentsHelp)}</p>
            </div>
            <ul class="files" aria-live="polite">
                {keyed(move || files.get(), |file| format!("{}:{}:{}", file.id, file.progress.map_or(-1, |p| i64::from((p * 100.0) as u32)), file.upload_error.as_ref().map_or("-".to_owned(), |error| format!("+{error}"))), move |file| (
                    {
                        let id = file.id;
                        let refused = file.verdict.clone().err();
                        let ok = refused.is_none();
                        view! {
                            <li class:refused=!ok>
                                <span class="file-name">{file.name.clone()}</span>
                                <span class="file-size">{format!("{} KB", file.size.div_ceil(1024))}</span>
                                {refused.map(|message| view! {
                                    <span class="field-error" role="alert">{session.t(Text::Refused)}": "{message}</span>
                                })}
                                {file.progress.map(|progress| view! {
                                    <progress max="100" value=(progress * 100.0).round() as u32 aria-label=file.name.clone()></progress>
                                })}
                                {file.upload_error.clone().map(|message| view! {
                                    <span class="field-error" role="alert">{message}</span>
                                })}
                                <button type="button" class="button secondary small"
                                    on:click=move |_| files.update(|files| files.retain(|f| f.id != id))>
                                    {session.text(Text::Remove)}" "{file.name.clone()}
                                </button>
                            </li>
                        }
                    }
                ).into_any())}
            </ul>
        </div>
    }
}

/// Uploads every accepted file of `files` to the ticket, updating progress as it goes.
pub async fn upload_all(reference: String, files: RwSignal<Vec<Picked>>) -> bool {
    let pending: Vec<Picked> = files
        .get_untracked()
        .into_iter()
        .filter(|f| f.verdict.is_ok())
        .collect();
    let mut all_ok = true;
    for picked in pending {
        let id = picked.id;
        let set_progress = move |progress: f64| {
            files.update(|files| {
                if let Some(file) = files.iter_mut().find(|f| f.id == id) {
                    file.progress = Some(progress);
                }
            })
        };
        set_progress(0.0);
        let file: web_sys::File = picked.file.take();
        let result = crate::api::upload_attachment(reference.clone(), file, set_progress).await;
        files.update(|files| {
            if let Some(file) = files.iter_mut().find(|f| f.id == id) {
                match &result {
                    Ok(()) => file.progress = Some(1.0),
                    Err(error) => file.upload_error = Some(error.to_string()),
                }
            }
        });
        all_ok &= result.is_ok();
    }
    all_ok
}
