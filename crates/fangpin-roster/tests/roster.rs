//! A roster with good and bad rows screened end to end, as `fangpin screen` and the browser do.

use fangpin_core::{Date, Household, decide, policy};
use fangpin_roster::screen::{Format, Screen};
use fangpin_roster::stream::{Options, StreamError, Totals, screen};
use fangpin_roster::{Mapping, sample, template_csv};

fn as_of() -> Date {
    Date::new(2023, 6, 1).expect("date")
}

fn run(input: &[u8], format: Format, threads: usize) -> (String, String, Totals) {
    let p = policy::default_profile().expect("profile");
    let opts = Options::new(Screen::new(p, as_of(), format, "zh"), threads);
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let (totals, _) = screen(input, &mut out, &mut errors, &opts, |_| {}).expect("screen");
    (String::from_utf8(out).expect("utf8"), String::from_utf8(errors).expect("utf8"), totals)
}

fn jsonl(s: &str) -> Vec<serde_json::Value> {
    s.lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

#[test]
fn the_template_screens_as_the_same_households_would_in_the_self_check() {
    let (out, errors, totals) = run(template_csv("zh").as_bytes(), Format::Jsonl, 1);
    assert_eq!(errors, "");
    assert_eq!((totals.rows, totals.households, totals.kept_aside), (6, 2, 0));
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 2);
    // The first household as the self-check's JSON gives it.
    let h: Household = serde_json::from_str(
        r#"{"head_name": "张大山", "village": "洪田村",
        "members": [
          {"relation": "head", "birth_date": "1978-03-07", "labour": "full", "medical_insurance": true},
          {"relation": "spouse", "birth_date": "1980-05-20", "labour": "full", "medical_insurance": true},
          {"relation": "child", "birth_date": "2011-09-01", "labour": "none", "schooling": "compulsory", "medical_insurance": true},
          {"relation": "parent", "birth_date": "1953-01-15", "labour": "none", "medical_insurance": true, "serious_illness": true}
        ],
        "income": [{"kind": "wage", "amount": "30000"}, {"kind": "business", "amount": "12000"}, {"kind": "property", "amount": "0"}, {"kind": "transfer", "amount": "1800"}],
        "business_costs": [{"amount": "2000"}],
        "rigid_expenses": [{"kind": "medical_other", "amount": "9000", "member": 3}],
        "housing_grade": "B"}"#,
    )
    .expect("household");
    let p = policy::default_profile().expect("profile");
    let d = decide(&h, p, as_of());
    let r = &rows[0];
    assert_eq!(r["household_id"], "H001");
    assert_eq!(r["head"], "张大山");
    assert_eq!(r["row"], 2);
    assert_eq!(r["members"], 4);
    assert_eq!(r["net_income"], d.income.net_total.to_fixed2());
    assert_eq!(r["per_capita"], d.income.per_capita.expect("members").rounded().to_fixed2());
    assert_eq!(r["outcome"], d.outcome.code());
    assert_eq!(r["category"].as_str(), d.category.map(|c| c.code()));
    let risks: Vec<&str> = r["risks"].as_array().expect("risks").iter().filter_map(|v| v.as_str()).collect();
    assert!(risks.contains(&"serious_illness"), "{risks:?}");
    // The second: formerly poor, monitored, unsafe housing, on 低保, nobody able to work.
    let r = &rows[1];
    assert_eq!(r["household_id"], "H002");
    assert_eq!(r["row"], 6);
    let risks: Vec<&str> = r["risks"].as_array().expect("risks").iter().filter_map(|v| v.as_str()).collect();
    assert!(risks.contains(&"housing_unsafe"), "{risks:?}");
    assert_eq!(r["range_provisional"], p.monitoring_range.provenance.provisional);
}

#[test]
fn bad_rows_are_kept_aside_with_row_and_column_and_the_rest_is_screened() {
    let mut csv = String::from("户编号,村,工资性收入（元）,转移性收入,姓名,与户主关系,出生日期,享受低保,备注\n");
    csv.push_str("A1,洪田村,20000,,甲,户主,1970-01-01,否,\n"); // 2 good
    csv.push_str("A1,洪田村,,,乙,配偶,1972-02-02,否,随便写\n"); // 3 good
    csv.push_str("B1,贡川村,两万,,丙,户主,1960-01-01,否,\n"); // 4 bad amount
    csv.push_str("B1,小陶村,,,丁,邻居,1960-13-01,否,\n"); // 5 other village, relation, date
    csv.push('\n'); // 6 blank
    csv.push_str(",洪田村,1000,,戊,户主,1980-01-01,否,\n"); // 7 no id
    csv.push_str("C1,西洋村,5000,3000,己,户主,1950-05-05,2024-01-01,\n"); // 8 低保 after the screening date
    csv.push_str("D1,安砂村,1.2万,,庚🙂,户主,1955年3月4日,是,\n"); // 9 good
    csv.push_str("E1,安砂村,9000,,辛,户主,1960-01-01,否,\n"); // 10: a merged 户编号 under it
    csv.push_str(",,,,壬,配偶,1961-01-01,否,\n"); // 11
    csv.push_str("A1,洪田村,,,癸,子女,1999-01-01,否,\n"); // 12: A1 again, further down
    csv.push('\n'); // 13 blank
    csv.push_str(",,,,子,户主,1961-01-01,否,\n"); // 14, 15: two rows without a 户编号, each named
    csv.push_str(",,,,丑,配偶,1962-01-01,否,\n");
    let (out, errors, totals) = run(csv.as_bytes(), Format::Jsonl, 1);
    // Kept aside: B1, C1, E1 and A1 again; and rows 7, 11, 14 and 15, which have no 户编号 (no
    // household: counted as rows).
    assert_eq!(
        (totals.rows, totals.households, totals.kept_aside, totals.no_id_rows, totals.not_together, totals.repeated_ids),
        (14, 2, 4, 4, 1, 1),
        "{out}\n{errors}"
    );
    // A1's first place (rows 2–3) was screened and written: the repeat says so.
    assert_eq!(totals.first_written, 1);
    let good = jsonl(&out);
    assert_eq!(good.iter().map(|r| r["household_id"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["A1", "D1"]);
    assert_eq!(good[1]["net_income"], "12000.00");
    let bad = jsonl(&errors);
    assert_eq!(bad.iter().map(|r| r["household_id"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["B1", "", "C1", "E1", "", "A1", ""]);
    let no_id_rows: Vec<u64> = bad[6]["errors"].as_array().expect("errors").iter().filter_map(|e| e["row"].as_u64()).collect();
    assert_eq!(no_id_rows, [14, 15], "{errors}");
    // E1 has a row without a 户编号 right under it; A1 comes again at row 12.
    // (Said at E1's own row, naming row 11, which its own problem names once.)
    assert!(
        bad[3]["errors"][0]["message"]["zh"].as_str().is_some_and(|m| m.starts_with("第 10 行“户编号”：下一行（第 11 行）没有户编号")),
        "{errors}"
    );
    assert_eq!(bad[3]["errors"][0]["row"], 10);
    assert_eq!(bad[4]["errors"].as_array().map(|e| e.len()), Some(1));
    assert_eq!(bad[4]["errors"][0]["row"], 11);
    assert!(bad[5]["errors"][0]["message"]["en"].as_str().is_some_and(|m| m.contains("also appears at row 2")), "{errors}");
    let cells: Vec<(u64, String)> = bad[0]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["row"].as_u64().unwrap_or(0), e["column"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        cells,
        [(4, "工资性收入（元）"), (5, "与户主关系"), (5, "出生日期"), (5, "村")].map(|(r, c)| (r, c.to_string())),
        "{errors}"
    );
    let message = bad[0]["errors"][3]["message"]["zh"].as_str().unwrap_or("");
    assert!(message.starts_with("第 5 行“村”：") && !message.contains("第 2 行") && message.contains("第 4 行"), "{message}");
    assert_eq!(bad[1]["row"], 7);
    assert_eq!(bad[2]["errors"][0]["column"], "享受低保");
    assert!(bad[2]["errors"][0]["message"]["en"].as_str().unwrap_or("").contains("after the screening date"));

    // The same as CSV: one row per problem, for Excel.
    let (out, errors, _) = run(csv.as_bytes(), Format::Csv, 1);
    assert!(out.starts_with("\u{feff}行号,户编号,村,户主,人数,"), "{out}");
    assert_eq!(out.lines().count(), 3);
    assert_eq!(errors.lines().count(), 1 + 4 + 1 + 1 + 1 + 1 + 1 + 2);
    assert!(errors.contains("5,\"=\"\"B1\"\"\"") || errors.contains("5,B1,"), "{errors}");
}

/// A roster saved from Excel with its 户编号 merged over each household's rows: only the first row
/// of each has one. Every row is named once, in the rows' order, and the counts add up: the
/// households by 户编号, the rows without one as rows — natively and in the browser's table alike.
#[test]
fn merged_household_numbers_name_each_row_once_and_the_counts_add_up() {
    let mut csv = String::from("户编号,村,工资性收入,姓名,与户主关系,出生日期,劳动能力\n");
    csv.push_str("A1,洪田村,20000,甲,户主,1970-01-01,有\n"); // 2
    csv.push_str(",,,乙,配偶,1972-02-02,有\n"); // 3
    csv.push_str(",,,丙,子女,2001-03-03,有\n"); // 4
    csv.push_str("B1,贡川村,9000,丁,户主,1960-01-01,有\n"); // 5
    csv.push_str("A1,洪田村,,戊,父母,1940-01-01,无\n"); // 6: A1 again
    csv.push_str(",,,己,子女,2003-01-01,有\n"); // 7: a merged cell under the repeat
    let (out, errors, t) = run(csv.as_bytes(), Format::Csv, 1);
    assert_eq!((t.rows, t.households, t.kept_aside, t.no_id_rows, t.not_together, t.repeated_ids), (6, 1, 2, 3, 1, 1), "{out}\n{errors}");
    let rows: Vec<u64> = errors.lines().skip(1).map(|l| l.split(',').next().and_then(|r| r.parse().ok()).unwrap_or(0)).collect();
    // A1 at 2 (the row under it), 3 and 4 (no number), A1 again at 6 (the repeat, then the row under it), 7.
    assert_eq!(rows, [2, 3, 4, 6, 6, 7], "{errors}");
    for row in [3, 4, 7] {
        assert_eq!(errors.matches(&format!("第 {row} 行“户编号”：没有户编号")).count(), 1, "row {row}: {errors}");
    }
    assert!(errors.contains("第 2 行“户编号”：下一行（第 3 行）没有户编号"), "{errors}");
    // A1's first place was kept aside, not written: the repeat does not say it was.
    assert_eq!(t.first_written, 0);
    assert!(errors.contains("这个户编号在第 2 行也有") && !errors.contains("写进了结果"), "{errors}");
    assert!(out.contains("B1"), "{out}");

    use fangpin_roster::table::Table;
    let mapping = Mapping::recognise(&csv.lines().next().unwrap_or("").split(',').map(str::to_string).collect::<Vec<_>>());
    let p = policy::default_profile().expect("profile");
    let table = Table::screen(&csv, mapping, p, as_of(), |_| {});
    let households: Vec<&str> = table.kept_aside.iter().filter(|k| !k.id.is_empty()).map(|k| k.id.as_str()).collect();
    let no_id_rows: u64 = table.kept_aside.iter().filter(|k| k.id.is_empty()).map(|k| k.rows).sum();
    // In memory every place of A1 is kept aside (none screened on part of its rows).
    assert_eq!((table.rows.len(), households, no_id_rows), (1, vec!["A1", "A1"], 3));
}

#[test]
fn a_roster_without_a_household_number_is_refused_before_any_row() {
    let p = policy::default_profile().expect("profile");
    let opts = Options::new(Screen::new(p, as_of(), Format::Csv, "zh"), 1);
    let r = screen("编号,收入\n1,2\n".as_bytes(), Vec::new(), Vec::new(), &opts, |_| {});
    let Err(StreamError::Mapping(m, problems)) = r else { panic!("refused") };
    assert_eq!(problems.len(), 2);
    assert_eq!(m.headers, ["编号", "收入"]);
    // With the columns named, it runs.
    let r = screen("编号,收入\n1,2\n".as_bytes(), Vec::new(), Vec::new(), &opts, |m: &mut Mapping| {
        m.set(0, Some(fangpin_roster::Field::HouseholdId));
        m.set(1, Some(fangpin_roster::Field::IncomeWage));
    });
    assert_eq!(r.expect("screen").0.households, 1);
    assert!(matches!(screen("".as_bytes(), Vec::new(), Vec::new(), &opts, |_| {}), Err(StreamError::Empty)));
}

#[test]
fn threads_and_parts_change_nothing() {
    // About 25 MB: many parts, households cut across none of them.
    let mut csv = String::new();
    sample::roster(60_000, 4, &mut csv);
    let (one, e1, t1) = run(csv.as_bytes(), Format::Csv, 1);
    let (two, e2, t2) = run(csv.as_bytes(), Format::Csv, 3);
    assert_eq!(t1, t2);
    assert_eq!(t1.households, 60_000);
    assert_eq!(t1.rows, 240_000);
    assert_eq!(one, two);
    assert_eq!(e1, e2);
    // Every outcome occurs in the sample.
    assert!(t1.by_outcome.iter().all(|n| *n > 0), "{:?}", t1.by_outcome);
    // Row numbers run on across parts.
    let last = one.lines().last().unwrap_or_default();
    assert!(last.starts_with(&format!("{},", 1 + 4 * 59_999 + 1)), "{last}");
}

#[test]
fn gbk_utf16_and_tabs_read_as_utf8() {
    let csv = template_csv("zh");
    let (expected, _, _) = run(csv.as_bytes(), Format::Jsonl, 1);
    let plain = csv.trim_start_matches('\u{feff}');
    let (gbk, _, _) = encoding_rs::GB18030.encode(plain);
    assert_eq!(run(&gbk, Format::Jsonl, 1).0, expected);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(plain.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(run(&utf16, Format::Jsonl, 1).0, expected);
    let tabs = plain.replace(',', "\t");
    assert_eq!(run(tabs.as_bytes(), Format::Jsonl, 1).0, expected);
    let lf = plain.replace("\r\n", "\n");
    assert_eq!(run(lf.as_bytes(), Format::Jsonl, 1).0, expected);
}

#[test]
fn hostile_input_never_panics() {
    let p = policy::default_profile().expect("profile");
    let opts = Options { explain: true, ..Options::new(Screen::new(p, as_of(), Format::Jsonl, "zh"), 2) };
    let header = "户编号,工资性收入,姓名,出生日期,医疗自付\n";
    let inputs: Vec<Vec<u8>> = vec![
        format!("{header}H1,\"open quote,x\n").into_bytes(),
        format!("{header}{}", "H1,1,a,2000-01-01,5\n".repeat(200)).into_bytes(),
        format!("{header}H1,99999999999999999999,{},0000-00-00,-1\n", "名".repeat(10_000)).into_bytes(),
        format!("{header}H1,1\u{0},\u{202e}x,\u{feff},🙂\n").into_bytes(),
        [header.as_bytes(), &[0xFF, 0xFE, 0xC3, b'\n', b',', b',']].concat(),
        format!("{header}{}\n", ",".repeat(100_000)).into_bytes(),
        format!("{header}\"\"\"\"\"\",\"\",\"\n\n\n\"\n").into_bytes(),
    ];
    for input in inputs {
        let r = screen(input.as_slice(), Vec::new(), Vec::new(), &opts, |_| {});
        assert!(r.is_ok(), "{:?}", r.err());
    }
}

/// The browser's table: the same decisions as the stream, filtered, sorted, summarised, one
/// household explained with its names, the flagged households exported.
#[test]
fn the_table_filters_sorts_summarises_and_explains() {
    use fangpin_roster::table::{Query, RiskFilter, Sort, Table};
    use fangpin_visits::VisitOutcome;
    let mut csv = String::new();
    sample::roster(2_000, 3, &mut csv);
    csv.push_str("BAD1,洪田村,否,,很多,0,0,0,0,0,0,B,某,户主,,1970-01-01,,有,,否,否,是,否,否,0\n");
    let p = policy::default_profile().expect("profile");
    let mapping = Mapping::recognise(&csv.lines().next().unwrap_or("").split(',').collect::<Vec<_>>());
    let mut calls = 0;
    let table = Table::screen(&csv, mapping, p, as_of(), |_| calls += 1);
    assert!(calls >= 1);
    assert_eq!(table.rows.len(), 2_000);
    assert_eq!(table.row_count, 6_001);
    assert_eq!(table.kept_aside.len(), 1);
    assert_eq!(table.kept_aside[0].errors[0].row, 6_002);
    // The stream says the same about every household.
    let (out, _, totals) = run(csv.as_bytes(), Format::Jsonl, 1);
    let streamed = jsonl(&out);
    for (r, s) in table.rows.iter().zip(&streamed) {
        assert_eq!(s["household_id"], r.id.as_str());
        assert_eq!(s["per_capita"].as_str(), r.per_capita.map(|m| m.to_fixed2()).as_deref());
    }
    let counts: Vec<u64> = VisitOutcome::ALL.iter().map(|o| table.rows.iter().filter(|r| r.outcome == *o).count() as u64).collect();
    assert_eq!(counts, totals.by_outcome);

    // Filters.
    let all = table.view(&Query::default());
    assert_eq!(all.len(), 2_000);
    let visits = table.view(&Query { outcome: Some(VisitOutcome::HouseholdVisit), ..Query::default() });
    assert!(!visits.is_empty() && visits.iter().all(|i| table.rows[*i as usize].outcome == VisitOutcome::HouseholdVisit));
    let key = table.view(&Query { risk: Some(RiskFilter::KeyGroup), ..Query::default() });
    assert!(visits.iter().all(|i| key.contains(i)));
    let below = table.view(&Query { below_range: true, ..Query::default() });
    assert!(below.iter().all(|i| table.rows[*i as usize].below_range));
    let found = table.view(&Query { search: "ｈ0000042".into(), ..Query::default() });
    assert_eq!(found.iter().map(|i| table.rows[*i as usize].id.as_str()).collect::<Vec<_>>(), ["H0000042"]);
    // Sorts: the furthest below the range first.
    let by_gap = table.view(&Query { sort: Sort::Gap, below_range: true, ..Query::default() });
    let gaps: Vec<_> = by_gap.iter().map(|i| table.rows[*i as usize].gap.expect("gap")).collect();
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]));
    let by_pc = table.view(&Query { sort: Sort::PerCapita, ..Query::default() });
    let pcs: Vec<_> = by_pc.iter().filter_map(|i| table.rows[*i as usize].per_capita).collect();
    assert!(pcs.windows(2).all(|w| w[0] <= w[1]));
    // The summary adds up.
    let summary = table.summary();
    assert_eq!(summary.iter().map(|s| s.households).sum::<u64>(), 2_000);
    assert_eq!(summary.iter().map(|s| s.by_outcome.iter().sum::<u64>()).sum::<u64>(), 2_000);
    // One household explained: the same conclusion, with its members' names.
    let (h, a) = table.explain(&csv, 41, p).expect("explained");
    assert_eq!(h.members.len(), 3);
    assert_eq!(h.members[1].name, "成员1");
    assert_eq!(VisitOutcome::of(&a), table.rows[41].outcome);
    assert_eq!(a.per_capita_net_income.map(|pc| pc.rounded()), table.rows[41].per_capita);
    assert!(table.explain(&csv, 99_999, p).is_none());
    // The flagged households for home visits: all but 暂无风险, ids kept as text.
    let flagged = table.flagged_csv(&all, p, "zh");
    let lines = flagged.lines().count() - 1;
    assert_eq!(lines as u64, 2_000 - totals.by_outcome[5]);
    assert!(flagged.contains(",\"=\"\"H0000001\"\"\",") || flagged.contains("H0000001"));
    // A 户编号 again further down: both its occurrences kept aside, each naming the other's row.
    let mut again = csv.clone();
    again.push_str("H0000007,洪田村,,,,,,,,,,,又一人,子女,,2000-01-01,,有,,否,否,是,否,否,0\n");
    let m = Mapping::recognise(&again.lines().next().unwrap_or("").split(',').collect::<Vec<_>>());
    let t2 = Table::screen(&again, m, p, as_of(), |_| {});
    assert_eq!(t2.rows.len(), 1_999);
    let h7: Vec<_> = t2.kept_aside.iter().filter(|k| k.id == "H0000007").collect();
    assert_eq!(h7.len(), 2);
    assert_eq!(
        h7[0].errors[0].message(&t2.mapping).en.as_ref() as &str,
        "Row 23, “户编号”: This household number also appears at row 6003: a household's rows must follow each other. Please sort the roster by household number and screen again."
    );
    let errors = table.kept_aside_csv("en");
    assert!(errors.lines().nth(1).is_some_and(|l| l.starts_with("6002,") && l.contains("Row 6002")), "{errors}");
}

/// A disk that fills up, or a pipe closed early (`| head -1`), stops the screen with the write
/// error on every thread count — before this, two threads or more waited for ever.
#[test]
fn a_failing_writer_stops_the_screen_on_every_thread_count() {
    struct Full(usize);
    impl std::io::Write for Full {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.0 < b.len() {
                return Err(std::io::Error::other("disk full"));
            }
            self.0 -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut csv = String::new();
    sample::roster(60_000, 4, &mut csv);
    let p = policy::default_profile().expect("profile");
    for threads in [1, 2, 4] {
        let opts = Options::new(Screen::new(p, as_of(), Format::Csv, "zh"), threads);
        let r = screen(csv.as_bytes(), Full(100_000), Vec::new(), &opts, |_| {});
        assert!(matches!(r, Err(StreamError::Write(_))), "{threads} threads: {:?}", r.map(|(t, _)| t));
    }
}

/// Parts of a few bytes, cut after every household or two, on three threads: the same output as
/// one part on one thread — with quoted cells, blank rows, old Mac row ends (a lone CR), rows
/// without a 户编号 and a 户编号 that comes again.
#[test]
fn tiny_parts_give_the_same_screen() {
    let mut csv = fangpin_roster::template_csv("zh");
    csv.push_str("\"H\"\"9\",\"贡川村\",否,,\"1,200\",0,0,0,0,0,0,B,\"林\n某\",户主,,1970-01-01,,有,,否,否,是,否,否,0\r\n\r\n");
    csv.push_str(",,,,,,,,,,,,无号,配偶,,1971-01-01,,有,,否,否,是,否,否,0\r\n");
    csv.push_str("H001,洪田村,,,,,,,,,,,又来,子女,,2001-01-01,,有,,否,否,是,否,否,0\r");
    csv.push_str("H010,洪田村,否,,50000,0,0,0,0,0,0,A,赵,户主,,1970-01-01,,有,,否,否,是,否,否,0\r");
    let p = policy::default_profile().expect("profile");
    let run_with = |input: &str, threads: usize, part_bytes: usize| {
        let opts = Options { part_bytes, ..Options::new(Screen::new(p, as_of(), Format::Jsonl, "zh"), threads) };
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        let (t, _) = screen(input.as_bytes(), &mut out, &mut errors, &opts, |_| {}).expect("screen");
        (String::from_utf8(out).expect("utf8"), String::from_utf8(errors).expect("utf8"), t)
    };
    let whole = run_with(&csv, 1, 1 << 20);
    for part_bytes in [1, 7, 64, 300] {
        assert_eq!(run_with(&csv, 3, part_bytes), whole, "parts of {part_bytes} bytes");
    }
    let (out, errors, t) = whole;
    assert_eq!((t.households, t.kept_aside, t.no_id_rows, t.not_together), (3, 2, 1, 1), "{out}\n{errors}");
    // The lone CR ended a row: H010 is its own household, on its own row number.
    assert!(out.contains("\"household_id\":\"H010\"") && out.contains("\"row\":12"), "{out}");
    assert!(errors.contains("\"household_id\":\"H\\\"9\""), "{errors}");
}
