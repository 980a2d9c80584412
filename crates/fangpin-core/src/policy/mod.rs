//! Policy profiles: one region and year, all policy values as data with their sources.
//!
//! Profiles live in `policy-data/*.toml` (schema: `docs/policy-data.md`). A site gets them as one
//! published file ([`PolicySet`], written by `fangpin publish-policy`); native programs built with the
//! `embedded` feature also carry them (converted to JSON by `build.rs`). Either way they are strictly
//! parsed here: unknown fields are errors, and [`Profile::validate`] checks sources, dates and values.
//! Nothing policy-specific is written in Rust.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::household::{LabourCapacity, Schooling};
use crate::money::Money;
use crate::text::Text;
use crate::vocabulary::{Benefit, Category, ClauseKey, RiskCode, with_clause_keys};

/// The format tag of version 1 of a profile.
pub const PROFILE_FORMAT: &str = "fangpin.profile/1";

/// The most spending triggers and measures a profile may have (the assessment keeps them in 64-bit sets).
pub const MAX_TRIGGERS: usize = 64;
pub const MAX_MEASURES: usize = 64;

/// The Yong'an 2023 profile (`policy-data/yongan-2023.toml`): what the tests and examples are written
/// against. Which profile a person is assessed with depends on the date ([`PolicySet::resolve`]).
pub const DEFAULT_PROFILE_ID: &str = "yongan-2023";

#[cfg(feature = "embedded")]
mod embedded;
mod set;
pub mod shape;
mod validate;

#[cfg(feature = "embedded")]
pub use embedded::{default_profile, embedded_profile_sources, embedded_profiles};
pub use set::{DEFAULT_COUNTY, POLICY_FORMAT, PolicySet, for_county_on, install, installed, pick_period, profile};
use validate::Validator;
pub use validate::validate_profile_set;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub format: String,
    pub id: String,
    pub year: u16,
    pub name: Text,
    pub effective_from: Date,
    pub effective_to: Date,
    pub region: Region,
    pub sources: Vec<Source>,
    pub monitoring_range: MonitoringRange,
    /// The county's rural 低保 line, where known.
    #[serde(default)]
    pub dibao_line: Option<DibaoLine>,
    #[serde(default)]
    pub spending_triggers: Vec<SpendingTrigger>,
    #[serde(default)]
    pub income_exclusions: Vec<IncomeExclusion>,
    pub category_rules: CategoryRules,
    pub guarantees: Guarantees,
    /// The policy clause behind each rule (every key of [`ClauseKey`], no other).
    pub clauses: Clauses,
    pub hotlines: Vec<Hotline>,
    pub channels: Vec<Channel>,
    pub measures: Vec<Measure>,
    pub application_sheet: ApplicationSheet,
    pub assistance_sheet: AssistanceSheet,
    /// 承诺 (pledge) signed with the application.
    pub pledge: SignedText,
    /// 家庭经济状况核对授权书.
    pub authorisation: SignedText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub province: Place,
    pub city: Place,
    pub county: Place,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Administrative division code (6 digits).
    pub code: String,
    pub name: Text,
}

macro_rules! clauses_struct {
    ($($(#[$doc:meta])* $variant:ident => $field:ident,)*) => {
        /// The clause behind each rule. Every key is required and no other is allowed, so a profile
        /// that misses one does not parse.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Clauses {
            $($(#[$doc])* pub $field: Provenance,)*
        }

        impl Clauses {
            pub fn get(&self, k: ClauseKey) -> &Provenance {
                match k {
                    $(ClauseKey::$variant => &self.$field,)*
                }
            }
        }
    };
}
with_clause_keys!(clauses_struct);

/// A published document a value rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// Title as published (Chinese).
    pub title: String,
    #[serde(default)]
    pub issuer: Option<String>,
    /// 文号, e.g. 闽振兴函〔2023〕8号.
    #[serde(default)]
    pub document_number: Option<String>,
    /// When it was issued (may be unknown for a source known only second-hand).
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub url: Option<String>,
    /// Where the project holds a copy, when there is no public URL.
    #[serde(default)]
    pub held_copy: Option<String>,
    /// The `url` is a copy on another site, not the issuer's own page.
    #[serde(default)]
    pub mirror: bool,
    /// Not in our files: known only as named or quoted by this other source (its id).
    #[serde(default)]
    pub known_from: Option<String>,
    /// Shown with the source wherever it is cited (what it is, what we have of it).
    #[serde(default)]
    pub note: Option<Text>,
}

/// Where a value comes from: a source (and the clause), or `provisional = true` with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Id of an entry in `sources`.
    #[serde(default)]
    pub source: Option<String>,
    /// The clause, quoted or summarised.
    #[serde(default)]
    pub clause: Option<Text>,
    #[serde(default)]
    pub provisional: bool,
    /// Required when provisional: why, and what it borrows.
    #[serde(default)]
    pub reason: Option<Text>,
    /// Defaults to the profile's period.
    #[serde(default)]
    pub effective_from: Option<Date>,
    #[serde(default)]
    pub effective_to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringRange {
    /// Annual per-capita net household income, yuan.
    pub amount: Money,
    /// How the figure is set (e.g. 2 × the county rural 低保 line).
    pub basis: Text,
    /// Shown next to the figure; required when provisional (e.g. 以永安市乡村振兴局公布的监测范围为准).
    #[serde(default)]
    pub screen_note: Option<Text>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// Out of pocket for one hospital stay above an amount.
    MedicalInpatientStay,
    /// Outpatient out of pocket above an amount per month (annual total ÷ 12 compared exactly).
    MedicalOutpatientMonthly,
    /// Yearly medical out of pocket above a ratio of a reference income.
    MedicalAnnualRatio,
    /// Schooling out of pocket outside compulsory education above an amount (per year).
    SchoolingNonCompulsory,
}

/// A quantitative spending trigger. `*_formerly_poor_or_monitored` applies to 脱贫户 and 监测对象,
/// `*_others` to everyone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendingTrigger {
    pub id: String,
    pub kind: TriggerKind,
    pub name: Text,
    #[serde(default)]
    pub amount_formerly_poor_or_monitored: Option<Money>,
    #[serde(default)]
    pub amount_others: Option<Money>,
    #[serde(default, deserialize_with = "ratio::optional")]
    pub ratio_formerly_poor_or_monitored: Option<Decimal>,
    #[serde(default, deserialize_with = "ratio::optional")]
    pub ratio_others: Option<Decimal>,
    /// The income the ratio applies to (e.g. last year's provincial rural per-capita income).
    #[serde(default)]
    pub reference_amount: Option<Money>,
    #[serde(default)]
    pub reference_name: Option<Text>,
    pub provenance: Provenance,
}

/// A kind of payment not counted as income (matched by `IncomeItem::item`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeExclusion {
    pub code: String,
    pub name: Text,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedRatio {
    #[serde(deserialize_with = "ratio::exact")]
    pub value: Decimal,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedCount {
    pub value: u32,
    pub provenance: Provenance,
}

/// Parameters of the category and elimination rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRules {
    /// An income drop of at least this share of last year's net income is a risk (0 < r ≤ 1).
    pub income_drop_ratio: SourcedRatio,
    /// Months of stable income needed before 风险消除.
    pub elimination_min_stable_months: SourcedCount,
    /// Earlier applications or flags not included, from this many on, make a key group.
    pub previous_not_included_min: SourcedCount,
    /// 突发严重困难户 by income (收入大幅缩减): net income fell by at least this share of last
    /// year's, whatever the income now (0 < r ≤ 1).
    pub sudden_hardship_income_drop_ratio: SourcedRatio,
}

/// The county's rural 低保 standard (the line means-tested help is weighed against).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DibaoLine {
    /// Yuan per person per month.
    pub monthly: Money,
    pub provenance: Provenance,
}

impl DibaoLine {
    /// Yuan per person per year (monthly × 12, exact).
    pub fn annual(&self) -> Money {
        self.monthly.times(12)
    }
}

/// An income line a measure can be weighed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeLine {
    /// The monitoring range.
    MonitoringRange,
    /// The profile's rural 低保 line ([`Profile::dibao_line`]).
    DibaoLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guarantees {
    pub water: WaterStandard,
    pub compulsory_school_age: AgeRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterStandard {
    pub min_litres_per_person_day: u32,
    pub min_litres_per_person_day_water_rich: u32,
    pub max_fetch_round_trip_minutes: u32,
    pub min_supply_percent: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    pub from: u32,
    pub to: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HotlineScope {
    National,
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    pub number: String,
    pub name: Text,
    pub scope: HotlineScope,
    #[serde(default)]
    pub hours: Option<Text>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// 一键报贫 (app function, H5 form or HTTP endpoint).
    OneClick,
    /// Call a hotline.
    Hotline,
    /// Hand the filled form to a worker by QR code.
    QrHandoff,
    /// Print the form and take it to the village.
    Print,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: ChannelKind,
    pub offered: bool,
    pub name: Text,
    /// How to use it, in plain words.
    pub how: Text,
    #[serde(default)]
    pub url: Option<String>,
    /// An HTTP endpoint that accepts the application (one-click).
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// 开发式帮扶.
    Development,
    /// 兜底保障.
    SafetyNet,
}

/// Who a measure is for, as data. Every condition given must hold; lists mean “any of”.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Eligibility {
    /// Some counted member has one of these labour capacities.
    pub labour_any_of: Vec<LabourCapacity>,
    /// The household's likely category is one of these.
    pub categories_any_of: Vec<Category>,
    /// The household has one of these risks.
    pub risks_any_of: Vec<RiskCode>,
    /// Some member is in one of these kinds of school.
    pub schooling_any_of: Vec<Schooling>,
    pub whole_household_no_labour: Option<bool>,
    pub formerly_poor: Option<bool>,
    /// Per-capita net income strictly below this line (means-tested help).
    pub per_capita_below: Option<IncomeLine>,
    /// The benefit this measure is: a household already receiving it is told so ("您家已享受"),
    /// not offered it as new help.
    pub benefit: Option<Benefit>,
    /// Not for a household already receiving one of these (the benefits exclude each other).
    pub not_receiving: Vec<Benefit>,
    /// Only for households already monitored or likely to be (default true).
    pub requires_monitoring_or_category: bool,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility {
            labour_any_of: Vec::new(),
            categories_any_of: Vec::new(),
            risks_any_of: Vec::new(),
            schooling_any_of: Vec::new(),
            whole_household_no_labour: None,
            formerly_poor: None,
            per_capita_below: None,
            benefit: None,
            not_receiving: Vec::new(),
            requires_monitoring_or_category: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    pub kind: MeasureKind,
    pub title: Text,
    pub summary: Text,
    pub office: Text,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub eligibility: Eligibility,
    pub provenance: Provenance,
}

/// 申报政策明白纸.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSheet {
    pub title: Text,
    pub who_can_apply: Text,
    pub how_to_apply: Text,
    pub what_happens_next: Text,
    pub provenance: Provenance,
}

/// 帮扶政策明白纸 (its rows are the profile's measures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssistanceSheet {
    pub title: Text,
    pub intro: Text,
    pub provenance: Provenance,
}

/// A text signed with the application (pledge, authorisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedText {
    pub title: Text,
    pub body: Text,
    pub provenance: Provenance,
}

/// Whether the profile applies on the assessment date, and what to tell the person when it does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyPeriod {
    pub in_force: bool,
    pub year: u16,
    pub effective_from: Date,
    pub effective_to: Date,
    /// In plain words, when not in force: which year's figures these are and that today's may differ.
    pub note: Option<Text>,
    /// Whom to ask (the county's hotline, else the national one).
    pub hotline: Option<String>,
}

/// A problem in policy data: where (`path`, e.g. `measures[2].provenance`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    pub path: String,
    pub message: Text,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { write!(f, "{}", self.message.en) } else { write!(f, "{}: {}", self.path, self.message.en) }
    }
}
impl std::error::Error for PolicyError {}

fn perr(path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> PolicyError {
    PolicyError { path: path.into(), message: Text::new(zh, en) }
}

/// Short description of a profile for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileSummary {
    pub id: String,
    /// What a picker chooses: the county (the date then chooses the year).
    pub county_code: String,
    pub name: Text,
    pub year: u16,
    pub province: Text,
    pub city: Text,
    pub county: Text,
    pub monitoring_range: Money,
    pub monitoring_range_provisional: bool,
    pub is_default: bool,
}

/// Parses a profile from JSON (strict) without validating it.
pub fn parse_profile_json(json: &str) -> Result<Profile, PolicyError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| perr("", format!("JSON 格式有误：{e}"), format!("not valid JSON: {e}")))?;
    shape::profile_from_value(value, None)
}

#[cfg(feature = "toml")]
#[path = "../toml_json.rs"]
mod toml_json;

/// Parses a profile from TOML (strict) without validating it. Same path as the embedded profiles:
/// TOML → generic JSON → strict parser.
#[cfg(feature = "toml")]
pub fn parse_profile_toml(text: &str) -> Result<Profile, PolicyError> {
    let json = profile_json_from_toml(text)?;
    shape::profile_from_value(json, Some(text))
}

/// A profile file's TOML as the generic JSON that is published (not yet checked against the schema).
#[cfg(feature = "toml")]
pub fn profile_json_from_toml(text: &str) -> Result<serde_json::Value, PolicyError> {
    let v: toml::Value = toml::from_str(text).map_err(|e| perr("", format!("TOML 格式有误：{e}"), format!("not valid TOML: {e}")))?;
    Ok(toml_json::toml_to_json(v))
}

impl Profile {
    /// Its short description; `is_default`: of the county the site opens with.
    pub fn summary(&self, is_default: bool) -> ProfileSummary {
        ProfileSummary {
            id: self.id.clone(),
            county_code: self.region.county.code.clone(),
            name: self.name.clone(),
            year: self.year,
            province: self.region.province.name.clone(),
            city: self.region.city.name.clone(),
            county: self.region.county.name.clone(),
            monitoring_range: self.monitoring_range.amount,
            monitoring_range_provisional: self.monitoring_range.provenance.provisional,
            is_default,
        }
    }

    /// Whether this profile applies on `as_of`, and what to tell the person when it does not.
    pub fn period(&self, as_of: Date) -> PolicyPeriod {
        let in_force = self.effective_from <= as_of && as_of <= self.effective_to;
        let hotline = self
            .hotlines
            .iter()
            .find(|h| h.scope == HotlineScope::Local)
            .or_else(|| self.hotlines.iter().find(|h| h.scope == HotlineScope::National))
            .map(|h| h.number.clone());
        let county = &self.region.county.name;
        let (y, from, to) = (self.year, self.effective_from, self.effective_to);
        let note = (!in_force).then(|| {
            if as_of < from {
                Text::new(
                    format!("这里用的是{}{y}年的政策数字，从 {from} 起才执行。现在的标准请以当地公布的为准。", county.zh),
                    format!("These are {}'s {y} figures, in force only from {from}. For today's, the county's published figures prevail.", county.en),
                )
            } else {
                Text::new(
                    format!(
                        "这里用的是{}{y}年的政策数字（{from} 到 {to}），不是今年的。监测范围等标准每年都会调整，现在的可能不一样，请以当地公布的为准。",
                        county.zh
                    ),
                    format!(
                        "These are {}'s {y} figures ({from} to {to}), not this year's. The monitoring range and other figures change every year and may differ now; the county's published figures prevail.",
                        county.en
                    ),
                )
            }
        });
        PolicyPeriod { in_force, year: self.year, effective_from: self.effective_from, effective_to: self.effective_to, note, hotline }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// Channels offered, in a stable order.
    pub fn offered_channels(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter().filter(|c| c.offered)
    }

    /// Every problem in the profile; empty means valid.
    pub fn validate(&self) -> Vec<PolicyError> {
        let mut v = Validator { p: self, errs: Vec::new() };
        v.run();
        v.errs
    }
}

/// Ratios as written: profile files (TOML, JSON) may write a number or its text; the published
/// binary file (postcard, which cannot say what comes next) holds the text rust_decimal writes.
mod ratio {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer};

    pub fn exact<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        if d.is_human_readable() {
            return <Decimal as Deserialize>::deserialize(d);
        }
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Decimal::from_str_exact(&text).map_err(serde::de::Error::custom)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Exact(#[serde(deserialize_with = "exact")] Decimal);
        Ok(Option::<Exact>::deserialize(d)?.map(|e| e.0))
    }
}
