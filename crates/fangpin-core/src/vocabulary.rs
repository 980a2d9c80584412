//! The programme's fixed words as types: the risks the assessment can name, the three categories of
//! monitored household, and the rules a profile must give a clause for. Policy data and the
//! assessment both speak these; neither spells a code as a string (serde does, in snake_case).

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// 监测对象 categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// The clause that defines it.
    pub fn clause_key(&self) -> ClauseKey {
        match self {
            Category::UnstableFormerlyPoor => ClauseKey::CategoryUnstableFormerlyPoor,
            Category::MarginalAtRisk => ClauseKey::CategoryMarginalAtRisk,
            Category::SuddenHardship => ClauseKey::CategorySuddenHardship,
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

/// The means-tested safety-net benefits (兜底保障) a household may already receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// 农村低保.
    Dibao,
    /// 特困供养.
    Tekun,
}

/// What kind of difficulty a risk is: which rules look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RiskGroup {
    /// 三保障 and drinking water: unsafe housing, water, medical insurance, schooling.
    Guarantee,
    /// A serious or chronic illness.
    Health,
    /// 刚性支出: spending above a trigger, or spending that leaves too little to live on.
    Spending,
    /// A fall in income, a lost job, failed farming or business.
    Income,
    /// One of the seed's key groups, screened door to door.
    KeyGroup,
}

/// Every risk the assessment can name, in the order results list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCode {
    HousingUnsafe,
    WaterQuality,
    WaterQuantity,
    WaterAccess,
    WaterSupply,
    MedicalUninsured,
    EducationDropout,
    SeriousIllness,
    MedicalSpendingHigh,
    EducationSpendingHigh,
    RigidSpendingHeavy,
    IncomeDrop,
    JobLost,
    BusinessFailed,
    KeyGroupNewDibao,
    KeyGroupNewTekun,
    KeyGroupNewSevereDisability,
    KeyGroupNotIncludedBefore,
}

impl RiskCode {
    pub const ALL: [RiskCode; 18] = [
        RiskCode::HousingUnsafe,
        RiskCode::WaterQuality,
        RiskCode::WaterQuantity,
        RiskCode::WaterAccess,
        RiskCode::WaterSupply,
        RiskCode::MedicalUninsured,
        RiskCode::EducationDropout,
        RiskCode::SeriousIllness,
        RiskCode::MedicalSpendingHigh,
        RiskCode::EducationSpendingHigh,
        RiskCode::RigidSpendingHeavy,
        RiskCode::IncomeDrop,
        RiskCode::JobLost,
        RiskCode::BusinessFailed,
        RiskCode::KeyGroupNewDibao,
        RiskCode::KeyGroupNewTekun,
        RiskCode::KeyGroupNewSevereDisability,
        RiskCode::KeyGroupNotIncludedBefore,
    ];

    /// The stable code, as in JSON and in `policy-data/` (`housing_unsafe`).
    pub fn code(self) -> &'static str {
        match self {
            RiskCode::HousingUnsafe => "housing_unsafe",
            RiskCode::WaterQuality => "water_quality",
            RiskCode::WaterQuantity => "water_quantity",
            RiskCode::WaterAccess => "water_access",
            RiskCode::WaterSupply => "water_supply",
            RiskCode::MedicalUninsured => "medical_uninsured",
            RiskCode::EducationDropout => "education_dropout",
            RiskCode::SeriousIllness => "serious_illness",
            RiskCode::MedicalSpendingHigh => "medical_spending_high",
            RiskCode::EducationSpendingHigh => "education_spending_high",
            RiskCode::RigidSpendingHeavy => "rigid_spending_heavy",
            RiskCode::IncomeDrop => "income_drop",
            RiskCode::JobLost => "job_lost",
            RiskCode::BusinessFailed => "business_failed",
            RiskCode::KeyGroupNewDibao => "key_group_new_dibao",
            RiskCode::KeyGroupNewTekun => "key_group_new_tekun",
            RiskCode::KeyGroupNewSevereDisability => "key_group_new_severe_disability",
            RiskCode::KeyGroupNotIncludedBefore => "key_group_not_included_before",
        }
    }

    pub fn from_code(s: &str) -> Option<RiskCode> {
        RiskCode::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The plain-language title.
    pub fn title(self) -> Text {
        let (zh, en) = match self {
            RiskCode::HousingUnsafe => ("住房不安全（危房）", "Unsafe housing"),
            RiskCode::WaterQuality => ("饮用水水质不达标", "Drinking water quality"),
            RiskCode::WaterQuantity => ("饮用水不够用", "Not enough drinking water"),
            RiskCode::WaterAccess => ("取水太远", "Fetching water takes too long"),
            RiskCode::WaterSupply => ("供水没有保证", "Water supply is unreliable"),
            RiskCode::MedicalUninsured => ("有家人没参加医保", "A member has no basic medical insurance"),
            RiskCode::EducationDropout => ("有适龄孩子失学辍学", "A school-age child is out of school"),
            RiskCode::SeriousIllness => ("家里有人患大病或慢性病", "A member has a serious or chronic illness"),
            RiskCode::MedicalSpendingHigh => ("看病自付费用高", "High medical costs"),
            RiskCode::EducationSpendingHigh => ("上学费用高", "High schooling costs"),
            RiskCode::RigidSpendingHeavy => ("必要开支太大，影响基本生活", "Unavoidable spending strains basic living"),
            RiskCode::IncomeDrop => ("收入明显下降", "Income has dropped sharply"),
            RiskCode::JobLost => ("失业或务工不稳", "Lost job or unstable work"),
            RiskCode::BusinessFailed => ("种养或生意失败", "Failed farming or business"),
            RiskCode::KeyGroupNewDibao => ("今年新纳入或新申请低保", "New to dibao this year"),
            RiskCode::KeyGroupNewTekun => ("今年新纳入特困供养", "New to tekun support this year"),
            RiskCode::KeyGroupNewSevereDisability => ("今年新增重度残疾人", "Newly severely disabled this year"),
            RiskCode::KeyGroupNotIncludedBefore => ("以前申报或预警过，没有纳入", "Applied or flagged before, not included"),
        };
        Text::lit(zh, en)
    }

    pub const fn group(self) -> RiskGroup {
        match self {
            RiskCode::HousingUnsafe
            | RiskCode::WaterQuality
            | RiskCode::WaterQuantity
            | RiskCode::WaterAccess
            | RiskCode::WaterSupply
            | RiskCode::MedicalUninsured
            | RiskCode::EducationDropout => RiskGroup::Guarantee,
            RiskCode::SeriousIllness => RiskGroup::Health,
            RiskCode::MedicalSpendingHigh | RiskCode::EducationSpendingHigh | RiskCode::RigidSpendingHeavy => RiskGroup::Spending,
            RiskCode::IncomeDrop | RiskCode::JobLost | RiskCode::BusinessFailed => RiskGroup::Income,
            RiskCode::KeyGroupNewDibao
            | RiskCode::KeyGroupNewTekun
            | RiskCode::KeyGroupNewSevereDisability
            | RiskCode::KeyGroupNotIncludedBefore => RiskGroup::KeyGroup,
        }
    }

    /// Depends on the household's income: raising income can only remove it.
    pub fn income_based(self) -> bool {
        matches!(self, RiskCode::RigidSpendingHeavy | RiskCode::IncomeDrop | RiskCode::JobLost | RiskCode::BusinessFailed)
    }

    pub fn is_key_group(self) -> bool {
        self.group() == RiskGroup::KeyGroup
    }

    /// The clause every profile gives for it; `None` for the risks a spending trigger names (their
    /// clause is the trigger's own).
    pub fn clause_key(self) -> Option<ClauseKey> {
        Some(match self {
            RiskCode::HousingUnsafe => ClauseKey::HousingUnsafe,
            RiskCode::WaterQuality => ClauseKey::WaterQuality,
            RiskCode::WaterQuantity => ClauseKey::WaterQuantity,
            RiskCode::WaterAccess => ClauseKey::WaterAccess,
            RiskCode::WaterSupply => ClauseKey::WaterSupply,
            RiskCode::MedicalUninsured => ClauseKey::MedicalUninsured,
            RiskCode::EducationDropout => ClauseKey::EducationDropout,
            RiskCode::SeriousIllness => ClauseKey::SeriousIllness,
            RiskCode::MedicalSpendingHigh | RiskCode::EducationSpendingHigh => return None,
            RiskCode::RigidSpendingHeavy => ClauseKey::RigidSpendingHeavy,
            RiskCode::IncomeDrop => ClauseKey::IncomeDrop,
            RiskCode::JobLost => ClauseKey::JobLost,
            RiskCode::BusinessFailed => ClauseKey::BusinessFailed,
            RiskCode::KeyGroupNewDibao => ClauseKey::KeyGroupNewDibao,
            RiskCode::KeyGroupNewTekun => ClauseKey::KeyGroupNewTekun,
            RiskCode::KeyGroupNewSevereDisability => ClauseKey::KeyGroupNewSevereDisability,
            RiskCode::KeyGroupNotIncludedBefore => ClauseKey::KeyGroupNotIncludedBefore,
        })
    }
}

impl std::fmt::Display for RiskCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The one list of clause keys. `vocabulary` makes [`ClauseKey`] from it and `policy` the
/// `Clauses` struct a profile must fill, so the two cannot drift apart: `$m` is called with
/// `Variant => field_name` pairs.
macro_rules! with_clause_keys {
    ($m:ident) => {
        $m! {
            /// How per-capita net income is counted.
            PerCapitaIncome => per_capita_income,
            /// Below the monitoring range.
            BelowRange => below_range,
            CategoryUnstableFormerlyPoor => category_unstable_formerly_poor,
            CategoryMarginalAtRisk => category_marginal_at_risk,
            CategorySuddenHardship => category_sudden_hardship,
            /// 整户无劳动能力.
            WholeHouseholdNoLabour => whole_household_no_labour,
            /// 风险消除.
            RiskElimination => risk_elimination,
            /// No-labour households on the safety net are not marked risk-eliminated.
            NoLabourSafetyNet => no_labour_safety_net,
            /// Development-type help first for households that can work.
            DevelopmentFirst => development_first,
            HousingUnsafe => housing_unsafe,
            WaterQuality => water_quality,
            WaterQuantity => water_quantity,
            WaterAccess => water_access,
            WaterSupply => water_supply,
            MedicalUninsured => medical_uninsured,
            EducationDropout => education_dropout,
            SeriousIllness => serious_illness,
            RigidSpendingHeavy => rigid_spending_heavy,
            IncomeDrop => income_drop,
            JobLost => job_lost,
            BusinessFailed => business_failed,
            KeyGroupNewDibao => key_group_new_dibao,
            KeyGroupNewTekun => key_group_new_tekun,
            KeyGroupNewSevereDisability => key_group_new_severe_disability,
            KeyGroupNotIncludedBefore => key_group_not_included_before,
        }
    };
}
pub(crate) use with_clause_keys;

macro_rules! clause_key_enum {
    ($($(#[$doc:meta])* $variant:ident => $field:ident,)*) => {
        /// A rule every profile must give its policy clause for (`[clauses.<key>]` in `policy-data/`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ClauseKey {
            $($(#[$doc])* $variant,)*
        }

        impl ClauseKey {
            pub const ALL: &[ClauseKey] = &[$(ClauseKey::$variant,)*];

            /// The key as written in the profile (`per_capita_income`).
            pub fn name(self) -> &'static str {
                match self {
                    $(ClauseKey::$variant => stringify!($field),)*
                }
            }
        }
    };
}
with_clause_keys!(clause_key_enum);

impl ClauseKey {
    /// Position in [`ClauseKey::ALL`] (an index for caches).
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_serde_and_from_code() {
        for r in RiskCode::ALL {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.code()));
            assert_eq!(RiskCode::from_code(r.code()), Some(r));
            assert_eq!(serde_json::from_str::<RiskCode>(&format!("\"{}\"", r.code())).unwrap(), r);
            if let Some(k) = r.clause_key() {
                assert_eq!(k.name(), r.code(), "a risk's clause has the risk's name");
            }
        }
        assert!(serde_json::from_str::<RiskCode>("\"made_up\"").is_err());
        for (i, k) in ClauseKey::ALL.iter().enumerate() {
            assert_eq!(k.index(), i);
        }
    }
}
