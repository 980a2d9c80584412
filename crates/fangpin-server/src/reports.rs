//! The report receiver: `POST /api/v1/reports` and the staff read/export endpoints
//! (`docs/report-api.md`).
//!
//! Why it is built this way:
//! * The body is parsed and validated with the same core as the page (`fangpin_core::application`),
//!   and the assessment is re-run here with the profile the report names: the stored result is the
//!   server's, the client's summary is kept beside it.
//! * One SQLite row per idempotency key. The key column is `UNIQUE`; each insert runs in its own
//!   `BEGIN IMMEDIATE` transaction with `ON CONFLICT DO NOTHING`, so concurrent repeats (also from
//!   another process on the same file) yield exactly one row and every caller the same receipt.
//! * The receipt is answered only after the row is committed (WAL, `synchronous=FULL`): a crash
//!   before the commit leaves nothing (the client retries and the row is made once), a crash after
//!   it leaves the row (the retry gets the stored receipt). Nothing is lost or duplicated.
//! * Staff endpoints exist only when `FANGPIN_STAFF_TOKEN` is set; the token is compared in
//!   constant time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fangpin_core::application::{Application, AssessmentSummary, FilledBy, Report};
use fangpin_core::household::FieldError;
use fangpin_core::{Date, Text, assess, policy};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;

pub use fangpin_core::application::REPORT_MAX_BYTES;

/// The environment variable that holds the staff token (unset or empty: no staff access).
pub const STAFF_TOKEN_ENV: &str = "FANGPIN_STAFF_TOKEN";
/// The environment variable that names the database file.
pub const DB_ENV: &str = "FANGPIN_DB";
/// The database file when neither `--db` nor `FANGPIN_DB` says otherwise.
pub const DEFAULT_DB: &str = "target/fangpin-reports.sqlite3";

const SCHEMA_VERSION: i64 = 1;
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS reports (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    reference       TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    profile         TEXT NOT NULL,
    status          TEXT NOT NULL,
    report_json     TEXT NOT NULL,
    assessment_json TEXT NOT NULL,
    summary_json    TEXT NOT NULL,
    assessment_agrees INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_reference ON reports(reference);
";

/// Where the receiver keeps its data and who may read it.
#[derive(Clone)]
pub struct ApiState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    staff_token: Option<Vec<u8>>,
}

impl ApiState {
    /// Opens (creating when missing) the database and its schema. `staff_token`: None or empty
    /// means no staff access.
    pub fn open(db: &Path, staff_token: Option<String>) -> Result<ApiState, String> {
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let conn = connect(db).map_err(|e| format!("cannot open {}: {e}", db.display()))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| e.to_string())?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("{}: SQLite would not use WAL (got {mode})", db.display()));
        }
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| e.to_string())?;
        if version > SCHEMA_VERSION {
            return Err(format!("{}: database schema {version} is newer than this server ({SCHEMA_VERSION})", db.display()));
        }
        conn.execute_batch(SCHEMA).map_err(|e| format!("cannot create the schema in {}: {e}", db.display()))?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}")).map_err(|e| e.to_string())?;
        let staff_token = staff_token.filter(|t| !t.trim().is_empty()).map(|t| t.trim().as_bytes().to_vec());
        Ok(ApiState { inner: Arc::new(Inner { db: db.to_path_buf(), staff_token }) })
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.inner.db
    }

    /// True when staff endpoints are enabled.
    pub fn staff_enabled(&self) -> bool {
        self.inner.staff_token.is_some()
    }
}

fn connect(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
    Ok(conn)
}

/// The API routes (`/api/v1/...`), with their own security headers and the body limit.
pub fn api_router(state: ApiState) -> Router {
    Router::new()
        .route("/api/v1/reports", post(post_report).get(list_reports))
        .route("/api/v1/reports.csv", get(export_csv))
        .layer(DefaultBodyLimit::max(REPORT_MAX_BYTES))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// An error answer: `{"error": code, "field": …, "message": {zh, en}, "errors": [...]}`.
#[derive(Debug, Serialize)]
struct ApiError {
    error: String,
    field: String,
    message: Text,
    errors: Vec<FieldError>,
}

fn error(status: StatusCode, code: &str, field: &str, zh: &str, en: &str) -> Response {
    let e = FieldError { field: field.to_string(), code: code.to_string(), message: Text::new(zh.to_string(), en.to_string()) };
    errors(status, code, vec![e])
}

fn errors(status: StatusCode, code: &str, errs: Vec<FieldError>) -> Response {
    let first = errs.first().cloned().unwrap_or(FieldError { field: String::new(), code: code.into(), message: Text::default() });
    let body = ApiError { error: code.to_string(), field: first.field, message: first.message, errors: errs };
    (status, axum::Json(body)).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    eprintln!("fangpin-server: reports: {e}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        "",
        "服务器暂时不能保存，请稍后再试（您的申请已留在手机上）。",
        "The server cannot store the report right now; please try again later.",
    )
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/reports

/// The receipt: the same for the first delivery (201) and every repeat (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub received_at: String,
    pub idempotency_key: String,
    pub status: String,
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

async fn post_report(State(state): State<ApiState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    if !is_json(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "Content-Type",
            "请以 application/json 格式提交。",
            "Send the report as application/json.",
        );
    }
    let body = match body {
        Ok(b) => b,
        Err(rej) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "",
                &format!("提交的内容太大（最多 {} KB）。", REPORT_MAX_BYTES / 1024),
                &format!("The report is too large (at most {} KiB).", REPORT_MAX_BYTES / 1024),
            );
        }
        Err(_) => return error(StatusCode::BAD_REQUEST, "body", "", "没有收到完整的内容。", "The request body could not be read."),
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::BAD_REQUEST, "utf8", "", "内容不是 UTF-8 文本。", "The body is not UTF-8 text.");
    };
    let report = match Report::from_json(text) {
        Ok(r) => r,
        Err(e) => {
            let status = if matches!(e.code.as_str(), "json" | "not_object") { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            let code = e.code.clone();
            return errors(status, &code, vec![e]);
        }
    };
    let errs = report.validate();
    if !errs.is_empty() {
        return errors(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", errs);
    }
    let Some(profile) = policy::profile(&report.profile) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_profile",
            "profile",
            "这个服务器不认识报告里的政策档案。",
            "This server does not know the report's policy profile.",
        );
    };
    let date = report.application.date;
    if date.day_number() > today_utc().day_number() + 1 {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "future_date", "application.date", "申请日期晚于今天。", "The application date is in the future.");
    }
    // Re-run the assessment with the core: the stored result is the server's own.
    let assessment = assess(&report.household, profile, date);
    let server_summary = AssessmentSummary::from_assessment(&assessment);
    let agrees = server_summary == report.assessment;
    if let Err(errs) = Application::build(&report.household, &assessment, profile, report.application.filled_by.clone(), date) {
        return errors(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", errs);
    }
    let row = NewRow {
        report_json: report.to_json(),
        assessment_json: serde_json::to_string(&assessment).unwrap_or_default(),
        summary_json: serde_json::to_string(&server_summary).unwrap_or_default(),
        agrees,
        received_at: now_rfc3339(),
        report,
    };
    let db = state.inner.db.clone();
    match tokio::task::spawn_blocking(move || store(&db, &row)).await {
        Ok(Ok(Stored::New(receipt))) => (StatusCode::CREATED, axum::Json(receipt)).into_response(),
        Ok(Ok(Stored::Repeat(receipt))) => (StatusCode::OK, axum::Json(receipt)).into_response(),
        Ok(Ok(Stored::KeyReused)) => error(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            "idempotency_key",
            "这个提交编号已经用于另一份不同的申请。",
            "This idempotency key was already used for a different report.",
        ),
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

struct NewRow {
    report: Report,
    report_json: String,
    assessment_json: String,
    summary_json: String,
    agrees: bool,
    received_at: String,
}

enum Stored {
    New(Receipt),
    Repeat(Receipt),
    /// Same key, different content.
    KeyReused,
}

const STATUS_RECEIVED: &str = "received";

fn store(db: &Path, row: &NewRow) -> rusqlite::Result<Stored> {
    let mut conn = connect(db)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let r = &row.report;
    let inserted = tx.execute(
        "INSERT INTO reports (idempotency_key, reference, received_at, submitted_at, profile, status,
                              report_json, assessment_json, summary_json, assessment_agrees)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(idempotency_key) DO NOTHING",
        params![
            r.idempotency_key,
            r.reference,
            row.received_at,
            r.submitted_at,
            r.profile,
            STATUS_RECEIVED,
            row.report_json,
            row.assessment_json,
            row.summary_json,
            row.agrees
        ],
    )?;
    let (receipt, first_json): (Receipt, String) = tx.query_row(
        "SELECT reference, received_at, idempotency_key, status, report_json FROM reports WHERE idempotency_key = ?1",
        params![r.idempotency_key],
        |x| Ok((Receipt { reference: x.get(0)?, received_at: x.get(1)?, idempotency_key: x.get(2)?, status: x.get(3)? }, x.get(4)?)),
    )?;
    tx.commit()?;
    if inserted == 1 {
        return Ok(Stored::New(receipt));
    }
    // A repeat: the same report (a retry may carry another submitted_at) gets the first receipt.
    let same = Report::from_json(&first_json).is_ok_and(|mut first| {
        first.submitted_at.clone_from(&r.submitted_at);
        first == *r
    });
    Ok(if same { Stored::Repeat(receipt) } else { Stored::KeyReused })
}

// ---------------------------------------------------------------------------------------------
// Staff endpoints.

/// Constant-time comparison: the time depends only on the token's length.
fn same_token(given: &[u8], token: &[u8]) -> bool {
    let mut diff = u8::from(given.len() != token.len());
    for (i, &t) in token.iter().enumerate() {
        diff |= t ^ given.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

/// None when the caller may read; else the answer to give (404 without a token, 401 with a wrong one).
fn refuse(state: &ApiState, headers: &HeaderMap) -> Option<Response> {
    let Some(token) = &state.inner.staff_token else {
        return Some(error(StatusCode::NOT_FOUND, "not_found", "", "没有这个页面。", "Not found."));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or("");
    if given.is_empty() || !same_token(given.as_bytes(), token) {
        let mut res = error(
            StatusCode::UNAUTHORIZED,
            "unauthorised",
            "Authorization",
            "需要工作人员口令。",
            "A staff token is required (Authorization: Bearer …).",
        );
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"fangpin-staff\""));
        return Some(res);
    }
    None
}

/// `?after=ID&limit=N`: rows with an id above `after`, at most `limit` (default and cap 1000).
#[derive(Debug, Deserialize)]
pub struct Page {
    #[serde(default)]
    after: Option<i64>,
    #[serde(default)]
    limit: Option<u32>,
}

const PAGE_MAX: u32 = 1000;

/// One stored report as staff see it.
#[derive(Debug, Serialize)]
struct StaffRow {
    id: i64,
    reference: String,
    idempotency_key: String,
    received_at: String,
    submitted_at: String,
    profile: String,
    status: String,
    /// The client's assessment summary equals the server's.
    assessment_agrees: bool,
    report: serde_json::Value,
    /// The server's recomputed summary.
    summary: serde_json::Value,
    /// The server's full recomputed assessment.
    assessment: serde_json::Value,
}

fn load_rows(db: &Path, after: i64, limit: u32) -> rusqlite::Result<Vec<StaffRow>> {
    let conn = connect(db)?;
    let mut st = conn.prepare(
        "SELECT id, reference, idempotency_key, received_at, submitted_at, profile, status, assessment_agrees,
                report_json, summary_json, assessment_json
         FROM reports WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let json = |s: String| serde_json::from_str(&s).unwrap_or(serde_json::Value::Null);
    let rows = st.query_map(params![after, limit], |r| {
        Ok(StaffRow {
            id: r.get(0)?,
            reference: r.get(1)?,
            idempotency_key: r.get(2)?,
            received_at: r.get(3)?,
            submitted_at: r.get(4)?,
            profile: r.get(5)?,
            status: r.get(6)?,
            assessment_agrees: r.get(7)?,
            report: json(r.get(8)?),
            summary: json(r.get(9)?),
            assessment: json(r.get(10)?),
        })
    })?;
    rows.collect()
}

async fn list_reports(State(state): State<ApiState>, headers: HeaderMap, page: Result<Query<Page>, QueryRejection>) -> Response {
    if let Some(res) = refuse(&state, &headers) {
        return res;
    }
    let Ok(Query(page)) = page else {
        return error(StatusCode::BAD_REQUEST, "query", "after", "after 和 limit 应是数字。", "`after` and `limit` must be numbers.");
    };
    let after = page.after.unwrap_or(0);
    let limit = page.limit.unwrap_or(PAGE_MAX).clamp(1, PAGE_MAX);
    let db = state.inner.db.clone();
    match tokio::task::spawn_blocking(move || load_rows(&db, after, limit)).await {
        Ok(Ok(rows)) => {
            let next_after = rows.last().map(|r| r.id);
            axum::Json(serde_json::json!({ "count": rows.len(), "next_after": next_after, "reports": rows })).into_response()
        }
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

/// Quotes a CSV cell (RFC 4180) and defuses spreadsheet formulas in free text.
fn csv_cell(out: &mut String, value: &str) {
    let defused;
    let v = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        defused = format!("'{value}");
        defused.as_str()
    } else {
        value
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Digits that Excel would turn into a rounded number (ID numbers, phones) are written as text.
fn csv_digits(out: &mut String, value: &str) {
    if !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x' | b'-' | b'+' | b' ')) {
        out.push_str(&format!("\"=\"\"{value}\"\"\""));
    } else {
        csv_cell(out, value);
    }
}

const CSV_HEADER: &[&str] = &[
    "编号 id",
    "申请编号 reference",
    "收到时间 received_at",
    "提交时间 submitted_at",
    "提交编号 idempotency_key",
    "政策档案 profile",
    "申请日期 date",
    "户主 head",
    "身份证号 id_number",
    "手机 phone",
    "村 village",
    "住址 address",
    "人口 members",
    "家庭纯收入 net_income",
    "人均纯收入 per_capita",
    "监测范围 monitoring_range",
    "低于监测范围 below_range",
    "可能类别 category",
    "风险 risks",
    "困难情况说明 difficulty",
    "填写人 filled_by",
    "与页面结果一致 client_agrees",
];

fn csv_export(db: &Path) -> rusqlite::Result<String> {
    let conn = connect(db)?;
    let mut st = conn.prepare(
        "SELECT id, reference, received_at, submitted_at, idempotency_key, profile, report_json, summary_json, assessment_agrees
         FROM reports ORDER BY id",
    )?;
    let mut out = String::from("\u{FEFF}");
    for (i, h) in CSV_HEADER.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_cell(&mut out, h);
    }
    out.push_str("\r\n");
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let report = Report::from_json(&r.get::<_, String>(6)?).ok();
        let summary: Option<AssessmentSummary> = serde_json::from_str(&r.get::<_, String>(7)?).ok();
        let agrees: bool = r.get(8)?;
        let mut cells: Vec<(bool, String)> = vec![
            (false, id.to_string()),
            (false, r.get(1)?),
            (false, r.get(2)?),
            (false, r.get(3)?),
            (false, r.get(4)?),
            (false, r.get(5)?),
        ];
        match &report {
            Some(rep) => {
                let a = &rep.application;
                cells.push((false, a.date.to_string()));
                cells.push((false, a.head_name.clone()));
                cells.push((true, a.id_number.clone().unwrap_or_default()));
                cells.push((true, a.phone.clone().unwrap_or_default()));
                cells.push((false, a.village.clone()));
                cells.push((false, a.address.clone()));
                cells.push((false, a.members.to_string()));
            }
            None => cells.extend(std::iter::repeat_n((false, String::new()), 7)),
        }
        match &summary {
            Some(s) => {
                cells.push((false, s.income.net_total.to_fixed2()));
                cells.push((false, s.income.per_capita.map(|m| m.to_fixed2()).unwrap_or_default()));
                cells.push((false, s.income.monitoring_range.to_fixed2()));
                cells.push((false, if s.income.below_range { "是 yes" } else { "否 no" }.to_string()));
                cells.push((false, s.category.map(|c| format!("{} {}", c.label().zh, c.code())).unwrap_or_default()));
                cells.push((false, s.risks.iter().map(|x| x.title.zh.as_str()).collect::<Vec<_>>().join("；")));
            }
            None => cells.extend(std::iter::repeat_n((false, String::new()), 6)),
        }
        match &report {
            Some(rep) => {
                cells.push((false, rep.application.difficulty.zh.to_string()));
                let f = &rep.application.filled_by;
                cells.push((false, match f {
                    FilledBy::Self_ => "本人 self".to_string(),
                    _ => format!("{} {}", f.label().zh, f.code()),
                }));
            }
            None => cells.extend(std::iter::repeat_n((false, String::new()), 2)),
        }
        cells.push((false, if agrees { "是 yes" } else { "否 no" }.to_string()));
        for (i, (digits, v)) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if *digits { csv_digits(&mut out, v) } else { csv_cell(&mut out, v) }
        }
        out.push_str("\r\n");
    }
    Ok(out)
}

async fn export_csv(State(state): State<ApiState>, headers: HeaderMap) -> Response {
    if let Some(res) = refuse(&state, &headers) {
        return res;
    }
    let db = state.inner.db.clone();
    match tokio::task::spawn_blocking(move || csv_export(&db)).await {
        Ok(Ok(csv)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"fangpin-reports.csv\"")),
            ],
            csv,
        )
            .into_response(),
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Time (the server's clock: only here, never in the core).

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn civil(days: i64) -> (i64, u32, u32) {
    let d = Date::from_day_number(days).unwrap_or_default();
    (i64::from(d.year()), u32::from(d.month()), u32::from(d.day()))
}

/// The current UTC time, RFC 3339 (`2024-05-06T01:30:00Z`).
pub fn now_rfc3339() -> String {
    let s = now_secs();
    let (y, m, d) = civil((s / 86_400) as i64);
    let t = s % 86_400;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

fn today_utc() -> Date {
    Date::from_day_number((now_secs() / 86_400) as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        let mut s = String::new();
        csv_cell(&mut s, "a,\"b\"\nc");
        assert_eq!(s, "\"a,\"\"b\"\"\nc\"");
        let mut s = String::new();
        csv_cell(&mut s, "=HYPERLINK(\"x\")");
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\"");
        let mut s = String::new();
        csv_digits(&mut s, "35048119780307001X");
        assert_eq!(s, "\"=\"\"35048119780307001X\"\"\"");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token(b"secret-token", b"secret-token"));
        assert!(!same_token(b"secret-toke", b"secret-token"));
        assert!(!same_token(b"secret-token2", b"secret-token"));
        assert!(!same_token(b"", b"secret-token"));
    }

    #[test]
    fn clock_formats() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        let now = now_rfc3339();
        assert_eq!(now.len(), 20);
        assert!(fangpin_core::application::is_valid_timestamp(&now));
    }
}
