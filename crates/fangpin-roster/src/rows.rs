//! A roster's rows as households: the rows of one 户编号 become one [`Household`] of the core,
//! with one member per row. A household with any cell that cannot be read is kept aside with
//! every such cell (row and column), never screened on a guess.
//!
//! The builder reuses one `Household` from one household to the next, so a roster of millions
//! allocates nothing per household once it runs. Member names are kept only when asked
//! (`Detail::Names`, to explain one household); the rules do not read them.

use fangpin_core::Household;
use fangpin_core::Text;
use fangpin_core::date::Date;
use fangpin_core::household::{
    HousingGrade, IncomeItem, IncomeKind, Member, Monitoring, Relation, RigidExpense, RigidExpenseKind, limits, validate_id_number,
};
use fangpin_core::input::{TextKind, check_text};

use crate::cells::{self, CellProblem, Since};
use crate::columns::{Field, Mapping};
use crate::read::{Record, Records};

/// Characters of a 户编号 (national codes have about 20).
pub const HOUSEHOLD_ID_CHARS: usize = 64;
/// Problems kept per household; a household with more says how many more.
pub const ERRORS_KEPT: usize = 20;

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Cell(CellProblem),
    /// A household fact that an earlier row of the household gave differently.
    Differs {
        first_row: u64,
    },
    /// More members than any real household has.
    TooManyMembers,
    NoHouseholdId,
    /// The members' medical cells make more spending items than a household may have.
    TooManyItems,
    /// The row right after this household's (`next_row`) has no 户编号 (a merged cell?): it may be
    /// missing members. Said at the household's own last row: the row without one is named once,
    /// by its own problem ([`Problem::NoHouseholdId`]).
    FollowedByNoId {
        next_row: u64,
    },
    /// The 户编号 is also at `other_row`: a household's rows must follow each other. `earlier_written`:
    /// the earlier rows were already screened and written (the streaming screen cannot take them back).
    NotTogether {
        other_row: u64,
        earlier_written: bool,
    },
}

/// One problem: the row (as Excel numbers it: the header is row 1) and the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u64,
    pub column: Option<usize>,
    pub problem: Problem,
}

impl RowError {
    /// “第 12 行，“工资性收入”：…”, with the column's header as the file has it.
    pub fn message(&self, mapping: &Mapping) -> Text {
        let what = match &self.problem {
            Problem::Cell(p) => p.message(),
            Problem::Differs { first_row } => Text::new(
                format!("同一户在第 {first_row} 行写的不一样，请只写一种。"),
                format!("Row {first_row} of the same household says something else; please write it one way."),
            ),
            Problem::TooManyMembers => Text::new(
                format!("这一户超过 {} 人，请看户编号是不是写错了。", limits::MEMBERS),
                format!("This household has more than {} members; please check the household number.", limits::MEMBERS),
            ),
            Problem::NoHouseholdId => Text::lit("没有户编号。", "The household number is missing."),
            Problem::TooManyItems => Text::lit("这一户的医疗支出条目太多。", "This household has too many medical spending items."),
            Problem::FollowedByNoId { next_row } => Text::new(
                format!("下一行（第 {next_row} 行）没有户编号（是合并的单元格吗？），这一户可能因此少了成员。请每一行都写上户编号。"),
                format!(
                    "The next row ({next_row}) has no household number (a merged cell?), so this household may be missing members. Please give every row its household number."
                ),
            ),
            Problem::NotTogether { other_row, earlier_written } => {
                let (zh, en) = if *earlier_written {
                    (
                        "先出现的那几行已经按它们自己筛查、写进了结果，不可靠。",
                        " The earlier rows were already screened on their own and written out: do not rely on them.",
                    )
                } else {
                    ("", "")
                };
                Text::new(
                    format!("这个户编号在第 {other_row} 行也有：同一户的各行要挨在一起。请按户编号排序后再筛查。{zh}"),
                    format!(
                        "This household number also appears at row {other_row}: a household's rows must follow each other. Please sort the roster by household number and screen again.{en}"
                    ),
                )
            }
        };
        let header = self.column.and_then(|c| mapping.headers.get(c)).map(|h| h.trim()).filter(|h| !h.is_empty());
        match header {
            Some(h) => Text::new(format!("第 {} 行“{h}”：{}", self.row, what.zh), format!("Row {}, “{h}”: {}", self.row, what.en)),
            None => Text::new(format!("第 {} 行：{}", self.row, what.zh), format!("Row {}: {}", self.row, what.en)),
        }
    }
}

/// `s` without white space at either end, like `str::trim`, but without decoding characters when
/// neither end can be white space (the usual cell, ASCII or Chinese).
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let n = b.len();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else { return s };
    // White space beyond ASCII is U+0085, U+00A0 (C2 ..), U+1680 (E1 ..), U+2000–U+205F (E2 ..),
    // U+3000 (E3 ..): a character at either end can be one only when it starts with these bytes.
    let lead = |c: u8| matches!(c, 0xC2 | 0xE1 | 0xE2 | 0xE3);
    let may_lead = first <= b' ' || lead(first);
    let may_end = last <= b' ' || (n >= 2 && b[n - 2] == 0xC2) || (n >= 3 && lead(b[n - 3]));
    if may_lead || may_end { s.trim() } else { s }
}

/// How much of each row to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// What the rules read (the batch).
    Decide,
    /// Also every member's name and ID number (one household, explained).
    Names,
}

/// A household the rows gave, screened or kept aside.
pub enum Finished<'a> {
    Household(Parsed<'a>),
    KeptAside { id: &'a str, first_row: u64, rows: u64, errors: &'a [RowError], more_errors: usize },
}

pub struct Parsed<'a> {
    pub id: &'a str,
    pub first_row: u64,
    pub rows: u64,
    pub household: &'a Household,
}

/// The household facts, in the order they are kept from a household's first row that gives them.
const HOUSEHOLD_FIELDS: [Field; 12] = [
    Field::HouseholdId,
    Field::Village,
    Field::FormerlyPoor,
    Field::MonitoredSince,
    Field::IncomeWage,
    Field::IncomeBusiness,
    Field::IncomeProperty,
    Field::IncomeTransfer,
    Field::BusinessCosts,
    Field::SchoolingNonCompulsory,
    Field::OtherRigid,
    Field::HousingGrade,
];

/// One row's cells by field.
struct Cells<'a>([&'a str; Field::COUNT]);

impl<'a> Cells<'a> {
    const EMPTY: Cells<'static> = Cells([""; Field::COUNT]);

    fn get(&self, f: Field) -> &'a str {
        self.0[f as usize]
    }
}

/// Turns rows into households. Feed it records with [`Builder::push`], then [`Builder::finish`].
pub struct Builder {
    as_of: Date,
    detail: Detail,
    /// The column of each field (`Field as usize`).
    col: Vec<Option<usize>>,
    /// By column: the field it gives (`Field as usize`), or `Field::COUNT` for a column not read
    /// (a field mapped twice is read from its first column, as `col` says).
    field_of_column: Vec<usize>,
    h: Household,
    id: String,
    first_row: u64,
    rows: u64,
    /// Per `HOUSEHOLD_FIELDS`: the first value given and its row (row 0: not given yet).
    given: Vec<(String, u64)>,
    head_seen: bool,
    /// The row last added (blank rows are not).
    last_row: u64,
    /// The household facts the mapping reads: (slot in `given`, field). Only these are looked at
    /// on each row.
    household_cols: Vec<(usize, Field)>,
    /// The 重度残疾 column holds grades (its header says 等级 or 级别): `2` is grade 二级, not "no".
    disability_grades: bool,
    errors: Vec<RowError>,
    more_errors: usize,
    open: bool,
}

impl Builder {
    pub fn new(mapping: &Mapping, as_of: Date, detail: Detail) -> Builder {
        let mut col = vec![None; Field::ALL.len()];
        for (i, f) in mapping.columns.iter().enumerate() {
            if let Some(f) = f {
                col[*f as usize].get_or_insert(i);
            }
        }
        let disability_grades = mapping
            .column(Field::SevereDisability)
            .and_then(|c| mapping.headers.get(c))
            .is_some_and(|h| h.contains("等级") || h.contains("级别"));
        let mut field_of_column = vec![Field::COUNT; col.iter().flatten().max().map_or(0, |c| c + 1)];
        for (f, c) in col.iter().enumerate() {
            if let Some(c) = c {
                field_of_column[*c] = f;
            }
        }
        Builder {
            as_of,
            detail,
            field_of_column,
            disability_grades,
            last_row: 0,
            household_cols: HOUSEHOLD_FIELDS
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, f)| col[**f as usize].is_some())
                .map(|(slot, f)| (slot, *f))
                .collect(),
            col,
            h: Household::default(),
            id: String::new(),
            first_row: 0,
            rows: 0,
            given: vec![(String::new(), 0); HOUSEHOLD_FIELDS.len()],
            head_seen: false,
            errors: Vec::new(),
            more_errors: 0,
            open: false,
        }
    }

    /// The row's cells by field (`Field as usize`), trimmed; empty for a field with no column.
    fn cells<'a>(&self, rec: &'a Record, input: &'a str, v: &mut Cells<'a>) {
        for (c, &f) in self.field_of_column.iter().enumerate().filter(|(_, f)| **f < Field::COUNT) {
            let cell = rec.get(input, c);
            if !cell.is_empty() {
                v.0[f] = trim(cell);
            }
        }
    }

    fn error(&mut self, row: u64, f: Option<Field>, problem: Problem) {
        if self.errors.len() < ERRORS_KEPT {
            let column = f.and_then(|f| self.col[f as usize]);
            self.errors.push(RowError { row, column, problem });
        } else {
            self.more_errors += 1;
        }
    }

    /// Adds row `row` (its record read from `input`). A row with another 户编号 first hands the
    /// household before it to `done`. Blank rows are skipped.
    pub fn push(&mut self, row: u64, rec: &Record, input: &str, done: &mut impl FnMut(Finished<'_>)) {
        let mut cells = Cells::EMPTY;
        self.cells(rec, input, &mut cells);
        let blank = cells.get(Field::HouseholdId).is_empty() && rec.is_blank(input);
        self.push_cells(row, &cells, blank, done);
    }

    /// Reads the next record of `records`, an input without quotes ([`Records::is_plain`]), and
    /// adds it as row `row`, as [`Builder::push`] does; `false` at the end. No record is kept: each
    /// cell goes straight to its field as the reader finds it.
    pub fn push_plain(&mut self, row: u64, records: &mut Records<'_>, done: &mut impl FnMut(Finished<'_>)) -> bool {
        let mut cells = Cells::EMPTY;
        let mut blank = true;
        let fields = &self.field_of_column;
        let read = records.next_plain_each(|col, cell| {
            let cell = trim(cell);
            blank &= cell.is_empty();
            if let Some(&f) = fields.get(col)
                && f < Field::COUNT
            {
                cells.0[f] = cell;
            }
        });
        if read {
            self.push_cells(row, &cells, blank, done);
        }
        read
    }

    /// Adds a row from its cells (`blank`: every cell of the record is empty or white space).
    fn push_cells(&mut self, row: u64, cells: &Cells, blank: bool, done: &mut impl FnMut(Finished<'_>)) {
        let id = cells.get(Field::HouseholdId);
        if id.is_empty() && blank {
            return;
        }
        // Right under a household's rows (no blank row between), a row without a 户编号 is most
        // likely a merged cell: the household above cannot be trusted to be whole.
        if id.is_empty() && self.open && !self.id.is_empty() && self.last_row + 1 == row {
            self.error(self.last_row, Some(Field::HouseholdId), Problem::FollowedByNoId { next_row: row });
        }
        self.last_row = row;
        if !self.open || id != self.id {
            self.finish(done);
            self.start(row, id);
        } else if id.is_empty() {
            // Every row of a run without a 户编号 is named (a clerk fixed the first of three and
            // screened again without knowing of the other two).
            self.error(row, Some(Field::HouseholdId), Problem::NoHouseholdId);
        }
        self.rows += 1;
        self.member_row(row, cells);
        self.household_row(row, cells);
    }

    /// Hands over the household in progress, if any.
    pub fn finish(&mut self, done: &mut impl FnMut(Finished<'_>)) {
        if !self.open {
            return;
        }
        self.open = false;
        if self.errors.is_empty() {
            done(Finished::Household(Parsed { id: &self.id, first_row: self.first_row, rows: self.rows, household: &self.h }));
        } else {
            done(Finished::KeptAside {
                id: &self.id,
                first_row: self.first_row,
                rows: self.rows,
                errors: &self.errors,
                more_errors: self.more_errors,
            });
        }
    }

    fn start(&mut self, row: u64, id: &str) {
        self.open = true;
        self.id.clear();
        self.id.push_str(id);
        self.first_row = row;
        self.rows = 0;
        self.errors.clear();
        self.more_errors = 0;
        self.head_seen = false;
        for g in &mut self.given {
            g.0.clear();
            g.1 = 0;
        }
        let h = &mut self.h;
        h.head_name.clear();
        h.village.clear();
        h.members.clear();
        h.formerly_poor = false;
        h.monitoring = None;
        h.income.clear();
        h.business_costs.clear();
        h.rigid_expenses.clear();
        h.housing_grade = HousingGrade::Unknown;
        if id.is_empty() {
            self.error(row, Some(Field::HouseholdId), Problem::NoHouseholdId);
        } else if check_text(id, TextKind::Line, HOUSEHOLD_ID_CHARS).is_err() {
            self.error(row, Some(Field::HouseholdId), Problem::Cell(CellProblem::Text));
        }
    }

    fn member_row(&mut self, row: u64, cells: &Cells) {
        if self.h.members.len() >= limits::MEMBERS {
            if self.h.members.len() == limits::MEMBERS && self.rows == limits::MEMBERS as u64 + 1 {
                self.error(row, None, Problem::TooManyMembers);
            }
            return;
        }
        let as_of = self.as_of;
        let mut m = Member::default();
        let name = cells.get(Field::Name);
        let mut bad: Vec<(Field, CellProblem)> = Vec::new();
        let mut read = |f: Field, r: Result<(), CellProblem>| {
            if let Err(p) = r {
                bad.push((f, p));
            }
        };
        read(Field::Name, check_text(name, TextKind::Line, limits::NAME_CHARS).map_err(|_| CellProblem::Text));
        let c = |f| cells.get(f);
        read(Field::Relation, cells::relation(c(Field::Relation)).map(|r| m.relation = r.unwrap_or(Relation::Other)));
        let id = c(Field::IdNumber);
        if !id.is_empty() {
            let birth = validate_id_number(id)
                .map_err(CellProblem::IdNumber)
                .and_then(|b| if b > as_of { Err(CellProblem::DateAfterScreening) } else { Ok(b) });
            read(Field::IdNumber, birth.map(|b| m.birth_date = Some(b)));
        }
        // A birth date column, where given, is what the rules use (it may correct an ID's date).
        read(Field::BirthDate, cells::past_date(c(Field::BirthDate), as_of).map(|d| m.birth_date = d.or(m.birth_date)));
        read(Field::Age, cells::age(c(Field::Age)).map(|a| m.age = a));
        read(Field::Labour, cells::labour(c(Field::Labour)).map(|l| m.labour = l.unwrap_or_default()));
        read(
            Field::Schooling,
            cells::schooling(c(Field::Schooling)).map(|s| {
                if let Some((s, out)) = s {
                    m.schooling = s;
                    m.out_of_school = out;
                }
            }),
        );
        read(Field::SeriousIllness, cells::serious_illness(c(Field::SeriousIllness)).map(|v| m.serious_illness = v.unwrap_or(false)));
        read(
            Field::SevereDisability,
            cells::severe_disability(c(Field::SevereDisability), self.disability_grades).map(|v| m.severe_disability = v.unwrap_or(false)),
        );
        read(Field::MedicalInsurance, cells::yes_no(c(Field::MedicalInsurance)).map(|v| m.medical_insurance = v));
        // “是” without a date: receiving since a date the roster does not give, read as before
        // this year (so not “new this year”); the earliest date the calendar has stands for it.
        let unknown_start = Date::new(fangpin_core::date::MIN_YEAR, 1, 1).unwrap_or(as_of);
        let since = |s: Option<Since>| match s {
            Some(Since::Date(d)) => Some(d),
            Some(Since::UnknownDate) => Some(unknown_start),
            Some(Since::No) | None => None,
        };
        read(Field::Dibao, cells::since(c(Field::Dibao), as_of).map(|s| m.dibao_since = since(s)));
        read(Field::Tekun, cells::since(c(Field::Tekun), as_of).map(|s| m.tekun_since = since(s)));
        let medical = cells::amount(c(Field::MedicalOutOfPocket));
        read(Field::MedicalOutOfPocket, medical.map(|_| ()));
        for (f, p) in bad {
            self.error(row, Some(f), Problem::Cell(p));
        }
        if m.relation == Relation::Head && !self.head_seen {
            self.head_seen = true;
            self.h.head_name.clear();
            self.h.head_name.push_str(name);
        } else if self.h.members.is_empty() && !self.head_seen {
            self.h.head_name.push_str(name);
        }
        if self.detail == Detail::Names {
            m.name = name.to_string();
            m.id_number = (!id.is_empty()).then(|| id.to_string());
        }
        if let Ok(Some(amount)) = medical
            && !amount.is_zero()
        {
            if self.h.rigid_expenses.len() >= limits::ITEMS {
                self.error(row, Some(Field::MedicalOutOfPocket), Problem::TooManyItems);
            } else {
                let member = Some(self.h.members.len());
                self.h.rigid_expenses.push(RigidExpense {
                    kind: RigidExpenseKind::MedicalOther,
                    amount,
                    description: String::new(),
                    member,
                });
            }
        }
        self.h.members.push(m);
    }

    fn household_row(&mut self, row: u64, cells: &Cells) {
        for i in 0..self.household_cols.len() {
            let (slot, f) = self.household_cols[i];
            let v = cells.get(f);
            if v.is_empty() {
                continue;
            }
            let (first, first_row) = &self.given[slot];
            if *first_row != 0 {
                if first != v {
                    let first_row = *first_row;
                    self.error(row, Some(f), Problem::Differs { first_row });
                }
                continue;
            }
            self.given[slot].0.push_str(v);
            self.given[slot].1 = row;
            if let Err(p) = self.set(f, v) {
                self.error(row, Some(f), Problem::Cell(p));
            }
        }
    }

    fn set(&mut self, f: Field, v: &str) -> Result<(), CellProblem> {
        let h = &mut self.h;
        let income = |h: &mut Household, kind: IncomeKind, v: &str| -> Result<(), CellProblem> {
            if let Some(amount) = cells::amount(v)? {
                h.income.push(IncomeItem { kind, amount, label: String::new(), item: None, member: None });
            }
            Ok(())
        };
        let spending = |h: &mut Household, kind: RigidExpenseKind, v: &str| -> Result<(), CellProblem> {
            if let Some(amount) = cells::amount(v)?.filter(|a| !a.is_zero()) {
                h.rigid_expenses.push(RigidExpense { kind, amount, description: String::new(), member: None });
            }
            Ok(())
        };
        match f {
            Field::Village => {
                check_text(v, TextKind::Line, limits::SHORT_CHARS).map_err(|_| CellProblem::Text)?;
                h.village.push_str(v);
            }
            Field::FormerlyPoor => h.formerly_poor = cells::yes_no(v)?.unwrap_or(false),
            Field::MonitoredSince => {
                h.monitoring = match cells::since(v, self.as_of)? {
                    Some(Since::Date(since)) => Some(Monitoring { since, income_stable_since: None, risk_gone_naturally: false }),
                    // Monitored, the date not given: monitored on the screening date.
                    Some(Since::UnknownDate) => {
                        Some(Monitoring { since: self.as_of, income_stable_since: None, risk_gone_naturally: false })
                    }
                    Some(Since::No) | None => None,
                }
            }
            Field::IncomeWage => income(h, IncomeKind::Wage, v)?,
            Field::IncomeBusiness => income(h, IncomeKind::Business, v)?,
            Field::IncomeProperty => income(h, IncomeKind::Property, v)?,
            Field::IncomeTransfer => income(h, IncomeKind::Transfer, v)?,
            Field::BusinessCosts => {
                if let Some(amount) = cells::amount(v)? {
                    h.business_costs.push(fangpin_core::household::CostItem { amount, label: String::new() });
                }
            }
            Field::SchoolingNonCompulsory => spending(h, RigidExpenseKind::SchoolingNonCompulsory, v)?,
            Field::OtherRigid => spending(h, RigidExpenseKind::Other, v)?,
            Field::HousingGrade => h.housing_grade = cells::housing(v)?.unwrap_or(HousingGrade::Unknown),
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    /// Every household the builder hands over, as text, with the rows read by `push` (from
    /// records) or by `push_plain` (straight from the reader).
    fn households(text: &str, plain: bool) -> Vec<String> {
        let mut records = Records::new(text, b',');
        let mut rec = Record::default();
        records.next_into(&mut rec);
        let headers: Vec<String> = (0..rec.len()).map(|i| rec.get(text, i).to_string()).collect();
        let mut b = Builder::new(&Mapping::recognise(&headers), Date::new(2023, 6, 1).expect("date"), Detail::Names);
        let mut out = Vec::new();
        let mut done = |f: Finished<'_>| {
            out.push(match f {
                Finished::Household(p) => format!("{} {} {} {:?}", p.id, p.first_row, p.rows, p.household),
                Finished::KeptAside { id, first_row, rows, errors, more_errors } => {
                    format!("{id} {first_row} {rows} {errors:?} {more_errors}")
                }
            })
        };
        let mut row = 2;
        if plain {
            assert!(records.is_plain());
            while b.push_plain(row, &mut records, &mut done) {
                row += 1;
            }
        } else {
            while records.next_into(&mut rec) {
                b.push(row, &rec, text, &mut done);
                row += 1;
            }
        }
        b.finish(&mut done);
        out
    }

    #[test]
    fn rows_straight_from_the_reader_are_rows_from_records() {
        // The made-up roster with its cells changed at random: spaces, blanks, short and long rows,
        // rows without a 户编号, values to refuse, characters beyond ASCII (and no quotes).
        let mut text = String::new();
        sample::roster(300, 3, &mut text);
        let swaps =
            [" ", "", "是 ", "\u{3000}否", "１２", "1.2万", "abc", "🙂", "2023/6/1", "二级", "本人", "\t", "2030-01-01", ",,", "\u{a0}"];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut mixed = String::new();
        for (i, line) in text.lines().enumerate() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut cells: Vec<&str> = line.split(',').collect();
            if i > 0 && x.is_multiple_of(3) {
                let at = (x >> 8) as usize % cells.len();
                cells[at] = swaps[(x >> 20) as usize % swaps.len()];
            }
            if i > 0 && x.is_multiple_of(17) {
                cells.truncate(3);
            }
            mixed.push_str(&cells.join(","));
            mixed.push_str(if x.is_multiple_of(5) { "\r\n" } else { "\n" });
            if x.is_multiple_of(23) {
                mixed.push_str(if x.is_multiple_of(2) { "\n" } else { " , ,\n" });
            }
        }
        let records = households(&mixed, false);
        assert!(records.len() > 250, "{}", records.len());
        assert!(records.iter().any(|h| h.contains("Cell(")), "some kept aside");
        assert_eq!(households(&mixed, true), records);
    }

    #[test]
    fn trim_is_str_trim() {
        for s in ["", " a ", "村", " 村\u{3000}", "\u{a0}x", "x\u{2028}", "\t1\r", "张🙂", "\u{feff}x", "a\u{85}", "\u{1680}b", "9"] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
        // Every character at either end, alone or beside ASCII and Chinese.
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("{c}x"), format!("x{c}"), format!("张{c}"), format!("{c}张")] {
                assert_eq!(super::trim(&s), s.trim(), "{s:?}");
            }
        }
    }
}
