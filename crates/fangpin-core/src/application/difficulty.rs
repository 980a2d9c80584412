//! The drafted 困难情况说明: one plain sentence per risk, then the income line.

use crate::assessment::Assessment;
use crate::date::Date;
use crate::household::{Household, Member, OutOfSchoolReason, RigidExpenseKind};
use crate::text::Text;
use crate::vocabulary::RiskCode;

fn names_where(h: &Household, f: impl Fn(&Member) -> bool) -> String {
    h.members.iter().filter(|m| f(m)).map(|m| m.name.trim()).filter(|n| !n.is_empty()).collect::<Vec<_>>().join("、")
}

fn descriptions(h: &Household, f: impl Fn(RigidExpenseKind) -> bool) -> String {
    h.rigid_expenses.iter().filter(|e| f(e.kind)).map(|e| e.description.trim()).filter(|d| !d.is_empty()).collect::<Vec<_>>().join("；")
}

fn with_paren(zh: &mut String, en: &mut String, extra: &str) {
    if !extra.is_empty() {
        zh.push_str(&format!("（{extra}）"));
        en.push_str(&format!(" ({extra})"));
    }
}

/// The drafted 困难情况说明: one plain sentence per risk, then the income line.
pub fn draft_difficulty(h: &Household, a: &Assessment, date: Date) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut water_done = false;
    for r in &a.risks {
        let (mut z, mut e): (String, String) = match r.code {
            RiskCode::HousingUnsafe => ("我家住房是危房，住着不安全".into(), "Our house is unsafe (grade C or D)".into()),
            RiskCode::WaterQuality | RiskCode::WaterQuantity | RiskCode::WaterAccess | RiskCode::WaterSupply => {
                if water_done {
                    continue;
                }
                water_done = true;
                let titles: Vec<&crate::assessment::Risk> = a
                    .risks
                    .iter()
                    .filter(|x| {
                        matches!(x.code, RiskCode::WaterQuality | RiskCode::WaterQuantity | RiskCode::WaterAccess | RiskCode::WaterSupply)
                    })
                    .collect();
                (
                    format!("家里吃水有困难：{}", titles.iter().map(|x| x.title.zh.as_str()).collect::<Vec<_>>().join("，")),
                    format!(
                        "We have a drinking-water problem: {}",
                        titles.iter().map(|x| x.title.en.to_ascii_lowercase()).collect::<Vec<_>>().join(", ")
                    ),
                )
            }
            RiskCode::MedicalUninsured => {
                let n = names_where(h, |m| m.medical_insurance == Some(false));
                let (mut z, mut e) = ("有家人还没有参加医保".to_string(), "A family member has no basic medical insurance".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            RiskCode::EducationDropout => {
                let n = names_where(h, |m| m.out_of_school.is_some_and(|r| r != OutOfSchoolReason::Health));
                let (mut z, mut e) = ("有适龄孩子失学辍学".to_string(), "A school-age child is out of school".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            RiskCode::SeriousIllness => {
                let n = names_where(h, |m| m.serious_illness);
                let (mut z, mut e) = ("家里有人患大病或慢性病".to_string(), "A family member has a serious or chronic illness".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            RiskCode::MedicalSpendingHigh => {
                let d = descriptions(h, |k| k.is_medical());
                let amt = a.rigid_spending.medical.display_yuan();
                let (mut z, mut e) = (format!("看病花费大，自付 {amt} 元"), format!("Medical bills are high: {amt} yuan out of pocket"));
                with_paren(&mut z, &mut e, &d);
                (z, e)
            }
            RiskCode::EducationSpendingHigh => {
                let d = descriptions(h, |k| k.is_schooling());
                let amt = a.rigid_spending.schooling.display_yuan();
                let (mut z, mut e) =
                    (format!("孩子上学费用高，自付 {amt} 元"), format!("Schooling costs are high: {amt} yuan out of pocket"));
                with_paren(&mut z, &mut e, &d);
                (z, e)
            }
            RiskCode::RigidSpendingHeavy => {
                let total = a.rigid_spending.total.display_yuan();
                match a.rigid_spending.per_capita_after {
                    Some(pc) => {
                        let after = pc.rounded().display_yuan();
                        (
                            format!("看病、上学、受灾等必要开支共 {total} 元，扣除后每人每年只剩 {after} 元，基本生活困难"),
                            format!("Unavoidable spending of {total} yuan leaves {after} yuan per person a year; basic living is hard"),
                        )
                    }
                    None => (
                        format!("必要开支共 {total} 元，基本生活困难"),
                        format!("Unavoidable spending of {total} yuan makes basic living hard"),
                    ),
                }
            }
            RiskCode::IncomeDrop | RiskCode::JobLost | RiskCode::BusinessFailed => {
                let (mut z, mut e) = match r.code {
                    RiskCode::JobLost => (
                        "家里有人失业或务工不稳定，收入减少".to_string(),
                        "A member lost work or has unstable work; income fell".to_string(),
                    ),
                    RiskCode::BusinessFailed => {
                        ("种养或生意失败，收入减少".to_string(), "Farming or business failed; income fell".to_string())
                    }
                    _ => match &h.income_drop {
                        Some(d) => (
                            format!(
                                "家庭收入比去年明显下降（去年 {} 元，近12个月 {} 元）",
                                d.last_year_net_income.display_yuan(),
                                a.income.net_total.display_yuan()
                            ),
                            format!(
                                "Household income fell sharply ({} yuan last year, {} yuan in the last 12 months)",
                                d.last_year_net_income.display_yuan(),
                                a.income.net_total.display_yuan()
                            ),
                        ),
                        None => ("家庭收入明显下降".to_string(), "Household income fell sharply".to_string()),
                    },
                };
                if (r.code != RiskCode::IncomeDrop
                    || !a.risks.iter().any(|x| x.code == RiskCode::JobLost || x.code == RiskCode::BusinessFailed))
                    && let Some(d) = &h.income_drop
                {
                    with_paren(&mut z, &mut e, d.description.trim());
                }
                (z, e)
            }
            RiskCode::KeyGroupNewDibao => ("今年家里有人新纳入低保".into(), "A member came onto dibao this year".into()),
            RiskCode::KeyGroupNewTekun => ("今年家里有人新纳入特困供养".into(), "A member came onto tekun support this year".into()),
            RiskCode::KeyGroupNewSevereDisability => {
                let n = names_where(h, |m| m.severe_disability && m.severe_disability_since.is_some_and(|d| d.year() == date.year()));
                let (mut z, mut e) = ("今年家里新增重度残疾人".to_string(), "A member became severely disabled this year".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            RiskCode::KeyGroupNotIncludedBefore => {
                ("以前申报或被预警过，但没有纳入监测".into(), "We applied or were flagged before but were not included".into())
            }
        };
        z.push('。');
        e.push('.');
        zh.push(z);
        en.push(e);
    }
    let n = a.income.members_counted;
    let net = a.income.net_total.display_yuan();
    let range = a.monitoring_range.amount.display_yuan();
    match a.per_capita_net_income {
        Some(pc) => {
            let pcs = pc.rounded().display_yuan();
            let (bz, be) = if a.below_range { ("低于", "below") } else { ("不低于", "not below") };
            zh.push(format!("全家 {n} 口人，近12个月家庭纯收入 {net} 元，人均 {pcs} 元，{bz}监测范围 {range} 元。"));
            en.push(format!(
                "{n} people; net income {net} yuan in the last 12 months, {pcs} yuan per person, {be} the monitoring range of {range} yuan."
            ));
        }
        None => {
            zh.push(format!("近12个月家庭纯收入 {net} 元。"));
            en.push(format!("Net income {net} yuan in the last 12 months."));
        }
    }
    if a.risks.is_empty() {
        zh.push("（请写明家里遇到的困难。）".into());
        en.push("(Please describe the difficulty.)".into());
    }
    Text::new(zh.join(""), en.join(" "))
}
