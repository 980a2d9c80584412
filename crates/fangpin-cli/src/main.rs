//! `fangpin` — the command line over the domain core.
//!
//! ```text
//! fangpin assess --profile <id> [--as-of YYYY-MM-DD] [FILE|-]   household JSON in, assessment JSON out
//! fangpin profiles                                               list the embedded profiles
//! fangpin check-policy [DIR]                                     validate policy-data/*.toml (and *.json)
//! ```
//! Exit codes: 0 ok, 1 invalid input or policy problems, 2 usage error.

mod check;

use std::io::Read;
use std::process::ExitCode;

use fangpin_core::policy::{self, DEFAULT_PROFILE_ID};
use fangpin_core::{Date, Household, assess, to_cli_json};

const USAGE: &str = "usage:
  fangpin assess [--profile <id>] [--as-of YYYY-MM-DD] [FILE|-]
  fangpin profiles
  fangpin check-policy [DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("assess") => cmd_assess(&args[1..]),
        Some("profiles") => cmd_profiles(),
        Some("check-policy") => cmd_check_policy(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error("unknown or missing command"),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// Prints `{"errors":[{"field":..,"message":{zh,en}}]}` to stdout and a plain line per error to stderr.
fn input_error(errors: Vec<serde_json::Value>) -> ExitCode {
    for e in &errors {
        eprintln!("invalid input: {}: {}", e["field"].as_str().unwrap_or(""), e["message"]["en"].as_str().unwrap_or(""));
    }
    println!("{}", serde_json::json!({ "errors": errors }));
    ExitCode::from(1)
}

/// Today's date from the system clock (the core never reads a clock; the CLI may).
fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    Date::from_day_number(secs.div_euclid(86_400)).unwrap_or_default()
}

fn cmd_assess(args: &[String]) -> ExitCode {
    let mut profile_id = DEFAULT_PROFILE_ID.to_string();
    let mut as_of: Option<Date> = None;
    let mut file: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--profile" => {
                let Some(v) = args.get(i + 1) else { return usage_error("--profile needs an id") };
                profile_id = v.clone();
                i += 2;
            }
            "--as-of" => {
                let Some(v) = args.get(i + 1) else { return usage_error("--as-of needs a date") };
                match Date::parse(v) {
                    Ok(d) => as_of = Some(d),
                    Err(e) => return usage_error(&format!("--as-of: {e}")),
                }
                i += 2;
            }
            a if a.starts_with("--") => return usage_error(&format!("unknown option {a}")),
            a => {
                if file.is_some() {
                    return usage_error("only one household file");
                }
                file = Some(a.to_string());
                i += 1;
            }
        }
    }
    let Some(profile) = policy::profile(&profile_id) else {
        let ids: Vec<&str> = policy::embedded_profiles().iter().map(|p| p.id.as_str()).collect();
        return usage_error(&format!("no profile `{profile_id}` (have: {})", ids.join(", ")));
    };
    let text = match file.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                return usage_error(&format!("cannot read stdin: {e}"));
            }
            s
        }
        Some(path) => match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => return usage_error(&format!("cannot read {path}: {e}")),
        },
    };
    let de = &mut serde_json::Deserializer::from_str(&text);
    let household: Household = match serde_path_to_error::deserialize(de) {
        Ok(h) => h,
        Err(e) => {
            let field = e.path().to_string();
            let inner = e.into_inner();
            return input_error(vec![serde_json::json!({
                "field": field,
                "message": {
                    "zh": format!("这一项读不懂：{inner}"),
                    "en": format!("cannot read this field: {inner}"),
                }
            })]);
        }
    };
    let as_of = as_of.unwrap_or_else(today);
    let errors = household.validate(as_of);
    if !errors.is_empty() {
        return input_error(
            errors.into_iter().map(|e| serde_json::json!({ "field": e.field, "code": e.code, "message": e.message })).collect(),
        );
    }
    let a = assess(&household, profile, as_of);
    match serde_json::to_string_pretty(&to_cli_json(&a)) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn cmd_profiles() -> ExitCode {
    for s in policy::profile_summaries() {
        println!(
            "{}\t{}\t{} 元{}{}",
            s.id,
            s.name.zh,
            s.monitoring_range.short(),
            if s.monitoring_range_provisional { " (provisional 暂定)" } else { "" },
            if s.is_default { "\tdefault" } else { "" }
        );
    }
    ExitCode::SUCCESS
}

fn cmd_check_policy(args: &[String]) -> ExitCode {
    let dir = args.first().cloned().unwrap_or_else(|| "policy-data".to_string());
    let checked = match check::check_dir(std::path::Path::new(&dir)) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    for line in &checked.report {
        println!("{line}");
    }
    if checked.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
