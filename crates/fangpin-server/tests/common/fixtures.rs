//! Reports for tests: a small ordinary one, the largest realistic one, and a crafted one whose stored
//! row would be many times its body.

use fangpin_core::application::{Application, FilledBy, Report};
use fangpin_core::household::{Household, LabourCapacity, Member, Relation, id_check_char};
use fangpin_core::money::Money;
use fangpin_core::{Date, assess, policy};

pub fn date() -> Date {
    Date::parse("2023-06-01").unwrap()
}

pub fn household(head: &str) -> Household {
    let first = "35048119780307001";
    Household {
        head_name: head.into(),
        phone: Some("13812345678".into()),
        village: "洪田村".into(),
        address: "洪田村3组12号".into(),
        members: vec![
            Member {
                name: head.into(),
                relation: Relation::Head,
                id_number: Some(format!("{first}{}", id_check_char(first).unwrap())),
                medical_insurance: Some(true),
                ..Member::default()
            },
            Member {
                name: "王桂兰".into(),
                relation: Relation::Parent,
                age: Some(70),
                labour: LabourCapacity::None,
                serious_illness: true,
                ..Member::default()
            },
        ],
        income: vec![fangpin_core::household::IncomeItem {
            kind: fangpin_core::household::IncomeKind::Wage,
            amount: Money::yuan(9000),
            label: "打零工".into(),
            item: None,
            member: None,
        }],
        ..Household::default()
    }
}

pub fn application(head: &str) -> Application {
    let h = household(head);
    let p = policy::default_profile().unwrap();
    let a = assess(&h, p, date());
    Application::build(&h, &a, p, FilledBy::Worker { name: "王芳".into() }, date()).unwrap()
}

pub fn report(key: &str) -> Report {
    Report::from_application(&application("张大山"), key, "2023-06-01T09:30:00+08:00")
}

pub const KEY: &str = "2f1e0d4c-3b2a-4019-8877-665544332211";

/// A strict RFC 4180 reader for the test.
pub fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
        } else {
            match c {
                '"' if cell.is_empty() => quoted = true,
                ',' => record.push(std::mem::take(&mut cell)),
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    record.push(std::mem::take(&mut cell));
                    records.push(std::mem::take(&mut record));
                }
                '"' | '\r' | '\n' => panic!("bare {c:?} in an unquoted cell"),
                c => cell.push(c),
            }
        }
    }
    assert!(cell.is_empty() && record.is_empty(), "the file ends with CRLF");
    records
}

/// An ID number (valid check character) born on `birth` (`YYYYMMDD`), with serial `n`.
fn id_number(birth: &str, n: usize) -> String {
    let first = format!("350481{birth}{:03}", n % 1000);
    format!("{first}{}", id_check_char(&first).unwrap())
}

/// What a big household can realistically send: 30 members with every field filled, 30 of each list
/// with long labels, as many earlier applications as the core allows, the longest difficulty text
/// (2000 characters in each language) and long names — at or near the core's limits (`household::limits`).
pub fn largest_realistic_report(key: &str) -> Report {
    use fangpin_core::household::*;
    let long = |s: &str, n: usize| s.repeat(n).chars().take(n).collect::<String>();
    let mut members = vec![Member {
        name: long("张", 10),
        relation: Relation::Head,
        id_number: Some(id_number("19780307", 1)),
        medical_insurance: Some(true),
        serious_illness: true,
        labour: LabourCapacity::Weak,
        ..Member::default()
    }];
    for i in 1..30 {
        let child = i % 3 == 0;
        members.push(Member {
            name: format!("{}{i}", long("王", 9)),
            relation: if child { Relation::Child } else { Relation::Other },
            id_number: Some(id_number(if child { "20120101" } else { "19600101" }, i)),
            labour: if child { LabourCapacity::None } else { LabourCapacity::Half },
            severe_disability: i % 4 == 0,
            severe_disability_since: (i % 4 == 0).then(|| Date::parse("2022-01-01").unwrap()),
            serious_illness: i % 2 == 0,
            schooling: if child { Schooling::Compulsory } else { Schooling::None },
            medical_insurance: Some(i % 5 != 0),
            dibao_since: (i % 7 == 0).then(|| Date::parse("2021-05-01").unwrap()),
            ..Member::default()
        });
    }
    let kinds = [IncomeKind::Wage, IncomeKind::Business, IncomeKind::Property, IncomeKind::Transfer];
    let h = Household {
        head_name: long("张", 10),
        phone: Some("13812345678".into()),
        village: long("洪田村", 20),
        address: long("洪田村3组12号", 100),
        members,
        formerly_poor: true,
        previous_applications: (0..limits::PREVIOUS_APPLICATIONS)
            .map(|_| PreviousApplication {
                date: Some(Date::parse("2022-03-01").unwrap()),
                source: PreviousSource::Applied,
                outcome: PreviousOutcome::NotIncluded,
            })
            .collect(),
        income: (0..30)
            .map(|i| IncomeItem {
                kind: kinds[i % 4],
                amount: Money::yuan(100 + i as i64),
                label: long("打零工收入", 50),
                item: None,
                member: Some(i % 30),
            })
            .collect(),
        business_costs: (0..30).map(|i| CostItem { amount: Money::yuan(10 + i as i64), label: long("种子化肥", 100) }).collect(),
        rigid_expenses: (0..30)
            .map(|i| RigidExpense {
                kind: RigidExpenseKind::MedicalInpatient,
                amount: Money::yuan(1000 + i as i64),
                description: long("住院自付费用", 100),
                member: Some(i % 30),
            })
            .collect(),
        income_drop: Some(IncomeDrop {
            last_year_net_income: Money::yuan(50_000),
            reason: IncomeDropReason::Illness,
            description: long("户主生病不能外出务工", 200),
        }),
        housing_grade: HousingGrade::C,
        water: DrinkingWater {
            quality_ok: Some(false),
            litres_per_person_day: Some(20),
            water_rich_area: false,
            fetch_round_trip_minutes: Some(30),
            supply_percent: Some(80),
        },
        collected_by: Some(long("王芳", 50)),
        ..Household::default()
    };
    let p = policy::default_profile().unwrap();
    let a = assess(&h, p, date());
    let mut app = Application::build(&h, &a, p, FilledBy::Worker { name: long("王芳", 50) }, date()).unwrap();
    app.set_difficulty(fangpin_core::Text::new(long("家里有人患大病，", 2000), long("A member is seriously ill. ", 2000))).unwrap();
    Report::from_application(&app, key, "2023-06-01T09:30:00+08:00")
}

/// A body under 64 KiB whose stored row would be ~2 MB: 2,600 ten-year-olds written with only a name
/// and an age, each of which would come back in the stored report with every field and add its own
/// findings to the assessment. The core's member limit refuses it before anything is stored.
pub fn amplifying_body(key: &str) -> String {
    let mut h = household("张大山");
    h.members.truncate(1);
    for _ in 0..2600 {
        h.members.push(Member { name: "a".into(), age: Some(10), ..Member::default() });
    }
    let p = policy::default_profile().unwrap();
    let a = assess(&h, p, date());
    let mut app = Application::build(&household("张大山"), &a, p, FilledBy::Worker { name: "王芳".into() }, date()).unwrap();
    app.household = h;
    app.refresh_reference();
    let mut v: serde_json::Value =
        serde_json::from_str(&Report::from_application(&app, key, "2023-06-01T09:30:00+08:00").to_json()).unwrap();
    for m in v["household"]["members"].as_array_mut().unwrap().iter_mut().skip(1) {
        *m = serde_json::json!({ "name": "a", "age": 10 });
    }
    v.to_string()
}
