//! The site rules, checked on a small site laid out the way `cargo xtask build-site` lays it out.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Written once per process: tests run in parallel, and rewriting the files while another test
/// reads them made `index.html` come back empty now and then.
fn site() -> PathBuf {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(write_site).clone()
}

fn write_site() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fangpin-site-test-{}", std::process::id()));
    let assets = dir.join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm"), b"\0asm-raw").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm.br"), b"brotli-bytes").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm.gz"), b"gzip-bytes").unwrap();
    std::fs::write(assets.join("boot-abcdef0123.js"), b"import x from './y.js';").unwrap();
    dir
}

async fn get(path: &str, accept_encoding: Option<&str>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let app = fangpin_server::site_router(&site());
    let mut req = Request::get(path);
    if let Some(enc) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, enc);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn html_is_revalidated_and_locked_to_own_origin() {
    let (status, h, body) = get("/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("<title>"));
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("http"), "CSP names no other origin: {csp}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn wasm_has_its_type_and_a_long_cache() {
    let (status, h, body) = get("/assets/fangpin-0123456789.wasm", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(body, b"\0asm-raw");
    assert!(h.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn precompressed_files_follow_accept_encoding() {
    let (_, h, body) = get("/assets/fangpin-0123456789.wasm", Some("gzip, deflate, br")).await;
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    assert_eq!(h[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(body, b"brotli-bytes");
    let (_, h, body) = get("/assets/fangpin-0123456789.wasm", Some("gzip")).await;
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, b"gzip-bytes");
}

#[tokio::test]
async fn javascript_type_and_missing_files() {
    let (status, h, _) = get("/assets/boot-abcdef0123.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    let (status, h, _) = get("/assets/nothing-here.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(h[header::CACHE_CONTROL], "no-cache", "a missing asset must not be cached for a year");
}
