//! The worker's households as the CSV of a 监测对象信息采集 intake, one row per household, for a
//! township to open in Excel (UTF-8 with BOM, Chinese headers; the core's CSV rules, formulas defused).

use fangpin_core::csv;
use fangpin_core::date::Date;
use fangpin_core::policy::Profile;

use crate::record::{Record, VisitOutcome};

pub const HEADER: [&str; 18] = [
    "户主",
    "身份证号",
    "电话",
    "乡镇",
    "村",
    "人口",
    "人均纯收入（元）",
    "监测范围（元）",
    "风险",
    "类别",
    "状态",
    "采集人",
    "录入人",
    "采集时间",
    "监测状态",
    "回头看",
    "整户无劳动能力",
    "开发式帮扶",
];

/// The CSV of `records`, each assessed on `profile_of(record)` for `as_of`. `time` writes a
/// millisecond time as the phone shows it (Beijing time), the caller's clock rule.
pub fn households_csv<'p>(
    records: &[Record],
    profile_of: impl Fn(&Record) -> Option<&'p Profile>,
    as_of: Date,
    time: impl Fn(i64) -> String,
) -> String {
    let mut out = String::from(csv::BOM);
    csv::row(&mut out, HEADER.iter().map(|h| (*h, false)));
    for r in records {
        let assessed = profile_of(r).map(|p| (p, r.assess(p, as_of)));
        let per_capita =
            assessed.as_ref().and_then(|(_, a)| a.per_capita_net_income).map(|pc| pc.rounded().display_yuan()).unwrap_or_default();
        let range = assessed
            .as_ref()
            .map(|(_, a)| {
                let amount = a.monitoring_range.amount.display_yuan();
                if a.monitoring_range.provisional { format!("{amount}（暂定）") } else { amount }
            })
            .unwrap_or_default();
        let risks = assessed
            .as_ref()
            .map(|(_, a)| a.risks.iter().map(|x| x.title.get("zh").to_string()).collect::<Vec<_>>().join("；"))
            .unwrap_or_default();
        let outcome = assessed.as_ref().map(|(_, a)| VisitOutcome::of(a).label().get("zh").to_string()).unwrap_or_default();
        let members = r.draft.form.members.len().to_string();
        let id_number = r.draft.apply.id_numbers.first().map(|s| s.trim().to_string()).unwrap_or_default();
        let phone = r.draft.apply.phone.trim().to_string();
        let village =
            if r.draft.apply.village.trim().is_empty() { r.collected_by.village.clone() } else { r.draft.apply.village.trim().to_string() };
        let status = r.status.label().get("zh").to_string();
        let entered = r.entered_by.as_ref().map(|c| c.signature("zh")).unwrap_or_default();
        let checks = assessed.as_ref().map(|(p, a)| r.checks(a, p));
        let standing = r.marks.standing.label().get("zh").to_string();
        let look_back = checks
            .as_ref()
            .and_then(|c| c.look_back.as_ref())
            .map(|l| match l {
                crate::LookBack::Holds => "风险消除仍然成立".to_string(),
                crate::LookBack::BackslideDue(why) => {
                    let why: Vec<&str> = why.iter().map(|t| t.get("zh")).collect();
                    format!("需要风险回退：{}", why.join("；"))
                }
            })
            .unwrap_or_default();
        let no_labour = checks
            .as_ref()
            .map(|c| match (c.no_labour, c.safety_net_household) {
                (true, true) => "是（兜底保障户）",
                (true, false) => "是",
                (false, _) => "否",
            })
            .unwrap_or_default();
        let development = checks
            .as_ref()
            .map(|c| {
                let done: Vec<&str> = c.development.iter().filter(|d| d.2).map(|d| d.1.get("zh")).collect();
                if !done.is_empty() {
                    format!("已实施：{}", done.join("；"))
                } else if c.development_missing() {
                    "尚未落实".to_string()
                } else {
                    String::new()
                }
            })
            .unwrap_or_default();
        let cells: [(&str, bool); 18] = [
            (r.head_name(), false),
            (&id_number, true),
            (&phone, true),
            (&r.collected_by.township, false),
            (&village, false),
            (&members, false),
            (&per_capita, false),
            (&range, false),
            (&risks, false),
            (&outcome, false),
            (&status, false),
            (&r.collected_by.signature("zh"), false),
            (&entered, false),
            (&time(r.started_ms), false),
            (&standing, false),
            (&look_back, false),
            (no_labour, false),
            (&development, false),
        ];
        csv::row(&mut out, cells);
    }
    out
}

/// The per-member sheet of the same intake: one row per family member, with the household's head
/// (and its ID number) to join it to the households sheet.
pub const MEMBER_HEADER: [&str; 14] = [
    "户主",
    "户主身份证号",
    "姓名",
    "与户主关系",
    "年龄",
    "身份证号",
    "劳动能力",
    "在校情况",
    "大病或慢性病",
    "重度残疾",
    "基本医疗保险",
    "低保",
    "特困供养",
    "共同生活",
];

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

fn benefit(b: fangpin_form::form::Benefit) -> &'static str {
    use fangpin_form::form::Benefit;
    match b {
        Benefit::No => "否",
        Benefit::Before => "是（今年以前）",
        Benefit::ThisYear => "是（今年新纳入）",
        Benefit::Applied => "已申请，未批",
    }
}

fn schooling(s: fangpin_core::household::Schooling) -> &'static str {
    use fangpin_core::household::Schooling;
    match s {
        Schooling::None => "不在上学",
        Schooling::Compulsory => "义务教育",
        Schooling::HighSchool => "高中或中职",
        Schooling::College => "大学或高职",
    }
}

/// The members of `records` as typed. (A record received from a villager's QR handoff has only its
/// head here: the application it carries holds the rest, and prints with them.)
pub fn members_csv(records: &[Record]) -> String {
    let mut out = String::from(csv::BOM);
    csv::row(&mut out, MEMBER_HEADER.iter().map(|h| (*h, false)));
    for r in records {
        let head_id = r.draft.apply.id_numbers.first().map(|s| s.trim().to_string()).unwrap_or_default();
        for (i, m) in r.draft.form.members.iter().enumerate() {
            let id = r.draft.apply.id_numbers.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
            let insured = match m.medical_insurance {
                Some(true) => "是",
                Some(false) => "否",
                None => "不清楚",
            };
            let relation = m.relation.label();
            // Not chosen on the form: said so, never written as "able to work".
            let labour = m.labour.map_or(fangpin_core::Text::lit("未填", "not given"), |l| l.label());
            let cells: [(&str, bool); 14] = [
                (r.head_name(), false),
                (&head_id, true),
                (m.name.trim(), false),
                (relation.get("zh"), false),
                (m.age.trim(), false),
                (&id, true),
                (labour.get("zh"), false),
                (schooling(m.schooling), false),
                (yes_no(m.serious_illness), false),
                (yes_no(m.severe_disability), false),
                (insured, false),
                (benefit(m.dibao), false),
                (benefit(m.tekun), false),
                (yes_no(m.counted), false),
            ];
            csv::row(&mut out, cells);
        }
    }
    out
}
