//! The static site: the files `cargo xtask build-site` writes, with the CSP, CORS and cache rules
//! (see the crate documentation for why).

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{Embedding, HASHED_ASSET_PREFIX};
use fangpin_site::publish::PUBLISH_DIR;

/// The site alone (no API), as [`crate::app_router`] serves it.
pub fn site_router(site: &Path) -> Router {
    site_router_with(site, &Embedding::default())
}

pub(crate) fn site_router_with(site: &Path, embedding: &Embedding) -> Router {
    let csp = HeaderValue::from_str(&embedding.content_security_policy()).expect("origins were checked");
    let files = ServeDir::new(site).precompressed_br().precompressed_gzip().append_index_html_on_directories(true);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(no_such_name))
        .layer(middleware::from_fn(content_validators))
        .layer(middleware::from_fn(cache_rules))
        // Any file may exist precompressed, and /assets/ are cached for a year: a shared cache must not
        // hand a brotli body to a client that cannot read it.
        .layer(SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding")))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        // Public files: any page may load them (module scripts and fetch() need CORS).
        .layer(SetResponseHeaderLayer::overriding(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        // Outermost: sees the headers every layer above set.
        .layer(middleware::from_fn(only_what_applies))
}

/// A phone on a slow line pays for every header of every answer (HTTP/1.1 does not compress them).
/// The CSP governs documents and the scripts a worker runs from, so it goes only with HTML and
/// JavaScript (about 330 bytes less on each stylesheet, module and data file).
async fn only_what_applies(req: Request<axum::body::Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let governed = kind.is_empty() || kind.starts_with("text/html") || kind.contains("javascript");
    if !governed {
        headers.remove(header::CONTENT_SECURITY_POLICY);
    }
    res
}

async fn cache_rules(req: Request<axum::body::Body>, next: Next) -> Response {
    let hashed = req.uri().path().starts_with(HASHED_ASSET_PREFIX);
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Un-hashed files up to this size get a content ETag; larger ones (the site has none) are served
/// without a validator rather than hashed on every request.
const ETAG_MAX_BYTES: u64 = 1024 * 1024;

/// Un-hashed files (`index.html`, `sw.js`, `embed.js`, everything outside `/assets/`) revalidate by
/// content: a strong ETag of the bytes served, its own for each precompressed variant (`-br`, `-gz`),
/// and `If-None-Match` answered with 304. Their timestamps decide nothing: a publish step that keeps
/// mtimes (rsync -a, reproducible builds) made `If-Modified-Since` answer 304 for a changed `sw.js`, so
/// `If-Modified-Since` (and ranges) are dropped from the request and `Last-Modified` from the answer.
///
/// The hash is of the answer's own bytes, made per request: files are rewritten in place while the
/// server runs (a city's publish step), so no cache of hashes can go stale and the ETag always belongs
/// to the bytes it travels with. These files are a few KB.
async fn content_validators(req: Request<axum::body::Body>, next: Next) -> Response {
    if req.uri().path().starts_with(HASHED_ASSET_PREFIX) || !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return next.run(req).await;
    }
    let head = req.method() == Method::HEAD;
    let (mut parts, body) = req.into_parts();
    let if_none_match = parts.headers.remove(header::IF_NONE_MATCH);
    for h in [header::IF_MODIFIED_SINCE, header::IF_UNMODIFIED_SINCE, header::RANGE, header::IF_RANGE] {
        parts.headers.remove(h);
    }
    // HEAD is answered from the GET body, so that it carries the same ETag.
    parts.method = Method::GET;
    let (mut parts, body) = next.run(Request::from_parts(parts, body)).await.into_parts();
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ACCEPT_RANGES);
    // ServeDir's body does not know its size, its Content-Length header does.
    let length = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let small = length.is_some_and(|n| n <= ETAG_MAX_BYTES);
    if parts.status != StatusCode::OK || !small {
        return Response::from_parts(parts, if head { axum::body::Body::empty() } else { body });
    }
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX_BYTES as usize).await else {
        crate::log_line!("fangpin-server: could not read a site file for its ETag");
        let mut res = Response::new(axum::body::Body::empty());
        *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return res;
    };
    let etag = entity_tag(&bytes, parts.headers.get(header::CONTENT_ENCODING));
    if if_none_match.as_ref().is_some_and(|v| none_match_hits(v, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(header::ETAG, etag);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    parts.headers.insert(header::ETAG, etag);
    Response::from_parts(parts, if head { axum::body::Body::empty() } else { axum::body::Body::from(bytes) })
}

/// `"<128 bits of SHA-256, hex>"`, with `-br`/`-gz` for a precompressed variant.
fn entity_tag(bytes: &[u8], encoding: Option<&HeaderValue>) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let suffix = match encoding.map(HeaderValue::as_bytes) {
        Some(b"br") => "-br",
        Some(b"gzip") => "-gz",
        _ => "",
    };
    HeaderValue::from_str(&format!("\"{hex}{suffix}\"")).expect("hex is a valid header value")
}

/// `If-None-Match` (a list, `*`, weak tags compared weakly as RFC 9110 says) names `etag`.
fn none_match_hits(header: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(list), Ok(etag)) = (header.to_str(), etag.to_str()) else {
        return false;
    };
    list.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// The longest file name (one path segment) Linux filesystems allow.
const NAME_MAX: usize = 255;
/// Longer paths (decoded) cannot name a file of the site; `PATH_MAX` is 4096 with the site directory.
const PATH_MAX: usize = 1024;

/// 404 for paths that cannot name a file, before the file system sees them: a segment over 255 bytes
/// or a path over 1024 (the OS answers ENAMETOOLONG, which ServeDir turned into 500), or a NUL byte.
/// (`..`, bad escapes and the like ServeDir already refuses with 404.) Also 404 for `publish/`, where
/// the build keeps the templates and manifest `fangpin publish-policy` fills the pages from.
async fn no_such_name(req: Request<axum::body::Body>, next: Next) -> Response {
    let decoded = percent_decoded(req.uri().path());
    let nameable = decoded.len() <= PATH_MAX && !decoded.contains(&0) && decoded.split(|b| *b == b'/').all(|s| s.len() <= NAME_MAX);
    // The publish step's templates and manifest are the site's workshop, not pages.
    // Its first named segment: ServeDir skips empty ones and `.` (`//publish/…`, `/./publish/…`).
    let workshop = decoded.split(|b| *b == b'/').find(|s| !s.is_empty() && *s != b".") == Some(PUBLISH_DIR.as_bytes());
    if nameable && !workshop {
        return next.run(req).await;
    }
    let mut res = Response::new(axum::body::Body::empty());
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

/// `%XX` decoded (a malformed escape stays as it is, as ServeDir reads it).
fn percent_decoded(path: &str) -> Vec<u8> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode() {
        assert_eq!(percent_decoded("/a%2Fb%00%zz%4"), b"/a/b\0%zz%4");
        assert_eq!(percent_decoded("/%E5%AE%89"), "/安".as_bytes());
    }
}
