//! The server: the site (`site`, static files built by `cargo xtask build-site`) and the report
//! receiver ([`reports`]: `POST /api/v1/reports` and the staff endpoints), composed by [`app_router`]
//! under [`catch_panics`], served by [`serve`] with per-connection limits; [`limits`] holds the
//! per-address ones.
//!
//! Why the site's rules: the page must load nothing from another origin (CSP `'self'` only, plus
//! `'wasm-unsafe-eval'` so WebAssembly may compile); hashed assets never change so phones may keep
//! them for a year, while `index.html` is always revalidated (by a content ETag) so a new build is
//! picked up at once; precompressed `.br`/`.gz` files halve the first visit on a slow phone.
//!
//! Embedding on another site ([`Embedding`]): the static files are public, so any page may load them
//! (`Access-Control-Allow-Origin: *`, needed for module scripts and the wasm fetch); only the named
//! host origins may frame the page (CSP `frame-ancestors`) or POST reports from their pages (CORS on
//! `POST /api/v1/reports` and its preflight alone — never on the staff endpoints).

/// A line of the server's log on standard error. One that cannot be written (a full disk) is
/// dropped: logging must never stop the server, and `eprintln!` panics then.
#[macro_export]
macro_rules! log_line {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

pub mod limits;
pub mod reports;
pub mod serve;
mod site;

pub use site::site_router;

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

/// The Content-Security-Policy of every page and script (what it governs): nothing but the page's own origin. (With
/// [`Embedding`] host origins, `frame-ancestors` also names them.)
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// The path host pages may POST reports to from their own origin.
pub const REPORTS_PATH: &str = "/api/v1/reports";

/// Host sites that embed the widget (`--embed-origin`, or `FANGPIN_EMBED_ORIGINS`, space-separated).
#[derive(Debug, Clone, Default)]
pub struct Embedding {
    /// Origins such as `https://www.ya.gov.cn` (scheme, host and port; no path).
    pub origins: Vec<String>,
}

impl Embedding {
    /// Parses origins, refusing anything that is not `scheme://host[:port]` (a path, a wildcard, a quote
    /// would widen or break the CSP).
    pub fn new<I: IntoIterator<Item = String>>(origins: I) -> Result<Embedding, String> {
        let mut out = Vec::new();
        for o in origins {
            let o = o.trim().trim_end_matches('/').to_string();
            if o.is_empty() {
                continue;
            }
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            let ok = rest
                .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')));
            if !ok {
                return Err(format!("not an origin (scheme://host[:port]): {o:?}"));
            }
            out.push(o);
        }
        Ok(Embedding { origins: out })
    }

    fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }

    pub(crate) fn content_security_policy(&self) -> String {
        let mut csp = CONTENT_SECURITY_POLICY.to_string();
        for o in &self.origins {
            csp.push(' ');
            csp.push_str(o);
        }
        csp
    }
}

/// Files under this prefix carry a content hash in their name.
pub const HASHED_ASSET_PREFIX: &str = "/assets/";

/// The whole server: the report API under `/api/v1/`, everything else from the site directory.
pub fn app_router(site: &Path, api: reports::ApiState) -> Router {
    embedded_app_router(site, api, Embedding::default())
}

/// [`app_router`] for a site that other origins embed.
pub fn embedded_app_router(site: &Path, api: reports::ApiState, embedding: Embedding) -> Router {
    catch_panics(routes(site, api, embedding))
}

/// The server's routes without [`catch_panics`]: for adding routes that the guard must also cover
/// (the binary's debug-only test routes), then guarding the whole.
pub fn routes(site: &Path, api: reports::ApiState, embedding: Embedding) -> Router {
    let embedding = std::sync::Arc::new(embedding);
    Router::new()
        .merge(reports::api_router(api))
        .merge(site::site_router_with(site, &embedding))
        .layer(middleware::from_fn(move |req, next| report_cors(embedding.clone(), req, next)))
}

/// Turns a panic anywhere in the router into a logged 500 (`error: "internal"`), so one bad request
/// never drops its connection or ends the process (ARCHITECTURE: no input panics or is lost). A
/// report is committed in one transaction after everything that could panic, so a panic stores nothing.
pub fn catch_panics(router: Router) -> Router {
    router.layer(CatchPanicLayer::custom(panic_response))
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what =
        panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("(no message)");
    crate::log_line!("fangpin-server: a request panicked ({what}); answered 500, nothing stored");
    let mut res = reports::ApiError::internal().into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// CORS for posting reports only (`POST` and its preflight), and only for the configured host origins.
/// `GET` on the same path is the staff list: it must never be readable from another origin.
async fn report_cors(embedding: std::sync::Arc<Embedding>, req: Request<axum::body::Body>, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()).map(str::to_string);
    let preflight_for_post =
        req.method() == Method::OPTIONS && req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD).is_none_or(|m| m.as_bytes() == b"POST");
    let allowed = req.uri().path() == REPORTS_PATH
        && (req.method() == Method::POST || preflight_for_post)
        && origin.as_deref().is_some_and(|o| embedding.allows(o));
    if !allowed {
        return next.run(req).await;
    }
    let origin = HeaderValue::from_str(origin.as_deref().unwrap_or_default()).expect("an allowed origin is ASCII");
    let mut res = if req.method() == Method::OPTIONS {
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        next.run(req).await
    };
    res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    res.headers_mut().append(header::VARY, HeaderValue::from_static("origin"));
    res
}
