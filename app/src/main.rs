//! Mounts the Reglament app on the page.

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
}

/// Reports a panic on the browser console instead of failing silently.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys_log(&info.to_string());
    }));
}

fn web_sys_log(message: &str) {
    leptos::logging::error!("{message}");
}
