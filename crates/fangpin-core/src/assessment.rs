//! The assessment (being written).
use serde::{Deserialize, Serialize};

/// 监测对象 categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    UnstableFormerlyPoor,
    MarginalAtRisk,
    SuddenHardship,
}

pub const RISK_CODES: &[&str] = &[
    "housing_unsafe", "water_quality", "water_quantity", "water_access", "water_supply", "medical_uninsured", "education_dropout",
    "serious_illness", "medical_spending_high", "education_spending_high", "rigid_spending_heavy", "income_drop", "job_lost",
    "business_failed", "key_group_new_dibao", "key_group_new_tekun", "key_group_new_severe_disability", "key_group_not_included_before",
];

pub const CLAUSE_KEYS: &[&str] = &[
    "per_capita_income", "below_range", "category_unstable_formerly_poor", "category_marginal_at_risk", "category_sudden_hardship",
    "whole_household_no_labour", "risk_elimination", "no_labour_safety_net", "development_first",
    "housing_unsafe", "water_quality", "water_quantity", "water_access", "water_supply", "medical_uninsured", "education_dropout",
    "serious_illness", "rigid_spending_heavy", "income_drop", "job_lost", "business_failed", "key_group_new_dibao", "key_group_new_tekun",
    "key_group_new_severe_disability", "key_group_not_included_before",
];
