//! The self-check: a pure, deterministic, total function from (household, profile, as-of date) to an
//! explained [`Assessment`]. Rules and their clauses: `docs/assessment.md`.
//!
//! Every conclusion carries its evidence (which inputs, with values), the rule in words with the
//! parameters used, and the policy clause from the profile. Errors in the input are values
//! (`data_quality`), never panics.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use crate::date::Date;
use crate::household::{
    Household, HousingGrade, IncomeDropReason, IncomeKind, LabourCapacity, OutOfSchoolReason, RigidExpenseKind, Schooling,
};
use crate::money::{Money, PerCapita};
use crate::policy::{MeasureKind, Profile, Provenance, SpendingTrigger, TriggerKind};
use crate::text::{Str, Text};

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
            Category::UnstableFormerlyPoor => Text::lit("脱贫不稳定户", "unstable formerly poor household"),
            Category::MarginalAtRisk => Text::lit("边缘易致贫户", "marginal household at risk"),
            Category::SuddenHardship => Text::lit("突发严重困难户", "household in sudden severe hardship"),
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
    Text::lit(zh, en)
}

/// One input the conclusion rests on: its field path and the value given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub field: Str,
    pub value: Str,
}

fn ev(field: impl Into<Str>, value: impl Into<Str>) -> Evidence {
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

/// The clause behind a value given as a profile `Provenance` (for screens that quote a profile value
/// outside an assessment).
pub fn clause_ref(p: &Profile, key: &str, pr: &Provenance) -> ClauseRef {
    clause_from(p, key, Some(pr))
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

/// Clauses in results are shared with the profile's explanation material; this gives an owned copy
/// (e.g. for a view that takes a `ClauseRef`).
impl From<Arc<ClauseRef>> for ClauseRef {
    fn from(c: Arc<ClauseRef>) -> ClauseRef {
        Arc::unwrap_or_clone(c)
    }
}

impl From<&Arc<ClauseRef>> for ClauseRef {
    fn from(c: &Arc<ClauseRef>) -> ClauseRef {
        ClauseRef::clone(c)
    }
}

/// A reason for a conclusion: what, from which inputs, under which clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: Text,
    pub evidence: Vec<Evidence>,
    pub clause: Option<Arc<ClauseRef>>,
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
    pub clause: Arc<ClauseRef>,
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
    pub clause: Arc<ClauseRef>,
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
    pub clause: Arc<ClauseRef>,
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
    pub clause: Arc<ClauseRef>,
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
    pub clause: Arc<ClauseRef>,
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
    pub clause: Arc<ClauseRef>,
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

// --- Explanation material that depends only on the profile ---------------------------------------
//
// Clause references (with their sources) and the rules in words with the profile's parameters filled
// in are the same for every household. They are built on first use and kept: for the embedded
// profiles (immutable statics) for the life of the program, for any other profile for one call.

/// Index of `key` in [`CLAUSE_KEYS`]; evaluated at compile time where used with `const { }`.
const fn ck(key: &str) -> usize {
    let mut i = 0;
    while i < CLAUSE_KEYS.len() {
        let a = CLAUSE_KEYS[i].as_bytes();
        let b = key.as_bytes();
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not a clause key")
}

/// Rules in words that depend only on the profile.
#[derive(Clone, Copy)]
enum RuleSlot {
    WaterQuantity,
    WaterQuantityRich,
    WaterAccess,
    WaterSupply,
    EducationDropout,
    NotIncludedBefore,
}
const RULE_SLOTS: usize = 6;

/// Short figures of the profile used inside texts.
#[derive(Clone, Copy)]
enum FigureSlot {
    /// The monitoring range, short (`10560`).
    RangeShort,
    /// The income-drop ratio as a percentage (`50`).
    DropPct,
}
const FIGURE_SLOTS: usize = 2;

struct Material {
    clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    range_clause: OnceLock<Arc<ClauseRef>>,
    stable_months_clause: OnceLock<Arc<ClauseRef>>,
    trigger_clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    /// Per trigger: the rule for other households, and for formerly poor or monitored ones.
    trigger_rules: Vec<[OnceLock<Option<Text>>; 2]>,
    exclusions: Vec<OnceLock<(Arc<ClauseRef>, Text)>>,
    measure_clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    rules: [OnceLock<Text>; RULE_SLOTS],
    figures: [OnceLock<Str>; FIGURE_SLOTS],
}

fn cells<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Material {
    fn new(p: &Profile) -> Material {
        Material {
            clauses: cells(CLAUSE_KEYS.len()),
            range_clause: OnceLock::new(),
            stable_months_clause: OnceLock::new(),
            trigger_clauses: cells(p.spending_triggers.len()),
            trigger_rules: (0..p.spending_triggers.len()).map(|_| [OnceLock::new(), OnceLock::new()]).collect(),
            exclusions: cells(p.income_exclusions.len()),
            measure_clauses: cells(p.measures.len()),
            rules: std::array::from_fn(|_| OnceLock::new()),
            figures: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// The clause `CLAUSE_KEYS[i]`.
    fn clause(&self, p: &Profile, i: usize) -> Arc<ClauseRef> {
        self.clauses[i].get_or_init(|| Arc::new(clause(p, CLAUSE_KEYS[i]))).clone()
    }
    fn rule(&self, slot: RuleSlot, make: impl FnOnce() -> Text) -> Text {
        self.rules[slot as usize].get_or_init(|| make().into_shared()).clone()
    }
    fn figure(&self, slot: FigureSlot, make: impl FnOnce() -> String) -> Str {
        self.figures[slot as usize].get_or_init(|| Str::from(make()).into_shared()).clone()
    }
}

/// The material for `p`: kept for the embedded profiles, fresh for any other.
enum MaterialRef {
    Kept(&'static Material),
    Fresh(Box<Material>),
}

impl std::ops::Deref for MaterialRef {
    type Target = Material;
    fn deref(&self) -> &Material {
        match self {
            MaterialRef::Kept(m) => m,
            MaterialRef::Fresh(m) => m,
        }
    }
}

fn material(p: &Profile) -> MaterialRef {
    // Embedded profiles are immutable statics, so material keyed by their address never goes stale. A
    // profile loaded or changed at run time is not one of them (it lives elsewhere) and gets its own.
    let all = crate::policy::embedded_profiles();
    if let Some(i) = all.iter().position(|e| std::ptr::eq(e, p)) {
        static KEPT: OnceLock<Vec<Material>> = OnceLock::new();
        return MaterialRef::Kept(&KEPT.get_or_init(|| all.iter().map(Material::new).collect())[i]);
    }
    MaterialRef::Fresh(Box::new(Material::new(p)))
}

// --- Evidence strings made once ------------------------------------------------------------------

/// Member fields named in evidence (`members[i].<field>`).
#[derive(Clone, Copy)]
enum MemberField {
    MedicalInsurance,
    OutOfSchool,
    Age,
    SeriousIllness,
    Labour,
    DibaoSince,
    TekunSince,
    SevereDisabilitySince,
}
const MEMBER_FIELDS: [&str; 8] =
    ["medical_insurance", "out_of_school", "age", "serious_illness", "labour", "dibao_since", "tekun_since", "severe_disability_since"];
/// Members whose field paths are prepared (larger households format the rest).
const PREPARED_MEMBERS: usize = 16;
/// Counts and ages prepared as text.
const PREPARED_NUMBERS: u32 = 160;

struct Prepared {
    member_paths: Vec<&'static str>,
    numbers: Vec<&'static str>,
}

fn prepared() -> &'static Prepared {
    static P: OnceLock<Prepared> = OnceLock::new();
    P.get_or_init(|| {
        // One string, made once and kept for the program's life, sliced into the paths and numbers.
        let mut all = String::new();
        let mut spans = Vec::new();
        for i in 0..PREPARED_MEMBERS {
            for f in MEMBER_FIELDS {
                let start = all.len();
                let _ = write!(all, "members[{i}].{f}");
                spans.push((start, all.len()));
            }
        }
        for n in 0..PREPARED_NUMBERS {
            let start = all.len();
            let _ = write!(all, "{n}");
            spans.push((start, all.len()));
        }
        let all: &'static str = Box::leak(all.into_boxed_str());
        let mut slices = spans.into_iter().map(|(a, b)| &all[a..b]);
        let member_paths = slices.by_ref().take(PREPARED_MEMBERS * MEMBER_FIELDS.len()).collect();
        Prepared { member_paths, numbers: slices.collect() }
    })
}

fn member_path(i: usize, f: MemberField) -> Str {
    if i < PREPARED_MEMBERS {
        Str::from_static(prepared().member_paths[i * MEMBER_FIELDS.len() + f as usize])
    } else {
        Str::from(format!("members[{i}].{}", MEMBER_FIELDS[f as usize]))
    }
}

fn number(n: u32) -> Str {
    if n < PREPARED_NUMBERS { Str::from_static(prepared().numbers[n as usize]) } else { Str::from(n.to_string()) }
}

/// An amount as shown (`12,345.67`), shareable between the evidence that quotes it.
fn yuan_str(m: Money) -> Str {
    let mut b = crate::money::StackStr::new();
    if write!(b, "{}", m).is_ok() { Str::shared(b.as_str()) } else { Str::from(m.display_yuan()).into_shared() }
}

/// The per-capita figure as shown, or `-` when there is none.
struct PcShown(Option<Money>);

impl std::fmt::Display for PcShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(m) => std::fmt::Display::fmt(&m, f),
            None => f.write_str("-"),
        }
    }
}

struct Ctx<'a> {
    h: &'a Household,
    p: &'a Profile,
    m: &'a Material,
    as_of: Date,
    priority: bool,
    risks: Vec<Risk>,
}

/// `risk!(ctx, "code", evidence, rule)`: a risk under the profile's clause for its code.
macro_rules! risk {
    ($ctx:expr, $code:literal, $evidence:expr, $rule:expr) => {
        $ctx.risk_at($code, const { ck($code) }, $evidence, $rule)
    };
}

impl Ctx<'_> {
    fn risk_at(&mut self, code: &'static str, clause_idx: usize, evidence: Vec<Evidence>, rule: Text) {
        let clause = self.m.clause(self.p, clause_idx);
        self.push_risk(code, evidence, rule, clause, None);
    }
    fn push_risk(&mut self, code: &'static str, evidence: Vec<Evidence>, rule: Text, clause: Arc<ClauseRef>, trigger: Option<String>) {
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
        let m = self.m;
        if h.housing_grade.is_unsafe() {
            risk!(
                self,
                "housing_unsafe",
                vec![ev("housing_grade", grade_str(h.housing_grade))],
                Text::lit("住房安全鉴定为 C 级或 D 级的，属于危房。", "A home graded C or D is unsafe.")
            );
        }
        let w = &h.water;
        let std = &p.guarantees.water;
        if w.quality_ok == Some(false) {
            risk!(
                self,
                "water_quality",
                vec![ev("water.quality_ok", "false")],
                Text::lit("饮用水水质要达标。", "Drinking water must meet the quality standard.")
            );
        }
        if let Some(l) = w.litres_per_person_day {
            let min = if w.water_rich_area { std.min_litres_per_person_day_water_rich } else { std.min_litres_per_person_day };
            if l < min {
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
                risk!(
                    self,
                    "water_quantity",
                    vec![ev("water.litres_per_person_day", number(l)), ev("water.water_rich_area", yes_no(w.water_rich_area))],
                    rule
                );
            }
        }
        if let Some(mins) = w.fetch_round_trip_minutes
            && mins > std.max_fetch_round_trip_minutes
        {
            let rule = m.rule(RuleSlot::WaterAccess, || {
                Text::new(
                    format!("取水往返不能超过 {} 分钟。", std.max_fetch_round_trip_minutes),
                    format!("Fetching water must take at most {} minutes there and back.", std.max_fetch_round_trip_minutes),
                )
            });
            risk!(self, "water_access", vec![ev("water.fetch_round_trip_minutes", number(mins))], rule);
        }
        if let Some(s) = w.supply_percent
            && s < std.min_supply_percent
        {
            let rule = m.rule(RuleSlot::WaterSupply, || {
                Text::new(
                    format!("供水保证率不能低于 {}%。", std.min_supply_percent),
                    format!("Water must be available at least {}% of the time.", std.min_supply_percent),
                )
            });
            risk!(self, "water_supply", vec![ev("water.supply_percent", number(s))], rule);
        }
        let uninsured: Vec<Evidence> = h
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.counted && m.medical_insurance == Some(false))
            .map(|(i, _)| ev(member_path(i, MemberField::MedicalInsurance), "false"))
            .collect();
        if !uninsured.is_empty() {
            risk!(
                self,
                "medical_uninsured",
                uninsured,
                Text::lit("家里每个人都要参加城乡居民基本医疗保险。", "Every member must be enrolled in basic medical insurance.")
            );
        }
        let age = &p.guarantees.compulsory_school_age;
        let mut dropouts = Vec::new();
        for (i, mem) in h.members.iter().enumerate() {
            let Some(reason) = mem.out_of_school else { continue };
            if reason == OutOfSchoolReason::Health {
                continue;
            }
            let a = mem.age_at(self.as_of);
            let school_age = a.is_some_and(|a| a >= age.from && a <= age.to);
            if school_age || mem.schooling == Schooling::Compulsory {
                dropouts.push(ev(member_path(i, MemberField::OutOfSchool), oos_str(reason)));
                if let Some(a) = a {
                    dropouts.push(ev(member_path(i, MemberField::Age), number(a)));
                }
            }
        }
        if !dropouts.is_empty() {
            let rule = m.rule(RuleSlot::EducationDropout, || {
                Text::new(
                    format!("{} 到 {} 岁的孩子要上学，身体原因以外不能失学辍学。", age.from, age.to),
                    format!("Children aged {} to {} must be in school unless health prevents it.", age.from, age.to),
                )
            });
            risk!(self, "education_dropout", dropouts, rule);
        }
        let ill: Vec<Evidence> = h
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.serious_illness)
            .map(|(i, _)| ev(member_path(i, MemberField::SeriousIllness), "true"))
            .collect();
        if !ill.is_empty() {
            risk!(
                self,
                "serious_illness",
                ill,
                Text::lit(
                    "家里有人患大病、慢性病，容易因病返贫致贫。",
                    "A serious or chronic illness in the family is a risk of falling into poverty."
                )
            );
        }
    }

    fn triggers(&mut self, medical: Money, outpatient: Money, non_compulsory: Money) {
        let p = self.p;
        let m = self.m;
        let priority = self.priority;
        for (ti, t) in p.spending_triggers.iter().enumerate() {
            let fired = match t.kind {
                TriggerKind::MedicalInpatientStay => {
                    let amount = if priority { t.amount_formerly_poor_or_monitored } else { t.amount_others };
                    let Some(limit) = amount else { continue };
                    let ev_items: Vec<Evidence> = self
                        .h
                        .rigid_expenses
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.kind == RigidExpenseKind::MedicalInpatient && e.amount > limit)
                        .map(|(i, e)| ev(format!("rigid_expenses[{i}].amount"), e.amount.display_yuan()))
                        .collect();
                    (!ev_items.is_empty()).then_some(("medical_spending_high", ev_items))
                }
                TriggerKind::MedicalOutpatientMonthly => {
                    let amount = if priority { t.amount_formerly_poor_or_monitored } else { t.amount_others };
                    let Some(limit) = amount else { continue };
                    (outpatient > limit.times(12))
                        .then(|| ("medical_spending_high", vec![ev("rigid_expenses[kind=medical_outpatient]", outpatient.display_yuan())]))
                }
                TriggerKind::MedicalAnnualRatio => {
                    let ratio = if priority { t.ratio_formerly_poor_or_monitored } else { t.ratio_others };
                    let (Some(r), Some(reference)) = (ratio, t.reference_amount) else { continue };
                    let limit = reference.times_ratio(r);
                    (medical > limit).then(|| ("medical_spending_high", vec![ev("rigid_expenses[kind=medical_*]", medical.display_yuan())]))
                }
                TriggerKind::SchoolingNonCompulsory => {
                    let amount = if priority { t.amount_formerly_poor_or_monitored } else { t.amount_others };
                    let Some(limit) = amount else { continue };
                    (non_compulsory > limit).then(|| {
                        (
                            "education_spending_high",
                            vec![ev("rigid_expenses[kind=schooling_non_compulsory]", non_compulsory.display_yuan())],
                        )
                    })
                }
            };
            if let Some((code, evidence)) = fired {
                let rule = m.trigger_rules[ti][usize::from(priority)].get_or_init(|| trigger_rule(t, priority).map(Text::into_shared));
                let Some(rule) = rule.clone() else { continue };
                let c = m.trigger_clauses[ti].get_or_init(|| Arc::new(trigger_clause(p, t))).clone();
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
            ("key_group_new_dibao", MemberField::DibaoSince, 0usize),
            ("key_group_new_tekun", MemberField::TekunSince, 1),
            ("key_group_new_severe_disability", MemberField::SevereDisabilitySince, 2),
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
                    within(d).then(|| ev(member_path(i, field), d.map(|d| d.to_string()).unwrap_or_default()))
                })
                .collect();
            if !e.is_empty() {
                let what = match pick {
                    0 => ("新纳入或新申请农村低保", "newly on (or applying for) rural dibao"),
                    1 => ("新纳入分散供养特困人员", "newly in tekun support"),
                    _ => ("新增重度残疾人", "newly severely disabled"),
                };
                let rule = Text::new(
                    format!("今年（{year} 年 1 月 1 日以来）家里有人{}，属于要逐户排查的重点群体。", what.0),
                    format!("Since 1 January {year} a member is {}: a key group to screen door to door.", what.1),
                );
                match pick {
                    0 => risk!(self, "key_group_new_dibao", e, rule),
                    1 => risk!(self, "key_group_new_tekun", e, rule),
                    _ => risk!(self, "key_group_new_severe_disability", e, rule),
                }
                debug_assert!(self.risks.last().is_some_and(|r| r.code == code));
            }
        }
        let min = self.p.category_rules.previous_not_included_min.value;
        let not_included: Vec<Evidence> = self
            .h
            .previous_applications
            .iter()
            .enumerate()
            .filter(|(_, a)| a.outcome == crate::household::PreviousOutcome::NotIncluded)
            .map(|(i, a)| {
                ev(
                    format!("previous_applications[{i}]"),
                    a.date.map(|d| Str::from(d.to_string())).unwrap_or(Str::from_static("not_included")),
                )
            })
            .collect();
        if not_included.len() as u64 >= u64::from(min) {
            let rule = self.m.rule(RuleSlot::NotIncludedBefore, || {
                Text::new(
                    format!("以前申报或被预警过 {min} 次及以上、没有纳入监测的农户，要逐户排查。"),
                    format!(
                        "Households that applied or were flagged {min} or more times without being included are screened door to door."
                    ),
                )
            });
            risk!(self, "key_group_not_included_before", not_included, rule);
        }
    }
}

/// The rule of a spending trigger in words, for one group of households (None when the profile gives
/// no figure for that group, in which case the trigger never fires for it).
fn trigger_rule(t: &SpendingTrigger, priority: bool) -> Option<Text> {
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

/// The risks' titles joined (`、` in Chinese, `; ` in English).
fn risk_lists(risks: &[Risk]) -> (String, String) {
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

/// Appends one clause of a measure's reason (joined by `；` / `; `).
fn reason_part(zh: &mut String, en: &mut String, z: std::fmt::Arguments<'_>, e: std::fmt::Arguments<'_>) {
    if !zh.is_empty() {
        zh.push('；');
        en.push_str("; ");
    }
    let _ = zh.write_fmt(z);
    let _ = en.write_fmt(e);
}

/// Assesses a household under a profile on a date. Pure, deterministic and total.
pub fn assess(h: &Household, p: &Profile, as_of: Date) -> Assessment {
    let material = material(p);
    let m: &Material = &material;
    let range = p.monitoring_range.amount;
    let mut ctx = Ctx { h, p, m, as_of, priority: h.formerly_poor || h.monitoring.is_some(), risks: Vec::new() };

    // --- Income.
    let mut by_kind = [Money::ZERO; 4];
    let mut counts = [0u32; 4];
    let mut excluded = Vec::new();
    for (i, it) in h.income.iter().enumerate() {
        if let Some(code) = it.item.as_deref()
            && let Some(xi) = p.income_exclusions.iter().position(|x| x.code == code)
        {
            let (clause, reason) = m.exclusions[xi]
                .get_or_init(|| {
                    let x = &p.income_exclusions[xi];
                    (
                        Arc::new(clause_from(p, &format!("income_exclusions.{}", x.code), Some(&x.provenance))),
                        Text::new(format!("{}不计入家庭收入。", x.name.zh), format!("{} is not counted as income.", x.name.en))
                            .into_shared(),
                    )
                })
                .clone();
            excluded.push(ExcludedItem { field: format!("income[{i}]"), label: it.label.clone(), amount: it.amount, reason, clause });
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
                gross, costs, net, members_counted
            ),
            format!(
                "Income of the four kinds {} minus business costs {} gives net income {}; divided among {} members who live and share income together.",
                gross, costs, net, members_counted
            ),
        ),
        clause: m.clause(p, const { ck("per_capita_income") }),
    };
    let range_info = RangeInfo {
        amount: range,
        basis: p.monitoring_range.basis.clone(),
        provisional: p.monitoring_range.provenance.provisional,
        screen_note: p.monitoring_range.screen_note.clone(),
        clause: m.range_clause.get_or_init(|| Arc::new(clause_from(p, "monitoring_range", Some(&p.monitoring_range.provenance)))).clone(),
    };
    let range_short = m.figure(FigureSlot::RangeShort, || range.short());
    let pc_shown = PcShown(per_capita.map(|pc| pc.rounded()));
    let net_shown = yuan_str(net);
    let counted_shown = number(members_counted);
    let below_range_reason = Reason {
        text: match (per_capita, below) {
            (None, _) => Text::lit("没有可以计算的家庭成员，算不出人均收入。", "No member is counted, so there is no per-capita figure."),
            (Some(_), true) => Text::new(
                format!("家庭年人均纯收入约 {pc_shown} 元，低于监测范围 {range_short} 元。"),
                format!("Per-capita net income is about {pc_shown} yuan, below the monitoring range of {range_short} yuan."),
            ),
            (Some(_), false) => Text::new(
                format!("家庭年人均纯收入约 {pc_shown} 元，不低于监测范围 {range_short} 元（正好相等也不算低于）。"),
                format!("Per-capita net income is about {pc_shown} yuan, not below the range of {range_short} yuan (equal is not below)."),
            ),
        },
        evidence: vec![ev("income", net_shown.clone()), ev("members[counted]", counted_shown.clone())],
        clause: Some(m.clause(p, const { ck("below_range") })),
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
        let after_s = PcShown(after.map(|a| a.rounded()));
        let after_s: &dyn std::fmt::Display = if after.is_some() { &after_s } else { &"" };
        risk!(
            ctx,
            "rigid_spending_heavy",
            vec![
                ev("rigid_expenses", yuan_str(rigid_total)),
                ev("income", net_shown.clone()),
                ev("members[counted]", counted_shown.clone())
            ],
            Text::new(
                format!("收入减去必要开支后，人均只剩约 {after_s} 元，低于监测范围 {range_short} 元。"),
                format!("After unavoidable spending, about {after_s} yuan per person is left, below the range of {range_short} yuan."),
            )
        );
    }
    if let Some(d) = &h.income_drop
        && d.last_year_net_income.is_positive()
        && net < d.last_year_net_income
    {
        let ratio = p.category_rules.income_drop_ratio.value;
        let fall = d.last_year_net_income.saturating_sub(net);
        let evidence = vec![
            ev("income_drop.last_year_net_income", yuan_str(d.last_year_net_income)),
            ev("income", net_shown.clone()),
            ev("income_drop.reason", drop_reason_str(d.reason)),
        ];
        // fall ≥ ratio × last year, compared exactly.
        if fall >= d.last_year_net_income.times_ratio(ratio) {
            let pct_s = m.figure(FigureSlot::DropPct, || pct(ratio));
            risk!(
                ctx,
                "income_drop",
                evidence.clone(),
                Text::new(
                    format!("家庭纯收入比去年少了 {fall} 元，减少 {pct_s}% 及以上算明显下降。"),
                    format!("Net income fell by {fall} yuan; a fall of {pct_s}% or more counts as sharp."),
                )
            );
        }
        match d.reason {
            IncomeDropReason::LostJob => risk!(
                ctx,
                "job_lost",
                evidence,
                Text::lit("因为失业或务工不稳，收入比去年少了。", "Income is lower than last year because of a lost job or unstable work.")
            ),
            IncomeDropReason::FailedFarming | IncomeDropReason::FailedBusiness => risk!(
                ctx,
                "business_failed",
                evidence,
                Text::lit("因为种养或生意失败，收入比去年少了。", "Income is lower than last year because farming or business failed.")
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
        .map(|(i, mem)| ev(member_path(i, MemberField::Labour), labour_str(mem.labour)))
        .collect();
    let no_labour_reason = Reason {
        text: if no_labour {
            Text::lit("家里所有成员都没有劳动能力。", "No member of the household can work.")
        } else if counted_any {
            Text::lit("家里有成员有劳动能力（含弱劳力、半劳力）。", "At least one member can work (including weak or half labour).")
        } else {
            Text::lit("没有填写家庭成员。", "No members were entered.")
        },
        evidence: labour_ev,
        clause: Some(m.clause(p, const { ck("whole_household_no_labour") })),
    };

    // --- Category.
    let mut category_reasons = Vec::with_capacity(1);
    let spending_risk =
        risks.iter().any(|r| matches!(r.code, "medical_spending_high" | "education_spending_high" | "rigid_spending_heavy"));
    let risk_ev = || risks.iter().map(|r| ev("risks", r.code)).collect::<Vec<Evidence>>();
    let category = if below && !risks.is_empty() {
        let c = if h.formerly_poor { Category::UnstableFormerlyPoor } else { Category::MarginalAtRisk };
        let who =
            if h.formerly_poor { ("是脱贫户", "a formerly poor household") } else { ("是一般农户", "an ordinary household") };
        let (risk_list, risk_list_en) = risk_lists(&risks);
        let mut e = Vec::with_capacity(risks.len() + 1);
        e.push(ev("formerly_poor", yes_no(h.formerly_poor)));
        e.extend(risks.iter().map(|r| ev("risks", r.code)));
        let label = c.label();
        category_reasons.push(Reason {
            text: Text::new(
                format!("您家{}，人均纯收入低于监测范围，并且有风险：{}。可能属于{}。", who.0, risk_list, label.zh),
                format!(
                    "You are {}, income is below the range, and there are risks: {}. Likely category: {}.",
                    who.1, risk_list_en, label.en
                ),
            ),
            evidence: e,
            clause: Some(match c {
                Category::UnstableFormerlyPoor => m.clause(p, const { ck("category_unstable_formerly_poor") }),
                _ => m.clause(p, const { ck("category_marginal_at_risk") }),
            }),
        });
        Some(c)
    } else if spending_risk {
        let c = Category::SuddenHardship;
        let (risk_list, risk_list_en) = risk_lists(&risks);
        let label = c.label();
        category_reasons.push(Reason {
            text: Text::new(
                format!(
                    "您家因为看病、上学或意外等必要开支较大（{}），基本生活可能很困难；收入高于监测范围也可以申请。可能属于{}。",
                    risk_list, label.zh
                ),
                format!(
                    "Large unavoidable spending ({}) may make basic living hard; this applies even above the range. Likely category: {}.",
                    risk_list_en, label.en
                ),
            ),
            evidence: risk_ev(),
            clause: Some(m.clause(p, const { ck("category_sudden_hardship") })),
        });
        Some(c)
    } else {
        let text = if below {
            Text::lit(
                "人均纯收入低于监测范围，但没有填写其他困难。收入低本身也值得告诉村里，请村干部上门核实。",
                "Income is below the range but no other difficulty was entered. Please still tell the village; a cadre can visit to check.",
            )
        } else if !risks.is_empty() {
            let (risk_list, risk_list_en) = risk_lists(&risks);
            Text::new(
                format!("有风险（{risk_list}），但收入不低于监测范围，必要开支也没有超出标准。请留意，情况变化时再申报。"),
                format!(
                    "There are risks ({risk_list_en}) but income is not below the range and spending is within the limits. Apply if things change."
                ),
            )
        } else {
            Text::lit("根据填写的情况，暂时看不出返贫致贫风险。", "From what was entered, no risk of falling into poverty shows.")
        };
        category_reasons.push(Reason { text, evidence: risk_ev(), clause: Some(m.clause(p, const { ck("below_range") })) });
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
        let c_elim = m.clause(p, const { ck("risk_elimination") });
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
                evidence: vec![ev(
                    "monitoring.income_stable_since",
                    mon.income_stable_since.map(|d| Str::from(d.to_string())).unwrap_or_default(),
                )],
                clause: m
                    .stable_months_clause
                    .get_or_init(|| {
                        Arc::new(clause_from(
                            p,
                            "category_rules.elimination_min_stable_months",
                            Some(&p.category_rules.elimination_min_stable_months.provenance),
                        ))
                    })
                    .clone(),
            },
            EliminationCheck {
                code: "income_above_range",
                met: above,
                text: Text::new(
                    format!("人均纯收入约 {pc_shown} 元，要高于监测范围 {range_short} 元。"),
                    format!("Per-capita income about {pc_shown} yuan must be above the range of {range_short} yuan."),
                ),
                evidence: vec![ev("income", net_shown.clone()), ev("members[counted]", counted_shown.clone())],
                clause: c_elim.clone(),
            },
            EliminationCheck {
                code: "spending_resolved",
                met: spending_ok,
                text: if spending_ok {
                    Text::lit("没有过大的必要开支，收入也没有明显下降。", "No excessive unavoidable spending and no sharp income drop.")
                } else {
                    Text::lit("必要开支过大或收入明显下降的问题还没有解决。", "Large unavoidable spending or a sharp income drop is not yet resolved.")
                },
                evidence: risks
                    .iter()
                    .filter(|r| matches!(r.code, "medical_spending_high" | "education_spending_high" | "rigid_spending_heavy" | "income_drop"))
                    .map(|r| ev("risks", r.code))
                    .collect(),
                clause: c_elim.clone(),
            },
            EliminationCheck {
                code: "guarantees_secured",
                met: guarantees_ok,
                text: if guarantees_ok {
                    Text::lit("住房、医保、上学和饮水都有保障。", "Housing, medical insurance, schooling and water are secured.")
                } else {
                    Text::lit("住房、医保、上学或饮水还有问题。", "Housing, medical insurance, schooling or water still has a problem.")
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
                    Text::lit("风险已经自然消除，现在也没有新的风险。", "The risk went away by itself and no new risk shows.")
                } else {
                    Text::lit("填写了风险已自然消除，但现在还有风险。", "The risk is said to have gone, but risks still show.")
                },
                evidence: vec![ev("monitoring.risk_gone_naturally", "true")],
                clause: c_elim.clone(),
            });
        }
        checks.push(EliminationCheck {
            code: "not_no_labour_safety_net",
            met: !blocked,
            text: if blocked {
                Text::lit(
                    "全家都没有劳动能力，并且享受低保或特困供养（兜底保障），按规定暂不标注风险消除，继续监测。",
                    "No one can work and the household is covered by dibao or tekun: by the rule it is not marked risk-eliminated and stays monitored.",
                )
            } else {
                Text::lit("不是整户无劳动能力兜底保障户。", "Not a no-labour household on safety-net cover.")
            },
            evidence: {
                let mut e = vec![ev("whole_household_no_labour", yes_no(no_labour))];
                e.extend(h.members.iter().enumerate().filter(|(_, m)| m.counted && m.on_safety_net(as_of)).map(|(i, m)| {
                    ev(member_path(i, if m.dibao_since.is_some() { MemberField::DibaoSince } else { MemberField::TekunSince }), "set")
                }));
                e
            },
            clause: m.clause(p, const { ck("no_labour_safety_net") }),
        });
        let allowed = !blocked && ((stable_ok && above && spending_ok && guarantees_ok) || natural_ok);
        RiskElimination {
            allowed,
            summary: if allowed {
                Text::lit("符合风险消除的条件，由村、乡镇核实后标注。", "Meets the conditions for risk elimination; the village and township confirm.")
            } else {
                Text::lit("暂时还不能标注风险消除，原因见下面。", "Cannot be marked risk-eliminated yet; see the reasons below.")
            },
            reasons: checks,
        }
    });

    // --- Measures.
    let eligible = category.is_some() || h.monitoring.is_some();
    let mut measures = Vec::new();
    for (mi, ms) in p.measures.iter().enumerate() {
        let e = &ms.eligibility;
        if e.requires_monitoring_or_category && !eligible {
            continue;
        }
        let mut zh = String::new();
        let mut en = String::new();
        if !e.labour_any_of.is_empty() {
            let Some(mem) = h.members.iter().find(|x| x.counted && e.labour_any_of.contains(&x.labour)) else { continue };
            let l = mem.labour.label();
            reason_part(&mut zh, &mut en, format_args!("家里有{}的成员", l.zh), format_args!("a member is {}", l.en));
        }
        if !e.categories_any_of.is_empty() {
            let Some(c) = category.filter(|c| e.categories_any_of.contains(c)) else { continue };
            let l = c.label();
            reason_part(&mut zh, &mut en, format_args!("可能属于{}", l.zh), format_args!("likely category: {}", l.en));
        }
        if !e.risks_any_of.is_empty() {
            let Some(r) = risks.iter().find(|r| e.risks_any_of.iter().any(|x| x == r.code)) else { continue };
            reason_part(&mut zh, &mut en, format_args!("有“{}”的情况", r.title.zh), format_args!("risk: {}", r.title.en));
        }
        if !e.schooling_any_of.is_empty() {
            if !h.members.iter().any(|x| e.schooling_any_of.contains(&x.schooling)) {
                continue;
            }
            reason_part(
                &mut zh,
                &mut en,
                format_args!("家里有孩子在读高中（中职）或大学（高职）"),
                format_args!("a child is in upper-secondary or higher education"),
            );
        }
        if let Some(want) = e.whole_household_no_labour {
            if want != no_labour {
                continue;
            }
            if want {
                reason_part(&mut zh, &mut en, format_args!("全家都没有劳动能力"), format_args!("no one in the household can work"));
            }
        }
        if let Some(want) = e.formerly_poor {
            if want != h.formerly_poor {
                continue;
            }
            if want {
                reason_part(&mut zh, &mut en, format_args!("是脱贫户"), format_args!("formerly poor household"));
            }
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
        measures.push(MatchedMeasure {
            id: ms.id.clone(),
            kind: ms.kind,
            title: ms.title.clone(),
            summary: ms.summary.clone(),
            office: ms.office.clone(),
            phone: ms.phone.clone(),
            reason: Text::new(zh, en),
            clause: m.measure_clauses[mi]
                .get_or_init(|| Arc::new(clause_from(p, &format!("measures.{}", ms.id), Some(&ms.provenance))))
                .clone(),
        });
    }
    // Development first: never only the safety net for a household that can work.
    if can_work && !measures.is_empty() && !measures.iter().any(|m| m.kind == MeasureKind::Development) {
        for ms in p.measures.iter().filter(|m| m.kind == MeasureKind::Development) {
            if let Some(mem) =
                h.members.iter().find(|x| x.counted && x.labour.can_work() && ms.eligibility.labour_any_of.contains(&x.labour))
            {
                let l = mem.labour.label();
                measures.push(MatchedMeasure {
                    id: ms.id.clone(),
                    kind: ms.kind,
                    title: ms.title.clone(),
                    summary: ms.summary.clone(),
                    office: ms.office.clone(),
                    phone: ms.phone.clone(),
                    reason: Text::new(
                        format!("家里有{}的成员，按政策要先落实开发式帮扶，不能只靠低保兜底。", l.zh),
                        format!("A member is {}: development-type help comes first, not the safety net alone.", l.en),
                    ),
                    clause: m.clause(p, const { ck("development_first") }),
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
        rigid_spending: RigidSpending {
            total: rigid_total,
            medical,
            schooling,
            other,
            per_capita_after: after,
            below_range_after: below_after,
        },
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
    let mut out: Vec<Finding> = h
        .validate(as_of)
        .into_iter()
        .map(|e| Finding { code: e.code, field: e.field, severity: Severity::Error, message: e.message })
        .collect();
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
        out.push(finding(
            "no_counted_members",
            "members",
            Severity::Error,
            "没有计入家庭人口的成员，算不出人均收入。",
            "No member is counted, so per-capita income cannot be computed.",
        ));
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
        out.push(finding(
            "housing_unknown",
            "housing_grade",
            Severity::Info,
            "还没有填写住房安全等级。",
            "The housing grade is not given.",
        ));
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
                    out.push(finding(
                        "age_implausible",
                        format!("members[{i}].age"),
                        Severity::Warning,
                        "年龄超过 120 岁，请核对。",
                        "Age above 120; please check.",
                    ));
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
