//! The roster page's session as the worker runs it: policy in, a file with good and bad rows,
//! the mapping, the screen, the list, one household explained, the exports.

use fangpin_roster_web::Session;
use serde_json::json;

fn session() -> Session {
    let mut s = Session::default();
    let bytes = fangpin_core::policy::installed().to_published().expect("published");
    let counties = s.install_policy(&bytes).expect("policy");
    assert!(counties["counties"].as_array().is_some_and(|c| c.iter().any(|c| c["code"] == "350481")), "{counties}");
    s
}

#[test]
fn a_roster_from_file_to_explained_household() {
    let mut s = session();
    let mut csv = fangpin_roster::template_csv("zh");
    csv.push_str("H003,小陶村,否,,三千,0,0,0,0,0,0,A,吴某,户主,,1970-01-01,,有,,否,否,是,否,否,0\r\n");
    let m = s.load(csv.into_bytes(), "zh");
    assert_eq!(m["headers"][0], "户编号");
    assert_eq!(m["columns"][0], "household_id");
    assert_eq!(m["examples"][0][0], "H001");
    assert_eq!(m["problems"], json!([]));
    // The person moves the wage column away: the mapping says what is missing, and screening refuses.
    let m = s.set_column(4, "", "zh");
    assert_eq!(m["columns"][4], serde_json::Value::Null);
    let m = s.set_column(4, "income_wage", "zh");
    assert_eq!(m["columns"][4], "income_wage");
    let p = s.describe_profile("350481", "2023-06-01", "zh");
    assert_eq!(p["id"], "yongan-2023");
    assert_eq!(p["range"], "10,560.00");
    assert!(s.describe_profile("350481", "not a date", "en")["error"].as_str().is_some_and(|e| e.contains("screening date")));
    let mut fractions = Vec::new();
    let summary = s.screen("350481", "2023-06-01", "zh", |f| fractions.push(f));
    assert_eq!(summary["households"], 2, "{summary}");
    assert_eq!(summary["kept_aside"], 1);
    assert!(!fractions.is_empty() && fractions.iter().all(|f| (0.0..=1.0).contains(f)));
    let v = s.view(&json!({"sort": "gap"}), 0, 50, "zh");
    assert_eq!(v["total"], 2);
    assert_eq!(v["rows"][0]["id"], "H002", "the furthest below the range first: {v}");
    assert_eq!(v["villages"].as_array().map(Vec::len), Some(2));
    let v = s.view(&json!({"search": "张大山"}), 0, 50, "en");
    assert_eq!(v["total"], 1);
    assert_eq!(v["rows"][0]["outcome_label"], "marginal household at risk");
    let i = v["rows"][0]["i"].as_u64().expect("index") as usize;
    let html = s.explain(i, "zh");
    assert!(html.contains("H001 张大山") && html.contains("李秀英（配偶）"), "{html}");
    assert!(html.contains("data-category=\"marginal_at_risk\""), "{html}");
    assert!(html.contains("fp-why"), "each conclusion with its why");
    assert!(html.contains("暂定"), "the provisional range is marked");
    let en = s.explain(i, "en");
    assert!(en.contains("李秀英 (Spouse)") && !en.contains('（'), "English brackets: {en}");
    let kept = s.kept_aside(200, "zh");
    assert_eq!(kept[0]["id"], "H003");
    assert!(kept[0]["problems"][0].as_str().is_some_and(|p| p.starts_with("第 8 行“工资性收入”")), "{kept}");
    let flagged = s.flagged_csv(&json!({}), "zh");
    assert_eq!(flagged.lines().count(), 3);
    assert!(s.kept_aside_csv("en").lines().nth(1).is_some_and(|l| l.starts_with("8,")));
}

#[test]
fn other_encodings_and_empty_files_are_said() {
    let mut s = session();
    assert_eq!(s.load(vec![0xBB, 0xA7, 0xB1, 0xE0], "zh")["error"], "encoding");
    assert_eq!(s.load(Vec::new(), "zh")["error"], "empty");
    assert_eq!(s.screen("350481", "2023-06-01", "zh", |_| {})["error"], "no_file");
    assert_eq!(s.view(&json!({}), 0, 10, "zh")["error"], "no_table");
    assert_eq!(s.explain(0, "zh"), "");
    // A header of emoji and nothing else: the problems are said, the screen refuses.
    let m = s.load("🙂,\u{202e}\n1,2\n".as_bytes().to_vec(), "en");
    assert_eq!(m["problems"].as_array().map(Vec::len), Some(2));
    assert!(s.screen("350481", "2023-06-01", "en", |_| {})["error"].as_str().is_some_and(|e| e.contains("household number")));
}
