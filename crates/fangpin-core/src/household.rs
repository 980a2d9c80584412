//! The household a person describes in the self-check (versioned JSON, see `docs/household-format.md`).
//!
//! All fields have defaults, so `Household::default()` is an empty form the UI can fill and a
//! partial JSON file is accepted; unknown fields are errors.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::input::{TextKind, check_text};
use crate::money::{MAX_FIELD_YUAN, Money};
use crate::text::Text;

/// Limits no real household reaches. Anything beyond is a slip of the finger or an attack, and is
/// refused at the field (the app says so where it happens; the receiver stores nothing that big).
pub mod limits {
    /// Members of one household (the largest rural households have about 15).
    pub const MEMBERS: usize = 30;
    /// Income items, business-cost items, unavoidable-spending items (each list).
    pub const ITEMS: usize = 50;
    /// Earlier applications or flags.
    pub const PREVIOUS_APPLICATIONS: usize = 20;
    /// Characters of a person's name (names of some minorities are long; 50 is far above them).
    pub const NAME_CHARS: usize = 50;
    /// Characters of a village, a label or a kind-of-payment code.
    pub const SHORT_CHARS: usize = 100;
    /// Characters of an address.
    pub const ADDRESS_CHARS: usize = 200;
    /// Characters of a free description (an expense, an income drop).
    pub const DESCRIPTION_CHARS: usize = 500;
    /// Characters of a phone or ID field as typed (spaces and dashes included).
    pub const NUMBER_CHARS: usize = 30;
}

/// The format tag of version 1 of the household file.
pub const HOUSEHOLD_FORMAT: &str = "fangpin.household/1";

fn default_format() -> String {
    HOUSEHOLD_FORMAT.to_string()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Household {
    /// Always `"fangpin.household/1"` for this version.
    pub format: String,
    /// 户主姓名.
    pub head_name: String,
    /// 手机号 (optional; 11 digits starting 13–19).
    pub phone: Option<String>,
    /// 村 (village) and 住址.
    pub village: String,
    pub address: String,
    /// 家庭成员, counted by 户籍 and who lives and shares income together (`Member::counted`).
    pub members: Vec<Member>,
    /// 脱贫户 (registered as poor before 2021 and lifted out).
    pub formerly_poor: bool,
    /// Set when the household is already a 监测对象.
    pub monitoring: Option<Monitoring>,
    /// 多次申报或预警未纳入: earlier applications or data flags.
    pub previous_applications: Vec<PreviousApplication>,
    /// Income of the last 12 months, as labelled items of the four kinds.
    pub income: Vec<IncomeItem>,
    /// 生产经营性支出 (deducted from income).
    pub business_costs: Vec<CostItem>,
    /// 刚性支出: medical, schooling, disaster, accident, other.
    pub rigid_expenses: Vec<RigidExpense>,
    /// A fall in income compared with last year.
    pub income_drop: Option<IncomeDrop>,
    /// 住房安全等级.
    pub housing_grade: HousingGrade,
    /// 饮水安全.
    pub water: DrinkingWater,
    /// “谁采集、谁录入、谁负责”: who collected the data (self, or a worker's name).
    pub collected_by: Option<String>,
}

impl Default for Household {
    fn default() -> Self {
        Household {
            format: default_format(),
            head_name: String::new(),
            phone: None,
            village: String::new(),
            address: String::new(),
            members: Vec::new(),
            formerly_poor: false,
            monitoring: None,
            previous_applications: Vec::new(),
            income: Vec::new(),
            business_costs: Vec::new(),
            rigid_expenses: Vec::new(),
            income_drop: None,
            housing_grade: HousingGrade::Unknown,
            water: DrinkingWater::default(),
            collected_by: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Member {
    pub name: String,
    pub relation: Relation,
    /// Birth date; if absent, `age` is used.
    pub birth_date: Option<Date>,
    /// Age in years, when the birth date is unknown.
    pub age: Option<u32>,
    /// 身份证号 (optional; GB 11643 check digit and birth date are validated).
    pub id_number: Option<String>,
    pub labour: LabourCapacity,
    /// 重度残疾 (grade 1–2) and since when (for the “newly disabled this year” key group).
    pub severe_disability: bool,
    pub severe_disability_since: Option<Date>,
    /// 大病或慢性病.
    pub serious_illness: bool,
    pub schooling: Schooling,
    /// Set when a child is out of school, with the reason.
    pub out_of_school: Option<OutOfSchoolReason>,
    /// 参加城乡居民基本医疗保险 (None = not answered).
    pub medical_insurance: Option<bool>,
    /// 享受低保 since (None = not on 低保).
    pub dibao_since: Option<Date>,
    /// 特困供养 since.
    pub tekun_since: Option<Date>,
    /// Counted as a household member for per-capita income (lives together, shares income and spending).
    #[serde(default = "yes")]
    pub counted: bool,
}

impl Default for Member {
    fn default() -> Self {
        Member {
            name: String::new(),
            relation: Relation::Other,
            birth_date: None,
            age: None,
            id_number: None,
            labour: LabourCapacity::Full,
            severe_disability: false,
            severe_disability_since: None,
            serious_illness: false,
            schooling: Schooling::None,
            out_of_school: None,
            medical_insurance: None,
            dibao_since: None,
            tekun_since: None,
            counted: true,
        }
    }
}

impl Member {
    /// Age on `at`: from the birth date, else the ID number's birth date, else the stated age.
    pub fn age_at(&self, at: Date) -> Option<u32> {
        if let Some(b) = self.birth_date {
            return Some(b.age_at(at));
        }
        if let Some(b) = self.id_number.as_deref().and_then(|id| id_birth_date(id.trim())) {
            return Some(b.age_at(at));
        }
        self.age
    }
    /// Covered by 兜底保障 (低保 or 特困) on `at`.
    pub fn on_safety_net(&self, at: Date) -> bool {
        self.dibao_since.is_some_and(|d| d <= at) || self.tekun_since.is_some_and(|d| d <= at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Head,
    Spouse,
    Child,
    Parent,
    Grandchild,
    Grandparent,
    Sibling,
    ChildInLaw,
    #[default]
    Other,
}

impl Relation {
    /// Every relation, in a fixed order (the QR handoff encodes a relation as its index here).
    pub const ALL: [Relation; 9] = [
        Relation::Head,
        Relation::Spouse,
        Relation::Child,
        Relation::Parent,
        Relation::Grandchild,
        Relation::Grandparent,
        Relation::Sibling,
        Relation::ChildInLaw,
        Relation::Other,
    ];
}

/// 劳动能力: 有 / 弱 / 半 / 无.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LabourCapacity {
    #[default]
    Full,
    Weak,
    Half,
    None,
}

impl LabourCapacity {
    pub fn can_work(&self) -> bool {
        !matches!(self, LabourCapacity::None)
    }
    pub fn label(&self) -> Text {
        match self {
            LabourCapacity::Full => Text::lit("有劳动能力", "able to work"),
            LabourCapacity::Weak => Text::lit("弱劳动能力", "weak labour capacity"),
            LabourCapacity::Half => Text::lit("半劳动能力", "half labour capacity"),
            LabourCapacity::None => Text::lit("无劳动能力", "unable to work"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Schooling {
    /// Not in school (too young, adult, or out of school).
    #[default]
    None,
    /// 义务教育 (primary and junior middle school).
    Compulsory,
    /// 高中 / 中职.
    HighSchool,
    /// 大学 / 高职.
    College,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutOfSchoolReason {
    /// 因身体原因 (health): not a dropout under the 三保障 rule.
    Health,
    Cost,
    Work,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// When the household was identified as a 监测对象.
    pub since: Date,
    /// Since when income has been stable (for 风险消除).
    #[serde(default)]
    pub income_stable_since: Option<Date>,
    /// The risk went away by itself (自然消除), e.g. the ill member recovered.
    #[serde(default)]
    pub risk_gone_naturally: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousApplication {
    #[serde(default)]
    pub date: Option<Date>,
    pub source: PreviousSource,
    pub outcome: PreviousOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviousSource {
    /// The household applied (申报).
    Applied,
    /// A department or cadre flagged it (预警).
    Flagged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviousOutcome {
    NotIncluded,
    Included,
    Pending,
}

/// The four kinds of income.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    /// 工资性收入.
    Wage,
    /// 生产经营性收入 (farming, business).
    Business,
    /// 财产性收入.
    Property,
    /// 转移性收入 (pensions, 低保金, 特困供养金 ...).
    Transfer,
}

impl IncomeKind {
    pub const ALL: [IncomeKind; 4] = [IncomeKind::Wage, IncomeKind::Business, IncomeKind::Property, IncomeKind::Transfer];
    pub fn label(&self) -> Text {
        match self {
            IncomeKind::Wage => Text::lit("工资性收入", "wage income"),
            IncomeKind::Business => Text::lit("生产经营性收入", "business and farming income"),
            IncomeKind::Property => Text::lit("财产性收入", "property income"),
            IncomeKind::Transfer => Text::lit("转移性收入", "transfer income"),
        }
    }
    pub fn code(&self) -> &'static str {
        match self {
            IncomeKind::Wage => "wage",
            IncomeKind::Business => "business",
            IncomeKind::Property => "property",
            IncomeKind::Transfer => "transfer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeItem {
    pub kind: IncomeKind,
    pub amount: Money,
    /// Free label, e.g. “打零工”.
    #[serde(default)]
    pub label: String,
    /// Code of a kind of payment the profile may exclude (e.g. `"fuxu"` 抚恤金); see the profile's `income_exclusions`.
    #[serde(default)]
    pub item: Option<String>,
    /// Index of the member who earns it (optional).
    #[serde(default)]
    pub member: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostItem {
    pub amount: Money,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RigidExpenseKind {
    /// 住院 out-of-pocket for one hospital stay (合规自付).
    MedicalInpatient,
    /// 门诊 out-of-pocket over the 12 months.
    MedicalOutpatient,
    /// Other medical out-of-pocket.
    MedicalOther,
    /// Schooling costs in compulsory education.
    SchoolingCompulsory,
    /// Schooling costs outside compulsory education (high school, college).
    SchoolingNonCompulsory,
    /// 灾害损失.
    Disaster,
    /// 意外事故.
    Accident,
    Other,
}

impl RigidExpenseKind {
    pub fn is_medical(&self) -> bool {
        matches!(self, Self::MedicalInpatient | Self::MedicalOutpatient | Self::MedicalOther)
    }
    pub fn is_schooling(&self) -> bool {
        matches!(self, Self::SchoolingCompulsory | Self::SchoolingNonCompulsory)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RigidExpense {
    pub kind: RigidExpenseKind,
    /// Out of pocket, after insurance and aid.
    pub amount: Money,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub member: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeDrop {
    /// Household net income last year (same items as now).
    pub last_year_net_income: Money,
    pub reason: IncomeDropReason,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeDropReason {
    LostJob,
    FailedFarming,
    FailedBusiness,
    Illness,
    Disaster,
    Accident,
    Other,
}

/// 住房安全等级: A/B safe, C/D 危房.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum HousingGrade {
    A,
    B,
    C,
    D,
    #[default]
    #[serde(rename = "unknown")]
    Unknown,
}

impl HousingGrade {
    pub fn is_unsafe(&self) -> bool {
        matches!(self, HousingGrade::C | HousingGrade::D)
    }
}

/// The four drinking-water indicators (None = not answered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DrinkingWater {
    /// Water quality is acceptable.
    pub quality_ok: Option<bool>,
    /// Litres per person per day.
    pub litres_per_person_day: Option<u32>,
    /// The village is in a water-rich area (a higher quantity is expected).
    pub water_rich_area: bool,
    /// Minutes for a round trip to fetch water (0 = piped to the home).
    pub fetch_round_trip_minutes: Option<u32>,
    /// Share of the time water is available, in percent.
    pub supply_percent: Option<u32>,
}

/// A problem with one field of the household, named by its path (e.g. `members[1].id_number`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: Text,
}

impl FieldError {
    fn new(field: impl Into<String>, code: &str, message: Text) -> Self {
        FieldError { field: field.into(), code: code.to_string(), message }
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(ID_WEIGHTS).map(|(c, w)| u32::from(c - b'0') * w).sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Why an ID number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Length,
    Characters,
    BirthDate,
    CheckDigit,
}

/// An ID number as people type it, in the form it is checked and stored in: full-width digits and
/// letters folded to ASCII (`１２…ｘ`), spaces removed, a final `x` as `X`.
pub fn normalise_id_number(id: &str) -> String {
    id.chars().map(crate::input::fold_width).filter(|c| !c.is_whitespace()).map(|c| if c == 'x' { 'X' } else { c }).collect()
}

/// Validates an 18-character ID number (normalised first, see [`normalise_id_number`]).
pub fn validate_id_number(id: &str) -> Result<Date, IdError> {
    let id = normalise_id_number(id);
    if id.chars().count() != 18 {
        return Err(IdError::Length);
    }
    // Only ASCII from here on, so the byte offsets below are character offsets.
    if !id.is_ascii() {
        return Err(IdError::Characters);
    }
    let (first, last) = id.split_at(17);
    if !first.bytes().all(|c| c.is_ascii_digit()) || !(last.bytes().all(|c| c.is_ascii_digit()) || last == "X") {
        return Err(IdError::Characters);
    }
    let birth = Date::parse_compact(&first[6..14]).map_err(|_| IdError::BirthDate)?;
    if id_check_char(first) != last.chars().next() {
        return Err(IdError::CheckDigit);
    }
    Ok(birth)
}

fn id_birth_date(id: &str) -> Option<Date> {
    validate_id_number(id).ok()
}

/// Mobile number: `1[3-9]` then 9 digits (spaces and dashes ignored, `+86` allowed, full-width forms folded).
pub fn is_valid_phone(p: &str) -> bool {
    // Without spaces and dashes, on the stack: a valid number has at most 14 bytes (`+86` and 11 digits),
    // all ASCII.
    let mut buf = [0u8; 14];
    let mut len = 0;
    for c in p.chars().map(crate::input::fold_width).filter(|c| !matches!(c, ' ' | '-')) {
        if !c.is_ascii() || len == buf.len() {
            return false;
        }
        buf[len] = c as u8;
        len += 1;
    }
    let digits = &buf[..len];
    let b = digits.strip_prefix(b"+86").unwrap_or(digits);
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

impl Household {
    /// An empty household, ready for the UI to fill.
    pub fn new() -> Self {
        Self::default()
    }

    /// Members counted for per-capita income.
    pub fn counted_members(&self) -> impl Iterator<Item = (usize, &Member)> {
        self.members.iter().enumerate().filter(|(_, m)| m.counted)
    }

    /// The sizes of lists and texts, and the characters no text may hold (see [`limits`] and
    /// [`crate::input::check_text`]). Only the first [`limits::MEMBERS`] members and
    /// [`limits::ITEMS`] items of a list are looked at, so a hostile file cannot make a long answer.
    /// Part of [`Household::validate`]; on its own for forms that check these as the person types.
    pub fn validate_sizes_and_texts(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut text = |field: &dyn Fn() -> String, s: &str, kind: TextKind, max: usize| {
            if let Err(p) = check_text(s, kind, max) {
                errs.push(FieldError::new(field(), p.code(), p.message()));
            }
        };
        use limits::*;
        text(&|| "head_name".into(), &self.head_name, TextKind::Line, NAME_CHARS);
        text(&|| "village".into(), &self.village, TextKind::Line, SHORT_CHARS);
        text(&|| "address".into(), &self.address, TextKind::Line, ADDRESS_CHARS);
        if let Some(p) = &self.phone {
            text(&|| "phone".into(), p, TextKind::Line, NUMBER_CHARS);
        }
        if let Some(c) = &self.collected_by {
            text(&|| "collected_by".into(), c, TextKind::Line, NAME_CHARS);
        }
        for (i, m) in self.members.iter().enumerate().take(MEMBERS) {
            text(&|| format!("members[{i}].name"), &m.name, TextKind::Line, NAME_CHARS);
            if let Some(id) = &m.id_number {
                text(&|| format!("members[{i}].id_number"), id, TextKind::Line, NUMBER_CHARS);
            }
        }
        for (i, it) in self.income.iter().enumerate().take(ITEMS) {
            text(&|| format!("income[{i}].label"), &it.label, TextKind::Line, SHORT_CHARS);
            if let Some(code) = &it.item {
                text(&|| format!("income[{i}].item"), code, TextKind::Line, SHORT_CHARS);
            }
        }
        for (i, it) in self.business_costs.iter().enumerate().take(ITEMS) {
            text(&|| format!("business_costs[{i}].label"), &it.label, TextKind::Line, SHORT_CHARS);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(ITEMS) {
            text(&|| format!("rigid_expenses[{i}].description"), &it.description, TextKind::Free, DESCRIPTION_CHARS);
        }
        if let Some(d) = &self.income_drop {
            text(&|| "income_drop.description".into(), &d.description, TextKind::Free, DESCRIPTION_CHARS);
        }
        let lists: [(&str, usize, usize, Text); 5] = [
            (
                "members",
                self.members.len(),
                MEMBERS,
                Text::lit(
                    "家庭成员最多填 30 位。请看看是不是重复添加了。",
                    "At most 30 household members; please check for members added twice.",
                ),
            ),
            ("income", self.income.len(), ITEMS, Text::lit("收入最多填 50 项。", "At most 50 income items.")),
            (
                "business_costs",
                self.business_costs.len(),
                ITEMS,
                Text::lit("生产经营支出最多填 50 项。", "At most 50 business-cost items."),
            ),
            (
                "rigid_expenses",
                self.rigid_expenses.len(),
                ITEMS,
                Text::lit("必要开支最多填 50 项。", "At most 50 unavoidable-spending items."),
            ),
            (
                "previous_applications",
                self.previous_applications.len(),
                PREVIOUS_APPLICATIONS,
                Text::lit("以前的申报或预警最多填 20 次。", "At most 20 earlier applications or flags."),
            ),
        ];
        for (field, len, max, message) in lists {
            if len > max {
                errs.push(FieldError::new(field, "too_many", message));
            }
        }
        errs
    }

    /// Hard input errors, each naming its field. The assessment still runs on invalid data, but the
    /// CLI and the application form refuse it.
    pub fn validate(&self, as_of: Date) -> Vec<FieldError> {
        let mut errs = self.validate_sizes_and_texts();
        if self.format != HOUSEHOLD_FORMAT {
            errs.push(FieldError::new(
                "format",
                "format",
                Text::new(
                    format!("文件格式不对，应为 {HOUSEHOLD_FORMAT}。"),
                    format!("Unknown household format; expected {HOUSEHOLD_FORMAT}."),
                ),
            ));
        }
        if let Some(p) = &self.phone
            && !p.trim().is_empty()
            && !is_valid_phone(p)
            && !errs.iter().any(|e| e.field == "phone")
        {
            errs.push(FieldError::new(
                "phone",
                "phone",
                Text::new("手机号应是 11 位数字，以 1 开头。请再看一下。", "A mobile number has 11 digits and starts with 13–19."),
            ));
        }
        if self.members.is_empty() {
            errs.push(FieldError::new(
                "members",
                "no_members",
                Text::new("请至少填写一位家庭成员。", "Please enter at least one household member."),
            ));
        }
        for (i, m) in self.members.iter().enumerate().take(limits::MEMBERS) {
            let path = |f: &str| format!("members[{i}].{f}");
            if let Some(b) = m.birth_date
                && b > as_of
            {
                errs.push(FieldError::new(
                    path("birth_date"),
                    "future_date",
                    Text::new("出生日期不能晚于今天。", "The birth date cannot be in the future."),
                ));
            }
            if let Some(a) = m.age
                && a > 130
            {
                errs.push(FieldError::new(path("age"), "age", Text::new("年龄不对，请再看一下。", "This age is not possible.")));
            }
            if let Some(id) = m
                .id_number
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty() && check_text(s, TextKind::Line, limits::NUMBER_CHARS).is_ok())
            {
                match validate_id_number(id) {
                    Err(IdError::Length) | Err(IdError::Characters) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_format",
                        Text::new("身份证号应是 18 位，最后一位可以是数字或 X。", "An ID number has 18 characters; the last may be X."),
                    )),
                    Err(IdError::BirthDate) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_birth_date",
                        Text::new("身份证号里的出生日期不对。", "The birth date inside the ID number is not a real date."),
                    )),
                    Err(IdError::CheckDigit) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_check_digit",
                        Text::new(
                            "身份证号最后一位对不上，可能有一位填错了。",
                            "The ID number's check digit does not match; a digit may be wrong.",
                        ),
                    )),
                    Ok(birth) => {
                        if let Some(b) = m.birth_date
                            && b != birth
                        {
                            errs.push(FieldError::new(
                                path("birth_date"),
                                "id_birth_mismatch",
                                Text::new(
                                    format!("出生日期和身份证号不一致（身份证上是 {birth}）。"),
                                    format!("The birth date does not match the ID number ({birth})."),
                                ),
                            ));
                        } else if m.birth_date.is_none()
                            && let Some(a) = m.age
                            && a != birth.age_at(as_of)
                        {
                            errs.push(FieldError::new(
                                path("age"),
                                "id_age_mismatch",
                                Text::new(
                                    format!("年龄和身份证号不一致（按身份证是 {} 岁）。", birth.age_at(as_of)),
                                    format!("The age does not match the ID number ({}).", birth.age_at(as_of)),
                                ),
                            ));
                        }
                        if birth > as_of {
                            errs.push(FieldError::new(
                                path("id_number"),
                                "future_date",
                                Text::new("身份证号里的出生日期晚于今天。", "The ID number's birth date is in the future."),
                            ));
                        }
                    }
                }
            }
            for (f, d) in
                [("dibao_since", m.dibao_since), ("tekun_since", m.tekun_since), ("severe_disability_since", m.severe_disability_since)]
            {
                if let Some(d) = d
                    && d > as_of
                {
                    errs.push(FieldError::new(path(f), "future_date", Text::new("这个日期晚于今天。", "This date is in the future.")));
                }
            }
        }
        let n = self.members.len();
        // Field paths are formatted only for a field that has a problem.
        let max = rust_decimal::Decimal::from(MAX_FIELD_YUAN);
        let mut check_amount = |field: &dyn Fn() -> String, m: Money| {
            if m.is_negative() {
                errs.push(FieldError::new(field(), "negative", crate::money::AmountError::Negative.message()));
            } else if m.as_decimal() > max {
                errs.push(FieldError::new(field(), "too_large", crate::money::AmountError::TooLarge.message()));
            }
        };
        for (i, it) in self.income.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("income[{i}].amount"), it.amount);
        }
        for (i, it) in self.business_costs.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("business_costs[{i}].amount"), it.amount);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("rigid_expenses[{i}].amount"), it.amount);
        }
        if let Some(d) = &self.income_drop {
            check_amount(&|| "income_drop.last_year_net_income".into(), d.last_year_net_income);
        }
        let member_ref = |field: &dyn Fn() -> String, idx: Option<usize>, errs: &mut Vec<FieldError>| {
            if let Some(k) = idx
                && k >= n
            {
                errs.push(FieldError::new(
                    field(),
                    "no_such_member",
                    Text::new(format!("没有第 {} 位家庭成员。", k + 1), format!("There is no member number {}.", k + 1)),
                ));
            }
        };
        for (i, it) in self.income.iter().enumerate().take(limits::ITEMS) {
            member_ref(&|| format!("income[{i}].member"), it.member, &mut errs);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(limits::ITEMS) {
            member_ref(&|| format!("rigid_expenses[{i}].member"), it.member, &mut errs);
        }
        if let Some(mon) = &self.monitoring {
            if mon.since > as_of {
                errs.push(FieldError::new(
                    "monitoring.since",
                    "future_date",
                    Text::new("这个日期晚于今天。", "This date is in the future."),
                ));
            }
            if let Some(s) = mon.income_stable_since
                && s > as_of
            {
                errs.push(FieldError::new(
                    "monitoring.income_stable_since",
                    "future_date",
                    Text::new("这个日期晚于今天。", "This date is in the future."),
                ));
            }
        }
        if let Some(p) = self.water.supply_percent
            && p > 100
        {
            errs.push(FieldError::new(
                "water.supply_percent",
                "percent",
                Text::new("供水保证率不能超过 100%。", "The supply share cannot exceed 100%."),
            ));
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_check_digit() {
        // GB 11643-1999 appendix example.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert!(validate_id_number("11010519491231002X").is_ok());
        assert!(validate_id_number("11010519491231002x").is_ok());
        assert_eq!(validate_id_number("110105194912310021"), Err(IdError::CheckDigit));
        assert_eq!(validate_id_number("110105194902300021"), Err(IdError::BirthDate));
        assert_eq!(validate_id_number("1101051949"), Err(IdError::Length));
        // What Chinese input methods type: full-width digits and ｘ, spaces.
        assert!(validate_id_number("１１０１０５１９４９１２３１００２ｘ").is_ok());
        assert!(validate_id_number(" 110105 19491231 002x ").is_ok());
        assert_eq!(validate_id_number("１１0105194912310021"), Err(IdError::CheckDigit));
        // Multi-byte characters where a digit should be: a plain error, never a panic.
        assert_eq!(validate_id_number("350481197803070张13"), Err(IdError::Characters));
        assert_eq!(validate_id_number("35048119780307001张"), Err(IdError::Characters));
        assert_eq!(validate_id_number("35048119780307001😀"), Err(IdError::Characters));
    }

    #[test]
    fn phone() {
        assert!(is_valid_phone("13812345678"));
        assert!(is_valid_phone("+86 138-1234-5678"));
        assert!(!is_valid_phone("12812345678"));
        assert!(!is_valid_phone("1381234567"));
        assert!(!is_valid_phone("0598-3851238"));
        assert!(is_valid_phone("１３８１２３４５６７８"));
        assert!(!is_valid_phone("138１２３４５６７８😀"));
    }

    #[test]
    fn default_round_trips() {
        let h = Household::default();
        let s = serde_json::to_string(&h).unwrap();
        assert!(s.contains("fangpin.household/1"));
        let back: Household = serde_json::from_str(&s).unwrap();
        assert_eq!(back, h);
        let partial: Household = serde_json::from_str(r#"{"members":[{"name":"张三"}]}"#).unwrap();
        assert_eq!(partial.members.len(), 1);
        assert!(serde_json::from_str::<Household>(r#"{"bogus":1}"#).is_err());
    }
}
