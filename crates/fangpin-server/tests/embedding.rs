//! Embedding on a city's site: public files load from anywhere, only named hosts may frame the page
//! or post reports from their pages, and the staff endpoints never answer another origin.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use fangpin_server::{Embedding, embedded_app_router, reports::ApiState};
use tower::ServiceExt;

const HOST: &str = "https://www.ya.gov.cn";

fn app(origins: &[&str]) -> Router {
    // One directory (and database) per router: the tests run in parallel.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("fangpin-embed-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(dir.join("embed.js"), "export {};").unwrap();
    let db: PathBuf = dir.join("reports.sqlite3");
    let api = ApiState::open(&db, Some("staff-token-for-embedding-tests-0123456789".into())).unwrap();
    embedded_app_router(&dir, api, Embedding::new(origins.iter().map(|o| o.to_string())).unwrap())
}

async fn send(app: Router, method: Method, path: &str, origin: Option<&str>) -> axum::response::Response {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn public_files_load_cross_origin_and_hosts_may_frame() {
    let res = send(app(&[HOST]), Method::GET, "/embed.js", Some(HOST)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.ends_with(&format!("frame-ancestors 'self' {HOST}")), "{csp}");
    let plain = send(app(&[]), Method::GET, "/", None).await;
    let csp = plain.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors 'self'"), "{csp}");
}

#[tokio::test]
async fn reports_accept_preflight_from_named_hosts_only() {
    let res = send(app(&[HOST]), Method::OPTIONS, "/api/v1/reports", Some(HOST)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], HOST);
    assert_eq!(res.headers()[header::ACCESS_CONTROL_ALLOW_METHODS], "POST");

    let other = send(app(&[HOST]), Method::OPTIONS, "/api/v1/reports", Some("https://evil.example")).await;
    assert!(other.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn the_staff_list_on_the_report_path_never_answers_another_origin() {
    // GET /api/v1/reports is the staff list, on the same path as the POST that hosts may use.
    let app = app(&[HOST]);
    let req = Request::get("/api/v1/reports")
        .header(header::ORIGIN, HOST)
        .header(header::AUTHORIZATION, "Bearer staff-token-for-embedding-tests-0123456789")
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let req = Request::options("/api/v1/reports")
        .header(header::ORIGIN, HOST)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .body(Body::empty())
        .unwrap();
    let res = app.oneshot(req).await.unwrap();
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(), "no preflight for a GET");
}

#[tokio::test]
async fn staff_endpoints_never_answer_another_origin() {
    let res = send(app(&[HOST]), Method::GET, "/api/v1/reports.csv", Some(HOST)).await;
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert_ne!(res.status(), StatusCode::OK, "no token, no list");
}

#[test]
fn only_plain_origins_are_accepted() {
    assert!(Embedding::new(["https://www.ya.gov.cn/".to_string()]).is_ok());
    assert!(Embedding::new(["http://127.0.0.1:8080".to_string()]).is_ok());
    for bad in ["*", "https://a.cn/path", "javascript:x", "https://a.cn; script-src *", "ftp://a.cn", "https://"] {
        assert!(Embedding::new([bad.to_string()]).is_err(), "{bad}");
    }
}
