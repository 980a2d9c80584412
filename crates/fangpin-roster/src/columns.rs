//! The roster's columns: the facts a roster can give, the headers they are recognised by (as
//! departments and Excel write them), and which column of a file holds which fact (`Mapping`).
//!
//! One row per member. A household's rows follow each other and share its 户编号. Household facts
//! (incomes, the village, 脱贫户…) are read from the household's first row; later rows may leave
//! them empty or repeat them, and a later row that says something else is an error.

use fangpin_core::Text;
use fangpin_core::input::fold_width;

/// Whose fact a column gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Household,
    Member,
}

macro_rules! fields {
    ($($variant:ident $code:literal $level:ident ($zh:literal, $en:literal) [$($alias:literal),*] ($hzh:literal, $hen:literal);)*) => {
        /// A fact a roster column can give.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant,)* }

        impl Field {
            /// Every field, in the template's column order.
            pub const ALL: &[Field] = &[$(Field::$variant,)*];
            /// How many fields there are.
            pub const COUNT: usize = Field::ALL.len();

            /// The name used by `fangpin screen --map` and in JSON.
            pub fn code(self) -> &'static str {
                match self { $(Field::$variant => $code,)* }
            }
            pub fn from_code(code: &str) -> Option<Field> {
                Field::ALL.iter().copied().find(|f| f.code() == code)
            }
            pub fn level(self) -> Level {
                match self { $(Field::$variant => Level::$level,)* }
            }
            /// The template's header.
            pub fn header(self) -> Text {
                match self { $(Field::$variant => Text::lit($zh, $en),)* }
            }
            /// Other headers that mean the same (compared after [`normalise_header`]).
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$($alias),*],)* }
            }
            /// What the column may hold, in a short sentence.
            pub fn accepts(self) -> Text {
                match self { $(Field::$variant => Text::lit($hzh, $hen),)* }
            }
        }
    };
}

fields! {
    HouseholdId "household_id" Household ("户编号", "Household number") ["户号", "户编码", "家庭编号", "户代码", "householdid"]
        ("每户一个编号，同一户的各行挨在一起", "One number per household; a household's rows follow each other");
    Village "village" Household ("村", "Village") ["村名", "行政村", "所在村", "村社区", "村居", "村委会"]
        ("村名", "The village's name");
    FormerlyPoor "formerly_poor" Household ("是否脱贫户", "Formerly poor") ["脱贫户", "脱贫户标识", "是否为脱贫户"]
        ("是或否", "Yes or no");
    MonitoredSince "monitored_since" Household ("纳入监测日期", "Monitored since") ["监测对象", "纳入监测时间", "是否监测对象"]
        ("纳入监测对象的日期，或是、否；空着表示不是监测对象", "The date the household became a monitored household, or yes or no; empty if it is not one");
    IncomeWage "income_wage" Household ("工资性收入", "Wages") ["工资收入", "务工收入"]
        ("近12个月全家的金额（元）", "The whole household's amount over the last 12 months (yuan)");
    IncomeBusiness "income_business" Household ("生产经营性收入", "Farming and business income") ["经营性收入", "家庭经营性收入", "生产经营收入"]
        ("近12个月全家的金额（元）", "The whole household's amount over the last 12 months (yuan)");
    IncomeProperty "income_property" Household ("财产性收入", "Property income") ["财产收入"]
        ("近12个月全家的金额（元）", "The whole household's amount over the last 12 months (yuan)");
    IncomeTransfer "income_transfer" Household ("转移性收入", "Transfers") ["转移收入"]
        ("近12个月全家的金额（元）", "The whole household's amount over the last 12 months (yuan)");
    BusinessCosts "business_costs" Household ("生产经营性支出", "Farming and business costs") ["经营性支出", "生产经营支出", "家庭经营性支出"]
        ("近12个月全家的金额（元），从收入里减去", "The whole household's amount over the last 12 months (yuan), taken off the income");
    SchoolingNonCompulsory "schooling_non_compulsory" Household ("非义务教育支出", "Schooling costs outside compulsory school") ["教育支出", "就学支出", "上学支出"]
        ("高中、中职、大学的自付费用（元）", "Out-of-pocket costs of high school, vocational school or college (yuan)");
    OtherRigid "other_rigid" Household ("其他刚性支出", "Other unavoidable spending") ["灾害意外支出", "其他支出"]
        ("灾害、意外等躲不开的支出（元）", "Unavoidable spending after a disaster, an accident and the like (yuan)");
    HousingGrade "housing_grade" Household ("住房安全等级", "Housing safety grade") ["住房等级", "房屋等级", "住房鉴定等级", "危房等级"]
        ("A、B、C 或 D（C、D 级是危房）", "A, B, C or D (C and D are unsafe)");
    Name "name" Member ("姓名", "Name") ["成员姓名", "家庭成员姓名"]
        ("成员的姓名", "The member's name");
    Relation "relation" Member ("与户主关系", "Relation to the head") ["关系", "与户主的关系"]
        ("户主、配偶、子女、父母等", "Head, spouse, child, parent and so on");
    IdNumber "id_number" Member ("身份证号", "ID number") ["证件号码", "身份证号码", "公民身份号码", "身份证"]
        ("18位身份证号，用来算年龄", "The 18-character ID number, to work out the age");
    BirthDate "birth_date" Member ("出生日期", "Birth date") ["出生年月", "生日"]
        ("如 1978-03-07 或 1978/3/7", "Like 1978-03-07 or 1978/3/7");
    Age "age" Member ("年龄", "Age") ["岁数"]
        ("周岁", "Age in years");
    Labour "labour" Member ("劳动能力", "Labour capacity") ["劳动技能", "劳动力状况"]
        ("有、弱、半或无劳动能力", "Able, weak, half, or unable to work");
    Schooling "schooling" Member ("在校情况", "Schooling") ["在校生状况", "就学情况", "在校生"]
        ("义务教育、高中、大学，或失学、辍学", "Compulsory school, high school, college, or out of school");
    SeriousIllness "serious_illness" Member ("大病慢病", "Serious or chronic illness") ["患大病", "大病", "慢性病", "健康状况"]
        ("是或否（健康状况写“大病”“慢性病”也可以）", "Yes or no (a health status of 大病 or 慢性病 also counts)");
    SevereDisability "severe_disability" Member ("重度残疾", "Severe disability") ["残疾等级", "是否重度残疾"]
        ("是或否，或残疾等级（一级、二级是重度）", "Yes or no, or the disability grade (grades 1 and 2 are severe)");
    MedicalInsurance "medical_insurance" Member ("参加医保", "Medical insurance") ["参加城乡居民基本医疗保险", "是否参加医保", "医保参保"]
        ("是或否", "Yes or no");
    Dibao "dibao" Member ("享受低保", "Dibao (minimum living allowance)") ["低保", "是否低保", "低保对象", "纳入低保时间"]
        ("享受的起始日期，或是、否", "The date it started, or yes or no");
    Tekun "tekun" Member ("特困供养", "Tekun (support for the extremely poor)") ["特困", "是否特困", "特困人员"]
        ("供养的起始日期，或是、否", "The date it started, or yes or no");
    MedicalOutOfPocket "medical_out_of_pocket" Member ("医疗自付", "Medical costs out of pocket") ["医疗支出", "自付医疗费用", "个人自付", "医疗费用自付"]
        ("近12个月这位成员自己付的医疗费（元）", "What this member paid for medical care over the last 12 months (yuan)");
}

/// A header as written, made comparable: full-width forms folded, spaces, quotes and a trailing
/// unit in brackets (`（元）`, `(元)`) removed, ASCII lower-cased.
pub fn normalise_header(h: &str) -> String {
    let mut s: String = h
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\u{feff}' | '*' | '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    for unit in ["(元)", "(元/年)", "(年)", "(岁)"] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.to_string();
        }
    }
    s
}

/// The field a header names, if any.
pub fn recognise(header: &str) -> Option<Field> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    Field::ALL.iter().copied().find(|f| {
        let hd = f.header();
        normalise_header(&hd.zh) == h
            || normalise_header(&hd.en) == h
            || normalise_header(f.code()) == h
            || f.aliases().iter().any(|a| normalise_header(a) == h)
    })
}

/// Which column holds which field. Made from the header row (`Mapping::recognise`), then changed
/// by a person at the mapping step (`set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The file's headers, as written.
    pub headers: Vec<String>,
    /// For each column, the field it holds.
    pub columns: Vec<Option<Field>>,
}

/// Why a mapping cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingProblem {
    NoHouseholdId,
    Twice(Field),
    NoIncome,
}

impl MappingProblem {
    pub fn message(&self) -> Text {
        match self {
            MappingProblem::NoHouseholdId => Text::lit(
                "请指定哪一列是“户编号”：同一户的各行靠它连在一起。",
                "Please choose the column with the household number: it ties a household's rows together.",
            ),
            MappingProblem::Twice(f) => Text::new(
                format!("“{}”对应了两列，请只留一列。", f.header().zh),
                format!("Two columns are set to “{}”; please keep one.", f.header().en),
            ),
            MappingProblem::NoIncome => Text::lit(
                "请至少指定一列收入：没有收入就算不出人均纯收入。",
                "Please choose at least one income column: without income there is no per-capita income.",
            ),
        }
    }
}

impl Mapping {
    /// Each header matched to the field it names; the first of two columns naming one field wins.
    pub fn recognise<S: AsRef<str>>(headers: &[S]) -> Mapping {
        let mut columns: Vec<Option<Field>> = Vec::with_capacity(headers.len());
        for h in headers {
            let f = recognise(h.as_ref()).filter(|f| !columns.contains(&Some(*f)));
            columns.push(f);
        }
        // A byte-order mark a reader left on the first header is not part of its name.
        Mapping { headers: headers.iter().map(|h| h.as_ref().trim_start_matches('\u{feff}').to_string()).collect(), columns }
    }

    /// Column `col` holds `field` (or nothing). Out-of-range columns are ignored.
    pub fn set(&mut self, col: usize, field: Option<Field>) {
        if let Some(c) = self.columns.get_mut(col) {
            *c = field;
        }
    }

    /// The column of a field.
    pub fn column(&self, f: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(f))
    }

    /// What stops this mapping from being used; empty when it can be.
    pub fn problems(&self) -> Vec<MappingProblem> {
        let mut out = Vec::new();
        if self.column(Field::HouseholdId).is_none() {
            out.push(MappingProblem::NoHouseholdId);
        }
        for f in Field::ALL {
            if self.columns.iter().filter(|c| **c == Some(*f)).count() > 1 {
                out.push(MappingProblem::Twice(*f));
            }
        }
        let incomes = [Field::IncomeWage, Field::IncomeBusiness, Field::IncomeProperty, Field::IncomeTransfer];
        if !incomes.iter().any(|f| self.column(*f).is_some()) {
            out.push(MappingProblem::NoIncome);
        }
        out
    }

    /// Headers no field was found for (shown at the mapping step; their cells are not read).
    pub fn unused(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().zip(&self.columns).filter(|(_, c)| c.is_none()).map(|(h, _)| h.as_str())
    }
}

/// The template a township fills in: the headers, then two example households (UTF-8 with BOM, so
/// Excel opens it in Chinese).
pub fn template_csv(lang: &str) -> String {
    let mut out = String::from(fangpin_core::csv::BOM);
    let headers: Vec<Text> = Field::ALL.iter().map(|f| f.header()).collect();
    fangpin_core::csv::row(&mut out, headers.iter().map(|h| (h.get(lang), false)));
    for example in EXAMPLE_ROWS {
        out.push_str(example);
        out.push_str("\r\n");
    }
    out
}

/// The template as rows of cells (for the .xlsx template).
pub fn template_rows(lang: &str) -> Vec<Vec<String>> {
    let mut rows = vec![Field::ALL.iter().map(|f| f.header().get(lang).to_string()).collect::<Vec<_>>()];
    rows.extend(EXAMPLE_ROWS.iter().map(|r| r.split(',').map(str::to_string).collect()));
    rows
}

/// Two households of the template, in [`Field::ALL`]'s order: a family of four with an ill
/// grandmother, and an older couple on 低保.
const EXAMPLE_ROWS: [&str; 6] = [
    "H001,洪田村,否,,30000,12000,0,1800,2000,0,0,B,张大山,户主,,1978-03-07,,有,,否,否,是,否,否,0",
    "H001,洪田村,,,,,,,,,,,李秀英,配偶,,1980-05-20,,有,,否,否,是,否,否,0",
    "H001,洪田村,,,,,,,,,,,张小明,子女,,2011-09-01,,无,义务教育,否,否,是,否,否,0",
    "H001,洪田村,,,,,,,,,,,王桂兰,父母,,1953-01-15,,无,,是,否,是,否,否,9000",
    "H002,贡川村,是,2022-03-01,0,2400,0,6000,500,0,0,C,陈阿福,户主,,,71,无,,否,二级,是,2021-06-01,否,1500",
    "H002,贡川村,,,,,,,,,,,林阿香,配偶,,,69,弱,,是,否,是,2021-06-01,否,3200",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_departments_write_them() {
        assert_eq!(recognise("户编号"), Some(Field::HouseholdId));
        assert_eq!(recognise(" 户 号 "), Some(Field::HouseholdId));
        assert_eq!(recognise("工资性收入（元）"), Some(Field::IncomeWage));
        assert_eq!(recognise("工资性收入(元)"), Some(Field::IncomeWage));
        assert_eq!(recognise("\u{feff}户编号"), Some(Field::HouseholdId));
        assert_eq!(recognise("Household number"), Some(Field::HouseholdId));
        assert_eq!(recognise("household_id"), Some(Field::HouseholdId));
        // Every field by its code, as `--map` and JSON name it.
        for f in Field::ALL {
            assert_eq!(recognise(f.code()), Some(*f), "{f:?}");
        }
        assert_eq!(recognise("公民身份号码"), Some(Field::IdNumber));
        assert_eq!(recognise("备注"), None);
        assert_eq!(recognise(""), None);
        // Every header and alias names exactly one field.
        for f in Field::ALL {
            assert_eq!(recognise(&f.header().zh), Some(*f), "{f:?}");
            assert_eq!(recognise(&f.header().en), Some(*f), "{f:?}");
            for a in f.aliases() {
                assert_eq!(recognise(a), Some(*f), "{a}");
            }
        }
    }

    #[test]
    fn mapping_problems() {
        let m = Mapping::recognise(&["户编号", "工资性收入", "户号", "备注"]);
        assert_eq!(m.columns, vec![Some(Field::HouseholdId), Some(Field::IncomeWage), None, None]);
        assert!(m.problems().is_empty());
        assert_eq!(m.unused().collect::<Vec<_>>(), ["户号", "备注"]);
        let mut m = Mapping::recognise(&["编号", "收入"]);
        assert_eq!(m.problems(), vec![MappingProblem::NoHouseholdId, MappingProblem::NoIncome]);
        m.set(0, Some(Field::HouseholdId));
        m.set(1, Some(Field::IncomeWage));
        m.set(7, Some(Field::Age));
        assert!(m.problems().is_empty());
        m.set(0, Some(Field::IncomeWage));
        assert_eq!(m.problems(), vec![MappingProblem::NoHouseholdId, MappingProblem::Twice(Field::IncomeWage)]);
    }

    #[test]
    fn template_has_every_field_and_its_examples_fit() {
        let t = template_csv("zh");
        let mut lines = t.trim_start_matches('\u{feff}').lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        assert_eq!(header.len(), Field::ALL.len());
        assert!(Mapping::recognise(&header).problems().is_empty());
        for l in lines {
            assert_eq!(l.split(',').count(), Field::ALL.len(), "{l}");
        }
    }
}
