//! The likely category (脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户), or what to do without one
//! ([`Outcome`]): a key group is screened household by household whatever its income.

use super::explain::{FigureRef, Material, PcShown, ev, yes_no, yuan_str};
use super::income::{IncomeFacts, RigidFacts, income_fall, severe_income_fall};
use super::result::{Evidence, Outcome, Reason, Risk};
use super::risks::{RiskSet, titles};
use crate::household::Household;
use crate::policy::Profile;
use crate::text::Text;
use crate::vocabulary::{Category, ClauseKey, RiskGroup};

/// Below the range with a risk: 脱贫不稳定户 for a formerly poor household, else 边缘易致贫户.
/// Unavoidable spending above the limits, or income that fell severely: 突发严重困难户, whatever the
/// income. Without a category: a key group is visited, a household below the range tells the
/// village, risks within the limits are watched.
pub fn decide(h: &Household, p: &Profile, income: &IncomeFacts, risks: &RiskSet) -> (Option<Category>, Outcome) {
    if income.below_range && !risks.is_empty() {
        let c = if h.formerly_poor { Category::UnstableFormerlyPoor } else { Category::MarginalAtRisk };
        (Some(c), Outcome::Category)
    } else if risks.any(RiskGroup::Spending) || severe_income_fall(h, p, income) {
        (Some(Category::SuddenHardship), Outcome::Category)
    } else if risks.any(RiskGroup::KeyGroup) {
        (None, Outcome::HouseholdVisit)
    } else if income.below_range {
        (None, Outcome::BelowRange)
    } else if !risks.is_empty() {
        (None, Outcome::Watch)
    } else {
        (None, Outcome::NoRisk)
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn explain(
    category: Option<Category>,
    outcome: Outcome,
    h: &Household,
    income: &IncomeFacts,
    rigid: &RigidFacts,
    risks: &[Risk],
    p: &Profile,
    m: &Material,
) -> Reason {
    let risk_ev = || risks.iter().map(|r| ev("risks", r.code.code())).collect::<Vec<Evidence>>();
    match category {
        Some(c @ (Category::UnstableFormerlyPoor | Category::MarginalAtRisk)) => {
            let who =
                if h.formerly_poor { ("是脱贫户", "a formerly poor household") } else { ("是一般农户", "an ordinary household") };
            let (list, list_en) = titles(risks);
            let mut e = Vec::with_capacity(risks.len() + 1);
            e.push(ev("formerly_poor", yes_no(h.formerly_poor)));
            e.extend(risk_ev());
            let label = c.label();
            Reason {
                text: Text::new(
                    format!("您家{}，人均纯收入低于监测范围，并且有风险：{}。可能属于{}。", who.0, list, label.zh),
                    format!(
                        "You are {}, income is below the range, and there are risks: {}. Likely category: {}.",
                        who.1, list_en, label.en
                    ),
                ),
                evidence: e,
                clause: Some(m.clause(p, c.clause_key())),
                figures: m.figures(p, &[FigureRef::Range]),
            }
        }
        Some(Category::SuddenHardship) => sudden_hardship(h, income, rigid, risks, p, m),
        None => {
            let (text, clause, figures) = match outcome {
                Outcome::HouseholdVisit => {
                    let groups: Vec<&Risk> = risks.iter().filter(|r| r.code.is_key_group()).collect();
                    let (zh, en): (Vec<&str>, Vec<&str>) = groups.iter().map(|r| (r.title.zh.as_str(), r.title.en.as_str())).unzip();
                    let clause = groups.first().and_then(|r| r.code.clause_key()).map(|k| m.clause(p, k));
                    (
                        Text::new(
                            format!(
                                "您家是今年要逐户排查的重点群体（{}）。不管收入多少，村里都要上门核实。请把情况告诉村里：可以用下面的渠道申报，也可以直接找村干部、网格员。",
                                zh.join("、")
                            ),
                            format!(
                                "Your household is one of this year's key groups ({}): whatever its income, the village screens it household by household. Please tell the village through one of the channels below, or ask the village cadre or grid worker.",
                                en.join("; ")
                            ),
                        ),
                        clause,
                        Vec::new(),
                    )
                }
                Outcome::BelowRange => (
                    Text::lit(
                        "人均纯收入低于监测范围，但没有填写其他困难。收入低本身也值得告诉村里，请村干部上门核实。",
                        "Income is below the range but no other difficulty was entered. Please still tell the village; a cadre can visit to check.",
                    ),
                    Some(m.clause(p, ClauseKey::BelowRange)),
                    m.figures(p, &[FigureRef::Range]),
                ),
                Outcome::Watch => {
                    let (list, list_en) = titles(risks);
                    (
                        Text::new(
                            format!("有风险（{list}），但收入不低于监测范围，必要开支也没有超出标准。请留意，情况变化时再申报。"),
                            format!(
                                "There are risks ({list_en}) but income is not below the range and spending is within the limits. Apply if things change."
                            ),
                        ),
                        Some(m.clause(p, ClauseKey::BelowRange)),
                        m.figures(p, &[FigureRef::Range]),
                    )
                }
                _ => (
                    Text::lit("根据填写的情况，暂时看不出返贫致贫风险。", "From what was entered, no risk of falling into poverty shows."),
                    Some(m.clause(p, ClauseKey::BelowRange)),
                    m.figures(p, &[FigureRef::Range]),
                ),
            };
            Reason { text, evidence: risk_ev(), clause, figures }
        }
    }
}

/// 突发严重困难户, by either route, with what the village weighs: the spending, or how much income
/// was lost and what is left to live on.
fn sudden_hardship(h: &Household, income: &IncomeFacts, rigid: &RigidFacts, risks: &[Risk], p: &Profile, m: &Material) -> Reason {
    let label = Category::SuddenHardship.label();
    let spending: Vec<&Risk> = risks.iter().filter(|r| r.code.group() == RiskGroup::Spending).collect();
    let mut zh = String::new();
    let mut en = String::new();
    let mut evidence: Vec<Evidence> = spending.iter().map(|r| ev("risks", r.code.code())).collect();
    let mut figures = Vec::new();
    if !spending.is_empty() {
        let (list, list_en) = titles(risks);
        zh.push_str(&format!("您家因为看病、上学或意外等必要开支较大（{list}），基本生活可能很困难"));
        en.push_str(&format!("Large unavoidable spending ({list_en}) may make basic living hard"));
    }
    if severe_income_fall(h, p, income)
        && let Some((fall, last)) = income_fall(h, income)
    {
        let hundred = rust_decimal::Decimal::from(100);
        let share = fall
            .as_decimal()
            .checked_mul(hundred)
            .and_then(|x| x.checked_div(last.as_decimal()))
            .unwrap_or(hundred)
            .round_dp(0)
            .normalize();
        let now = PcShown(income.per_capita.map(|pc| pc.rounded()));
        let left = PcShown(rigid.per_capita_after.map(|pc| pc.rounded()));
        if !zh.is_empty() {
            zh.push('；');
            en.push_str("; ");
        }
        zh.push_str(&format!("家庭纯收入比去年少了 {fall} 元（约 {share}%），现在人均约 {now} 元"));
        en.push_str(&format!("net income fell by {fall} yuan (about {share}%) to about {now} yuan per person"));
        if rigid.total.is_positive() {
            zh.push_str(&format!("，扣除必要开支后人均只剩约 {left} 元"));
            en.push_str(&format!(", about {left} after unavoidable spending"));
        }
        zh.push_str("，收入大幅缩减，基本生活可能很困难");
        en.push_str("; such a fall may make basic living hard");
        evidence.push(ev("income_drop.last_year_net_income", yuan_str(last)));
        evidence.push(ev("income", yuan_str(income.net_total)));
        figures = m.figures(p, &[FigureRef::SuddenDropRatio]);
    }
    Reason {
        text: Text::new(
            format!("{zh}；收入高于监测范围也可以申请。可能属于{}。村里会看损失了多少、还剩多少能维持基本生活。", label.zh),
            format!(
                "{en}; this applies even above the range. Likely category: {}. The village weighs what was lost and what is left to live on.",
                label.en
            ),
        ),
        evidence,
        clause: Some(m.clause(p, ClauseKey::CategorySuddenHardship)),
        figures,
    }
}
