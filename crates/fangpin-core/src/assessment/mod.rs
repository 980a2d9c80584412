//! The self-check: a pure, deterministic, total function from (household, profile, as-of date) to an
//! explained [`Assessment`]. Rules and their clauses: `docs/assessment.md`.
//!
//! It works in two steps. [`decide`] applies the rules and keeps only what they decided — figures,
//! which risks, the category, which measures — with no words and almost no allocation: a roster of
//! a hundred thousand households stops there. [`explain`] then gives every conclusion its evidence
//! (which inputs, with values), its rule in words with the parameters used, and its policy clause.
//! Both read the same predicates (in each rule's module), so what is explained is what was decided.
//! Errors in the input are values (`data_quality`), never panics.

mod category;
mod elimination;
mod explain;
pub mod income;
mod json;
mod labour;
mod measures;
mod quality;
pub mod result;
pub mod risks;

pub use crate::vocabulary::Category;
pub use elimination::EliminationFacts;
pub use explain::clause_ref;
pub use income::{IncomeFacts, RigidFacts};
pub use json::to_cli_json;
pub use labour::LabourFacts;
pub use measures::MeasureSet;
pub use result::*;
pub use risks::RiskSet;

use crate::date::Date;
use crate::household::Household;
use crate::policy::Profile;
use risks::Scope;

/// What the rules decided about one household, without the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub income: IncomeFacts,
    pub rigid: RigidFacts,
    pub risks: RiskSet,
    pub labour: LabourFacts,
    pub category: Option<Category>,
    pub outcome: Outcome,
    /// Only for households already monitored.
    pub elimination: Option<EliminationFacts>,
    pub measures: MeasureSet,
}

/// What a screen of many households shows of each (a roster's row): the figures, the risks, the
/// labour, the category and the outcome — [`decide`] without the help that fits and without the
/// elimination check, which a screen's row does not show and an opened row computes in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screening {
    pub income: IncomeFacts,
    pub rigid: RigidFacts,
    pub risks: RiskSet,
    pub labour: LabourFacts,
    pub category: Option<Category>,
    pub outcome: Outcome,
}

/// The rules a screen's row shows, exactly as [`decide`] applies them (it starts here).
pub fn screen(h: &Household, p: &Profile, as_of: Date) -> Screening {
    let scope = Scope { h, p, as_of, priority: h.formerly_poor || h.monitoring.is_some() };
    let income = income::decide(h, p);
    let rigid = income::decide_rigid(h, p, &income);
    let risks = risks::decide(&scope, &income, &rigid);
    let labour = labour::decide(h);
    let (category, outcome) = category::decide(h, p, &income, &risks);
    Screening { income, rigid, risks, labour, category, outcome }
}

/// Applies every rule. Pure, deterministic and total; allocates nothing for a household within the
/// core's limits.
pub fn decide(h: &Household, p: &Profile, as_of: Date) -> Decision {
    let Screening { income, rigid, risks, labour, category, outcome } = screen(h, p, as_of);
    let elimination = h.monitoring.as_ref().map(|mon| elimination::decide(mon, h, p, as_of, &income, &risks, &labour));
    let measures = measures::decide(h, p, as_of, &income, category, &risks, &labour);
    Decision { income, rigid, risks, labour, category, outcome, elimination, measures }
}

impl Decision {
    /// The part of the decision a screen's row shows.
    pub fn screening(&self) -> Screening {
        Screening {
            income: self.income,
            rigid: self.rigid,
            risks: self.risks,
            labour: self.labour,
            category: self.category,
            outcome: self.outcome,
        }
    }
}

/// Assesses a household under a profile on a date: the decision, explained.
pub fn assess(h: &Household, p: &Profile, as_of: Date) -> Assessment {
    explain(&decide(h, p, as_of), h, p, as_of)
}

/// Every conclusion of `d` with its evidence, rule and clause. `d` must be `decide(h, p, as_of)`.
pub fn explain(d: &Decision, h: &Household, p: &Profile, as_of: Date) -> Assessment {
    let material = explain::material(p);
    let m: &explain::Material = &material;
    let scope = Scope { h, p, as_of, priority: h.formerly_poor || h.monitoring.is_some() };
    let shown = income::shown(&d.income, p, m);
    let risks = risks::explain(&d.risks, &scope, &d.income, &d.rigid, &shown, m);
    let range = p.monitoring_range.amount;
    Assessment {
        profile: p.id.clone(),
        as_of,
        policy: p.period(as_of),
        outcome: d.outcome,
        income: income::explain(&d.income, h, p, m),
        per_capita_net_income: d.income.per_capita,
        monitoring_range: income::range_info(p, m),
        below_range: d.income.below_range,
        below_range_reason: income::below_range_reason(&d.income, &shown, p, m),
        gap: d.income.per_capita.map(|pc| pc.gap_to(range)),
        rigid_spending: income::explain_rigid(&d.rigid),
        category: d.category,
        category_reasons: vec![category::explain(d.category, d.outcome, h, &d.income, &d.rigid, &risks, p, m)],
        whole_household_no_labour: d.labour.no_labour,
        whole_household_no_labour_reason: labour::explain(&d.labour, h, p, m),
        risk_elimination: d
            .elimination
            .as_ref()
            .zip(h.monitoring.as_ref())
            .map(|(f, mon)| elimination::explain(f, mon, h, p, as_of, &risks, &d.labour, &shown, m)),
        measures: measures::explain(&d.measures, h, p, as_of, &d.income, d.category, &d.risks, &d.labour, m),
        data_quality: quality::explain(h, p, as_of, &d.income),
        risks,
    }
}
