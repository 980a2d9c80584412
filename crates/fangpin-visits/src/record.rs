//! One household's visit: the record a worker keeps for the 集中排查 — a household screened with no
//! risk is still a record that it was seen.

use fangpin_core::assessment::{Assessment, Decision, Outcome, Screening, assess, decide};
use fangpin_core::date::Date;
use fangpin_core::household::Household;
use fangpin_core::policy::Profile;
use fangpin_core::text::Text;
use fangpin_core::vocabulary::Category;
use fangpin_form::draft::Draft;
use fangpin_form::form;
use serde::{Deserialize, Serialize};

use crate::checks::{Marks, SeedChecks, seed_checks};
use crate::collector::Collector;

/// Where a visit stands. A record moves forward only ([`Record::advance`]); a changed household
/// goes back to the start of what it changed ([`Record::edited`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 未完成: the worker is still entering it.
    Unfinished,
    /// 已排查（无风险）: finished, nothing to apply for — the visit is on record.
    ScreenedNoRisk,
    /// 已生成申请: finished, an application is ready.
    ApplicationReady,
    /// 待发送: the one-click report is in the outbox, not yet received.
    Queued,
    /// 已送达: the receiver gave a receipt.
    Delivered,
    /// 已交接（二维码）: handed to a worker's phone by QR code.
    HandedOver,
    /// 已打印: printed for signing.
    Printed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Unfinished,
        Status::ScreenedNoRisk,
        Status::ApplicationReady,
        Status::Queued,
        Status::Delivered,
        Status::HandedOver,
        Status::Printed,
    ];

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Status::Unfinished => ("未完成", "not finished"),
            Status::ScreenedNoRisk => ("已排查（无风险）", "screened, no risk"),
            Status::ApplicationReady => ("已生成申请", "application ready"),
            Status::Queued => ("待发送", "waiting to send"),
            Status::Delivered => ("已送达", "delivered"),
            Status::HandedOver => ("已交接（二维码）", "handed over (QR)"),
            Status::Printed => ("已打印", "printed"),
        };
        Text::lit(zh, en)
    }

    /// Finished: the household was screened (with or without an application).
    pub fn is_finished(self) -> bool {
        self != Status::Unfinished
    }
}

/// The outcome shown in the worker's list, from the core's assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    /// Likely one of the three categories.
    Category(Category),
    /// A key group: the village screens it household by household (需逐户排查).
    HouseholdVisit,
    /// Below the range with no other difficulty, or risks to watch: tell the village.
    TellTheVillage,
    /// 暂无风险.
    NoRisk,
}

impl VisitOutcome {
    /// Every outcome, in the order a list offers them.
    pub const ALL: [VisitOutcome; 6] = [
        VisitOutcome::Category(Category::UnstableFormerlyPoor),
        VisitOutcome::Category(Category::MarginalAtRisk),
        VisitOutcome::Category(Category::SuddenHardship),
        VisitOutcome::HouseholdVisit,
        VisitOutcome::TellTheVillage,
        VisitOutcome::NoRisk,
    ];

    pub fn of(a: &Assessment) -> VisitOutcome {
        VisitOutcome::from_parts(a.outcome, a.category)
    }

    /// From the rules' decision alone (what a list of hundreds needs; no explanation written).
    pub fn of_decision(d: &Decision) -> VisitOutcome {
        VisitOutcome::from_parts(d.outcome, d.category)
    }

    /// The same, from a screen's row (the outcome and category are the decision's).
    pub fn of_screening(s: &Screening) -> VisitOutcome {
        VisitOutcome::from_parts(s.outcome, s.category)
    }

    fn from_parts(outcome: Outcome, category: Option<Category>) -> VisitOutcome {
        match (outcome, category) {
            (Outcome::Category, Some(c)) => VisitOutcome::Category(c),
            (Outcome::HouseholdVisit, _) => VisitOutcome::HouseholdVisit,
            (Outcome::NoRisk, _) => VisitOutcome::NoRisk,
            _ => VisitOutcome::TellTheVillage,
        }
    }

    pub fn label(self) -> Text {
        match self {
            VisitOutcome::Category(c) => c.label(),
            VisitOutcome::HouseholdVisit => Text::lit("需逐户排查", "needs a household visit"),
            VisitOutcome::TellTheVillage => Text::lit("告知村里", "tell the village"),
            VisitOutcome::NoRisk => Text::lit("暂无风险", "no risk for now"),
        }
    }
}

/// One household's visit record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Unique on the phone (the UI makes it; random, not a count).
    pub id: String,
    pub collected_by: Collector,
    /// Who entered it, when not the collector (谁录入).
    pub entered_by: Option<Collector>,
    /// Milliseconds since 1970 (the phone's clock), as the UI passes them.
    pub started_ms: i64,
    pub changed_ms: i64,
    pub finished_ms: Option<i64>,
    pub status: Status,
    /// The household as entered: the same draft a villager's own self-check keeps.
    pub draft: Draft,
    /// The handoff a villager's QR code carried (its digits), when the record came from one: a
    /// second scan of the same code updates this record instead of adding another.
    pub handoff: Option<String>,
    /// The receiver's receipt reference, once delivered.
    pub receipt: Option<String>,
    /// The one-click report's idempotency key once queued (the outbox's entry for this record).
    #[serde(default)]
    pub report_key: Option<String>,
    /// That report as the UI's outbox keeps it (its own JSON, opaque here): kept with the record, so
    /// that the record and its report are sealed, set aside and deleted together.
    #[serde(default)]
    pub report_entry: Option<String>,
    /// Where the village has the household, and the development measures in place.
    #[serde(default)]
    pub marks: Marks,
}

impl Record {
    pub fn new(id: String, collected_by: Collector, now_ms: i64) -> Record {
        let mut draft = Draft::default();
        draft.apply.village = collected_by.village.clone();
        // The application's 填写人 and the household's 采集人: the worker.
        draft.apply.filler = fangpin_form::apply::Filler::Worker;
        draft.apply.filler_name = collected_by.name.clone();
        draft.form.collected_by = collected_by.signature("zh");
        Record {
            id,
            collected_by,
            entered_by: None,
            started_ms: now_ms,
            changed_ms: now_ms,
            finished_ms: None,
            status: Status::Unfinished,
            draft,
            handoff: None,
            receipt: None,
            report_key: None,
            report_entry: None,
            marks: Marks::default(),
        }
    }

    /// The household's head as entered (the first member), for the list.
    pub fn head_name(&self) -> &str {
        self.draft.form.members.first().map(|m| m.name.trim()).unwrap_or("")
    }

    /// The household the record stands for: a villager's QR handoff carries its own (the form is
    /// then empty but for the head's name), else the form as entered.
    pub fn household(&self, profile: &Profile, as_of: Date) -> Household {
        if let Some(digits) = &self.draft.apply.handoff
            && let Ok((app, _, _)) = fangpin_form::apply::from_handoff(digits)
        {
            return app.household;
        }
        let mut form = std::borrow::Cow::Borrowed(&self.draft.form);
        if self.marks.standing != crate::Standing::NotMonitored {
            form.to_mut().monitored = Some(true);
        }
        let converted = form::to_household(&form, profile, as_of);
        fangpin_form::apply::household(&converted.household, &self.draft.apply)
    }

    /// The record's assessment on `profile` for `as_of` (what the list and the CSV show). A
    /// household the village keeps as a 监测对象 (or marked 风险消除) is assessed as one, so that the
    /// core weighs its 风险消除 (the 回头看).
    pub fn assess(&self, profile: &Profile, as_of: Date) -> Assessment {
        assess(&self.household(profile, as_of), profile, as_of)
    }

    /// The rules' decision on the record, without the words ([`Record::assess`] explains it).
    pub fn decide(&self, profile: &Profile, as_of: Date) -> Decision {
        decide(&self.household(profile, as_of), profile, as_of)
    }

    /// The seed's other checks (回头看, 整户无劳动能力, 开发式帮扶) of this record, from its
    /// assessment ([`Record::assess`]).
    pub fn checks(&self, assessed: &Assessment, profile: &Profile) -> SeedChecks {
        seed_checks(&self.marks, assessed, profile)
    }

    /// Who collected the household, when not the worker entering it (`entering`): the record then
    /// names both (采集人 and 录入人); `None` makes the worker the collector again.
    pub fn collected_by_other(&mut self, other: Option<Collector>, entering: &Collector, now_ms: i64) {
        let (collected, entered) = match other {
            Some(c) if c != *entering => (c, Some(entering.clone())),
            _ => (entering.clone(), None),
        };
        if collected != self.collected_by || entered != self.entered_by {
            self.draft.form.collected_by = collected.signature("zh");
            self.collected_by = collected;
            self.entered_by = entered;
            self.changed_ms = now_ms;
        }
    }

    /// The worker changed the marks (standing, measures in place): kept, and the record changed.
    pub fn marked(&mut self, marks: Marks, now_ms: i64) {
        if marks != self.marks {
            self.marks = marks;
            self.changed_ms = now_ms;
        }
    }

    /// The worker changed the record's draft. A changed household (the form, the county) makes the
    /// visit unfinished again until it is finished again (an outcome decided before no longer
    /// holds); the application's own facts (phone, ID numbers…) only complete it. Where the worker
    /// is in the form (screen, language) is kept without changing anything else.
    pub fn edited(&mut self, draft: Draft, now_ms: i64) {
        let household = draft.form != self.draft.form || draft.profile != self.draft.profile;
        let application = draft.apply != self.draft.apply;
        self.draft = draft;
        if household || application {
            self.changed_ms = now_ms;
        }
        if household && !matches!(self.status, Status::Delivered | Status::HandedOver | Status::Queued) {
            self.status = Status::Unfinished;
            self.finished_ms = None;
        }
    }

    /// Finishes the visit: with an application when the outcome asks for one, else on record as
    /// screened with no risk.
    pub fn finish(&mut self, outcome: VisitOutcome, now_ms: i64) {
        self.status = if outcome == VisitOutcome::NoRisk { Status::ScreenedNoRisk } else { Status::ApplicationReady };
        self.finished_ms = Some(now_ms);
        self.changed_ms = now_ms;
    }

    /// Moves the record on, forward only: an application is printed, handed over, queued, delivered
    /// — each step only after the ones before it (a queued one stays queued when printed), never back
    /// to unfinished, and a delivered record stays delivered (its receipt is the proof).
    pub fn advance(&mut self, to: Status, now_ms: i64) -> bool {
        let rank = |s: Status| match s {
            Status::Unfinished | Status::ScreenedNoRisk => None,
            Status::ApplicationReady => Some(0),
            Status::Printed => Some(1),
            Status::HandedOver => Some(2),
            Status::Queued => Some(3),
            Status::Delivered => Some(4),
        };
        let allowed = matches!((rank(self.status), rank(to)), (Some(from), Some(to)) if to > from);
        if allowed {
            self.status = to;
            self.changed_ms = now_ms;
        }
        allowed
    }

    /// The receiver refused the record's report (a 4xx with its message): the application is ready
    /// again, to correct and send anew or to hand in another way; the refused report stays with it.
    pub fn report_refused(&mut self, now_ms: i64) {
        if self.status == Status::Queued {
            self.status = Status::ApplicationReady;
            self.report_key = None;
            self.changed_ms = now_ms;
        }
    }
}
