//! Mounts the Reglament app on the page.

fn main() {
    // A panic is reported on the browser console, with its message and place, before the module
    // stops.
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("{info}");
    }));
    leptos::mount::mount_to_body(app::App);
}
