//! The help that fits (帮扶措施): each of the profile's measures whose conditions the household meets,
//! and — the seed's "不能一兜了之" — development-type help added for a household that can work when
//! only the safety net would be listed.

use std::sync::Arc;

use super::explain::{Material, reason_part};
use super::labour::LabourFacts;
use super::result::MatchedMeasure;
use super::risks::RiskSet;
use crate::household::{Household, LabourCapacity};
use crate::policy::{Measure, MeasureKind, Profile};
use crate::text::Text;
use crate::vocabulary::{Category, ClauseKey, RiskCode};

/// The measures listed, by their index in the profile (a profile has at most 64 measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MeasureSet {
    /// Matched by their own conditions.
    pub matched: u64,
    /// Added because the household can work and only the safety net matched.
    pub development_first: u64,
}

impl MeasureSet {
    pub fn is_empty(&self) -> bool {
        self.matched == 0 && self.development_first == 0
    }
}

/// Why a measure fits: the parts of its conditions that held (None: it does not fit).
struct Why {
    labour: Option<LabourCapacity>,
    category: Option<Category>,
    risk: Option<RiskCode>,
    schooling: bool,
    no_labour: bool,
    formerly_poor: bool,
}

struct Facts<'a> {
    h: &'a Household,
    p: &'a Profile,
    category: Option<Category>,
    risks: &'a RiskSet,
    labour: &'a LabourFacts,
}

fn why(ms: &Measure, x: &Facts) -> Option<Why> {
    let e = &ms.eligibility;
    let h = x.h;
    if e.requires_monitoring_or_category && x.category.is_none() && h.monitoring.is_none() {
        return None;
    }
    let labour = if e.labour_any_of.is_empty() {
        None
    } else {
        Some(h.members.iter().find(|m| m.counted && e.labour_any_of.contains(&m.labour))?.labour)
    };
    let category = if e.categories_any_of.is_empty() { None } else { Some(x.category.filter(|c| e.categories_any_of.contains(c))?) };
    let risk = if e.risks_any_of.is_empty() { None } else { Some(x.risks.iter(x.p).map(|(c, _)| c).find(|c| e.risks_any_of.contains(c))?) };
    let schooling = !e.schooling_any_of.is_empty();
    if schooling && !h.members.iter().any(|m| e.schooling_any_of.contains(&m.schooling)) {
        return None;
    }
    if e.whole_household_no_labour.is_some_and(|want| want != x.labour.no_labour) {
        return None;
    }
    if e.formerly_poor.is_some_and(|want| want != h.formerly_poor) {
        return None;
    }
    Some(Why {
        labour,
        category,
        risk,
        schooling,
        no_labour: e.whole_household_no_labour == Some(true),
        formerly_poor: e.formerly_poor == Some(true),
    })
}

/// The first member who can work and whose labour the development measure names.
fn development_member(ms: &Measure, h: &Household) -> Option<LabourCapacity> {
    h.members.iter().find(|m| m.counted && m.labour.can_work() && ms.eligibility.labour_any_of.contains(&m.labour)).map(|m| m.labour)
}

pub fn decide(h: &Household, p: &Profile, category: Option<Category>, risks: &RiskSet, labour: &LabourFacts) -> MeasureSet {
    let x = Facts { h, p, category, risks, labour };
    let mut set = MeasureSet::default();
    for (i, ms) in p.measures.iter().enumerate().take(64) {
        if why(ms, &x).is_some() {
            set.matched |= 1 << i;
        }
    }
    let any_development =
        p.measures.iter().enumerate().take(64).any(|(i, ms)| set.matched & (1 << i) != 0 && ms.kind == MeasureKind::Development);
    if labour.can_work && set.matched != 0 && !any_development {
        for (i, ms) in p.measures.iter().enumerate().take(64) {
            if ms.kind == MeasureKind::Development && development_member(ms, h).is_some() {
                set.development_first |= 1 << i;
            }
        }
    }
    set
}

fn matched(ms: &Measure, reason: Text, clause: Arc<super::result::ClauseRef>) -> MatchedMeasure {
    MatchedMeasure {
        id: ms.id.clone(),
        kind: ms.kind,
        title: ms.title.clone(),
        summary: ms.summary.clone(),
        office: ms.office.clone(),
        phone: ms.phone.clone(),
        reason,
        clause,
    }
}

pub(super) fn explain(
    set: &MeasureSet,
    h: &Household,
    p: &Profile,
    category: Option<Category>,
    risks: &RiskSet,
    labour: &LabourFacts,
    m: &Material,
) -> Vec<MatchedMeasure> {
    let x = Facts { h, p, category, risks, labour };
    let mut out = Vec::new();
    for (i, ms) in p.measures.iter().enumerate().take(64).filter(|(i, _)| set.matched & (1 << i) != 0) {
        let Some(w) = why(ms, &x) else { continue };
        let (mut zh, mut en) = (String::new(), String::new());
        if let Some(l) = w.labour.map(|l| l.label()) {
            reason_part(&mut zh, &mut en, format_args!("家里有{}的成员", l.zh), format_args!("a member is {}", l.en));
        }
        if let Some(l) = w.category.map(|c| c.label()) {
            reason_part(&mut zh, &mut en, format_args!("可能属于{}", l.zh), format_args!("likely category: {}", l.en));
        }
        if let Some(t) = w.risk.map(RiskCode::title) {
            reason_part(&mut zh, &mut en, format_args!("有“{}”的情况", t.zh), format_args!("risk: {}", t.en));
        }
        if w.schooling {
            reason_part(
                &mut zh,
                &mut en,
                format_args!("家里有孩子在读高中（中职）或大学（高职）"),
                format_args!("a child is in upper-secondary or higher education"),
            );
        }
        if w.no_labour {
            reason_part(&mut zh, &mut en, format_args!("全家都没有劳动能力"), format_args!("no one in the household can work"));
        }
        if w.formerly_poor {
            reason_part(&mut zh, &mut en, format_args!("是脱贫户"), format_args!("formerly poor household"));
        }
        if zh.is_empty() {
            reason_part(
                &mut zh,
                &mut en,
                format_args!("纳入监测的家庭可以申请，由有关部门核实"),
                format_args!("open to monitored households, subject to the office's check"),
            );
        }
        zh.push('。');
        en.push('.');
        let clause = m.measure_clauses[i]
            .get_or_init(|| Arc::new(super::explain::clause_ref(p, &format!("measures.{}", ms.id), &ms.provenance)))
            .clone();
        out.push(matched(ms, Text::new(zh, en), clause));
    }
    for ms in p.measures.iter().enumerate().take(64).filter(|(i, _)| set.development_first & (1 << i) != 0).map(|(_, ms)| ms) {
        let Some(l) = development_member(ms, h).map(|l| l.label()) else { continue };
        let reason = Text::new(
            format!("家里有{}的成员，按政策要先落实开发式帮扶，不能只靠低保兜底。", l.zh),
            format!("A member is {}: development-type help comes first, not the safety net alone.", l.en),
        );
        out.push(matched(ms, reason, m.clause(p, ClauseKey::DevelopmentFirst)));
    }
    out
}
