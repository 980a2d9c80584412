//! The quantitative spending triggers of a profile (住院自付, 门诊自付, a share of a reference income,
//! non-compulsory schooling): when each fires, and its rule in words for the household's group.

use crate::assessment::income::RigidFacts;
use crate::assessment::result::Evidence;
use crate::household::{Household, RigidExpenseKind};
use crate::money::Money;
use crate::policy::{SpendingTrigger, TriggerKind};
use crate::text::Text;
use crate::vocabulary::RiskCode;

use super::super::explain::{ev, pct};

/// The risk a trigger names.
pub fn code(t: &SpendingTrigger) -> RiskCode {
    match t.kind {
        TriggerKind::SchoolingNonCompulsory => RiskCode::EducationSpendingHigh,
        _ => RiskCode::MedicalSpendingHigh,
    }
}

/// The amount above which it fires for the household's group (`priority`: formerly poor or
/// monitored). None when the profile gives no figure for the group: then it never fires for it.
fn limit(t: &SpendingTrigger, priority: bool) -> Option<Money> {
    match t.kind {
        TriggerKind::MedicalAnnualRatio => {
            let ratio = if priority { t.ratio_formerly_poor_or_monitored } else { t.ratio_others };
            Some(t.reference_amount?.times_ratio(ratio?))
        }
        _ => {
            if priority {
                t.amount_formerly_poor_or_monitored
            } else {
                t.amount_others
            }
        }
    }
}

fn over_inpatient(h: &Household, limit: Money) -> impl Iterator<Item = (usize, Money)> + '_ {
    h.rigid_expenses
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.kind == RigidExpenseKind::MedicalInpatient && e.amount > limit)
        .map(|(i, e)| (i, e.amount))
}

pub fn fires(t: &SpendingTrigger, h: &Household, r: &RigidFacts, priority: bool) -> bool {
    let Some(limit) = limit(t, priority) else { return false };
    match t.kind {
        TriggerKind::MedicalInpatientStay => over_inpatient(h, limit).next().is_some(),
        TriggerKind::MedicalOutpatientMonthly => r.outpatient > limit.times(12),
        TriggerKind::MedicalAnnualRatio => r.medical > limit,
        TriggerKind::SchoolingNonCompulsory => r.non_compulsory_schooling > limit,
    }
}

/// What a fired trigger rests on: the stays over the limit, or the total it compared.
pub fn evidence(t: &SpendingTrigger, h: &Household, r: &RigidFacts, priority: bool) -> Vec<Evidence> {
    match t.kind {
        TriggerKind::MedicalInpatientStay => {
            let limit = limit(t, priority).unwrap_or(Money::ZERO);
            over_inpatient(h, limit).map(|(i, amount)| ev(format!("rigid_expenses[{i}].amount"), amount.display_yuan())).collect()
        }
        TriggerKind::MedicalOutpatientMonthly => vec![ev("rigid_expenses[kind=medical_outpatient]", r.outpatient.display_yuan())],
        TriggerKind::MedicalAnnualRatio => vec![ev("rigid_expenses[kind=medical_*]", r.medical.display_yuan())],
        TriggerKind::SchoolingNonCompulsory => {
            vec![ev("rigid_expenses[kind=schooling_non_compulsory]", r.non_compulsory_schooling.display_yuan())]
        }
    }
}

/// The rule of a spending trigger in words, for one group of households (None when the profile gives
/// no figure for that group, in which case the trigger never fires for it).
pub fn rule(t: &SpendingTrigger, priority: bool) -> Option<Text> {
    let group = if priority {
        Text::lit("脱贫户和监测对象", "formerly poor and monitored households")
    } else {
        Text::lit("其他农户", "other households")
    };
    let amount = if priority { t.amount_formerly_poor_or_monitored } else { t.amount_others };
    let ratio = if priority { t.ratio_formerly_poor_or_monitored } else { t.ratio_others };
    Some(match t.kind {
        TriggerKind::MedicalInpatientStay => {
            let limit = amount?;
            Text::new(
                format!("一次住院自付超过 {} 元（{}的标准）。", limit.short(), group.zh),
                format!("One hospital stay's out-of-pocket cost above {} yuan (the figure for {}).", limit.short(), group.en),
            )
        }
        TriggerKind::MedicalOutpatientMonthly => {
            let limit = amount?;
            Text::new(
                format!("门诊自付平均每月超过 {} 元，也就是一年超过 {} 元（{}的标准）。", limit.short(), limit.times(12).short(), group.zh),
                format!(
                    "Outpatient out-of-pocket above {} yuan a month, i.e. {} a year (the figure for {}).",
                    limit.short(),
                    limit.times(12).short(),
                    group.en
                ),
            )
        }
        TriggerKind::MedicalAnnualRatio => {
            let (r, reference) = (ratio?, t.reference_amount?);
            let limit = reference.times_ratio(r);
            let refname = t.reference_name.clone().unwrap_or_else(|| Text::lit("参照收入", "the reference income"));
            Text::new(
                format!(
                    "一年看病自付超过{}（{} 元）的 {}%，即 {} 元（{}的标准）。",
                    refname.zh,
                    reference.short(),
                    pct(r),
                    limit.display_yuan(),
                    group.zh
                ),
                format!(
                    "Yearly medical out-of-pocket above {}% of {} ({} yuan), i.e. {} (the figure for {}).",
                    pct(r),
                    refname.en,
                    reference.short(),
                    limit.display_yuan(),
                    group.en
                ),
            )
        }
        TriggerKind::SchoolingNonCompulsory => {
            let limit = amount?;
            Text::new(
                format!("非义务教育阶段一年上学自付超过 {} 元（{}的标准）。", limit.short(), group.zh),
                format!(
                    "Schooling out-of-pocket outside compulsory education above {} yuan a year (the figure for {}).",
                    limit.short(),
                    group.en
                ),
            )
        }
    })
}
