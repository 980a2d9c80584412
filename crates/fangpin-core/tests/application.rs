//! The application, its reference code, report JSON, QR handoff, copy text and hotline script.

use fangpin_core::application::*;
use fangpin_core::household::*;
use fangpin_core::money::Money;
use fangpin_core::{Date, assess, policy};

fn date(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// An ID number with the right check digit.
fn id(area: &str, birth: &str, seq: &str) -> String {
    let first = format!("{area}{birth}{seq}");
    format!("{first}{}", id_check_char(&first).expect("17 digits"))
}

/// A typical household of four, as a grid worker would enter it: every ID number, labels and notes.
pub fn four_member_household() -> Household {
    Household {
        head_name: "张大山".into(),
        phone: Some("13812345678".into()),
        village: "洪田村".into(),
        address: "洪田村3组12号".into(),
        members: vec![
            Member {
                name: "张大山".into(),
                relation: Relation::Head,
                birth_date: Some(date("1978-03-07")),
                id_number: Some(id("350481", "19780307", "001")),
                medical_insurance: Some(true),
                ..Member::default()
            },
            Member {
                name: "李秀英".into(),
                relation: Relation::Spouse,
                birth_date: Some(date("1980-05-20")),
                id_number: Some(id("350481", "19800520", "002")),
                medical_insurance: Some(true),
                ..Member::default()
            },
            Member {
                name: "张小明".into(),
                relation: Relation::Child,
                birth_date: Some(date("2011-09-01")),
                id_number: Some(id("350481", "20110901", "003")),
                labour: LabourCapacity::None,
                schooling: Schooling::Compulsory,
                medical_insurance: Some(true),
                ..Member::default()
            },
            Member {
                name: "王桂兰".into(),
                relation: Relation::Parent,
                birth_date: Some(date("1953-01-15")),
                id_number: Some(id("350481", "19530115", "004")),
                labour: LabourCapacity::None,
                serious_illness: true,
                medical_insurance: Some(true),
                dibao_since: Some(date("2023-02-01")),
                ..Member::default()
            },
        ],
        previous_applications: vec![PreviousApplication {
            date: Some(date("2022-10-01")),
            source: PreviousSource::Flagged,
            outcome: PreviousOutcome::NotIncluded,
        }],
        income: vec![
            IncomeItem { kind: IncomeKind::Wage, amount: Money::yuan(14000), label: "打零工".into(), item: None, member: Some(0) },
            IncomeItem { kind: IncomeKind::Business, amount: Money::yuan(6000), label: "种茶".into(), item: None, member: None },
            IncomeItem {
                kind: IncomeKind::Transfer,
                amount: Money::from_fen(504_050),
                label: "低保金".into(),
                item: None,
                member: Some(3),
            },
        ],
        business_costs: vec![CostItem { amount: Money::yuan(2000), label: "化肥农药".into() }],
        rigid_expenses: vec![RigidExpense {
            kind: RigidExpenseKind::MedicalInpatient,
            amount: Money::yuan(12000),
            description: "奶奶住院做手术".into(),
            member: Some(3),
        }],
        income_drop: Some(IncomeDrop {
            last_year_net_income: Money::yuan(60000),
            reason: IncomeDropReason::LostJob,
            description: "厂里裁员".into(),
        }),
        housing_grade: HousingGrade::B,
        water: DrinkingWater {
            quality_ok: Some(true),
            litres_per_person_day: Some(60),
            water_rich_area: false,
            fetch_round_trip_minutes: Some(0),
            supply_percent: Some(100),
        },
        collected_by: Some("网格员王芳".into()),
        ..Household::default()
    }
}

fn today() -> Date {
    date("2023-06-01")
}

fn build(h: &Household, filled_by: FilledBy) -> Application {
    let p = policy::default_profile().expect("default profile");
    let a = assess(h, p, today());
    Application::build(h, &a, p, filled_by, today()).expect("valid household")
}

fn worker() -> FilledBy {
    FilledBy::Worker { name: "王芳".into() }
}

#[test]
fn the_application_carries_the_form_fields() {
    let h = four_member_household();
    let app = build(&h, worker());
    assert_eq!(app.format, APPLICATION_FORMAT);
    assert_eq!(app.profile, policy::DEFAULT_PROFILE_ID);
    assert_eq!(app.head_name, "张大山");
    assert_eq!(app.id_number.as_deref(), h.members[0].id_number.as_deref());
    assert_eq!(app.phone.as_deref(), Some("13812345678"));
    assert_eq!(app.village, "洪田村");
    assert_eq!(app.members.len(), 4);
    assert_eq!(app.members[2].age, Some(11));
    assert_eq!(app.members[3].relation_label.zh, "父母");
    assert!(app.members[3].notes.iter().any(|n| n.zh == "享受低保"));
    assert!(app.members[3].notes.iter().any(|n| n.zh == "大病或慢性病"));
    // Exact figures from the assessment.
    assert_eq!(app.income.net_total, Money::from_fen(2_304_050));
    assert_eq!(app.income.members_counted, 4);
    assert_eq!(app.income.per_capita, Some(Money::from_fen(576_013)));
    assert!(!app.risks.is_empty());
    assert!(app.risks.iter().all(|r| !r.title.zh.is_empty() && !r.title.en.is_empty()));
    assert!(app.difficulty.zh.contains("人均"), "{}", app.difficulty.zh);
    assert!(app.difficulty.zh.contains("奶奶住院做手术") || app.difficulty.zh.contains("厂里裁员"), "{}", app.difficulty.zh);
    assert!(!app.difficulty.en.is_empty());
    assert!(!app.difficulty_edited());
    let p = policy::default_profile().unwrap();
    assert_eq!(app.pledge.body, p.pledge.body);
    assert_eq!(app.authorisation.body, p.authorisation.body);
    // Three adults sign; the 11-year-old does not.
    let signers: Vec<&str> = app.signers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(signers, ["张大山", "李秀英", "王桂兰"]);
    assert!(app.signers_note.is_none());
    assert_eq!(app.filled_by, worker());
    assert_eq!(app.date, today());
    assert_eq!(app.contacts.first().map(|c| c.number.as_str()), Some("12317"));
    assert!(app.contacts.iter().any(|c| c.number == "0598-3851238"));
    // JSON round trip (the UI may keep it).
    let json = serde_json::to_string(&app).unwrap();
    let back: Application = serde_json::from_str(&json).unwrap();
    assert_eq!(back, app);
}

#[test]
fn members_of_unknown_age_are_asked_to_sign_and_said_so() {
    let mut h = four_member_household();
    h.members[1].birth_date = None;
    h.members[1].id_number = None;
    h.members[1].age = None;
    h.members[2].birth_date = None;
    h.members[2].id_number = None;
    h.members[2].age = Some(17);
    let app = build(&h, FilledBy::Self_);
    let signers: Vec<(&str, Option<u32>)> = app.signers.iter().map(|s| (s.name.as_str(), s.age)).collect();
    assert_eq!(signers, [("张大山", Some(45)), ("李秀英", None), ("王桂兰", Some(70))]);
    assert!(app.signers_note.as_ref().unwrap().zh.contains("1 位"));
}

#[test]
fn build_refuses_invalid_households_and_nameless_fillers() {
    let p = policy::default_profile().unwrap();
    let mut h = four_member_household();
    h.phone = Some("12345".into());
    let a = assess(&h, p, today());
    let errs = Application::build(&h, &a, p, FilledBy::Relative { name: " ".into() }, today()).unwrap_err();
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"phone"), "{fields:?}");
    assert!(fields.contains(&"filled_by.name"), "{fields:?}");
    let other = policy::profile("dehua-2024").unwrap();
    let errs = Application::build(&four_member_household(), &a, other, FilledBy::Self_, today()).unwrap_err();
    assert!(errs.iter().any(|e| e.field == "profile"));
}

/// A one-click report must let the township reach the household: a name, and a phone or the
/// village; and say the difficulty in the person's words when the self-check found none.
#[test]
fn a_report_without_a_way_to_reach_the_household_is_not_ready_to_send() {
    let full = build(&four_member_household(), worker());
    assert!(!full.risks.is_empty() && full.phone.is_some());
    assert_eq!(full.missing_for_report(), vec![]);
    let mut h = four_member_household();
    h.head_name = " ".into();
    h.phone = None;
    h.village = String::new();
    let app = build(&h, worker());
    let fields: Vec<String> = app.missing_for_report().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["head_name", "phone"]);
    // The village alone is enough to be found (the cadres know their households).
    h.village = "洪田村".into();
    h.head_name = "王建国".into();
    assert_eq!(build(&h, worker()).missing_for_report(), vec![]);
    // No risk found: the drafted text only asks for one, so the person's own words are needed.
    let mut well_off = four_member_household();
    well_off.income =
        vec![IncomeItem { kind: IncomeKind::Wage, amount: Money::yuan(200_000), label: String::new(), item: None, member: None }];
    well_off.income_drop = None;
    well_off.rigid_expenses.clear();
    well_off.previous_applications.clear();
    for m in &mut well_off.members {
        (m.serious_illness, m.severe_disability, m.dibao_since, m.tekun_since) = (false, false, None, None);
    }
    let mut app = build(&well_off, worker());
    if app.risks.is_empty() {
        assert_eq!(app.missing_for_report().into_iter().map(|e| e.field).collect::<Vec<_>>(), ["difficulty"]);
        app.set_difficulty(Text::new("家里老人常年生病。", "An elderly member is ill all year.")).unwrap();
        assert_eq!(app.missing_for_report(), vec![]);
    } else {
        panic!("the well-off household should show no risk: {:?}", app.risks);
    }
}

#[test]
fn reference_is_stable_for_the_same_content_and_changes_with_it() {
    let h = four_member_household();
    let a = build(&h, worker());
    let b = build(&h.clone(), worker());
    assert_eq!(a.reference, b.reference);
    assert_eq!(validate_reference(&a.reference).as_deref(), Ok(a.reference.as_str()));
    assert_eq!(a.reference.len(), 11);
    assert!(a.reference.chars().all(|c| c == '-' || REFERENCE_ALPHABET.contains(&(c as u8))));
    // Any change of content: another code.
    let mut h2 = h.clone();
    h2.members[0].name = "张大三".into();
    assert_ne!(build(&h2, worker()).reference, a.reference);
    assert_ne!(build(&h, FilledBy::Self_).reference, a.reference);
    let mut c = a.clone();
    c.set_difficulty(Text::new("家里困难。", "Hard times.")).unwrap();
    assert_ne!(c.reference, a.reference);
    assert!(c.difficulty_edited());
    // The same amount written differently is the same content.
    let mut h3 = h.clone();
    h3.income[0].amount = Money::from_fen(1_400_000);
    assert_eq!(build(&h3, worker()).reference, a.reference);
}

use fangpin_core::Text;

#[test]
fn validate_reference_accepts_what_people_type() {
    let app = build(&four_member_household(), worker());
    let r = app.reference.clone();
    let plain: String = r.chars().filter(|&c| c != '-').collect();
    assert_eq!(validate_reference(&plain.to_lowercase()).unwrap(), r);
    assert_eq!(validate_reference(&format!(" {} {} {} ", &plain[..3], &plain[3..6], &plain[6..])).unwrap(), r);
    let fullwidth: String = plain.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
    assert_eq!(validate_reference(&fullwidth).unwrap(), r);
    assert_eq!(validate_reference("K7M-4QX"), Err(ReferenceError::Length));
    assert_eq!(validate_reference("K7M-4QX-9TRR2"), Err(ReferenceError::Length));
    assert_eq!(validate_reference("K7M-4QX-9T0"), Err(ReferenceError::Character));
    assert_eq!(validate_reference("O7M-4QX-9TR"), Err(ReferenceError::Character));
    assert_eq!(validate_reference(""), Err(ReferenceError::Length));
}

#[test]
fn check_character_catches_all_single_errors_and_adjacent_swaps_exhaustively_for_many_codes() {
    let alphabet: Vec<char> = REFERENCE_ALPHABET.iter().map(|&c| c as char).collect();
    // 2000 codes spread over the code space.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let data: String = (0..8).map(|i| alphabet[((seed >> (i * 7)) % 29) as usize]).collect();
        let full: Vec<char> = format!("{data}{}", reference_check_char(&data).unwrap()).chars().collect();
        let s: String = full.iter().collect();
        assert!(validate_reference(&s).is_ok());
        for i in 0..9 {
            for &c in &alphabet {
                if c != full[i] {
                    let mut v = full.clone();
                    v[i] = c;
                    assert_eq!(validate_reference(&v.iter().collect::<String>()), Err(ReferenceError::Check));
                }
            }
            if i < 8 && full[i] != full[i + 1] {
                let mut v = full.clone();
                v.swap(i, i + 1);
                assert_eq!(validate_reference(&v.iter().collect::<String>()), Err(ReferenceError::Check));
            }
        }
    }
}

#[test]
fn report_json_round_trips_and_validates() {
    let app = build(&four_member_household(), worker());
    let report = Report::from_application(&app, "2f1e0d4c-3b2a-4019-8877-665544332211", "2023-06-01T09:30:00+08:00");
    assert!(report.validate().is_empty(), "{:?}", report.validate());
    let json = report.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], REPORT_FORMAT);
    assert_eq!(v["reference"], app.reference.as_str());
    assert_eq!(v["household"]["format"], "fangpin.household/1");
    assert_eq!(v["application"]["filled_by"]["kind"], "worker");
    assert_eq!(v["assessment"]["income"]["per_capita"], "5760.13");
    let back = Report::from_json(&json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn report_errors_name_the_field() {
    let app = build(&four_member_household(), worker());
    let good = Report::from_application(&app, "2f1e0d4c-3b2a-4019-8877-665544332211", "2023-06-01T09:30:00Z");
    let json = good.to_json();
    let field = |text: &str| Report::from_json(text).unwrap_err().field;
    assert_eq!(Report::from_json("{").unwrap_err().code, "json");
    assert_eq!(Report::from_json("[]").unwrap_err().code, "not_object");
    assert_eq!(field(&json.replace("fangpin.report/1", "fangpin.report/2")), "format");
    assert_eq!(Report::from_json(&json.replace("fangpin.report/1", "fangpin.report/2")).unwrap_err().code, "version");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v.as_object_mut().unwrap().remove("idempotency_key");
    let e = Report::from_json(&v.to_string()).unwrap_err();
    assert_eq!((e.field.as_str(), e.code.as_str()), ("idempotency_key", "missing"));
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["application"].as_object_mut().unwrap().remove("difficulty");
    assert_eq!(field(&v.to_string()), "application.difficulty");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["household"]["members"][1]["labour"] = "strong".into();
    assert_eq!(field(&v.to_string()), "household.members[1].labour");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["extra"] = 1.into();
    let e = Report::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.code, "unknown_field");
    assert!(e.field.contains("extra"), "{}", e.field);
    assert!(!e.message.zh.is_empty() && !e.message.en.is_empty());

    // Semantic checks.
    let mut bad = good.clone();
    bad.idempotency_key = "short".into();
    bad.submitted_at = "yesterday".into();
    bad.application.difficulty = Text::new(format!("{}改", bad.application.difficulty.zh), bad.application.difficulty.en.clone());
    bad.application.phone = Some("13900000000".into());
    let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["idempotency_key", "submitted_at", "reference", "application.phone"]);
    let mut bad = good.clone();
    bad.household.members[0].id_number = Some("350481197803070010".into());
    let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
    assert!(fields.contains(&"household.members[0].id_number".to_string()), "{fields:?}");
}

#[test]
fn timestamps_and_keys() {
    for ok in ["2023-06-01T09:30:00Z", "2023-06-01T09:30:00.123+08:00", "2024-02-29t23:59:60-05:30"] {
        assert!(is_valid_timestamp(ok), "{ok}");
    }
    for bad in [
        "2023-06-01",
        "2023-06-01T09:30:00",
        "2023-02-30T09:30:00Z",
        "2023-06-01T24:00:00Z",
        "2023-06-01T09:30:00+8:00",
        "2023-06-01T09:30:00.Z",
    ] {
        assert!(!is_valid_timestamp(bad), "{bad}");
    }
    assert!(is_valid_idempotency_key("01HZY3K4Q2V7N8M9P0R1S2T3U4"));
    assert!(is_valid_idempotency_key("2f1e0d4c-3b2a-4019-8877-665544332211"));
    assert!(!is_valid_idempotency_key("too-short"));
    assert!(!is_valid_idempotency_key("has space in it 0123456789"));
    assert!(!is_valid_idempotency_key(&"x".repeat(65)));
}

#[test]
fn copy_text_and_hotline_script() {
    let app = build(&four_member_household(), worker());
    let t = app.to_plain_text("zh");
    for needle in [
        app.reference.as_str(),
        "张大山",
        "13812345678",
        "洪田村3组12号",
        "4 人",
        "5,760.13",
        "12317",
        "0598-3851238",
        "工作人员 王芳 代填",
    ] {
        assert!(t.contains(needle), "missing {needle} in\n{t}");
    }
    assert!(t.contains(app.difficulty.zh.as_str()));
    for r in &app.risks {
        assert!(t.contains(r.title.zh.as_str()));
    }
    let en = app.to_plain_text("en");
    assert!(en.contains("Reference: ") && en.contains(&app.reference) && en.contains("12317"), "{en}");
    let s = app.hotline_script("zh");
    let order = ["张大山", "138 1234 5678", "洪田村", "4 口人", "困难情况", "人均纯收入", &app.reference];
    let mut last = 0;
    for needle in order {
        let at = s.find(needle).unwrap_or_else(|| panic!("missing {needle} in\n{s}"));
        assert!(at >= last, "{needle} out of order in\n{s}");
        last = at;
    }
    let spelled = spell_reference(&app.reference, "zh");
    assert!(s.contains(&spelled), "{s}");
    assert_eq!(spelled.chars().filter(|&c| c == '，').count(), 2);
    assert!(app.hotline_script("en").contains(&spell_reference(&app.reference, "en")));
}

/// The QR version (error correction M) that holds `prefix` in byte mode followed by `digits` in
/// numeric mode. Data codewords per version at level M, ISO/IEC 18004 table 7.
pub fn qr_version_m(prefix_bytes: usize, digits: usize) -> Option<usize> {
    const M: [usize; 40] = [
        16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669, 714, 782, 860, 914, 1000, 1062,
        1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
    ];
    (1..=40).find(|&v| {
        let (cc_byte, cc_num) = match v {
            1..=9 => (8, 10),
            10..=26 => (16, 12),
            _ => (16, 14),
        };
        let numeric = 10 * (digits / 3) + [0, 4, 7][digits % 3];
        let bits = 4 + cc_byte + 8 * prefix_bytes + 4 + cc_num + numeric;
        bits <= 8 * M[v - 1]
    })
}

#[test]
fn a_four_member_household_fits_a_small_qr_code() {
    let mut app = build(&four_member_household(), worker());
    let h = encode_handoff(&app);
    assert!(h.fits && h.dropped.is_empty());
    let prefix = "https://fangpin.example.gov.cn/yongan/#a=";
    let v = qr_version_m(prefix.len(), h.text.len()).unwrap();
    eprintln!("4-member household, drafted difficulty: {} digits, QR version {v}-M", h.text.len());
    assert!(v <= 25, "version {v}");
    // With an edited difficulty text of 200 Chinese characters in both languages.
    let long = "家里老人常年看病吃药，孩子上学也要花钱，去年丈夫在厂里被裁员后一直没有稳定工作。".repeat(5);
    app.set_difficulty(Text::new(long.clone(), "Long English text. ".repeat(20))).unwrap();
    let h2 = encode_handoff(&app);
    let v2 = qr_version_m(prefix.len(), h2.text.len()).unwrap();
    eprintln!(
        "… with an edited 200-character difficulty in zh and en: {} digits, QR version {v2}-M, dropped {:?}",
        h2.text.len(),
        h2.dropped
    );
    assert!(h2.fits && v2 <= 25);
    // The JSON for comparison.
    let json = serde_json::to_string(&app.household).unwrap();
    eprintln!("household JSON: {} bytes", json.len());
}

#[test]
fn handoff_round_trips_and_rebuilds_the_same_application() {
    let p = policy::default_profile().unwrap();
    let app = build(&four_member_household(), worker());
    let h = encode_handoff(&app);
    assert!(h.text.starts_with(HANDOFF_VERSION) && h.text.bytes().all(|c| c.is_ascii_digit()));
    let link = handoff_link("https://example.org/app/#old", &h);
    assert!(link.starts_with("https://example.org/app/#a=01"));
    let d = decode_handoff(&link).unwrap();
    assert_eq!(d.household, app.household);
    assert_eq!(d.filled_by, app.filled_by);
    assert_eq!(d.date, app.date);
    assert_eq!(d.profile, app.profile);
    assert_eq!(d.reference, app.reference);
    assert_eq!(d.difficulty, None, "the draft is rebuilt, not carried");
    let rebuilt = d.to_application(p).unwrap();
    assert_eq!(rebuilt, app);
    // An edited text is carried.
    let mut edited = app.clone();
    edited.set_difficulty(Text::new("老人住院，钱不够。", app.difficulty.en.clone())).unwrap();
    let d = decode_handoff(&encode_handoff(&edited).text).unwrap();
    assert_eq!(d.difficulty.as_ref().map(|t| t.zh.as_str()), Some("老人住院，钱不够。"));
    assert_eq!(d.to_application(p).unwrap(), edited);
    assert_eq!(decode_handoff(&format!("a={}", h.text)).unwrap().reference, app.reference);
}

#[test]
fn handoff_drops_the_least_essential_parts_and_says_so() {
    let p = policy::default_profile().unwrap();
    let mut app = build(&four_member_household(), worker());
    app.set_difficulty(Text::new("很长的说明。".repeat(100), "Long. ".repeat(100))).unwrap();
    let full = encode_handoff_within(&app, usize::MAX);
    assert!(full.dropped.is_empty());
    let h = encode_handoff_within(&app, full.text.len() - 10);
    assert!(h.fits);
    assert_eq!(h.dropped.len(), 1);
    assert!(h.dropped[0].en.contains("English"));
    let tiny = encode_handoff_within(&app, 100);
    assert!(!tiny.fits);
    assert_eq!(tiny.dropped.len(), 4);
    let d = decode_handoff(&tiny.text).unwrap();
    assert_eq!(d.dropped, tiny.dropped);
    assert_eq!(d.reference, app.reference, "the sender's code travels along");
    assert!(d.household.income.iter().all(|i| i.label.is_empty()));
    assert!(d.household.rigid_expenses.iter().all(|e| e.description.is_empty()));
    assert_eq!(d.household.members, app.household.members, "members are never dropped");
    let rebuilt = d.to_application(p).unwrap();
    assert_eq!(rebuilt.difficulty, rebuilt.difficulty_draft);
}

#[test]
fn handoff_errors_are_clear() {
    let app = build(&four_member_household(), worker());
    let text = encode_handoff(&app).text;
    assert_eq!(decode_handoff(""), Err(HandoffError::Empty));
    assert_eq!(decode_handoff("https://x/#a="), Err(HandoffError::Empty));
    assert_eq!(decode_handoff(&format!("03{}", &text[2..])), Err(HandoffError::Version("03".into())));
    // "02" is known, but the checksum covers the version: a "01" text relabelled does not check out.
    assert_eq!(decode_handoff(&format!("02{}", &text[2..])), Err(HandoffError::Checksum));
    assert_eq!(decode_handoff("v2:ABC"), Err(HandoffError::Version("v2".into())));
    assert!(matches!(decode_handoff(&format!("{}x", &text[..20])), Err(HandoffError::Character { position: 20 })));
    // Cut anywhere: truncated (never a wrong application).
    for cut in [3, 10, 17, 100, text.len() - 1, text.len() - 17] {
        let e = decode_handoff(&text[..cut]).unwrap_err();
        assert!(matches!(e, HandoffError::Truncated | HandoffError::Checksum), "cut {cut}: {e:?}");
    }
    assert_eq!(decode_handoff(&text[..text.len() - 17]), Err(HandoffError::Truncated));
    // One digit changed: the checksum says so.
    let mut changed = 0;
    for i in 2..text.len() {
        let mut b = text.clone().into_bytes();
        b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
        let e = decode_handoff(std::str::from_utf8(&b).unwrap()).unwrap_err();
        assert!(matches!(e, HandoffError::Checksum | HandoffError::Truncated | HandoffError::TrailingData), "{i}: {e:?}");
        changed += 1;
    }
    assert!(changed > 100);
    assert_eq!(decode_handoff(&format!("{text}{}", "0".repeat(17))), Err(HandoffError::TrailingData));
    assert_eq!(decode_handoff(&"1".repeat(HANDOFF_DECODE_LIMIT + 1)), Err(HandoffError::TooLong));
    for e in [HandoffError::Checksum, HandoffError::Truncated, HandoffError::Version("09".into())] {
        assert!(!e.message().zh.is_empty() && !e.message().en.is_empty());
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof!["[\\p{Han}]{0,8}", "\\PC{0,12}", "[a-zA-Z0-9 ，。（）]{0,10}", Just(String::new())]
    }

    fn money() -> impl Strategy<Value = Money> {
        prop_oneof![
            (0i64..=10_000_000_000).prop_map(Money::from_fen),
            (0i64..=1_000_000).prop_map(Money::yuan),
            (any::<i64>(), 0u32..=10).prop_map(|(m, s)| Money::from_decimal(rust_decimal::Decimal::new(m, s))),
        ]
    }

    fn date() -> impl Strategy<Value = Date> {
        (1900u16..=2200, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid"))
    }

    fn id_number() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            "[0-9]{17}".prop_map(|s| Some(format!("{s}{}", id_check_char(&s).unwrap()))),
            "[0-9Xx]{0,19}".prop_map(Some),
        ]
    }

    fn member() -> impl Strategy<Value = Member> {
        (
            (text(), 0usize..9, proptest::option::of(date()), proptest::option::of(0u32..200), id_number()),
            (0usize..4, any::<bool>(), proptest::option::of(date()), any::<bool>(), 0usize..4, proptest::option::of(0usize..4)),
            (proptest::option::of(any::<bool>()), proptest::option::of(date()), proptest::option::of(date()), any::<bool>()),
            // Pending applications (handoff version 2), rarely.
            prop_oneof![4 => Just((None, None)), 1 => (proptest::option::of(date()), proptest::option::of(date()))],
        )
            .prop_map(
                |(
                    (name, rel, birth_date, age, id_number),
                    (lab, sd, sds, ill, sch, oos),
                    (mi, dibao, tekun, counted),
                    (dibao_applied, tekun_applied),
                )| {
                    Member {
                        name,
                        relation: Relation::ALL[rel],
                        birth_date,
                        age,
                        id_number,
                        labour: [LabourCapacity::Full, LabourCapacity::Weak, LabourCapacity::Half, LabourCapacity::None][lab],
                        severe_disability: sd,
                        severe_disability_since: sds,
                        serious_illness: ill,
                        schooling: [Schooling::None, Schooling::Compulsory, Schooling::HighSchool, Schooling::College][sch],
                        out_of_school: oos.map(|i| {
                            [OutOfSchoolReason::Health, OutOfSchoolReason::Cost, OutOfSchoolReason::Work, OutOfSchoolReason::Other][i]
                        }),
                        medical_insurance: mi,
                        dibao_since: dibao,
                        tekun_since: tekun,
                        dibao_applied,
                        tekun_applied,
                        counted,
                    }
                },
            )
    }

    prop_compose! {
        fn household()(
            head_name in text(), phone in proptest::option::of(prop_oneof!["1[3-9][0-9]{9}", "\\PC{0,14}"]),
            village in text(), address in text(), prefix in any::<bool>(),
            members in proptest::collection::vec(member(), 0..6),
            formerly_poor in any::<bool>(),
            monitoring in proptest::option::of((date(), proptest::option::of(date()), any::<bool>())),
            previous in proptest::collection::vec((proptest::option::of(date()), any::<bool>(), 0usize..3), 0..3),
            income in proptest::collection::vec((0usize..4, money(), text(), proptest::option::of(text()), proptest::option::of(0usize..20)), 0..5),
            costs in proptest::collection::vec((money(), text()), 0..3),
            rigid in proptest::collection::vec((0usize..8, money(), text(), proptest::option::of(0usize..9)), 0..4),
            drop in proptest::option::of((money(), 0usize..7, text())),
            grade in 0usize..5,
            water in (proptest::option::of(any::<bool>()), proptest::option::of(any::<u32>()), any::<bool>(), proptest::option::of(0u32..1000), proptest::option::of(0u32..200)),
            collected_by in proptest::option::of(text()),
        ) -> Household {
            Household {
                format: HOUSEHOLD_FORMAT.into(),
                address: if prefix { format!("{village}{address}") } else { address },
                head_name, phone, village, members, formerly_poor,
                monitoring: monitoring.map(|(since, income_stable_since, risk_gone_naturally)| Monitoring { since, income_stable_since, risk_gone_naturally }),
                previous_applications: previous.into_iter().map(|(date, f, o)| PreviousApplication {
                    date,
                    source: if f { PreviousSource::Flagged } else { PreviousSource::Applied },
                    outcome: [PreviousOutcome::NotIncluded, PreviousOutcome::Included, PreviousOutcome::Pending][o],
                }).collect(),
                income: income.into_iter().map(|(k, amount, label, item, member)| IncomeItem { kind: IncomeKind::ALL[k], amount, label, item, member }).collect(),
                business_costs: costs.into_iter().map(|(amount, label)| CostItem { amount, label }).collect(),
                rigid_expenses: rigid.into_iter().map(|(k, amount, description, member)| RigidExpense {
                    kind: [RigidExpenseKind::MedicalInpatient, RigidExpenseKind::MedicalOutpatient, RigidExpenseKind::MedicalOther,
                        RigidExpenseKind::SchoolingCompulsory, RigidExpenseKind::SchoolingNonCompulsory, RigidExpenseKind::Disaster,
                        RigidExpenseKind::Accident, RigidExpenseKind::Other][k],
                    amount, description, member,
                }).collect(),
                income_drop: drop.map(|(m, r, description)| IncomeDrop {
                    last_year_net_income: m,
                    reason: [IncomeDropReason::LostJob, IncomeDropReason::FailedFarming, IncomeDropReason::FailedBusiness,
                        IncomeDropReason::Illness, IncomeDropReason::Disaster, IncomeDropReason::Accident, IncomeDropReason::Other][r],
                    description,
                }),
                housing_grade: [HousingGrade::A, HousingGrade::B, HousingGrade::C, HousingGrade::D, HousingGrade::Unknown][grade],
                water: DrinkingWater { quality_ok: water.0, litres_per_person_day: water.1, water_rich_area: water.2, fetch_round_trip_minutes: water.3, supply_percent: water.4 },
                collected_by,
            }
        }
    }

    fn filled_by() -> impl Strategy<Value = FilledBy> {
        prop_oneof![
            Just(FilledBy::Self_),
            text().prop_map(|name| FilledBy::Worker { name }),
            text().prop_map(|name| FilledBy::Relative { name })
        ]
    }

    /// An application built without validation (the codec must carry any household faithfully).
    fn unchecked_app(h: Household, filled_by: FilledBy, difficulty: Option<(String, String)>, d: Date) -> Application {
        let p = policy::default_profile().unwrap();
        let valid = Household { members: vec![Member { name: "甲".into(), ..Member::default() }], ..Household::default() };
        let a = assess(&valid, p, d);
        let mut app = Application::build(&valid, &a, p, FilledBy::Self_, d).unwrap();
        app.household = h;
        app.filled_by = filled_by;
        if let Some((zh, en)) = difficulty {
            app.difficulty = Text::new(zh, en);
        }
        app.refresh_reference();
        app
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn handoff_round_trips_any_household(
            h in household(), f in filled_by(), diff in proptest::option::of((text(), text())), d in date(),
        ) {
            let app = unchecked_app(h, f, diff, d);
            let ho = encode_handoff_within(&app, usize::MAX);
            prop_assert!(ho.dropped.is_empty());
            let back = decode_handoff(&ho.text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&back.household, &app.household);
            prop_assert_eq!(&back.filled_by, &app.filled_by);
            prop_assert_eq!(back.date, app.date);
            prop_assert_eq!(&back.profile, &app.profile);
            prop_assert_eq!(&back.reference, &app.reference);
            if app.difficulty_edited() {
                prop_assert_eq!(back.difficulty.as_ref(), Some(&app.difficulty));
            } else {
                prop_assert_eq!(back.difficulty.as_ref(), None);
            }
            // The rebuilt content has the same reference code.
            let d2 = back.difficulty.clone().unwrap_or_else(|| app.difficulty_draft.clone());
            prop_assert_eq!(content_reference(&back.household, &back.filled_by, &d2, back.date, &back.profile), app.reference.clone());
        }

        #[test]
        fn handoff_of_a_valid_household_rebuilds_the_same_application(mut h in household(), f in filled_by()) {
            // Keep only what validates (texts without the characters no text may hold).
            let scrub = |s: &mut String| s.retain(|c| fangpin_core::input::check_text(&c.to_string(), fangpin_core::input::TextKind::Free, 1).is_ok());
            for s in [&mut h.head_name, &mut h.village, &mut h.address] { scrub(s); }
            if let Some(c) = &mut h.collected_by { scrub(c); }
            for m in &mut h.members { scrub(&mut m.name); }
            for i in &mut h.income { scrub(&mut i.label); if let Some(x) = &mut i.item { scrub(x); } }
            for c in &mut h.business_costs { scrub(&mut c.label); }
            for e in &mut h.rigid_expenses { scrub(&mut e.description); }
            if let Some(d) = &mut h.income_drop { scrub(&mut d.description); }
            h.phone = None;
            for m in &mut h.members { m.id_number = None; m.birth_date = None; m.age = m.age.map(|a| a % 100);
                m.dibao_since = None; m.tekun_since = None; m.severe_disability_since = None; m.dibao_applied = m.dibao_applied.map(|_| today()); m.tekun_applied = None; }
            h.members.push(Member { name: "甲".into(), ..Member::default() });
            for i in &mut h.income { i.amount = Money::yuan(100); i.member = None; }
            for c in &mut h.business_costs { c.amount = Money::yuan(10); }
            for e in &mut h.rigid_expenses { e.amount = Money::yuan(5000); e.member = None; }
            if let Some(d) = &mut h.income_drop { d.last_year_net_income = Money::yuan(9000); }
            h.monitoring = None;
            h.water.supply_percent = h.water.supply_percent.map(|p| p % 101);
            let f = match f { FilledBy::Self_ => FilledBy::Self_, FilledBy::Worker { .. } => FilledBy::Worker { name: "王芳".into() }, FilledBy::Relative { .. } => FilledBy::Relative { name: "李".into() } };
            let p = policy::default_profile().unwrap();
            let a = assess(&h, p, today());
            let app = Application::build(&h, &a, p, f, today()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let back = decode_handoff(&encode_handoff_within(&app, usize::MAX).text).unwrap();
            prop_assert_eq!(back.to_application(p).unwrap(), app.clone());
            // And the report of it validates and round-trips.
            let r = Report::from_application(&app, "abcdefghijklmnop", "2023-06-01T00:00:00Z");
            prop_assert!(r.validate().is_empty(), "{:?}", r.validate());
            prop_assert_eq!(Report::from_json(&r.to_json()).unwrap(), r);
        }

        #[test]
        fn decoders_never_panic(s in "\\PC{0,300}") {
            let _ = decode_handoff(&s);
            let _ = validate_reference(&s);
            let _ = Report::from_json(&s);
            let _ = is_valid_timestamp(&s);
        }

        #[test]
        fn digit_decoder_never_panics(s in "(01)?[0-9]{0,400}") {
            let _ = decode_handoff(&s);
        }

        #[test]
        fn corrupted_handoffs_fail_or_decode_without_panic(h in household(), pos in any::<prop::sample::Index>(), digit in 0u8..10) {
            let app = unchecked_app(h, FilledBy::Self_, None, today());
            let text = encode_handoff_within(&app, usize::MAX).text;
            let mut b = text.into_bytes();
            let i = pos.index(b.len());
            b[i] = b'0' + digit;
            let _ = decode_handoff(std::str::from_utf8(&b).unwrap());
        }

        #[test]
        fn report_parser_never_panics_on_json_like_input(s in "[{}\\[\\]\":,a-z0-9 ]{0,200}") {
            let _ = Report::from_json(&s);
        }
    }
}

/// `draft_difficulty` lower-cases English risk titles with `to_ascii_lowercase` (the full Unicode
/// `to_lowercase` would pull its case tables into the wasm); that is only the same while they are ASCII.
#[test]
fn english_risk_titles_are_ascii() {
    for code in fangpin_core::RiskCode::ALL {
        let t = code.title();
        assert!(t.en.is_ascii(), "{code}: {}", t.en);
    }
}
