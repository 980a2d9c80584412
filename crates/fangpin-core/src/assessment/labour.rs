//! 劳动能力 of the household: whether no one can work (整户无劳动能力), and whether someone can.

use super::explain::{Material, MemberField, ev, member_path};
use super::result::{Evidence, Reason};
use crate::household::{Household, LabourCapacity};
use crate::policy::Profile;
use crate::text::Text;
use crate::vocabulary::ClauseKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabourFacts {
    /// 整户无劳动能力: every counted member is unable to work (and there is one).
    pub no_labour: bool,
    /// Some counted member can work, weak and half labour included.
    pub can_work: bool,
}

pub fn decide(h: &Household) -> LabourFacts {
    let counted = || h.members.iter().filter(|m| m.counted);
    let any = counted().next().is_some();
    LabourFacts { no_labour: any && counted().all(|m| m.labour == LabourCapacity::None), can_work: counted().any(|m| m.labour.can_work()) }
}

fn labour_str(l: LabourCapacity) -> &'static str {
    match l {
        LabourCapacity::Full => "full",
        LabourCapacity::Weak => "weak",
        LabourCapacity::Half => "half",
        LabourCapacity::None => "none",
    }
}

pub(super) fn explain(f: &LabourFacts, h: &Household, p: &Profile, m: &Material) -> Reason {
    let evidence: Vec<Evidence> = h
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.counted)
        .map(|(i, mem)| ev(member_path(i, MemberField::Labour), labour_str(mem.labour)))
        .collect();
    Reason {
        text: if f.no_labour {
            Text::lit("家里所有成员都没有劳动能力。", "No member of the household can work.")
        } else if !evidence.is_empty() {
            Text::lit("家里有成员有劳动能力（含弱劳力、半劳力）。", "At least one member can work (including weak or half labour).")
        } else {
            Text::lit("没有填写家庭成员。", "No members were entered.")
        },
        evidence,
        clause: Some(m.clause(p, ClauseKey::WholeHouseholdNoLabour)),
        figures: Vec::new(),
    }
}
