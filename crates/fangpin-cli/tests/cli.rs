use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fangpin"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    c
}

fn run_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    child.wait_with_output().expect("wait")
}

const HOUSEHOLD: &str = r#"{"format":"fangpin.household/1","members":[
  {"name":"甲","relation":"head","birth_date":"1978-03-07","labour":"full","medical_insurance":true},
  {"name":"乙","relation":"spouse","birth_date":"1980-05-20","labour":"full","medical_insurance":true}],
  "income":[{"kind":"wage","amount":"1.2万"}],"housing_grade":"C"}"#;

#[test]
fn assess_prints_the_exact_fields() {
    let out = run_stdin(&["assess", "--profile", "yongan-2023", "--as-of", "2023-06-01", "-"], HOUSEHOLD);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for k in [
        "profile",
        "per_capita_net_income",
        "monitoring_range",
        "below_range",
        "category",
        "risks",
        "whole_household_no_labour",
        "risk_elimination",
        "measures",
        "data_quality",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["profile"], "yongan-2023");
    assert_eq!(v["per_capita_net_income"], "6000.00");
    assert_eq!(v["monitoring_range"], "10560.00");
    assert_eq!(v["below_range"], true);
    assert_eq!(v["category"], "marginal_at_risk");
    assert_eq!(v["risks"][0]["code"], "housing_unsafe");
    assert_eq!(v["whole_household_no_labour"], false);
    assert!(v["risk_elimination"].is_null());
}

#[test]
fn assess_reads_a_file_and_other_profiles() {
    let path = std::env::temp_dir().join(format!("fangpin-cli-test-{}.json", std::process::id()));
    std::fs::write(&path, HOUSEHOLD).expect("write");
    let out = bin().args(["assess", "--profile", "dehua-2024", "--as-of", "2024-06-01"]).arg(&path).output().expect("run");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["monitoring_range"], "19560.00");
}

#[test]
fn invalid_household_names_the_field() {
    let out = run_stdin(&["assess", "--as-of", "2023-06-01"], r#"{"members":[{"name":"甲","labour":"lazy"}]}"#);
    assert!(!out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("members[0].labour"), "{s}");

    let bad_id = r#"{"members":[{"name":"甲","relation":"head","id_number":"110105194912310021"}]}"#;
    let out = run_stdin(&["assess", "--as-of", "2023-06-01"], bad_id);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("members[0].id_number"));

    let out = run_stdin(&["assess", "--as-of", "2023-06-01"], r#"{"members":[{"name":"甲"}],"income":[{"kind":"wage","amount":"1.234"}]}"#);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("income[0].amount"));
}

#[test]
fn unknown_profile_is_a_usage_error() {
    let out = run_stdin(&["assess", "--profile", "nowhere-1999"], HOUSEHOLD);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn profiles_lists_the_default() {
    let out = bin().arg("profiles").output().expect("run");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("yongan-2023") && s.contains("minhou-2023") && s.contains("dehua-2024") && s.contains("default"), "{s}");
}

#[test]
fn check_policy_passes_on_shipped_data_and_fails_on_bad_data() {
    let out = bin().arg("check-policy").output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    let dir = std::env::temp_dir().join(format!("fangpin-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policy-data/yongan-2023.toml")).expect("read");
    // A value without source, an unknown field, and a negative amount.
    let bad = good
        .replacen("provenance = { source = \"yongan-plan-2023\", clause = { zh = \"联系人", "provenance = { clause = { zh = \"联系人", 1)
        .replacen("amount_others = \"10000\"", "amount_others = \"-10000\"", 1);
    std::fs::write(dir.join("bad.toml"), &bad).expect("write");
    std::fs::write(dir.join("unknown.toml"), format!("{good}\nsurprise = 1\n")).expect("write");
    let out = bin().arg("check-policy").arg(&dir).output().expect("run");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("bad.toml: hotlines[1].provenance"), "{s}");
    assert!(s.contains("spending_triggers[0].amount_others"), "{s}");
    assert!(s.contains("unknown.toml") && s.contains("surprise"), "{s}");
}
