//! One cell's text as the fact it gives, the way departments and Excel write them; anything else
//! is a [`CellProblem`], never a guess. Blank cells are `None` (the roster does not say).

use fangpin_core::Text;
use fangpin_core::date::Date;
use fangpin_core::household::{LabourCapacity, OutOfSchoolReason, Relation, Schooling};
use fangpin_core::input::fold_width;
use fangpin_core::money::{Money, parse_amount};

/// Why a cell cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellProblem {
    YesNo,
    Date,
    DateAfterScreening,
    Amount(fangpin_core::money::AmountError),
    Age,
    Relation,
    Labour,
    Schooling,
    Housing,
    IdNumber(fangpin_core::household::IdError),
    /// Longer than any real value of its column, or with control characters.
    Text,
}

impl CellProblem {
    pub fn message(&self) -> Text {
        match self {
            CellProblem::YesNo => Text::lit("请写“是”或“否”。", "Please write yes or no (是 or 否)."),
            CellProblem::Date => Text::lit(
                "日期看不懂，请写成 2023-06-01 或 2023/6/1。",
                "The date cannot be read; please write it like 2023-06-01 or 2023/6/1.",
            ),
            CellProblem::DateAfterScreening => Text::lit("日期晚于排查日期。", "The date is after the screening date."),
            CellProblem::Amount(e) => e.message(),
            CellProblem::Age => Text::lit("年龄请写 0 到 130 之间的整数。", "Please write the age as a whole number from 0 to 130."),
            CellProblem::Relation => Text::lit(
                "看不懂与户主的关系，请写户主、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、儿媳、女婿或其他。",
                "The relation cannot be read; please write head, spouse, child, parent, grandchild, grandparent, sibling, child-in-law or other.",
            ),
            CellProblem::Labour => Text::lit(
                "劳动能力请写有、弱、半或无劳动能力。",
                "Please write the labour capacity as able, weak, half or unable (有、弱、半、无).",
            ),
            CellProblem::Schooling => Text::lit(
                "在校情况请写义务教育、高中、中职、大学、失学、辍学，或空着。",
                "Please write the schooling as compulsory school, high school, vocational school, college, out of school, or leave it empty.",
            ),
            CellProblem::Housing => Text::lit("住房安全等级请写 A、B、C 或 D。", "Please write the housing grade as A, B, C or D."),
            CellProblem::IdNumber(e) => match e {
                fangpin_core::household::IdError::Length => Text::lit("身份证号应是 18 位。", "An ID number has 18 characters."),
                fangpin_core::household::IdError::Characters => {
                    Text::lit("身份证号只能是数字，最后一位可以是 X。", "An ID number is digits, with an X allowed last.")
                }
                fangpin_core::household::IdError::BirthDate => {
                    Text::lit("身份证号里的出生日期不对。", "The birth date inside the ID number is not a real date.")
                }
                fangpin_core::household::IdError::CheckDigit => {
                    Text::lit("身份证号最后一位校验不对，请核对。", "The ID number's last character does not check; please look again.")
                }
            },
            CellProblem::Text => Text::lit("内容太长或有看不见的控制字符。", "Too long, or has invisible control characters."),
        }
    }
}

/// `s` trimmed and with full-width forms folded; allocates only when it has full-width forms.
fn folded(s: &str) -> std::borrow::Cow<'_, str> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.chars().any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')) {
        std::borrow::Cow::Owned(t.chars().map(fold_width).collect::<String>().trim().to_string())
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// `s` without one of `suffixes` at its end (the first that matches).
fn without_suffix<'a>(s: &'a str, suffixes: &[&str]) -> &'a str {
    suffixes.iter().find_map(|x| s.strip_suffix(x)).unwrap_or(s)
}

/// The two answers almost every cell has, and the empty cell: what [`yes_no`] gives for them.
fn plain_yes_no(s: &str) -> Option<Option<bool>> {
    match s {
        "是" => Some(Some(true)),
        "否" => Some(Some(false)),
        "" => Some(None),
        _ => None,
    }
}

pub fn yes_no(s: &str) -> Result<Option<bool>, CellProblem> {
    if let Some(v) = plain_yes_no(s) {
        return Ok(v);
    }
    let t = folded(s);
    Ok(match t.as_ref() {
        "" => None,
        "是" | "有" | "是的" | "√" | "✓" | "✔" | "1" | "Y" | "y" | "yes" | "Yes" | "YES" | "true" | "TRUE" | "True" => Some(true),
        "否" | "无" | "没有" | "不是" | "×" | "✗" | "0" | "N" | "n" | "no" | "No" | "NO" | "false" | "FALSE" | "False" => {
            Some(false)
        }
        _ => return Err(CellProblem::YesNo),
    })
}

/// `2023-06-01`, `2023/6/1`, `2023.6.1`, `2023年6月1日`, `20230601`; a month alone (`2023-06`,
/// `2023年6月`) is its first day.
pub fn date(s: &str) -> Result<Option<Date>, CellProblem> {
    // The form almost every cell has (a trimmed cell of ASCII has nothing to fold).
    let b = s.as_bytes();
    if b.is_empty() {
        return Ok(None);
    }
    // Digits at both ends: nothing to trim or fold there (a 10-byte cell such as `2023-06-1 ` is
    // folded first, like any other).
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b[0].is_ascii_digit() && b[9].is_ascii_digit() {
        return Date::parse(s).map(Some).map_err(|_| CellProblem::Date);
    }
    let t = folded(s);
    let t = t.as_ref();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        return Date::parse(t).map(Some).map_err(|_| CellProblem::Date);
    }
    if t.len() == 8 && t.bytes().all(|c| c.is_ascii_digit()) {
        return Date::parse_compact(t).map(Some).map_err(|_| CellProblem::Date);
    }
    let mut parts = [0u32; 3];
    let mut n = 0;
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9' => {
                if n >= 3 || digits >= 4 {
                    return Err(CellProblem::Date);
                }
                parts[n] = parts[n] * 10 + (c as u32 - '0' as u32);
                digits += 1;
            }
            '-' | '/' | '.' | '年' | '月' if digits > 0 => {
                n += 1;
                digits = 0;
            }
            '日' | '号' if digits > 0 && n == 2 => {
                n += 1;
                digits = 0;
            }
            // Excel may add a time to a date (`2023/6/1 0:00`); the time is not a fact the rules use.
            ' ' if n >= 2 => break,
            _ => return Err(CellProblem::Date),
        }
    }
    if digits > 0 {
        n += 1;
    }
    let (y, m, d) = match n {
        2 => (parts[0], parts[1], 1),
        3 => (parts[0], parts[1], parts[2]),
        _ => return Err(CellProblem::Date),
    };
    if !(1900..=2200).contains(&y) || m > 12 || d > 31 {
        return Err(CellProblem::Date);
    }
    Date::new(y as u16, m as u8, d as u8).map(Some).map_err(|_| CellProblem::Date)
}

/// A date that must not be after the screening date (a birth, the start of a benefit).
pub fn past_date(s: &str, as_of: Date) -> Result<Option<Date>, CellProblem> {
    match date(s)? {
        Some(d) if d > as_of => Err(CellProblem::DateAfterScreening),
        d => Ok(d),
    }
}

/// An amount of yuan. The common case (plain ASCII digits, at most two decimals) is read directly;
/// everything else (`1.2万`, `12,000`, full-width digits, `元`) by the core's amount parser.
pub fn amount(s: &str) -> Result<Option<Money>, CellProblem> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Ok(None);
    }
    if b.len() <= 12 && b[0].is_ascii_digit() {
        let mut fen: i64 = 0;
        let mut decimals: Option<u32> = None;
        let mut plain = true;
        for &c in b {
            match c {
                b'0'..=b'9' => {
                    fen = fen * 10 + i64::from(c - b'0');
                    if let Some(d) = decimals.as_mut() {
                        *d += 1;
                    }
                }
                b'.' if decimals.is_none() => decimals = Some(0),
                _ => {
                    plain = false;
                    break;
                }
            }
        }
        if plain && decimals.is_none_or(|d| (1..=2).contains(&d)) {
            let fen = fen * 10i64.pow(2 - decimals.unwrap_or(0));
            if fen <= fangpin_core::money::MAX_FIELD_YUAN * 100 {
                return Ok(Some(Money::from_fen(fen)));
            }
        }
    }
    match parse_amount(s) {
        Ok(m) => Ok(Some(m)),
        Err(fangpin_core::money::AmountError::Empty) => Ok(None),
        Err(e) => Err(CellProblem::Amount(e)),
    }
}

pub fn age(s: &str) -> Result<Option<u32>, CellProblem> {
    if s.is_empty() {
        return Ok(None);
    }
    let t = folded(s);
    let t = t.strip_suffix('岁').unwrap_or(&t);
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(a) if a <= 130 => Ok(Some(a)),
        _ => Err(CellProblem::Age),
    }
}

pub fn relation(s: &str) -> Result<Option<Relation>, CellProblem> {
    match s {
        // The template's words, before the longer match.
        "户主" => return Ok(Some(Relation::Head)),
        "配偶" => return Ok(Some(Relation::Spouse)),
        "子女" => return Ok(Some(Relation::Child)),
        "父母" => return Ok(Some(Relation::Parent)),
        "孙子女" => return Ok(Some(Relation::Grandchild)),
        "祖父母" => return Ok(Some(Relation::Grandparent)),
        "兄弟姐妹" => return Ok(Some(Relation::Sibling)),
        "其他" => return Ok(Some(Relation::Other)),
        "" => return Ok(None),
        _ => {}
    }
    let t = folded(s);
    let t = t.strip_prefix('之').unwrap_or(&t);
    Ok(Some(match t {
        "" => return Ok(None),
        "户主" | "本人" | "head" | "Head" => Relation::Head,
        "配偶" | "妻" | "夫" | "妻子" | "丈夫" | "spouse" | "Spouse" => Relation::Spouse,
        "子女" | "子" | "女" | "儿子" | "女儿" | "长子" | "次子" | "长女" | "次女" | "三子" | "三女" | "独生子" | "独生女" | "养子"
        | "养女" | "继子" | "继女" | "child" | "Child" => Relation::Child,
        "父母" | "父亲" | "母亲" | "父" | "母" | "公公" | "婆婆" | "岳父" | "岳母" | "parent" | "Parent" => {
            Relation::Parent
        }
        "孙子女" | "孙子" | "孙女" | "外孙子" | "外孙女" | "外孙" | "孙子女、外孙子女" | "grandchild" | "Grandchild" => {
            Relation::Grandchild
        }
        "祖父母" | "祖父" | "祖母" | "外祖父" | "外祖母" | "爷爷" | "奶奶" | "祖父母、外祖父母" | "grandparent" | "Grandparent" => {
            Relation::Grandparent
        }
        "兄弟姐妹" | "兄" | "弟" | "姐" | "妹" | "哥哥" | "弟弟" | "姐姐" | "妹妹" | "sibling" | "Sibling" => {
            Relation::Sibling
        }
        "儿媳" | "女婿" | "儿媳、女婿" | "媳" | "child-in-law" => Relation::ChildInLaw,
        "其他" | "其它" | "other" | "Other" => Relation::Other,
        _ => return Err(CellProblem::Relation),
    }))
}

pub fn labour(s: &str) -> Result<Option<LabourCapacity>, CellProblem> {
    match s {
        "有" => return Ok(Some(LabourCapacity::Full)),
        "弱" => return Ok(Some(LabourCapacity::Weak)),
        "半" => return Ok(Some(LabourCapacity::Half)),
        "无" => return Ok(Some(LabourCapacity::None)),
        "" => return Ok(None),
        _ => {}
    }
    let t = folded(s);
    let t = without_suffix(&t, &["劳动能力", "劳动力"]);
    Ok(Some(match t {
        "" => return Ok(None),
        "有" | "全" | "普通" | "技能" | "健全" | "full" | "Full" | "able" => LabourCapacity::Full,
        "弱" | "weak" | "Weak" => LabourCapacity::Weak,
        "半" | "部分" | "部分丧失" | "half" | "Half" => LabourCapacity::Half,
        "无" | "丧失" | "没有" | "none" | "None" | "unable" => LabourCapacity::None,
        _ => return Err(CellProblem::Labour),
    }))
}

pub fn schooling(s: &str) -> Result<Option<(Schooling, Option<OutOfSchoolReason>)>, CellProblem> {
    if s.is_empty() {
        return Ok(None);
    }
    let t = folded(s);
    Ok(Some(match t.as_ref() {
        "" => return Ok(None),
        "否" | "无" | "不在校" | "非在校生" => (Schooling::None, None),
        "义务教育" | "小学" | "初中" | "在校小学" | "在校初中" | "compulsory" => (Schooling::Compulsory, None),
        "高中" | "中职" | "中专" | "职高" | "普通高中" | "技校" | "high_school" => (Schooling::HighSchool, None),
        "大学" | "大专" | "高职" | "本科" | "研究生" | "college" => (Schooling::College, None),
        "失学" | "辍学" | "失学辍学" | "out_of_school" => (Schooling::None, Some(OutOfSchoolReason::Other)),
        "因病失学" | "因病休学" | "休学" => (Schooling::None, Some(OutOfSchoolReason::Health)),
        _ => return Err(CellProblem::Schooling),
    }))
}

/// 大病慢病: yes or no, or the 健康状况 of the national system (健康 / 长期慢性病 / 患有大病 / 残疾).
pub fn serious_illness(s: &str) -> Result<Option<bool>, CellProblem> {
    if let Some(v) = plain_yes_no(s) {
        return Ok(v);
    }
    let t = folded(s);
    match t.as_ref() {
        "大病" | "慢性病" | "长期慢性病" | "患有大病" | "大病慢病" | "重病" => Ok(Some(true)),
        "健康" | "残疾" | "良好" => Ok(Some(false)),
        _ => yes_no(&t),
    }
}

/// 重度残疾: yes or no, or the grade (一级, 二级 are severe). A bare digit is a grade only in a column
/// of grades (`grades`: its header says 等级); elsewhere `1`/`0` are yes/no and `2` is refused (it
/// would be 二级 in one system and 否 in another).
pub fn severe_disability(s: &str, grades: bool) -> Result<Option<bool>, CellProblem> {
    if let Some(v) = plain_yes_no(s) {
        return Ok(v);
    }
    let t = folded(s);
    if !grades && t.bytes().all(|b| b.is_ascii_digit()) {
        return yes_no(&t);
    }
    let grade = t.strip_prefix("残疾").unwrap_or(&t);
    let grade = without_suffix(without_suffix(grade, &["残疾"]), &["级"]);
    match grade {
        "一" | "二" | "1" | "2" | "Ⅰ" | "Ⅱ" | "重度" => Ok(Some(true)),
        "三" | "四" | "3" | "4" | "Ⅲ" | "Ⅳ" | "轻度" | "中度" | "非重度" => Ok(Some(false)),
        _ => yes_no(&t),
    }
}

/// What a benefit cell says: since a date, or yes without a date, or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Date(Date),
    UnknownDate,
    No,
}

pub fn since(s: &str, as_of: Date) -> Result<Option<Since>, CellProblem> {
    match yes_no(s) {
        Ok(None) => Ok(None),
        Ok(Some(true)) => Ok(Some(Since::UnknownDate)),
        Ok(Some(false)) => Ok(Some(Since::No)),
        Err(_) => past_date(s, as_of).map(|d| d.map(Since::Date)),
    }
}

pub fn housing(s: &str) -> Result<Option<fangpin_core::household::HousingGrade>, CellProblem> {
    use fangpin_core::household::HousingGrade;
    // The template's letters, before folding.
    match s {
        "A" => return Ok(Some(HousingGrade::A)),
        "B" => return Ok(Some(HousingGrade::B)),
        "C" => return Ok(Some(HousingGrade::C)),
        "D" => return Ok(Some(HousingGrade::D)),
        "" => return Ok(None),
        _ => {}
    }
    let t = folded(s);
    let t = t.strip_suffix('级').unwrap_or(&t);
    Ok(Some(match t {
        "" => return Ok(None),
        "A" | "a" => HousingGrade::A,
        "B" | "b" => HousingGrade::B,
        "C" | "c" => HousingGrade::C,
        "D" | "d" => HousingGrade::D,
        _ => return Err(CellProblem::Housing),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_fast_and_as_people_write_them() {
        assert_eq!(amount("12000"), Ok(Some(Money::yuan(12000))));
        assert_eq!(amount("12000.5"), Ok(Some(Money::from_fen(1_200_050))));
        assert_eq!(amount("0.07"), Ok(Some(Money::from_fen(7))));
        assert_eq!(amount(""), Ok(None));
        assert_eq!(amount("  "), Ok(None));
        assert_eq!(amount("1.2万"), Ok(Some(Money::yuan(12000))));
        assert_eq!(amount("１２０００"), Ok(Some(Money::yuan(12000))));
        assert_eq!(amount("12,000元"), Ok(Some(Money::yuan(12000))));
        assert!(amount("12.345").is_err());
        assert!(amount("-5").is_err());
        assert!(amount("999999999999").is_err());
        assert!(amount("abc").is_err());
        assert!(amount("🙂").is_err());
        // The fast path and the core's parser agree.
        for s in ["0", "1", "10", "99.9", "100000000", "100000000.01", "5.05", "007"] {
            assert_eq!(amount(s).ok().flatten(), parse_amount(s).ok(), "{s}");
        }
    }

    #[test]
    fn ten_byte_dates_with_white_space_are_folded_first() {
        // Found in review: these once took the plain `YYYY-MM-DD` path and were refused.
        let june = Date::new(2023, 6, 1).ok();
        assert_eq!(date("2023-06-1 "), Ok(june));
        assert_eq!(date(" 2023-6-01"), Ok(june));
        assert_eq!(date("2023-06-\u{a0}"), Ok(june));
        assert_eq!(date("2023-06-  "), Ok(june));
        assert_eq!(date("2023-06-01"), Ok(june));
        assert_eq!(date("2023-13-01"), Err(CellProblem::Date));
    }

    #[test]
    fn dates_as_excel_writes_them() {
        let d = |y, m, d| Ok(Some(Date::new(y, m, d).expect("date")));
        assert_eq!(date("2023-06-01"), d(2023, 6, 1));
        assert_eq!(date("2023/6/1"), d(2023, 6, 1));
        assert_eq!(date("2023.6.1"), d(2023, 6, 1));
        assert_eq!(date("2023年6月1日"), d(2023, 6, 1));
        assert_eq!(date("20230601"), d(2023, 6, 1));
        assert_eq!(date("2023-06"), d(2023, 6, 1));
        assert_eq!(date("２０２３－０６－０１"), d(2023, 6, 1));
        assert_eq!(date("2023/6/1 0:00"), d(2023, 6, 1));
        assert_eq!(date(""), Ok(None));
        for bad in ["2023-02-30", "2023", "6/1/2023", "2023-13-01", "12345-1-1", "1800-01-01", "2023-06-01-02", "昨天", "2023--1"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        let as_of = Date::new(2023, 6, 1).expect("date");
        assert_eq!(past_date("2023-06-02", as_of), Err(CellProblem::DateAfterScreening));
    }

    #[test]
    fn words() {
        assert_eq!(yes_no(" 是 "), Ok(Some(true)));
        assert_eq!(yes_no("否"), Ok(Some(false)));
        assert_eq!(yes_no("Ｙ"), Ok(Some(true)));
        assert!(yes_no("也许").is_err());
        assert_eq!(relation("之子"), Ok(Some(Relation::Child)));
        assert_eq!(relation("户主"), Ok(Some(Relation::Head)));
        assert!(relation("邻居").is_err());
        assert_eq!(labour("无劳动能力"), Ok(Some(LabourCapacity::None)));
        assert_eq!(labour("普通劳动力"), Ok(Some(LabourCapacity::Full)));
        assert_eq!(labour("弱劳动力"), Ok(Some(LabourCapacity::Weak)));
        assert_eq!(schooling("辍学"), Ok(Some((Schooling::None, Some(OutOfSchoolReason::Other)))));
        assert_eq!(serious_illness("长期慢性病"), Ok(Some(true)));
        assert_eq!(serious_illness("健康"), Ok(Some(false)));
        assert_eq!(severe_disability("二级", false), Ok(Some(true)));
        assert_eq!(severe_disability("残疾三级", false), Ok(Some(false)));
        assert_eq!(severe_disability("二级残疾", false), Ok(Some(true)));
        assert_eq!(severe_disability("是", false), Ok(Some(true)));
        // Digits: grades in a column of grades, yes/no elsewhere; 2 means nothing sure there.
        assert_eq!(severe_disability("2", true), Ok(Some(true)));
        assert_eq!(severe_disability("4", true), Ok(Some(false)));
        assert_eq!(severe_disability("1", false), Ok(Some(true)));
        assert_eq!(severe_disability("0", false), Ok(Some(false)));
        assert!(severe_disability("2", false).is_err());
        let as_of = Date::new(2023, 6, 1).expect("date");
        assert_eq!(since("是", as_of), Ok(Some(Since::UnknownDate)));
        assert_eq!(since("2021-06-01", as_of), Ok(Some(Since::Date(Date::new(2021, 6, 1).expect("date")))));
        assert_eq!(since("否", as_of), Ok(Some(Since::No)));
        assert!(since("2024-01-01", as_of).is_err());
        assert_eq!(age("71岁"), Ok(Some(71)));
        assert!(age("200").is_err());
        assert!(age("-1").is_err());
    }
}
