//! Policy profiles: one region and year, all policy values as data with their sources.
//!
//! Profiles live in `policy-data/*.toml` (schema: `docs/policy-data.md`). They are embedded at build
//! time (converted to JSON by `build.rs`) and strictly parsed here: unknown fields are errors, and
//! [`Profile::validate`] checks sources, dates and values. Nothing policy-specific is written in Rust.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::assessment::{CLAUSE_KEYS, Category, RISK_CODES};
use crate::date::Date;
use crate::household::{LabourCapacity, Schooling};
use crate::money::Money;
use crate::text::Text;

/// The format tag of version 1 of a profile.
pub const PROFILE_FORMAT: &str = "fangpin.profile/1";

/// The id of the default profile (the data itself is `policy-data/yongan-2023.toml`).
pub const DEFAULT_PROFILE_ID: &str = "yongan-2023";

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_profiles.rs"));
}

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
    #[serde(default)]
    pub spending_triggers: Vec<SpendingTrigger>,
    #[serde(default)]
    pub income_exclusions: Vec<IncomeExclusion>,
    pub category_rules: CategoryRules,
    pub guarantees: Guarantees,
    /// The policy clause behind each rule, keyed by risk code or rule key (see `CLAUSE_KEYS`).
    pub clauses: BTreeMap<String, Provenance>,
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
    pub date: Date,
    #[serde(default)]
    pub url: Option<String>,
    /// Where the project holds a copy, when there is no public URL.
    #[serde(default)]
    pub held_copy: Option<String>,
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
    #[serde(default)]
    pub ratio_formerly_poor_or_monitored: Option<Decimal>,
    #[serde(default)]
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
    pub risks_any_of: Vec<String>,
    /// Some member is in one of these kinds of school.
    pub schooling_any_of: Vec<Schooling>,
    pub whole_household_no_labour: Option<bool>,
    pub formerly_poor: Option<bool>,
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
    serde_json::from_str(json).map_err(|e| perr("", format!("政策数据格式有误：{e}"), format!("policy data does not parse: {e}")))
}

#[cfg(feature = "toml")]
#[path = "toml_json.rs"]
mod toml_json;

/// Parses a profile from TOML (strict) without validating it. Same path as the embedded profiles:
/// TOML → generic JSON → strict parser.
#[cfg(feature = "toml")]
pub fn parse_profile_toml(text: &str) -> Result<Profile, PolicyError> {
    let v: toml::Value = toml::from_str(text).map_err(|e| perr("", format!("TOML 格式有误：{e}"), format!("not valid TOML: {e}")))?;
    let json = toml_json::toml_to_json(v);
    serde_json::from_value(json).map_err(|e| perr("", format!("政策数据格式有误：{e}"), format!("policy data does not parse: {e}")))
}

/// All profiles shipped in `policy-data/`, parsed once. Invalid ones are left out (a test proves none are).
pub fn embedded_profiles() -> &'static [Profile] {
    static CELL: OnceLock<Vec<Profile>> = OnceLock::new();
    CELL.get_or_init(|| embedded::EMBEDDED.iter().filter_map(|(_, json)| parse_profile_json(json).ok()).collect())
}

/// The embedded profile files as JSON: (file name, JSON text).
pub fn embedded_profile_sources() -> &'static [(&'static str, &'static str)] {
    embedded::EMBEDDED
}

/// An embedded profile by id.
pub fn profile(id: &str) -> Option<&'static Profile> {
    embedded_profiles().iter().find(|p| p.id == id)
}

/// The default profile (永安 2023).
pub fn default_profile() -> Option<&'static Profile> {
    profile(DEFAULT_PROFILE_ID)
}

/// Summaries of the embedded profiles, default first.
pub fn profile_summaries() -> Vec<ProfileSummary> {
    let mut v: Vec<ProfileSummary> = embedded_profiles().iter().map(Profile::summary).collect();
    v.sort_by_key(|s| (!s.is_default, s.id.clone()));
    v
}

impl Profile {
    pub fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            year: self.year,
            province: self.region.province.name.clone(),
            city: self.region.city.name.clone(),
            county: self.region.county.name.clone(),
            monitoring_range: self.monitoring_range.amount,
            monitoring_range_provisional: self.monitoring_range.provenance.provisional,
            is_default: self.id == DEFAULT_PROFILE_ID,
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn clause(&self, key: &str) -> Option<&Provenance> {
        self.clauses.get(key)
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

struct Validator<'a> {
    p: &'a Profile,
    errs: Vec<PolicyError>,
}

impl Validator<'_> {
    fn err(&mut self, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        self.errs.push(perr(path, zh, en));
    }

    fn text(&mut self, path: &str, t: &Text) {
        if t.is_incomplete() {
            self.err(path, "中文和英文都要填写。", "both Chinese and English text are required");
        }
    }

    fn provenance(&mut self, path: &str, pr: &Provenance) {
        let p = self.p;
        match (&pr.source, pr.provisional) {
            (None, false) => self.err(
                format!("{path}.provenance"),
                "缺少来源：请写明来源（source），或标为 provisional 并说明理由。",
                "missing source: give `source`, or set `provisional = true` with a `reason`",
            ),
            (Some(s), _) if p.source(s).is_none() => self.err(
                format!("{path}.provenance.source"),
                format!("来源“{s}”不在 sources 列表里。"),
                format!("source `{s}` is not listed in `sources`"),
            ),
            _ => {}
        }
        if pr.provisional {
            match &pr.reason {
                None => self.err(format!("{path}.provenance.reason"), "暂定值必须说明理由。", "a provisional value needs a `reason`"),
                Some(r) => self.text(&format!("{path}.provenance.reason"), &r.clone()),
            }
        }
        if let Some(c) = &pr.clause {
            self.text(&format!("{path}.provenance.clause"), &c.clone());
        }
        let from = pr.effective_from.unwrap_or(p.effective_from);
        let to = pr.effective_to.unwrap_or(p.effective_to);
        if from > to {
            self.err(format!("{path}.provenance"), "生效日期晚于失效日期。", "effective_from is after effective_to");
        }
        if from > p.effective_to || to < p.effective_from {
            self.err(
                format!("{path}.provenance"),
                "这个值的有效期和本档案的有效期不重叠。",
                "the value's effective period does not overlap the profile's period",
            );
        }
    }

    fn run(&mut self) {
        let p = self.p;
        if p.format != PROFILE_FORMAT {
            self.err("format", format!("格式应为 {PROFILE_FORMAT}。"), format!("format must be {PROFILE_FORMAT}"));
        }
        if p.id.is_empty() || !p.id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            self.err("id", "id 只能用小写字母、数字和连字符，且不能为空。", "id must be non-empty lowercase letters, digits and dashes");
        }
        if p.effective_from > p.effective_to {
            self.err("effective_from", "生效日期晚于失效日期。", "effective_from is after effective_to");
        }
        if p.effective_from.year() != p.year && p.effective_to.year() != p.year {
            self.err("year", "年份和有效期不一致。", "year does not match the effective period");
        }
        self.text("name", &p.name);
        for (k, place) in [("province", &p.region.province), ("city", &p.region.city), ("county", &p.region.county)] {
            if place.code.len() != 6 || !place.code.bytes().all(|c| c.is_ascii_digit()) {
                self.err(format!("region.{k}.code"), "行政区划代码应为 6 位数字。", "a division code has 6 digits");
            }
            self.text(&format!("region.{k}.name"), &place.name);
        }
        // Sources.
        let mut ids = BTreeSet::new();
        for (i, s) in p.sources.iter().enumerate() {
            let path = format!("sources[{i}]");
            if s.id.trim().is_empty() {
                self.err(format!("{path}.id"), "来源 id 不能为空。", "source id is empty");
            } else if !ids.insert(s.id.as_str()) {
                self.err(format!("{path}.id"), format!("来源 id “{}”重复。", s.id), format!("duplicate source id `{}`", s.id));
            }
            if s.title.trim().is_empty() {
                self.err(format!("{path}.title"), "来源要有标题。", "a source needs a title");
            }
            let has = |o: &Option<String>| o.as_deref().is_some_and(|x| !x.trim().is_empty());
            if !has(&s.url) && !has(&s.document_number) && !has(&s.held_copy) {
                self.err(path.clone(), "来源要有网址、文号或存档位置之一。", "a source needs a url, a document number or a held copy");
            }
            if let Some(u) = &s.url
                && !(u.starts_with("http://") || u.starts_with("https://"))
            {
                self.err(format!("{path}.url"), "网址应以 http:// 或 https:// 开头。", "url must start with http:// or https://");
            }
        }
        // Monitoring range.
        let mr = &p.monitoring_range;
        if !mr.amount.is_positive() || mr.amount > Money::yuan(1_000_000) {
            self.err("monitoring_range.amount", "监测范围金额不合理。", "the monitoring range must be above 0 and at most 1,000,000");
        }
        if mr.amount.as_decimal().normalize().scale() > 2 {
            self.err("monitoring_range.amount", "金额最多两位小数。", "at most two decimal places");
        }
        self.text("monitoring_range.basis", &mr.basis);
        if mr.provenance.provisional && mr.screen_note.is_none() {
            self.err(
                "monitoring_range.screen_note",
                "暂定的监测范围必须有屏幕提示（以当地公布的为准）。",
                "a provisional monitoring range needs a screen_note",
            );
        }
        if let Some(n) = &mr.screen_note {
            self.text("monitoring_range.screen_note", n);
        }
        self.provenance("monitoring_range", &mr.provenance);
        // Triggers.
        let mut tids = BTreeSet::new();
        for (i, t) in p.spending_triggers.iter().enumerate() {
            let path = format!("spending_triggers[{i}]");
            if t.id.trim().is_empty() {
                self.err(format!("{path}.id"), "id 不能为空。", "empty id");
            } else if !tids.insert(t.id.as_str()) {
                self.err(format!("{path}.id"), format!("id “{}”重复。", t.id), format!("duplicate trigger id `{}`", t.id));
            }
            self.text(&format!("{path}.name"), &t.name);
            let amounts = [("amount_formerly_poor_or_monitored", t.amount_formerly_poor_or_monitored), ("amount_others", t.amount_others)];
            let ratios = [("ratio_formerly_poor_or_monitored", t.ratio_formerly_poor_or_monitored), ("ratio_others", t.ratio_others)];
            for (k, a) in amounts {
                if let Some(a) = a
                    && !a.is_positive()
                {
                    self.err(format!("{path}.{k}"), "金额必须大于 0。", "amount must be above 0");
                }
            }
            for (k, r) in ratios {
                if let Some(r) = r
                    && (r <= Decimal::ZERO || r > Decimal::from(10))
                {
                    self.err(format!("{path}.{k}"), "比例必须在 0 到 10 之间。", "ratio must be above 0 and at most 10");
                }
            }
            match t.kind {
                TriggerKind::MedicalAnnualRatio => {
                    if t.ratio_formerly_poor_or_monitored.is_none() || t.ratio_others.is_none() {
                        self.err(path.clone(), "按比例的触发条件要写两个比例。", "a ratio trigger needs both ratios");
                    }
                    match t.reference_amount {
                        Some(a) if a.is_positive() => {}
                        _ => self.err(
                            format!("{path}.reference_amount"),
                            "要写参照收入（大于 0）。",
                            "a ratio trigger needs a positive reference_amount",
                        ),
                    }
                }
                _ => {
                    if t.amount_formerly_poor_or_monitored.is_none() || t.amount_others.is_none() {
                        self.err(path.clone(), "金额触发条件要写两个金额。", "an amount trigger needs both amounts");
                    }
                }
            }
            self.provenance(&path, &t.provenance);
        }
        let mut ecodes = BTreeSet::new();
        for (i, e) in p.income_exclusions.iter().enumerate() {
            let path = format!("income_exclusions[{i}]");
            if e.code.trim().is_empty() || !ecodes.insert(e.code.as_str()) {
                self.err(format!("{path}.code"), "代码为空或重复。", "empty or duplicate code");
            }
            self.text(&format!("{path}.name"), &e.name);
            self.provenance(&path, &e.provenance);
        }
        // Category rules.
        let cr = &p.category_rules;
        let r = cr.income_drop_ratio.value;
        if r <= Decimal::ZERO || r > Decimal::ONE {
            self.err(
                "category_rules.income_drop_ratio.value",
                "收入下降比例必须在 0 到 1 之间。",
                "income drop ratio must be above 0 and at most 1",
            );
        }
        self.provenance("category_rules.income_drop_ratio", &cr.income_drop_ratio.provenance);
        if cr.elimination_min_stable_months.value == 0 || cr.elimination_min_stable_months.value > 60 {
            self.err("category_rules.elimination_min_stable_months.value", "月数应在 1 到 60 之间。", "months must be 1..=60");
        }
        self.provenance("category_rules.elimination_min_stable_months", &cr.elimination_min_stable_months.provenance);
        if cr.previous_not_included_min.value == 0 {
            self.err("category_rules.previous_not_included_min.value", "次数至少为 1。", "must be at least 1");
        }
        self.provenance("category_rules.previous_not_included_min", &cr.previous_not_included_min.provenance);
        // Guarantees.
        let w = &p.guarantees.water;
        if w.min_litres_per_person_day == 0
            || w.min_litres_per_person_day > 1000
            || w.min_litres_per_person_day_water_rich < w.min_litres_per_person_day
        {
            self.err("guarantees.water", "用水量标准不合理。", "water quantity standards are implausible");
        }
        if w.max_fetch_round_trip_minutes > 600 || w.min_supply_percent > 100 || w.min_supply_percent == 0 {
            self.err("guarantees.water", "取水时间或供水保证率不合理。", "fetch time or supply percentage is implausible");
        }
        self.provenance("guarantees.water", &w.provenance);
        let a = &p.guarantees.compulsory_school_age;
        if a.from > a.to || a.to > 25 {
            self.err("guarantees.compulsory_school_age", "义务教育年龄不合理。", "compulsory school age range is implausible");
        }
        self.provenance("guarantees.compulsory_school_age", &a.provenance);
        // Clauses.
        for key in CLAUSE_KEYS {
            if !p.clauses.contains_key(*key) {
                self.err(format!("clauses.{key}"), format!("缺少规则“{key}”的政策依据。"), format!("missing the clause for `{key}`"));
            }
        }
        for (key, pr) in &p.clauses {
            if !CLAUSE_KEYS.contains(&key.as_str()) {
                self.err(format!("clauses.{key}"), format!("不认识的规则“{key}”。"), format!("unknown clause key `{key}`"));
            }
            if pr.clause.is_none() {
                self.err(format!("clauses.{key}.clause"), "要写条款内容。", "a clause text is required");
            }
            self.provenance(&format!("clauses.{key}"), pr);
        }
        // Hotlines and channels.
        if !p.hotlines.iter().any(|h| h.scope == HotlineScope::National) {
            self.err("hotlines", "至少要有一个全国热线（12317）。", "at least one national hotline (12317) is required");
        }
        for (i, h) in p.hotlines.iter().enumerate() {
            let path = format!("hotlines[{i}]");
            if h.number.is_empty() || !h.number.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
                self.err(format!("{path}.number"), "电话号码只能有数字和“-”。", "a phone number has digits and dashes only");
            }
            self.text(&format!("{path}.name"), &h.name);
            self.provenance(&path, &h.provenance);
        }
        let mut kinds = BTreeSet::new();
        for (i, c) in p.channels.iter().enumerate() {
            let path = format!("channels[{i}]");
            if !kinds.insert(c.kind) {
                self.err(format!("{path}.kind"), "渠道重复。", "duplicate channel kind");
            }
            self.text(&format!("{path}.name"), &c.name);
            self.text(&format!("{path}.how"), &c.how);
            if c.kind == ChannelKind::Hotline && c.offered && c.number.is_none() {
                self.err(format!("{path}.number"), "热线渠道要写电话。", "a hotline channel needs a number");
            }
            for (k, u) in [("url", &c.url), ("endpoint", &c.endpoint)] {
                if let Some(u) = u
                    && !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/'))
                {
                    self.err(format!("{path}.{k}"), "网址格式不对。", "url must be http(s):// or a path starting with /");
                }
            }
            self.provenance(&path, &c.provenance);
        }
        // Measures.
        let mut mids = BTreeSet::new();
        for (i, m) in p.measures.iter().enumerate() {
            let path = format!("measures[{i}]");
            if m.id.trim().is_empty() {
                self.err(format!("{path}.id"), "措施 id 不能为空。", "empty measure id");
            } else if !mids.insert(m.id.as_str()) {
                self.err(format!("{path}.id"), format!("措施 id “{}”重复。", m.id), format!("duplicate measure id `{}`", m.id));
            }
            self.text(&format!("{path}.title"), &m.title);
            self.text(&format!("{path}.summary"), &m.summary);
            self.text(&format!("{path}.office"), &m.office);
            for r in &m.eligibility.risks_any_of {
                if !RISK_CODES.contains(&r.as_str()) {
                    self.err(
                        format!("{path}.eligibility.risks_any_of"),
                        format!("不认识的风险代码“{r}”。"),
                        format!("unknown risk code `{r}`"),
                    );
                }
            }
            if m.kind == MeasureKind::Development && m.eligibility.whole_household_no_labour == Some(true) {
                self.err(
                    format!("{path}.eligibility"),
                    "开发式帮扶不能只给无劳动能力户。",
                    "a development measure cannot be only for no-labour households",
                );
            }
            self.provenance(&path, &m.provenance);
        }
        if !p.measures.iter().any(|m| m.kind == MeasureKind::Development && m.eligibility.labour_any_of.contains(&LabourCapacity::Full)) {
            self.err(
                "measures",
                "至少要有一项给有劳动能力家庭的开发式帮扶。",
                "at least one development measure for households able to work is required",
            );
        }
        if !p.measures.iter().any(|m| m.kind == MeasureKind::SafetyNet) {
            self.err("measures", "至少要有一项兜底保障措施。", "at least one safety-net measure is required");
        }
        // Sheets and signed texts.
        let s = &p.application_sheet;
        for (k, t) in [
            ("title", &s.title),
            ("who_can_apply", &s.who_can_apply),
            ("how_to_apply", &s.how_to_apply),
            ("what_happens_next", &s.what_happens_next),
        ] {
            self.text(&format!("application_sheet.{k}"), t);
        }
        self.provenance("application_sheet", &s.provenance);
        self.text("assistance_sheet.title", &p.assistance_sheet.title);
        self.text("assistance_sheet.intro", &p.assistance_sheet.intro);
        self.provenance("assistance_sheet", &p.assistance_sheet.provenance);
        for (k, t) in [("pledge", &p.pledge), ("authorisation", &p.authorisation)] {
            self.text(&format!("{k}.title"), &t.title);
            self.text(&format!("{k}.body"), &t.body);
            self.provenance(k, &t.provenance);
        }
    }
}

/// Checks a set of profiles together: duplicate ids, and overlapping periods for the same county.
pub fn validate_profile_set(profiles: &[Profile]) -> Vec<PolicyError> {
    let mut errs = Vec::new();
    for (i, a) in profiles.iter().enumerate() {
        for b in &profiles[i + 1..] {
            if a.id == b.id {
                errs.push(perr(b.id.clone(), format!("档案 id “{}”重复。", b.id), format!("duplicate profile id `{}`", b.id)));
            }
            if a.region.county.code == b.region.county.code && a.effective_from <= b.effective_to && b.effective_from <= a.effective_to {
                errs.push(perr(
                    b.id.clone(),
                    format!("“{}”和“{}”是同一个县，有效期重叠。", a.id, b.id),
                    format!("`{}` and `{}` cover the same county with overlapping periods", a.id, b.id),
                ));
            }
        }
    }
    errs
}
