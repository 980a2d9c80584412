//! The form exactly as the person typed it, and the pure conversion to a [`Household`].
//!
//! Every text field keeps its raw text (`String`), so nothing typed is ever lost or rewritten: an
//! amount that does not parse stays in the form, gets the core's message at the field, and is left
//! out of the household until it is corrected. Choices are typed values. No web APIs here.

use serde::{Deserialize, Serialize};

use fangpin_core::date::{Date, days_in_month};
use fangpin_core::household::{
    CostItem, DrinkingWater, Household, HousingGrade, IncomeDrop, IncomeDropReason, IncomeItem, IncomeKind, LabourCapacity, Member,
    Monitoring, OutOfSchoolReason, PreviousApplication, PreviousOutcome, PreviousSource, Relation, RigidExpense, RigidExpenseKind,
    Schooling,
};
use fangpin_core::money::{Money, parse_optional_amount};
use fangpin_core::policy::Profile;
use fangpin_core::text::Text;

/// Whether a member receives 低保 or 特困供养, and since when (only "this year or before" matters to the rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    #[default]
    No,
    /// Since before 1 January of this year.
    Before,
    /// Newly this year.
    ThisYear,
    /// Applied for this year, not decided yet (the seed's 新申请).
    Applied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub name: String,
    pub relation: Relation,
    pub age: String,
    /// None until the person chooses (a skipped question is asked again, never read as "can work").
    pub labour: Option<LabourCapacity>,
    pub schooling: Schooling,
    pub out_of_school: Option<OutOfSchoolReason>,
    // Named as in the household (`Member`); drafts saved before that used the short names.
    #[serde(alias = "insured")]
    pub medical_insurance: Option<bool>,
    #[serde(alias = "ill")]
    pub serious_illness: bool,
    #[serde(alias = "disabled")]
    pub severe_disability: bool,
    #[serde(alias = "disabled_this_year")]
    pub severe_disability_this_year: bool,
    pub dibao: Benefit,
    pub tekun: Benefit,
    /// Lives with the household and shares income and spending (counted for per-capita income).
    pub counted: bool,
}

impl Default for MemberForm {
    fn default() -> Self {
        MemberForm {
            name: String::new(),
            relation: Relation::Other,
            age: String::new(),
            labour: None,
            schooling: Schooling::None,
            out_of_school: None,
            medical_insurance: None,
            serious_illness: false,
            severe_disability: false,
            severe_disability_this_year: false,
            dibao: Benefit::No,
            tekun: Benefit::No,
            counted: true,
        }
    }
}

impl MemberForm {
    pub fn head() -> Self {
        MemberForm { relation: Relation::Head, ..Default::default() }
    }
}

/// The whole self-check form. Field names are stable: they are stored on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Form {
    pub members: Vec<MemberForm>,
    // Income of the last 12 months, by kind, and business costs.
    pub wage: String,
    pub business: String,
    pub property: String,
    pub transfer: String,
    pub business_costs: String,
    // Unavoidable spending (out of pocket, after insurance and aid).
    pub inpatient_largest: String,
    pub inpatient_other: String,
    pub outpatient: String,
    pub school_compulsory: String,
    pub school_non_compulsory: String,
    pub disaster: String,
    pub accident: String,
    pub other_rigid: String,
    // Housing and water.
    pub housing: HousingGrade,
    pub water_quality_ok: Option<bool>,
    pub water_litres: String,
    pub water_rich_area: bool,
    pub water_minutes: String,
    pub water_supply: String,
    // Other situations.
    pub formerly_poor: Option<bool>,
    pub monitored: Option<bool>,
    pub stable_months: String,
    pub not_included_before: Option<bool>,
    pub income_dropped: Option<bool>,
    pub last_year_income: String,
    pub drop_reason: Option<IncomeDropReason>,
    pub collected_by: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            members: vec![MemberForm::head()],
            wage: String::new(),
            business: String::new(),
            property: String::new(),
            transfer: String::new(),
            business_costs: String::new(),
            inpatient_largest: String::new(),
            inpatient_other: String::new(),
            outpatient: String::new(),
            school_compulsory: String::new(),
            school_non_compulsory: String::new(),
            disaster: String::new(),
            accident: String::new(),
            other_rigid: String::new(),
            housing: HousingGrade::Unknown,
            water_quality_ok: None,
            water_litres: String::new(),
            water_rich_area: false,
            water_minutes: String::new(),
            water_supply: String::new(),
            formerly_poor: None,
            monitored: None,
            stable_months: String::new(),
            not_included_before: None,
            income_dropped: None,
            last_year_income: String::new(),
            drop_reason: None,
            collected_by: String::new(),
        }
    }
}

/// The household made from the form, and the problems of single fields (keyed by the field's id).
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub household: Household,
    pub errors: Vec<(String, Text)>,
}

impl Converted {
    pub fn error(&self, id: &str) -> Option<&Text> {
        self.errors.iter().find(|(k, _)| k == id).map(|(_, t)| t)
    }
}

/// Field ids (also the DOM ids of the inputs, prefixed `fp-`).
pub fn member_field(i: usize, f: &str) -> String {
    format!("m{i}-{f}")
}

/// The member a field id of [`member_field`] belongs to (`m2-age` → 2); None for a household field.
pub fn member_of_field(id: &str) -> Option<usize> {
    let (n, _) = id.strip_prefix('m')?.split_once('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// Full-width digits to ASCII, surrounding (also full-width) spaces removed.
fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A whole number typed by a person (`45`, `４５`, `45岁`, `20 升`), blank = not answered.
pub fn parse_count(s: &str, unit_words: &[&str], max: u32) -> Result<Option<u32>, Text> {
    let mut t = normalise(s);
    if t.is_empty() {
        return Ok(None);
    }
    for w in unit_words {
        if let Some(r) = t.strip_suffix(w) {
            t = r.trim_end().to_string();
            break;
        }
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 9 {
        return Err(Text::new("这里请填整数，例如 45。", "Please enter a whole number, for example 45."));
    }
    let n: u32 = t.parse().map_err(|_| Text::new("这里请填整数，例如 45。", "Please enter a whole number, for example 45."))?;
    if n > max {
        return Err(Text::new(
            format!("这个数太大了，最多 {max}。请再看一下。"),
            format!("This is too large; at most {max}. Please check."),
        ));
    }
    Ok(Some(n))
}

/// Does the form ask why this member is out of school? Only for a child of the profile's
/// compulsory-school age who is not in school (that is what the dropout rule looks at).
pub fn asks_out_of_school(m: &MemberForm, profile: &Profile) -> bool {
    let range = &profile.guarantees.compulsory_school_age;
    m.schooling == Schooling::None && matches!(parse_count(&m.age, &["岁", "周岁"], 130), Ok(Some(a)) if a >= range.from && a <= range.to)
}

/// The date `months` whole months before `d` (day clamped to the month's length).
pub fn months_before(d: Date, months: u32) -> Option<Date> {
    let total = i64::from(d.year()) * 12 + i64::from(d.month()) - 1 - i64::from(months);
    if total < 0 {
        return None;
    }
    let y = u16::try_from(total / 12).ok()?;
    let m = (total % 12 + 1) as u8;
    Date::new(y, m, d.day().min(days_in_month(y, m))).ok()
}

/// The household the form describes on `as_of`, with every field problem. Pure; never panics.
pub fn to_household(f: &Form, profile: &Profile, as_of: Date) -> Converted {
    let mut errors: Vec<(String, Text)> = Vec::new();
    let mut amount = |id: &str, s: &str| -> Option<Money> {
        match parse_optional_amount(s) {
            Ok(m) => m,
            Err(e) => {
                errors.push((id.to_string(), e.message()));
                None
            }
        }
    };
    let mut h = Household::new();
    let start_of_year = as_of.start_of_year();
    let before_this_year = Date::new(as_of.year().saturating_sub(1), 12, 31).ok();
    let applied = |b: Benefit| (b == Benefit::Applied).then_some(start_of_year);
    let since = |b: Benefit| match b {
        Benefit::No | Benefit::Applied => None,
        Benefit::Before => before_this_year,
        Benefit::ThisYear => Some(start_of_year),
    };

    // Amounts first (they borrow `errors` through `amount`).
    let income: Vec<(IncomeKind, &str, &String)> = vec![
        (IncomeKind::Wage, "wage", &f.wage),
        (IncomeKind::Business, "business", &f.business),
        (IncomeKind::Property, "property", &f.property),
        (IncomeKind::Transfer, "transfer", &f.transfer),
    ];
    for (kind, id, raw) in income {
        if let Some(m) = amount(id, raw) {
            h.income.push(IncomeItem { kind, amount: m, label: String::new(), item: None, member: None });
        }
    }
    if let Some(m) = amount("business_costs", &f.business_costs) {
        h.business_costs.push(CostItem { amount: m, label: String::new() });
    }
    let rigid: [(RigidExpenseKind, &str, &String); 8] = [
        (RigidExpenseKind::MedicalInpatient, "inpatient_largest", &f.inpatient_largest),
        (RigidExpenseKind::MedicalOther, "inpatient_other", &f.inpatient_other),
        (RigidExpenseKind::MedicalOutpatient, "outpatient", &f.outpatient),
        (RigidExpenseKind::SchoolingCompulsory, "school_compulsory", &f.school_compulsory),
        (RigidExpenseKind::SchoolingNonCompulsory, "school_non_compulsory", &f.school_non_compulsory),
        (RigidExpenseKind::Disaster, "disaster", &f.disaster),
        (RigidExpenseKind::Accident, "accident", &f.accident),
        (RigidExpenseKind::Other, "other_rigid", &f.other_rigid),
    ];
    for (kind, id, raw) in rigid {
        if let Some(m) = amount(id, raw)
            && !m.is_zero()
        {
            h.rigid_expenses.push(RigidExpense { kind, amount: m, description: String::new(), member: None });
        }
    }
    let last_year = if f.income_dropped == Some(true) { amount("last_year_income", &f.last_year_income) } else { None };

    // Members.
    for (i, m) in f.members.iter().enumerate() {
        let age = match parse_count(&m.age, &["岁", "周岁"], 130) {
            Ok(a) => a,
            Err(t) => {
                errors.push((member_field(i, "age"), t));
                None
            }
        };
        // Not chosen: said at the field and in the result's list of unread answers; the rules
        // meanwhile read the member as able to work (the choice that asks nothing of anyone).
        let labour = m.labour.unwrap_or_else(|| {
            errors.push((
                member_field(i, "labour"),
                Text::lit("请选一下这位家人的劳动能力。", "Please choose this member's ability to work."),
            ));
            LabourCapacity::Full
        });
        h.members.push(Member {
            name: m.name.trim().to_string(),
            relation: m.relation,
            age,
            labour,
            severe_disability: m.severe_disability,
            severe_disability_since: (m.severe_disability && m.severe_disability_this_year).then_some(start_of_year),
            serious_illness: m.serious_illness,
            schooling: m.schooling,
            out_of_school: if asks_out_of_school(m, profile) { m.out_of_school } else { None },
            medical_insurance: m.medical_insurance,
            dibao_since: since(m.dibao),
            tekun_since: since(m.tekun),
            dibao_applied: applied(m.dibao),
            tekun_applied: applied(m.tekun),
            counted: m.counted,
            ..Default::default()
        });
    }
    h.head_name = h.members.iter().find(|m| m.relation == Relation::Head).map(|m| m.name.clone()).unwrap_or_default();

    // Housing and water.
    h.housing_grade = f.housing;
    let mut count = |id: &str, s: &str, units: &[&str], max: u32| match parse_count(s, units, max) {
        Ok(n) => n,
        Err(t) => {
            errors.push((id.to_string(), t));
            None
        }
    };
    h.water = DrinkingWater {
        quality_ok: f.water_quality_ok,
        litres_per_person_day: count("water_litres", &f.water_litres, &["升", "L", "l"], 100_000),
        water_rich_area: f.water_rich_area,
        fetch_round_trip_minutes: count("water_minutes", &f.water_minutes, &["分钟", "分"], 10_000),
        supply_percent: count("water_supply", &f.water_supply, &["%", "％"], 100),
    };

    // Other situations.
    h.formerly_poor = f.formerly_poor == Some(true);
    if f.monitored == Some(true) {
        let months = count("stable_months", &f.stable_months, &["个月", "月"], 1200);
        h.monitoring = Some(Monitoring {
            since: as_of,
            income_stable_since: months.and_then(|n| months_before(as_of, n)),
            risk_gone_naturally: false,
        });
    }
    if f.not_included_before == Some(true) {
        h.previous_applications.push(PreviousApplication {
            date: None,
            source: PreviousSource::Applied,
            outcome: PreviousOutcome::NotIncluded,
        });
    }
    if f.income_dropped == Some(true) {
        h.income_drop = Some(IncomeDrop {
            last_year_net_income: last_year.unwrap_or(Money::ZERO),
            reason: f.drop_reason.unwrap_or(IncomeDropReason::Other),
            description: String::new(),
        });
    }
    let who = f.collected_by.trim();
    h.collected_by = (!who.is_empty()).then(|| who.to_string());
    // The core's rules for texts and sizes, said at the field where the text was typed; the text
    // stays in the form and is left out of the household until it is corrected.
    for e in h.validate_sizes_and_texts() {
        let member_name = |path: &str| path.strip_prefix("members[")?.strip_suffix("].name")?.parse::<usize>().ok();
        let (id, member) = match e.field.as_str() {
            "collected_by" => {
                h.collected_by = None;
                ("collected_by".to_string(), None)
            }
            "members" => ("members".to_string(), None),
            "head_name" => match f.members.iter().position(|m| m.relation == Relation::Head) {
                Some(i) => (member_field(i, "name"), Some(i)),
                None => continue,
            },
            path => match member_name(path) {
                Some(i) => (member_field(i, "name"), Some(i)),
                None => continue,
            },
        };
        if let Some(m) = member.and_then(|i| h.members.get_mut(i)) {
            m.name.clear();
        }
        if !errors.iter().any(|(k, _)| *k == id) {
            errors.push((id, e.message));
        }
    }
    h.head_name = h.members.iter().find(|m| m.relation == Relation::Head).map(|m| m.name.clone()).unwrap_or_default();
    Converted { household: h, errors }
}
