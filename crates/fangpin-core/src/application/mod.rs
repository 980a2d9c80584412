//! The prefilled application (监测对象申请及承诺授权书) and its channels: the reference code, the
//! one-click report JSON, the QR handoff payload, the copy text and the hotline script.
//!
//! Pure like the rest of the core: the date and the submission time are inputs, nothing is random.
//! Formats: `docs/application-format.md` (application, reference code, handoff, copy text) and
//! `docs/report-api.md` (the one-click report and the receiver).
//!
//! * [`Application::build`] turns a household, its assessment and the profile into the form the
//!   household signs; the `difficulty` text is drafted from the risks and may be edited with
//!   [`Application::set_difficulty`].
//! * The reference code (e.g. `K7M-4QX-9TR`) is derived from the application's content: the same
//!   household, filler, difficulty text, date and profile always give the same code.
//! * [`Report`] is the versioned one-click report (`fangpin.report/1`).
//! * [`encode_handoff`] / [`decode_handoff`] carry the whole application in a QR code link.

mod difficulty;
mod handoff;
mod reference;
mod report;
mod script;

pub use difficulty::draft_difficulty;
pub use handoff::*;
pub use reference::*;
pub use report::*;

use serde::{Deserialize, Serialize};

use crate::assessment::Assessment;
use crate::date::Date;
use crate::household::{FieldError, Household, LabourCapacity, Member, Relation, Schooling};
use crate::input::{TextKind, TextProblem, check_text};
use crate::money::Money;
use crate::policy::{HotlineScope, Profile};
use crate::text::Text;
use crate::vocabulary::{Category, RiskCode};

/// The format tag of version 1 of the application.
pub const APPLICATION_FORMAT: &str = "fangpin.application/1";
/// Members of this age or older sign with a fingerprint.
pub const ADULT_AGE: u32 = 18;

// ---------------------------------------------------------------------------------------------
// The application.

/// Who filled in the form (“谁采集、谁录入、谁负责”). JSON: `{"kind":"self"}`,
/// `{"kind":"worker","name":"王芳"}`, `{"kind":"relative","name":"张小红"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FilledBy {
    /// The applicant (本人).
    #[serde(rename = "self")]
    Self_,
    /// A village cadre, resident cadre or grid worker (村干部 / 驻村干部 / 网格员).
    Worker { name: String },
    /// A relative (亲属).
    Relative { name: String },
}

impl FilledBy {
    pub fn code(&self) -> &'static str {
        match self {
            FilledBy::Self_ => "self",
            FilledBy::Worker { .. } => "worker",
            FilledBy::Relative { .. } => "relative",
        }
    }
    /// The name of the worker or relative (None for the applicant).
    pub fn name(&self) -> Option<&str> {
        match self {
            FilledBy::Self_ => None,
            FilledBy::Worker { name } | FilledBy::Relative { name } => Some(name),
        }
    }
    /// “本人填写” / “网格员 王芳 代填” …
    pub fn label(&self) -> Text {
        match self {
            FilledBy::Self_ => Text::new("本人填写", "filled in by the applicant"),
            FilledBy::Worker { name } => Text::new(format!("工作人员 {name} 代填"), format!("filled in by worker {name}")),
            FilledBy::Relative { name } => Text::new(format!("亲属 {name} 代填"), format!("filled in by relative {name}")),
        }
    }
}

/// One line of the members table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationMember {
    /// Index in `household.members`.
    pub index: usize,
    pub name: String,
    pub relation: Relation,
    pub relation_label: Text,
    /// Age on the application date (None = unknown).
    pub age: Option<u32>,
    pub id_number: Option<String>,
    pub labour: LabourCapacity,
    pub labour_label: Text,
    /// 备注: illness, disability, schooling, 低保/特困, no insurance, not counted.
    pub notes: Vec<Text>,
    /// Counted for per-capita income.
    pub counted: bool,
}

/// The income lines of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeSummary {
    /// 家庭纯收入 (exact).
    pub net_total: Money,
    pub members_counted: u32,
    /// 家庭年人均纯收入, rounded for display (None when no member is counted).
    pub per_capita: Option<Money>,
    /// 监测范围.
    pub monitoring_range: Money,
    pub range_provisional: bool,
    /// Shown next to the range (e.g. 以永安市乡村振兴局公布的监测范围为准).
    pub range_note: Option<Text>,
    /// Why the range is provisional (travels with the flag to the paper and the report).
    #[serde(default)]
    pub range_provisional_reason: Option<Text>,
    /// The profile is not in force on the application date: which year's figures these are.
    #[serde(default)]
    pub policy_note: Option<Text>,
    /// Strictly below the range (exact comparison).
    pub below_range: bool,
    /// 刚性支出 total.
    pub rigid_spending: Money,
}

/// A risk as printed: its code and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLine {
    pub code: RiskCode,
    pub title: Text,
}

/// A text printed for signing (pledge, authorisation), from the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedSection {
    pub title: Text,
    pub body: Text,
    /// The profile marks the text provisional (not the county's own form).
    pub provisional: bool,
}

/// A member who signs with a fingerprint (签字并按手印).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Index in `household.members`.
    pub member: usize,
    pub name: String,
    /// None: the age is unknown, so the member is listed to be safe.
    pub age: Option<u32>,
}

/// A phone number to call, from the profile's hotlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub number: String,
    pub name: Text,
    pub scope: HotlineScope,
}

/// The prefilled application. Build it with [`Application::build`]; change the difficulty text
/// with [`Application::set_difficulty`] (which keeps the reference code in step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// `"fangpin.application/1"`.
    pub format: String,
    /// The reference code, grouped: `K7M-4QX-9TR`.
    pub reference: String,
    /// Profile id, e.g. `yongan-2023`.
    pub profile: String,
    pub profile_name: Text,
    /// The application date (ages and the assessment are on this date).
    pub date: Date,
    pub filled_by: FilledBy,
    /// 户主姓名.
    pub head_name: String,
    /// The head's 身份证号 (from the member whose relation is `head`).
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub village: String,
    pub address: String,
    pub members: Vec<ApplicationMember>,
    pub income: IncomeSummary,
    pub risks: Vec<RiskLine>,
    pub category: Option<Category>,
    pub category_label: Option<Text>,
    pub whole_household_no_labour: bool,
    /// 困难情况说明: drafted from the risks, editable.
    pub difficulty: Text,
    /// The draft, kept to tell whether the person changed it.
    pub difficulty_draft: Text,
    pub pledge: SignedSection,
    pub authorisation: SignedSection,
    /// Adults (18 or older on `date`) and members of unknown age: each signs and adds a fingerprint.
    pub signers: Vec<Signer>,
    /// Set when some ages are unknown.
    pub signers_note: Option<Text>,
    /// The profile's hotlines (national first).
    pub contacts: Vec<Contact>,
    /// The household as entered (the core's household JSON).
    pub household: Household,
}

pub(crate) fn ferr(field: impl Into<String>, code: &str, zh: impl Into<String>, en: impl Into<String>) -> FieldError {
    let (zh, en): (String, String) = (zh.into(), en.into());
    FieldError { field: field.into(), code: code.to_string(), message: Text::new(zh, en) }
}

/// Longest filler name, in characters.
const MAX_NAME_CHARS: usize = 50;
/// Longest difficulty text, in characters (each language).
const MAX_DIFFICULTY_CHARS: usize = 2000;

pub(crate) fn check_filled_by(f: &FilledBy, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(name) = f.name() {
        if name.trim().is_empty() {
            errs.push(ferr(
                format!("{field}.name"),
                "required",
                "请写上代填人的姓名。",
                "Please give the name of the person who filled it in.",
            ));
        } else if let Err(p) = check_text(name, TextKind::Line, MAX_NAME_CHARS) {
            errs.push(FieldError { field: format!("{field}.name"), code: p.code().into(), message: p.message() });
        }
    }
}

pub(crate) fn check_difficulty(t: &Text, field: &str, errs: &mut Vec<FieldError>) {
    for s in [&t.zh, &t.en] {
        match check_text(s, TextKind::Free, MAX_DIFFICULTY_CHARS) {
            Ok(()) => {}
            Err(TextProblem::TooLong(_)) => {
                errs.push(ferr(
                    field,
                    "too_long",
                    format!("困难情况说明最多 {MAX_DIFFICULTY_CHARS} 个字。"),
                    format!("The difficulty description may have at most {MAX_DIFFICULTY_CHARS} characters."),
                ));
                return;
            }
            Err(p) => {
                errs.push(FieldError { field: field.into(), code: p.code().into(), message: p.message() });
                return;
            }
        }
    }
}

impl Application {
    /// Builds the application. Refuses a household with hard input errors (`Household::validate`
    /// on `date`), a worker or relative without a name, and an assessment of another profile.
    pub fn build(
        household: &Household,
        assessment: &Assessment,
        profile: &Profile,
        filled_by: FilledBy,
        date: Date,
    ) -> Result<Application, Vec<FieldError>> {
        let mut errs: Vec<FieldError> = household.validate(date);
        check_filled_by(&filled_by, "filled_by", &mut errs);
        if assessment.profile != profile.id {
            errs.push(ferr(
                "profile",
                "profile_mismatch",
                "评估用的政策档案和申请的不一致，请重新评估。",
                "The assessment used another policy profile; please assess again.",
            ));
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let h = household;
        let members: Vec<ApplicationMember> = h.members.iter().enumerate().map(|(i, m)| app_member(i, m, date)).collect();
        let head = h.members.iter().find(|m| m.relation == Relation::Head);
        let id_number = head.and_then(|m| m.id_number.as_deref()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let signers = signers_of(h, date);
        let unknown = signers.iter().filter(|s| s.age.is_none()).count();
        let signers_note = (unknown > 0).then(|| {
            Text::new(
                format!("有 {unknown} 位家人没有填年龄，已列入签字名单；不满 18 岁的不用签字。"),
                format!("{unknown} member(s) have no age given and are listed to sign; those under 18 need not sign."),
            )
        });
        let a = assessment;
        let income = IncomeSummary {
            net_total: a.income.net_total,
            members_counted: a.income.members_counted,
            per_capita: a.per_capita_net_income.map(|pc| pc.rounded()),
            monitoring_range: a.monitoring_range.amount,
            range_provisional: a.monitoring_range.provisional,
            range_note: a.monitoring_range.screen_note.clone(),
            range_provisional_reason: a.monitoring_range.clause.provisional_reason.clone(),
            policy_note: a.policy.note.clone(),
            below_range: a.below_range,
            rigid_spending: a.rigid_spending.total,
        };
        let risks: Vec<RiskLine> = a.risks.iter().map(|r| RiskLine { code: r.code, title: r.title.clone() }).collect();
        let draft = draft_difficulty(h, a, date);
        let mut contacts: Vec<Contact> =
            profile.hotlines.iter().map(|x| Contact { number: x.number.clone(), name: x.name.clone(), scope: x.scope }).collect();
        contacts.sort_by_key(|c| c.scope != HotlineScope::National);
        let mut app = Application {
            format: APPLICATION_FORMAT.to_string(),
            reference: String::new(),
            profile: profile.id.clone(),
            profile_name: profile.name.clone(),
            date,
            filled_by,
            head_name: h.head_name.trim().to_string(),
            id_number,
            phone: h.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            village: h.village.trim().to_string(),
            address: h.address.trim().to_string(),
            members,
            income,
            risks,
            category: a.category,
            category_label: a.category.map(|c| c.label()),
            whole_household_no_labour: a.whole_household_no_labour,
            difficulty: draft.clone(),
            difficulty_draft: draft,
            pledge: SignedSection {
                title: profile.pledge.title.clone(),
                body: profile.pledge.body.clone(),
                provisional: profile.pledge.provenance.provisional,
            },
            authorisation: SignedSection {
                title: profile.authorisation.title.clone(),
                body: profile.authorisation.body.clone(),
                provisional: profile.authorisation.provenance.provisional,
            },
            signers,
            signers_note,
            contacts,
            household: h.clone(),
        };
        app.refresh_reference();
        Ok(app)
    }

    /// Replaces the difficulty description (as the person edited it) and updates the reference
    /// code. Text longer than 2000 characters is refused.
    pub fn set_difficulty(&mut self, difficulty: Text) -> Result<(), FieldError> {
        let mut errs = Vec::new();
        check_difficulty(&difficulty, "difficulty", &mut errs);
        if let Some(e) = errs.pop() {
            return Err(e);
        }
        self.difficulty = difficulty;
        self.refresh_reference();
        Ok(())
    }

    /// True when the person changed the drafted difficulty text.
    pub fn difficulty_edited(&self) -> bool {
        self.difficulty != self.difficulty_draft
    }

    /// Recomputes `reference` from the content (call after changing any field by hand).
    pub fn refresh_reference(&mut self) {
        self.reference = content_reference(&self.household, &self.filled_by, &self.difficulty, self.date, &self.profile);
    }

    /// What a one-click report lacks for the township to reach the household and know its
    /// trouble: the head's name; a phone, or at least the village; a difficulty in the person's
    /// words when the self-check found none (the draft then only asks for one). Empty: it can be
    /// sent. A printed form or a call needs none of these (they are written or said there).
    pub fn missing_for_report(&self) -> Vec<FieldError> {
        let mut missing = Vec::new();
        if self.head_name.trim().is_empty() {
            missing.push(ferr(
                "head_name",
                "required",
                "请先填上户主的姓名（第 1 步），乡镇才知道是哪一户。",
                "Please give the head of household's name (step 1), so that the township knows which household it is.",
            ));
        }
        if self.phone.is_none() && self.village.trim().is_empty() {
            missing.push(ferr(
                "phone",
                "required",
                "请填一个能联系到您的手机号，或者至少填上村名，乡镇才能联系您。",
                "Please give a mobile number the township can call, or at least your village, so that they can reach you.",
            ));
        }
        if self.risks.is_empty() && !self.difficulty_edited() {
            missing.push(ferr(
                "difficulty",
                "required",
                "自测没有发现明显的风险。请在“困难情况说明”里写几句家里遇到的困难，再发送。",
                "The self-check found no clear risk. Please describe your difficulty in a few words under “Description of the difficulty” before sending.",
            ));
        }
        missing
    }

    /// The summary of the assessment sent with a report.
    pub fn assessment_summary(&self) -> AssessmentSummary {
        AssessmentSummary {
            income: self.income.clone(),
            risks: self.risks.clone(),
            category: self.category,
            whole_household_no_labour: self.whole_household_no_labour,
        }
    }
}

/// Who signs the application: adults on `date`, and members of unknown age (listed to be safe).
pub fn signers_of(h: &Household, date: Date) -> Vec<Signer> {
    h.members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m.age_at(date) {
            Some(a) if a >= ADULT_AGE => Some(Signer { member: i, name: m.name.clone(), age: Some(a) }),
            Some(_) => None,
            None => Some(Signer { member: i, name: m.name.clone(), age: None }),
        })
        .collect()
}

fn app_member(i: usize, m: &Member, date: Date) -> ApplicationMember {
    let mut notes = Vec::new();
    if m.severe_disability {
        notes.push(Text::new("重度残疾", "severe disability"));
    }
    if m.serious_illness {
        notes.push(Text::new("大病或慢性病", "serious or chronic illness"));
    }
    match m.schooling {
        Schooling::None => {}
        Schooling::Compulsory => notes.push(Text::new("义务教育在读", "in compulsory school")),
        Schooling::HighSchool => notes.push(Text::new("高中/中职在读", "in high school")),
        Schooling::College => notes.push(Text::new("大学/高职在读", "in college")),
    }
    if m.out_of_school.is_some() {
        notes.push(Text::new("失学辍学", "out of school"));
    }
    if m.dibao_since.is_some_and(|d| d <= date) {
        notes.push(Text::new("享受低保", "on dibao"));
    }
    if m.tekun_since.is_some_and(|d| d <= date) {
        notes.push(Text::new("特困供养", "on tekun support"));
    }
    if m.medical_insurance == Some(false) {
        notes.push(Text::new("未参加医保", "no basic medical insurance"));
    }
    if !m.counted {
        notes.push(Text::new("不共同生活，不计入人均收入", "does not live with the household; not counted"));
    }
    ApplicationMember {
        index: i,
        name: m.name.trim().to_string(),
        relation: m.relation,
        relation_label: m.relation.label(),
        age: m.age_at(date),
        id_number: m.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        labour: m.labour,
        labour_label: m.labour.label(),
        notes,
        counted: m.counted,
    }
}
