//! The self-check: a pure, deterministic, total function from (household, profile, as-of date) to an
//! explained [`Assessment`]. Rules and their clauses: `docs/assessment.md`.
//!
//! Every conclusion carries its evidence (which inputs, with values), the rule in words with the
//! parameters used, and the policy clause from the profile. Errors in the input are values
//! (`data_quality`), never panics.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::household::{Household, HousingGrade, IncomeDropReason, IncomeKind, LabourCapacity, OutOfSchoolReason, RigidExpenseKind, Schooling};
use crate::money::{Money, PerCapita};
use crate::policy::{MeasureKind, Profile, Provenance, SpendingTrigger, TriggerKind};
use crate::text::Text;

/// 监测对象 categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 脱贫不稳定户.
    UnstableFormerlyPoor,
    /// 边缘易致贫户.
    MarginalAtRisk,
    /// 突发严重困难户.
    SuddenHardship,
}

impl Category {
    pub fn code(&self) -> &'static str {
        match self {
            Category::UnstableFormerlyPoor => "unstable_formerly_poor",
            Category::MarginalAtRisk => "marginal_at_risk",
            Category::SuddenHardship => "sudden_hardship",
        }
    }
    pub fn label(&self) -> Text {
        match self {
            Category::UnstableFormerlyPoor => Text::new("脱贫不稳定户", "unstable formerly poor household"),
            Category::MarginalAtRisk => Text::new("边缘易致贫户", "marginal household at risk"),
            Category::SuddenHardship => Text::new("突发严重困难户", "household in sudden severe hardship"),
        }
    }
    fn clause_key(&self) -> &'static str {
        match self {
            Category::UnstableFormerlyPoor => "category_unstable_formerly_poor",
            Category::MarginalAtRisk => "category_marginal_at_risk",
            Category::SuddenHardship => "category_sudden_hardship",
        }
    }
}

/// Every risk code the assessment can produce (stable; used in profiles' measure eligibility).
pub const RISK_CODES: &[&str] = &[
    "housing_unsafe",
    "water_quality",
    "water_quantity",
    "water_access",
    "water_supply",
    "medical_uninsured",
    "education_dropout",
    "serious_illness",
    "medical_spending_high",
    "education_spending_high",
    "rigid_spending_heavy",
    "income_drop",
    "job_lost",
    "business_failed",
    "key_group_new_dibao",
    "key_group_new_tekun",
    "key_group_new_severe_disability",
    "key_group_not_included_before",
];

/// Risks whose presence depends on the household's income (raising income can only remove them).
pub const INCOME_BASED_RISKS: &[&str] = &["rigid_spending_heavy", "income_drop", "job_lost", "business_failed"];

/// The clause keys every profile must give (`[clauses.<key>]`). Spending-trigger risks take their
/// clause from the trigger itself.
pub const CLAUSE_KEYS: &[&str] = &[
    "per_capita_income",
    "below_range",
    "category_unstable_formerly_poor",
    "category_marginal_at_risk",
    "category_sudden_hardship",
    "whole_household_no_labour",
    "risk_elimination",
    "no_labour_safety_net",
    "development_first",
    "housing_unsafe",
    "water_quality",
    "water_quantity",
    "water_access",
    "water_supply",
    "medical_uninsured",
    "education_dropout",
    "serious_illness",
    "rigid_spending_heavy",
    "income_drop",
    "job_lost",
    "business_failed",
    "key_group_new_dibao",
    "key_group_new_tekun",
    "key_group_new_severe_disability",
    "key_group_not_included_before",
];

/// The plain-language title of a risk code.
pub fn risk_title(code: &str) -> Text {
    let (zh, en) = match code {
        "housing_unsafe" => ("住房不安全（危房）", "Unsafe housing"),
        "water_quality" => ("饮用水水质不达标", "Drinking water quality"),
        "water_quantity" => ("饮用水不够用", "Not enough drinking water"),
        "water_access" => ("取水太远", "Fetching water takes too long"),
        "water_supply" => ("供水没有保证", "Water supply is unreliable"),
        "medical_uninsured" => ("有家人没参加医保", "A member has no basic medical insurance"),
        "education_dropout" => ("有适龄孩子失学辍学", "A school-age child is out of school"),
        "serious_illness" => ("家里有人患大病或慢性病", "A member has a serious or chronic illness"),
        "medical_spending_high" => ("看病自付费用高", "High medical costs"),
        "education_spending_high" => ("上学费用高", "High schooling costs"),
        "rigid_spending_heavy" => ("必要开支太大，影响基本生活", "Unavoidable spending strains basic living"),
        "income_drop" => ("收入明显下降", "Income has dropped sharply"),
        "job_lost" => ("失业或务工不稳", "Lost job or unstable work"),
        "business_failed" => ("种养或生意失败", "Failed farming or business"),
        "key_group_new_dibao" => ("今年新纳入或新申请低保", "New to dibao this year"),
        "key_group_new_tekun" => ("今年新纳入特困供养", "New to tekun support this year"),
        "key_group_new_severe_disability" => ("今年新增重度残疾人", "Newly severely disabled this year"),
        "key_group_not_included_before" => ("以前申报或预警过，没有纳入", "Applied or flagged before, not included"),
        _ => ("其他风险", "Other risk"),
    };
    Text::new(zh, en)
}

/// One input the conclusion rests on: its field path and the value given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub field: String,
    pub value: String,
}

fn ev(field: impl Into<String>, value: impl Into<String>) -> Evidence {
    Evidence { field: field.into(), value: value.into() }
}

/// The source document a clause rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub document_number: Option<String>,
    pub date: Date,
    pub url: Option<String>,
}

/// The policy clause behind a conclusion, from the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseRef {
    /// `clauses.<key>` or the profile path of the value (e.g. `spending_triggers.medical_inpatient_stay`).
    pub key: String,
    pub clause: Option<Text>,
    pub source: Option<SourceRef>,
    pub provisional: bool,
    pub provisional_reason: Option<Text>,
}

fn clause_from(p: &Profile, key: &str, pr: Option<&Provenance>) -> ClauseRef {
    let Some(pr) = pr else {
        return ClauseRef {
            key: key.to_string(),
            clause: None,
            source: None,
            provisional: true,
            provisional_reason: Some(Text::new("本档案没有写这条规则的依据。", "This profile gives no clause for this rule.")),
        };
    };
    ClauseRef {
        key: key.to_string(),
        clause: pr.clause.clone(),
        source: pr.source.as_deref().and_then(|id| p.source(id)).map(|s| SourceRef {
            id: s.id.clone(),
            title: s.title.clone(),
            document_number: s.document_number.clone(),
            date: s.date,
            url: s.url.clone(),
        }),
        provisional: pr.provisional,
        provisional_reason: pr.reason.clone(),
    }
}

fn clause(p: &Profile, key: &str) -> ClauseRef {
    clause_from(p, key, p.clause(key))
}

/// A reason for a conclusion: what, from which inputs, under which clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: Text,
    pub evidence: Vec<Evidence>,
    pub clause: Option<ClauseRef>,
}

/// A risk of falling (back) into poverty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// Stable code, e.g. `housing_unsafe` (see [`RISK_CODES`]).
    pub code: &'static str,
    pub title: Text,
    pub evidence: Vec<Evidence>,
    /// The rule in words, with the parameters used.
    pub rule: Text,
    pub clause: ClauseRef,
    /// Depends on income (see [`INCOME_BASED_RISKS`]).
    pub income_based: bool,
    /// One of the seed's key groups to screen door to door.
    pub key_group: bool,
    /// The spending trigger that fired, if any.
    pub trigger: Option<String>,
}

/// The monitoring range used, with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RangeInfo {
    pub amount: Money,
    pub basis: Text,
    pub provisional: bool,
    /// What to show next to the figure (e.g. 以永安市乡村振兴局公布的监测范围为准).
    pub screen_note: Option<Text>,
    pub clause: ClauseRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindTotal {
    pub kind: IncomeKind,
    pub label: Text,
    pub amount: Money,
    pub items: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedItem {
    pub field: String,
    pub label: String,
    pub amount: Money,
    pub reason: Text,
    pub clause: ClauseRef,
}

/// How the per-capita figure was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomeBreakdown {
    pub by_kind: Vec<KindTotal>,
    pub gross: Money,
    pub business_costs: Money,
    pub excluded: Vec<ExcludedItem>,
    /// gross − business costs (exact).
    pub net_total: Money,
    pub members_listed: u32,
    pub members_counted: u32,
    /// Indexes of members not counted (they do not live and share income with the household).
    pub members_not_counted: Vec<usize>,
    pub how: Text,
    pub clause: ClauseRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RigidSpending {
    pub total: Money,
    pub medical: Money,
    pub schooling: Money,
    pub other: Money,
    /// (net income − rigid spending) ÷ members, exact.
    pub per_capita_after: Option<PerCapita>,
    pub below_range_after: bool,
}

/// One condition of 风险消除.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EliminationCheck {
    /// `income_stable`, `income_above_range`, `spending_resolved`, `guarantees_secured`,
    /// `risk_gone_naturally`, `not_no_labour_safety_net`.
    pub code: &'static str,
    pub met: bool,
    pub text: Text,
    pub evidence: Vec<Evidence>,
    pub clause: ClauseRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskElimination {
    pub allowed: bool,
    pub summary: Text,
    pub reasons: Vec<EliminationCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedMeasure {
    pub id: String,
    pub kind: MeasureKind,
    pub title: Text,
    pub summary: Text,
    pub office: Text,
    pub phone: Option<String>,
    pub reason: Text,
    pub clause: ClauseRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Invalid input (the CLI and the application refuse it).
    Error,
    /// Likely wrong or missing; the result may change.
    Warning,
    /// Not answered; worth asking.
    Info,
}

/// A data-quality finding: shown, never blocking the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub field: String,
    pub severity: Severity,
    pub message: Text,
}

/// The explained result of the self-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub profile: String,
    pub as_of: Date,
    pub income: IncomeBreakdown,
    /// Exact: net total ÷ members (None when no member is counted).
    pub per_capita_net_income: Option<PerCapita>,
    pub monitoring_range: RangeInfo,
    /// Strictly below (“低于”); equal is not below.
    pub below_range: bool,
    pub below_range_reason: Reason,
    /// range − per capita, per person, rounded for display (negative when above).
    pub gap: Option<Money>,
    pub rigid_spending: RigidSpending,
    pub risks: Vec<Risk>,
    pub category: Option<Category>,
    pub category_reasons: Vec<Reason>,
    pub whole_household_no_labour: bool,
    pub whole_household_no_labour_reason: Reason,
    /// Only for households already monitored.
    pub risk_elimination: Option<RiskElimination>,
    pub measures: Vec<MatchedMeasure>,
    pub data_quality: Vec<Finding>,
}

impl Assessment {
    pub fn has_risk(&self, code: &str) -> bool {
        self.risks.iter().any(|r| r.code == code)
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn kind_idx(k: IncomeKind) -> usize {
    match k {
        IncomeKind::Wage => 0,
        IncomeKind::Business => 1,
        IncomeKind::Property => 2,
        IncomeKind::Transfer => 3,
    }
}

struct Ctx<'a> {
    h: &'a Household,
    p: &'a Profile,
    as_of: Date,
    priority: bool,
    risks: Vec<Risk>,
}

impl Ctx<'_> {
    fn risk(&mut self, code: &'static str, evidence: Vec<Evidence>, rule: Text) {
        let clause = clause(self.p, code);
        self.push_risk(code, evidence, rule, clause, None);
    }
    fn push_risk(&mut self, code: &'static str, evidence: Vec<Evidence>, rule: Text, clause: ClauseRef, trigger: Option<String>) {
        self.risks.push(Risk {
            code,
            title: risk_title(code),
            evidence,
            rule,
            clause,
            income_based: INCOME_BASED_RISKS.contains(&code),
            key_group: code.starts_with("key_group_"),
            trigger,
        });
    }

    fn guarantees(&mut self) {
        let h = self.h;
        let p = self.p;
        if h.housing_grade.is_unsafe() {
            self.risk(
                "housing_unsafe",
                vec![ev("housing_grade", grade_str(h.housing_grade))],
                Text::new("住房安全鉴定为 C 级或 D 级的，属于危房。", "A home graded C or D is unsafe."),
            );
        }
        let w = &h.water;
        let std = &p.guarantees.water;
        if w.quality_ok == Some(false) {
            self.risk("water_quality", vec![ev("water.quality_ok", "false")], Text::new("饮用水水质要达标。", "Drinking water must meet the quality standard."));
        }
        if let Some(l) = w.litres_per_person_day {
            let min = if w.water_rich_area { std.min_litres_per_person_day_water_rich } else { std.min_litres_per_person_day };
            if l < min {
                self.risk(
                    "water_quantity",
                    vec![ev("water.litres_per_person_day", l.to_string()), ev("water.water_rich_area", yes_no(w.water_rich_area))],
                    Text::new(
                        format!(
                            "每人每天至少要有 {} 升水（丰水地区 {} 升）。这里按 {} 升算。",
                            std.min_litres_per_person_day, std.min_litres_per_person_day_water_rich, min
                        ),
                        format!(
                            "At least {} litres per person per day ({} in water-rich areas); {} applies here.",
                            std.min_litres_per_person_day, std.min_litres_per_person_day_water_rich, min
                        ),
                    ),
                );
            }
        }
        if let Some(m) = w.fetch_round_trip_minutes
            && m > std.max_fetch_round_trip_minutes
        {
            self.risk(
                "water_access",
                vec![ev("water.fetch_round_trip_minutes", m.to_string())],
                Text::new(
                    format!("取水往返不能超过 {} 分钟。", std.max_fetch_round_trip_minutes),
                    format!("Fetching water must take at most {} minutes there and back.", std.max_fetch_round_trip_minutes),
                ),
            );
        }
        if let Some(s) = w.supply_percent
            && s < std.min_supply_percent
        {
            self.risk(
                "water_supply",
                vec![ev("water.supply_percent", s.to_string())],
                Text::new(
                    format!("供水保证率不能低于 {}%。", std.min_supply_percent),
                    format!("Water must be available at least {}% of the time.", std.min_supply_percent),
                ),
            );
        }
        let uninsured: Vec<Evidence> = h
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.counted && m.medical_insurance == Some(false))
            .map(|(i, _)| ev(format!("members[{i}].medical_insurance"), "false"))
            .collect();
        if !uninsured.is_empty() {
            self.risk(
                "medical_uninsured",
                uninsured,
                Text::new("家里每个人都要参加城乡居民基本医疗保险。", "Every member must be enrolled in basic medical insurance."),
            );
        }
        let age = &p.guarantees.compulsory_school_age;
        let mut dropouts = Vec::new();
        for (i, m) in h.members.iter().enumerate() {
            let Some(reason) = m.out_of_school else { continue };
            if reason == OutOfSchoolReason::Health {
                continue;
            }
            let a = m.age_at(self.as_of);
            let school_age = a.is_some_and(|a| a >= age.from && a <= age.to);
            if school_age || m.schooling == Schooling::Compulsory {
                dropouts.push(ev(format!("members[{i}].out_of_school"), oos_str(reason)));
                if let Some(a) = a {
                    dropouts.push(ev(format!("members[{i}].age"), a.to_string()));
                }
            }
        }
        if !dropouts.is_empty() {
            self.risk(
                "education_dropout",
                dropouts,
                Text::new(
                    format!("{} 到 {} 岁的孩子要上学，身体原因以外不能失学辍学。", age.from, age.to),
                    format!("Children aged {} to {} must be in school unless health prevents it.", age.from, age.to),
                ),
            );
        }
        let ill: Vec<Evidence> = h
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.serious_illness)
            .map(|(i, _)| ev(format!("members[{i}].serious_illness"), "true"))
            .collect();
        if !ill.is_empty() {
            self.risk(
                "serious_illness",
                ill,
                Text::new("家里有人患大病、慢性病，容易因病返贫致贫。", "A serious or chronic illness in the family is a risk of falling into poverty."),
            );
        }
    }

    fn triggers(&mut self, medical: Money, outpatient: Money, non_compulsory: Money) {
        let p = self.p;
        let group = if self.priority {
            Text::new("脱贫户和监测对象", "formerly poor and monitored households")
        } else {
            Text::new("其他农户", "other households")
        };
        for t in &p.spending_triggers {
            let amount = if self.priority { t.amount_formerly_poor_or_monitored } else { t.amount_others };
            let ratio = if self.priority { t.ratio_formerly_poor_or_monitored } else { t.ratio_others };
            let fired = match t.kind {
                TriggerKind::MedicalInpatientStay => {
                    let Some(limit) = amount else { continue };
                    let ev_items: Vec<Evidence> = self
                        .h
                        .rigid_expenses
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.kind == RigidExpenseKind::MedicalInpatient && e.amount > limit)
                        .map(|(i, e)| ev(format!("rigid_expenses[{i}].amount"), e.amount.display_yuan()))
                        .collect();
                    (!ev_items.is_empty()).then(|| {
                        (
                            "medical_spending_high",
                            ev_items,
                            Text::new(
                                format!("一次住院自付超过 {} 元（{}的标准）。", limit.short(), group.zh),
                                format!("One hospital stay's out-of-pocket cost above {} yuan (the figure for {}).", limit.short(), group.en),
                            ),
                        )
                    })
                }
                TriggerKind::MedicalOutpatientMonthly => {
                    let Some(limit) = amount else { continue };
                    (outpatient > limit.times(12)).then(|| {
                        (
                            "medical_spending_high",
                            vec![ev("rigid_expenses[kind=medical_outpatient]", outpatient.display_yuan())],
                            Text::new(
                                format!("门诊自付平均每月超过 {} 元，也就是一年超过 {} 元（{}的标准）。", limit.short(), limit.times(12).short(), group.zh),
                                format!(
                                    "Outpatient out-of-pocket above {} yuan a month, i.e. {} a year (the figure for {}).",
                                    limit.short(),
                                    limit.times(12).short(),
                                    group.en
                                ),
                            ),
                        )
                    })
                }
                TriggerKind::MedicalAnnualRatio => {
                    let (Some(r), Some(reference)) = (ratio, t.reference_amount) else { continue };
                    let limit = reference.times_ratio(r);
                    (medical > limit).then(|| {
                        let refname = t.reference_name.clone().unwrap_or_else(|| Text::new("参照收入", "the reference income"));
                        (
                            "medical_spending_high",
                            vec![ev("rigid_expenses[kind=medical_*]", medical.display_yuan())],
                            Text::new(
                                format!("一年看病自付超过{}（{} 元）的 {}%，即 {} 元（{}的标准）。", refname.zh, reference.short(), pct(r), limit.display_yuan(), group.zh),
                                format!(
                                    "Yearly medical out-of-pocket above {}% of {} ({} yuan), i.e. {} (the figure for {}).",
                                    pct(r),
                                    refname.en,
                                    reference.short(),
                                    limit.display_yuan(),
                                    group.en
                                ),
                            ),
                        )
                    })
                }
                TriggerKind::SchoolingNonCompulsory => {
                    let Some(limit) = amount else { continue };
                    (non_compulsory > limit).then(|| {
                        (
                            "education_spending_high",
                            vec![ev("rigid_expenses[kind=schooling_non_compulsory]", non_compulsory.display_yuan())],
                            Text::new(
                                format!("非义务教育阶段一年上学自付超过 {} 元（{}的标准）。", limit.short(), group.zh),
                                format!("Schooling out-of-pocket outside compulsory education above {} yuan a year (the figure for {}).", limit.short(), group.en),
                            ),
                        )
                    })
                }
            };
            if let Some((code, evidence, rule)) = fired {
                let c = trigger_clause(p, t);
                self.push_risk(code, evidence, rule, c, Some(t.id.clone()));
            }
        }
    }

    fn key_groups(&mut self) {
        let start = self.as_of.start_of_year();
        let as_of = self.as_of;
        let within = |d: Option<Date>| d.is_some_and(|d| d >= start && d <= as_of);
        let year = as_of.year();
        for (code, field, pick) in [
            ("key_group_new_dibao", "dibao_since", 0usize),
            ("key_group_new_tekun", "tekun_since", 1),
            ("key_group_new_severe_disability", "severe_disability_since", 2),
        ] {
            let e: Vec<Evidence> = self
                .h
                .members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    let d = match pick {
                        0 => m.dibao_since,
                        1 => m.tekun_since,
                        _ => m.severe_disability_since.filter(|_| m.severe_disability),
                    };
                    within(d).then(|| ev(format!("members[{i}].{field}"), d.map(|d| d.to_string()).unwrap_or_default()))
                })
                .collect();
            if !e.is_empty() {
                let what = match pick {
                    0 => ("新纳入或新申请农村低保", "newly on (or applying for) rural dibao"),
                    1 => ("新纳入分散供养特困人员", "newly in tekun support"),
                    _ => ("新增重度残疾人", "newly severely disabled"),
                };
                self.risk(
                    code,
                    e,
                    Text::new(
                        format!("今年（{year} 年 1 月 1 日以来）家里有人{}，属于要逐户排查的重点群体。", what.0),
                        format!("Since 1 January {year} a member is {}: a key group to screen door to door.", what.1),
                    ),
                );
            }
        }
        let min = self.p.category_rules.previous_not_included_min.value;
        let not_included: Vec<Evidence> = self
            .h
            .previous_applications
            .iter()
            .enumerate()
            .filter(|(_, a)| a.outcome == crate::household::PreviousOutcome::NotIncluded)
            .map(|(i, a)| ev(format!("previous_applications[{i}]"), a.date.map(|d| d.to_string()).unwrap_or_else(|| "not_included".into())))
            .collect();
        if not_included.len() as u64 >= u64::from(min) {
            self.risk(
                "key_group_not_included_before",
                not_included,
                Text::new(
                    format!("以前申报或被预警过 {min} 次及以上、没有纳入监测的农户，要逐户排查。"),
                    format!("Households that applied or were flagged {min} or more times without being included are screened door to door."),
                ),
            );
        }
    }
}

fn pct(r: rust_decimal::Decimal) -> String {
    (r * rust_decimal::Decimal::from(100)).normalize().to_string()
}

fn trigger_clause(p: &Profile, t: &SpendingTrigger) -> ClauseRef {
    clause_from(p, &format!("spending_triggers.{}", t.id), Some(&t.provenance))
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

/// Assesses a household under a profile on a date. Pure, deterministic and total.
pub fn assess(h: &Household, p: &Profile, as_of: Date) -> Assessment {
    let range = p.monitoring_range.amount;
    let mut ctx = Ctx { h, p, as_of, priority: h.formerly_poor || h.monitoring.is_some(), risks: Vec::new() };

    // --- Income.
    let mut by_kind = [Money::ZERO; 4];
    let mut counts = [0u32; 4];
    let mut excluded = Vec::new();
    for (i, it) in h.income.iter().enumerate() {
        if let Some(code) = it.item.as_deref()
            && let Some(x) = p.income_exclusions.iter().find(|x| x.code == code)
        {
            excluded.push(ExcludedItem {
                field: format!("income[{i}]"),
                label: it.label.clone(),
                amount: it.amount,
                reason: Text::new(format!("{}不计入家庭收入。", x.name.zh), format!("{} is not counted as income.", x.name.en)),
                clause: clause_from(p, &format!("income_exclusions.{}", x.code), Some(&x.provenance)),
            });
            continue;
        }
        let k = kind_idx(it.kind);
        by_kind[k] = by_kind[k].saturating_add(it.amount);
        counts[k] += 1;
    }
    let gross = by_kind.iter().fold(Money::ZERO, |a, b| a.saturating_add(*b));
    let costs = h.business_costs.iter().fold(Money::ZERO, |a, c| a.saturating_add(c.amount));
    let net = gross.saturating_sub(costs);
    let members_counted = h.members.iter().filter(|m| m.counted).count() as u32;
    let members_not_counted: Vec<usize> = h.members.iter().enumerate().filter(|(_, m)| !m.counted).map(|(i, _)| i).collect();
    let per_capita = PerCapita::new(net, members_counted);
    let below = per_capita.is_some_and(|pc| pc.is_below(range));
    let gap = per_capita.map(|pc| pc.gap_to(range));
    let income = IncomeBreakdown {
        by_kind: IncomeKind::ALL
            .iter()
            .map(|k| KindTotal { kind: *k, label: k.label(), amount: by_kind[kind_idx(*k)], items: counts[kind_idx(*k)] })
            .collect(),
        gross,
        business_costs: costs,
        excluded,
        net_total: net,
        members_listed: h.members.len() as u32,
        members_counted,
        members_not_counted,
        how: Text::new(
            format!(
                "四类收入合计 {} 元，减去生产经营支出 {} 元，得到家庭纯收入 {} 元；按 {} 位同住、共同生活的家庭成员平均。",
                gross.display_yuan(),
                costs.display_yuan(),
                net.display_yuan(),
                members_counted
            ),
            format!(
                "Income of the four kinds {} minus business costs {} gives net income {}; divided among {} members who live and share income together.",
                gross.display_yuan(),
                costs.display_yuan(),
                net.display_yuan(),
                members_counted
            ),
        ),
        clause: clause(p, "per_capita_income"),
    };
    let range_info = RangeInfo {
        amount: range,
        basis: p.monitoring_range.basis.clone(),
        provisional: p.monitoring_range.provenance.provisional,
        screen_note: p.monitoring_range.screen_note.clone(),
        clause: clause_from(p, "monitoring_range", Some(&p.monitoring_range.provenance)),
    };
    let pc_str = per_capita.map(|pc| pc.rounded().display_yuan()).unwrap_or_else(|| "-".into());
    let below_range_reason = Reason {
        text: match (per_capita, below) {
            (None, _) => Text::new("没有可以计算的家庭成员，算不出人均收入。", "No member is counted, so there is no per-capita figure."),
            (Some(_), true) => Text::new(
                format!("家庭年人均纯收入约 {pc_str} 元，低于监测范围 {} 元。", range.short()),
                format!("Per-capita net income is about {pc_str} yuan, below the monitoring range of {} yuan.", range.short()),
            ),
            (Some(_), false) => Text::new(
                format!("家庭年人均纯收入约 {pc_str} 元，不低于监测范围 {} 元（正好相等也不算低于）。", range.short()),
                format!("Per-capita net income is about {pc_str} yuan, not below the range of {} yuan (equal is not below).", range.short()),
            ),
        },
        evidence: vec![ev("income", net.display_yuan()), ev("members[counted]", members_counted.to_string())],
        clause: Some(clause(p, "below_range")),
    };

    // --- Rigid spending.
    let mut medical = Money::ZERO;
    let mut outpatient = Money::ZERO;
    let mut schooling = Money::ZERO;
    let mut non_compulsory = Money::ZERO;
    let mut other = Money::ZERO;
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
    let rigid_total = medical.saturating_add(schooling).saturating_add(other);
    let after = PerCapita::new(net.saturating_sub(rigid_total), members_counted);
    let below_after = after.is_some_and(|pc| pc.is_below(range));

    // --- Risks.
    ctx.guarantees();
    ctx.triggers(medical, outpatient, non_compulsory);
    if rigid_total.is_positive() && below_after {
        let after_s = after.map(|a| a.rounded().display_yuan()).unwrap_or_default();
        ctx.risk(
            "rigid_spending_heavy",
            vec![ev("rigid_expenses", rigid_total.display_yuan()), ev("income", net.display_yuan()), ev("members[counted]", members_counted.to_string())],
            Text::new(
                format!("收入减去必要开支后，人均只剩约 {after_s} 元，低于监测范围 {} 元。", range.short()),
                format!("After unavoidable spending, about {after_s} yuan per person is left, below the range of {} yuan.", range.short()),
            ),
        );
    }
    if let Some(d) = &h.income_drop
        && d.last_year_net_income.is_positive()
        && net < d.last_year_net_income
    {
        let ratio = p.category_rules.income_drop_ratio.value;
        let fall = d.last_year_net_income.saturating_sub(net);
        let evidence = vec![
            ev("income_drop.last_year_net_income", d.last_year_net_income.display_yuan()),
            ev("income", net.display_yuan()),
            ev("income_drop.reason", drop_reason_str(d.reason)),
        ];
        // fall ≥ ratio × last year, compared exactly.
        if fall >= d.last_year_net_income.times_ratio(ratio) {
            ctx.risk(
                "income_drop",
                evidence.clone(),
                Text::new(
                    format!("家庭纯收入比去年少了 {} 元，减少 {}% 及以上算明显下降。", fall.display_yuan(), pct(ratio)),
                    format!("Net income fell by {} yuan; a fall of {}% or more counts as sharp.", fall.display_yuan(), pct(ratio)),
                ),
            );
        }
        match d.reason {
            IncomeDropReason::LostJob => ctx.risk(
                "job_lost",
                evidence,
                Text::new("因为失业或务工不稳，收入比去年少了。", "Income is lower than last year because of a lost job or unstable work."),
            ),
            IncomeDropReason::FailedFarming | IncomeDropReason::FailedBusiness => ctx.risk(
                "business_failed",
                evidence,
                Text::new("因为种养或生意失败，收入比去年少了。", "Income is lower than last year because farming or business failed."),
            ),
            _ => {}
        }
    }
    ctx.key_groups();
    let risks = std::mem::take(&mut ctx.risks);

    // --- Labour.
    let counted_any = members_counted > 0;
    let no_labour = counted_any && h.members.iter().filter(|m| m.counted).all(|m| m.labour == LabourCapacity::None);
    let can_work = h.members.iter().any(|m| m.counted && m.labour.can_work());
    let labour_ev: Vec<Evidence> = h
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.counted)
        .map(|(i, m)| ev(format!("members[{i}].labour"), labour_str(m.labour)))
        .collect();
    let no_labour_reason = Reason {
        text: if no_labour {
            Text::new("家里所有成员都没有劳动能力。", "No member of the household can work.")
        } else if counted_any {
            Text::new("家里有成员有劳动能力（含弱劳力、半劳力）。", "At least one member can work (including weak or half labour).")
        } else {
            Text::new("没有填写家庭成员。", "No members were entered.")
        },
        evidence: labour_ev,
        clause: Some(clause(p, "whole_household_no_labour")),
    };

    // --- Category.
    let mut category_reasons = Vec::new();
    let spending_risk = risks.iter().any(|r| matches!(r.code, "medical_spending_high" | "education_spending_high" | "rigid_spending_heavy"));
    let risk_list = risks.iter().map(|r| r.title.zh.as_str()).collect::<Vec<_>>().join("、");
    let risk_list_en = risks.iter().map(|r| r.title.en.as_str()).collect::<Vec<_>>().join("; ");
    let risk_ev: Vec<Evidence> = risks.iter().map(|r| ev("risks", r.code)).collect();
    let category = if below && !risks.is_empty() {
        let c = if h.formerly_poor { Category::UnstableFormerlyPoor } else { Category::MarginalAtRisk };
        let who = if h.formerly_poor { ("是脱贫户", "a formerly poor household") } else { ("是一般农户", "an ordinary household") };
        let mut e = vec![ev("formerly_poor", yes_no(h.formerly_poor))];
        e.extend(risk_ev.iter().cloned());
        category_reasons.push(Reason {
            text: Text::new(
                format!("您家{}，人均纯收入低于监测范围，并且有风险：{}。可能属于{}。", who.0, risk_list, c.label().zh),
                format!("You are {}, income is below the range, and there are risks: {}. Likely category: {}.", who.1, risk_list_en, c.label().en),
            ),
            evidence: e,
            clause: Some(clause(p, c.clause_key())),
        });
        Some(c)
    } else if spending_risk {
        let c = Category::SuddenHardship;
        category_reasons.push(Reason {
            text: Text::new(
                format!(
                    "您家因为看病、上学或意外等必要开支较大（{}），基本生活可能很困难；收入高于监测范围也可以申请。可能属于{}。",
                    risk_list,
                    c.label().zh
                ),
                format!(
                    "Large unavoidable spending ({}) may make basic living hard; this applies even above the range. Likely category: {}.",
                    risk_list_en,
                    c.label().en
                ),
            ),
            evidence: risk_ev.clone(),
            clause: Some(clause(p, c.clause_key())),
        });
        Some(c)
    } else {
        let text = if below {
            Text::new(
                "人均纯收入低于监测范围，但没有填写其他困难。收入低本身也值得告诉村里，请村干部上门核实。",
                "Income is below the range but no other difficulty was entered. Please still tell the village; a cadre can visit to check.",
            )
        } else if !risks.is_empty() {
            Text::new(
                format!("有风险（{risk_list}），但收入不低于监测范围，必要开支也没有超出标准。请留意，情况变化时再申报。"),
                format!("There are risks ({risk_list_en}) but income is not below the range and spending is within the limits. Apply if things change."),
            )
        } else {
            Text::new("根据填写的情况，暂时看不出返贫致贫风险。", "From what was entered, no risk of falling into poverty shows.")
        };
        category_reasons.push(Reason { text, evidence: risk_ev.clone(), clause: Some(clause(p, "below_range")) });
        None
    };

    // --- Risk elimination (only when already monitored).
    let risk_elimination = h.monitoring.as_ref().map(|mon| {
        let min = p.category_rules.elimination_min_stable_months.value;
        let months = mon.income_stable_since.map(|d| d.whole_months_until(as_of));
        let above = per_capita.is_some_and(|pc| pc.cmp_amount(range) == std::cmp::Ordering::Greater);
        let spending_ok = !risks.iter().any(|r| matches!(r.code, "medical_spending_high" | "education_spending_high" | "rigid_spending_heavy" | "income_drop"));
        let guarantees_ok = !risks.iter().any(|r| {
            matches!(r.code, "housing_unsafe" | "water_quality" | "water_quantity" | "water_access" | "water_supply" | "medical_uninsured" | "education_dropout")
        });
        let on_net = h.members.iter().any(|m| m.counted && m.on_safety_net(as_of));
        let blocked = no_labour && on_net;
        let stable_ok = months.is_some_and(|m| m >= min);
        let c_elim = clause(p, "risk_elimination");
        let mut checks = vec![
            EliminationCheck {
                code: "income_stable",
                met: stable_ok,
                text: match months {
                    Some(m) => Text::new(
                        format!("收入已稳定 {m} 个月，要求至少 {min} 个月。"),
                        format!("Income stable for {m} months; at least {min} needed."),
                    ),
                    None => Text::new(
                        format!("没有填写收入从什么时候开始稳定，要求至少 {min} 个月。"),
                        format!("No date given for stable income; at least {min} months needed."),
                    ),
                },
                evidence: vec![ev("monitoring.income_stable_since", mon.income_stable_since.map(|d| d.to_string()).unwrap_or_default())],
                clause: clause_from(p, "category_rules.elimination_min_stable_months", Some(&p.category_rules.elimination_min_stable_months.provenance)),
            },
            EliminationCheck {
                code: "income_above_range",
                met: above,
                text: Text::new(
                    format!("人均纯收入约 {pc_str} 元，要高于监测范围 {} 元。", range.short()),
                    format!("Per-capita income about {pc_str} yuan must be above the range of {} yuan.", range.short()),
                ),
                evidence: vec![ev("income", net.display_yuan()), ev("members[counted]", members_counted.to_string())],
                clause: c_elim.clone(),
            },
            EliminationCheck {
                code: "spending_resolved",
                met: spending_ok,
                text: if spending_ok {
                    Text::new("没有过大的必要开支，收入也没有明显下降。", "No excessive unavoidable spending and no sharp income drop.")
                } else {
                    Text::new("必要开支过大或收入明显下降的问题还没有解决。", "Large unavoidable spending or a sharp income drop is not yet resolved.")
                },
                evidence: risks.iter().filter(|r| matches!(r.code, "medical_spending_high" | "education_spending_high" | "rigid_spending_heavy" | "income_drop")).map(|r| ev("risks", r.code)).collect(),
                clause: c_elim.clone(),
            },
            EliminationCheck {
                code: "guarantees_secured",
                met: guarantees_ok,
                text: if guarantees_ok {
                    Text::new("住房、医保、上学和饮水都有保障。", "Housing, medical insurance, schooling and water are secured.")
                } else {
                    Text::new("住房、医保、上学或饮水还有问题。", "Housing, medical insurance, schooling or water still has a problem.")
                },
                evidence: risks
                    .iter()
                    .filter(|r| matches!(r.code, "housing_unsafe" | "water_quality" | "water_quantity" | "water_access" | "water_supply" | "medical_uninsured" | "education_dropout"))
                    .map(|r| ev("risks", r.code))
                    .collect(),
                clause: c_elim.clone(),
            },
        ];
        let natural_ok = mon.risk_gone_naturally && risks.is_empty();
        if mon.risk_gone_naturally {
            checks.push(EliminationCheck {
                code: "risk_gone_naturally",
                met: natural_ok,
                text: if natural_ok {
                    Text::new("风险已经自然消除，现在也没有新的风险。", "The risk went away by itself and no new risk shows.")
                } else {
                    Text::new("填写了风险已自然消除，但现在还有风险。", "The risk is said to have gone, but risks still show.")
                },
                evidence: vec![ev("monitoring.risk_gone_naturally", "true")],
                clause: c_elim.clone(),
            });
        }
        checks.push(EliminationCheck {
            code: "not_no_labour_safety_net",
            met: !blocked,
            text: if blocked {
                Text::new(
                    "全家都没有劳动能力，并且享受低保或特困供养（兜底保障），按规定暂不标注风险消除，继续监测。",
                    "No one can work and the household is covered by dibao or tekun: by the rule it is not marked risk-eliminated and stays monitored.",
                )
            } else {
                Text::new("不是整户无劳动能力兜底保障户。", "Not a no-labour household on safety-net cover.")
            },
            evidence: {
                let mut e = vec![ev("whole_household_no_labour", yes_no(no_labour))];
                e.extend(
                    h.members
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.counted && m.on_safety_net(as_of))
                        .map(|(i, m)| ev(format!("members[{i}].{}", if m.dibao_since.is_some() { "dibao_since" } else { "tekun_since" }), "set")),
                );
                e
            },
            clause: clause(p, "no_labour_safety_net"),
        });
        let allowed = !blocked && ((stable_ok && above && spending_ok && guarantees_ok) || natural_ok);
        RiskElimination {
            allowed,
            summary: if allowed {
                Text::new("符合风险消除的条件，由村、乡镇核实后标注。", "Meets the conditions for risk elimination; the village and township confirm.")
            } else {
                Text::new("暂时还不能标注风险消除，原因见下面。", "Cannot be marked risk-eliminated yet; see the reasons below.")
            },
            reasons: checks,
        }
    });

    // --- Measures.
    let eligible = category.is_some() || h.monitoring.is_some();
    let mut measures = Vec::new();
    for m in &p.measures {
        let e = &m.eligibility;
        if e.requires_monitoring_or_category && !eligible {
            continue;
        }
        let mut zh: Vec<String> = Vec::new();
        let mut en: Vec<String> = Vec::new();
        if !e.labour_any_of.is_empty() {
            let Some(mem) = h.members.iter().find(|x| x.counted && e.labour_any_of.contains(&x.labour)) else { continue };
            let l = mem.labour.label();
            zh.push(format!("家里有{}的成员", l.zh));
            en.push(format!("a member is {}", l.en));
        }
        if !e.categories_any_of.is_empty() {
            let Some(c) = category.filter(|c| e.categories_any_of.contains(c)) else { continue };
            zh.push(format!("可能属于{}", c.label().zh));
            en.push(format!("likely category: {}", c.label().en));
        }
        if !e.risks_any_of.is_empty() {
            let Some(r) = risks.iter().find(|r| e.risks_any_of.iter().any(|x| x == r.code)) else { continue };
            zh.push(format!("有“{}”的情况", r.title.zh));
            en.push(format!("risk: {}", r.title.en));
        }
        if !e.schooling_any_of.is_empty() {
            if !h.members.iter().any(|x| e.schooling_any_of.contains(&x.schooling)) {
                continue;
            }
            zh.push("家里有孩子在读高中（中职）或大学（高职）".into());
            en.push("a child is in upper-secondary or higher education".into());
        }
        if let Some(want) = e.whole_household_no_labour {
            if want != no_labour {
                continue;
            }
            if want {
                zh.push("全家都没有劳动能力".into());
                en.push("no one in the household can work".into());
            }
        }
        if let Some(want) = e.formerly_poor {
            if want != h.formerly_poor {
                continue;
            }
            if want {
                zh.push("是脱贫户".into());
                en.push("formerly poor household".into());
            }
        }
        if zh.is_empty() {
            zh.push("纳入监测的家庭可以申请，由有关部门核实".into());
            en.push("open to monitored households, subject to the office's check".into());
        }
        measures.push(MatchedMeasure {
            id: m.id.clone(),
            kind: m.kind,
            title: m.title.clone(),
            summary: m.summary.clone(),
            office: m.office.clone(),
            phone: m.phone.clone(),
            reason: Text::new(format!("{}。", zh.join("；")), format!("{}.", en.join("; "))),
            clause: clause_from(p, &format!("measures.{}", m.id), Some(&m.provenance)),
        });
    }
    // Development first: never only the safety net for a household that can work.
    if can_work && !measures.is_empty() && !measures.iter().any(|m| m.kind == MeasureKind::Development) {
        for m in p.measures.iter().filter(|m| m.kind == MeasureKind::Development) {
            if let Some(mem) = h.members.iter().find(|x| x.counted && x.labour.can_work() && m.eligibility.labour_any_of.contains(&x.labour)) {
                let l = mem.labour.label();
                measures.push(MatchedMeasure {
                    id: m.id.clone(),
                    kind: m.kind,
                    title: m.title.clone(),
                    summary: m.summary.clone(),
                    office: m.office.clone(),
                    phone: m.phone.clone(),
                    reason: Text::new(
                        format!("家里有{}的成员，按政策要先落实开发式帮扶，不能只靠低保兜底。", l.zh),
                        format!("A member is {}: development-type help comes first, not the safety net alone.", l.en),
                    ),
                    clause: clause(p, "development_first"),
                });
            }
        }
    }

    let data_quality = data_quality(h, p, as_of, net, gross, costs, members_counted);

    Assessment {
        profile: p.id.clone(),
        as_of,
        income,
        per_capita_net_income: per_capita,
        monitoring_range: range_info,
        below_range: below,
        below_range_reason,
        gap,
        rigid_spending: RigidSpending { total: rigid_total, medical, schooling, other, per_capita_after: after, below_range_after: below_after },
        risks,
        category,
        category_reasons,
        whole_household_no_labour: no_labour,
        whole_household_no_labour_reason: no_labour_reason,
        risk_elimination,
        measures,
        data_quality,
    }
}

fn labour_str(l: LabourCapacity) -> &'static str {
    match l {
        LabourCapacity::Full => "full",
        LabourCapacity::Weak => "weak",
        LabourCapacity::Half => "half",
        LabourCapacity::None => "none",
    }
}

fn finding(code: &str, field: impl Into<String>, severity: Severity, zh: impl Into<String>, en: impl Into<String>) -> Finding {
    Finding { code: code.to_string(), field: field.into(), severity, message: Text::new(zh, en) }
}

fn data_quality(h: &Household, p: &Profile, as_of: Date, net: Money, gross: Money, costs: Money, counted: u32) -> Vec<Finding> {
    let mut out: Vec<Finding> =
        h.validate(as_of).into_iter().map(|e| Finding { code: e.code, field: e.field, severity: Severity::Error, message: e.message }).collect();
    if as_of < p.effective_from || as_of > p.effective_to {
        out.push(finding(
            "profile_period",
            "as_of",
            Severity::Warning,
            format!("所选政策适用于 {} 到 {}，与评估日期 {as_of} 不一致。", p.effective_from, p.effective_to),
            format!("The profile applies {} to {}, not on {as_of}.", p.effective_from, p.effective_to),
        ));
    }
    if !h.members.is_empty() && counted == 0 {
        out.push(finding("no_counted_members", "members", Severity::Error, "没有计入家庭人口的成员，算不出人均收入。", "No member is counted, so per-capita income cannot be computed."));
    }
    if !h.members.is_empty() && !h.members.iter().any(|m| m.relation == crate::household::Relation::Head) {
        out.push(finding("no_head", "members", Severity::Warning, "请注明哪一位是户主。", "Please mark the head of household."));
    }
    if h.income.is_empty() {
        out.push(finding(
            "no_income",
            "income",
            Severity::Warning,
            "没有填写收入。如果确实没有收入，也请告诉村里。",
            "No income was entered. If there really is none, please tell the village.",
        ));
    }
    if costs > gross && gross.is_positive() {
        out.push(finding(
            "costs_exceed_income",
            "business_costs",
            Severity::Warning,
            "生产经营支出比收入还多，请再核对一下。",
            "Business costs exceed income; please check.",
        ));
    }
    if net.is_negative() {
        out.push(finding("net_negative", "income", Severity::Info, "家庭纯收入是负数。", "Net household income is negative."));
    }
    if h.housing_grade == HousingGrade::Unknown {
        out.push(finding("housing_unknown", "housing_grade", Severity::Info, "还没有填写住房安全等级。", "The housing grade is not given."));
    }
    let w = &h.water;
    for (field, missing) in [
        ("water.quality_ok", w.quality_ok.is_none()),
        ("water.litres_per_person_day", w.litres_per_person_day.is_none()),
        ("water.fetch_round_trip_minutes", w.fetch_round_trip_minutes.is_none()),
        ("water.supply_percent", w.supply_percent.is_none()),
    ] {
        if missing {
            out.push(finding("water_unknown", field, Severity::Info, "饮水情况还没有填写。", "This drinking-water item is not answered."));
        }
    }
    let age = &p.guarantees.compulsory_school_age;
    for (i, m) in h.members.iter().enumerate() {
        if m.counted && m.medical_insurance.is_none() {
            out.push(finding(
                "insurance_unknown",
                format!("members[{i}].medical_insurance"),
                Severity::Info,
                "还没有填写是否参加了医保。",
                "Medical insurance is not answered.",
            ));
        }
        match m.age_at(as_of) {
            None => out.push(finding(
                "age_unknown",
                format!("members[{i}].birth_date"),
                Severity::Warning,
                "请填写出生日期或年龄。",
                "Please give a birth date or age.",
            )),
            Some(a) => {
                if a >= age.from && a <= age.to && m.schooling == Schooling::None && m.out_of_school.is_none() {
                    out.push(finding(
                        "school_unknown",
                        format!("members[{i}].schooling"),
                        Severity::Warning,
                        "这个孩子在上学年龄，请填写是否在上学。",
                        "This child is of compulsory-school age; please say whether they are in school.",
                    ));
                }
                if a > 120 {
                    out.push(finding("age_implausible", format!("members[{i}].age"), Severity::Warning, "年龄超过 120 岁，请核对。", "Age above 120; please check."));
                }
            }
        }
        if m.severe_disability_since.is_some() && !m.severe_disability {
            out.push(finding(
                "disability_inconsistent",
                format!("members[{i}].severe_disability"),
                Severity::Warning,
                "填写了重度残疾的日期，但没有勾选重度残疾。",
                "A disability date is given but severe disability is not ticked.",
            ));
        }
        if m.out_of_school.is_some() && m.schooling != Schooling::None && m.schooling != Schooling::Compulsory {
            out.push(finding(
                "school_inconsistent",
                format!("members[{i}].out_of_school"),
                Severity::Warning,
                "填写了在上学，又填写了失学，请核对。",
                "In school and out of school are both given; please check.",
            ));
        }
    }
    if let Some(d) = &h.income_drop
        && !d.last_year_net_income.is_positive()
    {
        out.push(finding(
            "income_drop_no_base",
            "income_drop.last_year_net_income",
            Severity::Warning,
            "请填写去年的家庭纯收入，才能比较收入下降了多少。",
            "Please give last year's net income to compare the drop.",
        ));
    }
    if h.collected_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
        out.push(finding(
            "collector_unknown",
            "collected_by",
            Severity::Info,
            "请写明是谁填写的（本人，或村干部、网格员的姓名）。",
            "Please say who collected this data (self, or the worker's name).",
        ));
    }
    out
}

/// The CLI's JSON: the assessment with these exact top-level fields: `profile`,
/// `per_capita_net_income` and `monitoring_range` (decimal strings, 2 places, rounded half away
/// from zero for display), `below_range`, `category`, `risks` (objects with `code`),
/// `whole_household_no_labour`, `risk_elimination` (null or `{allowed, reasons}`), `measures`,
/// `data_quality`; plus the detail fields of [`Assessment`] (`monitoring_range_detail`,
/// `per_capita_detail`, ...).
pub fn to_cli_json(a: &Assessment) -> serde_json::Value {
    use serde_json::Value;
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        if let Some(detail) = map.remove("monitoring_range") {
            map.insert("monitoring_range_detail".into(), detail);
        }
        map.insert("monitoring_range".into(), Value::String(a.monitoring_range.amount.to_fixed2()));
        if let Some(detail) = map.remove("per_capita_net_income") {
            map.insert("per_capita_detail".into(), detail);
        }
        map.insert(
            "per_capita_net_income".into(),
            a.per_capita_net_income.map(|pc| Value::String(pc.rounded().to_fixed2())).unwrap_or(Value::Null),
        );
    }
    v
}
