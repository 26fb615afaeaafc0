//! Mounts the Reglament app on the page.

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
}

/// Reports a panic on the browser console instead of failing silently. The shipped bundle is
/// built with `panic = "immediate-abort"` (see `xtask build`), where a panic is a trap that the
/// browser reports itself and no hook ever runs, so only a debug build installs one.
fn console_error_panic_hook_lite() {
    #[cfg(debug_assertions)]
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("{info}");
    }));
}
