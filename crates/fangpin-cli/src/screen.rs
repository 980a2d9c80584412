//! `fangpin screen ROSTER`: a roster (one row per member) screened with the core, streaming, on
//! every core (`fangpin_roster::stream`). `fangpin roster-template` prints the template.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

use fangpin_roster::screen::{Format, Screen};
use fangpin_roster::stream::{self, Options, StreamError};
use fangpin_roster::{Field, Mapping};
use fangpin_visits::VisitOutcome;

use crate::{Args, policy_set, today, usage_error};

pub const OPTIONS: &[&str] =
    &["--profile", "--county", "--policy", "--as-of", "--format", "--out", "--errors", "--threads", "--lang", "--map", "--explain"];

pub fn cmd_screen(args: &[String]) -> ExitCode {
    // `--explain` takes no value: give it one for the parser.
    let args: Vec<String> =
        args.iter().flat_map(|a| if a == "--explain" { vec![a.clone(), "yes".into()] } else { vec![a.clone()] }).collect();
    let args = match Args::parse(&args, OPTIONS) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let as_of = match args.date("--as-of") {
        Ok(d) => d.unwrap_or_else(today),
        Err(e) => return usage_error(&e),
    };
    let format = match args.get("--format").unwrap_or("csv") {
        "csv" => Format::Csv,
        "jsonl" => Format::Jsonl,
        f => return usage_error(&format!("--format {f}: csv or jsonl")),
    };
    let explain = args.get("--explain").is_some();
    if explain && format != Format::Jsonl {
        return usage_error("--explain needs --format jsonl");
    }
    let lang = match args.get("--lang").unwrap_or("zh") {
        l @ ("zh" | "en") => l,
        l => return usage_error(&format!("--lang {l}: zh or en")),
    };
    let threads = match args.get("--threads").map(str::parse::<usize>) {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(Ok(n)) if (1..=256).contains(&n) => n,
        Some(_) => return usage_error("--threads: a number from 1 to 256"),
    };
    let maps = match args.all("--map").map(parse_map).collect::<Result<Vec<_>, _>>() {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let [roster] = args.positional.as_slice() else { return usage_error("screen needs one roster file (or - for stdin)") };
    let set = match policy_set(args.get("--policy")) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let profile = match (args.get("--profile"), args.get("--county")) {
        (Some(id), _) => set.profile(id),
        (None, Some(county)) => set.for_county_on(county, as_of),
        (None, None) => set.for_county_on(&set.default_county, as_of),
    };
    let Some(profile) = profile else {
        let ids: Vec<&str> = set.profiles.iter().map(|p| p.id.as_str()).collect();
        return usage_error(&format!("no such profile or county (have: {})", ids.join(", ")));
    };

    // A roster screened on figures not in force for its date (last year's, or the binary's own
    // after a new year was published elsewhere) is said before anything else.
    let period = profile.period(as_of);
    if let Some(note) = &period.note {
        tell!("注意：{} / note: {}", note.zh, note.en);
        tell!(
            "新一年的数字请用 --policy 指定政策数据目录（如 policy-data）。 / For a new year's figures, name the policy data directory with --policy (for example policy-data)."
        );
    }
    let raw: Box<dyn Read + Send> = if roster == "-" {
        Box::new(std::io::stdin())
    } else {
        match File::open(roster) {
            Ok(f) => Box::new(f),
            Err(e) => return usage_error(&format!("cannot read {roster}: {e}")),
        }
    };
    // A workbook is known by its first bytes (a zip), whatever its name: read whole, its first sheet
    // screened as CSV (not streamed: a zip's directory is at its end).
    // A small buffer, only to look at the first bytes: the screen reads far larger blocks, which a
    // `BufReader` then passes straight through instead of copying.
    let mut raw = BufReader::with_capacity(8 << 10, raw);
    let is_workbook = match raw.fill_buf() {
        Ok(head) => fangpin_roster::xlsx::looks_like_xlsx(head),
        Err(e) => return usage_error(&format!("cannot read {roster}: {e}")),
    };
    let input: Box<dyn Read + Send> = if is_workbook {
        let mut bytes = Vec::new();
        if let Err(e) = raw.read_to_end(&mut bytes) {
            return usage_error(&format!("cannot read {roster}: {e}"));
        }
        match fangpin_roster::xlsx::to_csv(&bytes) {
            Ok(csv) => Box::new(std::io::Cursor::new(csv.into_bytes())),
            Err(p) => {
                tell!("error: {} / {}", p.message().zh, p.message().en);
                return ExitCode::from(1);
            }
        }
    } else {
        Box::new(raw)
    };
    let out: Box<dyn Write + Send> = match args.get("--out") {
        None | Some("-") => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout())),
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::with_capacity(1 << 20, f)),
            Err(e) => return usage_error(&format!("cannot write {path}: {e}")),
        },
    };
    let errors: Box<dyn Write + Send> = match args.get("--errors") {
        None => Box::new(BufWriter::new(std::io::stderr())),
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => return usage_error(&format!("cannot write {path}: {e}")),
        },
    };
    let opts = Options { explain, ..Options::new(Screen::new(profile, as_of, format, lang), threads) };
    let started = Instant::now();
    let mut unknown = Vec::new();
    let adjust = |m: &mut Mapping| {
        for (column, field) in &maps {
            let at = match column {
                Column::Number(n) => Some(n - 1),
                Column::Header(h) => m.headers.iter().position(|x| x.trim() == h),
            };
            match at.filter(|i| *i < m.columns.len()) {
                // A field moved to this column leaves the one it was recognised in.
                Some(i) => {
                    if let Some(f) = field
                        && let Some(old) = m.column(*f)
                    {
                        m.set(old, None);
                    }
                    m.set(i, *field);
                }
                None => unknown.push(column.to_string()),
            }
        }
    };
    match stream::screen(input, out, errors, &opts, adjust) {
        Ok((t, mapping)) => {
            let secs = started.elapsed().as_secs_f64();
            for c in &unknown {
                tell!("注意：没有“{c}”这一列 / note: no column {c}");
            }
            let unused: Vec<&str> = mapping.unused().collect();
            if !unused.is_empty() {
                tell!("没有读的列 / columns not read: {}", unused.join(", "));
            }
            let outcomes = |lang: &str| {
                VisitOutcome::ALL.iter().zip(t.by_outcome).map(|(o, n)| format!("{} {n}", o.label().get(lang))).collect::<Vec<_>>()
            };
            // Rows without a 户编号 are no household: counted as rows.
            let (no_id_zh, no_id_en) = if t.no_id_rows > 0 {
                (
                    format!("，另有 {} 行没有户编号也放在一边", t.no_id_rows),
                    format!(" and {} without a household number", plural(t.no_id_rows, "row")),
                )
            } else {
                (String::new(), String::new())
            };
            tell!(
                "已筛查 {} 户（{} 行），{} 户有问题放在一边{no_id_zh}；{}；按 {}（{}{}年）的标准，筛查日期 {as_of}{} / screened {} ({}), {} kept aside{no_id_en}; {}; {:.2} s, {:.0} households/s, profile {} on {as_of}{}",
                t.households,
                t.rows,
                t.kept_aside,
                outcomes("zh").join("，"),
                profile.id,
                profile.region.county.name.zh,
                profile.year,
                if period.in_force { "" } else { "，不是这一天执行的标准" },
                plural(t.households, "household"),
                plural(t.rows, "row"),
                t.kept_aside,
                outcomes("en").join(", "),
                secs,
                t.households as f64 / secs.max(1e-9),
                profile.id,
                if period.in_force { "" } else { " (not the figures in force on that day)" }
            );
            if t.not_together > 0 {
                // The first place was written only where it had no problem of its own.
                let (written_zh, written_en) = match t.first_written {
                    0 => (String::new(), String::new()),
                    w => (
                        format!("；其中 {w} 个最先出现的那一处已写进结果，不可靠"),
                        format!("; first places already written to the results, not to be trusted: {w}"),
                    ),
                };
                tell!(
                    "注意：{ids} 个户编号在名单里不止一处（各行不挨在一起）：后面出现的 {n} 处已放在一边{written_zh}。请按户编号排序后再筛查。 / note: household numbers in more than one place (their rows not together): {ids}; later places kept aside: {n}{written_en}. Please sort by household number and screen again.",
                    ids = t.repeated_ids,
                    n = t.not_together
                );
            }
            if t.replaced_bytes {
                tell!(
                    "注意：文件里有看不懂的字节（编码不对？），相关的户已放在一边 / note: some bytes were not text in the file's encoding"
                );
            }
            ExitCode::SUCCESS
        }
        Err(StreamError::Mapping(m, problems)) => {
            for p in &problems {
                tell!("error: {} / {}", p.message().zh, p.message().en);
            }
            tell!("表头 / headers: {}", m.headers.join(", "));
            tell!("可用 --map '表头=字段' 指定 / name a column with --map 'HEADER=field'; fields: {}", field_codes());
            ExitCode::from(1)
        }
        Err(e) => {
            let m = e.message();
            tell!("error: {} / {}", m.zh, m.en);
            ExitCode::from(1)
        }
    }
}

/// `n` and its English noun, plural but for one.
fn plural(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

enum Column {
    Number(usize),
    Header(String),
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Number(n) => write!(f, "{n}"),
            Column::Header(h) => f.write_str(h),
        }
    }
}

/// `HEADER=field`, `3=field` (the third column), or `HEADER=` (do not read it).
fn parse_map(s: &str) -> Result<(Column, Option<Field>), String> {
    let Some((column, field)) = s.rsplit_once('=') else { return Err(format!("--map {s}: HEADER=field")) };
    let field = match field.trim() {
        "" => None,
        code => Some(Field::from_code(code).ok_or_else(|| format!("--map {s}: no field {code} (fields: {})", field_codes()))?),
    };
    let column = match column.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Column::Number(n),
        _ => Column::Header(column.trim().to_string()),
    };
    Ok((column, field))
}

fn field_codes() -> String {
    Field::ALL.iter().map(|f| f.code()).collect::<Vec<_>>().join(", ")
}

pub fn cmd_roster_template(args: &[String]) -> ExitCode {
    // `--xlsx` takes no value: give it one for the parser.
    let args: Vec<String> = args.iter().flat_map(|a| if a == "--xlsx" { vec![a.clone(), "yes".into()] } else { vec![a.clone()] }).collect();
    let args = match Args::parse(&args, &["--lang", "--sample", "--xlsx"]) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let lang = args.get("--lang").unwrap_or("zh");
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout());
    let written = match args.get("--sample").map(str::parse::<usize>) {
        None if args.get("--xlsx").is_some() => {
            out.write_all(&fangpin_roster::xlsx::from_rows(&fangpin_roster::columns::template_rows(lang)))
        }
        None => out.write_all(fangpin_roster::template_csv(lang).as_bytes()),
        // Made-up households of four in the template's columns, to try the screen on (and the bench).
        Some(Ok(n)) => {
            let mut result = Ok(());
            let mut first = true;
            for start in (0..n).step_by(10_000) {
                let mut text = String::new();
                fangpin_roster::sample::roster_part(start, (n - start).min(10_000), 4, first, &mut text);
                first = false;
                result = result.and_then(|_| out.write_all(text.as_bytes()));
            }
            result
        }
        Some(Err(_)) => return usage_error("--sample: a number of households"),
    };
    match written.and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tell!("error: {e}");
            ExitCode::from(1)
        }
    }
}
