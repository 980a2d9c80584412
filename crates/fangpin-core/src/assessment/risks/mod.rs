//! The risks of falling (back) into poverty: the 三保障 and drinking water, illness, spending above
//! a trigger or that leaves too little to live on, a fall in income, and the seed's key groups.
//!
//! Each rule is a predicate over the household, used twice: by [`decide`] to say whether the risk is
//! there, and by [`explain`] to quote the inputs it rests on — so the two can never disagree.

pub mod triggers;

use std::sync::Arc;

use super::explain::{FigureRef, Material, MemberField, PcShown, RuleSlot, ev, member_path, number, yes_no, yuan_str};
use super::income::{IncomeFacts, RigidFacts, Shown, income_fall};
use super::result::{Evidence, Risk};
use crate::date::Date;
use crate::household::{Household, HousingGrade, IncomeDropReason, Member, OutOfSchoolReason, PreviousOutcome, Schooling};
use crate::policy::Profile;
use crate::text::{Str, Text};
use crate::vocabulary::{RiskCode, RiskGroup};

/// The risks found. Each code is there at most once, except the two a spending trigger names: those
/// come once per trigger that fired. [`RiskSet::iter`] gives them in the order results list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RiskSet {
    codes: u32,
    /// Bit i: the profile's trigger i fired (a profile has at most 64; see `policy::MAX_TRIGGERS`).
    triggers: u64,
}

impl RiskSet {
    pub fn contains(&self, c: RiskCode) -> bool {
        self.codes & (1 << c as u32) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.codes == 0
    }
    /// Some risk of this group is there.
    pub fn any(&self, g: RiskGroup) -> bool {
        const MASKS: [u32; 5] = [
            group_mask(RiskGroup::Guarantee),
            group_mask(RiskGroup::Health),
            group_mask(RiskGroup::Spending),
            group_mask(RiskGroup::Income),
            group_mask(RiskGroup::KeyGroup),
        ];
        self.codes & MASKS[g as usize] != 0
    }
    fn insert(&mut self, c: RiskCode) {
        self.codes |= 1 << c as u32;
    }
    /// The risks in result order, each with the index of the trigger that named it.
    pub fn iter<'a>(&'a self, p: &'a Profile) -> impl Iterator<Item = (RiskCode, Option<usize>)> + 'a {
        RiskCode::ALL.into_iter().flat_map(move |c| {
            let own = (self.contains(c) && c.clause_key().is_some()).then_some((c, None));
            // Trigger risks come in the profile's trigger order, where the first of them stands.
            let fired = (c == RiskCode::MedicalSpendingHigh).then(|| {
                p.spending_triggers
                    .iter()
                    .enumerate()
                    .take(64)
                    .filter(|(i, _)| self.triggers & (1 << i) != 0)
                    .map(|(i, t)| (triggers::code(t), Some(i)))
            });
            own.into_iter().chain(fired.into_iter().flatten())
        })
    }
    pub fn len(&self) -> usize {
        (self.codes & !(1 << RiskCode::MedicalSpendingHigh as u32 | 1 << RiskCode::EducationSpendingHigh as u32)).count_ones() as usize
            + self.triggers.count_ones() as usize
    }
}

/// The bits of a group's codes (a roster asks for groups millions of times).
const fn group_mask(g: RiskGroup) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < RiskCode::ALL.len() {
        let c = RiskCode::ALL[i];
        // `==` on an enum is not const; compare the discriminants.
        if c.group() as u8 == g as u8 {
            mask |= 1 << c as u32;
        }
        i += 1;
    }
    mask
}

/// What the rules look at besides the household: the profile, the date, and whether the household
/// is formerly poor or already monitored (the stricter trigger figures).
pub(super) struct Scope<'a> {
    pub h: &'a Household,
    pub p: &'a Profile,
    pub as_of: Date,
    pub priority: bool,
}

fn uninsured(m: &Member) -> bool {
    m.counted && m.medical_insurance == Some(false)
}

/// Out of school for a reason other than health, and of compulsory-school age (or in compulsory school).
fn dropout(s: &Scope, m: &Member) -> bool {
    let age = &s.p.guarantees.compulsory_school_age;
    m.out_of_school.is_some_and(|r| r != OutOfSchoolReason::Health)
        && (m.age_at(s.as_of).is_some_and(|a| a >= age.from && a <= age.to) || m.schooling == Schooling::Compulsory)
}

/// A date from 1 January of the assessment's year up to the assessment date.
fn this_year(s: &Scope, d: Option<Date>) -> bool {
    d.is_some_and(|d| d >= s.as_of.start_of_year() && d <= s.as_of)
}

/// The dates that make a member one of the key groups "new this year" (新增或新申请): since when
/// they receive it, and when they applied if it is not decided yet.
fn key_group_dates(c: RiskCode, m: &Member) -> [(MemberField, Option<Date>); 2] {
    match c {
        RiskCode::KeyGroupNewDibao => [(MemberField::DibaoSince, m.dibao_since), (MemberField::DibaoApplied, m.dibao_applied)],
        RiskCode::KeyGroupNewTekun => [(MemberField::TekunSince, m.tekun_since), (MemberField::TekunApplied, m.tekun_applied)],
        _ => [
            (MemberField::SevereDisabilitySince, m.severe_disability_since.filter(|_| m.severe_disability)),
            (MemberField::SevereDisabilitySince, None),
        ],
    }
}

/// Liters the household has against the standard that applies to it.
fn water_min(s: &Scope) -> u32 {
    let std = &s.p.guarantees.water;
    if s.h.water.water_rich_area { std.min_litres_per_person_day_water_rich } else { std.min_litres_per_person_day }
}

fn not_included<'a>(s: &'a Scope<'a>) -> impl Iterator<Item = usize> + 'a {
    s.h.previous_applications.iter().enumerate().filter(|(_, a)| a.outcome == PreviousOutcome::NotIncluded).map(|(i, _)| i)
}

pub(super) fn decide(s: &Scope, f: &IncomeFacts, r: &RigidFacts) -> RiskSet {
    let (h, p) = (s.h, s.p);
    let w = &h.water;
    let std = &p.guarantees.water;
    let mut set = RiskSet::default();
    let mut put = |c: RiskCode, yes: bool| {
        if yes {
            set.insert(c);
        }
    };
    put(RiskCode::HousingUnsafe, h.housing_grade.is_unsafe());
    put(RiskCode::WaterQuality, w.quality_ok == Some(false));
    put(RiskCode::WaterQuantity, w.litres_per_person_day.is_some_and(|l| l < water_min(s)));
    put(RiskCode::WaterAccess, w.fetch_round_trip_minutes.is_some_and(|m| m > std.max_fetch_round_trip_minutes));
    put(RiskCode::WaterSupply, w.supply_percent.is_some_and(|x| x < std.min_supply_percent));
    put(RiskCode::MedicalUninsured, h.members.iter().any(uninsured));
    put(RiskCode::EducationDropout, h.members.iter().any(|m| dropout(s, m)));
    put(RiskCode::SeriousIllness, h.members.iter().any(|m| m.serious_illness));
    put(RiskCode::RigidSpendingHeavy, r.total.is_positive() && r.below_range_after);
    if let (Some(fall), Some(d)) = (income_fall(h, f).map(|(fall, _)| fall), &h.income_drop) {
        // fall ≥ ratio × last year, compared exactly.
        put(RiskCode::IncomeDrop, fall >= d.last_year_net_income.times_ratio(p.category_rules.income_drop_ratio.value));
        put(RiskCode::JobLost, d.reason == IncomeDropReason::LostJob);
        put(RiskCode::BusinessFailed, matches!(d.reason, IncomeDropReason::FailedFarming | IncomeDropReason::FailedBusiness));
    }
    for c in [RiskCode::KeyGroupNewDibao, RiskCode::KeyGroupNewTekun, RiskCode::KeyGroupNewSevereDisability] {
        put(c, h.members.iter().any(|m| key_group_dates(c, m).iter().any(|(_, d)| this_year(s, *d))));
    }
    put(RiskCode::KeyGroupNotIncludedBefore, not_included(s).count() as u64 >= u64::from(p.category_rules.previous_not_included_min.value));
    for (i, t) in p.spending_triggers.iter().enumerate().take(64) {
        if triggers::fires(t, h, r, s.priority) {
            set.triggers |= 1 << i;
            set.insert(triggers::code(t));
        }
    }
    set
}

fn grade_str(g: HousingGrade) -> &'static str {
    match g {
        HousingGrade::A => "A",
        HousingGrade::B => "B",
        HousingGrade::C => "C",
        HousingGrade::D => "D",
        HousingGrade::Unknown => "unknown",
    }
}

fn oos_str(r: OutOfSchoolReason) -> &'static str {
    match r {
        OutOfSchoolReason::Health => "health",
        OutOfSchoolReason::Cost => "cost",
        OutOfSchoolReason::Work => "work",
        OutOfSchoolReason::Other => "other",
    }
}

fn drop_reason_str(r: IncomeDropReason) -> &'static str {
    match r {
        IncomeDropReason::LostJob => "lost_job",
        IncomeDropReason::FailedFarming => "failed_farming",
        IncomeDropReason::FailedBusiness => "failed_business",
        IncomeDropReason::Illness => "illness",
        IncomeDropReason::Disaster => "disaster",
        IncomeDropReason::Accident => "accident",
        IncomeDropReason::Other => "other",
    }
}

/// Each risk of the set with its evidence, its rule in words and its clause.
pub(super) fn explain(set: &RiskSet, s: &Scope, f: &IncomeFacts, r: &RigidFacts, shown: &Shown, m: &Material) -> Vec<Risk> {
    set.iter(s.p)
        .filter_map(|(code, trigger)| match trigger {
            Some(i) => {
                let t = &s.p.spending_triggers[i];
                let rule = m.trigger_rules[i][usize::from(s.priority)]
                    .get_or_init(|| triggers::rule(t, s.priority).map(Text::into_shared))
                    .clone()?;
                let clause = m.trigger_clauses[i]
                    .get_or_init(|| Arc::new(super::explain::clause_ref(s.p, &format!("spending_triggers.{}", t.id), &t.provenance)))
                    .clone();
                Some(risk(code, triggers::evidence(t, s.h, r, s.priority), rule, clause, Some(t.id.clone()), Vec::new()))
            }
            None => {
                let (evidence, rule) = own(code, s, f, r, shown, m);
                let clause = m.clause(s.p, code.clause_key()?);
                Some(risk(code, evidence, rule, clause, None, m.figures(s.p, figures_of(code))))
            }
        })
        .collect()
}

fn risk(
    code: RiskCode,
    evidence: Vec<Evidence>,
    rule: Text,
    clause: Arc<crate::assessment::ClauseRef>,
    trigger: Option<String>,
    figures: Vec<crate::assessment::Figure>,
) -> Risk {
    Risk {
        code,
        title: code.title(),
        evidence,
        rule,
        clause,
        figures,
        income_based: code.income_based(),
        key_group: code.is_key_group(),
        trigger,
    }
}

/// The profile's figures each rule uses (a trigger's figures are in its own clause).
fn figures_of(code: RiskCode) -> &'static [FigureRef] {
    match code {
        RiskCode::WaterQuantity | RiskCode::WaterAccess | RiskCode::WaterSupply => &[FigureRef::Water],
        RiskCode::EducationDropout => &[FigureRef::SchoolAge],
        RiskCode::RigidSpendingHeavy => &[FigureRef::Range],
        RiskCode::IncomeDrop => &[FigureRef::DropRatio],
        RiskCode::KeyGroupNotIncludedBefore => &[FigureRef::NotIncludedMin],
        _ => &[],
    }
}

/// The evidence and rule of a risk with a clause of its own (not a trigger's).
fn own(code: RiskCode, s: &Scope, f: &IncomeFacts, r: &RigidFacts, shown: &Shown, m: &Material) -> (Vec<Evidence>, Text) {
    let (h, p) = (s.h, s.p);
    let w = &h.water;
    let std = &p.guarantees.water;
    let members = |pred: &dyn Fn(&Member) -> bool, field: MemberField, value: &'static str| -> Vec<Evidence> {
        h.members.iter().enumerate().filter(|(_, x)| pred(x)).map(|(i, _)| ev(member_path(i, field), value)).collect()
    };
    match code {
        RiskCode::HousingUnsafe => (
            vec![ev("housing_grade", grade_str(h.housing_grade))],
            Text::lit("住房安全鉴定为 C 级或 D 级的，属于危房。", "A home graded C or D is unsafe."),
        ),
        RiskCode::WaterQuality => {
            (vec![ev("water.quality_ok", "false")], Text::lit("饮用水水质要达标。", "Drinking water must meet the quality standard."))
        }
        RiskCode::WaterQuantity => {
            let min = water_min(s);
            let slot = if w.water_rich_area { RuleSlot::WaterQuantityRich } else { RuleSlot::WaterQuantity };
            let rule = m.rule(slot, || {
                Text::new(
                    format!(
                        "每人每天至少要有 {} 升水（丰水地区 {} 升）。这里按 {} 升算。",
                        std.min_litres_per_person_day, std.min_litres_per_person_day_water_rich, min
                    ),
                    format!(
                        "At least {} litres per person per day ({} in water-rich areas); {} applies here.",
                        std.min_litres_per_person_day, std.min_litres_per_person_day_water_rich, min
                    ),
                )
            });
            let l = w.litres_per_person_day.unwrap_or(0);
            (vec![ev("water.litres_per_person_day", number(l)), ev("water.water_rich_area", yes_no(w.water_rich_area))], rule)
        }
        RiskCode::WaterAccess => {
            let rule = m.rule(RuleSlot::WaterAccess, || {
                Text::new(
                    format!("取水往返不能超过 {} 分钟。", std.max_fetch_round_trip_minutes),
                    format!("Fetching water must take at most {} minutes there and back.", std.max_fetch_round_trip_minutes),
                )
            });
            (vec![ev("water.fetch_round_trip_minutes", number(w.fetch_round_trip_minutes.unwrap_or(0)))], rule)
        }
        RiskCode::WaterSupply => {
            let rule = m.rule(RuleSlot::WaterSupply, || {
                Text::new(
                    format!("供水保证率不能低于 {}%。", std.min_supply_percent),
                    format!("Water must be available at least {}% of the time.", std.min_supply_percent),
                )
            });
            (vec![ev("water.supply_percent", number(w.supply_percent.unwrap_or(0)))], rule)
        }
        RiskCode::MedicalUninsured => (
            members(&uninsured, MemberField::MedicalInsurance, "false"),
            Text::lit("家里每个人都要参加城乡居民基本医疗保险。", "Every member must be enrolled in basic medical insurance."),
        ),
        RiskCode::EducationDropout => {
            let age = &p.guarantees.compulsory_school_age;
            let mut e = Vec::new();
            for (i, mem) in h.members.iter().enumerate().filter(|(_, x)| dropout(s, x)) {
                e.push(ev(member_path(i, MemberField::OutOfSchool), oos_str(mem.out_of_school.unwrap_or(OutOfSchoolReason::Other))));
                if let Some(a) = mem.age_at(s.as_of) {
                    e.push(ev(member_path(i, MemberField::Age), number(a)));
                }
            }
            let rule = m.rule(RuleSlot::EducationDropout, || {
                Text::new(
                    format!("{} 到 {} 岁的孩子要上学，身体原因以外不能失学辍学。", age.from, age.to),
                    format!("Children aged {} to {} must be in school unless health prevents it.", age.from, age.to),
                )
            });
            (e, rule)
        }
        RiskCode::SeriousIllness => (
            members(&|x| x.serious_illness, MemberField::SeriousIllness, "true"),
            Text::lit(
                "家里有人患大病、慢性病，容易因病返贫致贫。",
                "A serious or chronic illness in the family is a risk of falling into poverty.",
            ),
        ),
        RiskCode::RigidSpendingHeavy => {
            let after = PcShown(r.per_capita_after.map(|a| a.rounded()));
            let range = &shown.range;
            (
                vec![
                    ev("rigid_expenses", yuan_str(r.total)),
                    ev("income", shown.net.clone()),
                    ev("members[counted]", shown.counted.clone()),
                ],
                Text::new(
                    format!("收入减去必要开支后，人均只剩约 {after} 元，低于监测范围 {range} 元。"),
                    format!("After unavoidable spending, about {after} yuan per person is left, below the range of {range} yuan."),
                ),
            )
        }
        RiskCode::IncomeDrop | RiskCode::JobLost | RiskCode::BusinessFailed => {
            let Some(d) = &h.income_drop else { return (Vec::new(), code.title()) };
            let evidence = vec![
                ev("income_drop.last_year_net_income", yuan_str(d.last_year_net_income)),
                ev("income", shown.net.clone()),
                ev("income_drop.reason", drop_reason_str(d.reason)),
            ];
            let rule = match code {
                RiskCode::IncomeDrop => {
                    let fall = income_fall(h, f).map(|(fall, _)| fall).unwrap_or_default();
                    let pct =
                        m.figure(super::explain::FigureSlot::DropPct, || super::explain::pct(p.category_rules.income_drop_ratio.value));
                    Text::new(
                        format!("家庭纯收入比去年少了 {fall} 元，减少 {pct}% 及以上算明显下降。"),
                        format!("Net income fell by {fall} yuan; a fall of {pct}% or more counts as sharp."),
                    )
                }
                RiskCode::JobLost => Text::lit(
                    "因为失业或务工不稳，收入比去年少了。",
                    "Income is lower than last year because of a lost job or unstable work.",
                ),
                _ => {
                    Text::lit("因为种养或生意失败，收入比去年少了。", "Income is lower than last year because farming or business failed.")
                }
            };
            (evidence, rule)
        }
        RiskCode::KeyGroupNewDibao | RiskCode::KeyGroupNewTekun | RiskCode::KeyGroupNewSevereDisability => {
            let mut e = Vec::new();
            for (i, x) in h.members.iter().enumerate() {
                for (field, d) in key_group_dates(code, x) {
                    if let Some(d) = d.filter(|d| this_year(s, Some(*d))) {
                        e.push(ev(member_path(i, field), d.to_string()));
                    }
                }
            }
            let what = match code {
                RiskCode::KeyGroupNewDibao => ("新纳入或新申请农村低保", "newly on (or applying for) rural dibao"),
                RiskCode::KeyGroupNewTekun => ("新纳入分散供养特困人员", "newly in tekun support"),
                _ => ("新增重度残疾人", "newly severely disabled"),
            };
            let year = s.as_of.year();
            let rule = Text::new(
                format!("今年（{year} 年 1 月 1 日以来）家里有人{}，属于要逐户排查的重点群体。", what.0),
                format!("Since 1 January {year} a member is {}: a key group to screen door to door.", what.1),
            );
            (e, rule)
        }
        RiskCode::KeyGroupNotIncludedBefore => {
            let min = p.category_rules.previous_not_included_min.value;
            let e = not_included(s)
                .map(|i| {
                    let date = h.previous_applications[i].date;
                    ev(
                        format!("previous_applications[{i}]"),
                        date.map(|d| Str::from(d.to_string())).unwrap_or(Str::from_static("not_included")),
                    )
                })
                .collect();
            let rule = m.rule(RuleSlot::NotIncludedBefore, || {
                Text::new(
                    format!("以前申报或被预警过 {min} 次及以上、没有纳入监测的农户，要逐户排查。"),
                    format!(
                        "Households that applied or were flagged {min} or more times without being included are screened door to door."
                    ),
                )
            });
            (e, rule)
        }
        // Named only by triggers (handled in `explain`).
        RiskCode::MedicalSpendingHigh | RiskCode::EducationSpendingHigh => (Vec::new(), code.title()),
    }
}

/// The risks' titles joined (`、` in Chinese, `; ` in English).
pub(super) fn titles(risks: &[Risk]) -> (String, String) {
    let mut zh = String::new();
    let mut en = String::new();
    for (i, r) in risks.iter().enumerate() {
        if i > 0 {
            zh.push('、');
            en.push_str("; ");
        }
        zh.push_str(&r.title.zh);
        en.push_str(&r.title.en);
    }
    (zh, en)
}
