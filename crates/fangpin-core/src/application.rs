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

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, Category, assess, risk_title};
use crate::date::Date;
use crate::household::{
    CostItem, DrinkingWater, FieldError, HOUSEHOLD_FORMAT, Household, HousingGrade, IncomeDrop, IncomeDropReason, IncomeItem, IncomeKind,
    LabourCapacity, Member, Monitoring, OutOfSchoolReason, PreviousApplication, PreviousOutcome, PreviousSource, Relation, RigidExpense,
    RigidExpenseKind, Schooling, id_check_char,
};
use crate::input::{TextKind, TextProblem, check_text};
use crate::money::Money;
use crate::policy::{HotlineScope, Profile};
use crate::text::Text;

/// The format tag of version 1 of the application.
pub const APPLICATION_FORMAT: &str = "fangpin.application/1";
/// The format tag of version 1 of the one-click report.
pub const REPORT_FORMAT: &str = "fangpin.report/1";
/// The first two digits of every version-1 handoff text.
pub const HANDOFF_VERSION: &str = "01";
/// The default limit of a handoff text, in digits. With a link prefix of up to 60 bytes
/// (`https://…/#a=` in byte mode) and the digits in numeric mode, a QR code of version 25 at error
/// correction level M holds it (see `docs/application-format.md`).
pub const HANDOFF_MAX_CHARS: usize = 2200;
/// Members of this age or older sign with a fingerprint.
pub const ADULT_AGE: u32 = 18;
/// The longest handoff text [`decode_handoff`] accepts: the longest the app makes (it shows no QR
/// code for a longer one), so anything longer is not one of ours.
pub const HANDOFF_DECODE_LIMIT: usize = HANDOFF_MAX_CHARS;
/// The longest link [`decode_handoff`] reads at all: the text and a page address of up to 2 KB.
pub const HANDOFF_LINK_LIMIT: usize = HANDOFF_DECODE_LIMIT + 2048;

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

/// 与户主关系 in words.
pub fn relation_label(r: Relation) -> Text {
    let (zh, en) = match r {
        Relation::Head => ("户主", "head"),
        Relation::Spouse => ("配偶", "spouse"),
        Relation::Child => ("子女", "child"),
        Relation::Parent => ("父母", "parent"),
        Relation::Grandchild => ("孙辈", "grandchild"),
        Relation::Grandparent => ("祖父母", "grandparent"),
        Relation::Sibling => ("兄弟姐妹", "sibling"),
        Relation::ChildInLaw => ("儿媳/女婿", "child-in-law"),
        Relation::Other => ("其他", "other"),
    };
    Text::new(zh, en)
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
    /// Strictly below the range (exact comparison).
    pub below_range: bool,
    /// 刚性支出 total.
    pub rigid_spending: Money,
}

/// A risk as printed: its code and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLine {
    pub code: String,
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

fn ferr(field: impl Into<String>, code: &str, zh: impl Into<String>, en: impl Into<String>) -> FieldError {
    let (zh, en): (String, String) = (zh.into(), en.into());
    FieldError { field: field.into(), code: code.to_string(), message: Text::new(zh, en) }
}

/// Longest filler name, in characters.
const MAX_NAME_CHARS: usize = 50;
/// Longest difficulty text, in characters (each language).
const MAX_DIFFICULTY_CHARS: usize = 2000;

fn check_filled_by(f: &FilledBy, field: &str, errs: &mut Vec<FieldError>) {
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

fn check_difficulty(t: &Text, field: &str, errs: &mut Vec<FieldError>) {
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
            below_range: a.below_range,
            rigid_spending: a.rigid_spending.total,
        };
        let risks: Vec<RiskLine> = a.risks.iter().map(|r| RiskLine { code: r.code.to_string(), title: r.title.clone() }).collect();
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
        relation_label: relation_label(m.relation),
        age: m.age_at(date),
        id_number: m.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        labour: m.labour,
        labour_label: m.labour.label(),
        notes,
        counted: m.counted,
    }
}

fn names_where(h: &Household, f: impl Fn(&Member) -> bool) -> String {
    h.members.iter().filter(|m| f(m)).map(|m| m.name.trim()).filter(|n| !n.is_empty()).collect::<Vec<_>>().join("、")
}

fn descriptions(h: &Household, f: impl Fn(RigidExpenseKind) -> bool) -> String {
    h.rigid_expenses.iter().filter(|e| f(e.kind)).map(|e| e.description.trim()).filter(|d| !d.is_empty()).collect::<Vec<_>>().join("；")
}

fn with_paren(zh: &mut String, en: &mut String, extra: &str) {
    if !extra.is_empty() {
        zh.push_str(&format!("（{extra}）"));
        en.push_str(&format!(" ({extra})"));
    }
}

/// The drafted 困难情况说明: one plain sentence per risk, then the income line.
pub fn draft_difficulty(h: &Household, a: &Assessment, date: Date) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut water_done = false;
    for r in &a.risks {
        let (mut z, mut e): (String, String) = match r.code {
            "housing_unsafe" => ("我家住房是危房，住着不安全".into(), "Our house is unsafe (grade C or D)".into()),
            "water_quality" | "water_quantity" | "water_access" | "water_supply" => {
                if water_done {
                    continue;
                }
                water_done = true;
                let titles: Vec<&crate::assessment::Risk> = a.risks.iter().filter(|x| x.code.starts_with("water_")).collect();
                (
                    format!("家里吃水有困难：{}", titles.iter().map(|x| x.title.zh.as_str()).collect::<Vec<_>>().join("，")),
                    format!(
                        "We have a drinking-water problem: {}",
                        titles.iter().map(|x| x.title.en.to_ascii_lowercase()).collect::<Vec<_>>().join(", ")
                    ),
                )
            }
            "medical_uninsured" => {
                let n = names_where(h, |m| m.medical_insurance == Some(false));
                let (mut z, mut e) = ("有家人还没有参加医保".to_string(), "A family member has no basic medical insurance".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            "education_dropout" => {
                let n = names_where(h, |m| m.out_of_school.is_some_and(|r| r != OutOfSchoolReason::Health));
                let (mut z, mut e) = ("有适龄孩子失学辍学".to_string(), "A school-age child is out of school".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            "serious_illness" => {
                let n = names_where(h, |m| m.serious_illness);
                let (mut z, mut e) = ("家里有人患大病或慢性病".to_string(), "A family member has a serious or chronic illness".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            "medical_spending_high" => {
                let d = descriptions(h, |k| k.is_medical());
                let amt = a.rigid_spending.medical.display_yuan();
                let (mut z, mut e) = (format!("看病花费大，自付 {amt} 元"), format!("Medical bills are high: {amt} yuan out of pocket"));
                with_paren(&mut z, &mut e, &d);
                (z, e)
            }
            "education_spending_high" => {
                let d = descriptions(h, |k| k.is_schooling());
                let amt = a.rigid_spending.schooling.display_yuan();
                let (mut z, mut e) =
                    (format!("孩子上学费用高，自付 {amt} 元"), format!("Schooling costs are high: {amt} yuan out of pocket"));
                with_paren(&mut z, &mut e, &d);
                (z, e)
            }
            "rigid_spending_heavy" => {
                let total = a.rigid_spending.total.display_yuan();
                match a.rigid_spending.per_capita_after {
                    Some(pc) => {
                        let after = pc.rounded().display_yuan();
                        (
                            format!("看病、上学、受灾等必要开支共 {total} 元，扣除后每人每年只剩 {after} 元，基本生活困难"),
                            format!("Unavoidable spending of {total} yuan leaves {after} yuan per person a year; basic living is hard"),
                        )
                    }
                    None => (
                        format!("必要开支共 {total} 元，基本生活困难"),
                        format!("Unavoidable spending of {total} yuan makes basic living hard"),
                    ),
                }
            }
            "income_drop" | "job_lost" | "business_failed" => {
                let (mut z, mut e) = match r.code {
                    "job_lost" => (
                        "家里有人失业或务工不稳定，收入减少".to_string(),
                        "A member lost work or has unstable work; income fell".to_string(),
                    ),
                    "business_failed" => ("种养或生意失败，收入减少".to_string(), "Farming or business failed; income fell".to_string()),
                    _ => match &h.income_drop {
                        Some(d) => (
                            format!(
                                "家庭收入比去年明显下降（去年 {} 元，近12个月 {} 元）",
                                d.last_year_net_income.display_yuan(),
                                a.income.net_total.display_yuan()
                            ),
                            format!(
                                "Household income fell sharply ({} yuan last year, {} yuan in the last 12 months)",
                                d.last_year_net_income.display_yuan(),
                                a.income.net_total.display_yuan()
                            ),
                        ),
                        None => ("家庭收入明显下降".to_string(), "Household income fell sharply".to_string()),
                    },
                };
                if (r.code != "income_drop" || !a.risks.iter().any(|x| x.code == "job_lost" || x.code == "business_failed"))
                    && let Some(d) = &h.income_drop
                {
                    with_paren(&mut z, &mut e, d.description.trim());
                }
                (z, e)
            }
            "key_group_new_dibao" => ("今年家里有人新纳入低保".into(), "A member came onto dibao this year".into()),
            "key_group_new_tekun" => ("今年家里有人新纳入特困供养".into(), "A member came onto tekun support this year".into()),
            "key_group_new_severe_disability" => {
                let n = names_where(h, |m| m.severe_disability && m.severe_disability_since.is_some_and(|d| d.year() == date.year()));
                let (mut z, mut e) = ("今年家里新增重度残疾人".to_string(), "A member became severely disabled this year".to_string());
                with_paren(&mut z, &mut e, &n);
                (z, e)
            }
            "key_group_not_included_before" => {
                ("以前申报或被预警过，但没有纳入监测".into(), "We applied or were flagged before but were not included".into())
            }
            other => {
                let t = risk_title(other);
                (t.zh.to_string(), t.en.to_string())
            }
        };
        z.push('。');
        e.push('.');
        zh.push(z);
        en.push(e);
    }
    let n = a.income.members_counted;
    let net = a.income.net_total.display_yuan();
    let range = a.monitoring_range.amount.display_yuan();
    match a.per_capita_net_income {
        Some(pc) => {
            let pcs = pc.rounded().display_yuan();
            let (bz, be) = if a.below_range { ("低于", "below") } else { ("不低于", "not below") };
            zh.push(format!("全家 {n} 口人，近12个月家庭纯收入 {net} 元，人均 {pcs} 元，{bz}监测范围 {range} 元。"));
            en.push(format!(
                "{n} people; net income {net} yuan in the last 12 months, {pcs} yuan per person, {be} the monitoring range of {range} yuan."
            ));
        }
        None => {
            zh.push(format!("近12个月家庭纯收入 {net} 元。"));
            en.push(format!("Net income {net} yuan in the last 12 months."));
        }
    }
    if a.risks.is_empty() {
        zh.push("（请写明家里遇到的困难。）".into());
        en.push("(Please describe the difficulty.)".into());
    }
    Text::new(zh.join(""), en.join(" "))
}

// ---------------------------------------------------------------------------------------------
// Reference code.

/// The 29 characters of reference codes: digits 2–9 and capitals without I, L, O, U, Z.
pub const REFERENCE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTVWXY";
const REF_DATA_LEN: usize = 8;
const REF_LEN: usize = REF_DATA_LEN + 1;
const REF_MOD: u64 = 29;

fn ref_value(c: u8) -> Option<u64> {
    REFERENCE_ALPHABET.iter().position(|&a| a == c).map(|p| p as u64)
}

/// The check character for 8 data characters: the one that makes Σ (i+1)·vᵢ ≡ 0 (mod 29) over all
/// 9 characters. 29 is prime and the weights 1..9 differ, so every single substitution and every
/// transposition of two neighbours changes the sum.
pub fn reference_check_char(data: &str) -> Option<char> {
    let b = data.as_bytes();
    if b.len() != REF_DATA_LEN {
        return None;
    }
    let mut s = 0u64;
    for (i, &c) in b.iter().enumerate() {
        s += (i as u64 + 1) * ref_value(c)?;
    }
    // 9·c ≡ −s (mod 29); 9⁻¹ ≡ 13 (mod 29).
    let c = ((REF_MOD - s % REF_MOD) % REF_MOD) * 13 % REF_MOD;
    Some(REFERENCE_ALPHABET[c as usize] as char)
}

fn group_reference(s: &str) -> String {
    format!("{}-{}-{}", &s[0..3], &s[3..6], &s[6..9])
}

/// Why a typed reference code is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceError {
    /// Not 9 characters (dashes and spaces aside).
    Length,
    /// A character outside the alphabet (e.g. 0, O, 1, I, L).
    Character,
    /// The check character does not match: a character was misheard or swapped.
    Check,
}

impl ReferenceError {
    pub fn message(&self) -> Text {
        match self {
            ReferenceError::Length => {
                Text::new("申请编号应是 9 位（例如 K7M-4QX-9TR）。", "A reference code has 9 characters (e.g. K7M-4QX-9TR).")
            }
            ReferenceError::Character => Text::new(
                "申请编号里没有 0、O、1、I、L、U、Z，请再核对一下。",
                "Reference codes never contain 0, O, 1, I, L, U or Z; please check.",
            ),
            ReferenceError::Check => Text::new(
                "申请编号对不上，可能有一位听错或写反了。",
                "The code does not check out; a character may be misheard or swapped.",
            ),
        }
    }
}

/// Checks a typed or read-out reference code: lower case is accepted, dashes and spaces (also
/// full-width ones) are ignored. Returns the code grouped, `K7M-4QX-9TR`.
pub fn validate_reference(s: &str) -> Result<String, ReferenceError> {
    let mut out = String::with_capacity(REF_LEN);
    for ch in s.chars() {
        let ch = match ch {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            c => c,
        };
        if matches!(ch, '-' | ' ' | '\u{3000}' | '\u{2010}'..='\u{2015}' | '\t') {
            continue;
        }
        if out.len() >= REF_LEN {
            return Err(ReferenceError::Length);
        }
        let c = ch.to_ascii_uppercase();
        if !c.is_ascii() || ref_value(c as u8).is_none() {
            return Err(ReferenceError::Character);
        }
        out.push(c);
    }
    if out.len() != REF_LEN {
        return Err(ReferenceError::Length);
    }
    if reference_check_char(&out[..REF_DATA_LEN]) != out[REF_DATA_LEN..].chars().next() {
        return Err(ReferenceError::Check);
    }
    Ok(group_reference(&out))
}

/// FNV-1a, 64 bits.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: spreads FNV's last bytes over all bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn reference_from_value(mut v: u64) -> String {
    let mut data = [0u8; REF_DATA_LEN];
    for slot in data.iter_mut().rev() {
        *slot = REFERENCE_ALPHABET[(v % REF_MOD) as usize];
        v /= REF_MOD;
    }
    let mut s = String::from_utf8(data.to_vec()).unwrap_or_default();
    if let Some(c) = reference_check_char(&s) {
        s.push(c);
    }
    group_reference(&s)
}

fn reference_to_value(grouped: &str) -> Option<u64> {
    let mut v = 0u64;
    for c in grouped.bytes().filter(|&c| c != b'-').take(REF_DATA_LEN) {
        v = v * REF_MOD + ref_value(c)?;
    }
    Some(v)
}

/// 29⁸: the number of distinct reference codes.
const REF_SPACE: u64 = 500_246_412_961;

/// The reference code of an application's content: a hash of the canonical encoding of the
/// household, the filler, the difficulty text, the date and the profile id.
pub fn content_reference(h: &Household, filled_by: &FilledBy, difficulty: &Text, date: Date, profile: &str) -> String {
    let mut w = BitWriter::default();
    write_content(&mut w, &Content { h, filled_by, difficulty: Some(difficulty), date, profile }, 0);
    reference_from_value(mix64(fnv1a64(&w.finish())) % REF_SPACE)
}

/// A reference code spelled out for reading aloud: `K 7 M，4 Q X，9 T R`.
pub fn spell_reference(reference: &str, lang: &str) -> String {
    let sep = if lang == "en" { ", " } else { "，" };
    reference.split('-').map(|g| g.chars().map(String::from).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(sep)
}

// ---------------------------------------------------------------------------------------------
// Copy text and hotline script.

impl Application {
    fn member_count(&self) -> usize {
        self.members.len()
    }

    /// A fixed plain-text form for pasting into a WeChat message (`lang`: `"zh"` or `"en"`).
    pub fn to_plain_text(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut out = String::new();
        let line = |out: &mut String, zh: &str, en_s: &str, v: &str| {
            out.push_str(if en { en_s } else { zh });
            out.push_str(if en { ": " } else { "：" });
            out.push_str(v);
            out.push('\n');
        };
        let none = if en { "not given" } else { "未填" };
        out.push_str(if en { "[Application for poverty-relapse monitoring]\n" } else { "【防止返贫监测申请】\n" });
        line(&mut out, "申请编号", "Reference", &self.reference);
        line(&mut out, "户主", "Head of household", if self.head_name.is_empty() { none } else { &self.head_name });
        line(&mut out, "手机", "Phone", self.phone.as_deref().unwrap_or(none));
        let place = match (self.village.is_empty(), self.address.is_empty()) {
            (false, false) if self.address.contains(&self.village) => self.address.clone(),
            (false, false) => format!("{} {}", self.village, self.address),
            (false, true) => self.village.clone(),
            (true, false) => self.address.clone(),
            (true, true) => none.to_string(),
        };
        line(&mut out, "村/住址", "Village/address", &place);
        let n = self.member_count();
        line(&mut out, "家庭人口", "Household members", &if en { format!("{n}") } else { format!("{n} 人") });
        let range = self.income.monitoring_range.display_yuan();
        let pc = match self.income.per_capita {
            Some(pc) => {
                let (bz, be) = if self.income.below_range { ("低于", "below") } else { ("不低于", "not below") };
                if en {
                    format!("{} yuan per person a year, {be} the monitoring range of {range} yuan", pc.display_yuan())
                } else {
                    format!("{} 元/人·年，{bz}监测范围 {range} 元", pc.display_yuan())
                }
            }
            None => none.to_string(),
        };
        line(&mut out, "人均纯收入", "Per-capita net income", &pc);
        let risks = if self.risks.is_empty() {
            if en { "none found".to_string() } else { "未发现".to_string() }
        } else {
            self.risks.iter().map(|r| r.title.get(lang).to_string()).collect::<Vec<_>>().join(if en { "; " } else { "；" })
        };
        line(&mut out, "风险", "Risks", &risks);
        if let Some(c) = &self.category_label {
            line(&mut out, "可能属于", "Likely category", c.get(lang));
        }
        line(&mut out, "困难情况", "Difficulty", self.difficulty.get(lang).trim());
        line(&mut out, "填写", "Filled in", &format!("{}，{}", self.filled_by.label().get(lang), self.date));
        if !self.contacts.is_empty() {
            let phones = self.contacts.iter().map(|c| format!("{}（{}）", c.number, c.name.get(lang))).collect::<Vec<_>>();
            line(&mut out, "咨询电话", "Hotlines", &phones.join(if en { "; " } else { "；" }));
        }
        if en {
            out.push_str("(Self-check result for reference; the township and county decide.)\n");
        } else {
            out.push_str("（自测结果仅供参考，以乡镇、县里审核为准。）\n");
        }
        out
    }

    /// The read-out script for a hotline call: the key facts in the order an operator asks, with
    /// the reference code spelled in groups.
    pub fn hotline_script(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut s: Vec<String> = Vec::new();
        let unknown = if en { "not given" } else { "未填" };
        let place = if self.address.is_empty() {
            self.village.clone()
        } else if self.address.contains(&self.village) {
            self.address.clone()
        } else {
            format!("{} {}", self.village, self.address)
        };
        let phone = self.phone.as_deref().map(spell_phone).unwrap_or_else(|| unknown.to_string());
        let code = spell_reference(&self.reference, lang);
        let pc = self.income.per_capita.map(|m| m.display_yuan());
        let range = self.income.monitoring_range.display_yuan();
        let n = self.member_count();
        if en {
            s.push("Hello, I would like to apply for poverty-relapse monitoring (防止返贫监测).".into());
            s.push(format!("1. Name of the head of household: {}.", if self.head_name.is_empty() { unknown } else { &self.head_name }));
            s.push(format!("2. Phone: {phone}."));
            s.push(format!("3. Address: {}.", if place.is_empty() { unknown } else { &place }));
            s.push(format!("4. Household members: {n}."));
            let risks = self.risks.iter().map(|r| r.title.en.as_str()).collect::<Vec<_>>().join("; ");
            s.push(format!(
                "5. Difficulty: {}{}",
                if risks.is_empty() { String::new() } else { format!("{risks}. ") },
                self.difficulty.en.trim()
            ));
            match pc {
                Some(pc) => s.push(format!(
                    "6. Net income per person a year: about {pc} yuan ({} the monitoring range of {range} yuan).",
                    if self.income.below_range { "below" } else { "not below" }
                )),
                None => s.push("6. Net income per person: not worked out.".into()),
            }
            s.push(format!("7. My reference code is {} — spelled: {code}.", self.reference));
            s.push(format!("Filled in: {}, {}.", self.filled_by.label().en, self.date));
        } else {
            s.push("您好，我要申请防止返贫监测。".into());
            s.push(format!("一、户主姓名：{}。", if self.head_name.is_empty() { unknown } else { &self.head_name }));
            s.push(format!("二、联系电话：{phone}。"));
            s.push(format!("三、住址：{}。", if place.is_empty() { unknown } else { &place }));
            s.push(format!("四、家里 {n} 口人。"));
            let risks = self.risks.iter().map(|r| r.title.zh.as_str()).collect::<Vec<_>>().join("；");
            s.push(format!(
                "五、困难情况：{}{}",
                if risks.is_empty() { String::new() } else { format!("{risks}。") },
                self.difficulty.zh.trim()
            ));
            match pc {
                Some(pc) => s.push(format!(
                    "六、家庭年人均纯收入大约 {pc} 元，{}监测范围 {range} 元。",
                    if self.income.below_range { "低于" } else { "不低于" }
                )),
                None => s.push("六、人均纯收入还没算出来。".into()),
            }
            s.push(format!("七、我的申请编号是 {}，逐个念：{code}。", self.reference));
            s.push(format!("（{}，{}）", self.filled_by.label().zh, self.date));
        }
        s.join("\n") + "\n"
    }
}

fn spell_phone(p: &str) -> String {
    let d: String = p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    if d.len() == 11 && d.starts_with('1') { format!("{} {} {}", &d[0..3], &d[3..7], &d[7..11]) } else { p.trim().to_string() }
}

// ---------------------------------------------------------------------------------------------
// The one-click report.

/// The client's assessment, as sent with a report (the receiver recomputes its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentSummary {
    pub income: IncomeSummary,
    pub risks: Vec<RiskLine>,
    pub category: Option<Category>,
    pub whole_household_no_labour: bool,
}

impl AssessmentSummary {
    /// The summary of an assessment (the receiver compares it with the client's).
    pub fn from_assessment(a: &Assessment) -> AssessmentSummary {
        AssessmentSummary {
            income: IncomeSummary {
                net_total: a.income.net_total,
                members_counted: a.income.members_counted,
                per_capita: a.per_capita_net_income.map(|pc| pc.rounded()),
                monitoring_range: a.monitoring_range.amount,
                range_provisional: a.monitoring_range.provisional,
                range_note: a.monitoring_range.screen_note.clone(),
                below_range: a.below_range,
                rigid_spending: a.rigid_spending.total,
            },
            risks: a.risks.iter().map(|r| RiskLine { code: r.code.to_string(), title: r.title.clone() }).collect(),
            category: a.category,
            whole_household_no_labour: a.whole_household_no_labour,
        }
    }
}

/// The application's own fields in a report (the intake fields of real one-click forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportApplication {
    pub date: Date,
    pub filled_by: FilledBy,
    /// 困难情况说明 as the person left it.
    pub difficulty: Text,
    pub head_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub village: String,
    pub address: String,
    pub members: u32,
    /// Names of the members who sign with a fingerprint.
    pub signers: Vec<String>,
}

/// The one-click report (`fangpin.report/1`), see `docs/report-api.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// `"fangpin.report/1"`.
    pub format: String,
    /// Made once per submission by the client; 16–64 characters of `A–Z a–z 0–9 - _`.
    pub idempotency_key: String,
    /// The application's reference code, grouped.
    pub reference: String,
    /// When the person pressed send (RFC 3339, e.g. `2024-05-06T09:30:00+08:00`).
    pub submitted_at: String,
    /// Profile id.
    pub profile: String,
    pub household: Household,
    pub application: ReportApplication,
    pub assessment: AssessmentSummary,
}

/// The longest text in a client's assessment summary (a risk title, the range note), in characters.
const SUMMARY_TEXT_CHARS: usize = 300;

/// The largest report body a receiver needs to accept, in bytes.
pub const REPORT_MAX_BYTES: usize = 64 * 1024;

/// True for 16–64 characters of `A–Z a–z 0–9 - _` (a UUID qualifies).
pub fn is_valid_idempotency_key(k: &str) -> bool {
    (16..=64).contains(&k.len()) && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// True for an RFC 3339 date-time with an offset: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn is_valid_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 40 || !s.is_ascii() {
        return false;
    }
    if Date::parse(&s[..10]).is_err() || !matches!(b[10], b'T' | b't') {
        return false;
    }
    let two = |i: usize| -> Option<u32> {
        (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit()).then(|| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'))
    };
    match (two(11), two(14), two(17)) {
        (Some(h), Some(m), Some(sec)) if h < 24 && m < 60 && sec <= 60 && b[13] == b':' && b[16] == b':' => {}
        _ => return false,
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => matches!((two(i + 1), two(i + 4)), (Some(h), Some(m)) if h < 24 && m < 60),
        _ => false,
    }
}

impl Report {
    /// The report for an application. The idempotency key is made once per submission by the
    /// caller and reused for every retry; `submitted_at` is the time the person pressed send.
    pub fn from_application(app: &Application, idempotency_key: impl Into<String>, submitted_at: impl Into<String>) -> Report {
        Report {
            format: REPORT_FORMAT.to_string(),
            idempotency_key: idempotency_key.into(),
            reference: app.reference.clone(),
            submitted_at: submitted_at.into(),
            profile: app.profile.clone(),
            household: app.household.clone(),
            application: ReportApplication {
                date: app.date,
                filled_by: app.filled_by.clone(),
                difficulty: app.difficulty.clone(),
                head_name: app.head_name.clone(),
                id_number: app.id_number.clone(),
                phone: app.phone.clone(),
                village: app.village.clone(),
                address: app.address.clone(),
                members: u32::try_from(app.members.len()).unwrap_or(u32::MAX),
                signers: app.signers.iter().map(|s| s.name.clone()).collect(),
            },
            assessment: app.assessment_summary(),
        }
    }

    /// The JSON text to send.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a report strictly: the `format` is checked first (a wrong version is named as such),
    /// then every field (unknown fields are errors). The error names the field.
    pub fn from_json(text: &str) -> Result<Report, FieldError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            ferr(
                "",
                "json",
                format!("不是有效的 JSON（第 {} 行第 {} 列）。", e.line(), e.column()),
                format!("Not valid JSON (line {}, column {}).", e.line(), e.column()),
            )
        })?;
        let Some(obj) = v.as_object() else {
            return Err(ferr("", "not_object", "报告应是一个 JSON 对象。", "A report is a JSON object."));
        };
        match obj.get("format") {
            None => return Err(ferr("format", "missing", "缺少字段 format（格式版本）。", "Missing field `format` (the version).")),
            Some(serde_json::Value::String(f)) if f == REPORT_FORMAT => {}
            Some(other) => {
                let shown: String = other.to_string().chars().take(40).collect();
                return Err(ferr(
                    "format",
                    "version",
                    format!("不支持的报告格式 {shown}，应为 {REPORT_FORMAT}。"),
                    format!("Unsupported report format {shown}; expected {REPORT_FORMAT}."),
                ));
            }
        }
        serde_path_to_error::deserialize::<_, Report>(v).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            let msg = e.inner().to_string();
            let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            if let Some(name) = backticked(&msg, "missing field `") {
                let f = join(&name);
                ferr(f.clone(), "missing", format!("缺少字段 {f}。"), format!("Missing field `{f}`."))
            } else if let Some(name) = backticked(&msg, "unknown field `") {
                let f = if path.ends_with(&name) { path.clone() } else { join(&name) };
                ferr(f.clone(), "unknown_field", format!("不认识的字段 {f}。"), format!("Unknown field `{f}`."))
            } else {
                let shown: String = msg.chars().take(200).collect();
                ferr(path.clone(), "invalid", format!("字段 {path} 的值不对：{shown}"), format!("Invalid value at `{path}`: {shown}"))
            }
        })
    }

    /// Every problem in the report, each naming its field; empty means valid. Checks the shapes
    /// (key, time, profile id), the reference code against the content, the household (as
    /// `household.…`) and that the application fields agree with the household.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.format != REPORT_FORMAT {
            errs.push(ferr("format", "version", format!("报告格式应为 {REPORT_FORMAT}。"), format!("The format must be {REPORT_FORMAT}.")));
        }
        if !is_valid_idempotency_key(&self.idempotency_key) {
            errs.push(ferr(
                "idempotency_key",
                "format",
                "提交编号（idempotency_key）应是 16–64 位字母、数字、- 或 _。",
                "idempotency_key must be 16–64 characters of A–Z, a–z, 0–9, - or _.",
            ));
        }
        if !is_valid_timestamp(&self.submitted_at) {
            errs.push(ferr(
                "submitted_at",
                "format",
                "提交时间应是 RFC 3339 格式，例如 2024-05-06T09:30:00+08:00。",
                "submitted_at must be an RFC 3339 time such as 2024-05-06T09:30:00+08:00.",
            ));
        }
        let p = &self.profile;
        if p.is_empty() || p.len() > 64 || !p.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            errs.push(ferr("profile", "format", "政策档案 id 不对。", "The profile id is not valid."));
        }
        let a = &self.application;
        check_filled_by(&a.filled_by, "application.filled_by", &mut errs);
        check_difficulty(&a.difficulty, "application.difficulty", &mut errs);
        match validate_reference(&self.reference) {
            Err(e) => errs.push(FieldError { field: "reference".into(), code: "reference".into(), message: e.message() }),
            Ok(r) => {
                if r != content_reference(&self.household, &a.filled_by, &a.difficulty, a.date, &self.profile) {
                    errs.push(ferr(
                        "reference",
                        "reference_mismatch",
                        "申请编号和申请内容对不上（内容可能被改动过）。",
                        "The reference code does not match the application's content.",
                    ));
                }
            }
        }
        for mut e in self.household.validate(a.date) {
            e.field = format!("household.{}", e.field);
            errs.push(e);
        }
        let h = &self.household;
        let trimmed = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let head_id = h.members.iter().find(|m| m.relation == Relation::Head).and_then(|m| trimmed(&m.id_number));
        let mismatches: [(&str, bool); 6] = [
            ("application.head_name", a.head_name != h.head_name.trim()),
            ("application.id_number", a.id_number != head_id),
            ("application.phone", a.phone != trimmed(&h.phone)),
            ("application.village", a.village != h.village.trim()),
            ("application.address", a.address != h.address.trim()),
            ("application.members", a.members as usize != h.members.len()),
        ];
        let signers = signers_of(h, a.date);
        let signers_bad = a.signers.len() != signers.len() || a.signers.iter().zip(&signers).any(|(name, s)| *name != s.name);
        for (field, bad) in mismatches.into_iter().chain([("application.signers", signers_bad)]) {
            if bad {
                errs.push(ferr(
                    field,
                    "mismatch",
                    format!("{field} 和家庭信息里的不一致。"),
                    format!("`{field}` does not match the household."),
                ));
            }
        }
        // The client's summary is kept only for comparison: it may not be bigger than a real one.
        let sum = &self.assessment;
        let too_big = sum.risks.len() > crate::assessment::RISK_CODES.len()
            || sum.risks.iter().any(|r| {
                !crate::assessment::RISK_CODES.contains(&r.code.as_str())
                    || check_text(&r.title.zh, TextKind::Line, SUMMARY_TEXT_CHARS).is_err()
                    || check_text(&r.title.en, TextKind::Line, SUMMARY_TEXT_CHARS).is_err()
            })
            || sum.income.range_note.as_ref().is_some_and(|n| {
                check_text(&n.zh, TextKind::Free, SUMMARY_TEXT_CHARS).is_err()
                    || check_text(&n.en, TextKind::Free, SUMMARY_TEXT_CHARS).is_err()
            });
        if too_big {
            errs.push(ferr(
                "assessment",
                "invalid",
                "报告里的评估摘要不像本工具生成的（风险太多、代码不认识或文字太长）。",
                "The report's assessment summary is not one this tool makes (too many risks, unknown codes or overlong texts).",
            ));
        }
        errs
    }
}

fn backticked(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.split_once(prefix)?.1;
    Some(rest.split_once('`')?.0.to_string())
}

// ---------------------------------------------------------------------------------------------
// QR handoff: a bit-packed encoding of the application's content, digits for the QR numeric mode.

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn bits(&mut self, v: u64, width: u32) {
        debug_assert!(width <= 32);
        let v = if width == 64 { v } else { v & ((1u64 << width) - 1) };
        self.acc = (self.acc << width) | v;
        self.n += width;
        while self.n >= 8 {
            self.n -= 8;
            self.bytes.push((self.acc >> self.n) as u8);
        }
        self.acc &= (1u64 << self.n) - 1;
    }
    fn bit(&mut self, b: bool) {
        self.bits(u64::from(b), 1);
    }
    /// Unsigned varint in groups of `k` data bits, each followed by a continuation bit.
    fn uv(&mut self, mut v: u64, k: u32) {
        loop {
            let chunk = v & ((1 << k) - 1);
            v >>= k;
            self.bits(chunk, k);
            self.bit(v != 0);
            if v == 0 {
                break;
            }
        }
    }
    fn big(&mut self, v: u64, width: u32) {
        if width > 32 {
            self.bits(v >> 32, width - 32);
            self.bits(v & 0xffff_ffff, 32);
        } else {
            self.bits(v, width);
        }
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            let pad = 8 - self.n;
            self.bits(0, pad);
        }
        self.bytes
    }
}

struct BitReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

type R<T> = Result<T, HandoffError>;

impl BitReader<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len() * 8 - self.pos
    }
    fn bits(&mut self, width: u32) -> R<u64> {
        if width as usize > self.remaining() {
            return Err(HandoffError::Malformed);
        }
        let mut v = 0u64;
        for _ in 0..width {
            let byte = self.bytes[self.pos / 8];
            v = (v << 1) | u64::from((byte >> (7 - self.pos % 8)) & 1);
            self.pos += 1;
        }
        Ok(v)
    }
    fn bit(&mut self) -> R<bool> {
        Ok(self.bits(1)? == 1)
    }
    fn uv(&mut self, k: u32) -> R<u64> {
        let mut v = 0u64;
        let mut shift = 0u32;
        loop {
            let chunk = self.bits(k)?;
            if shift >= 64 || (shift + k > 64 && chunk >> (64 - shift) != 0) {
                return Err(HandoffError::Malformed);
            }
            v |= chunk << shift;
            shift += k;
            if !self.bit()? {
                return Ok(v);
            }
        }
    }
    /// A count of items each taking at least `min_bits`: refuses counts the data cannot hold.
    fn count(&mut self, min_bits: usize) -> R<usize> {
        let n = self.uv(3)?;
        if n as usize as u64 != n || (n as usize).saturating_mul(min_bits) > self.remaining() {
            return Err(HandoffError::Malformed);
        }
        Ok(n as usize)
    }
}

/// Common CJK punctuation, coded in 7 bits.
const PUNCT: [char; 16] = ['，', '。', '、', '：', '；', '！', '？', '（', '）', '“', '”', '《', '》', '—', '…', '·'];
const CJK_BASE: u32 = 0x4E00;

fn put_str(w: &mut BitWriter, s: &str) {
    w.uv(s.chars().count() as u64, 4);
    for ch in s.chars() {
        let c = ch as u32;
        if (CJK_BASE..CJK_BASE + 0x8000).contains(&c) {
            w.bit(true);
            w.bits(u64::from(c - CJK_BASE), 15);
        } else if c < 0x80 {
            w.bits(0b00, 2);
            w.bits(u64::from(c), 7);
        } else if let Some(i) = PUNCT.iter().position(|&p| p == ch) {
            w.bits(0b010, 3);
            w.bits(i as u64, 4);
        } else {
            w.bits(0b011, 3);
            w.bits(u64::from(c), 21);
        }
    }
}

fn get_str(r: &mut BitReader) -> R<String> {
    let n = r.uv(4)?;
    if n.saturating_mul(7) > r.remaining() as u64 {
        return Err(HandoffError::Malformed);
    }
    let mut s = String::new();
    for _ in 0..n {
        let c = if r.bit()? {
            CJK_BASE + r.bits(15)? as u32
        } else if !r.bit()? {
            r.bits(7)? as u32
        } else if !r.bit()? {
            PUNCT[r.bits(4)? as usize] as u32
        } else {
            r.bits(21)? as u32
        };
        s.push(char::from_u32(c).ok_or(HandoffError::Malformed)?);
    }
    Ok(s)
}

fn put_opt_str(w: &mut BitWriter, s: &Option<String>) {
    w.bit(s.is_some());
    if let Some(s) = s {
        put_str(w, s);
    }
}

fn get_opt_str(r: &mut BitReader) -> R<Option<String>> {
    Ok(if r.bit()? { Some(get_str(r)?) } else { None })
}

/// Days since 1900-01-01 in 17 bits.
fn put_date(w: &mut BitWriter, d: Date) {
    let base = Date::new(1900, 1, 1).map(|b| b.day_number()).unwrap_or(0);
    w.bits((d.day_number() - base) as u64, 17);
}

fn date_from_days(days_since_1900: i64) -> Option<Date> {
    // 1900-01-01 is day -25,567 of the 1970 epoch.
    Date::from_day_number(days_since_1900 - 25_567)
}

fn get_date(r: &mut BitReader) -> R<Date> {
    date_from_days(r.bits(17)? as i64).ok_or(HandoffError::Malformed)
}

fn put_opt_date(w: &mut BitWriter, d: Option<Date>) {
    w.bit(d.is_some());
    if let Some(d) = d {
        put_date(w, d);
    }
}

fn get_opt_date(r: &mut BitReader) -> R<Option<Date>> {
    Ok(if r.bit()? { Some(get_date(r)?) } else { None })
}

fn put_opt_uv(w: &mut BitWriter, v: Option<u32>, k: u32) {
    w.bit(v.is_some());
    if let Some(v) = v {
        w.uv(u64::from(v), k);
    }
}

fn get_opt_u32(r: &mut BitReader, k: u32) -> R<Option<u32>> {
    Ok(if r.bit()? { Some(u32::try_from(r.uv(k)?).map_err(|_| HandoffError::Malformed)?) } else { None })
}

fn put_opt_bool(w: &mut BitWriter, b: Option<bool>) {
    w.bit(b.is_some());
    if let Some(b) = b {
        w.bit(b);
    }
}

fn get_opt_bool(r: &mut BitReader) -> R<Option<bool>> {
    Ok(if r.bit()? { Some(r.bit()?) } else { None })
}

fn put_opt_index(w: &mut BitWriter, i: Option<usize>) {
    w.bit(i.is_some());
    if let Some(i) = i {
        w.uv(i as u64, 3);
    }
}

fn get_opt_index(r: &mut BitReader) -> R<Option<usize>> {
    Ok(if r.bit()? { Some(usize::try_from(r.uv(3)?).map_err(|_| HandoffError::Malformed)?) } else { None })
}

/// Money: whole yuan (`00`), fen (`01`), or the exact decimal text (`1`).
fn put_money(w: &mut BitWriter, m: Money) {
    use rust_decimal::prelude::ToPrimitive;
    let d = m.as_decimal();
    if d.fract().is_zero()
        && let Some(y) = d.to_i64().filter(|v| *v >= 0)
    {
        w.bits(0b00, 2);
        w.uv(y as u64, 6);
        return;
    }
    if let Some(fen) = d.checked_mul(rust_decimal::Decimal::from(100))
        && fen.fract().is_zero()
        && let Some(f) = fen.to_i64().filter(|v| *v >= 0)
    {
        w.bits(0b01, 2);
        w.uv(f as u64, 6);
        return;
    }
    w.bit(true);
    put_str(w, &d.to_string());
}

fn get_money(r: &mut BitReader) -> R<Money> {
    if r.bit()? {
        let s = get_str(r)?;
        return s.parse::<rust_decimal::Decimal>().map(Money::from_decimal).map_err(|_| HandoffError::Malformed);
    }
    let fen = r.bit()?;
    let v = i64::try_from(r.uv(6)?).map_err(|_| HandoffError::Malformed)?;
    if fen { Ok(Money::from_fen(v)) } else { Ok(Money::yuan(v)) }
}

fn enum_index<T: PartialEq + Copy>(all: &[T], v: T) -> u64 {
    all.iter().position(|&x| x == v).unwrap_or(0) as u64
}

fn enum_at<T: Copy>(all: &[T], i: u64) -> R<T> {
    all.get(i as usize).copied().ok_or(HandoffError::Malformed)
}

const RELATIONS: [Relation; 9] = Relation::ALL;
const LABOURS: [LabourCapacity; 4] = [LabourCapacity::Full, LabourCapacity::Weak, LabourCapacity::Half, LabourCapacity::None];
const SCHOOLINGS: [Schooling; 4] = [Schooling::None, Schooling::Compulsory, Schooling::HighSchool, Schooling::College];
const OOS: [OutOfSchoolReason; 4] = [OutOfSchoolReason::Health, OutOfSchoolReason::Cost, OutOfSchoolReason::Work, OutOfSchoolReason::Other];
const GRADES: [HousingGrade; 5] = [HousingGrade::A, HousingGrade::B, HousingGrade::C, HousingGrade::D, HousingGrade::Unknown];
const RIGID_KINDS: [RigidExpenseKind; 8] = [
    RigidExpenseKind::MedicalInpatient,
    RigidExpenseKind::MedicalOutpatient,
    RigidExpenseKind::MedicalOther,
    RigidExpenseKind::SchoolingCompulsory,
    RigidExpenseKind::SchoolingNonCompulsory,
    RigidExpenseKind::Disaster,
    RigidExpenseKind::Accident,
    RigidExpenseKind::Other,
];
const DROP_REASONS: [IncomeDropReason; 7] = [
    IncomeDropReason::LostJob,
    IncomeDropReason::FailedFarming,
    IncomeDropReason::FailedBusiness,
    IncomeDropReason::Illness,
    IncomeDropReason::Disaster,
    IncomeDropReason::Accident,
    IncomeDropReason::Other,
];
const OUTCOMES: [PreviousOutcome; 3] = [PreviousOutcome::NotIncluded, PreviousOutcome::Included, PreviousOutcome::Pending];

/// An 18-character ID number whose check character is right is sent as its first 17 digits.
fn put_id(w: &mut BitWriter, id: &Option<String>) {
    match id {
        None => w.bit(false),
        Some(s) => {
            w.bit(true);
            // Only an all-ASCII text is sliced by bytes (then bytes are characters).
            let b = s.as_bytes();
            let packable = s.is_ascii() && b.len() == 18 && id_check_char(&s[..17]).is_some_and(|c| c as u8 == b[17]);
            w.bit(packable);
            if packable {
                let v: u64 = b[..17].iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
                w.big(v, 57);
            } else {
                put_str(w, s);
            }
        }
    }
}

fn get_id(r: &mut BitReader) -> R<Option<String>> {
    if !r.bit()? {
        return Ok(None);
    }
    if r.bit()? {
        let v = r.bits(57)?;
        if v >= 100_000_000_000_000_000 {
            return Err(HandoffError::Malformed);
        }
        let first = format!("{v:017}");
        let c = id_check_char(&first).ok_or(HandoffError::Malformed)?;
        Ok(Some(format!("{first}{c}")))
    } else {
        Ok(Some(get_str(r)?))
    }
}

/// An 11-digit phone number is sent as a number.
fn put_phone(w: &mut BitWriter, p: &Option<String>) {
    match p {
        None => w.bits(0b00, 2),
        Some(s) if s.len() == 11 && s.bytes().all(|c| c.is_ascii_digit()) && !s.starts_with('0') => {
            w.bits(0b01, 2);
            w.big(s.parse().unwrap_or(0), 37);
        }
        Some(s) => {
            w.bits(0b10, 2);
            put_str(w, s);
        }
    }
}

fn get_phone(r: &mut BitReader) -> R<Option<String>> {
    match r.bits(2)? {
        0 => Ok(None),
        1 => {
            let v = r.bits(37)?;
            if !(10_000_000_000..100_000_000_000).contains(&v) {
                return Err(HandoffError::Malformed);
            }
            Ok(Some(v.to_string()))
        }
        2 => Ok(Some(get_str(r)?)),
        _ => Err(HandoffError::Malformed),
    }
}

/// What a handoff leaves out when the application is too big, least essential first.
const DROP_DIFFICULTY_EN: u64 = 1;
const DROP_DIFFICULTY_ZH: u64 = 2;
const DROP_DESCRIPTIONS: u64 = 4;
const DROP_LABELS: u64 = 8;
const DROP_ORDER: [u64; 4] = [DROP_DIFFICULTY_EN, DROP_DIFFICULTY_ZH, DROP_DESCRIPTIONS, DROP_LABELS];

fn drop_text(flag: u64) -> Text {
    match flag {
        DROP_DIFFICULTY_EN => Text::new("英文的困难情况说明", "the English difficulty description"),
        DROP_DIFFICULTY_ZH => Text::new(
            "改写过的困难情况说明（对方看到的是自动生成的说明）",
            "the edited difficulty description (the worker sees the drafted one)",
        ),
        DROP_DESCRIPTIONS => Text::new("各项开支和收入下降的文字说明", "the notes on each expense and on the income drop"),
        _ => Text::new("每笔收入和支出的名称", "the name of each income and cost item"),
    }
}

fn dropped_texts(mask: u64) -> Vec<Text> {
    DROP_ORDER.iter().filter(|&&f| mask & f != 0).map(|&f| drop_text(f)).collect()
}

struct Content<'a> {
    h: &'a Household,
    filled_by: &'a FilledBy,
    /// None: the difficulty equals the draft the receiver will make itself.
    difficulty: Option<&'a Text>,
    date: Date,
    profile: &'a str,
}

fn put_profile_id(w: &mut BitWriter, id: &str) {
    const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let compact = id.len() < 64 && id.bytes().all(|c| ID_CHARS.contains(&c));
    w.bit(compact);
    if compact {
        w.bits(id.len() as u64, 6);
        for c in id.bytes() {
            w.bits(ID_CHARS.iter().position(|&x| x == c).unwrap_or(0) as u64, 6);
        }
    } else {
        put_str(w, id);
    }
}

fn get_profile_id(r: &mut BitReader) -> R<String> {
    const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    if r.bit()? {
        let n = r.bits(6)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push(*ID_CHARS.get(r.bits(6)? as usize).ok_or(HandoffError::Malformed)? as char);
        }
        Ok(s)
    } else {
        get_str(r)
    }
}

/// The canonical encoding of an application's content (also hashed for the reference code).
fn write_content(w: &mut BitWriter, c: &Content, drop: u64) {
    let h = c.h;
    put_profile_id(w, c.profile);
    put_date(w, c.date);
    match c.filled_by {
        FilledBy::Self_ => w.bits(0, 2),
        FilledBy::Worker { name } => {
            w.bits(1, 2);
            put_str(w, name);
        }
        FilledBy::Relative { name } => {
            w.bits(2, 2);
            put_str(w, name);
        }
    }
    match c.difficulty {
        None => w.bits(0, 2),
        Some(t) => {
            w.bit(drop & DROP_DIFFICULTY_ZH == 0);
            w.bit(drop & DROP_DIFFICULTY_EN == 0);
            if drop & DROP_DIFFICULTY_ZH == 0 {
                put_str(w, &t.zh);
            }
            if drop & DROP_DIFFICULTY_EN == 0 {
                put_str(w, &t.en);
            }
        }
    }
    // The household (format fangpin.household/1).
    put_str(w, &h.head_name);
    put_phone(w, &h.phone);
    put_str(w, &h.village);
    let rest = if h.village.is_empty() { None } else { h.address.strip_prefix(h.village.as_str()) };
    w.bit(rest.is_some());
    put_str(w, rest.unwrap_or(&h.address));
    w.bit(h.formerly_poor);
    w.bits(enum_index(&GRADES, h.housing_grade), 3);
    let wa = &h.water;
    put_opt_bool(w, wa.quality_ok);
    put_opt_uv(w, wa.litres_per_person_day, 6);
    w.bit(wa.water_rich_area);
    put_opt_uv(w, wa.fetch_round_trip_minutes, 5);
    put_opt_uv(w, wa.supply_percent, 7);
    put_opt_str(w, &h.collected_by);
    w.bit(h.monitoring.is_some());
    if let Some(m) = &h.monitoring {
        put_date(w, m.since);
        put_opt_date(w, m.income_stable_since);
        w.bit(m.risk_gone_naturally);
    }
    w.uv(h.previous_applications.len() as u64, 3);
    for p in &h.previous_applications {
        put_opt_date(w, p.date);
        w.bit(p.source == PreviousSource::Flagged);
        w.bits(enum_index(&OUTCOMES, p.outcome), 2);
    }
    w.uv(h.members.len() as u64, 3);
    for m in &h.members {
        put_str(w, &m.name);
        w.bits(enum_index(&RELATIONS, m.relation), 4);
        put_opt_date(w, m.birth_date);
        put_opt_uv(w, m.age, 6);
        put_id(w, &m.id_number);
        w.bits(enum_index(&LABOURS, m.labour), 2);
        w.bit(m.severe_disability);
        put_opt_date(w, m.severe_disability_since);
        w.bit(m.serious_illness);
        w.bits(enum_index(&SCHOOLINGS, m.schooling), 2);
        w.bits(m.out_of_school.map_or(0, |r| enum_index(&OOS, r) + 1), 3);
        put_opt_bool(w, m.medical_insurance);
        put_opt_date(w, m.dibao_since);
        put_opt_date(w, m.tekun_since);
        w.bit(m.counted);
    }
    w.uv(h.income.len() as u64, 3);
    for it in &h.income {
        w.bits(enum_index(&IncomeKind::ALL, it.kind), 2);
        put_money(w, it.amount);
        if drop & DROP_LABELS == 0 {
            put_str(w, &it.label);
        }
        put_opt_str(w, &it.item);
        put_opt_index(w, it.member);
    }
    w.uv(h.business_costs.len() as u64, 3);
    for it in &h.business_costs {
        put_money(w, it.amount);
        if drop & DROP_LABELS == 0 {
            put_str(w, &it.label);
        }
    }
    w.uv(h.rigid_expenses.len() as u64, 3);
    for e in &h.rigid_expenses {
        w.bits(enum_index(&RIGID_KINDS, e.kind), 3);
        put_money(w, e.amount);
        if drop & DROP_DESCRIPTIONS == 0 {
            put_str(w, &e.description);
        }
        put_opt_index(w, e.member);
    }
    w.bit(h.income_drop.is_some());
    if let Some(d) = &h.income_drop {
        put_money(w, d.last_year_net_income);
        w.bits(enum_index(&DROP_REASONS, d.reason), 3);
        if drop & DROP_DESCRIPTIONS == 0 {
            put_str(w, &d.description);
        }
    }
}

/// The application as carried by a handoff: what the receiver needs to rebuild it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffData {
    pub profile: String,
    pub date: Date,
    pub filled_by: FilledBy,
    /// The person's difficulty text; None when it was the draft (or was left out): rebuild it.
    pub difficulty: Option<Text>,
    pub household: Household,
    /// The sender's reference code (the rebuilt application has the same code unless parts were
    /// left out).
    pub reference: String,
    /// What the sender left out to fit the QR code.
    pub dropped: Vec<Text>,
}

fn read_content(r: &mut BitReader, drop: u64) -> R<HandoffData> {
    let profile = get_profile_id(r)?;
    let date = get_date(r)?;
    let filled_by = match r.bits(2)? {
        0 => FilledBy::Self_,
        1 => FilledBy::Worker { name: get_str(r)? },
        2 => FilledBy::Relative { name: get_str(r)? },
        _ => return Err(HandoffError::Malformed),
    };
    let zh = r.bit()?;
    let en = r.bit()?;
    let zh = if zh { Some(get_str(r)?) } else { None };
    let en = if en { Some(get_str(r)?) } else { None };
    let mut h = Household { format: HOUSEHOLD_FORMAT.to_string(), ..Household::default() };
    h.head_name = get_str(r)?;
    h.phone = get_phone(r)?;
    h.village = get_str(r)?;
    let prefixed = r.bit()?;
    let rest = get_str(r)?;
    h.address = if prefixed { format!("{}{rest}", h.village) } else { rest };
    h.formerly_poor = r.bit()?;
    h.housing_grade = enum_at(&GRADES, r.bits(3)?)?;
    h.water = DrinkingWater {
        quality_ok: get_opt_bool(r)?,
        litres_per_person_day: get_opt_u32(r, 6)?,
        water_rich_area: r.bit()?,
        fetch_round_trip_minutes: get_opt_u32(r, 5)?,
        supply_percent: get_opt_u32(r, 7)?,
    };
    h.collected_by = get_opt_str(r)?;
    if r.bit()? {
        h.monitoring = Some(Monitoring { since: get_date(r)?, income_stable_since: get_opt_date(r)?, risk_gone_naturally: r.bit()? });
    }
    for _ in 0..r.count(4)? {
        h.previous_applications.push(PreviousApplication {
            date: get_opt_date(r)?,
            source: if r.bit()? { PreviousSource::Flagged } else { PreviousSource::Applied },
            outcome: enum_at(&OUTCOMES, r.bits(2)?)?,
        });
    }
    for _ in 0..r.count(20)? {
        h.members.push(Member {
            name: get_str(r)?,
            relation: enum_at(&RELATIONS, r.bits(4)?)?,
            birth_date: get_opt_date(r)?,
            age: get_opt_u32(r, 6)?,
            id_number: get_id(r)?,
            labour: enum_at(&LABOURS, r.bits(2)?)?,
            severe_disability: r.bit()?,
            severe_disability_since: get_opt_date(r)?,
            serious_illness: r.bit()?,
            schooling: enum_at(&SCHOOLINGS, r.bits(2)?)?,
            out_of_school: match r.bits(3)? {
                0 => None,
                i => Some(enum_at(&OOS, i - 1)?),
            },
            medical_insurance: get_opt_bool(r)?,
            dibao_since: get_opt_date(r)?,
            tekun_since: get_opt_date(r)?,
            counted: r.bit()?,
        });
    }
    for _ in 0..r.count(10)? {
        h.income.push(IncomeItem {
            kind: enum_at(&IncomeKind::ALL, r.bits(2)?)?,
            amount: get_money(r)?,
            label: if drop & DROP_LABELS == 0 { get_str(r)? } else { String::new() },
            item: get_opt_str(r)?,
            member: get_opt_index(r)?,
        });
    }
    for _ in 0..r.count(8)? {
        h.business_costs.push(CostItem { amount: get_money(r)?, label: if drop & DROP_LABELS == 0 { get_str(r)? } else { String::new() } });
    }
    for _ in 0..r.count(11)? {
        h.rigid_expenses.push(RigidExpense {
            kind: enum_at(&RIGID_KINDS, r.bits(3)?)?,
            amount: get_money(r)?,
            description: if drop & DROP_DESCRIPTIONS == 0 { get_str(r)? } else { String::new() },
            member: get_opt_index(r)?,
        });
    }
    if r.bit()? {
        h.income_drop = Some(IncomeDrop {
            last_year_net_income: get_money(r)?,
            reason: enum_at(&DROP_REASONS, r.bits(3)?)?,
            description: if drop & DROP_DESCRIPTIONS == 0 { get_str(r)? } else { String::new() },
        });
    }
    let difficulty = match (zh, en) {
        (None, None) => None,
        (zh, en) => Some(Text::new(zh.unwrap_or_default(), en.unwrap_or_default())),
    };
    Ok(HandoffData { profile, date, filled_by, difficulty, household: h, reference: String::new(), dropped: dropped_texts(drop) })
}

/// CRC-32 (IEEE 802.3, reflected, as in zip and PNG).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c: u32 = 0xffff_ffff;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xedb8_8320 } else { c >> 1 };
        }
    }
    !c
}

/// Digits per group of 1..=7 bytes: the fewest decimal digits that hold 256ⁿ values.
const DIGITS_FOR_BYTES: [usize; 8] = [0, 3, 5, 8, 10, 13, 15, 17];

fn bytes_to_digits(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(7) {
        let v = chunk.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        let width = DIGITS_FOR_BYTES[chunk.len()];
        out.push_str(&format!("{v:0width$}"));
    }
}

fn digits_to_bytes(d: &[u8]) -> R<Vec<u8>> {
    let mut out = Vec::with_capacity(d.len() / 2);
    for chunk in d.chunks(17) {
        let n = DIGITS_FOR_BYTES.iter().position(|&x| x == chunk.len()).ok_or(HandoffError::Truncated)?;
        let v = chunk.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
        if v >> (8 * n) != 0 {
            // Too big for its bytes: a changed digit, or (in a short last group) a cut-off text.
            return Err(if n == 7 { HandoffError::Checksum } else { HandoffError::Truncated });
        }
        for i in (0..n).rev() {
            out.push((v >> (8 * i)) as u8);
        }
    }
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A handoff text and what was left out to make it fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    /// Digits only, to put after `#a=` in a link (`https://…/#a=0112…`).
    pub text: String,
    /// What was left out, least essential first (empty when everything fits).
    pub dropped: Vec<Text>,
    /// False when even without those parts the text is longer than the limit.
    pub fits: bool,
}

/// Why a handoff text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoffError {
    /// Nothing after `#a=`.
    Empty,
    /// A format version this app does not know (e.g. made by a newer app).
    Version(String),
    /// A character that is not a digit.
    Character { position: usize },
    /// Longer than any handoff.
    TooLong,
    /// Part of the code is missing (cut off when copying or scanning).
    Truncated,
    /// The checksum does not match: the text was changed or misread.
    Checksum,
    /// More data than the header says.
    TrailingData,
    /// The checksum matches but the content does not decode (a bug in the sender).
    Malformed,
}

impl HandoffError {
    pub fn code(&self) -> &'static str {
        match self {
            HandoffError::Empty => "empty",
            HandoffError::Version(_) => "version",
            HandoffError::Character { .. } => "character",
            HandoffError::TooLong => "too_long",
            HandoffError::Truncated => "truncated",
            HandoffError::Checksum => "checksum",
            HandoffError::TrailingData => "trailing_data",
            HandoffError::Malformed => "malformed",
        }
    }
    pub fn message(&self) -> Text {
        match self {
            HandoffError::Empty => Text::new("链接里没有申请数据。", "The link carries no application."),
            HandoffError::Version(v) => Text::new(
                format!("这个二维码是新版本（{v}）生成的，请把本页面更新到最新版再扫。"),
                format!("This code was made by a newer version ({v}); please update this page and scan again."),
            ),
            HandoffError::Character { position } => Text::new(
                format!("链接第 {} 个字符不对，数据可能被改动了。", position + 1),
                format!("Character {} of the code is not valid; the data may have been changed.", position + 1),
            ),
            HandoffError::TooLong => Text::new("链接太长，不是本工具生成的申请。", "The link is too long to be one of ours."),
            HandoffError::Truncated => Text::new(
                "链接不完整，可能复制时少了一段。请重新扫码或完整复制。",
                "The link is incomplete; part may have been lost when copying. Scan again or copy all of it.",
            ),
            HandoffError::Checksum => Text::new(
                "数据校验没通过，可能扫错或被改动了。请重新扫码。",
                "The checksum does not match; the code was misread or changed. Please scan again.",
            ),
            HandoffError::TrailingData => {
                Text::new("链接后面多了内容，请重新扫码。", "The link has extra data at the end; please scan again.")
            }
            HandoffError::Malformed => {
                Text::new("数据读不出来，请让对方重新生成二维码。", "The data cannot be read; please ask for a new code.")
            }
        }
    }
}

impl std::fmt::Display for HandoffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for HandoffError {}

fn handoff_text(app: &Application, drop: u64) -> String {
    frame_handoff_payload(&handoff_payload(app, drop))
}

/// The bit-packed content of a handoff, before its frame (length, checksum) and digits. Public only
/// for the fuzzer, which mutates payloads and frames them again so they reach the content decoder.
#[doc(hidden)]
pub fn handoff_payload(app: &Application, drop: u64) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.bits(drop, 4);
    let r = reference_to_value(&app.reference).unwrap_or(0);
    w.big(r, 39);
    let difficulty = app.difficulty_edited().then_some(&app.difficulty);
    let content = Content { h: &app.household, filled_by: &app.filled_by, difficulty, date: app.date, profile: &app.profile };
    write_content(&mut w, &content, drop);
    w.finish()
}

/// A handoff text around any payload: version, length, payload and its checksum, as digits.
#[doc(hidden)]
pub fn frame_handoff_payload(payload: &[u8]) -> String {
    let mut frame = Vec::with_capacity(payload.len() + 8);
    put_varint(&mut frame, payload.len());
    frame.extend_from_slice(payload);
    let mut crc_input = HANDOFF_VERSION.as_bytes().to_vec();
    crc_input.extend_from_slice(payload);
    frame.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    let mut text = String::from(HANDOFF_VERSION);
    bytes_to_digits(&frame, &mut text);
    text
}

/// Encodes the application for a QR code within [`HANDOFF_MAX_CHARS`] digits.
pub fn encode_handoff(app: &Application) -> Handoff {
    encode_handoff_within(app, HANDOFF_MAX_CHARS)
}

/// Encodes the application within `max_chars` digits, leaving out the least essential parts
/// (the English, then the edited difficulty text, then the expense notes, then the item names)
/// until it fits, and saying what was left out.
pub fn encode_handoff_within(app: &Application, max_chars: usize) -> Handoff {
    let mut drop = 0u64;
    let mut text = handoff_text(app, drop);
    for flag in DROP_ORDER {
        if text.len() <= max_chars {
            break;
        }
        if !would_drop_something(app, flag) {
            continue;
        }
        drop |= flag;
        text = handoff_text(app, drop);
    }
    let fits = text.len() <= max_chars;
    Handoff { text, dropped: dropped_texts(drop), fits }
}

fn would_drop_something(app: &Application, flag: u64) -> bool {
    let h = &app.household;
    match flag {
        DROP_DIFFICULTY_EN => app.difficulty_edited() && !app.difficulty.en.is_empty(),
        DROP_DIFFICULTY_ZH => app.difficulty_edited() && !app.difficulty.zh.is_empty(),
        DROP_DESCRIPTIONS => {
            h.rigid_expenses.iter().any(|e| !e.description.is_empty()) || h.income_drop.as_ref().is_some_and(|d| !d.description.is_empty())
        }
        _ => h.income.iter().any(|i| !i.label.is_empty()) || h.business_costs.iter().any(|c| !c.label.is_empty()),
    }
}

/// Decodes a handoff: the digits after `#a=`, or the whole link, or `a=…`.
pub fn decode_handoff(input: &str) -> Result<HandoffData, HandoffError> {
    if input.len() > HANDOFF_LINK_LIMIT {
        return Err(HandoffError::TooLong);
    }
    let s = input.trim();
    let s = s.rsplit_once("#a=").map_or(s, |(_, t)| t);
    let s = s.strip_prefix("a=").unwrap_or(s);
    if s.is_empty() {
        return Err(HandoffError::Empty);
    }
    if s.len() > HANDOFF_DECODE_LIMIT {
        return Err(HandoffError::TooLong);
    }
    let head: String = s.chars().take(2).collect();
    if head != HANDOFF_VERSION {
        let hb = head.as_bytes();
        // “02…”, “v2…”: a version tag this app does not know (a newer app made it).
        if hb.len() == 2 && hb[1].is_ascii_digit() && hb[0].is_ascii_alphanumeric() {
            return Err(HandoffError::Version(head));
        }
        if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
            return Err(HandoffError::Character { position });
        }
        return Err(HandoffError::Truncated);
    }
    if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
        return Err(HandoffError::Character { position });
    }
    let b = s.as_bytes();
    let frame = digits_to_bytes(&b[2..])?;
    // Length prefix.
    let mut len: usize = 0;
    let mut i = 0;
    loop {
        let byte = *frame.get(i).ok_or(HandoffError::Truncated)?;
        if i >= 3 {
            // No handoff is that long: the header was changed or misread.
            return Err(HandoffError::Checksum);
        }
        len |= usize::from(byte & 0x7f) << (7 * i);
        i += 1;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let need = i + len + 4;
    if frame.len() < need {
        return Err(HandoffError::Truncated);
    }
    if frame.len() > need {
        return Err(HandoffError::TrailingData);
    }
    let payload = &frame[i..i + len];
    let mut crc_input = HANDOFF_VERSION.as_bytes().to_vec();
    crc_input.extend_from_slice(payload);
    let crc = u32::from_be_bytes([frame[need - 4], frame[need - 3], frame[need - 2], frame[need - 1]]);
    if crc != crc32(&crc_input) {
        return Err(HandoffError::Checksum);
    }
    let mut r = BitReader { bytes: payload, pos: 0 };
    let drop = r.bits(4)?;
    let rv = r.bits(39)?;
    if rv >= REF_SPACE {
        return Err(HandoffError::Malformed);
    }
    let mut data = read_content(&mut r, drop)?;
    if r.remaining() >= 8 {
        return Err(HandoffError::Malformed);
    }
    data.reference = reference_from_value(rv);
    Ok(data)
}

impl HandoffData {
    /// Rebuilds the application on the receiving phone: re-runs the assessment with `profile` on
    /// the application date, then restores the person's difficulty text when it was carried.
    pub fn to_application(&self, profile: &Profile) -> Result<Application, Vec<FieldError>> {
        let a = assess(&self.household, profile, self.date);
        let mut app = Application::build(&self.household, &a, profile, self.filled_by.clone(), self.date)?;
        if let Some(d) = &self.difficulty {
            let mut t = d.clone();
            if t.zh.is_empty() {
                t.zh = app.difficulty_draft.zh.clone();
            }
            if t.en.is_empty() {
                t.en = app.difficulty_draft.en.clone();
            }
            app.set_difficulty(t).map_err(|e| vec![e])?;
        }
        Ok(app)
    }
}

/// The link for a QR code: `base` (the page's address, without a fragment) + `#a=` + the text.
pub fn handoff_link(base: &str, handoff: &Handoff) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#a={}", handoff.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_char_catches_every_single_substitution_and_adjacent_swap() {
        let code = "K7M4QX9T";
        let full = format!("{code}{}", reference_check_char(code).unwrap());
        assert!(validate_reference(&full).is_ok());
        let alphabet: Vec<char> = REFERENCE_ALPHABET.iter().map(|&c| c as char).collect();
        for i in 0..9 {
            for &c in &alphabet {
                let mut v: Vec<char> = full.chars().collect();
                if v[i] == c {
                    continue;
                }
                v[i] = c;
                let s: String = v.into_iter().collect();
                assert_eq!(validate_reference(&s), Err(ReferenceError::Check), "{s}");
            }
        }
    }

    #[test]
    fn dates_round_trip_through_days() {
        for s in ["1900-01-01", "1970-01-01", "2000-02-29", "2023-12-31", "2200-12-31"] {
            let d = Date::parse(s).unwrap();
            let mut w = BitWriter::default();
            put_date(&mut w, d);
            let b = w.finish();
            let mut r = BitReader { bytes: &b, pos: 0 };
            assert_eq!(get_date(&mut r).unwrap(), d);
        }
    }

    #[test]
    fn digits_round_trip() {
        for n in 0..40usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 255) as u8).collect();
            let mut s = String::new();
            bytes_to_digits(&bytes, &mut s);
            assert_eq!(digits_to_bytes(s.as_bytes()).unwrap(), bytes);
        }
    }
}
