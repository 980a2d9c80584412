//! The likely category (脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户), or why there is none.

use super::explain::{Material, ev, yes_no};
use super::income::IncomeFacts;
use super::result::{Evidence, Reason, Risk};
use super::risks::{RiskSet, titles};
use crate::household::Household;
use crate::policy::Profile;
use crate::text::Text;
use crate::vocabulary::{Category, ClauseKey, RiskGroup};

/// Below the range with a risk: 脱贫不稳定户 for a formerly poor household, else 边缘易致贫户.
/// Unavoidable spending above the limits: 突发严重困难户, whatever the income.
pub fn decide(h: &Household, income: &IncomeFacts, risks: &RiskSet) -> Option<Category> {
    if income.below_range && !risks.is_empty() {
        Some(if h.formerly_poor { Category::UnstableFormerlyPoor } else { Category::MarginalAtRisk })
    } else if risks.any(RiskGroup::Spending) {
        Some(Category::SuddenHardship)
    } else {
        None
    }
}

pub(super) fn explain(
    category: Option<Category>,
    h: &Household,
    income: &IncomeFacts,
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
                clause: Some(m.clause(
                    p,
                    if c == Category::UnstableFormerlyPoor {
                        ClauseKey::CategoryUnstableFormerlyPoor
                    } else {
                        ClauseKey::CategoryMarginalAtRisk
                    },
                )),
            }
        }
        Some(Category::SuddenHardship) => {
            let (list, list_en) = titles(risks);
            let label = Category::SuddenHardship.label();
            Reason {
                text: Text::new(
                    format!(
                        "您家因为看病、上学或意外等必要开支较大（{}），基本生活可能很困难；收入高于监测范围也可以申请。可能属于{}。",
                        list, label.zh
                    ),
                    format!(
                        "Large unavoidable spending ({}) may make basic living hard; this applies even above the range. Likely category: {}.",
                        list_en, label.en
                    ),
                ),
                evidence: risk_ev(),
                clause: Some(m.clause(p, ClauseKey::CategorySuddenHardship)),
            }
        }
        None => {
            let text = if income.below_range {
                Text::lit(
                    "人均纯收入低于监测范围，但没有填写其他困难。收入低本身也值得告诉村里，请村干部上门核实。",
                    "Income is below the range but no other difficulty was entered. Please still tell the village; a cadre can visit to check.",
                )
            } else if !risks.is_empty() {
                let (list, list_en) = titles(risks);
                Text::new(
                    format!("有风险（{list}），但收入不低于监测范围，必要开支也没有超出标准。请留意，情况变化时再申报。"),
                    format!(
                        "There are risks ({list_en}) but income is not below the range and spending is within the limits. Apply if things change."
                    ),
                )
            } else {
                Text::lit("根据填写的情况，暂时看不出返贫致贫风险。", "From what was entered, no risk of falling into poverty shows.")
            };
            Reason { text, evidence: risk_ev(), clause: Some(m.clause(p, ClauseKey::BelowRange)) }
        }
    }
}
