//! The help that fits (帮扶措施): each of the profile's measures whose own conditions the household
//! meets — means-tested help only below its income line, never a benefit the household already
//! receives shown as new (it says "您家已享受") — in the order that answers the household first: help
//! for its own risks, then development-type help before the safety net for a household that can
//! work (the seed's "不能一兜了之"), which also gets development-type help added when only the safety
//! net would be listed.

use std::sync::Arc;

use super::explain::{FigureRef, Material, reason_part};
use super::income::IncomeFacts;
use super::labour::LabourFacts;
use super::result::{ClauseRef, Figure, MatchedMeasure, MeasureStatus};
use super::risks::RiskSet;
use crate::date::Date;
use crate::household::{Household, LabourCapacity, Member};
use crate::money::Money;
use crate::policy::{IncomeLine, Measure, MeasureKind, Profile};
use crate::text::Text;
use crate::vocabulary::{Benefit, Category, ClauseKey, RiskCode};

/// The measures listed, by their index in the profile (a profile has at most 64 measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MeasureSet {
    /// Matched by their own conditions (offered, or already received).
    pub matched: u64,
    /// Added because the household can work and only the safety net matched.
    pub development_first: u64,
}

impl MeasureSet {
    pub fn is_empty(&self) -> bool {
        self.matched == 0 && self.development_first == 0
    }
    pub fn contains(&self, i: usize) -> bool {
        i < 64 && (self.matched | self.development_first) & (1 << i) != 0
    }
}

/// What the measures are weighed against.
struct Facts<'a> {
    h: &'a Household,
    p: &'a Profile,
    category: Option<Category>,
    risks: &'a RiskSet,
    labour: &'a LabourFacts,
    /// Which benefits a counted member receives, by `Benefit as usize`: asked once per measure.
    receiving: [bool; 2],
    /// Each income line a year, as the profile gives it, by `IncomeLine as usize`.
    lines: [Option<Money>; 2],
    /// The per-capita income is below each line (exactly; false without members or line).
    below: [bool; 2],
}

impl<'a> Facts<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        h: &'a Household,
        p: &'a Profile,
        as_of: Date,
        income: &'a IncomeFacts,
        category: Option<Category>,
        risks: &'a RiskSet,
        labour: &'a LabourFacts,
    ) -> Facts<'a> {
        let receiving = [Benefit::Dibao, Benefit::Tekun].map(|b| h.members.iter().any(|m| receives(m, b, as_of)));
        let lines = [IncomeLine::MonitoringRange, IncomeLine::DibaoLine].map(|l| line(p, l));
        let below = lines.map(|a| a.is_some_and(|a| income.per_capita.is_some_and(|pc| pc.is_below(a))));
        Facts { h, p, category, risks, labour, receiving, lines, below }
    }
}

/// Why a measure fits: the parts of its conditions that held.
struct Why {
    status: MeasureStatus,
    labour: Option<LabourCapacity>,
    category: Option<Category>,
    risk: Option<RiskCode>,
    schooling: bool,
    no_labour: bool,
    formerly_poor: bool,
    /// The income line it was weighed against, and its amount a year (None: the line is not known).
    below: Option<(IncomeLine, Option<Money>)>,
}

fn receives(m: &Member, b: Benefit, at: Date) -> bool {
    let since = match b {
        Benefit::Dibao => m.dibao_since,
        Benefit::Tekun => m.tekun_since,
    };
    m.counted && since.is_some_and(|d| d <= at)
}

fn household_receives(x: &Facts, b: Benefit) -> bool {
    x.receiving[b as usize]
}

/// The line a year, as the profile gives it.
fn line(p: &Profile, l: IncomeLine) -> Option<Money> {
    match l {
        IncomeLine::MonitoringRange => Some(p.monitoring_range.amount),
        IncomeLine::DibaoLine => p.dibao_line.as_ref().map(|d| d.annual()),
    }
}

fn why(ms: &Measure, x: &Facts) -> Option<Why> {
    let e = &ms.eligibility;
    let h = x.h;
    // A benefit the household already has is said as such, whatever else the conditions say.
    if let Some(b) = e.benefit
        && household_receives(x, b)
    {
        return Some(Why {
            status: MeasureStatus::AlreadyReceived,
            labour: None,
            category: None,
            risk: None,
            schooling: false,
            no_labour: false,
            formerly_poor: false,
            below: None,
        });
    }
    if e.requires_monitoring_or_category && x.category.is_none() && h.monitoring.is_none() {
        return None;
    }
    if e.not_receiving.iter().any(|b| household_receives(x, *b)) {
        return None;
    }
    let below = match e.per_capita_below {
        None => None,
        Some(l) => {
            let amount = x.lines[l as usize];
            // Below the line (exactly); a line the profile does not give excludes no one.
            if amount.is_some() && !x.below[l as usize] {
                return None;
            }
            Some((l, amount))
        }
    };
    let labour = if e.labour_any_of.is_empty() {
        None
    } else {
        Some(h.members.iter().find(|m| m.counted && e.labour_any_of.contains(&m.labour))?.labour)
    };
    let category = if e.categories_any_of.is_empty() { None } else { Some(x.category.filter(|c| e.categories_any_of.contains(c))?) };
    // The cheap test first: walking the risks in result order is only for the one that is named.
    if !e.risks_any_of.is_empty() && !e.risks_any_of.iter().any(|c| x.risks.contains(*c)) {
        return None;
    }
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
        status: MeasureStatus::Offered,
        labour,
        category,
        risk,
        schooling,
        no_labour: e.whole_household_no_labour == Some(true),
        formerly_poor: e.formerly_poor == Some(true),
        below,
    })
}

/// The first member who can work and whose labour the development measure names.
fn development_member(ms: &Measure, h: &Household) -> Option<LabourCapacity> {
    h.members.iter().find(|m| m.counted && m.labour.can_work() && ms.eligibility.labour_any_of.contains(&m.labour)).map(|m| m.labour)
}

#[allow(clippy::too_many_arguments)]
pub fn decide(
    h: &Household,
    p: &Profile,
    as_of: Date,
    income: &IncomeFacts,
    category: Option<Category>,
    risks: &RiskSet,
    labour: &LabourFacts,
) -> MeasureSet {
    let x = Facts::new(h, p, as_of, income, category, risks, labour);
    let mut set = MeasureSet::default();
    let mut offered_development = false;
    for (i, ms) in p.measures.iter().enumerate().take(64) {
        if let Some(w) = why(ms, &x) {
            set.matched |= 1 << i;
            offered_development |= w.status == MeasureStatus::Offered && ms.kind == MeasureKind::Development;
        }
    }
    // Someone who can work is never left with the safety net alone (received or offered).
    if labour.can_work && set.matched != 0 && !offered_development {
        for (i, ms) in p.measures.iter().enumerate().take(64) {
            if ms.kind == MeasureKind::Development && set.matched & (1 << i) == 0 && development_member(ms, h).is_some() {
                set.development_first |= 1 << i;
            }
        }
    }
    set
}

/// Where a measure comes in the list: already received last; help for the household's own risks
/// first; then development-type before the safety net for a household that can work (the other way
/// round for one that cannot); then the profile's order.
fn rank(m: &MatchedMeasure, can_work: bool, index: usize) -> (u8, u8, u8, usize) {
    let received = u8::from(m.status == MeasureStatus::AlreadyReceived);
    let own_risk = u8::from(m.answers.is_none());
    let development = m.kind == MeasureKind::Development;
    let kind = u8::from(development != can_work);
    (received, own_risk, kind, index)
}

fn matched(
    ms: &Measure,
    status: MeasureStatus,
    answers: Option<RiskCode>,
    reason: Text,
    clause: Arc<ClauseRef>,
    figures: Vec<Figure>,
) -> MatchedMeasure {
    MatchedMeasure {
        id: ms.id.clone(),
        kind: ms.kind,
        title: ms.title.clone(),
        summary: ms.summary.clone(),
        office: ms.office.clone(),
        phone: ms.phone.clone(),
        status,
        answers,
        reason,
        clause,
        figures,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn explain(
    set: &MeasureSet,
    h: &Household,
    p: &Profile,
    as_of: Date,
    income: &IncomeFacts,
    category: Option<Category>,
    risks: &RiskSet,
    labour: &LabourFacts,
    m: &Material,
) -> Vec<MatchedMeasure> {
    let x = Facts::new(h, p, as_of, income, category, risks, labour);
    let mut out: Vec<(usize, MatchedMeasure)> = Vec::new();
    for (i, ms) in p.measures.iter().enumerate().take(64).filter(|(i, _)| set.matched & (1 << i) != 0) {
        let Some(w) = why(ms, &x) else { continue };
        let clause = m.measure_clauses[i]
            .get_or_init(|| Arc::new(super::explain::clause_ref(p, &format!("measures.{}", ms.id), &ms.provenance)))
            .clone();
        let (mut zh, mut en) = (String::new(), String::new());
        if w.status == MeasureStatus::AlreadyReceived {
            reason_part(
                &mut zh,
                &mut en,
                format_args!("您家已享受“{}”", ms.title.zh),
                format_args!("your household already receives {}", ms.title.en),
            );
            reason_part(
                &mut zh,
                &mut en,
                format_args!("情况有变化的，请告诉{}", ms.office.zh),
                format_args!("tell {} if your situation changes", ms.office.en),
            );
        }
        if let Some(l) = w.labour.map(|l| l.label()) {
            reason_part(&mut zh, &mut en, format_args!("家里有{}的成员", has(&l.zh)), format_args!("a member is {}", l.en));
        }
        if let Some(l) = w.category.map(|c| c.label()) {
            reason_part(&mut zh, &mut en, format_args!("可能属于{}", l.zh), format_args!("likely category: {}", l.en));
        }
        if let Some(t) = w.risk.map(RiskCode::title) {
            reason_part(&mut zh, &mut en, format_args!("有“{}”的情况", t.zh), format_args!("risk: {}", t.en));
        }
        match w.below {
            Some((IncomeLine::DibaoLine, Some(a))) => reason_part(
                &mut zh,
                &mut en,
                format_args!("人均纯收入低于农村低保标准（每年 {} 元），由民政部门核对", a.short()),
                format_args!("income below the rural dibao line ({} a year), for the civil affairs office to check", a.short()),
            ),
            Some((IncomeLine::DibaoLine, None)) => reason_part(
                &mut zh,
                &mut en,
                format_args!("要看收入是否低于当地低保标准，由民政部门核对"),
                format_args!("depends on income against the local dibao line, which the civil affairs office checks"),
            ),
            Some((IncomeLine::MonitoringRange, _)) => {
                reason_part(&mut zh, &mut en, format_args!("人均纯收入低于监测范围"), format_args!("income below the monitoring range"))
            }
            None => {}
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
        let figures = match w.below {
            Some((IncomeLine::DibaoLine, _)) => m.figures(p, &[FigureRef::DibaoLine]),
            Some((IncomeLine::MonitoringRange, _)) => m.figures(p, &[FigureRef::Range]),
            None => Vec::new(),
        };
        out.push((i, matched(ms, w.status, w.risk, Text::new(zh, en), clause, figures)));
    }
    for (i, ms) in p.measures.iter().enumerate().take(64).filter(|(i, _)| set.development_first & (1 << i) != 0) {
        let Some(l) = development_member(ms, h).map(|l| l.label()) else { continue };
        let reason = Text::new(
            format!("家里有{}的成员，按政策要先落实开发式帮扶，不能只靠低保兜底。", has(&l.zh)),
            format!("A member is {}: development-type help comes first, not the safety net alone.", l.en),
        );
        out.push((i, matched(ms, MeasureStatus::Offered, None, reason, m.clause(p, ClauseKey::DevelopmentFirst), Vec::new())));
    }
    out.sort_by_key(|(i, x)| rank(x, labour.can_work, *i));
    out.into_iter().map(|(_, x)| x).collect()
}

/// A labour label after “家里有”: 有劳动能力 without its own 有 (家里有有劳动能力 is a stutter).
fn has(label: &str) -> &str {
    label.strip_prefix('有').unwrap_or(label)
}
