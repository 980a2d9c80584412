//! The report receiver: validation, idempotency (also under concurrency and across restarts),
//! staff access and the CSV export. Each test has its own SQLite file.

mod common;

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::fixtures::{KEY, application, parse_csv, report};
use fangpin_core::application::{Report, content_reference};
use fangpin_core::{Text, policy};
use fangpin_server::reports::{ApiOptions, ApiState, REPORT_MAX_BYTES, api_router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "staff-token-for-tests-0123456789";

fn db_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fangpin-reports-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.sqlite3"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
    p
}

fn state(db: &Path, token: Option<&str>) -> ApiState {
    // These tests are about storage and the token check itself; the per-address limits (which would
    // count every in-process request as one client) have their own tests against the binary.
    let options = ApiOptions { report_rate: None, staff_penalty: std::time::Duration::ZERO, ..ApiOptions::default() };
    ApiState::open_with(db, token.map(str::to_string), options).expect("database opens")
}

fn router(db: &Path) -> Router {
    api_router(state(db, Some(TOKEN)))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

async fn post(app: &Router, body: impl Into<Body>, content_type: Option<&str>) -> (StatusCode, Value) {
    let mut req = Request::post("/api/v1/reports");
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let (status, _, body) = send(app, req.body(body.into()).unwrap()).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn post_json(app: &Router, body: String) -> (StatusCode, Value) {
    post(app, body, Some("application/json")).await
}

async fn staff_get(app: &Router, path: &str, token: Option<&str>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

fn rows(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_report_is_stored_with_the_recomputed_assessment_and_a_receipt() {
    let db = db_path("first");
    let app = router(&db);
    let r = report(KEY);
    let (status, receipt) = post_json(&app, r.to_json()).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["reference"], r.reference.as_str());
    assert_eq!(receipt["idempotency_key"], KEY);
    assert_eq!(receipt["status"], "received");
    let received_at = receipt["received_at"].as_str().unwrap();
    assert!(fangpin_core::application::is_valid_timestamp(received_at), "{received_at}");
    assert_eq!(receipt.as_object().unwrap().len(), 4);
    assert_eq!(rows(&db), 1);

    let (status, _, body) = staff_get(&app, "/api/v1/reports", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    let list: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(list["count"], 1);
    let row = &list["reports"][0];
    assert_eq!(row["reference"], r.reference.as_str());
    assert_eq!(row["report"]["household"]["head_name"], "张大山");
    assert_eq!(row["assessment_agrees"], true);
    // The server's own assessment is stored in full.
    assert_eq!(row["assessment"]["profile"], policy::DEFAULT_PROFILE_ID);
    assert!(row["assessment"]["risks"].as_array().unwrap().iter().any(|x| x["code"] == "serious_illness"));
    assert_eq!(row["summary"]["income"]["per_capita"], "4500.00");
}

#[tokio::test]
async fn a_repeated_key_returns_the_first_receipt_and_stores_nothing_new() {
    let db = db_path("repeat");
    let app = router(&db);
    let r = report(KEY);
    let (s1, first) = post_json(&app, r.to_json()).await;
    let (s2, again) = post_json(&app, r.to_json()).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(first, again);
    // A retry that stamped a new submitted_at is still the same submission.
    let mut later = r.clone();
    later.submitted_at = "2023-06-02T08:00:00+08:00".into();
    let (s3, third) = post_json(&app, later.to_json()).await;
    assert_eq!(s3, StatusCode::OK);
    assert_eq!(third, first);
    // The same key for another application is refused.
    let other = Report::from_application(&application("李四"), KEY, "2023-06-01T09:30:00+08:00");
    let (s4, err) = post_json(&app, other.to_json()).await;
    assert_eq!(s4, StatusCode::CONFLICT);
    assert_eq!(err["field"], "idempotency_key");
    assert_eq!(rows(&db), 1);
    // A restart (a new state on the same file) keeps the row and the receipt.
    let restarted = router(&db);
    let (s5, after_restart) = post_json(&restarted, r.to_json()).await;
    assert_eq!(s5, StatusCode::OK);
    assert_eq!(after_restart, first);
    assert_eq!(rows(&db), 1);
    // A new key is a new row.
    let (s6, _) = post_json(&restarted, report("another-key-0123456789").to_json()).await;
    assert_eq!(s6, StatusCode::CREATED);
    assert_eq!(rows(&db), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_repeats_of_one_key_make_exactly_one_row() {
    let db = db_path("concurrent");
    // Two receivers on one file, as two processes would be.
    let a = router(&db);
    let b = router(&db);
    let body = report(KEY).to_json();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = if i % 2 == 0 { a.clone() } else { b.clone() };
        let body = body.clone();
        tasks.push(tokio::spawn(async move { post_json(&app, body).await }));
    }
    let mut created = 0;
    let mut receipts = Vec::new();
    for t in tasks {
        let (status, receipt) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}: {receipt}"),
        }
        receipts.push(receipt);
    }
    assert_eq!(created, 1);
    assert!(receipts.iter().all(|r| *r == receipts[0]), "every caller gets the same receipt");
    assert_eq!(rows(&db), 1);
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_4xx_and_change_nothing() {
    let db = db_path("malformed");
    let app = router(&db);
    let good = report(KEY).to_json();

    let (s, e) = post_json(&app, "{\"format\": \"fangpin.report/1\",".into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"], "json");
    assert!(e["message"]["zh"].as_str().unwrap().contains("JSON") && !e["message"]["en"].as_str().unwrap().is_empty());

    let (s, e) = post_json(&app, good.replace("fangpin.report/1", "fangpin.report/2")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((e["error"].as_str(), e["field"].as_str()), (Some("version"), Some("format")));

    let mut v: Value = serde_json::from_str(&good).unwrap();
    v.as_object_mut().unwrap().remove("submitted_at");
    let (s, e) = post_json(&app, v.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((e["error"].as_str(), e["field"].as_str()), (Some("missing"), Some("submitted_at")));
    assert!(e["message"]["zh"].as_str().unwrap().contains("submitted_at"));

    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["household"]["members"][0].as_object_mut().unwrap().insert("salary".into(), 1.into());
    let (s, e) = post_json(&app, v.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"], "unknown_field");
    assert!(e["field"].as_str().unwrap().starts_with("household.members[0]"), "{e}");

    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["idempotency_key"] = "x".into();
    let (s, e) = post_json(&app, v.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], "idempotency_key");

    // Content changed after the reference was made.
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["household"]["income"][0]["amount"] = "900".into();
    let (s, e) = post_json(&app, v.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], "reference");

    // Hostile: deep nesting, not UTF-8, a JSON array, huge numbers.
    let (s, _) = post_json(&app, "[".repeat(20_000)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, e) = post(&app, vec![0xff, 0xfe, b'{', b'}'], Some("application/json")).await;
    assert_eq!((s, e["error"].as_str()), (StatusCode::BAD_REQUEST, Some("utf8")));
    let (s, _) = post_json(&app, "[1,2,3]".into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["household"]["income"][0]["amount"] = serde_json::from_str("1e400").unwrap_or(Value::from(f64::MAX));
    let (s, _) = post_json(&app, v.to_string()).await;
    assert!(s.is_client_error(), "{s}");

    // Oversized.
    let big = format!("{{\"format\":\"fangpin.report/1\",\"pad\":\"{}\"}}", "x".repeat(REPORT_MAX_BYTES));
    let (s, e) = post_json(&app, big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(e["error"], "too_large");

    // Wrong or missing content type.
    let (s, e) = post(&app, good.clone(), Some("text/plain")).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(e["error"], "content_type");
    let (s, _) = post(&app, good.clone(), None).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, _) = post(&app, good.clone(), Some("application/json; charset=utf-8")).await;
    assert_eq!(s, StatusCode::CREATED);

    assert_eq!(rows(&db), 1, "only the good report was stored");
}

#[tokio::test]
async fn an_unknown_profile_is_refused() {
    let db = db_path("profile");
    let app = router(&db);
    let mut r = report(KEY);
    r.profile = "nowhere-2099".into();
    let a = &r.application;
    r.reference = content_reference(&r.household, &a.filled_by, &a.difficulty, a.date, &r.profile);
    let (s, e) = post_json(&app, r.to_json()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((e["error"].as_str(), e["field"].as_str()), (Some("unknown_profile"), Some("profile")));
    assert_eq!(rows(&db), 0);
}

#[tokio::test]
async fn staff_endpoints_need_the_token_and_do_not_exist_without_one() {
    let db = db_path("staff");
    let closed = api_router(state(&db, None));
    for path in ["/api/v1/reports", "/api/v1/reports.csv"] {
        assert_eq!(staff_get(&closed, path, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(staff_get(&closed, path, Some(TOKEN)).await.0, StatusCode::NOT_FOUND);
    }
    let empty = api_router(state(&db, Some("  ")));
    assert_eq!(staff_get(&empty, "/api/v1/reports", Some("")).await.0, StatusCode::NOT_FOUND);
    let open = router(&db);
    for path in ["/api/v1/reports", "/api/v1/reports.csv"] {
        let (s, h, _) = staff_get(&open, path, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(h[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));
        assert_eq!(staff_get(&open, path, Some("wrong")).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(staff_get(&open, path, Some(&TOKEN[..TOKEN.len() - 1])).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(staff_get(&open, path, Some(&format!("{TOKEN}x"))).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(staff_get(&open, path, Some(TOKEN)).await.0, StatusCode::OK);
    }
    assert_eq!(staff_get(&open, "/api/v1/reports?limit=abc", Some(TOKEN)).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn csv_export_opens_in_excel_with_chinese_and_tricky_text() {
    let db = db_path("csv");
    let app = router(&db);
    let mut a = application("张大山");
    a.set_difficulty(Text::new("=HYPERLINK(\"http://x\")，老人\"住院\"\n钱不够, 借了钱", "Hard.")).unwrap();
    let r = Report::from_application(&a, KEY, "2023-06-01T09:30:00+08:00");
    assert_eq!(post_json(&app, r.to_json()).await.0, StatusCode::CREATED);
    assert_eq!(post_json(&app, report("second-key-0123456789").to_json()).await.0, StatusCode::CREATED);
    let (s, h, body) = staff_get(&app, "/api/v1/reports.csv", Some(TOKEN)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(h[header::CONTENT_DISPOSITION].to_str().unwrap().contains("attachment"));
    assert_eq!(&body[..3], b"\xEF\xBB\xBF", "UTF-8 byte order mark for Excel");
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(text.starts_with("编号 id,申请编号 reference,"), "{text}");
    let records = parse_csv(&text);
    assert_eq!(records.len(), 3, "{text}");
    let header = &records[0];
    assert!(records.iter().all(|r| r.len() == header.len()));
    let col = |name: &str| header.iter().position(|h| h.ends_with(name)).unwrap();
    let first = &records[1];
    assert_eq!(first[col("reference")], r.reference);
    assert_eq!(first[col("head")], "张大山");
    assert_eq!(first[col("difficulty")], "'=HYPERLINK(\"http://x\")，老人\"住院\"\n钱不够, 借了钱", "quoted, and the formula defused");
    assert_eq!(first[col("id_number")], format!("=\"{}\"", r.application.id_number.clone().unwrap()), "kept as text, not a rounded number");
    assert_eq!(first[col("per_capita")], "4500.00");
    assert!(first[col("risks")].contains("大病"));
    // Times in Beijing time, as the villager's receipt says them.
    assert_eq!(first[col("submitted_at (Beijing time)")], "2023-06-01 09:30:00");
    assert!(first[col("received_at (Beijing time)")].len() == 19 && !first[col("received_at (Beijing time)")].contains('Z'));
    assert!(text.contains("\r\n"));
}

#[tokio::test]
async fn the_site_and_the_api_are_served_together() {
    let db = db_path("together");
    let dir = std::env::temp_dir().join(format!("fangpin-site-api-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    let app = fangpin_server::app_router(&dir, state(&db, None));
    let (s, h, _) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("connect-src 'self'"));
    let (s, receipt) = post_json(&app, report(KEY).to_json()).await;
    assert_eq!(s, StatusCode::CREATED, "{receipt}");
    let (s, h, _) = send(
        &app,
        Request::post("/api/v1/reports").header(header::CONTENT_TYPE, "application/json").body(Body::from(report(KEY).to_json())).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert_eq!(h[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn a_panic_while_assessing_is_a_500_and_stores_nothing() {
    let db = db_path("panic");
    let dir = std::env::temp_dir().join(format!("fangpin-panic-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    let options =
        ApiOptions { assess: std::sync::Arc::new(|_, _, _| panic!("a bug in the assessment")), report_rate: None, ..ApiOptions::default() };
    let app = fangpin_server::app_router(&dir, ApiState::open_with(&db, Some(TOKEN.into()), options).unwrap());
    let (s, e) = post_json(&app, report(KEY).to_json()).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(e["error"], "internal");
    assert!(e["message"]["zh"].as_str().unwrap().contains("没有保存") && e["message"]["zh"].as_str().unwrap().contains("手机"), "{e}");
    assert_eq!(rows(&db), 0);
    // The same router keeps serving.
    let (s, _, _) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    // And the guard covers any route it wraps.
    async fn boom() -> &'static str {
        panic!("boom")
    }
    let boom = fangpin_server::catch_panics(Router::new().route("/x", axum::routing::get(boom)));
    let (s, h, body) = send(&boom, Request::get("/x").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["error"], "internal");
}

#[test]
fn short_or_unsendable_staff_tokens_are_refused_at_start() {
    use fangpin_server::reports::OpenError;
    let db = db_path("weak-token");
    assert_eq!(ApiState::open(&db, Some("secret".into())).err(), Some(OpenError::StaffTokenTooShort { chars: 6 }));
    assert_eq!(ApiState::open(&db, Some("x".repeat(31))).err(), Some(OpenError::StaffTokenTooShort { chars: 31 }));
    assert_eq!(ApiState::open(&db, Some(format!("{}口令", "x".repeat(40)))).err(), Some(OpenError::StaffTokenNotAscii));
    assert_eq!(ApiState::open(&db, Some(format!("{} {}", "x".repeat(20), "y".repeat(20)))).err(), Some(OpenError::StaffTokenNotAscii));
    assert!(ApiState::open(&db, Some("x".repeat(32))).unwrap().staff_enabled());
    assert!(!ApiState::open(&db, Some("   ".into())).unwrap().staff_enabled(), "blank is unset");
}

#[test]
fn the_receiver_the_build_publishes_into_pages_is_where_this_server_receives() {
    assert_eq!(fangpin_server::REPORTS_PATH, fangpin_site::publish::OWN_RECEIVER);
}
