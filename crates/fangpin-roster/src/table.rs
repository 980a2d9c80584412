//! A screened roster held in memory, as the browser shows it: one compact row per household,
//! filtered, searched and sorted; the summary by village; one household explained on demand
//! (its rows read again, names kept); the flagged households and the kept-aside rows as CSV.

use std::collections::HashMap;

use fangpin_core::assessment::{Assessment, screen};
use fangpin_core::csv;
use fangpin_core::date::Date;
use fangpin_core::money::Money;
use fangpin_core::policy::Profile;
use fangpin_core::{RiskCode, Text, assess};
use fangpin_visits::VisitOutcome;

use crate::columns::{Field, Mapping};
use crate::read::{Record, Records, separator};
use crate::rows::{Builder, Detail, Finished, Problem, RowError};
use crate::screen::{Format, Line, Screen};

/// One screened household.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub first_row: u64,
    pub id: String,
    /// Index into [`Table::villages`].
    pub village: u32,
    pub head: String,
    pub members: u32,
    /// Its rows in the roster.
    pub rows: u64,
    pub net_income: Money,
    /// Rounded for display (the decision used the exact fraction).
    pub per_capita: Option<Money>,
    /// Range − per capita, per person, when below the range.
    pub gap: Option<Money>,
    pub below_range: bool,
    pub outcome: VisitOutcome,
    /// Bit `RiskCode as u32`.
    pub risks: u32,
    pub no_labour: bool,
    /// Where its rows are in the text (to explain it).
    span: (usize, usize),
}

impl Row {
    pub fn has(&self, c: RiskCode) -> bool {
        self.risks & (1 << c as u32) != 0
    }
    pub fn risk_codes(&self) -> impl Iterator<Item = RiskCode> + '_ {
        RiskCode::ALL.into_iter().filter(|c| self.has(*c))
    }
}

/// A household kept aside, with its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptAside {
    /// Empty for rows without a 户编号 (no household: counted by their rows).
    pub id: String,
    pub first_row: u64,
    pub rows: u64,
    pub errors: Vec<RowError>,
    pub more_errors: usize,
}

pub struct Table {
    pub mapping: Mapping,
    pub profile_id: String,
    pub as_of: Date,
    pub rows: Vec<Row>,
    pub kept_aside: Vec<KeptAside>,
    pub villages: Vec<String>,
    /// Rows after the header, blank ones included.
    pub row_count: u64,
    sep: u8,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// As in the file.
    Row,
    /// The largest gap to the range first (the households furthest below it).
    Gap,
    PerCapita,
    Village,
    /// Categories first, then visits, tell the village, no risk.
    Outcome,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Row, Sort::Gap, Sort::PerCapita, Sort::Village, Sort::Outcome];
    pub fn code(self) -> &'static str {
        match self {
            Sort::Row => "row",
            Sort::Gap => "gap",
            Sort::PerCapita => "per_capita",
            Sort::Village => "village",
            Sort::Outcome => "outcome",
        }
    }
    pub fn from_code(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label(self) -> Text {
        match self {
            Sort::Row => Text::lit("按名单顺序", "As in the roster"),
            Sort::Gap => Text::lit("离监测范围最远的在前", "Furthest below the range first"),
            Sort::PerCapita => Text::lit("人均纯收入从低到高", "Per-capita income, lowest first"),
            Sort::Village => Text::lit("按村", "By village"),
            Sort::Outcome => Text::lit("按结论", "By outcome"),
        }
    }
}

/// Which households to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub outcome: Option<VisitOutcome>,
    /// Only households with some risk, or with this one.
    pub risk: Option<RiskFilter>,
    pub village: Option<u32>,
    pub below_range: bool,
    /// Household number, head or village containing this (as typed; case and width folded).
    pub search: String,
    pub sort: Sort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskFilter {
    Any,
    KeyGroup,
    Code(RiskCode),
}

impl Default for Query {
    fn default() -> Query {
        Query { outcome: None, risk: None, village: None, below_range: false, search: String::new(), sort: Sort::Row }
    }
}

/// The counts of one village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageSummary {
    pub village: String,
    pub households: u64,
    pub members: u64,
    /// By `VisitOutcome::ALL`.
    pub by_outcome: [u64; 6],
    pub below_range: u64,
}

fn fold(s: &str) -> String {
    s.chars().map(fangpin_core::input::fold_width).flat_map(char::to_lowercase).collect()
}

impl Table {
    /// Screens `text` (the whole roster, header first) under `mapping` (from its header row).
    /// `progress(bytes done)` is called now and then (the browser's progress bar).
    pub fn screen(text: &str, mapping: Mapping, profile: &Profile, as_of: Date, mut progress: impl FnMut(usize)) -> Table {
        let sep = separator(text.lines().next().unwrap_or(""));
        let mut table = Table {
            mapping,
            profile_id: profile.id.clone(),
            as_of,
            rows: Vec::new(),
            kept_aside: Vec::new(),
            villages: Vec::new(),
            row_count: 0,
            sep,
        };
        let mut records = Records::new(text, sep);
        let mut rec = Record::default();
        records.next_into(&mut rec); // the header
        let id_col = table.mapping.column(Field::HouseholdId);
        let mut builder = Builder::new(&table.mapping, as_of, Detail::Decide);
        let mut row = 2u64;
        // Where the household in progress starts, by the builder's own rule (a row with another 户编号).
        let mut household_start = records.position();
        let mut last_id: Option<String> = None;
        let mut next_progress = 0;
        let Table { rows, kept_aside, villages, .. } = &mut table;
        let mut village_index: HashMap<String, u32> = HashMap::new();
        let mut keep = |f: Finished<'_>, span: (usize, usize)| match f {
            Finished::Household(p) => {
                let d = screen(p.household, profile, as_of);
                let village = *village_index.entry(p.household.village.clone()).or_insert_with(|| {
                    villages.push(p.household.village.clone());
                    (villages.len() - 1) as u32
                });
                let range = profile.monitoring_range.amount;
                rows.push(Row {
                    first_row: p.first_row,
                    id: p.id.to_string(),
                    village,
                    head: p.household.head_name.clone(),
                    members: d.income.members_counted,
                    rows: p.rows,
                    net_income: d.income.net_total,
                    per_capita: d.income.per_capita.map(|pc| pc.rounded()),
                    gap: d.income.per_capita.filter(|_| d.income.below_range).map(|pc| pc.gap_to(range)),
                    below_range: d.income.below_range,
                    outcome: VisitOutcome::of_screening(&d),
                    risks: RiskCode::ALL.iter().filter(|c| d.risks.contains(**c)).fold(0, |m, c| m | 1 << *c as u32),
                    no_labour: d.labour.no_labour,
                    span,
                });
            }
            Finished::KeptAside { id, first_row, rows, errors, more_errors } => {
                kept_aside.push(KeptAside { id: id.to_string(), first_row, rows, errors: errors.to_vec(), more_errors });
            }
        };
        loop {
            let at = records.position();
            if !records.next_into(&mut rec) {
                let end = text.len();
                builder.finish(&mut |f| keep(f, (household_start, end)));
                break;
            }
            let id = id_col.map_or("", |c| rec.get(text, c).trim());
            let starts = !(id.is_empty() && rec.is_blank(text)) && last_id.as_deref() != Some(id);
            let span = (household_start, at);
            builder.push(row, &rec, text, &mut |f| keep(f, span));
            if starts {
                household_start = at;
                last_id = Some(id.to_string());
            }
            row += 1;
            if at >= next_progress {
                progress(at);
                next_progress = at + (1 << 20);
            }
        }
        table.row_count = row - 2;
        table.keep_aside_repeated_ids();
        table
    }

    /// A 户编号 that occurs twice or more, its rows not together: every occurrence is kept aside
    /// (none is screened on part of its rows), each naming the other's row.
    fn keep_aside_repeated_ids(&mut self) {
        let mut at: HashMap<&str, Vec<u64>> = HashMap::new();
        for (id, row) in
            self.rows.iter().map(|r| (r.id.as_str(), r.first_row)).chain(self.kept_aside.iter().map(|k| (k.id.as_str(), k.first_row)))
        {
            if !id.is_empty() {
                at.entry(id).or_default().push(row);
            }
        }
        let repeated: HashMap<String, Vec<u64>> =
            at.into_iter().filter(|(_, rows)| rows.len() > 1).map(|(id, rows)| (id.to_string(), rows)).collect();
        if repeated.is_empty() {
            return;
        }
        let column = self.mapping.column(Field::HouseholdId);
        let other = |id: &str, row: u64| repeated.get(id).and_then(|rows| rows.iter().copied().find(|r| *r != row)).unwrap_or(row);
        let problem = |id: &str, row: u64| RowError {
            row,
            column,
            problem: Problem::NotTogether { other_row: other(id, row), earlier_written: false },
        };
        let (moved, kept): (Vec<Row>, Vec<Row>) = std::mem::take(&mut self.rows).into_iter().partition(|r| repeated.contains_key(&r.id));
        self.rows = kept;
        for k in self.kept_aside.iter_mut().filter(|k| repeated.contains_key(&k.id)) {
            k.errors.insert(0, problem(&k.id, k.first_row));
        }
        for r in moved {
            self.kept_aside.push(KeptAside {
                errors: vec![problem(&r.id, r.first_row)],
                id: r.id,
                first_row: r.first_row,
                rows: r.rows,
                more_errors: 0,
            });
        }
        self.kept_aside.sort_by_key(|k| k.first_row);
    }

    /// The households the query picks, in its order (indexes into `rows`).
    pub fn view(&self, q: &Query) -> Vec<u32> {
        let search = fold(q.search.trim());
        let mut picked: Vec<u32> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                q.outcome.is_none_or(|o| r.outcome == o)
                    && q.village.is_none_or(|v| r.village == v)
                    && (!q.below_range || r.below_range)
                    && match q.risk {
                        None => true,
                        Some(RiskFilter::Any) => r.risks != 0,
                        Some(RiskFilter::KeyGroup) => r.risk_codes().any(|c| c.is_key_group()),
                        Some(RiskFilter::Code(c)) => r.has(c),
                    }
                    && (search.is_empty()
                        || fold(&r.id).contains(&search)
                        || fold(&r.head).contains(&search)
                        || self.villages.get(r.village as usize).is_some_and(|v| fold(v).contains(&search)))
            })
            .map(|(i, _)| i as u32)
            .collect();
        let row = |i: &u32| &self.rows[*i as usize];
        let rank = |o: VisitOutcome| VisitOutcome::ALL.iter().position(|x| *x == o).unwrap_or(0);
        match q.sort {
            Sort::Row => {}
            // Stable sorts: ties keep the roster's order.
            Sort::Gap => picked.sort_by(|a, b| row(b).gap.unwrap_or(Money::ZERO).cmp(&row(a).gap.unwrap_or(Money::ZERO))),
            Sort::PerCapita => picked.sort_by_key(|i| (row(i).per_capita.is_none(), row(i).per_capita)),
            Sort::Village => picked.sort_by(|a, b| self.villages[row(a).village as usize].cmp(&self.villages[row(b).village as usize])),
            Sort::Outcome => picked.sort_by_key(|i| rank(row(i).outcome)),
        }
        picked
    }

    /// The counts of each village, in the order villages first appear.
    pub fn summary(&self) -> Vec<VillageSummary> {
        let mut out: Vec<VillageSummary> = self
            .villages
            .iter()
            .map(|v| VillageSummary { village: v.clone(), households: 0, members: 0, by_outcome: [0; 6], below_range: 0 })
            .collect();
        for r in &self.rows {
            let s = &mut out[r.village as usize];
            s.households += 1;
            s.members += u64::from(r.members);
            s.below_range += u64::from(r.below_range);
            if let Some(k) = VisitOutcome::ALL.iter().position(|o| *o == r.outcome) {
                s.by_outcome[k] += 1;
            }
        }
        out
    }

    /// Household `i` explained: its rows read again from `text` (the same text it was screened
    /// from), with names, and assessed with the words.
    pub fn explain(&self, text: &str, i: usize, profile: &Profile) -> Option<(fangpin_core::Household, Assessment)> {
        let r = self.rows.get(i)?;
        let mut builder = Builder::new(&self.mapping, self.as_of, Detail::Names);
        // Its own rows, read from where they start in the whole text (where a cell may begin
        // with anything, a byte-order mark included).
        let mut records = Records::from_position(text, r.span.0, self.sep);
        let mut rec = Record::default();
        let mut found = None;
        let mut row = r.first_row;
        let mut take = |f: Finished<'_>| {
            if let Finished::Household(p) = f
                && found.is_none()
            {
                found = Some(p.household.clone());
            }
        };
        while records.position() < r.span.1 && records.next_into(&mut rec) {
            builder.push(row, &rec, text, &mut take);
            row += 1;
        }
        builder.finish(&mut take);
        let h = found?;
        let a = assess(&h, profile, self.as_of);
        Some((h, a))
    }

    /// The households of `picked` that need a visit or a word with the village (every outcome but
    /// 暂无风险), as CSV for the home visits: the screened columns, formulas defused.
    pub fn flagged_csv(&self, picked: &[u32], profile: &Profile, lang: &str) -> String {
        // The same lines `fangpin screen` writes.
        let screen = Screen::new(profile, self.as_of, Format::Csv, lang);
        let mut out = String::new();
        screen.header(&mut out);
        for r in picked.iter().filter_map(|i| self.rows.get(*i as usize)).filter(|r| r.outcome != VisitOutcome::NoRisk) {
            let line = Line {
                first_row: r.first_row,
                id: &r.id,
                village: self.villages.get(r.village as usize).map_or("", String::as_str),
                head: &r.head,
                members: r.members,
                net_income: r.net_income,
                per_capita: r.per_capita,
                gap: r.gap,
                below_range: r.below_range,
                outcome: r.outcome,
                risks: r.risk_codes(),
                no_labour: r.no_labour,
            };
            screen.write_csv_line(&mut out, line);
        }
        out
    }

    /// The kept-aside rows as CSV: one line per problem.
    pub fn kept_aside_csv(&self, lang: &str) -> String {
        let mut out = String::from(csv::BOM);
        csv::row(&mut out, crate::screen::ERRORS_HEADER.iter().map(|h| (h.get(lang), false)));
        for k in &self.kept_aside {
            for e in &k.errors {
                let column = e.column.and_then(|c| self.mapping.headers.get(c)).map_or("", |h| h.trim()).to_string();
                let cells = [
                    (e.row.to_string(), false),
                    (k.id.clone(), true),
                    (column, false),
                    (e.message(&self.mapping).get(lang).to_string(), false),
                ];
                csv::row(&mut out, cells.iter().map(|(v, d)| (v.as_str(), *d)));
            }
            if k.more_errors > 0 {
                let more =
                    Text::new(format!("还有 {} 处问题没有列出。", k.more_errors), format!("{} more problems not listed.", k.more_errors));
                let cells =
                    [(k.first_row.to_string(), false), (k.id.clone(), true), (String::new(), false), (more.get(lang).to_string(), false)];
                csv::row(&mut out, cells.iter().map(|(v, d)| (v.as_str(), *d)));
            }
        }
        out
    }
}
