//! The seed's other checks for a household the village already keeps a record of (集中排查 三):
//! the 回头看 of a household marked 风险消除 (does the elimination still hold, or is a 风险回退 due,
//! with the core's reasons), the 整户无劳动能力兜底保障户 mark, and which development-type measures
//! (开发式帮扶) are in place for a household that can work.

use fangpin_core::assessment::Assessment;
use fangpin_core::policy::{MeasureKind, Profile};
use fangpin_core::text::Text;
use serde::{Deserialize, Serialize};

/// Where the village's records have the household (the worker says; the app cannot know).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Not a 监测对象 (or the worker does not know).
    #[default]
    NotMonitored,
    /// 监测对象, risk not yet eliminated.
    Monitored,
    /// Marked 风险消除: the 回头看 checks that it still holds.
    RiskEliminated,
}

impl Standing {
    pub const ALL: [Standing; 3] = [Standing::NotMonitored, Standing::Monitored, Standing::RiskEliminated];

    pub fn label(self) -> Text {
        match self {
            Standing::NotMonitored => Text::lit("不是监测对象", "not monitored"),
            Standing::Monitored => Text::lit("监测对象（风险未消除）", "monitored, risk not eliminated"),
            Standing::RiskEliminated => Text::lit("已标注风险消除", "marked risk-eliminated"),
        }
    }
}

/// What the worker marks on a record besides the household itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Marks {
    pub standing: Standing,
    /// Ids of the profile's development-type measures already in place for the household.
    pub development_in_place: Vec<String>,
}

/// The 回头看 of a household marked 风险消除.
#[derive(Debug, Clone, PartialEq)]
pub enum LookBack {
    /// The conditions of 风险消除 still hold.
    Holds,
    /// A 风险回退 is due: the conditions that no longer hold, in the core's words.
    BackslideDue(Vec<Text>),
}

impl LookBack {
    pub fn label(&self) -> Text {
        match self {
            LookBack::Holds => Text::lit("回头看：风险消除仍然成立", "look-back: elimination still holds"),
            LookBack::BackslideDue(_) => Text::lit("回头看：需要风险回退，重新纳入监测", "look-back: risk back, monitor again"),
        }
    }
}

/// What the township must report for one record, from the core's assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedChecks {
    /// Only for a household marked 风险消除.
    pub look_back: Option<LookBack>,
    /// 整户无劳动能力: every counted member is unable to work.
    pub no_labour: bool,
    /// …and on 低保 or 特困 (兜底保障户).
    pub safety_net_household: bool,
    /// Someone can work: the development-type measures matter.
    pub can_work: bool,
    /// The profile's development-type measures that fit the household: (id, title, in place).
    pub development: Vec<(String, Text, bool)>,
}

impl SeedChecks {
    /// Someone can work and no development-type measure is in place yet.
    pub fn development_missing(&self) -> bool {
        self.can_work && !self.development.is_empty() && !self.development.iter().any(|(_, _, done)| *done)
    }
}

/// The checks of `marks` for a household, from the core's assessment of it (as a 监测对象 when
/// the village keeps it as one: then the core weighs its 风险消除).
pub fn seed_checks(marks: &Marks, assessed: &Assessment, profile: &Profile) -> SeedChecks {
    let look_back = (marks.standing == Standing::RiskEliminated).then(|| match &assessed.risk_elimination {
        Some(e) if e.allowed => LookBack::Holds,
        Some(e) => LookBack::BackslideDue(e.reasons.iter().filter(|r| !r.met).map(|r| r.text.clone()).collect()),
        None => LookBack::BackslideDue(Vec::new()),
    });
    let development = profile
        .measures
        .iter()
        .filter(|m| m.kind == MeasureKind::Development)
        .filter(|m| assessed.measures.iter().any(|x| x.id == m.id) || marks.development_in_place.contains(&m.id))
        .map(|m| (m.id.clone(), m.title.clone(), marks.development_in_place.contains(&m.id)))
        .collect();
    let no_labour = assessed.whole_household_no_labour;
    let safety_net_household = no_labour
        && assessed
            .measures
            .iter()
            .any(|m| m.kind == MeasureKind::SafetyNet && m.status == fangpin_core::assessment::MeasureStatus::AlreadyReceived);
    SeedChecks { look_back, no_labour, safety_net_household, can_work: !no_labour, development }
}
