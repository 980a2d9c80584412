//! What explaining needs, made once: the profile's clauses and rules in words (kept for the
//! embedded profiles for the life of the program, made for one call for any other profile), the
//! field paths and numbers quoted as evidence, and the small helpers every rule's explanation uses.
//!
//! Clause references (with their sources) and the rules in words with the profile's parameters filled
//! in are the same for every household; only the evidence is the household's own.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use super::result::{ClauseRef, Evidence, Figure, SourceRef};
use crate::money::Money;
use crate::policy::{Profile, Provenance};
use crate::text::{Str, Text};
use crate::vocabulary::ClauseKey;

/// One piece of evidence: a field path and the value given.
pub(super) fn ev(field: impl Into<Str>, value: impl Into<Str>) -> Evidence {
    Evidence { field: field.into(), value: value.into() }
}

/// The clause behind a value given as a profile `Provenance` (also for screens that quote a profile
/// value outside an assessment).
pub fn clause_ref(p: &Profile, key: &str, pr: &Provenance) -> ClauseRef {
    ClauseRef {
        key: key.to_string(),
        clause: pr.clause.clone(),
        source: pr.source.as_deref().and_then(|id| p.source(id)).map(|s| SourceRef {
            id: s.id.clone(),
            title: s.title.clone(),
            document_number: s.document_number.clone(),
            date: s.date,
            url: s.url.clone(),
            mirror: s.mirror,
            known_from: s.known_from.as_deref().and_then(|k| p.source(k)).map(|k| k.title.clone()),
            note: s.note.clone(),
        }),
        provisional: pr.provisional,
        provisional_reason: pr.reason.clone(),
    }
}

pub(super) fn yes_no(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A ratio as a percentage (`0.3` → `30`).
pub(super) fn pct(r: rust_decimal::Decimal) -> String {
    (r * rust_decimal::Decimal::from(100)).normalize().to_string()
}

/// Appends one clause of a reason (joined by `；` / `; `).
pub(super) fn reason_part(zh: &mut String, en: &mut String, z: std::fmt::Arguments<'_>, e: std::fmt::Arguments<'_>) {
    if !zh.is_empty() {
        zh.push('；');
        en.push_str("; ");
    }
    let _ = zh.write_fmt(z);
    let _ = en.write_fmt(e);
}

/// Rules in words that depend only on the profile.
#[derive(Clone, Copy)]
pub(super) enum RuleSlot {
    WaterQuantity,
    WaterQuantityRich,
    WaterAccess,
    WaterSupply,
    EducationDropout,
    NotIncludedBefore,
}
const RULE_SLOTS: usize = 6;

/// The profile's figures a rule can quote, each with its own provenance ([`Figure`]).
#[derive(Clone, Copy)]
pub(super) enum FigureRef {
    /// The monitoring range.
    Range,
    /// The share of last year's income whose loss is a sharp drop (a risk).
    DropRatio,
    /// The share whose loss makes 突发严重困难户 by income.
    SuddenDropRatio,
    /// The drinking-water standard.
    Water,
    /// Compulsory-school age.
    SchoolAge,
    /// Earlier applications not included, from how many on.
    NotIncludedMin,
    /// The county's rural 低保 line.
    DibaoLine,
}
const FIGURE_REFS: usize = 7;

/// Short figures of the profile used inside texts.
#[derive(Clone, Copy)]
pub(super) enum FigureSlot {
    /// The monitoring range, short (`10560`).
    RangeShown,
    /// The income-drop ratio as a percentage (`50`).
    DropPct,
}
const FIGURE_SLOTS: usize = 2;

/// What explaining needs from a profile, made on first use: the clauses (with their sources) and the
/// rules in words with the profile's figures filled in.
pub(super) struct Material {
    clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    pub(super) range_clause: OnceLock<Arc<ClauseRef>>,
    pub(super) stable_months_clause: OnceLock<Arc<ClauseRef>>,
    pub(super) trigger_clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    /// Per trigger: the rule for other households, and for formerly poor or monitored ones.
    pub(super) trigger_rules: Vec<[OnceLock<Option<Text>>; 2]>,
    pub(super) exclusions: Vec<OnceLock<(Arc<ClauseRef>, Text)>>,
    pub(super) measure_clauses: Vec<OnceLock<Arc<ClauseRef>>>,
    rules: [OnceLock<Text>; RULE_SLOTS],
    figures: [OnceLock<Str>; FIGURE_SLOTS],
    figure_refs: [OnceLock<Option<Figure>>; FIGURE_REFS],
}

fn cells<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Material {
    fn new(p: &Profile) -> Material {
        Material {
            clauses: cells(ClauseKey::ALL.len()),
            range_clause: OnceLock::new(),
            stable_months_clause: OnceLock::new(),
            trigger_clauses: cells(p.spending_triggers.len()),
            trigger_rules: (0..p.spending_triggers.len()).map(|_| [OnceLock::new(), OnceLock::new()]).collect(),
            exclusions: cells(p.income_exclusions.len()),
            measure_clauses: cells(p.measures.len()),
            rules: std::array::from_fn(|_| OnceLock::new()),
            figures: std::array::from_fn(|_| OnceLock::new()),
            figure_refs: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// A figure the rules quote, with its provenance (None: the profile has no such figure).
    pub(super) fn figure_ref(&self, p: &Profile, f: FigureRef) -> Option<Figure> {
        self.figure_refs[f as usize]
            .get_or_init(|| {
                let cr = &p.category_rules;
                let (key, name, value, pr) = match f {
                    FigureRef::Range => (
                        "monitoring_range",
                        // The unit in the name, so the value reads the same in both languages.
                        Text::lit("监测范围（元）", "monitoring range (yuan)"),
                        p.monitoring_range.amount.short(),
                        &p.monitoring_range.provenance,
                    ),
                    FigureRef::DropRatio => (
                        "category_rules.income_drop_ratio",
                        Text::lit("收入明显下降的比例", "share that counts as a sharp drop"),
                        format!("{}%", pct(cr.income_drop_ratio.value)),
                        &cr.income_drop_ratio.provenance,
                    ),
                    FigureRef::SuddenDropRatio => (
                        "category_rules.sudden_hardship_income_drop_ratio",
                        Text::lit("收入大幅缩减的比例", "share that counts as a severe fall"),
                        format!("{}%", pct(cr.sudden_hardship_income_drop_ratio.value)),
                        &cr.sudden_hardship_income_drop_ratio.provenance,
                    ),
                    FigureRef::Water => {
                        let w = &p.guarantees.water;
                        (
                            "guarantees.water",
                            Text::lit("饮水安全标准", "drinking-water standard"),
                            format!(
                                "{}/{} L, {} min, {}%",
                                w.min_litres_per_person_day,
                                w.min_litres_per_person_day_water_rich,
                                w.max_fetch_round_trip_minutes,
                                w.min_supply_percent
                            ),
                            &w.provenance,
                        )
                    }
                    FigureRef::SchoolAge => {
                        let a = &p.guarantees.compulsory_school_age;
                        (
                            "guarantees.compulsory_school_age",
                            Text::lit("义务教育年龄", "compulsory-school age"),
                            format!("{}–{}", a.from, a.to),
                            &a.provenance,
                        )
                    }
                    FigureRef::NotIncludedMin => (
                        "category_rules.previous_not_included_min",
                        Text::lit("以前申报或预警未纳入的次数", "earlier applications or flags not included"),
                        cr.previous_not_included_min.value.to_string(),
                        &cr.previous_not_included_min.provenance,
                    ),
                    FigureRef::DibaoLine => {
                        let d = p.dibao_line.as_ref()?;
                        (
                            "dibao_line",
                            Text::lit("农村低保标准（元/月）", "rural dibao line (yuan a month)"),
                            d.monthly.short(),
                            &d.provenance,
                        )
                    }
                };
                Some(Figure { name, value: Str::from(value).into_shared(), clause: Arc::new(clause_ref(p, key, pr)) })
            })
            .clone()
    }

    /// The figures, those the profile has.
    pub(super) fn figures(&self, p: &Profile, fs: &[FigureRef]) -> Vec<Figure> {
        fs.iter().filter_map(|f| self.figure_ref(p, *f)).collect()
    }

    /// The profile's clause for `k`.
    pub(super) fn clause(&self, p: &Profile, k: ClauseKey) -> Arc<ClauseRef> {
        self.clauses[k.index()].get_or_init(|| Arc::new(clause_ref(p, k.name(), p.clauses.get(k)))).clone()
    }
    pub(super) fn rule(&self, slot: RuleSlot, make: impl FnOnce() -> Text) -> Text {
        self.rules[slot as usize].get_or_init(|| make().into_shared()).clone()
    }
    pub(super) fn figure(&self, slot: FigureSlot, make: impl FnOnce() -> String) -> Str {
        self.figures[slot as usize].get_or_init(|| Str::from(make()).into_shared()).clone()
    }
}

/// The material for `p`: kept for the profiles of this program ([`crate::policy::installed`]), fresh for any other.
pub(super) enum MaterialRef {
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

pub(super) fn material(p: &Profile) -> MaterialRef {
    // The installed profiles are immutable statics, so material keyed by their address never goes
    // stale. Any other profile (a server's reloaded file, a test's changed copy) lives elsewhere and
    // gets its own.
    let all = &crate::policy::installed().profiles;
    if let Some(i) = all.iter().position(|e| std::ptr::eq(e, p)) {
        static KEPT: OnceLock<Vec<Material>> = OnceLock::new();
        return MaterialRef::Kept(&KEPT.get_or_init(|| all.iter().map(Material::new).collect())[i]);
    }
    MaterialRef::Fresh(Box::new(Material::new(p)))
}

// --- Evidence strings made once ------------------------------------------------------------------

/// Member fields named in evidence (`members[i].<field>`).
#[derive(Clone, Copy)]
pub(super) enum MemberField {
    MedicalInsurance,
    OutOfSchool,
    Age,
    SeriousIllness,
    Labour,
    DibaoSince,
    TekunSince,
    SevereDisabilitySince,
    DibaoApplied,
    TekunApplied,
}
const MEMBER_FIELDS: [&str; 10] = [
    "medical_insurance",
    "out_of_school",
    "age",
    "serious_illness",
    "labour",
    "dibao_since",
    "tekun_since",
    "severe_disability_since",
    "dibao_applied",
    "tekun_applied",
];
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

pub(super) fn member_path(i: usize, f: MemberField) -> Str {
    if i < PREPARED_MEMBERS {
        Str::from_static(prepared().member_paths[i * MEMBER_FIELDS.len() + f as usize])
    } else {
        Str::from(format!("members[{i}].{}", MEMBER_FIELDS[f as usize]))
    }
}

pub(super) fn number(n: u32) -> Str {
    if n < PREPARED_NUMBERS { Str::from_static(prepared().numbers[n as usize]) } else { Str::from(n.to_string()) }
}

/// An amount as shown (`12,345.67`), shareable between the evidence that quotes it.
pub(super) fn yuan_str(m: Money) -> Str {
    let mut b = crate::money::StackStr::new();
    if write!(b, "{}", m).is_ok() { Str::shared(b.as_str()) } else { Str::from(m.display_yuan()).into_shared() }
}

/// The per-capita figure as shown, or `-` when there is none.
pub(super) struct PcShown(pub(super) Option<Money>);

impl std::fmt::Display for PcShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(m) => std::fmt::Display::fmt(&m, f),
            None => f.write_str("-"),
        }
    }
}
