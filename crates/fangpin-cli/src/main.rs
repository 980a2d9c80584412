//! `fangpin` — the command line over the domain core.
//!
//! ```text
//! fangpin assess [--profile ID] [--policy DIR] [--as-of YYYY-MM-DD] [FILE|-]
//!                                            household JSON in, assessment JSON out
//! fangpin profiles [--policy DIR] [--as-of YYYY-MM-DD]
//!                                            list the profiles, and which applies on the day
//! fangpin check-policy [DIR]                 validate policy-data/*.toml (and *.json)
//! fangpin screen ROSTER|- [--profile ID|--county CODE] [--as-of YYYY-MM-DD] [--format csv|jsonl]
//!                [--out FILE] [--errors FILE] [--threads N] [--lang zh|en] [--map 'HEADER=field']... [--explain]
//!                                            screen a roster (one row per member), streaming
//! fangpin roster-template [--lang zh|en] [--xlsx | --sample N]
//!                                            the roster's template (CSV, or .xlsx), or N made-up households
//! fangpin publish-policy POLICY_DIR SITE_DIR [--default-county CODE] [--date YYYY-MM-DD] [--receiver PATH|off] [--site-url URL|off]
//!                                            put checked policy data into a built site (and name
//!                                            the one-click receiver its pages use by default)
//! ```
//! Without `--policy`, the profiles built into this binary (the `policy-data/` it was built from).
//! Without `--profile`, the default county's profile for the as-of date.
//! Exit codes: 0 ok, 1 invalid input or policy problems, 2 usage error. (A roster with rows kept
//! aside is screened: 0, with the rows in the errors output.)

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use fangpin_core::policy::{self, PolicySet};
use fangpin_core::{Date, Household, assess, to_cli_json};
use fangpin_site::policy_dir;

/// A line on standard output. When it cannot be written (a closed pipe, a full disk) the program
/// stops there with exit code 1 and says why, instead of panicking.
macro_rules! say {
    ($($t:tt)*) => { $crate::say_line(format_args!($($t)*)) };
}

/// A line on standard error (a message to the person); if even that cannot be written, nothing more
/// can be said.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

mod screen;

const USAGE: &str = "usage:
  fangpin assess [--profile ID] [--policy DIR] [--as-of YYYY-MM-DD] [FILE|-]
  fangpin profiles [--policy DIR] [--as-of YYYY-MM-DD]
  fangpin check-policy [DIR]
  fangpin screen ROSTER|- [--profile ID|--county CODE] [--policy DIR] [--as-of YYYY-MM-DD] [--format csv|jsonl] [--out FILE] [--errors FILE] [--threads N] [--lang zh|en] [--map 'HEADER=field']... [--explain]
  fangpin roster-template [--lang zh|en] [--xlsx | --sample N]
  fangpin publish-policy POLICY_DIR SITE_DIR [--default-county CODE] [--date YYYY-MM-DD] [--receiver PATH|off] [--site-url URL|off]";

pub(crate) fn say_line(line: std::fmt::Arguments) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        tell!("error: 结果写不出去 / the output could not be written: {e}");
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    // Arguments as the system gives them: one that is not UTF-8 (a file name in another encoding)
    // is said, never a panic.
    let mut args = Vec::new();
    for a in std::env::args_os().skip(1) {
        match a.into_string() {
            Ok(a) => args.push(a),
            Err(a) => {
                return usage_error(&format!(
                    "参数不是 UTF-8 文字（文件名请改用中文或英文字母）/ an argument is not UTF-8 text: {}",
                    a.to_string_lossy()
                ));
            }
        }
    }
    // `fangpin publish-policy --help` and the like: the usage, not an error.
    if args.iter().skip(1).any(|a| a == "--help" || a == "-h") {
        say!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match args.first().map(String::as_str) {
        Some("assess") => cmd_assess(&args[1..]),
        Some("profiles") => cmd_profiles(&args[1..]),
        Some("check-policy") => cmd_check_policy(&args[1..]),
        Some("publish-policy") => cmd_publish_policy(&args[1..]),
        Some("screen") => screen::cmd_screen(&args[1..]),
        Some("roster-template") => screen::cmd_roster_template(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            say!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error("unknown or missing command"),
    }
}

pub(crate) fn usage_error(msg: &str) -> ExitCode {
    tell!("error: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// Prints `{"errors":[{"field":..,"message":{zh,en}}]}` to stdout and a plain line per error to stderr.
fn input_error(errors: Vec<serde_json::Value>) -> ExitCode {
    for e in &errors {
        tell!("invalid input: {}: {}", e["field"].as_str().unwrap_or(""), e["message"]["en"].as_str().unwrap_or(""));
    }
    say!("{}", serde_json::json!({ "errors": errors }));
    ExitCode::from(1)
}

/// Today's date from the system clock (the core never reads a clock; the CLI may).
pub(crate) fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    Date::from_day_number(secs.div_euclid(86_400)).unwrap_or_default()
}

/// Options and positional arguments, in order. `Err` is the usage error to print.
pub(crate) struct Args {
    pub(crate) options: Vec<(String, String)>,
    pub(crate) positional: Vec<String>,
}

impl Args {
    pub(crate) fn parse(args: &[String], known: &[&str]) -> Result<Args, String> {
        let mut a = Args { options: Vec::new(), positional: Vec::new() };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if arg.starts_with("--") && arg.len() > 2 {
                if !known.contains(&arg.as_str()) {
                    return Err(format!("unknown option {arg}"));
                }
                let v = it.next().ok_or(format!("{arg} needs a value"))?;
                a.options.push((arg.clone(), v.clone()));
            } else {
                a.positional.push(arg.clone());
            }
        }
        Ok(a)
    }
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// Every value of an option given more than once, in order.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.options.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub(crate) fn date(&self, name: &str) -> Result<Option<Date>, String> {
        self.get(name).map(|v| Date::parse(v).map_err(|e| format!("{name}: {e}"))).transpose()
    }
}

/// The profiles to use: a checked policy directory's, or the ones built in.
pub(crate) fn policy_set(dir: Option<&str>) -> Result<PolicySet, ExitCode> {
    let Some(dir) = dir else { return Ok(policy::installed().clone()) };
    let checked = policy_dir::check_dir(Path::new(dir)).map_err(|e| usage_error(&e))?;
    // Yong'an when the directory has it, else the county of its first profile (a county's own directory).
    let profiles = checked.profiles();
    let county = if profiles.iter().any(|p| p.region.county.code == policy::DEFAULT_COUNTY) {
        policy::DEFAULT_COUNTY.to_string()
    } else {
        profiles.first().map(|p| p.region.county.code.clone()).unwrap_or_default()
    };
    let set = if checked.ok() {
        checked.policy_set(&county).map_err(|errs| errs.iter().map(policy_dir::line).collect())
    } else {
        Err(checked.report)
    };
    set.map_err(|lines| {
        for l in lines {
            tell!("{l}");
        }
        tell!("error: {dir} 里的政策数据有问题 / the policy data in {dir} has problems (fangpin check-policy {dir})");
        ExitCode::from(1)
    })
}

fn cmd_assess(args: &[String]) -> ExitCode {
    let args = match Args::parse(args, &["--profile", "--policy", "--as-of"]) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let as_of = match args.date("--as-of") {
        Ok(d) => d,
        Err(e) => return usage_error(&e),
    };
    if args.positional.len() > 1 {
        return usage_error("only one household file");
    }
    let file = args.positional.first().cloned();
    let set = match policy_set(args.get("--policy")) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let as_of = as_of.unwrap_or_else(today);
    let profile = match args.get("--profile") {
        Some(id) => set.profile(id),
        None => set.for_county_on(&set.default_county, as_of),
    };
    let Some(profile) = profile else {
        let ids: Vec<&str> = set.profiles.iter().map(|p| p.id.as_str()).collect();
        return usage_error(&format!("no profile `{}` (have: {})", args.get("--profile").unwrap_or_default(), ids.join(", ")));
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
    let errors = household.validate(as_of);
    if !errors.is_empty() {
        return input_error(
            errors.into_iter().map(|e| serde_json::json!({ "field": e.field, "code": e.code, "message": e.message })).collect(),
        );
    }
    let a = assess(&household, profile, as_of);
    match serde_json::to_string_pretty(&to_cli_json(&a)) {
        Ok(s) => {
            say!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// One line per profile: id, name, range, and which applies on the day (`in force`, or `used` when the
/// county's latest has ended), the default county marked.
fn cmd_profiles(args: &[String]) -> ExitCode {
    let args = match Args::parse(args, &["--policy", "--as-of"]) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let as_of = match args.date("--as-of") {
        Ok(d) => d.unwrap_or_else(today),
        Err(e) => return usage_error(&e),
    };
    let set = match policy_set(args.get("--policy")) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let used: Vec<&str> = set.offered_on(as_of).iter().map(|p| p.id.as_str()).collect();
    for p in &set.profiles {
        let s = set.summary(p);
        let on = match (used.contains(&p.id.as_str()), p.period(as_of).in_force) {
            (true, true) => format!("\tin force on {as_of}"),
            (true, false) => format!("\tused on {as_of} (not in force: no newer profile)"),
            _ => String::new(),
        };
        say!(
            "{}\t{}\t{} 元{}{on}{}",
            s.id,
            s.name.zh,
            s.monitoring_range.short(),
            if s.monitoring_range_provisional { " (provisional 暂定)" } else { "" },
            if s.is_default { "\tdefault county" } else { "" }
        );
    }
    ExitCode::SUCCESS
}

/// `publish-policy POLICY_DIR SITE_DIR`: see `fangpin_site::publish`.
fn cmd_publish_policy(args: &[String]) -> ExitCode {
    let args = match Args::parse(args, &["--default-county", "--date", "--receiver", "--site-url"]) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let [policy_dir, site] = args.positional.as_slice() else { return usage_error("publish-policy needs POLICY_DIR and SITE_DIR") };
    let on = match args.date("--date") {
        Ok(d) => d.unwrap_or_else(today),
        Err(e) => return usage_error(&e),
    };
    let receiver = match args.get("--receiver").map(fangpin_site::publish::Setting::receiver).transpose() {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => return usage_error(&e),
    };
    let site_url = match args.get("--site-url").map(fangpin_site::publish::Setting::site_url).transpose() {
        Ok(u) => u.unwrap_or_default(),
        Err(e) => return usage_error(&e),
    };
    let options = fangpin_site::Options { default_county: args.get("--default-county").map(str::to_string), on, receiver, site_url };
    match fangpin_site::publish(Path::new(policy_dir), Path::new(site), &options) {
        Ok(p) => {
            for line in &p.report {
                say!("{line}");
            }
            say!(
                "已发布 {} 到 {site}，首页按 {on} 显示 {} / published {} into {site}: the start page opens with {} on {on}",
                p.policy,
                p.default_profile,
                p.policy,
                p.default_profile
            );
            say!("写入 / wrote: {}", p.written.join(", "));
            if p.unchanged {
                say!(
                    "内容没有变化，手机上的不用更新（版本 {}） / nothing changed: phones keep what they have (version {})",
                    p.version,
                    p.version
                );
            } else {
                say!(
                    "新版本 {}：手机下次联网打开时会更新 / service worker version {}: phones pick it up on their next online visit",
                    p.version,
                    p.version
                );
            }
            ExitCode::SUCCESS
        }
        Err(fangpin_site::PublishError::Site(e)) => usage_error(&e),
        Err(e) => {
            tell!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn cmd_check_policy(args: &[String]) -> ExitCode {
    let dir = args.first().cloned().unwrap_or_else(|| "policy-data".to_string());
    let checked = match policy_dir::check_dir(Path::new(&dir)) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    for line in &checked.report {
        say!("{line}");
    }
    if checked.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
