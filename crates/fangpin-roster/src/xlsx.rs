//! An Excel workbook (`.xlsx`) as the CSV of its first sheet, so a roster need not be saved as CSV
//! first. Only what rosters use: the zip container (stored or deflated entries), shared and inline
//! strings, numbers, booleans, and dates (cells whose number format is a date become
//! `YYYY-MM-DD`). Rows Excel leaves out stay as empty lines, so row numbers are Excel's.
//! Anything else in the file is not read; a file that is not a workbook is a [`XlsxProblem`].

use fangpin_core::Text;
use fangpin_core::date::Date;

/// The most a workbook's parts may unpack to (a roster of a million rows is far below it).
const MAX_UNPACKED: usize = 512 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XlsxProblem {
    NotAWorkbook,
    /// Encrypted, zip64, or compressed in a way Excel does not use.
    Unsupported,
    TooLarge,
}

impl XlsxProblem {
    pub fn message(&self) -> Text {
        match self {
            XlsxProblem::NotAWorkbook => Text::lit("这个文件不是 Excel 的 xlsx 表格。", "This file is not an Excel xlsx workbook."),
            XlsxProblem::Unsupported => Text::lit(
                "这个 xlsx 文件读不了（可能加了密码）。请在 Excel 里另存为 CSV 再试。",
                "This xlsx file cannot be read (it may have a password). Please save it as CSV from Excel and try again.",
            ),
            XlsxProblem::TooLarge => Text::lit("这个表格太大了。", "This workbook is too large."),
        }
    }
}

/// Whether `bytes` start like a zip file (an xlsx is one).
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

struct Entry<'a> {
    name: String,
    method: u16,
    data: &'a [u8],
    size: usize,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn entries(b: &[u8]) -> Result<Vec<Entry<'_>>, XlsxProblem> {
    // The end-of-central-directory record, within the last 64 KiB (its comment) of the file.
    let from = b.len().saturating_sub(22 + 65_535);
    let eocd = (from..b.len().saturating_sub(21)).rev().find(|i| u32_at(b, *i) == Some(0x0605_4b50)).ok_or(XlsxProblem::NotAWorkbook)?;
    let count = u16_at(b, eocd + 10).ok_or(XlsxProblem::NotAWorkbook)? as usize;
    let mut at = u32_at(b, eocd + 16).ok_or(XlsxProblem::NotAWorkbook)? as usize;
    if count == 0xFFFF || at == 0xFFFF_FFFF {
        return Err(XlsxProblem::Unsupported);
    }
    let mut out = Vec::with_capacity(count.min(1000));
    for _ in 0..count {
        if u32_at(b, at) != Some(0x0201_4b50) {
            return Err(XlsxProblem::NotAWorkbook);
        }
        let field = |o: usize| u16_at(b, at + o).ok_or(XlsxProblem::NotAWorkbook);
        let flags = field(8)?;
        let method = field(10)?;
        let compressed = u32_at(b, at + 20).ok_or(XlsxProblem::NotAWorkbook)? as usize;
        let size = u32_at(b, at + 24).ok_or(XlsxProblem::NotAWorkbook)? as usize;
        let (n, e, c) = (field(28)? as usize, field(30)? as usize, field(32)? as usize);
        let local = u32_at(b, at + 42).ok_or(XlsxProblem::NotAWorkbook)? as usize;
        let name = String::from_utf8_lossy(b.get(at + 46..at + 46 + n).ok_or(XlsxProblem::NotAWorkbook)?).into_owned();
        at += 46 + n + e + c;
        if flags & 1 != 0 {
            return Err(XlsxProblem::Unsupported);
        }
        if u32_at(b, local) != Some(0x0403_4b50) {
            return Err(XlsxProblem::NotAWorkbook);
        }
        let (ln, le) = (u16_at(b, local + 26).unwrap_or(0) as usize, u16_at(b, local + 28).unwrap_or(0) as usize);
        let start = local + 30 + ln + le;
        let data = b.get(start..start.saturating_add(compressed)).ok_or(XlsxProblem::NotAWorkbook)?;
        out.push(Entry { name, method, data, size });
    }
    Ok(out)
}

fn unpack(e: &Entry) -> Result<Vec<u8>, XlsxProblem> {
    if e.size > MAX_UNPACKED {
        return Err(XlsxProblem::TooLarge);
    }
    // The parts read are the workbook, its relationships, the sheet, the strings and the styles:
    // each bounded, so all of them together are too.
    match e.method {
        0 => Ok(e.data.to_vec()),
        8 => miniz_oxide::inflate::decompress_to_vec_with_limit(e.data, MAX_UNPACKED).map_err(|_| XlsxProblem::NotAWorkbook),
        _ => Err(XlsxProblem::Unsupported),
    }
}

/// The tags of an XML text, in order: (name, attributes text, content up to the next tag).
struct Tags<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tags<'a> {
    type Item = (&'a str, &'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.s.get(self.pos..)?;
            let open = rest.find('<')?;
            let after = &rest[open + 1..];
            let close = after.find('>')?;
            let tag = &after[..close];
            let content_start = self.pos + open + 1 + close + 1;
            let content_end = self.s.get(content_start..).and_then(|r| r.find('<')).map_or(self.s.len(), |k| content_start + k);
            self.pos = content_start;
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            let (name, attrs) = tag.split_once(|c: char| c.is_whitespace()).unwrap_or((tag, ""));
            return Some((name, attrs, self.s.get(content_start..content_end).unwrap_or("")));
        }
    }
}

/// The value of attribute `key` in an attributes text.
fn attr<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().trim_end_matches('/');
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let body = &after[1..];
        let end = body.find(quote)?;
        if name == key {
            return Some(&body[..end]);
        }
        rest = &body[end + 1..];
    }
    None
}

/// XML text with its five entities and numeric references decoded.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|k| *k <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let c = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=semi]),
        }
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    out
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut phonetic = false;
    for (name, attrs, content) in (Tags { s: xml, pos: 0 }) {
        match name {
            "si" if !attrs.ends_with('/') => current = Some(String::new()),
            "si" => out.push(String::new()),
            "/si" => out.push(current.take().unwrap_or_default()),
            "rPh" => phonetic = true,
            "/rPh" => phonetic = false,
            "t" if !phonetic && !attrs.ends_with('/') => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&unescape(content));
                }
            }
            _ => {}
        }
    }
    out
}

/// For each cell style, whether its number format is a date.
fn date_styles(xml: &str) -> Vec<bool> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut styles = Vec::new();
    let mut in_xfs = false;
    for (name, attrs, _) in (Tags { s: xml, pos: 0 }) {
        match name {
            "numFmt" => {
                if let (Some(id), Some(code)) = (attr(attrs, "numFmtId").and_then(|i| i.parse().ok()), attr(attrs, "formatCode")) {
                    custom.push((id, is_date_format(&unescape(code))));
                }
            }
            "cellXfs" => in_xfs = !attrs.ends_with('/'),
            "/cellXfs" => in_xfs = false,
            "xf" if in_xfs => {
                let id: u32 = attr(attrs, "numFmtId").and_then(|i| i.parse().ok()).unwrap_or(0);
                let date = custom.iter().find(|(c, _)| *c == id).map_or(matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58), |(_, d)| *d);
                styles.push(date);
            }
            _ => {}
        }
    }
    styles
}

/// A format code that shows a date: it has a year or a day, outside quotes and brackets.
fn is_date_format(code: &str) -> bool {
    let mut plain = String::new();
    let (mut quoted, mut bracket) = (false, false);
    for c in code.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            c if !quoted && !bracket => plain.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    plain.contains('y') || plain.contains('d')
}

/// Column number (0-based) of a cell reference such as `AB12`.
fn column_of(r: &str) -> Option<usize> {
    let letters: Vec<u8> = r.bytes().take_while(u8::is_ascii_alphabetic).collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(letters.iter().fold(0usize, |n, c| n * 26 + usize::from(c.to_ascii_uppercase() - b'A') + 1) - 1)
}

/// An Excel day number (days since 1899-12-30, or since 1904-01-01 in a `date1904` workbook) as a date.
fn excel_date(v: &str, date1904: bool) -> Option<Date> {
    // Only the whole days: the time of day is not a fact the rules use.
    let days: i64 = v.split('.').next()?.parse().ok()?;
    if !(1..=150_000).contains(&days) {
        return None;
    }
    Date::from_day_number(days - if date1904 { 24_107 } else { 25_569 })
}

/// A number cell as Excel shows it: the 15 significant digits it keeps, so a sum Excel computed
/// (`3600.0000000000005`) reads as the `3600` on the screen. Exact decimal arithmetic, no float.
fn number(v: &str) -> String {
    let t = v.trim();
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    if digits <= 15 && !t.contains(['E', 'e']) {
        return t.to_string();
    }
    let parsed =
        if t.contains(['E', 'e']) { rust_decimal::Decimal::from_scientific(t).ok() } else { t.parse::<rust_decimal::Decimal>().ok() };
    match parsed.and_then(|d| d.round_sf(15)) {
        Some(d) => d.normalize().to_string(),
        None => t.to_string(),
    }
}

/// The most rows and columns a sheet has (Excel's own limits).
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// A merged range: first row, last row, first column, last column.
type Range = (usize, usize, usize, usize);

/// The merged cells of a sheet: each range shows its first cell's value in every cell, so the
/// rows under a merged 户编号 or 村 get it too (they are what the person sees in Excel).
struct Merges {
    /// By first row.
    ranges: Vec<Range>,
    next: usize,
    /// Ranges the current row is in, with their value once read.
    active: Vec<(Range, Option<String>)>,
    /// Cells filled from ranges so far (bounded by `limits`).
    work: usize,
    limits: Limits,
}

/// How much a sheet may unpack into: its CSV text, and the cells merged ranges fill.
#[derive(Debug, Clone, Copy)]
struct Limits {
    text: usize,
    merged_cells: usize,
}

impl Limits {
    /// The text as much as a workbook's part may unpack to; merged cells far more than a real
    /// roster's (a million rows with every one of 25 columns merged is 25 million).
    const REAL: Limits = Limits { text: MAX_UNPACKED, merged_cells: 64 << 20 };
}

impl Merges {
    fn of(sheet: &str, limits: Limits) -> Merges {
        let mut ranges: Vec<Range> = Vec::new();
        if let Some(at) = sheet.rfind("<mergeCells") {
            for (name, attrs, _) in (Tags { s: &sheet[at..], pos: 0 }) {
                if name == "mergeCell"
                    && let Some((a, b)) = attr(attrs, "ref").and_then(|r| r.split_once(':'))
                    && let (Some(c1), Some(c2), Some(r1), Some(r2)) = (column_of(a), column_of(b), row_of(a), row_of(b))
                    && r1 <= r2
                    && c1 <= c2
                    && c2 < MAX_COLUMNS
                {
                    ranges.push((r1, r2.min(MAX_ROWS), c1, c2));
                }
                if ranges.len() >= 100_000 {
                    break;
                }
            }
        }
        ranges.sort();
        Merges { ranges, next: 0, active: Vec::new(), work: 0, limits }
    }

    /// Fills row `r`'s `line` (its cells by column, at most `width_cap`) from the ranges it is in,
    /// and remembers the values the ranges start with. A merged cell's value goes into every empty
    /// cell of its range; the work a sheet asks for is bounded (`limits`, and `budget`
    /// bytes for the line), so a few hundred bytes of merges cannot ask for gigabytes.
    /// `given`: the columns the row has a cell in (a range whose first cell is absent has no value).
    fn fill(&mut self, r: usize, line: &mut Vec<String>, given: &[bool], width_cap: usize, budget: &mut usize) -> Result<(), XlsxProblem> {
        while self.next < self.ranges.len() && self.ranges[self.next].0 <= r {
            self.active.push((self.ranges[self.next], None));
            self.next += 1;
        }
        self.active.retain(|((_, r2, _, _), _)| *r2 >= r);
        // Each range the row is in counts, filled or not (ranges with nothing to fill cost a look too).
        self.work += self.active.len();
        if self.work > self.limits.merged_cells {
            return Err(XlsxProblem::TooLarge);
        }
        for ((r1, _, c1, c2), value) in &mut self.active {
            if *r1 == r {
                *value = given.get(*c1).is_some_and(|g| *g).then(|| line[*c1].clone());
            }
            let Some(v) = value else { continue };
            let last = (*c2).min(width_cap.saturating_sub(1));
            if *c1 > last {
                continue;
            }
            self.work += last - *c1 + 1;
            if self.work > self.limits.merged_cells {
                return Err(XlsxProblem::TooLarge);
            }
            if line.len() <= last {
                line.resize(last + 1, String::new());
            }
            for (c, cell) in line.iter_mut().enumerate().take(last + 1).skip(*c1) {
                if (*r1, *c1) != (r, c) && cell.is_empty() {
                    *budget = budget.checked_sub(v.len()).ok_or(XlsxProblem::TooLarge)?;
                    cell.clone_from(v);
                }
            }
        }
        Ok(())
    }
}

/// Row number (1-based) of a cell reference such as `AB12`.
fn row_of(r: &str) -> Option<usize> {
    r.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()
}

/// Writes row `r` (its cells, merged ranges filled) as a CSV line; returns its width.
/// `TooLarge` when the text would grow beyond its limit.
fn flush(
    out: &mut String,
    cells: &mut Vec<(usize, String)>,
    r: usize,
    merges: &mut Merges,
    width_cap: usize,
) -> Result<usize, XlsxProblem> {
    let max = merges.limits.text;
    let mut budget = max.checked_sub(out.len()).ok_or(XlsxProblem::TooLarge)?;
    let width = cells.iter().filter(|(c, _)| *c < width_cap).map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut line = vec![String::new(); width];
    let mut given = vec![false; width];
    // (A column given twice: the last one, as before.)
    for (c, v) in cells.drain(..) {
        if let Some(cell) = line.get_mut(c) {
            budget = budget.checked_sub(v.len()).ok_or(XlsxProblem::TooLarge)?;
            *cell = v;
            given[c] = true;
        }
    }
    merges.fill(r, &mut line, &given, width_cap, &mut budget)?;
    for (i, v) in line.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Quoted as CSV needs, but not defused: this text is read back, not opened in Excel.
        fangpin_core::csv::quote(out, v);
    }
    out.push('\n');
    if out.len() > max {
        return Err(XlsxProblem::TooLarge);
    }
    Ok(line.len())
}

/// The first sheet of the workbook `bytes` as CSV text (the header row first).
pub fn to_csv(bytes: &[u8]) -> Result<String, XlsxProblem> {
    to_csv_within(bytes, Limits::REAL)
}

fn to_csv_within(bytes: &[u8], limits: Limits) -> Result<String, XlsxProblem> {
    let entries = entries(bytes)?;
    let find = |name: &str| entries.iter().find(|e| e.name == name);
    let text = |e: &Entry| unpack(e).map(|b| String::from_utf8_lossy(&b).into_owned());
    // The first sheet of the workbook, by its relationship; else sheet1.
    let mut sheet_path = "xl/worksheets/sheet1.xml".to_string();
    if let (Some(wb), Some(rels)) = (find("xl/workbook.xml"), find("xl/_rels/workbook.xml.rels")) {
        let (wb, rels) = (text(wb)?, text(rels)?);
        let first = (Tags { s: &wb, pos: 0 }).find(|(n, _, _)| *n == "sheet").and_then(|(_, a, _)| attr(a, "r:id").map(str::to_string));
        if let Some(id) = first
            && let Some(target) = (Tags { s: &rels, pos: 0 })
                .filter(|(n, _, _)| *n == "Relationship")
                .find(|(_, a, _)| attr(a, "Id") == Some(id.as_str()))
                .and_then(|(_, a, _)| attr(a, "Target"))
        {
            sheet_path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
        }
    }
    let sheet = text(find(&sheet_path).ok_or(XlsxProblem::NotAWorkbook)?)?;
    let strings = match find("xl/sharedStrings.xml") {
        Some(e) => shared_strings(&text(e)?),
        None => Vec::new(),
    };
    let dates = match find("xl/styles.xml") {
        Some(e) => date_styles(&text(e)?),
        None => Vec::new(),
    };

    // Days are counted from 1904 in workbooks made on old Macs.
    let date1904 = find("xl/workbook.xml")
        .and_then(|e| text(e).ok())
        .and_then(|wb| {
            (Tags { s: &wb, pos: 0 })
                .find(|(n, _, _)| *n == "workbookPr")
                .and_then(|(_, a, _)| attr(a, "date1904").map(|v| v == "1" || v == "true"))
        })
        .unwrap_or(false);
    let mut merges = Merges::of(&sheet, limits);

    let mut out = String::with_capacity(sheet.len() / 3);
    let mut row_cells: Vec<(usize, String)> = Vec::new();
    // The bytes of `row_cells`.
    let mut row_bytes = 0usize;
    let mut rows_written = 0usize;
    let mut cell: Option<(Option<usize>, String, bool)> = None; // (column, type, date style)
    let mut value = String::new();
    let mut in_inline = false;
    // The header row's width bounds every row's: a cell beyond it is in no column.
    let mut width_cap = MAX_COLUMNS;
    let mut next_col = 0usize;
    for (name, attrs, content) in (Tags { s: &sheet, pos: 0 }) {
        match name {
            "row" => {
                let r: usize = attr(attrs, "r").and_then(|r| r.parse().ok()).unwrap_or(rows_written + 1);
                if r > MAX_ROWS {
                    return Err(XlsxProblem::TooLarge);
                }
                // Rows Excel left out (empty ones) as empty lines (merged cells still fill them).
                while rows_written + 1 < r {
                    rows_written += 1;
                    flush(&mut out, &mut Vec::new(), rows_written, &mut merges, width_cap)?;
                }
                next_col = 0;
                if attrs.ends_with('/') {
                    rows_written += 1;
                    flush(&mut out, &mut Vec::new(), rows_written, &mut merges, width_cap)?;
                }
            }
            "/row" => {
                rows_written += 1;
                let width = flush(&mut out, &mut row_cells, rows_written, &mut merges, width_cap)?;
                row_bytes = 0;
                if width_cap == MAX_COLUMNS && width > 0 {
                    width_cap = width;
                }
            }
            "c" => {
                let col = attr(attrs, "r").and_then(column_of).or(Some(next_col));
                let t = attr(attrs, "t").unwrap_or("n").to_string();
                let date = attr(attrs, "s").and_then(|s| s.parse::<usize>().ok()).and_then(|s| dates.get(s).copied()).unwrap_or(false);
                next_col = col.map_or(next_col, |c| c + 1);
                value.clear();
                cell = if attrs.ends_with('/') { None } else { Some((col, t, date)) };
            }
            "v" if cell.is_some() => value.push_str(content),
            "is" => in_inline = true,
            "/is" => in_inline = false,
            "t" if in_inline => value.push_str(content),
            "/c" => {
                if let Some((Some(col), t, date)) = cell.take() {
                    let v = match t.as_str() {
                        "s" => value.trim().parse::<usize>().ok().and_then(|i| strings.get(i).cloned()).unwrap_or_default(),
                        "b" => (if value.trim() == "1" { "是" } else { "否" }).to_string(),
                        "inlineStr" | "str" => unescape(&value),
                        "e" => String::new(),
                        _ if date => excel_date(value.trim(), date1904).map(|d| d.to_string()).unwrap_or_else(|| value.clone()),
                        _ => number(&unescape(&value)),
                    };
                    if col < width_cap && row_cells.len() < MAX_COLUMNS {
                        // Each cell is its own copy (16,384 cells of one long shared string): held
                        // to the text limit as they are read, not only once the row is written.
                        row_bytes += v.len();
                        if out.len().saturating_add(row_bytes) > limits.text {
                            return Err(XlsxProblem::TooLarge);
                        }
                        row_cells.push((col, v));
                    }
                }
                value.clear();
            }
            _ => {}
        }
    }
    if !row_cells.is_empty() {
        rows_written += 1;
        flush(&mut out, &mut row_cells, rows_written, &mut merges, width_cap)?;
    }
    Ok(out)
}

/// A workbook as Excel writes one, made here with stored (not deflated) entries: `sheet` is the
/// `<sheetData>` rows, `strings` the shared strings, `styles` the styles part. For tests and for
/// [`from_rows`].
pub fn workbook(sheet: &str, strings: &[&str], styles: &str) -> Vec<u8> {
    let ss: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    let files = [
        ("[Content_Types].xml", "<Types/>".to_string()),
        ("xl/workbook.xml", "<workbook><sheets><sheet name=\"名单\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
        (
            "xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id=\"rId1\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string(),
        ),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet><sheetData>{sheet}</sheetData></worksheet>")),
        ("xl/sharedStrings.xml", format!("<sst count=\"{}\">{ss}</sst>", strings.len())),
        ("xl/styles.xml", styles.to_string()),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, body) in &files {
        let offset = out.len() as u32;
        let local = |v: &mut Vec<u8>| {
            v.extend(0x0403_4b50u32.to_le_bytes());
            v.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            v.extend((body.len() as u32).to_le_bytes());
            v.extend((body.len() as u32).to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend([0, 0]);
        };
        local(&mut out);
        out.extend(name.as_bytes());
        out.extend(body.as_bytes());
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend((body.len() as u32).to_le_bytes());
        central.extend((body.len() as u32).to_le_bytes());
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// Rows of text as a one-sheet workbook (every cell an inline string): the template as .xlsx.
pub fn from_rows<S: AsRef<str>>(rows: &[Vec<S>]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut sheet = String::new();
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let v = v.as_ref();
            if !v.is_empty() {
                sheet.push_str(&format!("<c r=\"{}{}\" t=\"inlineStr\"><is><t>{}</t></is></c>", column_name(c), r + 1, esc(v)));
            }
        }
        sheet.push_str("</row>");
    }
    workbook(&sheet, &[], "<styleSheet/>")
}

fn column_name(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_as_csv_with_strings_dates_and_missing_rows() {
        let styles = "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>\
                      <cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";
        let sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>\
                     <row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>H&amp;1</t></is></c><c r=\"B3\"><v>12000.5</v></c><c r=\"C3\" s=\"1\"><v>28556</v></c></row>\
                     <row r=\"4\"><c r=\"A4\" t=\"s\"><v>3</v></c><c r=\"B4\" t=\"b\"><v>1</v></c><c r=\"C4\" s=\"2\"><v>45078.75</v></c><c r=\"E4\"><v>9</v></c></row>";
        let book = workbook(sheet, &["户编号", "工资性收入", "出生日期", "H,2"], styles);
        assert!(looks_like_xlsx(&book));
        let csv = to_csv(&book).expect("csv");
        // Row 2 left out stays an empty line; E4 lies beyond the header's columns.
        assert_eq!(csv, "户编号,工资性收入,出生日期\n\nH&1,12000.5,1978-03-07\n\"H,2\",是,2023-06-01\n");
    }

    #[test]
    fn merged_cells_fill_their_range_and_numbers_read_as_excel_shows_them() {
        let sheet = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>户编号</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>收入</t></is></c></row>\
                     <row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>H1</t></is></c><c r=\"B2\"><v>3600.0000000000005</v></c></row>\
                     <row r=\"3\"><c r=\"A3\"/><c r=\"B3\"><v>1.2E+4</v></c></row>\
                     <row r=\"4\"><c r=\"B4\"><v>12000.5</v></c></row>\
                     <row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>H2</t></is></c></row>";
        let book =
            workbook(&format!("{sheet}</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A2:A4\"/></mergeCells><sheetData>"), &[], "");
        assert_eq!(to_csv(&book).expect("csv"), "户编号,收入\nH1,3600\nH1,12000\nH1,12000.5\nH2\n");
        assert_eq!(excel_date("1", true), Date::new(1904, 1, 2).ok());
        assert_eq!(excel_date("28556", false), Date::new(1978, 3, 7).ok());
        assert_eq!(number("0.30000000000000004"), "0.3");
        assert_eq!(number("12"), "12");
        assert_eq!(number("abc"), "abc");
    }

    #[test]
    fn merges_cannot_ask_for_more_than_the_limits() {
        let merged = |sheet: &str, merges: &[&str]| {
            let m: String = merges.iter().map(|r| format!("<mergeCell ref=\"{r}\"/>")).collect();
            workbook(&format!("{sheet}</sheetData><mergeCells>{m}</mergeCells><sheetData>"), &[], "")
        };
        // Smaller limits than the real ones, so the test is quick; each case asks for far more
        // than the real ones too (they took gigabytes, or days).
        let small = Limits { text: 4 << 20, merged_cells: 1 << 20 };
        let big = "户".repeat(40_000);
        let first = format!("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{big}</t></is></c></row>");
        // A 120 KB value merged down every row Excel has (125 GB of text), refused.
        let down = merged(&format!("{first}<row r=\"1048576\"/>"), &["A1:A1048576"]);
        assert_eq!(to_csv_within(&down, small), Err(XlsxProblem::TooLarge));
        // … and across every column of the header row (2 GB).
        assert_eq!(to_csv_within(&merged(&first, &["A1:XFD1"]), small), Err(XlsxProblem::TooLarge));
        // A whole sheet's width merged on every row: 17 billion cells, refused.
        let wide = merged("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"/>", &["A1:XFD1048576"]);
        assert_eq!(to_csv_within(&wide, Limits { text: usize::MAX, ..small }), Err(XlsxProblem::TooLarge));
        // Many ranges with nothing in them, over every row: each costs a look, refused too.
        let empty: Vec<String> = (0..2000).map(|i| format!("B{}:B1048576", i + 2)).collect();
        let empty = merged(
            "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"/>",
            &empty.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(to_csv_within(&empty, small), Err(XlsxProblem::TooLarge));
        // The real limit refuses it as well.
        assert_eq!(to_csv(&empty), Err(XlsxProblem::TooLarge));
        // One long shared string in every cell of a row: each a copy, held to the limit as read.
        let cells: String = (0..16_384).map(|c| format!("<c r=\"{}1\" t=\"s\"><v>0</v></c>", column_name(c))).collect();
        let long = "户".repeat(100_000);
        let book = workbook(&format!("<row r=\"1\">{cells}</row>"), &[&long], "");
        assert_eq!(to_csv_within(&book, small), Err(XlsxProblem::TooLarge));
        // A range whose first cell is absent fills nothing (as Excel shows it).
        let sheet = "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>2</v></c><c r=\"C1\"><v>3</v></c></row>\
                     <row r=\"2\"><c r=\"A2\"><v>4</v></c><c r=\"C2\" s=\"1\"/></row><row r=\"3\"><c r=\"A3\"><v>5</v></c></row>";
        assert_eq!(to_csv(&merged(sheet, &["B2:C3"])).expect("csv"), "1,2,3\n4\n5\n");
        // A real roster's merges (a household's 户编号 over its rows) still read.
        let mut rows = String::from(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>户编号</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>姓名</t></is></c></row>",
        );
        let mut ranges = Vec::new();
        for h in 0..2000 {
            let r = 2 + h * 4;
            rows.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>H{h}</t></is></c><c r=\"B{r}\"><v>1</v></c></row>"
            ));
            for k in 1..4 {
                rows.push_str(&format!("<row r=\"{}\"><c r=\"B{}\"><v>1</v></c></row>", r + k, r + k));
            }
            ranges.push(format!("A{r}:A{}", r + 3));
        }
        let csv = to_csv(&merged(&rows, &ranges.iter().map(String::as_str).collect::<Vec<_>>())).expect("csv");
        assert_eq!(csv.lines().count(), 8001);
        assert_eq!(csv.lines().nth(8000), Some("H1999,1"));
    }

    #[test]
    fn what_is_not_a_workbook_is_said() {
        assert_eq!(to_csv(b"PK\x03\x04garbage"), Err(XlsxProblem::NotAWorkbook));
        assert_eq!(to_csv(b""), Err(XlsxProblem::NotAWorkbook));
        assert_eq!(to_csv(&[0u8; 100]), Err(XlsxProblem::NotAWorkbook));
        // Cut anywhere, never a panic.
        let book = workbook("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", &["户编号"], "");
        for n in 0..book.len() {
            let _ = to_csv(&book[..n]);
        }
        assert!(is_date_format("yyyy/m/d") && is_date_format("[$-804]d日") && !is_date_format("0.00") && !is_date_format("\"y\"0"));
        assert_eq!(unescape("a&lt;b&#20320;&#x597D;&bogus;&"), "a<b你好&bogus;&");
        assert_eq!(column_of("AB12"), Some(27));
        for c in [0, 25, 26, 27, 701, 702] {
            assert_eq!(column_of(&format!("{}1", column_name(c))), Some(c));
        }
        let rows = vec![vec!["户编号", "村"], vec!["H<1>", "a,b"]];
        assert_eq!(to_csv(&from_rows(&rows)).expect("csv"), "户编号,村\nH<1>,\"a,b\"\n");
    }
}
