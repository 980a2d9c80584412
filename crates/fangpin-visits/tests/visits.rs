//! A worker's village, natively: the records, their statuses and outcomes, the list, the summary
//! and the CSV a township opens.

use fangpin_core::Date;
use fangpin_core::policy::{self, Profile};
use fangpin_form::draft::{Draft, VERSION, migrate};
use fangpin_visits::collector::Field;
use fangpin_visits::list::{self, Filter, Sort};
use fangpin_visits::summary::summarise;
use fangpin_visits::{Collector, Record, Role, Status, VisitOutcome, export};

fn profile() -> &'static Profile {
    policy::default_profile().expect("the Yong'an profile")
}

fn as_of() -> Date {
    Date::parse("2023-06-01").unwrap()
}

fn worker() -> Collector {
    Collector::parse("林网格", "138 0000 0000", Role::GridWorker, "燕西街道", "吉峰村").expect("valid")
}

/// A household as the worker typed it: `members` (name, age) and the year's wages.
fn draft(members: &[(&str, u32)], wage: &str) -> Draft {
    let relations = ["head", "spouse", "child", "child", "parent"];
    let members: Vec<serde_json::Value> = members
        .iter()
        .enumerate()
        .map(|(i, (name, age))| {
            serde_json::json!({ "name": name, "relation": relations[i.min(4)], "age": age.to_string(), "labour": "full", "medical_insurance": true })
        })
        .collect();
    let json = serde_json::json!({ "version": VERSION, "profile": profile().id, "lang": "zh", "care": false, "screen": "members",
        "form": { "members": members, "wage": wage } });
    migrate(&json.to_string(), VERSION).expect("a draft")
}

fn record(id: &str, d: Draft, now: i64) -> Record {
    let mut r = Record::new(id.into(), worker(), now);
    r.edited(d, now);
    r
}

fn outcome(r: &Record) -> VisitOutcome {
    let explained = VisitOutcome::of(&r.assess(profile(), as_of()));
    // The list's outcome (decided only) is the explained one.
    assert_eq!(VisitOutcome::of_decision(&r.decide(profile(), as_of())), explained);
    explained
}

#[test]
fn the_worker_states_who_they_are_once_and_every_problem_is_said_at_its_field() {
    let c = worker();
    assert_eq!(c.phone, "13800000000");
    assert_eq!(c.signature("zh"), "林网格（网格员）");
    assert_eq!(c.signature("en"), "林网格 (grid worker)");
    // Full-width digits and a landline with its area code are what people type.
    assert_eq!(Collector::parse("王", "０５９８－３８５１２３８", Role::VillageCadre, "乡", "村").unwrap().phone, "05983851238");
    let errs = Collector::parse("", "12345", Role::Other, "  ", "村\u{202E}").unwrap_err();
    let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
    assert_eq!(fields, [Field::Name, Field::Township, Field::Village, Field::Phone]);
    assert!(errs.iter().all(|e| !e.message.zh.is_empty() && !e.message.en.is_empty()));
    // A name of 10,000 characters, an emoji in a name: a message or accepted, never a panic.
    assert!(Collector::parse(&"张".repeat(10_000), "13800000000", Role::Other, "乡", "村").is_err());
    assert!(Collector::parse("张😀", "13800000000", Role::Other, "乡", "村").is_ok());
    // A new household names the worker as the application's 填写人 and the household's 采集人.
    let r = Record::new("n".into(), c, 1);
    assert_eq!((r.draft.apply.filler, r.draft.apply.filler_name.as_str()), (fangpin_form::apply::Filler::Worker, "林网格"));
    assert_eq!(r.draft.form.collected_by, "林网格（网格员）");
    assert_eq!(r.draft.apply.village, "吉峰村");
}

#[test]
fn five_households_of_one_village_every_visit_on_record_with_its_collector() {
    let mut rs = vec![
        record("a", draft(&[("张大山", 52), ("李秀英", 50)], "1000"), 1),
        record("b", draft(&[("王富贵", 45), ("陈美", 44), ("王小", 12)], "90000"), 2),
        record("c", draft(&[("刘一", 70)], "0"), 3),
        record("d", draft(&[("赵二", 38), ("孙三", 36)], "200000"), 4),
        record("e", draft(&[("Ｚhou 周", 30)], "3000"), 5),
    ];
    for r in rs.iter_mut().take(4) {
        let o = outcome(r);
        r.finish(o, 10);
    }
    // High incomes: no risk, still on record as screened; low: an application.
    assert_eq!(outcome(&rs[1]), VisitOutcome::NoRisk);
    assert_eq!(rs[1].status, Status::ScreenedNoRisk);
    assert_eq!(rs[3].status, Status::ScreenedNoRisk);
    assert_ne!(outcome(&rs[0]), VisitOutcome::NoRisk);
    assert_eq!(rs[0].status, Status::ApplicationReady);
    assert_eq!(rs[4].status, Status::Unfinished);
    assert!(rs.iter().all(|r| r.collected_by == worker()));

    // Sent while offline, then delivered: forward only, and a delivered record stays delivered.
    assert!(rs[0].advance(Status::Queued, 11));
    assert!(rs[0].advance(Status::Delivered, 12));
    assert!(!rs[0].advance(Status::Printed, 13));
    assert!(!rs[4].advance(Status::Queued, 13), "an unfinished visit is not sent");
    // Printed, then sent: forward; a queued one printed stays queued; a refused one is ready again.
    assert!(rs[2].advance(Status::Printed, 13) && rs[2].advance(Status::Queued, 14));
    assert!(!rs[2].advance(Status::Printed, 15) && !rs[2].advance(Status::HandedOver, 15));
    rs[2].report_key = Some("k".into());
    rs[2].report_refused(16);
    assert_eq!((rs[2].status, rs[2].report_key.clone()), (Status::ApplicationReady, None));
    assert!(!rs[1].advance(Status::Queued, 13), "a no-risk visit has no application to send");
    // The application's own facts complete a finished visit; moving through the form changes nothing.
    let mut d = rs[3].draft.clone();
    d.apply.phone = "13905981234".into();
    rs[3].edited(d.clone(), 14);
    assert_eq!((rs[3].status, rs[3].changed_ms), (Status::ScreenedNoRisk, 14));
    d.screen = fangpin_form::draft::Screen::Income;
    rs[3].edited(d, 15);
    assert_eq!((rs[3].status, rs[3].changed_ms), (Status::ScreenedNoRisk, 14));
    // A changed household is unfinished again until finished again (its application is stale).
    rs[2].edited(draft(&[("刘一", 70)], "500"), 14);
    assert_eq!(rs[2].status, Status::Unfinished);

    let s = summarise(&rs, outcome);
    assert_eq!((s.households, s.screened), (5, 3));
    assert_eq!(s.by_status[&Status::ScreenedNoRisk], 2);
    assert_eq!(s.by_status[&Status::Unfinished], 2);
    assert_eq!(s.by_outcome.iter().map(|(_, n)| n).sum::<usize>(), 3);

    // What IndexedDB will keep (encrypted): a record reads back as it was.
    let json = serde_json::to_string(&rs[0]).unwrap();
    assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), rs[0]);
}

#[test]
fn the_list_finds_by_name_as_people_type_it_filters_and_sorts() {
    let rs = vec![
        record("a", draft(&[("张大山", 52)], "1000"), 3),
        record("b", draft(&[("王富贵", 45)], "90000"), 1),
        record("c", draft(&[("Zhou 周", 30), ("张小", 5)], "3000"), 2),
    ];
    let names = |f: &Filter, s: Sort| list::view(&rs, outcome, f, s).iter().map(|(r, _)| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(names(&Filter::default(), Sort::Changed), ["a", "c", "b"]);
    // Full-width letters, spaces, any member's name.
    assert_eq!(names(&Filter { text: "ｚｈｏｕ ".into(), ..Default::default() }, Sort::Changed), ["c"]);
    assert_eq!(names(&Filter { text: "张".into(), ..Default::default() }, Sort::Changed), ["a", "c"]);
    assert_eq!(names(&Filter { outcome: Some(VisitOutcome::NoRisk), ..Default::default() }, Sort::Changed), ["b"]);
    assert_eq!(names(&Filter { status: Some(Status::Delivered), ..Default::default() }, Sort::Changed), Vec::<String>::new());
    assert_eq!(names(&Filter::default(), Sort::Name).len(), 3);

    // The next household of the same village: the place and the worker, nothing of the family.
    let next = list::duplicate(&rs[0], "d".into(), 9);
    assert_eq!(next.head_name(), "");
    assert_eq!(next.draft.apply.village, rs[0].draft.apply.village);
    assert_eq!(next.collected_by, rs[0].collected_by);
}

#[test]
fn a_villagers_qr_handoff_received_twice_is_one_record() {
    let mut rs = vec![record("a", draft(&[("张大山", 52)], "1000"), 1)];
    let i = list::receive_handoff(&mut rs, "0123456789", || Record::new("h".into(), worker(), 2), 2);
    let j = list::receive_handoff(&mut rs, "0123456789", || Record::new("h2".into(), worker(), 3), 3);
    assert_eq!((i, j, rs.len()), (1, 1, 2));
    assert_eq!(rs[1].handoff.as_deref(), Some("0123456789"));
    list::receive_handoff(&mut rs, "9876543210", || Record::new("k".into(), worker(), 4), 4);
    assert_eq!(rs.len(), 3);
}

/// Enough of RFC 4180 to read the export back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let (mut row, mut cell, mut quoted, mut chars) = (vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[test]
fn the_township_gets_one_row_per_household_in_excel_with_no_formula_run() {
    let mut hostile = draft(&[("=HYPERLINK(\"http://x\",\"点我\")", 40)], "1000");
    hostile.apply.id_numbers = vec!["35048119780307001X".into()];
    hostile.apply.phone = "+1 234".into();
    let mut rs = vec![record("a", draft(&[("张大山", 52), ("李秀英", 50)], "1000"), 1), record("b", hostile, 2)];
    let o = outcome(&rs[0]);
    rs[0].finish(o, 5);
    let text = export::households_csv(&rs, |_| Some(profile()), as_of(), |ms| format!("t{ms}"));
    assert!(text.starts_with('\u{FEFF}'));
    let rows = parse_csv(text.trim_start_matches('\u{FEFF}'));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], export::HEADER.map(String::from));
    assert!(rows.iter().all(|r| r.len() == export::HEADER.len()));
    assert_eq!(rows[1][0], "张大山");
    assert_eq!(rows[1][4], "吉峰村");
    assert_eq!(rows[1][5], "2");
    assert_eq!(rows[1][6], "500.00"); // 1,000 ÷ 2
    assert!(rows[1][7].starts_with("10,560.00"), "{}", rows[1][7]);
    assert_eq!(rows[1][10], "已生成申请");
    assert_eq!(rows[1][11], "林网格（网格员）");
    assert_eq!(rows[1][13], "t1");
    // The hostile name is text, not a formula; the ID number stays digits, as text.
    assert!(rows[2][0].starts_with("'="), "{}", rows[2][0]);
    assert_eq!(rows[2][1], "=\"35048119780307001X\"");
    assert!(rows[2][10] == "未完成");
}

/// `d` with the months its income has been stable (the form's 风险消除 question).
fn stable_for(mut d: Draft, months: &str) -> Draft {
    d.form.stable_months = months.into();
    d
}

#[test]
fn the_look_back_of_an_eliminated_household_says_whether_elimination_holds_and_why_not() {
    use fangpin_visits::{LookBack, Marks, Standing};
    let marked = |d: Draft| {
        let mut r = record("x", d, 1);
        r.marked(Marks { standing: Standing::RiskEliminated, development_in_place: vec![] }, 2);
        r
    };
    // Income well above the range, stable for two years: elimination holds.
    let fine = marked(stable_for(draft(&[("张大山", 52), ("李秀英", 50)], "90000"), "24"));
    let c = fine.checks(&fine.assess(profile(), as_of()), profile());
    assert_eq!(c.look_back, Some(LookBack::Holds));
    // The income fell below the range: a 风险回退 is due, and the core says which condition fails.
    let fallen = marked(stable_for(draft(&[("张大山", 52), ("李秀英", 50)], "1000"), "24"));
    let c = fallen.checks(&fallen.assess(profile(), as_of()), profile());
    let Some(LookBack::BackslideDue(why)) = c.look_back else { panic!("a backslide is due: {:?}", c.look_back) };
    assert!(why.iter().any(|t| t.get("zh").contains("收入")), "{why:?}");
    // Not marked: no look-back at all.
    let plain = record("y", draft(&[("刘一", 40)], "1000"), 1);
    assert_eq!(plain.checks(&plain.assess(profile(), as_of()), profile()).look_back, None);
}

#[test]
fn development_measures_in_place_are_marked_and_a_household_that_can_work_without_one_is_named() {
    use fangpin_visits::{Marks, Standing};
    let mut r = record("z", draft(&[("张大山", 45), ("李秀英", 44)], "1000"), 1);
    // A 监测对象 (the village says so): the development measures are for it.
    r.marked(Marks { standing: Standing::Monitored, development_in_place: vec![] }, 2);
    let a = r.assess(profile(), as_of());
    let c = r.checks(&a, profile());
    assert!(c.can_work && !c.no_labour);
    assert!(!c.development.is_empty(), "a low-income household that can work is offered development measures");
    assert!(c.development_missing());
    let first = c.development[0].0.clone();
    r.marked(Marks { standing: Standing::Monitored, development_in_place: vec![first.clone()] }, 3);
    assert_eq!(r.changed_ms, 3);
    let c = r.checks(&a, profile());
    assert!(c.development.iter().any(|(id, _, done)| *id == first && *done));
    assert!(!c.development_missing());
    // The CSV carries the marks.
    let csv = export::households_csv(&[r], |_| Some(profile()), as_of(), |ms| ms.to_string());
    assert!(csv.contains("监测对象（风险未消除）") && csv.contains("已实施："), "{csv}");
}

#[test]
fn a_real_handoff_names_the_head_and_is_assessed_on_the_household_it_carries() {
    use fangpin_core::application::encode_handoff;
    // The villager's own phone: a low-income household, its application, its QR digits.
    let villager = draft(&[("郑春花", 60), ("郑大", 35)], "1000");
    let converted = fangpin_form::form::to_household(&villager.form, profile(), as_of());
    let app = fangpin_form::apply::build(&converted.household, &villager.apply, profile(), as_of()).expect("an application");
    let digits = encode_handoff(&app).text;
    // The worker's phone receives it twice: one record, named, with the villager's outcome.
    let mut rs = Vec::new();
    list::receive_handoff(&mut rs, &digits, || Record::new("h1".into(), worker(), 1), 1);
    list::receive_handoff(&mut rs, &digits, || Record::new("h2".into(), worker(), 2), 2);
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].head_name(), "郑春花");
    let own = VisitOutcome::of(&fangpin_core::assessment::assess(&converted.household, profile(), as_of()));
    assert_eq!(outcome(&rs[0]), own);
    assert_ne!(own, VisitOutcome::NoRisk);
    // Search finds it by the name the handoff carried.
    let found = list::view(&rs, outcome, &Filter { text: "春花".into(), ..Filter::default() }, Sort::Changed);
    assert_eq!(found.len(), 1);
}

#[test]
fn the_members_sheet_has_one_row_per_member_joined_to_its_household_and_defuses_formulas() {
    let mut d = draft(&[("张大山", 52), ("=李秀英", 50), ("张小明", 15)], "1000");
    d.apply.id_numbers = vec!["350481197001010011".into(), String::new(), String::new()];
    let r = record("m", d, 1);
    let csv = export::members_csv(&[r, record("n", draft(&[("刘一", 70)], "0"), 2)]);
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1 + 3 + 1);
    assert_eq!(rows[0].split(',').count(), export::MEMBER_HEADER.len());
    // The ID number as Excel text (="…", quoted as CSV quotes it).
    assert!(rows[1].starts_with("张大山,\"=\"\"350481197001010011\"\"\",张大山,户主,52,"), "{}", rows[1]);
    assert!(rows[2].contains(",'=李秀英,"), "{}", rows[2]);
    assert!(rows[4].starts_with("刘一,,刘一,户主,70,"), "{}", rows[4]);
}

#[test]
fn a_household_collected_by_someone_else_names_both_who_collected_and_who_entered() {
    let me = worker();
    let mut r = Record::new("p".into(), me.clone(), 1);
    let paper = Collector::other("  王网格 ", Role::GridWorker, &me).expect("a name");
    assert_eq!((paper.name.as_str(), paper.village.as_str(), paper.phone.as_str()), ("王网格", "吉峰村", ""));
    r.collected_by_other(Some(paper.clone()), &me, 5);
    assert_eq!(r.collected_by, paper);
    assert_eq!(r.entered_by.as_ref(), Some(&me));
    assert_eq!(r.draft.form.collected_by, "王网格（网格员）");
    let csv = export::households_csv(&[r.clone()], |_| Some(profile()), as_of(), |ms| ms.to_string());
    assert!(csv.contains("王网格（网格员）,林网格（网格员）"), "{csv}");
    // Back to the worker: one name again.
    r.collected_by_other(None, &me, 6);
    assert_eq!((r.collected_by.clone(), r.entered_by.clone()), (me.clone(), None));
    // A bad name is said at the field.
    assert!(Collector::other("", Role::Other, &me).is_err());
    assert!(Collector::other(&"王".repeat(500), Role::Other, &me).is_err());
}
