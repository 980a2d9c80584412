//! The explained result of the self-check: every conclusion with its evidence, its rule in words and
//! its policy clause. Made by `explain` from a [`super::Decision`]; serialised as the CLI's JSON.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::date::Date;
use crate::household::IncomeKind;
use crate::money::{Money, PerCapita};
use crate::policy::{MeasureKind, PolicyPeriod};
use crate::text::{Str, Text};
use crate::vocabulary::{Category, RiskCode};

/// One input the conclusion rests on: its field path and the value given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub field: Str,
    pub value: Str,
}

/// The source document a clause rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub document_number: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    /// The url is a copy on another site, not the issuer's page.
    pub mirror: bool,
    /// Not in our files: the title of the source that names or quotes it.
    pub known_from: Option<String>,
    /// What the source is and what we have of it.
    pub note: Option<Text>,
}

/// A figure of the profile a rule used (a threshold, a ratio, a standard), with where it comes
/// from — so a provisional figure says so wherever the rule is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub name: Text,
    /// As shown (`10560`, `30%`, `20 升`).
    pub value: Str,
    pub clause: Arc<ClauseRef>,
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

/// A reason for a conclusion: what, from which inputs, under which clause, with which figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: Text,
    pub evidence: Vec<Evidence>,
    pub clause: Option<Arc<ClauseRef>>,
    pub figures: Vec<Figure>,
}

/// A risk of falling (back) into poverty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// Stable code, e.g. `housing_unsafe`.
    pub code: RiskCode,
    pub title: Text,
    pub evidence: Vec<Evidence>,
    /// The rule in words, with the parameters used.
    pub rule: Text,
    pub clause: Arc<ClauseRef>,
    /// The profile's figures the rule used.
    pub figures: Vec<Figure>,
    /// Depends on income (see [`RiskCode::income_based`]).
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

/// The conditions of 风险消除, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EliminationCheckCode {
    IncomeStable,
    IncomeAboveRange,
    SpendingResolved,
    GuaranteesSecured,
    RiskGoneNaturally,
    NotNoLabourSafetyNet,
}

impl EliminationCheckCode {
    /// The code as in JSON (`income_stable`).
    pub fn code(self) -> &'static str {
        match self {
            EliminationCheckCode::IncomeStable => "income_stable",
            EliminationCheckCode::IncomeAboveRange => "income_above_range",
            EliminationCheckCode::SpendingResolved => "spending_resolved",
            EliminationCheckCode::GuaranteesSecured => "guarantees_secured",
            EliminationCheckCode::RiskGoneNaturally => "risk_gone_naturally",
            EliminationCheckCode::NotNoLabourSafetyNet => "not_no_labour_safety_net",
        }
    }
}

/// One condition of 风险消除.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EliminationCheck {
    pub code: EliminationCheckCode,
    pub met: bool,
    pub text: Text,
    pub evidence: Vec<Evidence>,
    pub clause: Arc<ClauseRef>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskElimination {
    pub allowed: bool,
    pub summary: Text,
    pub reasons: Vec<EliminationCheck>,
}

/// Whether a listed measure is new help or already received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// Help the household could ask for.
    Offered,
    /// 您家已享受: a member already receives it.
    AlreadyReceived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedMeasure {
    pub id: String,
    pub kind: MeasureKind,
    pub title: Text,
    pub summary: Text,
    pub office: Text,
    pub phone: Option<String>,
    pub status: MeasureStatus,
    /// The household's own risk this measure answers (listed first).
    pub answers: Option<RiskCode>,
    pub reason: Text,
    pub clause: Arc<ClauseRef>,
    /// The line it was weighed against (the 低保 line, the range), with its provenance.
    pub figures: Vec<Figure>,
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

/// What the household should do, in one word: the conclusion the result leads with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Likely one of the three categories: apply.
    Category,
    /// One of the seed's key groups: the village screens it household by household (逐户排查),
    /// whatever its income — tell the village.
    HouseholdVisit,
    /// Below the range, no other difficulty entered: still tell the village.
    BelowRange,
    /// Risks, but income and spending within the limits: watch, apply if things change.
    Watch,
    /// Nothing shows.
    NoRisk,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Category => "category",
            Outcome::HouseholdVisit => "household_visit",
            Outcome::BelowRange => "below_range",
            Outcome::Watch => "watch",
            Outcome::NoRisk => "no_risk",
        }
    }
    /// Whether the result offers to apply (the application and its channels).
    pub fn apply(self) -> bool {
        matches!(self, Outcome::Category | Outcome::HouseholdVisit | Outcome::BelowRange)
    }
}

/// The explained result of the self-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub profile: String,
    pub as_of: Date,
    /// The profile's period against the assessment date.
    pub policy: PolicyPeriod,
    /// What the household should do: apply, tell the village, watch, nothing.
    pub outcome: Outcome,
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
    pub fn has_risk(&self, code: RiskCode) -> bool {
        self.risks.iter().any(|r| r.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_codes_are_their_json() {
        use EliminationCheckCode::*;
        for c in [IncomeStable, IncomeAboveRange, SpendingResolved, GuaranteesSecured, RiskGoneNaturally, NotNoLabourSafetyNet] {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.code()));
        }
    }
}
