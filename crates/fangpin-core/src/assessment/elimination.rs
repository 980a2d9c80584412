//! 风险消除, for a household already monitored: income stable long enough and above the range,
//! large spending resolved, the 三保障 and water secured — or the risk gone by itself — and never for
//! a no-labour household on the safety net (it stays monitored).

use std::sync::Arc;

use super::explain::{FigureRef, Material, MemberField, ev, member_path, yes_no};
use super::income::{IncomeFacts, Shown};
use super::labour::LabourFacts;
use super::result::{EliminationCheck, EliminationCheckCode, Risk, RiskElimination};
use super::risks::RiskSet;
use crate::date::Date;
use crate::household::{Household, Monitoring};
use crate::policy::Profile;
use crate::text::{Str, Text};
use crate::vocabulary::{ClauseKey, RiskCode, RiskGroup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EliminationFacts {
    /// Whole months of stable income (None: no date given).
    pub stable_months: Option<u32>,
    pub income_stable: bool,
    pub income_above_range: bool,
    pub spending_resolved: bool,
    pub guarantees_secured: bool,
    /// The risk went away by itself and no risk shows now.
    pub gone_naturally: bool,
    /// 整户无劳动能力 on 低保 or 特困: not marked risk-eliminated.
    pub no_labour_safety_net: bool,
    pub allowed: bool,
}

/// The risks that count as "large spending or a sharp income drop not yet resolved".
fn unresolved_spending(c: RiskCode) -> bool {
    c.group() == RiskGroup::Spending || c == RiskCode::IncomeDrop
}

pub fn decide(
    mon: &Monitoring,
    h: &Household,
    p: &Profile,
    as_of: Date,
    income: &IncomeFacts,
    risks: &RiskSet,
    labour: &LabourFacts,
) -> EliminationFacts {
    let stable_months = mon.income_stable_since.map(|d| d.whole_months_until(as_of));
    let income_stable = stable_months.is_some_and(|m| m >= p.category_rules.elimination_min_stable_months.value);
    let income_above_range = income.per_capita.is_some_and(|pc| pc.cmp_amount(p.monitoring_range.amount) == std::cmp::Ordering::Greater);
    let spending_resolved = !RiskCode::ALL.iter().any(|c| unresolved_spending(*c) && risks.contains(*c));
    let guarantees_secured = !risks.any(RiskGroup::Guarantee);
    let gone_naturally = mon.risk_gone_naturally && risks.is_empty();
    let no_labour_safety_net = labour.no_labour && h.members.iter().any(|m| m.counted && m.on_safety_net(as_of));
    let allowed =
        !no_labour_safety_net && ((income_stable && income_above_range && spending_resolved && guarantees_secured) || gone_naturally);
    EliminationFacts {
        stable_months,
        income_stable,
        income_above_range,
        spending_resolved,
        guarantees_secured,
        gone_naturally,
        no_labour_safety_net,
        allowed,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn explain(
    f: &EliminationFacts,
    mon: &Monitoring,
    h: &Household,
    p: &Profile,
    as_of: Date,
    risks: &[Risk],
    labour: &LabourFacts,
    shown: &Shown,
    m: &Material,
) -> RiskElimination {
    let min = p.category_rules.elimination_min_stable_months.value;
    let c_elim = m.clause(p, ClauseKey::RiskElimination);
    let risks_where = |pred: &dyn Fn(RiskCode) -> bool| risks.iter().filter(|r| pred(r.code)).map(|r| ev("risks", r.code.code())).collect();
    let (pc, range) = (&shown.per_capita, &shown.range);
    let mut checks = vec![
        EliminationCheck {
            code: EliminationCheckCode::IncomeStable,
            met: f.income_stable,
            text: match f.stable_months {
                Some(n) => Text::new(
                    format!("收入已稳定 {n} 个月，要求至少 {min} 个月。"),
                    format!("Income stable for {n} months; at least {min} needed."),
                ),
                None => Text::new(
                    format!("没有填写收入从什么时候开始稳定，要求至少 {min} 个月。"),
                    format!("No date given for stable income; at least {min} months needed."),
                ),
            },
            evidence: vec![ev(
                "monitoring.income_stable_since",
                mon.income_stable_since.map(|d| Str::from(d.to_string())).unwrap_or_default(),
            )],
            clause: m
                .stable_months_clause
                .get_or_init(|| {
                    Arc::new(super::explain::clause_ref(
                        p,
                        "category_rules.elimination_min_stable_months",
                        &p.category_rules.elimination_min_stable_months.provenance,
                    ))
                })
                .clone(),
            figures: Vec::new(),
        },
        EliminationCheck {
            code: EliminationCheckCode::IncomeAboveRange,
            met: f.income_above_range,
            text: Text::new(
                format!("人均纯收入约 {pc} 元，要高于监测范围 {range} 元。"),
                format!("Per-capita income about {pc} yuan must be above the range of {range} yuan."),
            ),
            evidence: vec![ev("income", shown.net.clone()), ev("members[counted]", shown.counted.clone())],
            clause: c_elim.clone(),
            figures: m.figures(p, &[FigureRef::Range]),
        },
        EliminationCheck {
            code: EliminationCheckCode::SpendingResolved,
            met: f.spending_resolved,
            text: if f.spending_resolved {
                Text::lit("没有过大的必要开支，收入也没有明显下降。", "No excessive unavoidable spending and no sharp income drop.")
            } else {
                Text::lit(
                    "必要开支过大或收入明显下降的问题还没有解决。",
                    "Large unavoidable spending or a sharp income drop is not yet resolved.",
                )
            },
            evidence: risks_where(&unresolved_spending),
            clause: c_elim.clone(),
            figures: Vec::new(),
        },
        EliminationCheck {
            code: EliminationCheckCode::GuaranteesSecured,
            met: f.guarantees_secured,
            text: if f.guarantees_secured {
                Text::lit("住房、医保、上学和饮水都有保障。", "Housing, medical insurance, schooling and water are secured.")
            } else {
                Text::lit("住房、医保、上学或饮水还有问题。", "Housing, medical insurance, schooling or water still has a problem.")
            },
            evidence: risks_where(&|c| c.group() == RiskGroup::Guarantee),
            clause: c_elim.clone(),
            figures: Vec::new(),
        },
    ];
    if mon.risk_gone_naturally {
        checks.push(EliminationCheck {
            code: EliminationCheckCode::RiskGoneNaturally,
            met: f.gone_naturally,
            text: if f.gone_naturally {
                Text::lit("风险已经自然消除，现在也没有新的风险。", "The risk went away by itself and no new risk shows.")
            } else {
                Text::lit("填写了风险已自然消除，但现在还有风险。", "The risk is said to have gone, but risks still show.")
            },
            evidence: vec![ev("monitoring.risk_gone_naturally", "true")],
            clause: c_elim.clone(),
            figures: Vec::new(),
        });
    }
    let blocked = f.no_labour_safety_net;
    let mut evidence = vec![ev("whole_household_no_labour", yes_no(labour.no_labour))];
    evidence.extend(
        h.members.iter().enumerate().filter(|(_, x)| x.counted && x.on_safety_net(as_of)).map(|(i, x)| {
            ev(member_path(i, if x.dibao_since.is_some() { MemberField::DibaoSince } else { MemberField::TekunSince }), "set")
        }),
    );
    checks.push(EliminationCheck {
        code: EliminationCheckCode::NotNoLabourSafetyNet,
        met: !blocked,
        text: if blocked {
            Text::lit(
                "全家都没有劳动能力，并且享受低保或特困供养（兜底保障），按规定暂不标注风险消除，继续监测。",
                "No one can work and the household is covered by dibao or tekun: by the rule it is not marked risk-eliminated and stays monitored.",
            )
        } else {
            Text::lit("不是整户无劳动能力兜底保障户。", "Not a no-labour household on safety-net cover.")
        },
        evidence,
        clause: m.clause(p, ClauseKey::NoLabourSafetyNet),
            figures: Vec::new(),
        });
    RiskElimination {
        allowed: f.allowed,
        summary: if f.allowed {
            Text::lit(
                "符合风险消除的条件，由村、乡镇核实后标注。",
                "Meets the conditions for risk elimination; the village and township confirm.",
            )
        } else {
            Text::lit("暂时还不能标注风险消除，原因见下面。", "Cannot be marked risk-eliminated yet; see the reasons below.")
        },
        reasons: checks,
    }
}
