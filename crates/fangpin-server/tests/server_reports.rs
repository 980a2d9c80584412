//! The report endpoint on the real binary: the per-address rate limit, the bounded staff reads and
//! the bounded cost of a stored report.

mod common;

use std::time::Duration;

use common::{Server, fixtures};

fn post(server: &Server, body: &str) -> common::Response {
    server.request("POST", "/api/v1/reports", &[("Content-Type", "application/json")], body.as_bytes())
}

/// `--report-rate 60 --report-burst 3`: three posts at once, then one a second. Every POST counts,
/// also a refused one.
#[test]
fn reports_are_rate_limited_per_address_with_retry_after() {
    let server = Server::start("rate", &["--report-rate", "60", "--report-burst", "3"]);
    for _ in 0..3 {
        assert_eq!(post(&server, "{}").status, 422);
    }
    let limited = post(&server, "{}");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("cache-control"), Some("no-store"));
    let e = limited.json();
    assert_eq!(e["error"], "rate_limited");
    assert_eq!(e["message"]["zh"], "提交太频繁了，请稍后再试；您的申请已留在手机上。");
    assert!(!e["message"]["en"].as_str().unwrap().is_empty());
    // The site and the preflight are not counted.
    assert_eq!(server.get("/", &[]).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(post(&server, "{}").status, 422, "a token came back");
    assert_eq!(post(&server, "{}").status, 429);
}

#[test]
fn the_rate_limit_can_be_turned_off_for_a_proxy_that_limits_itself() {
    let server = Server::start("rate-off", &["--report-rate", "0"]);
    for _ in 0..40 {
        assert_eq!(post(&server, "{}").status, 422);
    }
    assert!(server.stderr().contains("no per-address limit"), "{}", server.stderr());
}

#[test]
fn the_default_limit_is_a_burst_of_ten() {
    let server = Server::start("rate-default", &[]);
    let statuses: Vec<u16> = (0..12).map(|_| post(&server, "{}").status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 10, "{statuses:?}");
    assert_eq!(statuses[10..], [429, 429]);
}

fn stored_row_sizes(server: &Server) -> Vec<i64> {
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let mut st = conn.prepare("SELECT length(CAST(report_json AS BLOB)) + length(CAST(assessment_json AS BLOB)) + length(CAST(summary_json AS BLOB)) FROM reports ORDER BY id").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// The largest realistic report stores a row of about 82 KB; a crafted body of bare members, which the
/// core still accepts, would store ~2 MB and is refused: no row may pass 1 MiB.
#[test]
fn a_stored_report_costs_a_bounded_row() {
    let server = Server::start("row-bound", &[]);
    let big = fixtures::largest_realistic_report(fixtures::KEY).to_json();
    assert!(big.len() <= fangpin_server::reports::REPORT_MAX_BYTES, "{}", big.len());
    let res = post(&server, &big);
    assert_eq!(res.status, 201, "{}", res.text());
    let sizes = stored_row_sizes(&server);
    eprintln!("largest realistic report: body {} bytes, stored row {} bytes", big.len(), sizes[0]);
    assert!(sizes[0] <= 128 * 1024, "{sizes:?}");

    let crafted = fixtures::amplifying_body("crafted-key-0123456789");
    assert!(crafted.len() <= fangpin_server::reports::REPORT_MAX_BYTES, "{}", crafted.len());
    let res = post(&server, &crafted);
    assert_eq!(res.status, 422, "{}", res.text());
    assert!(
        res.json()["errors"].as_array().unwrap().iter().any(|e| e["field"] == "household.members" && e["code"] == "too_many"),
        "{}",
        res.text()
    );
    assert_eq!(stored_row_sizes(&server).len(), 1, "nothing stored");
}

const TOKEN: &str = "staff-token-for-report-tests-0123456789abcdef";

fn insert_rows(server: &Server, n: usize, report_json: &str, summary_json: &str, assessment_json: &str) {
    let mut conn = rusqlite::Connection::open(&server.db).unwrap();
    let tx = conn.transaction().unwrap();
    for i in 0..n {
        tx.execute(
            "INSERT INTO reports (idempotency_key, reference, received_at, submitted_at, profile, status, report_json, assessment_json, summary_json, assessment_agrees)
             VALUES (?1, 'TPV-Y22-8V2', '2026-01-01T00:00:00Z', '2023-06-01T09:30:00+08:00', 'yongan-2023', 'received', ?2, ?3, ?4, 1)",
            rusqlite::params![format!("bulk-key-{i:08}-0123456789"), report_json, assessment_json, summary_json],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn staff(server: &Server, path: &str) -> common::Response {
    let res = server.get(path, &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert_eq!(res.status, 200, "{path}: {}", res.text());
    res
}

/// 40 rows of 1 MiB each: a page stops after passing 4 MiB, `next_after` leads through all of them,
/// and the server's peak memory grows by far less than the table (it used to parse whole pages).
#[test]
fn the_staff_list_is_paged_by_bytes_and_streamed() {
    let server = Server::start_with("list-bytes", common::Options { args: &[], env: &[("FANGPIN_STAFF_TOKEN", TOKEN)], dir: None });
    let mib = 1024 * 1024;
    let assessment = format!("{{\"pad\":\"{}\"}}", "x".repeat(mib));
    insert_rows(&server, 40, &fixtures::report(fixtures::KEY).to_json(), "{}", &assessment);
    let before = server.peak_rss_kib();
    let (mut after, mut seen, mut pages) = (0i64, Vec::new(), 0);
    loop {
        let res = staff(&server, &format!("/api/v1/reports?after={after}"));
        assert!(res.chunked, "streamed");
        assert!(res.body.len() <= fangpin_server::reports::PAGE_MAX_BYTES + mib + 64 * 1024, "page of {} bytes", res.body.len());
        let page = res.json();
        let count = page["count"].as_u64().unwrap() as usize;
        if count == 0 {
            assert!(page["next_after"].is_null());
            break;
        }
        pages += 1;
        assert!(count < 40, "bounded by bytes, not only by the 1000-row limit: {count}");
        let ids: Vec<i64> = page["reports"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), count);
        assert_eq!(page["next_after"].as_i64(), ids.last().copied());
        assert_eq!(page["reports"][0]["assessment"]["pad"].as_str().map(str::len), Some(mib));
        seen.extend(ids);
        after = page["next_after"].as_i64().unwrap();
    }
    assert_eq!(seen, (1..=40).collect::<Vec<i64>>(), "every row once, in order");
    assert!(pages >= 8, "{pages} pages");
    let grew = server.peak_rss_kib().saturating_sub(before);
    eprintln!("staff list: {pages} pages, peak memory +{grew} KiB");
    assert!(grew < 20 * 1024, "peak memory grew by {grew} KiB for a 40 MiB table");
}

/// 5,000 rows with the longest difficulty text make a ~32 MB CSV: every row arrives, chunked, and the
/// server's peak memory grows by far less than the file.
#[test]
fn the_csv_export_streams_every_row_in_flat_memory() {
    let server = Server::start_with("csv-stream", common::Options { args: &[], env: &[("FANGPIN_STAFF_TOKEN", TOKEN)], dir: None });
    let mut app = fixtures::application("张大山");
    app.set_difficulty(fangpin_core::Text::new("家里有人患大病，".repeat(250), "Hard.")).unwrap();
    let report = fangpin_core::application::Report::from_application(&app, fixtures::KEY, "2023-06-01T09:30:00+08:00");
    let p = fangpin_core::policy::profile(&report.profile).unwrap();
    let summary =
        fangpin_core::application::AssessmentSummary::from_assessment(&fangpin_core::assess(&report.household, p, report.application.date));
    let n = 5000;
    insert_rows(&server, n, &report.to_json(), &serde_json::to_string(&summary).unwrap(), "{}");
    let before = server.peak_rss_kib();
    let res = staff(&server, "/api/v1/reports.csv");
    assert!(res.chunked, "streamed");
    let text = String::from_utf8(res.body[3..].to_vec()).unwrap();
    assert!(text.len() > 30_000_000, "{}", text.len());
    let records = fixtures::parse_csv(&text);
    assert_eq!(records.len(), n + 1, "the header and every row");
    assert!(records[n][19].starts_with("家里有人患大病"), "{:?}", &records[n][19][..30]);
    let grew = server.peak_rss_kib().saturating_sub(before);
    eprintln!("CSV: {} bytes, peak memory +{grew} KiB", text.len());
    assert!(grew < 16 * 1024, "peak memory grew by {grew} KiB for a {} MB file", text.len() / 1_000_000);
}

/// Issue 10: one anonymous POST with a Chinese character or full-width digits in an ID number killed
/// a release server (the core sliced the number by bytes). Now the first is a field error, the second
/// is the same number as ASCII digits, and the server answers the next request as before.
#[test]
fn an_id_number_with_multibyte_characters_is_a_field_error_not_a_crash() {
    use fangpin_core::application::content_reference;
    let server = Server::start("id-unicode", &["--report-rate", "0"]);
    let ascii = fixtures::report("unused").household.members[0].id_number.clone().unwrap_or_default();
    let wide: String = ascii.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect();
    for (key, id, status) in [("0123456789abcdef-cjk", "350481197803070张13", 422), ("0123456789abcdef-wide", wide.as_str(), 201)] {
        let mut r = fixtures::report(key);
        r.household.members[0].id_number = Some(id.to_string());
        r.application.id_number = Some(id.to_string());
        let a = &r.application;
        r.reference = content_reference(&r.household, &a.filled_by, &a.difficulty, a.date, &r.profile);
        let res = post(&server, &r.to_json());
        assert_eq!(res.status, status, "{id}: {}", res.text());
        if status == 422 {
            assert_eq!(res.json()["errors"][0]["field"], "household.members[0].id_number");
        }
        assert_eq!(server.get("/", &[]).status, 200, "the server lives on");
    }
}
