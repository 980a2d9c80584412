//! Runs every case in `tests/cases/*.toml` and lists every failing one.
//!
//! A case names a household from `tests/cases/households.toml` and states only what differs (`set`
//! a value at a path, `remove` one), then what must come out (`expect`). Cases cannot pass by
//! accident: unknown keys anywhere are errors, risk codes and categories are typed, measure ids must
//! exist in the profile, a `set` path must lead somewhere, and a case must expect something.

use std::collections::BTreeMap;
use std::path::Path;

use fangpin_core::assessment::{EliminationCheckCode, MeasureStatus, Outcome};
use fangpin_core::{Category, Date, Household, RiskCode, assess, policy, to_cli_json};
use serde::Deserialize;
use serde_json::Value;

#[path = "support/case_households.rs"]
mod case_households;
use case_households::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default = "default_household")]
    household: String,
    #[serde(default = "default_profile")]
    profile: String,
    #[serde(default = "default_as_of")]
    as_of: String,
    /// Path → value: `housing_grade`, `members[3].medical_insurance`, `rigid_expenses[+]` (appends).
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    /// Paths to take out of the household.
    #[serde(default)]
    remove: Vec<String>,
    /// Top-level keys of the profile replaced for this case.
    #[serde(default)]
    profile_patch: BTreeMap<String, toml::Value>,
    expect: Expect,
}

fn default_household() -> String {
    "family_of_four".into()
}
fn default_profile() -> String {
    fangpin_core::DEFAULT_PROFILE_ID.into()
}
fn default_as_of() -> String {
    "2023-06-01".into()
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum CategoryIs {
    None,
    UnstableFormerlyPoor,
    MarginalAtRisk,
    SuddenHardship,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum EliminationIs {
    /// The household is not monitored: no elimination check at all.
    None,
    Allowed,
    Refused,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    category: Option<CategoryIs>,
    below_range: Option<bool>,
    /// The rounded per-capita figure (`"10000.00"`), or `"none"` when nothing can be computed.
    per_capita: Option<String>,
    whole_household_no_labour: Option<bool>,
    #[serde(default)]
    risks_present: Vec<RiskCode>,
    #[serde(default)]
    risks_absent: Vec<RiskCode>,
    #[serde(default)]
    measures_present: Vec<String>,
    #[serde(default)]
    measures_absent: Vec<String>,
    elimination: Option<EliminationIs>,
    #[serde(default)]
    elimination_failed: Vec<EliminationCheckCode>,
    /// Exactly these fields are invalid (`Household::validate`).
    invalid_fields: Option<Vec<String>>,
    #[serde(default)]
    data_quality_present: Vec<String>,
    /// The household does not even parse.
    #[serde(default)]
    parse_error: bool,
    /// What the result leads with (`category`, `household_visit`, `below_range`, `watch`, `no_risk`).
    outcome: Option<Outcome>,
    /// These measures appear in this order (others may come between).
    #[serde(default)]
    measures_order: Vec<String>,
    /// These measures are listed as already received ("您家已享受"), not as new help.
    #[serde(default)]
    measures_received: Vec<String>,
    /// The monitoring range is marked provisional (with its reason) in the result.
    range_provisional: Option<bool>,
    /// Each of these risks shows a provisional figure of the profile beside its rule.
    #[serde(default)]
    provisional_figures: Vec<RiskCode>,
    /// The profile is in force on `as_of`.
    policy_in_force: Option<bool>,
}

impl Expect {
    fn is_empty(&self) -> bool {
        self.category.is_none()
            && self.below_range.is_none()
            && self.per_capita.is_none()
            && self.whole_household_no_labour.is_none()
            && self.risks_present.is_empty()
            && self.risks_absent.is_empty()
            && self.measures_present.is_empty()
            && self.measures_absent.is_empty()
            && self.elimination.is_none()
            && self.elimination_failed.is_empty()
            && self.invalid_fields.is_none()
            && self.data_quality_present.is_empty()
            && !self.parse_error
            && self.outcome.is_none()
            && self.measures_order.is_empty()
            && self.measures_received.is_empty()
            && self.range_provisional.is_none()
            && self.provisional_figures.is_empty()
            && self.policy_in_force.is_none()
    }
}

fn profile_for(case: &Case) -> Result<policy::Profile, String> {
    let (_, source) = policy::embedded_profile_sources()
        .iter()
        .find(|(_, j)| policy::parse_profile_json(j).is_ok_and(|p| p.id == case.profile))
        .ok_or(format!("no profile {}", case.profile))?;
    let mut v: Value = serde_json::from_str(source).map_err(|e| e.to_string())?;
    for (k, val) in &case.profile_patch {
        if v.get(k).is_none() {
            return Err(format!("profile_patch: the profile has no {k}"));
        }
        v[k] = json(val);
    }
    let p = policy::parse_profile_json(&v.to_string()).map_err(|e| e.to_string())?;
    let errs = p.validate();
    if !errs.is_empty() {
        return Err(format!("patched profile invalid: {errs:?}"));
    }
    Ok(p)
}

fn check(case: &Case, bases: &BTreeMap<String, Value>) -> Vec<String> {
    let expect = &case.expect;
    if expect.is_empty() {
        return vec!["expects nothing".into()];
    }
    let doc = match case_households::household_of(bases, &case.household, &case.set, &case.remove) {
        Ok(d) => d,
        Err(e) => return vec![e],
    };
    let household: Result<Household, _> = serde_json::from_value(doc);
    if expect.parse_error {
        return if household.is_ok() { vec!["expected the household not to parse".into()] } else { vec![] };
    }
    let h = match household {
        Ok(h) => h,
        Err(e) => return vec![format!("household does not parse: {e}")],
    };
    let p = match profile_for(case) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    let Ok(as_of) = Date::parse(&case.as_of) else { return vec![format!("bad as_of {}", case.as_of)] };
    let a = assess(&h, &p, as_of);
    let mut fails = Vec::new();
    let mut want = |what: &str, ok: bool, detail: String| {
        if !ok {
            fails.push(format!("{what}: {detail}"));
        }
    };
    if let Some(c) = expect.category {
        let got = a.category;
        let is = match c {
            CategoryIs::None => None,
            CategoryIs::UnstableFormerlyPoor => Some(Category::UnstableFormerlyPoor),
            CategoryIs::MarginalAtRisk => Some(Category::MarginalAtRisk),
            CategoryIs::SuddenHardship => Some(Category::SuddenHardship),
        };
        want("category", got == is, format!("expected {is:?}, got {got:?}"));
    }
    if let Some(b) = expect.below_range {
        want("below_range", a.below_range == b, format!("expected {b}, got {}", a.below_range));
    }
    if let Some(pc) = &expect.per_capita {
        let got = to_cli_json(&a)["per_capita_net_income"].as_str().unwrap_or("none").to_string();
        want("per_capita", &got == pc, format!("expected {pc}, got {got}"));
    }
    if let Some(n) = expect.whole_household_no_labour {
        want("whole_household_no_labour", a.whole_household_no_labour == n, format!("expected {n}"));
    }
    let codes: Vec<RiskCode> = a.risks.iter().map(|r| r.code).collect();
    for r in &expect.risks_present {
        want("risks_present", codes.contains(r), format!("{r} missing (got {codes:?})"));
    }
    for r in &expect.risks_absent {
        want("risks_absent", !codes.contains(r), format!("{r} should be absent"));
    }
    let measures: Vec<&str> = a.measures.iter().map(|m| m.id.as_str()).collect();
    for m in expect.measures_present.iter().chain(&expect.measures_absent) {
        want("measures", p.measure(m).is_some(), format!("the profile has no measure {m}"));
    }
    for m in &expect.measures_present {
        want("measures_present", measures.contains(&m.as_str()), format!("{m} missing (got {measures:?})"));
    }
    for m in &expect.measures_absent {
        want("measures_absent", !measures.contains(&m.as_str()), format!("{m} should be absent"));
    }
    if let Some(e) = expect.elimination {
        let got = match &a.risk_elimination {
            None => EliminationIs::None,
            Some(r) if r.allowed => EliminationIs::Allowed,
            Some(_) => EliminationIs::Refused,
        };
        want("elimination", got == e, format!("expected {e:?}, got {got:?}"));
    }
    for f in &expect.elimination_failed {
        let failed = a.risk_elimination.as_ref().is_some_and(|r| r.reasons.iter().any(|c| c.code == *f && !c.met));
        want("elimination_failed", failed, format!("expected check {f:?} to fail"));
    }
    if let Some(fields) = &expect.invalid_fields {
        let mut got: Vec<String> = h.validate(as_of).into_iter().map(|e| e.field).collect();
        got.sort();
        got.dedup();
        let mut fields = fields.clone();
        fields.sort();
        want("invalid_fields", got == fields, format!("expected {fields:?}, got {got:?}"));
    }
    if let Some(o) = expect.outcome {
        want("outcome", a.outcome == o, format!("expected {o:?}, got {:?}", a.outcome));
    }
    for m in expect.measures_order.iter().chain(&expect.measures_received) {
        want("measures", p.measure(m).is_some(), format!("the profile has no measure {m}"));
    }
    let positions: Vec<Option<usize>> = expect.measures_order.iter().map(|m| measures.iter().position(|x| x == m)).collect();
    want(
        "measures_order",
        positions.iter().all(Option::is_some) && positions.windows(2).all(|w| w[0] < w[1]),
        format!("expected {:?} in this order, got {measures:?}", expect.measures_order),
    );
    for m in &expect.measures_received {
        let received = a.measures.iter().any(|x| &x.id == m && x.status == MeasureStatus::AlreadyReceived);
        want("measures_received", received, format!("{m} should be listed as already received"));
    }
    if let Some(pv) = expect.range_provisional {
        let r = &a.monitoring_range;
        let shown = r.provisional == pv && (!pv || (r.clause.provisional && r.clause.provisional_reason.is_some()));
        want("range_provisional", shown, format!("expected provisional = {pv} with its reason"));
    }
    for code in &expect.provisional_figures {
        let shown = a
            .risks
            .iter()
            .any(|r| r.code == *code && r.figures.iter().any(|f| f.clause.provisional && f.clause.provisional_reason.is_some()));
        want("provisional_figures", shown, format!("{code} should carry a provisional figure with its reason"));
    }
    if let Some(f) = expect.policy_in_force {
        let ok = a.policy.in_force == f && (f || a.policy.note.is_some());
        want("policy_in_force", ok, format!("expected {f} (and a note when not), got {:?}", a.policy));
    }
    let dq: Vec<&str> = a.data_quality.iter().map(|f| f.code.as_str()).collect();
    for d in &expect.data_quality_present {
        want("data_quality_present", dq.contains(&d.as_str()), format!("{d} missing (got {dq:?})"));
    }
    // Invariants of every case: every risk explains itself; a household that can work never gets
    // only the safety net.
    for r in &a.risks {
        let explained =
            !r.evidence.is_empty() && !r.rule.is_incomplete() && (r.clause.clause.is_some() || r.clause.provisional_reason.is_some());
        want("explanation", explained, format!("risk {} does not explain itself", r.code));
    }
    let can_work = h.members.iter().any(|m| m.counted && m.labour.can_work());
    let only_safety_net = !a.measures.is_empty() && !a.measures.iter().any(|m| m.kind == policy::MeasureKind::Development);
    want("development first", !(can_work && only_safety_net), "a household that can work got only safety-net measures".into());
    fails
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn all_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let bases = case_households::bases(&dir).expect("the named households");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("cases dir").filter_map(Result::ok).map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("households.toml"));
    files.sort();
    let mut report = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for path in &files {
        let file: CaseFile = read(path);
        for case in &file.case {
            if !names.insert(case.name.clone()) {
                report.push(format!("{}: the name is used twice", case.name));
            }
            for f in check(case, &bases) {
                report.push(format!("{} ({}): {f}", case.name, path.file_name().unwrap_or_default().to_string_lossy()));
            }
        }
    }
    assert!(names.len() >= 50, "expected the cases, found {}", names.len());
    assert!(report.is_empty(), "{} failure(s):\n{}", report.len(), report.join("\n"));
}

/// The runner itself: a typo in an expectation, an unknown risk, a path to nowhere, a measure the
/// profile does not have and a case that expects nothing all fail instead of passing silently.
#[test]
fn cases_cannot_pass_by_accident() {
    assert!(toml::from_str::<CaseFile>("[[case]]\nname = \"x\"\nexpect = { categroy = \"none\" }").is_err(), "unknown expect key");
    assert!(toml::from_str::<CaseFile>("[[case]]\nname = \"x\"\nexpect = { risks_present = [\"made_up\"] }").is_err(), "unknown risk");
    assert!(toml::from_str::<CaseFile>("[[case]]\nname = \"x\"\nsett = {}\nexpect = { below_range = true }").is_err(), "unknown case key");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let bases = case_households::bases(&dir).expect("the named households");
    let fails = |src: &str| -> Vec<String> {
        let f: CaseFile = toml::from_str(src).expect("parses");
        check(&f.case[0], &bases)
    };
    assert!(!fails("[[case]]\nname = \"x\"\nexpect = {}").is_empty(), "expects nothing");
    assert!(
        !fails("[[case]]\nname = \"x\"\nset = { \"memberz[0].age\" = 3 }\nexpect = { below_range = true }").is_empty(),
        "typo in a path"
    );
    assert!(!fails("[[case]]\nname = \"x\"\nset = { \"members[9].age\" = 3 }\nexpect = { below_range = true }").is_empty(), "no such item");
    assert!(!fails("[[case]]\nname = \"x\"\nexpect = { measures_absent = [\"no_such_measure\"] }").is_empty(), "unknown measure");
    assert!(!fails("[[case]]\nname = \"x\"\nexpect = { below_range = false }").is_empty(), "a wrong expectation fails");
}
