//! 家庭纯收入 and 刚性支出: what the household earned, what its farming and business cost, what is
//! counted, per person, against the monitoring range; and the unavoidable spending beside it.

use std::sync::Arc;

use super::explain::{FigureSlot, Material, PcShown, ev, number, yuan_str};
use super::result::{ExcludedItem, IncomeBreakdown, KindTotal, RangeInfo, Reason, RigidSpending};
use crate::household::{Household, IncomeItem, IncomeKind, RigidExpenseKind};
use crate::money::{Money, PerCapita};
use crate::policy::Profile;
use crate::text::Text;
use crate::vocabulary::ClauseKey;

/// The household's income as the rules count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomeFacts {
    /// Per kind (wage, business, property, transfer), excluded payments left out.
    pub by_kind: [Money; 4],
    pub items: [u32; 4],
    pub gross: Money,
    pub business_costs: Money,
    /// gross − business costs (exact).
    pub net_total: Money,
    pub members_listed: u32,
    pub members_counted: u32,
    /// Exact: net total ÷ members counted (None when no member is counted).
    pub per_capita: Option<PerCapita>,
    /// Strictly below the range (“低于”); equal is not below.
    pub below_range: bool,
}

/// The unavoidable spending of the last 12 months, out of pocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RigidFacts {
    pub medical: Money,
    pub outpatient: Money,
    pub schooling: Money,
    pub non_compulsory_schooling: Money,
    pub other: Money,
    pub total: Money,
    /// (net income − rigid spending) ÷ members, exact.
    pub per_capita_after: Option<PerCapita>,
    pub below_range_after: bool,
}

fn kind_idx(k: IncomeKind) -> usize {
    match k {
        IncomeKind::Wage => 0,
        IncomeKind::Business => 1,
        IncomeKind::Property => 2,
        IncomeKind::Transfer => 3,
    }
}

/// The profile's exclusion that leaves this payment out of income (抚恤金 and the like), if any.
fn exclusion_of(it: &IncomeItem, p: &Profile) -> Option<usize> {
    let code = it.item.as_deref()?;
    p.income_exclusions.iter().position(|x| x.code == code)
}

pub fn decide(h: &Household, p: &Profile) -> IncomeFacts {
    let mut by_kind = [Money::ZERO; 4];
    let mut items = [0u32; 4];
    for it in h.income.iter().filter(|it| exclusion_of(it, p).is_none()) {
        let k = kind_idx(it.kind);
        by_kind[k] = by_kind[k].saturating_add(it.amount);
        items[k] += 1;
    }
    let gross = by_kind.iter().fold(Money::ZERO, |a, b| a.saturating_add(*b));
    let business_costs = h.business_costs.iter().fold(Money::ZERO, |a, c| a.saturating_add(c.amount));
    let net_total = gross.saturating_sub(business_costs);
    let members_counted = h.members.iter().filter(|m| m.counted).count() as u32;
    let per_capita = PerCapita::new(net_total, members_counted);
    IncomeFacts {
        by_kind,
        items,
        gross,
        business_costs,
        net_total,
        members_listed: h.members.len() as u32,
        members_counted,
        per_capita,
        below_range: per_capita.is_some_and(|pc| pc.is_below(p.monitoring_range.amount)),
    }
}

pub fn decide_rigid(h: &Household, p: &Profile, income: &IncomeFacts) -> RigidFacts {
    let (mut medical, mut outpatient, mut schooling, mut non_compulsory, mut other) =
        (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO);
    for e in &h.rigid_expenses {
        if e.kind.is_medical() {
            medical = medical.saturating_add(e.amount);
            if e.kind == RigidExpenseKind::MedicalOutpatient {
                outpatient = outpatient.saturating_add(e.amount);
            }
        } else if e.kind.is_schooling() {
            schooling = schooling.saturating_add(e.amount);
            if e.kind == RigidExpenseKind::SchoolingNonCompulsory {
                non_compulsory = non_compulsory.saturating_add(e.amount);
            }
        } else {
            other = other.saturating_add(e.amount);
        }
    }
    let total = medical.saturating_add(schooling).saturating_add(other);
    let per_capita_after = PerCapita::new(income.net_total.saturating_sub(total), income.members_counted);
    RigidFacts {
        medical,
        outpatient,
        schooling,
        non_compulsory_schooling: non_compulsory,
        other,
        total,
        per_capita_after,
        below_range_after: per_capita_after.is_some_and(|pc| pc.is_below(p.monitoring_range.amount)),
    }
}

/// How much net income fell from last year (and last year's), when a fall was entered and there is one.
pub fn income_fall(h: &Household, f: &IncomeFacts) -> Option<(Money, Money)> {
    let d = h.income_drop.as_ref()?;
    let last = d.last_year_net_income;
    (last.is_positive() && f.net_total < last).then(|| (last.saturating_sub(f.net_total), last))
}

/// 收入大幅缩减: income fell by at least the profile's share of last year's (compared exactly) —
/// one of the two routes into 突发严重困难户, whatever the income now.
pub fn severe_income_fall(h: &Household, p: &Profile, f: &IncomeFacts) -> bool {
    income_fall(h, f).is_some_and(|(fall, last)| fall >= last.times_ratio(p.category_rules.sudden_hardship_income_drop_ratio.value))
}

/// How the per-capita figure was made, with every excluded payment and its clause.
pub(super) fn explain(f: &IncomeFacts, h: &Household, p: &Profile, m: &Material) -> IncomeBreakdown {
    let excluded = h
        .income
        .iter()
        .enumerate()
        .filter_map(|(i, it)| {
            let xi = exclusion_of(it, p)?;
            let (clause, reason) = m.exclusions[xi]
                .get_or_init(|| {
                    let x = &p.income_exclusions[xi];
                    (
                        Arc::new(super::explain::clause_ref(p, &format!("income_exclusions.{}", x.code), &x.provenance)),
                        Text::new(format!("{}不计入家庭收入。", x.name.zh), format!("{} is not counted as income.", x.name.en))
                            .into_shared(),
                    )
                })
                .clone();
            Some(ExcludedItem { field: format!("income[{i}]"), label: it.label.clone(), amount: it.amount, reason, clause })
        })
        .collect();
    let (gross, costs, net, counted) = (f.gross, f.business_costs, f.net_total, f.members_counted);
    IncomeBreakdown {
        by_kind: IncomeKind::ALL
            .iter()
            .map(|k| KindTotal { kind: *k, label: k.label(), amount: f.by_kind[kind_idx(*k)], items: f.items[kind_idx(*k)] })
            .collect(),
        gross,
        business_costs: costs,
        excluded,
        net_total: net,
        members_listed: f.members_listed,
        members_counted: counted,
        members_not_counted: h.members.iter().enumerate().filter(|(_, m)| !m.counted).map(|(i, _)| i).collect(),
        how: Text::new(
            format!(
                "四类收入合计 {gross} 元，减去生产经营支出 {costs} 元，得到家庭纯收入 {net} 元；按 {counted} 位同住、共同生活的家庭成员平均。"
            ),
            format!(
                "Income of the four kinds {gross} minus business costs {costs} gives net income {net}; divided among {counted} members who live and share income together."
            ),
        ),
        clause: m.clause(p, ClauseKey::PerCapitaIncome),
    }
}

/// The monitoring range used, with its status and clause.
pub(super) fn range_info(p: &Profile, m: &Material) -> RangeInfo {
    RangeInfo {
        amount: p.monitoring_range.amount,
        basis: p.monitoring_range.basis.clone(),
        provisional: p.monitoring_range.provenance.provisional,
        screen_note: p.monitoring_range.screen_note.clone(),
        clause: m
            .range_clause
            .get_or_init(|| Arc::new(super::explain::clause_ref(p, "monitoring_range", &p.monitoring_range.provenance)))
            .clone(),
    }
}

/// The figures quoted in many explanations, formatted once per assessment.
pub(super) struct Shown {
    /// The range, short (`10560`).
    pub range: crate::text::Str,
    pub per_capita: PcShown,
    pub net: crate::text::Str,
    pub counted: crate::text::Str,
}

pub(super) fn shown(f: &IncomeFacts, p: &Profile, m: &Material) -> Shown {
    Shown {
        range: m.figure(FigureSlot::RangeShown, || p.monitoring_range.amount.display_yuan()),
        per_capita: PcShown(f.per_capita.map(|pc| pc.rounded())),
        net: yuan_str(f.net_total),
        counted: number(f.members_counted),
    }
}

/// Why the household is (not) below the range.
pub(super) fn below_range_reason(f: &IncomeFacts, s: &Shown, p: &Profile, m: &Material) -> Reason {
    let (pc, range) = (&s.per_capita, &s.range);
    Reason {
        text: match (f.per_capita, f.below_range) {
            (None, _) => Text::lit("没有可以计算的家庭成员，算不出人均收入。", "No member is counted, so there is no per-capita figure."),
            (Some(_), true) => Text::new(
                format!("家庭年人均纯收入约 {pc} 元，低于监测范围 {range} 元。"),
                format!("Per-capita net income is about {pc} yuan, below the monitoring range of {range} yuan."),
            ),
            (Some(_), false) => Text::new(
                format!("家庭年人均纯收入约 {pc} 元，不低于监测范围 {range} 元（正好相等也不算低于）。"),
                format!("Per-capita net income is about {pc} yuan, not below the range of {range} yuan (equal is not below)."),
            ),
        },
        evidence: vec![ev("income", s.net.clone()), ev("members[counted]", s.counted.clone())],
        clause: Some(m.clause(p, ClauseKey::BelowRange)),
        figures: m.figures(p, &[super::explain::FigureRef::Range]),
    }
}

pub(super) fn explain_rigid(r: &RigidFacts) -> RigidSpending {
    RigidSpending {
        total: r.total,
        medical: r.medical,
        schooling: r.schooling,
        other: r.other,
        per_capita_after: r.per_capita_after,
        below_range_after: r.below_range_after,
    }
}
