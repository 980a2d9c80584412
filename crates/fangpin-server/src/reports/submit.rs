//! `POST /api/v1/reports`: strict parse, validation and the server's own assessment, then one row per
//! idempotency key (`store`).

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fangpin_core::application::{Application, AssessmentSummary, Report};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::clock::{now_rfc3339, today_utc};
use super::error::ApiError;
use super::store::{NewRow, Stored, store};
use super::{ApiState, REPORT_MAX_BYTES, STORED_ROW_MAX_BYTES};
use crate::limits::{ClientKey, retry_after_secs};

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

fn rate_limited(wait: std::time::Duration) -> ApiError {
    let secs = retry_after_secs(wait);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "",
        "提交太频繁了，请稍后再试；您的申请已留在手机上。",
        "Too many reports from this address; please try again later. Your application stays on the phone.",
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(secs))
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "",
        &format!("提交的内容太大（最多 {} KB）。", REPORT_MAX_BYTES / 1024),
        &format!("The report is too large (at most {} KiB).", REPORT_MAX_BYTES / 1024),
    )
}

/// The whole body, at most [`REPORT_MAX_BYTES`], within `deadline` from the first poll.
async fn read_body(body: Body, deadline: std::time::Duration) -> Result<Bytes, ApiError> {
    if body.size_hint().lower() > REPORT_MAX_BYTES as u64 {
        return Err(too_large());
    }
    match tokio::time::timeout(deadline, Limited::new(body, REPORT_MAX_BYTES).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(_)) => {
            Err(ApiError::new(StatusCode::BAD_REQUEST, "body", "", "没有收到完整的内容。", "The request body could not be read."))
        }
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            "",
            &format!("{} 秒内没有收到完整的内容，请重新提交（您的申请已留在手机上）。", deadline.as_secs()),
            &format!("The report did not arrive within {} s; please send it again (it stays on the phone).", deadline.as_secs()),
        )),
    }
}

pub(crate) async fn post_report(
    State(state): State<ApiState>,
    client: ClientKey,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // Before anything else, so a flood costs no parsing (and no body reading).
    if let Some(limiter) = &state.inner.report_limiter {
        limiter.take(client, std::time::Instant::now()).map_err(rate_limited)?;
    }
    if !is_json(&headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "Content-Type",
            "请以 application/json 格式提交。",
            "Send the report as application/json.",
        ));
    }
    let body = read_body(body, state.inner.body_timeout).await?;
    let Ok(text) = std::str::from_utf8(&body) else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "utf8", "", "内容不是 UTF-8 文本。", "The body is not UTF-8 text."));
    };
    let report = match Report::from_json(text) {
        Ok(r) => r,
        Err(e) => {
            let status =
                if matches!(e.code.as_str(), "json" | "not_object") { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            let code = e.code.clone();
            return Err(ApiError::fields(status, &code, vec![e]));
        }
    };
    let errs = report.validate();
    if !errs.is_empty() {
        return Err(ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", errs));
    }
    let lookup = (state.clone(), report.profile.clone());
    let policies = tokio::task::spawn_blocking(move || lookup.0.inner.policies.with_profile(&lookup.1)).await.ok().flatten();
    let Some(profile) = policies.as_ref().and_then(|set| set.profile(&report.profile)) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_profile",
            "profile",
            "这个服务器不认识报告里的政策档案。",
            "This server does not know the report's policy profile.",
        ));
    };
    let date = report.application.date;
    if date.day_number() > today_utc().day_number() + 1 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "future_date",
            "application.date",
            "申请日期晚于今天。",
            "The application date is in the future.",
        ));
    }
    // Re-run the assessment with the core: the stored result is the server's own.
    let assessment = (state.inner.assess)(&report.household, profile, date);
    let server_summary = AssessmentSummary::from_assessment(&assessment);
    let agrees = server_summary == report.assessment;
    if let Err(errs) = Application::build(&report.household, &assessment, profile, report.application.filled_by.clone(), date) {
        return Err(ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", errs));
    }
    let row = NewRow {
        report_json: report.to_json(),
        assessment_json: serde_json::to_string(&assessment).unwrap_or_default(),
        summary_json: serde_json::to_string(&server_summary).unwrap_or_default(),
        agrees,
        received_at: now_rfc3339(),
        report,
    };
    // The stored report is re-serialized with every field, and the assessment explains every member, so
    // a 64 KiB body of bare members could store megabytes. The core's household limits keep real reports
    // far below this (the largest realistic row is about 82 KB); this keeps the disk cost bounded anyway.
    if row.report_json.len() + row.assessment_json.len() + row.summary_json.len() > STORED_ROW_MAX_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "household",
            "这份申请的内容太多，服务器存不下。请减少成员或条目后再提交。",
            "This report is too large to store; please send fewer members or items.",
        ));
    }
    let db = state.inner.db.clone();
    match tokio::task::spawn_blocking(move || store(&db, &row)).await {
        Ok(Ok(Stored::New(receipt))) => Ok((StatusCode::CREATED, axum::Json(receipt)).into_response()),
        Ok(Ok(Stored::Repeat(receipt))) => Ok((StatusCode::OK, axum::Json(receipt)).into_response()),
        Ok(Ok(Stored::KeyReused)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            "idempotency_key",
            "这个提交编号已经用于另一份不同的申请。",
            "This idempotency key was already used for a different report.",
        )),
        Ok(Err(e)) => Err(ApiError::storage(e)),
        Err(e) => Err(ApiError::storage(e)),
    }
}
