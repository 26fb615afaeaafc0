//! The built app inside the binary: with the `embed-app` feature (`cargo xtask dist`), the
//! files of `dist/` with their Brotli and gzip siblings are compiled in and served when no
//! `--site-dir` is given.

use axum::Router;

use crate::config::Config;
use crate::state::AppState;

/// Whether this binary carries the app.
pub const EMBEDDED: bool = cfg!(feature = "embed-app");

/// The app's `index.html`: the embedded one when the binary serves its own app, otherwise the
/// file in `--site-dir` (empty when there is none), so that the browser headers allow exactly
/// the inline script of the page that is served.
pub fn index_html(config: &Config) -> String {
    #[cfg(feature = "embed-app")]
    if config.embedded_app {
        return embedded::App::get("index.html")
            .map(|file| String::from_utf8_lossy(&file.data).into_owned())
            .unwrap_or_default();
    }
    std::fs::read_to_string(config.site_dir.join("index.html")).unwrap_or_default()
}

/// Sends every path outside `/api` to the embedded app (`index.html` for client routes).
pub fn attach(router: Router<AppState>) -> Router<AppState> {
    #[cfg(feature = "embed-app")]
    {
        router.fallback(embedded::serve)
    }
    #[cfg(not(feature = "embed-app"))]
    {
        router
    }
}

#[cfg(feature = "embed-app")]
mod embedded {
    use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
    use axum::response::{IntoResponse, Response};

    #[derive(rust_embed::Embed)]
    #[folder = "../dist"]
    pub(super) struct App;

    /// One file of the app, as its Brotli or gzip sibling to a browser that accepts it.
    pub(super) async fn serve(uri: Uri, headers: HeaderMap) -> Response {
        let path = uri.path().trim_start_matches('/');
        let path = if path.is_empty() || App::get(path).is_none() {
            "index.html"
        } else {
            path
        };
        let Some(plain) = App::get(path) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let accepts = |coding: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .any(|item| {
                    item.split(';')
                        .next()
                        .is_some_and(|name| name.trim() == coding)
                })
        };
        let (file, encoding) = [("br", ".br"), ("gzip", ".gz")]
            .into_iter()
            .filter(|(coding, _)| accepts(coding))
            .find_map(|(coding, suffix)| {
                App::get(&format!("{path}{suffix}")).map(|file| (file, Some(coding)))
            })
            .unwrap_or((plain.clone(), None));
        let mime = plain.metadata.mimetype().to_owned();
        let mut response = file.data.into_owned().into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&mime) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(coding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    }
}
