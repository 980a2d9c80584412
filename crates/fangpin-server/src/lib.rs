//! The site half of the server: static files built by `cargo xtask build-site`.
//!
//! Why these rules: the page must load nothing from another origin (CSP `'self'` only, plus
//! `'wasm-unsafe-eval'` so WebAssembly may compile); hashed assets never change so phones may keep
//! them for a year, while `index.html` is always revalidated so a new build is picked up at once;
//! precompressed `.br`/`.gz` files halve the first visit on a slow phone.
//!
//! The report half lives in [`reports`]: `POST /api/v1/reports` and the staff endpoints, composed
//! with the site by [`app_router`].

pub mod reports;

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response: nothing but the page's own origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// Files under this prefix carry a content hash in their name.
pub const HASHED_ASSET_PREFIX: &str = "/assets/";

/// The whole server: the report API under `/api/v1/`, everything else from the site directory.
pub fn app_router(site: &Path, api: reports::ApiState) -> Router {
    Router::new().merge(reports::api_router(api)).merge(site_router(site))
}

pub fn site_router(site: &Path) -> Router {
    let files = ServeDir::new(site)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_rules))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

async fn cache_rules(req: Request<axum::body::Body>, next: Next) -> Response {
    let hashed = req.uri().path().starts_with(HASHED_ASSET_PREFIX);
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}
