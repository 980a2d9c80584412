//! The one-click report (`fangpin.report/1`): built from an application, parsed strictly, validated
//! against its own content (`docs/report-api.md`).

/// The format tag of version 1 of the one-click report.
pub const REPORT_FORMAT: &str = "fangpin.report/1";

use serde::{Deserialize, Serialize};

use super::reference::{content_reference, validate_reference};
use super::{Application, FilledBy, IncomeSummary, RiskLine, check_difficulty, check_filled_by, ferr, signers_of};
use crate::assessment::Assessment;
use crate::date::Date;
use crate::household::{FieldError, Household, Relation};
use crate::input::{TextKind, check_text};
use crate::text::Text;
use crate::vocabulary::{Category, RiskCode};

/// The client's assessment, as sent with a report (the receiver recomputes its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentSummary {
    pub income: IncomeSummary,
    pub risks: Vec<RiskLine>,
    pub category: Option<Category>,
    pub whole_household_no_labour: bool,
}

impl AssessmentSummary {
    /// The summary of an assessment (the receiver compares it with the client's).
    pub fn from_assessment(a: &Assessment) -> AssessmentSummary {
        AssessmentSummary {
            income: IncomeSummary {
                net_total: a.income.net_total,
                members_counted: a.income.members_counted,
                per_capita: a.per_capita_net_income.map(|pc| pc.rounded()),
                monitoring_range: a.monitoring_range.amount,
                range_provisional: a.monitoring_range.provisional,
                range_note: a.monitoring_range.screen_note.clone(),
                range_provisional_reason: a.monitoring_range.clause.provisional_reason.clone(),
                policy_note: a.policy.note.clone(),
                below_range: a.below_range,
                rigid_spending: a.rigid_spending.total,
            },
            risks: a.risks.iter().map(|r| RiskLine { code: r.code, title: r.title.clone() }).collect(),
            category: a.category,
            whole_household_no_labour: a.whole_household_no_labour,
        }
    }
}

/// The application's own fields in a report (the intake fields of real one-click forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportApplication {
    pub date: Date,
    pub filled_by: FilledBy,
    /// 困难情况说明 as the person left it.
    pub difficulty: Text,
    pub head_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub village: String,
    pub address: String,
    pub members: u32,
    /// Names of the members who sign with a fingerprint.
    pub signers: Vec<String>,
}

/// The one-click report (`fangpin.report/1`), see `docs/report-api.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// `"fangpin.report/1"`.
    pub format: String,
    /// Made once per submission by the client; 16–64 characters of `A–Z a–z 0–9 - _`.
    pub idempotency_key: String,
    /// The application's reference code, grouped.
    pub reference: String,
    /// When the person pressed send (RFC 3339, e.g. `2024-05-06T09:30:00+08:00`).
    pub submitted_at: String,
    /// Profile id.
    pub profile: String,
    pub household: Household,
    pub application: ReportApplication,
    pub assessment: AssessmentSummary,
}

/// The longest text in a client's assessment summary (a risk title, the range note), in characters.
const SUMMARY_TEXT_CHARS: usize = 600;

/// The largest report body a receiver needs to accept, in bytes.
pub const REPORT_MAX_BYTES: usize = 64 * 1024;

/// True for 16–64 characters of `A–Z a–z 0–9 - _` (a UUID qualifies).
pub fn is_valid_idempotency_key(k: &str) -> bool {
    (16..=64).contains(&k.len()) && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// True for an RFC 3339 date-time with an offset: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn is_valid_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 40 || !s.is_ascii() {
        return false;
    }
    if Date::parse(&s[..10]).is_err() || !matches!(b[10], b'T' | b't') {
        return false;
    }
    let two = |i: usize| -> Option<u32> {
        (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit()).then(|| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'))
    };
    match (two(11), two(14), two(17)) {
        (Some(h), Some(m), Some(sec)) if h < 24 && m < 60 && sec <= 60 && b[13] == b':' && b[16] == b':' => {}
        _ => return false,
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => matches!((two(i + 1), two(i + 4)), (Some(h), Some(m)) if h < 24 && m < 60),
        _ => false,
    }
}

impl Report {
    /// The report for an application. The idempotency key is made once per submission by the
    /// caller and reused for every retry; `submitted_at` is the time the person pressed send.
    pub fn from_application(app: &Application, idempotency_key: impl Into<String>, submitted_at: impl Into<String>) -> Report {
        Report {
            format: REPORT_FORMAT.to_string(),
            idempotency_key: idempotency_key.into(),
            reference: app.reference.clone(),
            submitted_at: submitted_at.into(),
            profile: app.profile.clone(),
            household: app.household.clone(),
            application: ReportApplication {
                date: app.date,
                filled_by: app.filled_by.clone(),
                difficulty: app.difficulty.clone(),
                head_name: app.head_name.clone(),
                id_number: app.id_number.clone(),
                phone: app.phone.clone(),
                village: app.village.clone(),
                address: app.address.clone(),
                members: u32::try_from(app.members.len()).unwrap_or(u32::MAX),
                signers: app.signers.iter().map(|s| s.name.clone()).collect(),
            },
            assessment: app.assessment_summary(),
        }
    }

    /// The JSON text to send.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a report strictly: the `format` is checked first (a wrong version is named as such),
    /// then every field (unknown fields are errors). The error names the field.
    pub fn from_json(text: &str) -> Result<Report, FieldError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            ferr(
                "",
                "json",
                format!("不是有效的 JSON（第 {} 行第 {} 列）。", e.line(), e.column()),
                format!("Not valid JSON (line {}, column {}).", e.line(), e.column()),
            )
        })?;
        let Some(obj) = v.as_object() else {
            return Err(ferr("", "not_object", "报告应是一个 JSON 对象。", "A report is a JSON object."));
        };
        match obj.get("format") {
            None => return Err(ferr("format", "missing", "缺少字段 format（格式版本）。", "Missing field `format` (the version).")),
            Some(serde_json::Value::String(f)) if f == REPORT_FORMAT => {}
            Some(other) => {
                let shown: String = other.to_string().chars().take(40).collect();
                return Err(ferr(
                    "format",
                    "version",
                    format!("不支持的报告格式 {shown}，应为 {REPORT_FORMAT}。"),
                    format!("Unsupported report format {shown}; expected {REPORT_FORMAT}."),
                ));
            }
        }
        serde_path_to_error::deserialize::<_, Report>(v).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            let msg = e.inner().to_string();
            let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            if let Some(name) = backticked(&msg, "missing field `") {
                let f = join(&name);
                ferr(f.clone(), "missing", format!("缺少字段 {f}。"), format!("Missing field `{f}`."))
            } else if let Some(name) = backticked(&msg, "unknown field `") {
                let f = if path.ends_with(&name) { path.clone() } else { join(&name) };
                ferr(f.clone(), "unknown_field", format!("不认识的字段 {f}。"), format!("Unknown field `{f}`."))
            } else {
                let shown: String = msg.chars().take(200).collect();
                ferr(path.clone(), "invalid", format!("字段 {path} 的值不对：{shown}"), format!("Invalid value at `{path}`: {shown}"))
            }
        })
    }

    /// Every problem in the report, each naming its field; empty means valid. Checks the shapes
    /// (key, time, profile id), the reference code against the content, the household (as
    /// `household.…`) and that the application fields agree with the household.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.format != REPORT_FORMAT {
            errs.push(ferr("format", "version", format!("报告格式应为 {REPORT_FORMAT}。"), format!("The format must be {REPORT_FORMAT}.")));
        }
        if !is_valid_idempotency_key(&self.idempotency_key) {
            errs.push(ferr(
                "idempotency_key",
                "format",
                "提交编号（idempotency_key）应是 16–64 位字母、数字、- 或 _。",
                "idempotency_key must be 16–64 characters of A–Z, a–z, 0–9, - or _.",
            ));
        }
        if !is_valid_timestamp(&self.submitted_at) {
            errs.push(ferr(
                "submitted_at",
                "format",
                "提交时间应是 RFC 3339 格式，例如 2024-05-06T09:30:00+08:00。",
                "submitted_at must be an RFC 3339 time such as 2024-05-06T09:30:00+08:00.",
            ));
        }
        let p = &self.profile;
        if p.is_empty() || p.len() > 64 || !p.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            errs.push(ferr("profile", "format", "政策档案 id 不对。", "The profile id is not valid."));
        }
        let a = &self.application;
        check_filled_by(&a.filled_by, "application.filled_by", &mut errs);
        check_difficulty(&a.difficulty, "application.difficulty", &mut errs);
        match validate_reference(&self.reference) {
            Err(e) => errs.push(FieldError { field: "reference".into(), code: "reference".into(), message: e.message() }),
            Ok(r) => {
                if r != content_reference(&self.household, &a.filled_by, &a.difficulty, a.date, &self.profile) {
                    errs.push(ferr(
                        "reference",
                        "reference_mismatch",
                        "申请编号和申请内容对不上（内容可能被改动过）。",
                        "The reference code does not match the application's content.",
                    ));
                }
            }
        }
        for mut e in self.household.validate(a.date) {
            e.field = format!("household.{}", e.field);
            errs.push(e);
        }
        let h = &self.household;
        let trimmed = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let head_id = h.members.iter().find(|m| m.relation == Relation::Head).and_then(|m| trimmed(&m.id_number));
        let mismatches: [(&str, bool); 6] = [
            ("application.head_name", a.head_name != h.head_name.trim()),
            ("application.id_number", a.id_number != head_id),
            ("application.phone", a.phone != trimmed(&h.phone)),
            ("application.village", a.village != h.village.trim()),
            ("application.address", a.address != h.address.trim()),
            ("application.members", a.members as usize != h.members.len()),
        ];
        let signers = signers_of(h, a.date);
        let signers_bad = a.signers.len() != signers.len() || a.signers.iter().zip(&signers).any(|(name, s)| *name != s.name);
        for (field, bad) in mismatches.into_iter().chain([("application.signers", signers_bad)]) {
            if bad {
                errs.push(ferr(
                    field,
                    "mismatch",
                    format!("{field} 和家庭信息里的不一致。"),
                    format!("`{field}` does not match the household."),
                ));
            }
        }
        // The client's summary is kept only for comparison: it may not be bigger than a real one.
        let sum = &self.assessment;
        let too_big = sum.risks.len() > RiskCode::ALL.len() + crate::policy::MAX_TRIGGERS
            || sum.risks.iter().any(|r| {
                check_text(&r.title.zh, TextKind::Line, SUMMARY_TEXT_CHARS).is_err()
                    || check_text(&r.title.en, TextKind::Line, SUMMARY_TEXT_CHARS).is_err()
            })
            || [&sum.income.range_note, &sum.income.range_provisional_reason, &sum.income.policy_note].into_iter().flatten().any(|n| {
                check_text(&n.zh, TextKind::Free, SUMMARY_TEXT_CHARS).is_err()
                    || check_text(&n.en, TextKind::Free, SUMMARY_TEXT_CHARS).is_err()
            });
        if too_big {
            errs.push(ferr(
                "assessment",
                "invalid",
                "报告里的评估摘要不像本工具生成的（风险太多、代码不认识或文字太长）。",
                "The report's assessment summary is not one this tool makes (too many risks, unknown codes or overlong texts).",
            ));
        }
        errs
    }
}

fn backticked(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.split_once(prefix)?.1;
    Some(rest.split_once('`')?.0.to_string())
}
