//! The static site: the files `cargo xtask build-site` writes, with the CSP, CORS and cache rules
//! (see the crate documentation for why).

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{Embedding, HASHED_ASSET_PREFIX};

/// The site alone (no API), as [`crate::app_router`] serves it.
pub fn site_router(site: &Path) -> Router {
    site_router_with(site, &Embedding::default())
}

pub(crate) fn site_router_with(site: &Path, embedding: &Embedding) -> Router {
    let csp = HeaderValue::from_str(&embedding.content_security_policy()).expect("origins were checked");
    let files = ServeDir::new(site)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_rules))
        // Any file may exist precompressed, and /assets/ are cached for a year: a shared cache must not
        // hand a brotli body to a client that cannot read it.
        .layer(SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding")))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        // Public files: any page may load them (module scripts and fetch() need CORS).
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
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
