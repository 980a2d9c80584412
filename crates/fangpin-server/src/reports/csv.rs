//! `GET /api/v1/reports.csv`: every row for a spreadsheet (UTF-8 with a byte-order mark, CRLF,
//! RFC 4180 quoting, formulas defused, long digit strings kept as text).

use std::path::Path;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use fangpin_core::application::{AssessmentSummary, FilledBy, Report};

use super::ApiState;
use super::error::ApiError;
use super::staff::authorise;
use super::store::connect;
use super::stream::{self, Feed, Stop};
use crate::limits::ClientKey;

use fangpin_core::csv::{cell as csv_cell, digits as csv_digits};

const CSV_HEADER: &[&str] = &[
    "编号 id",
    "申请编号 reference",
    "收到时间（北京时间） received_at (Beijing time)",
    "提交时间（北京时间） submitted_at (Beijing time)",
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

/// An RFC 3339 time in Beijing time (`2026-12-03 14:38:13`); as stored when it is not one.
fn beijing(utc: String) -> String {
    fangpin_core::date::BeijingTime::from_rfc3339(&utc).map_or(utc, |t| t.to_sortable())
}

/// Sent in chunks of about this size.
const CSV_CHUNK: usize = 64 * 1024;

/// The whole table, a chunk at a time (`stream`): memory stays flat whatever the table holds.
fn write_csv(db: &Path, feed: &mut Feed) -> Result<(), Stop> {
    let conn = connect(db)?;
    let mut st = conn.prepare(
        "SELECT id, reference, received_at, submitted_at, idempotency_key, profile, report_json, summary_json, assessment_agrees
         FROM reports ORDER BY id",
    )?;
    let mut out = String::from(fangpin_core::csv::BOM);
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
            // Stored in UTC; a township matches a row to a phone call in its own time.
            (false, beijing(r.get(2)?)),
            (false, beijing(r.get(3)?)),
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
                cells.push((
                    false,
                    match f {
                        FilledBy::Self_ => "本人 self".to_string(),
                        _ => format!("{} {}", f.label().zh, f.code()),
                    },
                ));
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
        if out.len() >= CSV_CHUNK {
            feed.send(std::mem::take(&mut out).into_bytes())?;
        }
    }
    feed.send(out.into_bytes())
}

pub(crate) async fn export_csv(State(state): State<ApiState>, client: ClientKey, headers: HeaderMap) -> Result<Response, ApiError> {
    authorise(&state, client, &headers)?;
    let db = state.inner.db.clone();
    let body = stream::from_blocking("CSV export", move |feed| write_csv(&db, feed)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"fangpin-reports.csv\"")),
        ],
        body,
    )
        .into_response())
}
