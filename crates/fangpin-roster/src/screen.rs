//! A household of the roster screened: the core's `decide()` (no words written), and the result
//! as a CSV row or a JSON line. The explained assessment is made only when someone asks for one
//! household (`fangpin screen --explain`, a row opened in the browser).

use std::fmt::Write as _;

use fangpin_core::assessment::{Screening, screen};
use fangpin_core::csv;
use fangpin_core::date::Date;
use fangpin_core::money::Money;
use fangpin_core::policy::Profile;
use fangpin_core::{RiskCode, Text};
use fangpin_visits::VisitOutcome;

use crate::columns::Mapping;
use crate::rows::{Parsed, RowError};

/// What `fangpin screen` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For Excel: UTF-8 with BOM, headers in the chosen language, formulas defused.
    Csv,
    /// One JSON object per line, codes instead of words.
    Jsonl,
}

/// The columns of the screened CSV.
pub const HEADER: [Text; 14] = [
    Text::lit("行号", "Row"),
    Text::lit("户编号", "Household number"),
    Text::lit("村", "Village"),
    Text::lit("户主", "Head"),
    Text::lit("人数", "Members"),
    Text::lit("家庭纯收入（元）", "Net income (yuan)"),
    Text::lit("人均纯收入（元）", "Per-capita net income (yuan)"),
    Text::lit("监测范围（元）", "Monitoring range (yuan)"),
    Text::lit("低于监测范围", "Below the range"),
    Text::lit("差额（元/人）", "Gap (yuan per person)"),
    Text::lit("结论", "Outcome"),
    Text::lit("风险", "Risks"),
    Text::lit("整户无劳动能力", "No one can work"),
    Text::lit("政策", "Policy"),
];

/// The columns of the kept-aside CSV.
pub const ERRORS_HEADER: [Text; 4] =
    [Text::lit("行号", "Row"), Text::lit("户编号", "Household number"), Text::lit("列", "Column"), Text::lit("问题", "Problem")];

/// Everything a screen writes that is the same for every household.
pub struct Screen<'p> {
    pub profile: &'p Profile,
    pub as_of: Date,
    pub format: Format,
    pub lang: &'static str,
    /// The range as every row shows it, its provisional mark included.
    range: String,
}

impl<'p> Screen<'p> {
    pub fn new(profile: &'p Profile, as_of: Date, format: Format, lang: &str) -> Screen<'p> {
        let lang = if lang == "en" { "en" } else { "zh" };
        let mut range = String::new();
        let _ = profile.monitoring_range.amount.write_fixed2(&mut range);
        if profile.monitoring_range.provenance.provisional && format == Format::Csv {
            range.push_str(if lang == "en" { " (provisional)" } else { "（暂定）" });
        }
        Screen { profile, as_of, format, lang, range }
    }

    /// The rules a row shows, by the core's own `screen` (the start of `decide`).
    pub fn decide(&self, p: &Parsed) -> Screening {
        screen(p.household, self.profile, self.as_of)
    }

    /// What a file starts with: the BOM and header row for CSV, nothing for JSON lines.
    pub fn header(&self, out: &mut String) {
        if self.format == Format::Csv {
            out.push_str(csv::BOM);
            csv::row(out, HEADER.iter().map(|h| (h.get(self.lang), false)));
        }
    }

    pub fn errors_header(&self, out: &mut String) {
        if self.format == Format::Csv {
            out.push_str(csv::BOM);
            csv::row(out, ERRORS_HEADER.iter().map(|h| (h.get(self.lang), false)));
        }
    }

    /// One household's row.
    pub fn write(&self, out: &mut String, p: &Parsed, d: &Screening) {
        let h = p.household;
        let outcome = VisitOutcome::of_screening(d);
        match self.format {
            Format::Csv => {
                let per_capita = d.income.per_capita;
                self.write_csv_line(
                    out,
                    Line {
                        first_row: p.first_row,
                        id: p.id,
                        village: &h.village,
                        head: &h.head_name,
                        members: d.income.members_counted,
                        net_income: d.income.net_total,
                        per_capita: per_capita.map(|pc| pc.rounded()),
                        gap: per_capita.filter(|_| d.income.below_range).map(|pc| pc.gap_to(self.profile.monitoring_range.amount)),
                        below_range: d.income.below_range,
                        outcome,
                        risks: risks(d),
                        no_labour: d.labour.no_labour,
                    },
                );
            }
            Format::Jsonl => {
                let _ = write!(out, "{{\"row\":{},\"household_id\":", p.first_row);
                json_str(out, p.id);
                out.push_str(",\"village\":");
                json_str(out, &h.village);
                out.push_str(",\"head\":");
                json_str(out, &h.head_name);
                let _ = write!(out, ",\"members\":{},\"net_income\":\"", d.income.members_counted);
                let _ = d.income.net_total.write_fixed2(out);
                out.push_str("\",\"per_capita\":");
                match d.income.per_capita {
                    Some(pc) => {
                        out.push('"');
                        let _ = pc.rounded().write_fixed2(out);
                        out.push('"');
                    }
                    None => out.push_str("null"),
                }
                out.push_str(",\"range\":\"");
                out.push_str(&self.range);
                let _ = write!(
                    out,
                    "\",\"range_provisional\":{},\"below_range\":{},\"gap\":",
                    self.profile.monitoring_range.provenance.provisional, d.income.below_range
                );
                match d.income.per_capita.filter(|_| d.income.below_range) {
                    Some(pc) => {
                        out.push('"');
                        let _ = pc.gap_to(self.profile.monitoring_range.amount).write_fixed2(out);
                        out.push('"');
                    }
                    None => out.push_str("null"),
                }
                let _ = write!(out, ",\"outcome\":\"{}\",\"category\":", d.outcome.code());
                match d.category {
                    Some(c) => {
                        let _ = write!(out, "\"{}\"", c.code());
                    }
                    None => out.push_str("null"),
                }
                out.push_str(",\"risks\":[");
                for (i, c) in risks(d).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "\"{}\"", c.code());
                }
                let _ = write!(out, "],\"no_labour\":{},\"profile\":", d.labour.no_labour);
                json_str(out, &self.profile.id);
                out.push_str("}\n");
            }
        }
    }

    /// One screened household's CSV line: what `fangpin screen` writes and the roster page exports.
    pub fn write_csv_line(&self, out: &mut String, l: Line<'_, impl Iterator<Item = RiskCode>>) {
        number(out, l.first_row);
        out.push(',');
        csv::digits(out, l.id);
        out.push(',');
        csv::cell(out, l.village);
        out.push(',');
        csv::cell(out, l.head);
        out.push(',');
        number(out, u64::from(l.members));
        out.push(',');
        let _ = l.net_income.write_fixed2(out);
        out.push(',');
        if let Some(m) = l.per_capita {
            let _ = m.write_fixed2(out);
        }
        out.push(',');
        out.push_str(&self.range);
        out.push(',');
        out.push_str(yes_no(l.below_range, self.lang));
        out.push(',');
        if let Some(m) = l.gap {
            let _ = m.write_fixed2(out);
        }
        out.push(',');
        out.push_str(l.outcome.label().get(self.lang));
        out.push(',');
        for (i, c) in l.risks.enumerate() {
            if i > 0 {
                out.push_str(if self.lang == "en" { "; " } else { "；" });
            }
            out.push_str(c.title().get(self.lang));
        }
        out.push(',');
        out.push_str(yes_no(l.no_labour, self.lang));
        out.push(',');
        csv::cell(out, &self.profile.id);
        out.push_str("\r\n");
    }

    /// A household kept aside: one row per problem (CSV) or one line with them all (JSON lines).
    pub fn write_kept_aside(&self, out: &mut String, mapping: &Mapping, id: &str, first_row: u64, errors: &[RowError], more: usize) {
        match self.format {
            Format::Csv => {
                for e in errors {
                    let _ = write!(out, "{},", e.row);
                    csv::cell(out, id);
                    out.push(',');
                    csv::cell(out, e.column.and_then(|c| mapping.headers.get(c)).map_or("", |h| h.trim()));
                    out.push(',');
                    csv::cell(out, e.message(mapping).get(self.lang));
                    out.push_str("\r\n");
                }
                if more > 0 {
                    let _ = write!(out, "{first_row},");
                    csv::cell(out, id);
                    let more = Text::new(format!("还有 {more} 处问题没有列出。"), format!("{more} more problems not listed."));
                    out.push_str(",,");
                    csv::cell(out, more.get(self.lang));
                    out.push_str("\r\n");
                }
            }
            Format::Jsonl => {
                let _ = write!(out, "{{\"row\":{first_row},\"household_id\":");
                json_str(out, id);
                out.push_str(",\"errors\":[");
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let m = e.message(mapping);
                    let _ = write!(out, "{{\"row\":{},\"column\":", e.row);
                    match e.column.and_then(|c| mapping.headers.get(c)) {
                        Some(h) => json_str(out, h.trim()),
                        None => out.push_str("null"),
                    }
                    out.push_str(",\"message\":{\"zh\":");
                    json_str(out, &m.zh);
                    out.push_str(",\"en\":");
                    json_str(out, &m.en);
                    out.push_str("}}");
                }
                let _ = writeln!(out, "],\"more_errors\":{more}}}");
            }
        }
    }
}

/// One screened household as its CSV line shows it (`Screen::write_csv_line`).
pub struct Line<'a, R> {
    pub first_row: u64,
    pub id: &'a str,
    pub village: &'a str,
    pub head: &'a str,
    pub members: u32,
    pub net_income: Money,
    /// Rounded for display.
    pub per_capita: Option<Money>,
    /// Range − per capita, when below the range.
    pub gap: Option<Money>,
    pub below_range: bool,
    pub outcome: VisitOutcome,
    pub risks: R,
    pub no_labour: bool,
}

/// The risks found, each code once, in result order.
pub fn risks(d: &Screening) -> impl Iterator<Item = RiskCode> + '_ {
    RiskCode::ALL.into_iter().filter(|c| d.risks.contains(*c))
}

/// A count in decimal digits, without the formatting machinery (a roster writes millions).
fn number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(char::from(*d));
    }
}

fn yes_no(v: bool, lang: &str) -> &'static str {
    match (v, lang) {
        (true, "en") => "yes",
        (false, "en") => "no",
        (true, _) => "是",
        (false, _) => "否",
    }
}

/// A JSON string (quotes, backslashes and control characters escaped).
pub fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(esc);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_parse_back() {
        for s in ["", "张大山", "a\"b\\c", "line\nbreak\u{1}\u{2028}", "🙂\u{202e}"] {
            let mut out = String::new();
            json_str(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).ok().as_deref(), Some(s), "{out}");
        }
    }
}
