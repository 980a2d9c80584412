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
fn help_after_any_command_prints_the_usage() {
    for cmd in ["publish-policy", "screen", "check-policy"] {
        let out = bin().args([cmd, "--help"]).output().expect("run");
        assert!(out.status.success(), "{cmd}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("fangpin publish-policy POLICY_DIR SITE_DIR"), "{cmd}");
    }
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
    // A clerk's slips: a letter O in an amount, a date with slashes, a misspelt field, an empty
    // file, one saved as GBK. Each is named by field and line, in Chinese.
    let line_of = |needle: &str| good.lines().position(|l| l.contains(needle)).expect("needle") + 1;
    std::fs::write(dir.join("letter.toml"), good.replacen("amount = \"10560\"", "amount = \"１０５６Ｏ\"", 1)).expect("write");
    std::fs::write(dir.join("slashes.toml"), good.replacen("effective_to = \"2023-12-31\"", "effective_to = \"2023/12/31\"", 1))
        .expect("write");
    std::fs::write(dir.join("misspelt.toml"), good.replacen("\nscreen_note = ", "\nscreen_notes = ", 1)).expect("write");
    std::fs::write(dir.join("empty.toml"), "\u{feff}\n").expect("write");
    std::fs::write(dir.join("gbk.toml"), b"id = \"\xd3\xc0\xb0\xb2\"\n").expect("write");
    let out = bin().arg("check-policy").arg(&dir).output().expect("run");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("bad.toml: hotlines[1].provenance"), "{s}");
    assert!(s.contains("spending_triggers[0].amount_others"), "{s}");
    assert!(s.contains("unknown.toml") && s.contains("surprise"), "{s}");
    let said = |file: &str| s.lines().find(|l| l.contains(file)).unwrap_or_default().to_string();
    let amount = line_of("amount = \"10560\"");
    assert!(said("letter.toml").contains(&format!("monitoring_range.amount: 政策数据格式有误：第 {amount} 行：这里请填数字")), "{s}");
    let to = line_of("effective_to =");
    assert!(said("slashes.toml").contains(&format!("effective_to: 政策数据格式有误：第 {to} 行：日期请写成 2024-01-01 这样")), "{s}");
    assert!(said("misspelt.toml").contains("不认识“screen_notes”这一项，是不是拼错了？这里可以写的有：amount, basis, screen_note"), "{s}");
    assert!(said("empty.toml").contains("文件是空的。"), "{s}");
    assert!(said("gbk.toml").contains("文件不是 UTF-8 编码"), "{s}");
}

/// policy-data/ copied, with the city's new 2026 file added.
fn policy_with_2026(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fangpin-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let status = Command::new("cp").arg("-r").arg(format!("{root}/policy-data")).arg(&dir).status().expect("cp");
    assert!(status.success());
    std::fs::copy(format!("{root}/tests/fixtures/policy/yongan-2026.toml"), dir.join("yongan-2026.toml")).expect("fixture");
    dir
}

#[test]
fn with_a_policy_directory_the_date_picks_the_new_year_and_says_whether_it_is_in_force() {
    let dir = policy_with_2026("assess");
    let p = dir.to_str().unwrap();
    let out = run_stdin(&["assess", "--policy", p, "--as-of", "2026-06-01", "-"], HOUSEHOLD);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (v["profile"].as_str(), v["monitoring_range"].as_str(), v["policy_in_force"].as_bool()),
        (Some("yongan-2026"), Some("11280.00"), Some(true))
    );
    // The built-in profiles on the same day: 2023's, not in force, and why.
    let out = run_stdin(&["assess", "--as-of", "2026-06-01", "-"], HOUSEHOLD);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((v["profile"].as_str(), v["policy_in_force"].as_bool()), (Some("yongan-2023"), Some(false)));
    assert!(v["policy_note"]["zh"].as_str().is_some_and(|n| n.contains("2023年")), "{}", v["policy_note"]);
    // An explicit profile is used as named.
    let out = run_stdin(&["assess", "--policy", p, "--profile", "yongan-2023", "--as-of", "2026-06-01", "-"], HOUSEHOLD);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["profile"], "yongan-2023");

    let out = bin().args(["profiles", "--policy", p, "--as-of", "2026-06-01"]).output().expect("run");
    let s = String::from_utf8_lossy(&out.stdout);
    let line = |id: &str| s.lines().find(|l| l.starts_with(id)).unwrap_or_default().to_string();
    assert!(line("yongan-2026").contains("in force on 2026-06-01"), "{s}");
    assert!(!line("yongan-2023").contains("2026-06-01"), "{s}");
    assert!(line("dehua-2024").contains("not in force"), "{s}");

    // A county's own directory (no Yong'an file): its own county is the default.
    let dehua = dir.with_extension("dehua");
    std::fs::create_dir_all(&dehua).unwrap();
    std::fs::copy(dir.join("dehua-2024.toml"), dehua.join("dehua-2024.toml")).unwrap();
    std::fs::create_dir_all(dehua.join("sources")).unwrap();
    std::fs::copy(dir.join("sources/yongan-plan-2023.txt"), dehua.join("sources/yongan-plan-2023.txt")).unwrap();
    let out = run_stdin(&["assess", "--policy", dehua.to_str().unwrap(), "--as-of", "2024-06-01", "-"], HOUSEHOLD);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["profile"], "dehua-2024");
    let out = bin().args(["profiles", "--policy", dehua.to_str().unwrap()]).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("dehua-2024") && out.status.success());
    let _ = std::fs::remove_dir_all(&dehua);

    // Bad data in the directory: refused, with the file named.
    std::fs::write(dir.join("broken.toml"), "id = ").unwrap();
    let out = run_stdin(&["assess", "--policy", p, "-"], HOUSEHOLD);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.toml"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A roster screened after a new year was published: the binary's own figures are last year's,
/// and the screen says so before anything else; with the policy directory it uses the new year's.
#[test]
fn screening_on_figures_not_in_force_says_so_and_names_the_way_to_the_new_ones() {
    let dir = policy_with_2026("screen-year");
    let sample = bin().args(["roster-template", "--sample", "3"]).output().expect("run");
    let csv = String::from_utf8(sample.stdout).expect("utf8");
    let built_in = run_stdin(&["screen", "--as-of", "2026-06-01", "-"], &csv);
    assert!(built_in.status.success());
    let said = String::from_utf8_lossy(&built_in.stderr);
    assert!(said.starts_with("注意：这里用的是永安市2023年的政策数字"), "{said}");
    assert!(
        said.contains("--policy") && said.contains("按 yongan-2023（永安市2023年）的标准，筛查日期 2026-06-01，不是这一天执行的标准"),
        "{said}"
    );
    assert!(said.contains("(not the figures in force on that day)"), "{said}");
    let new_year = run_stdin(&["screen", "--policy", dir.to_str().unwrap(), "--as-of", "2026-06-01", "-"], &csv);
    let said = String::from_utf8_lossy(&new_year.stderr);
    assert!(!said.contains("注意") && said.contains("按 yongan-2026（永安市2026年）的标准"), "{said}");
    assert!(String::from_utf8_lossy(&new_year.stdout).contains("11280.00"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn publish_policy_puts_checked_data_into_a_built_site_and_refuses_anything_else() {
    let dir = policy_with_2026("publish");
    let site = dir.with_extension("site");
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(site.join("publish")).unwrap();
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::write(
        site.join("publish/index.html"),
        "<main data-policy=\"{{POLICY}}\" data-receiver=\"{{RECEIVER}}\">{{START_PAGE}}</main>{{START_TEMPLATES}}{{START_INDEX}}",
    )
    .unwrap();
    std::fs::write(site.join("publish/sw.js"), "const VERSION = '{{VERSION}}'; const PRECACHE = {{PRECACHE}};").unwrap();
    std::fs::write(
        site.join("publish/manifest.json"),
        r#"{"format":"fangpin.site/1","precache":["index.html"],"default_county":"350481"}"#,
    )
    .unwrap();
    let out = bin().arg("publish-policy").arg(&dir).arg(&site).args(["--date", "2026-12-01"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("ok (yongan-2026)") && stdout.contains("opens with yongan-2026 on 2026-12-01"), "{stdout}");
    assert!(stdout.contains("首页按 2026-12-01 显示 yongan-2026"), "in Chinese first: {stdout}");
    assert!(stdout.contains("phones pick it up on their next online visit"), "{stdout}");
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains("11,280.00"));
    let again = bin().arg("publish-policy").arg(&dir).arg(&site).args(["--date", "2026-12-01"]).output().expect("run");
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"));
    // The one-click receiver the pages use: a path on the site, or off; another origin is refused.
    let with = bin()
        .arg("publish-policy")
        .arg(&dir)
        .arg(&site)
        .args(["--date", "2026-12-01", "--receiver", "/api/v1/reports"])
        .output()
        .expect("run");
    assert!(with.status.success());
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains("data-receiver=\"/api/v1/reports\""));
    let elsewhere = bin().arg("publish-policy").arg(&dir).arg(&site).args(["--receiver", "https://evil.example/r"]).output().expect("run");
    assert_eq!(elsewhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("本网站上的路径"), "{}", String::from_utf8_lossy(&elsewhere.stderr));
    let off = bin().arg("publish-policy").arg(&dir).arg(&site).args(["--date", "2026-12-01", "--receiver", "off"]).output().expect("run");
    assert!(off.status.success());
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains("data-receiver=\"\""));

    let index = std::fs::read(site.join("index.html")).unwrap();
    std::fs::write(dir.join("broken.toml"), "id = ").unwrap();
    let bad = bin().arg("publish-policy").arg(&dir).arg(&site).output().expect("run");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("broken.toml"), "{}", String::from_utf8_lossy(&bad.stderr));
    assert_eq!(std::fs::read(site.join("index.html")).unwrap(), index, "the site is as it was");
    std::fs::remove_file(dir.join("broken.toml")).unwrap();

    // Usage errors: no site, a wrong date, a missing argument.
    let no_site = bin().arg("publish-policy").arg(&dir).arg(&dir).output().expect("run");
    assert_eq!(no_site.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_site.stderr).contains("网站目录"), "{}", String::from_utf8_lossy(&no_site.stderr));
    for args in [
        vec!["publish-policy"],
        vec!["publish-policy", "policy-data", "x", "--date", "2026-13-01"],
        vec!["publish-policy", "a", "b", "--bogus", "1"],
    ] {
        assert_eq!(bin().args(&args).output().unwrap().status.code(), Some(2), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&site);
}

/// A roster with good and bad rows: the good households screened, the bad kept aside with row
/// and column, through the real binary.
#[test]
fn screen_a_roster_with_good_and_bad_rows() {
    let dir = std::env::temp_dir().join(format!("fangpin-cli-screen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let roster = dir.join("roster.csv");
    let mut csv = String::from("\u{feff}户编号,村,工资性收入（元）,姓名,与户主关系,出生日期,医疗自付,备注\r\n");
    csv.push_str("A1,洪田村,8000,甲,户主,1960-01-01,20000,\r\n");
    csv.push_str("A1,洪田村,,乙,配偶,1962-01-01,,\r\n");
    csv.push_str("B1,贡川村,八千,丙,户主,1960-01-01,,\r\n");
    csv.push_str("C1,小陶村,90000,丁,户主,1970-01-01,,\r\n");
    std::fs::write(&roster, csv).expect("write");
    let (out, errors) = (dir.join("out.csv"), dir.join("errors.csv"));
    let run = bin()
        .args(["screen", "--as-of", "2023-06-01", "--threads", "2", "--out"])
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .arg(&roster)
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("screened 2 households (4 rows), 1 kept aside"), "{stderr}");
    assert!(stderr.contains("备注"), "the unread column is named: {stderr}");
    let out = std::fs::read_to_string(&out).expect("out");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("\u{feff}行号,户编号,村,户主,人数,家庭纯收入（元）,人均纯收入（元）,监测范围（元）"));
    // 8000 for two: 4000 a head, under the range; the medical spending names the risk.
    assert!(lines[1].starts_with("2,A1,洪田村,甲,2,8000.00,4000.00,10560.00（暂定）,是,6560.00,"), "{}", lines[1]);
    assert!(lines[1].contains("必要开支太大"), "{}", lines[1]);
    assert!(lines[2].starts_with("5,C1,小陶村,丁,1,90000.00,90000.00,"), "{}", lines[2]);
    let errors = std::fs::read_to_string(&errors).expect("errors");
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 2, "{errors}");
    assert!(lines[1].starts_with("4,B1,工资性收入（元）,"), "{}", lines[1]);

    // Merged 户编号 cells (only a household's first row has one) and a 户编号 that comes twice,
    // counted so they add up: households by 户编号, rows without one as rows, each repeat once.
    let mut csv = String::from("户编号,村,工资性收入（元）,姓名,与户主关系,出生日期\n");
    csv.push_str("A1,洪田村,8000,甲,户主,1960-01-01\n,,,乙,配偶,1962-01-01\nB1,贡川村,9000,丙,户主,1960-01-01\n");
    csv.push_str("A1,洪田村,,丁,子女,1990-01-01\n,,,戊,子女,1992-01-01\nA1,洪田村,,己,子女,1994-01-01\n");
    std::fs::write(&roster, csv).expect("write");
    let problems = dir.join("problems.csv");
    let run = bin().args(["screen", "--as-of", "2023-06-01", "--out", "-", "--errors"]).arg(&problems).arg(&roster).output().expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("已筛查 1 户（6 行），3 户有问题放在一边，另有 2 行没有户编号也放在一边"), "{stderr}");
    assert!(stderr.contains("screened 1 household (6 rows), 3 kept aside and 2 rows without a household number"), "{stderr}");
    assert!(stderr.contains("1 个户编号在名单里不止一处（各行不挨在一起）：后面出现的 2 处已放在一边。"), "{stderr}");
    // A1's first place was kept aside itself (a merged cell under it): nothing of it was written,
    // and the note does not say it was.
    assert!(!stderr.contains("已写进结果"), "{stderr}");

    // A roster without a household number is refused, and --map names the column.
    std::fs::write(&roster, "编号,工资\nX,100\n").expect("write");
    let refused = bin().args(["screen", "--as-of", "2023-06-01"]).arg(&roster).output().expect("run");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("household number"));
    let mapped = bin()
        .args(["screen", "--as-of", "2023-06-01", "--format", "jsonl", "--map", "编号=household_id", "--map", "2=income_wage"])
        .arg(&roster)
        .output()
        .expect("run");
    assert!(mapped.status.success(), "{}", String::from_utf8_lossy(&mapped.stderr));
    let v: serde_json::Value = serde_json::from_slice(&mapped.stdout).expect("json line");
    assert_eq!(v["household_id"], "X");
    assert_eq!(v["net_income"], "100.00");
    let bad = bin().args(["screen", "--map", "编号=nonsense"]).arg(&roster).output().expect("run");
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn screen_reads_stdin_explains_on_demand_and_the_template_screens() {
    let template = bin().args(["roster-template"]).output().expect("run");
    assert!(template.status.success());
    let csv = String::from_utf8(template.stdout).expect("utf8");
    let out = run_stdin(&["screen", "--as-of", "2023-06-01", "--format", "jsonl", "--explain", "-"], &csv);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 2);
    // The explained assessment says the same as the row.
    assert_eq!(rows[0]["assessment"]["category"], rows[0]["category"]);
    assert_eq!(rows[0]["assessment"]["per_capita_net_income"], rows[0]["per_capita"]);
    assert!(rows[0]["assessment"]["category_reasons"][0]["clause"].is_object());
    let en = run_stdin(&["screen", "--as-of", "2023-06-01", "--lang", "en", "-"], &csv);
    assert!(String::from_utf8_lossy(&en.stdout).starts_with("\u{feff}Row,Household number,Village,Head,"));
    // The template as a workbook screens the same.
    let dir = std::env::temp_dir().join(format!("fangpin-cli-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let xlsx = bin().args(["roster-template", "--xlsx"]).output().expect("run");
    assert!(xlsx.stdout.starts_with(b"PK\x03\x04"));
    std::fs::write(dir.join("名单.xlsx"), &xlsx.stdout).expect("write");
    let from_xlsx = bin().args(["screen", "--as-of", "2023-06-01", "--format", "jsonl"]).arg(dir.join("名单.xlsx")).output().expect("run");
    assert!(from_xlsx.status.success(), "{}", String::from_utf8_lossy(&from_xlsx.stderr));
    let from_csv = run_stdin(&["screen", "--as-of", "2023-06-01", "--format", "jsonl", "-"], &csv);
    assert_eq!(String::from_utf8_lossy(&from_xlsx.stdout), String::from_utf8_lossy(&from_csv.stdout));
    // A workbook on stdin, or under another name, is known by its bytes.
    let piped = {
        let mut child = bin()
            .args(["screen", "--as-of", "2023-06-01", "--format", "jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child.stdin.take().expect("stdin").write_all(&xlsx.stdout).expect("write");
        child.wait_with_output().expect("wait")
    };
    assert_eq!(String::from_utf8_lossy(&piped.stdout), String::from_utf8_lossy(&from_csv.stdout));
    std::fs::write(dir.join("bad.xlsx"), b"PK\x03\x04 not really").expect("write");
    let bad = bin().args(["screen"]).arg(dir.join("bad.xlsx")).output().expect("run");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an Excel xlsx workbook"));
    let _ = std::fs::remove_dir_all(&dir);
    let sample = bin().args(["roster-template", "--sample", "25"]).output().expect("run");
    let screened = run_stdin(&["screen", "--as-of", "2023-06-01", "--threads", "1", "-"], &String::from_utf8_lossy(&sample.stdout));
    assert!(String::from_utf8_lossy(&screened.stderr).contains("screened 25 households (100 rows), 0 kept aside"));
}

#[test]
fn output_that_cannot_be_written_and_arguments_that_are_not_text_are_said_never_a_panic() {
    // Standard output on a full disk: every command stops with exit 1 and says why.
    for args in [&["profiles"][..], &["--help"], &["check-policy"], &["roster-template"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out = bin().args(args).stdout(full).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = bin().arg("profiles").stdout(full).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("结果写不出去"));
    // A file name that is not UTF-8: a usage error in words.
    use std::os::unix::ffi::OsStrExt;
    let out = bin().arg("assess").arg(std::ffi::OsStr::from_bytes(b"\xff.json")).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("不是 UTF-8") && !err.contains("panicked"), "{err}");
}
