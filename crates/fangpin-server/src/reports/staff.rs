//! Staff access: the token check and `GET /api/v1/reports` (the list). The CSV export is in `csv`.

use std::path::Path;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::ApiState;
use super::error::ApiError;
use super::store::connect;
use super::stream::{self, Feed, Stop};
use crate::limits::{ClientKey, retry_after_secs};

/// Constant-time comparison: the time depends only on the token's length.
pub(crate) fn same_token(given: &[u8], token: &[u8]) -> bool {
    let mut diff = u8::from(given.len() != token.len());
    for (i, &t) in token.iter().enumerate() {
        diff |= t ^ given.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

/// Ok when the caller may read; else the refusal: 404 without a token configured, 429 while the
/// address is paying for wrong tokens, 401 for a missing or wrong one (a wrong one adds to the penalty).
/// The penalty is per address (`limits`), so a stranger's guesses do not lock out staff elsewhere; the
/// token's length (32+ characters) already puts guessing out of reach, the penalty keeps it slow too.
pub(crate) fn authorise(state: &ApiState, client: ClientKey, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.inner.staff_token else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "", "没有这个页面。", "Not found."));
    };
    let penalty = &state.inner.staff_penalty;
    if let Err(wait) = penalty.check(client, Instant::now()) {
        return Err(too_many_attempts(wait));
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or("");
    if given.is_empty() || !same_token(given.as_bytes(), token) {
        if !given.is_empty() {
            penalty.fail(client, Instant::now());
        }
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorised",
            "Authorization",
            "需要工作人员口令。",
            "A staff token is required (Authorization: Bearer …).",
        )
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"fangpin-staff\"")));
    }
    penalty.succeed(client);
    Ok(())
}

fn too_many_attempts(wait: std::time::Duration) -> ApiError {
    let secs = retry_after_secs(wait);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "Authorization",
        &format!("口令错误次数太多，请 {secs} 秒后再试。"),
        &format!("Too many wrong tokens; try again in {secs} s."),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(secs))
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

/// A page takes no more rows once its JSON has passed this size; the row that passes it is still
/// included, so each page makes progress and stays below this plus one row.
pub const PAGE_MAX_BYTES: usize = 4 * 1024 * 1024;

/// One stored report as staff see it. The stored JSON is passed through as it is (checked to be JSON,
/// else `null`), not parsed into values: that took many times the row's size in memory.
#[derive(Debug, Serialize)]
struct StaffRow<'a> {
    id: i64,
    reference: String,
    idempotency_key: String,
    received_at: String,
    submitted_at: String,
    profile: String,
    status: String,
    /// The client's assessment summary equals the server's.
    assessment_agrees: bool,
    report: &'a RawValue,
    /// The server's recomputed summary.
    summary: &'a RawValue,
    /// The server's full recomputed assessment.
    assessment: &'a RawValue,
}

/// `{"reports":[…],"count":N,"next_after":ID}`, a row per chunk (the rows come first so that they can
/// be sent before the count is known).
/// Stored JSON as it is, or `null` if it is not JSON.
fn raw(s: &str) -> &RawValue {
    serde_json::from_str::<&RawValue>(s).unwrap_or(RawValue::NULL)
}

fn write_page(db: &Path, after: i64, limit: u32, feed: &mut Feed) -> Result<(), Stop> {
    let conn = connect(db)?;
    let mut st = conn.prepare(
        "SELECT id, reference, idempotency_key, received_at, submitted_at, profile, status, assessment_agrees,
                report_json, summary_json, assessment_json
         FROM reports WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut rows = st.query(params![after, limit])?;
    let mut out = b"{\"reports\":[".to_vec();
    let (mut count, mut last, mut written) = (0usize, None::<i64>, 0usize);
    while let Some(r) = rows.next()? {
        let (report, summary, assessment): (String, String, String) = (r.get(8)?, r.get(9)?, r.get(10)?);
        let id: i64 = r.get(0)?;
        let row = StaffRow {
            id,
            reference: r.get(1)?,
            idempotency_key: r.get(2)?,
            received_at: r.get(3)?,
            submitted_at: r.get(4)?,
            profile: r.get(5)?,
            status: r.get(6)?,
            assessment_agrees: r.get(7)?,
            report: raw(&report),
            summary: raw(&summary),
            assessment: raw(&assessment),
        };
        if count > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &row)?;
        count += 1;
        last = Some(id);
        written += out.len();
        feed.send(std::mem::take(&mut out))?;
        if written >= PAGE_MAX_BYTES {
            break;
        }
    }
    let next_after = last.map_or_else(|| "null".to_string(), |id| id.to_string());
    out.extend_from_slice(format!("],\"count\":{count},\"next_after\":{next_after}}}").as_bytes());
    feed.send(out)
}

pub(crate) async fn list_reports(
    State(state): State<ApiState>,
    client: ClientKey,
    headers: HeaderMap,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<Response, ApiError> {
    authorise(&state, client, &headers)?;
    let Ok(Query(page)) = page else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "query",
            "after",
            "after 和 limit 应是数字。",
            "`after` and `limit` must be numbers.",
        ));
    };
    let after = page.after.unwrap_or(0);
    let limit = page.limit.unwrap_or(PAGE_MAX).clamp(1, PAGE_MAX);
    let db = state.inner.db.clone();
    let body = stream::from_blocking("staff list", move |feed| write_page(&db, after, limit, feed)).await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token(b"secret-token", b"secret-token"));
        assert!(!same_token(b"secret-toke", b"secret-token"));
        assert!(!same_token(b"secret-token2", b"secret-token"));
        assert!(!same_token(b"", b"secret-token"));
    }
}
