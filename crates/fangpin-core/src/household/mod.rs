//! The household a person describes in the self-check (versioned JSON, see `docs/household-format.md`).
//!
//! All fields have defaults, so `Household::default()` is an empty form the UI can fill and a
//! partial JSON file is accepted; unknown fields are errors.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::money::Money;
use crate::text::Text;

mod id;
mod validate;

use id::id_birth_date;
pub use id::*;

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

impl Household {
    /// An empty household, ready for the UI to fill.
    pub fn new() -> Self {
        Self::default()
    }

    /// Members counted for per-capita income.
    pub fn counted_members(&self) -> impl Iterator<Item = (usize, &Member)> {
        self.members.iter().enumerate().filter(|(_, m)| m.counted)
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
    /// Applied for 低保 on this date, not decided yet (the seed's "新申请").
    pub dibao_applied: Option<Date>,
    /// Applied for 特困供养 on this date, not decided yet.
    pub tekun_applied: Option<Date>,
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
            dibao_applied: None,
            tekun_applied: None,
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
    /// 与户主关系 in words (the form's choices, the application's table).
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Relation::Head => ("户主", "Head of household"),
            Relation::Spouse => ("配偶", "Spouse"),
            Relation::Child => ("子女", "Child"),
            Relation::ChildInLaw => ("儿媳、女婿", "Child-in-law"),
            Relation::Parent => ("父母", "Parent"),
            Relation::Grandchild => ("孙子女、外孙子女", "Grandchild"),
            Relation::Grandparent => ("祖父母、外祖父母", "Grandparent"),
            Relation::Sibling => ("兄弟姐妹", "Sibling"),
            Relation::Other => ("其他", "Other"),
        };
        Text::lit(zh, en)
    }

    /// The order the form offers them in (the closest first).
    pub const FORM_ORDER: [Relation; 9] = [
        Relation::Head,
        Relation::Spouse,
        Relation::Child,
        Relation::ChildInLaw,
        Relation::Parent,
        Relation::Grandchild,
        Relation::Grandparent,
        Relation::Sibling,
        Relation::Other,
    ];

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

#[cfg(test)]
mod tests {
    use super::*;

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
