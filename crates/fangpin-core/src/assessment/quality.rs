//! Data quality: what is missing, unlikely or inconsistent in what was entered. Shown beside the
//! result, never blocking it; hard input errors come from `Household::validate`.

use super::income::IncomeFacts;
use super::result::{Finding, Severity};
use crate::date::Date;
use crate::household::{Household, HousingGrade, Schooling};
use crate::policy::Profile;
use crate::text::Text;

fn finding(code: &str, field: impl Into<String>, severity: Severity, zh: impl Into<String>, en: impl Into<String>) -> Finding {
    Finding { code: code.to_string(), field: field.into(), severity, message: Text::new(zh, en) }
}

pub(super) fn explain(h: &Household, p: &Profile, as_of: Date, f: &IncomeFacts) -> Vec<Finding> {
    let (net, gross, costs, counted) = (f.net_total, f.gross, f.business_costs, f.members_counted);
    let mut out: Vec<Finding> = h
        .validate(as_of)
        .into_iter()
        .map(|e| Finding { code: e.code, field: e.field, severity: Severity::Error, message: e.message })
        .collect();
    if !h.members.is_empty() && counted == 0 {
        out.push(finding(
            "no_counted_members",
            "members",
            Severity::Error,
            "没有计入家庭人口的成员，算不出人均收入。",
            "No member is counted, so per-capita income cannot be computed.",
        ));
    }
    if !h.members.is_empty() && !h.members.iter().any(|m| m.relation == crate::household::Relation::Head) {
        out.push(finding("no_head", "members", Severity::Warning, "请注明哪一位是户主。", "Please mark the head of household."));
    }
    if h.income.is_empty() {
        out.push(finding(
            "no_income",
            "income",
            Severity::Warning,
            "没有填写收入。如果确实没有收入，也请告诉村里。",
            "No income was entered. If there really is none, please tell the village.",
        ));
    }
    if costs > gross && gross.is_positive() {
        out.push(finding(
            "costs_exceed_income",
            "business_costs",
            Severity::Warning,
            "生产经营支出比收入还多，请再核对一下。",
            "Business costs exceed income; please check.",
        ));
    }
    if net.is_negative() {
        out.push(finding("net_negative", "income", Severity::Info, "家庭纯收入是负数。", "Net household income is negative."));
    }
    if h.housing_grade == HousingGrade::Unknown {
        out.push(finding(
            "housing_unknown",
            "housing_grade",
            Severity::Info,
            "还没有填写住房安全等级。",
            "The housing grade is not given.",
        ));
    }
    let w = &h.water;
    for (field, missing) in [
        ("water.quality_ok", w.quality_ok.is_none()),
        ("water.litres_per_person_day", w.litres_per_person_day.is_none()),
        ("water.fetch_round_trip_minutes", w.fetch_round_trip_minutes.is_none()),
        ("water.supply_percent", w.supply_percent.is_none()),
    ] {
        if missing {
            out.push(finding("water_unknown", field, Severity::Info, "饮水情况还没有填写。", "This drinking-water item is not answered."));
        }
    }
    let age = &p.guarantees.compulsory_school_age;
    for (i, m) in h.members.iter().enumerate() {
        if m.counted && m.medical_insurance.is_none() {
            out.push(finding(
                "insurance_unknown",
                format!("members[{i}].medical_insurance"),
                Severity::Info,
                "还没有填写是否参加了医保。",
                "Medical insurance is not answered.",
            ));
        }
        match m.age_at(as_of) {
            None => out.push(finding(
                "age_unknown",
                format!("members[{i}].birth_date"),
                Severity::Warning,
                "请填写出生日期或年龄。",
                "Please give a birth date or age.",
            )),
            Some(a) => {
                if a >= age.from && a <= age.to && m.schooling == Schooling::None && m.out_of_school.is_none() {
                    out.push(finding(
                        "school_unknown",
                        format!("members[{i}].schooling"),
                        Severity::Warning,
                        "这个孩子在上学年龄，请填写是否在上学。",
                        "This child is of compulsory-school age; please say whether they are in school.",
                    ));
                }
                if a > 120 {
                    out.push(finding(
                        "age_implausible",
                        format!("members[{i}].age"),
                        Severity::Warning,
                        "年龄超过 120 岁，请核对。",
                        "Age above 120; please check.",
                    ));
                }
            }
        }
        if m.severe_disability_since.is_some() && !m.severe_disability {
            out.push(finding(
                "disability_inconsistent",
                format!("members[{i}].severe_disability"),
                Severity::Warning,
                "填写了重度残疾的日期，但没有勾选重度残疾。",
                "A disability date is given but severe disability is not ticked.",
            ));
        }
        if m.out_of_school.is_some() && m.schooling != Schooling::None && m.schooling != Schooling::Compulsory {
            out.push(finding(
                "school_inconsistent",
                format!("members[{i}].out_of_school"),
                Severity::Warning,
                "填写了在上学，又填写了失学，请核对。",
                "In school and out of school are both given; please check.",
            ));
        }
    }
    if let Some(d) = &h.income_drop
        && !d.last_year_net_income.is_positive()
    {
        out.push(finding(
            "income_drop_no_base",
            "income_drop.last_year_net_income",
            Severity::Warning,
            "请填写去年的家庭纯收入，才能比较收入下降了多少。",
            "Please give last year's net income to compare the drop.",
        ));
    }
    if h.collected_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
        out.push(finding(
            "collector_unknown",
            "collected_by",
            Severity::Info,
            "请写明是谁填写的（本人，或村干部、网格员的姓名）。",
            "Please say who collected this data (self, or the worker's name).",
        ));
    }
    out
}
