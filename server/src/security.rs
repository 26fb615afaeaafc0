//! What protects the browser and the data folder: the response headers every answer carries,
//! the same-origin check on cookie-authenticated writes, the refusal of control characters in
//! query strings and paths, and private permissions on the data folder and its files.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::state::AppState;

/// The response headers of every answer, the app's files and the API alike.
#[derive(Clone, Debug)]
pub struct BrowserHeaders {
    csp: HeaderValue,
    hsts: bool,
}

impl BrowserHeaders {
    /// The policy for the app whose page is `index`: its own scripts and WebAssembly (compiled
    /// from its own origin, chunk by chunk), the inline module script of `index.html` by its
    /// hash, no framing, no plugins, and requests to its own origin only.
    pub fn new(index: &str, public_url: &str) -> BrowserHeaders {
        let hashes: String = inline_scripts(index)
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self'; img-src 'self' data: blob:; font-src 'self'; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        BrowserHeaders {
            csp: HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: public_url.starts_with("https://"),
        }
    }
}

/// The text of each inline `<script>` (one without `src`) of an HTML page.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, rest) = rest.split_once('>')?;
        if tag.contains("src=") {
            return None;
        }
        rest.split_once("</script>").map(|(script, _)| script)
    })
}

/// Adds the browser protections to every response.
pub async fn browser_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        state.browser_headers.csp.clone(),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if state.browser_headers.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Guards the API: refuses control characters in the path and the query string (422 naming
/// the parameter), refuses a cookie-authenticated write from another origin (403), and marks
/// every answer to a request with credentials `Cache-Control: no-store`.
pub async fn api_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Err(error) = check_uri(request.uri()) {
        return error.into_response();
    }
    let headers = request.headers();
    let bearer = headers.contains_key(header::AUTHORIZATION);
    let cookie = crate::auth::has_session_cookie(headers);
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if writes && cookie && !bearer && !same_origin(headers, &state.config.public_url) {
        return Error::Forbidden(
            "a signed-in change must come from the product's own pages (Origin)".into(),
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    if (bearer || cookie) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Whether a request comes from the product's own pages: `Sec-Fetch-Site: same-origin`, or an
/// `Origin` that is the public address or the address the request was sent to.
fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let value = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if value(header::HeaderName::from_static("sec-fetch-site")) == Some("same-origin") {
        return true;
    }
    let Some(origin) = value(header::ORIGIN) else {
        return false;
    };
    if origin.eq_ignore_ascii_case(public_url) {
        return true;
    }
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((host, value(header::HOST)), (Some(host), Some(expected)) if host.eq_ignore_ascii_case(expected))
}

/// 422 for a control character in the path or in a query parameter's name or value.
fn check_uri(uri: &axum::http::Uri) -> Result<(), Error> {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    if crate::text::has_control(&path) {
        return Err(Error::field("path", crate::text::CONTROL_MESSAGE));
    }
    let Some(query) = uri.query() else {
        return Ok(());
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    for (name, value) in pairs {
        if crate::text::has_control(&name) || crate::text::has_control(&value) {
            return Err(Error::field(&name, crate::text::CONTROL_MESSAGE));
        }
    }
    Ok(())
}

/// Makes the data folder readable by its owner only (0700).
///
/// # Errors
/// The folder's permissions cannot be set.
pub fn restrict_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates (or restricts) the SQLite database file of `database_url` as 0600 before SQLite
/// opens it; SQLite gives its `-wal` and `-shm` files the database file's permissions.
///
/// # Errors
/// The file cannot be created or restricted.
pub fn private_sqlite_file(database_url: &str) -> std::io::Result<()> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return Ok(());
    }
    private_file(Path::new(path))
}

/// Creates `path` empty with mode 0600 if it is missing, or sets 0600 on it.
///
/// # Errors
/// The file cannot be created or restricted.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `contents` to a new file at `path` readable by its owner only.
///
/// # Errors
/// The file cannot be written.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    private_file(path)?;
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_scripts_with_a_source_are_not() {
        let html = r#"<script src="/a.js"></script><script type="module">init();</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init();"]);
    }

    #[test]
    fn an_origin_matches_the_public_address_or_the_host() {
        let mut headers = HeaderMap::new();
        assert!(!same_origin(&headers, "http://reglament.test"));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://evil.test"));
        headers.insert(header::HOST, HeaderValue::from_static("reglament.test"));
        assert!(!same_origin(&headers, "http://reglament.test"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://reglament.test"),
        );
        assert!(same_origin(&headers, "http://other.test"));
    }
}
