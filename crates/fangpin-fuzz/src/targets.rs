//! The fuzz targets: each names its seeds, how it mutates them and the path it drives — the same
//! core functions as the app (household → application → QR), the server (report JSON) and the CLI
//! (policy files). A broken round trip panics like any other bug, so it is counted as one.

use fangpin_core::application::{
    Application, AssessmentSummary, FilledBy, Report, decode_handoff, encode_handoff, frame_handoff_payload, handoff_payload,
};
use fangpin_core::household::{Household, id_check_char};
use fangpin_core::money::{MAX_FIELD_YUAN, Money, parse_amount, parse_optional_amount};
use fangpin_core::policy::{self, Profile};
use fangpin_core::{Date, assess, to_cli_json};
use serde_json::Value;

use crate::{Rng, mutate_bytes, mutate_chars, mutate_json};

/// How far an input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// Refused by the first parser.
    Refused,
    /// Parsed, then refused by validation.
    Parsed,
    /// Accepted all the way (an application built, a report valid, a profile valid...).
    Accepted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Money,
    Household,
    Report,
    Handoff,
    Policy,
    /// A site's published policy file (postcard bytes), as the app reads it.
    PolicyFile,
    /// A roster's CSV, screened by the stream (one part, and tiny parts on three threads: the same
    /// output) and by the browser's table (the same households, each one explained).
    Roster,
    /// A roster as an .xlsx workbook (bytes).
    Xlsx,
}

impl Target {
    pub const ALL: [Target; 8] = [
        Target::Money,
        Target::Household,
        Target::Report,
        Target::Handoff,
        Target::Policy,
        Target::PolicyFile,
        Target::Roster,
        Target::Xlsx,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Money => "money",
            Target::Household => "household",
            Target::Report => "report",
            Target::Handoff => "handoff",
            Target::Policy => "policy",
            Target::PolicyFile => "policy-file",
            Target::Roster => "roster",
            Target::Xlsx => "xlsx",
        }
    }

    pub fn from_name(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// The seeds of every target, made once and shared by the worker threads.
pub struct Seeds {
    money: Vec<String>,
    households: Vec<String>,
    reports: Vec<String>,
    payloads: Vec<Vec<u8>>,
    profiles: Vec<String>,
    policy_files: Vec<Vec<u8>>,
    rosters: Vec<String>,
    workbooks: Vec<Vec<u8>>,
}

fn as_of() -> Date {
    Date::new(2023, 6, 1).unwrap_or_default()
}

fn valid_id(birth: &str, seq: &str) -> String {
    let first = format!("350481{birth}{seq}");
    let check = id_check_char(&first).unwrap_or('0');
    format!("{first}{check}")
}

/// A full household as a grid worker enters it: ID numbers, labels, notes, every list used.
fn full_household() -> String {
    serde_json::json!({
        "format": "fangpin.household/1", "head_name": "张大山", "phone": "13812345678", "village": "洪田村", "address": "洪田村3组12号",
        "members": [
            {"name": "张大山", "relation": "head", "birth_date": "1978-03-07", "id_number": valid_id("19780307", "001"), "medical_insurance": true},
            {"name": "李秀英", "relation": "spouse", "birth_date": "1980-05-20", "id_number": valid_id("19800520", "002"), "labour": "weak", "serious_illness": true},
            {"name": "张小明", "relation": "child", "age": 12, "labour": "none", "schooling": "none", "out_of_school": "cost"},
            {"name": "王桂兰", "relation": "parent", "age": 70, "labour": "none", "severe_disability": true, "severe_disability_since": "2023-02-01", "dibao_since": "2023-03-01"}
        ],
        "formerly_poor": true,
        "monitoring": {"since": "2022-01-01", "income_stable_since": "2022-06-01"},
        "previous_applications": [{"source": "applied", "outcome": "not_included", "date": "2022-05-01"}],
        "income": [{"kind": "wage", "amount": "30000", "label": "务工"}, {"kind": "transfer", "amount": "1200", "item": "fuxu", "label": "抚恤金"}],
        "business_costs": [{"amount": "2000", "label": "化肥"}],
        "rigid_expenses": [{"kind": "medical_inpatient", "amount": "12000", "description": "住院", "member": 1},
                           {"kind": "schooling_non_compulsory", "amount": "15000"}],
        "income_drop": {"last_year_net_income": "60000", "reason": "lost_job", "description": "工厂关了"},
        "housing_grade": "C",
        "water": {"quality_ok": false, "litres_per_person_day": 10, "fetch_round_trip_minutes": 30, "supply_percent": 80},
        "collected_by": "王芳"
    })
    .to_string()
}

fn application_of(json: &str) -> Option<Application> {
    let h: Household = serde_json::from_str(json).ok()?;
    let p = policy::default_profile()?;
    let a = assess(&h, p, as_of());
    Application::build(&h, &a, p, FilledBy::Worker { name: "王芳".into() }, as_of()).ok()
}

#[path = "../../fangpin-core/tests/support/case_households.rs"]
mod case_households;

impl Seeds {
    /// `cases_dir`: the core's case files (real households), read once.
    pub fn new(cases_dir: &std::path::Path) -> Seeds {
        let mut households = vec![full_household()];
        households.extend(case_households::all(cases_dir).iter().map(Value::to_string));
        let apps: Vec<Application> = households.iter().filter_map(|h| application_of(h)).collect();
        let reports =
            apps.iter().map(|a| Report::from_application(a, "0123456789abcdef0123", "2023-06-01T09:30:00+08:00").to_json()).collect();
        let payloads = apps.iter().map(|a| handoff_payload(a, 0)).collect();
        let mut profiles: Vec<String> = policy::embedded_profile_sources().iter().map(|(_, j)| j.to_string()).collect();
        // A site's published policy file, as the app reads it.
        profiles.push(serde_json::to_string(policy::installed()).unwrap_or_default());
        // Today's published file: the postcard bytes, mutated byte by byte.
        let policy_files = policy::installed().to_published().into_iter().collect();
        let money =
            ["12000", "1.2万", "３万5千", "12,000.50元", "¥ 8000", "１２０００．５", "0.01", "100000000", "3万", "-5", "1,234,567.8"]
                .map(String::from)
                .to_vec();
        let mut sample = String::new();
        fangpin_roster::sample::roster(12, 3, &mut sample);
        let rosters = vec![
            fangpin_roster::template_csv("zh"),
            sample,
            "户编号,工资性收入,姓名,与户主关系,出生日期,享受低保\r\nA1,1.2万,\"张,三\",户主,1970/1/1,是\r\n\r\n,,李,配偶,,否\r\nA1,,王,子女,2010年1月,2023-02-01\r".to_string(),
        ];
        let workbooks = vec![fangpin_roster::xlsx::from_rows(&fangpin_roster::columns::template_rows("zh"))];
        Seeds { money, households, reports, payloads, profiles, policy_files, rosters, workbooks }
    }

    /// How many seeds reach the end of each target unmutated (a fuzzer whose seeds fail at once tests little).
    pub fn describe(&self) -> String {
        format!(
            "seeds: {} amounts, {} households, {} reports, {} handoff payloads, {} profiles",
            self.money.len(),
            self.households.len(),
            self.reports.len(),
            self.payloads.len(),
            self.profiles.len()
        )
    }

    /// A mutant of one of the target's seeds: 1–3 changes.
    pub fn mutant(&self, t: Target, rng: &mut Rng) -> String {
        let rounds = 1 + rng.below(3);
        match t {
            Target::Money => {
                let mut s = rng.pick(&self.money).clone();
                let other = rng.pick(&self.money).clone();
                for _ in 0..rounds {
                    s = mutate_chars(rng, &s, &other);
                }
                s
            }
            Target::Household => json_mutant(rng, &self.households, rounds),
            Target::Report => json_mutant(rng, &self.reports, rounds),
            Target::Policy => json_mutant(rng, &self.profiles, rounds),
            Target::Roster => {
                let mut s = rng.pick(&self.rosters).clone();
                let other = rng.pick(&self.rosters).clone();
                for _ in 0..rounds {
                    s = mutate_chars(rng, &s, &other);
                }
                s
            }
            Target::Xlsx => {
                let mut b = rng.pick(&self.workbooks).clone();
                for _ in 0..rounds {
                    mutate_bytes(rng, &mut b);
                }
                b.iter().map(|x| format!("{x:02x}")).collect()
            }
            // Bytes travel as hex (inputs are text); `run` decodes them.
            Target::PolicyFile => {
                let mut b = rng.pick(&self.policy_files).clone();
                for _ in 0..rounds {
                    mutate_bytes(rng, &mut b);
                }
                b.iter().map(|x| format!("{x:02x}")).collect()
            }
            Target::Handoff => {
                let mut p = rng.pick(&self.payloads).clone();
                match rng.below(4) {
                    // The payload changed and framed again with a correct checksum: reaches the content decoder.
                    0 | 1 => {
                        for _ in 0..rounds {
                            mutate_bytes(rng, &mut p);
                        }
                        frame_handoff_payload(&p)
                    }
                    2 => {
                        let mut s = frame_handoff_payload(&p);
                        for _ in 0..rounds {
                            s = mutate_chars(rng, &s, "");
                        }
                        s
                    }
                    _ => {
                        mutate_bytes(rng, &mut p);
                        format!("https://fp.example.gov.cn/index.html?x=1#a={}", frame_handoff_payload(&p))
                    }
                }
            }
        }
    }
}

fn json_mutant(rng: &mut Rng, seeds: &[String], rounds: usize) -> String {
    let seed = rng.pick(seeds);
    if rng.chance(3) {
        let mut s = seed.clone();
        let other = rng.pick(seeds).clone();
        for _ in 0..rounds {
            s = mutate_chars(rng, &s, &other);
        }
        return s;
    }
    let Ok(mut v) = serde_json::from_str::<Value>(seed) else { return seed.clone() };
    for _ in 0..rounds {
        mutate_json(rng, &mut v);
    }
    v.to_string()
}

/// Runs one input through the target's path. Panics on a bug (including a broken round trip).
pub fn run(t: Target, input: &str) -> Reached {
    match t {
        Target::Money => money(input),
        Target::Household => household(input),
        Target::Report => report(input),
        Target::Handoff => handoff(input),
        Target::Policy => profile(input),
        Target::PolicyFile => policy_file(input),
        Target::Roster => roster(input),
        Target::Xlsx => xlsx(input),
    }
}

fn hex_bytes(input: &str) -> Vec<u8> {
    (0..input.len() / 2).filter_map(|i| input.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect()
}

/// `fangpin screen` and the roster page on the same text: the stream in one part and in parts of
/// a few bytes on three threads must write the same; the table must find the same households and
/// explain each one to the outcome it listed.
fn roster(text: &str) -> Reached {
    use fangpin_roster::screen::{Format, Screen};
    use fangpin_roster::stream::{Options, screen};
    let Some(p) = policy::default_profile() else { return Reached::Refused };
    let run = |threads: usize, part_bytes: usize| {
        let opts = Options { part_bytes, ..Options::new(Screen::new(p, as_of(), Format::Jsonl, "zh"), threads) };
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        screen(text.as_bytes(), &mut out, &mut errors, &opts, |_| {}).map(|(t, m)| (t, m, out, errors))
    };
    let Ok((totals, mapping, out, errors)) = run(1, 1 << 20) else { return Reached::Refused };
    let Ok((t2, _, out2, errors2)) = run(3, 37) else { panic!("tiny parts refused what one part screened") };
    assert_eq!(totals, t2, "tiny parts counted differently");
    assert_eq!(out, out2, "tiny parts wrote other results");
    assert_eq!(errors, errors2, "tiny parts kept other rows aside");
    let table = fangpin_roster::table::Table::screen(text.trim_start_matches('\u{feff}'), mapping, p, as_of(), |_| {});
    if totals.not_together == 0 {
        assert_eq!(table.rows.len() as u64, totals.households, "the table found other households than the stream");
        assert_eq!(table.kept_aside.len() as u64, totals.kept_aside, "the table kept aside other households");
    }
    for (i, r) in table.rows.iter().enumerate() {
        let (_, a) = table.explain(text.trim_start_matches('\u{feff}'), i, p).expect("a listed household explains");
        assert_eq!(fangpin_visits::VisitOutcome::of(&a), r.outcome, "explained to another outcome than listed");
    }
    let _ = (table.flagged_csv(&table.view(&Default::default()), p, "zh"), table.kept_aside_csv("en"), table.summary());
    if totals.households > 0 { Reached::Accepted } else { Reached::Parsed }
}

/// A workbook's bytes: read (never a panic), and what it gives screened as a roster.
fn xlsx(input: &str) -> Reached {
    match fangpin_roster::xlsx::to_csv(&hex_bytes(input)) {
        Ok(csv) => {
            let _ = roster(&csv);
            Reached::Accepted
        }
        Err(e) => {
            let _ = e.message();
            Reached::Refused
        }
    }
}

fn money(s: &str) -> Reached {
    let _ = parse_optional_amount(s);
    match parse_amount(s) {
        Ok(m) => {
            assert!(!m.is_negative(), "a negative amount was accepted: {m:?}");
            assert!(m <= Money::yuan(MAX_FIELD_YUAN), "over the field limit: {m:?}");
            let _ = (m.to_fixed2(), m.display_yuan(), m.short(), m.to_string());
            Reached::Accepted
        }
        Err(e) => {
            let _ = e.message();
            Reached::Refused
        }
    }
}

/// The app's path: a household → validation → assessment (every profile) → the application →
/// its QR handoff and back → the one-click report and back.
fn household(s: &str) -> Reached {
    let Ok(h) = serde_json::from_str::<Household>(s) else { return Reached::Refused };
    let errs = h.validate(as_of());
    let mut reached = Reached::Parsed;
    for p in policy::embedded_profiles() {
        let a = assess(&h, p, as_of());
        let _ = to_cli_json(&a);
        if let Ok(app) = Application::build(&h, &a, p, FilledBy::Self_, as_of()) {
            assert!(errs.is_empty(), "an application was built from a household with errors: {errs:?}");
            application_round_trips(&app, p);
            reached = Reached::Accepted;
        }
    }
    reached
}

fn application_round_trips(app: &Application, p: &Profile) {
    let _ = (app.to_plain_text("zh"), app.to_plain_text("en"), app.hotline_script("zh"), app.hotline_script("en"));
    let hand = encode_handoff(app);
    if hand.fits && hand.dropped.is_empty() {
        let data = decode_handoff(&hand.text).unwrap_or_else(|e| panic!("the app's own handoff does not decode: {e:?}"));
        assert_eq!(data.household, app.household, "the handoff changed the household");
        let back = data.to_application(p).unwrap_or_else(|e| panic!("the app's own handoff does not rebuild: {e:?}"));
        assert_eq!(back.reference, app.reference, "the handoff changed the reference code");
    }
    let report = Report::from_application(app, "0123456789abcdef0123", "2023-06-01T09:30:00+08:00");
    let parsed = Report::from_json(&report.to_json()).unwrap_or_else(|e| panic!("the app's own report does not parse: {e:?}"));
    assert_eq!(parsed, report, "the report changed in JSON");
    let errs = parsed.validate();
    assert!(errs.is_empty(), "the app's own report does not validate: {errs:?}");
}

/// The receiver's path (fangpin-server): parse strictly, validate, re-assess, compare, rebuild.
fn report(s: &str) -> Reached {
    let r = match Report::from_json(s) {
        Ok(r) => r,
        Err(e) => {
            let _ = e.message;
            return Reached::Refused;
        }
    };
    if !r.validate().is_empty() {
        return Reached::Parsed;
    }
    let Some(p) = policy::profile(&r.profile) else { return Reached::Parsed };
    let a = assess(&r.household, p, r.application.date);
    let _ = serde_json::to_string(&a);
    let _ = AssessmentSummary::from_assessment(&a) == r.assessment;
    match Application::build(&r.household, &a, p, r.application.filled_by.clone(), r.application.date) {
        Ok(_) => Reached::Accepted,
        Err(_) => Reached::Parsed,
    }
}

/// The worker's phone: a scanned link → decoded → rebuilt → encoded again → the same.
fn handoff(s: &str) -> Reached {
    let data = match decode_handoff(s) {
        Ok(d) => d,
        Err(e) => {
            let _ = e.message();
            return Reached::Refused;
        }
    };
    let Some(p) = policy::profile(&data.profile) else { return Reached::Parsed };
    match data.to_application(p) {
        Ok(app) => {
            application_round_trips(&app, p);
            Reached::Accepted
        }
        Err(_) => Reached::Parsed,
    }
}

/// The app's published policy file as bytes (hex in `input`): read, and every profile it offers assessed.
fn policy_file(input: &str) -> Reached {
    let bytes: Vec<u8> =
        (0..input.len() / 2).filter_map(|i| input.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    match policy::PolicySet::parse_published(&bytes) {
        Ok(set) => {
            let h: Household = serde_json::from_str(&full_household()).unwrap_or_default();
            for p in set.offered_on(as_of()) {
                let _ = to_cli_json(&assess(&h, p, as_of()));
            }
            // What was read writes back to the same set.
            let again = set.to_published().expect("writes");
            assert_eq!(policy::PolicySet::parse_published(&again).expect("reads back"), set, "policy file round trip");
            Reached::Accepted
        }
        Err(errs) if errs.iter().any(|e| e.path.is_empty()) => Reached::Refused,
        Err(_) => Reached::Parsed,
    }
}

/// The CLI's `check-policy` and the assessment with a city's own file; the app's published policy file.
fn profile(s: &str) -> Reached {
    if let Ok(set) = policy::PolicySet::read_published(s.as_bytes()) {
        let h: Household = serde_json::from_str(&full_household()).unwrap_or_default();
        for p in set.offered_on(as_of()) {
            let _ = to_cli_json(&assess(&h, p, as_of()));
            let _ = set.resolve(&p.id, as_of());
        }
        return Reached::Accepted;
    }
    let parsed = if s.trim_start().starts_with('{') { policy::parse_profile_json(s) } else { policy::parse_profile_toml(s) };
    let Ok(p) = parsed else { return Reached::Refused };
    if !p.validate().is_empty() {
        return Reached::Parsed;
    }
    let h: Household = serde_json::from_str(&full_household()).unwrap_or_default();
    let a = assess(&h, &p, as_of());
    let _ = to_cli_json(&a);
    if let Ok(app) = Application::build(&h, &a, &p, FilledBy::Self_, as_of()) {
        let _ = (app.to_plain_text("zh"), app.hotline_script("en"));
    }
    Reached::Accepted
}
