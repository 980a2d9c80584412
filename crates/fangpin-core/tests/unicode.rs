//! Arbitrary Unicode into every parser, validator, decoder and formatter of the core: nothing panics,
//! and what is accepted survives the round trips (household JSON, application → QR handoff → back,
//! report JSON). The strings mix every scalar value with the characters people really type or paste:
//! full-width digits and ｘ, Chinese, emoji, combining marks, control and direction characters.

use fangpin_core::application::*;
use fangpin_core::household::*;
use fangpin_core::input::{TextKind, check_text, fold};
use fangpin_core::money::{Money, parse_amount, parse_optional_amount};
use fangpin_core::policy::{self, parse_profile_json};
use fangpin_core::{Date, assess, to_cli_json};
use proptest::prelude::*;
use serde_json::Value;

const TYPED: &[char] = &[
    '0',
    '1',
    '7',
    '9',
    'X',
    'x',
    'ｘ',
    'Ｘ',
    '０',
    '１',
    '５',
    '９',
    '张',
    '李',
    '·',
    '-',
    '—',
    ' ',
    '\u{3000}',
    '.',
    '．',
    ',',
    '，',
    '万',
    '千',
    '元',
    '¥',
    '+',
    '#',
    'a',
    '=',
    '/',
    ':',
    '"',
    '\\',
    '\u{0}',
    '\n',
    '\r',
    '\t',
    '\u{7f}',
    '\u{85}',
    '\u{202E}',
    '\u{2066}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{FFFD}',
    '\u{301}',
    'é',
    '😀',
    '👨',
    '🏻',
    '𠀀',
    '\u{10FFFF}',
];

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        4 => prop::sample::select(TYPED),
        2 => prop::char::range('0', '9'),
        1 => prop::char::range('０', '９'),
    ]
}

fn hostile(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..max).prop_map(String::from_iter)
}

/// Text a person could really give (no control or direction characters), with emoji and CJK.
fn plain(max: usize) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        3 => prop::sample::select(&['张', '李', '·', '😀', 'é', '\u{301}', ' ', 'a', 'Z', '3', '，', '𠀀', '村', '组'][..]),
        1 => prop::char::range('\u{4E00}', '\u{9FFF}'),
    ];
    prop::collection::vec(chars, 0..max).prop_map(String::from_iter)
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn as_of() -> Date {
    date("2023-06-01")
}

fn valid_id(birth: &str, seq: &str) -> String {
    let first = format!("350481{birth}{seq}");
    format!("{first}{}", id_check_char(&first).expect("17 digits"))
}

/// A household whose every text field holds `t[i]`.
fn household_with(t: &[String]) -> Household {
    let s = |i: usize| t.get(i).cloned().unwrap_or_default();
    Household {
        head_name: s(0),
        phone: Some(s(1)),
        village: s(2),
        address: s(3),
        members: vec![
            Member {
                name: s(4),
                relation: Relation::Head,
                birth_date: Some(date("1978-03-07")),
                id_number: Some(s(5)),
                medical_insurance: Some(true),
                ..Member::default()
            },
            Member {
                name: s(6),
                relation: Relation::Parent,
                age: Some(70),
                labour: LabourCapacity::None,
                serious_illness: true,
                ..Member::default()
            },
        ],
        income: vec![IncomeItem { kind: IncomeKind::Wage, amount: Money::yuan(9000), label: s(7), item: Some(s(8)), member: None }],
        business_costs: vec![CostItem { amount: Money::yuan(100), label: s(9) }],
        rigid_expenses: vec![RigidExpense {
            kind: RigidExpenseKind::MedicalInpatient,
            amount: Money::yuan(8000),
            description: s(10),
            member: Some(1),
        }],
        income_drop: Some(IncomeDrop { last_year_net_income: Money::yuan(20000), reason: IncomeDropReason::Illness, description: s(11) }),
        collected_by: Some(s(12)),
        ..Household::default()
    }
}

/// Every string value of a JSON tree replaced by `f(i)` (i counts string values, depth first).
fn replace_strings(v: &mut Value, f: &mut impl FnMut(usize) -> Option<String>, n: &mut usize) {
    match v {
        Value::String(s) => {
            if let Some(new) = f(*n) {
                *s = new;
            }
            *n += 1;
        }
        Value::Array(a) => a.iter_mut().for_each(|x| replace_strings(x, f, n)),
        Value::Object(o) => o.values_mut().for_each(|x| replace_strings(x, f, n)),
        _ => {}
    }
}

fn sample_report() -> Report {
    let h = household_with(&[
        "张大山".into(),
        "13812345678".into(),
        "洪田村".into(),
        "洪田村3组12号".into(),
        "张大山".into(),
        valid_id("19780307", "001"),
        "王桂兰".into(),
        "打零工".into(),
        "".into(),
        "化肥".into(),
        "住院".into(),
        "生病".into(),
        "本人".into(),
    ]);
    let mut h = h;
    h.income[0].item = None;
    let p = policy::default_profile().expect("default profile");
    let a = assess(&h, p, as_of());
    let app = Application::build(&h, &a, p, FilledBy::Self_, as_of()).expect("valid household");
    Report::from_application(&app, "0123456789abcdef0123", "2023-06-01T09:30:00+08:00")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn amounts_and_counts(s in hostile(40)) {
        if let Ok(m) = parse_amount(&s) {
            prop_assert!(!m.is_negative());
            prop_assert!(m.as_decimal() <= rust_decimal::Decimal::from(100_000_000));
            let _ = (m.to_fixed2(), m.display_yuan(), m.short(), m.to_string());
        }
        let _ = parse_optional_amount(&s);
        let _ = fold(&s);
    }

    #[test]
    fn id_numbers_phones_dates(s in hostile(24)) {
        if let Ok(birth) = validate_id_number(&s) {
            let n = normalise_id_number(&s);
            prop_assert_eq!(n.chars().count(), 18);
            prop_assert!(n.is_ascii());
            prop_assert_eq!(validate_id_number(&n), Ok(birth));
            prop_assert_eq!(normalise_id_number(&n), n);
        }
        let _ = id_check_char(&s);
        let _ = is_valid_phone(&s);
        let _ = Date::parse(&s);
        let _ = Date::parse_compact(&s);
    }

    #[test]
    fn reference_codes_keys_and_times(s in hostile(20)) {
        if let Ok(r) = validate_reference(&s) {
            prop_assert_eq!(validate_reference(&r), Ok(r.clone()));
            let _ = spell_reference(&r, "zh");
        }
        let _ = spell_reference(&s, "en");
        let _ = is_valid_timestamp(&s);
        let _ = is_valid_idempotency_key(&s);
        let _ = check_text(&s, TextKind::Line, 10);
        let _ = check_text(&s, TextKind::Free, 10);
    }

    #[test]
    fn check_text_is_its_rule_character_by_character(s in hostile(12), max in 0usize..14) {
        // The rule as the field help states it, one character at a time (the checker itself
        // skips the decoding for text without a refused character's lead byte).
        use fangpin_core::input::TextProblem;
        for kind in [TextKind::Line, TextKind::Free] {
            let mut want = Ok(());
            for c in s.chars() {
                let free_space = kind == TextKind::Free && matches!(c, '\n' | '\r' | '\t');
                let problem = match c {
                    _ if free_space => None,
                    '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' => Some(TextProblem::Control),
                    '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(TextProblem::Direction),
                    '\u{FFFD}' => Some(TextProblem::Unreadable),
                    _ => None,
                };
                if let Some(p) = problem {
                    want = Err(p);
                    break;
                }
            }
            if want.is_ok() && s.chars().count() > max {
                want = Err(TextProblem::TooLong(max));
            }
            prop_assert_eq!(check_text(&s, kind, max), want, "{:?}", s);
        }
    }

    #[test]
    fn handoff_decoding(s in hostile(60), digits in "[0-9]{0,200}") {
        let _ = decode_handoff(&s);
        let _ = decode_handoff(&format!("01{digits}"));
        let _ = decode_handoff(&format!("https://x/#a=01{digits}{s}"));
    }

    #[test]
    fn json_parsers(s in hostile(200)) {
        let _ = serde_json::from_str::<Household>(&s);
        let _ = Report::from_json(&s);
        let _ = parse_profile_json(&s);
    }

    /// A household with any text in every text field: validation names the bad fields, the
    /// assessment and its JSON are made, and an accepted application survives the QR handoff and
    /// the report JSON exactly.
    #[test]
    fn households_with_any_text(texts in prop::collection::vec(hostile(30), 13)) {
        let h = household_with(&texts);
        let json = serde_json::to_string(&h).expect("serialises");
        prop_assert_eq!(serde_json::from_str::<Household>(&json).expect("reads back"), h.clone());
        let errs = h.validate(as_of());
        for p in policy::embedded_profiles() {
            let a = assess(&h, p, as_of());
            let _ = to_cli_json(&a);
            let _ = draft_difficulty(&h, &a, as_of());
            match Application::build(&h, &a, p, FilledBy::Worker { name: texts[12].clone() }, as_of()) {
                Ok(app) => {
                    prop_assert!(errs.is_empty());
                    round_trips(&app, p)?;
                }
                Err(e) => prop_assert!(!e.is_empty()),
            }
        }
    }

    /// The same with text a person could type: it is accepted and round-trips.
    #[test]
    fn households_with_plain_text(texts in prop::collection::vec(plain(12), 13)) {
        let mut texts = texts;
        texts[1] = "13812345678".into();
        texts[5] = valid_id("19780307", "001");
        let h = household_with(&texts);
        let p = policy::default_profile().expect("default");
        let a = assess(&h, p, as_of());
        let app = Application::build(&h, &a, p, FilledBy::Self_, as_of());
        prop_assert!(app.is_ok(), "{:?}", app.err());
        round_trips(&app.expect("built"), p)?;
    }

    /// A real report with any text in any of its string values: parsing and validation never panic.
    #[test]
    fn reports_with_any_text(which in 0usize..120, s in hostile(40)) {
        let mut v: Value = serde_json::from_str(&sample_report().to_json()).expect("json");
        let mut n = 0;
        replace_strings(&mut v, &mut |i| (i == which).then(|| s.clone()), &mut n);
        if let Ok(r) = Report::from_json(&v.to_string()) {
            let _ = r.validate();
        }
    }

    /// A real profile with any text in any of its string values: parsing and validation never panic,
    /// and an accepted profile assesses.
    #[test]
    fn profiles_with_any_text(which in 0usize..600, s in hostile(30)) {
        let (_, json) = policy::embedded_profile_sources()[0];
        let mut v: Value = serde_json::from_str(json).expect("json");
        let mut n = 0;
        replace_strings(&mut v, &mut |i| (i == which).then(|| s.clone()), &mut n);
        if let Ok(p) = parse_profile_json(&v.to_string()) {
            let _ = p.validate();
            let h = household_with(&[]);
            let _ = to_cli_json(&assess(&h, &p, as_of()));
        }
    }
}

fn round_trips(app: &Application, p: &policy::Profile) -> Result<(), TestCaseError> {
    let hand = encode_handoff_within(app, usize::MAX);
    let data = decode_handoff(&hand.text).map_err(|e| TestCaseError::fail(format!("decode: {e:?}")))?;
    prop_assert_eq!(&data.household, &app.household);
    let back = data.to_application(p).map_err(|e| TestCaseError::fail(format!("rebuild: {e:?}")))?;
    prop_assert_eq!(&back.reference, &app.reference);
    let _ = (app.to_plain_text("zh"), app.to_plain_text("en"), app.hotline_script("zh"), app.hotline_script("en"));
    let report = Report::from_application(app, "0123456789abcdef0123", "2023-06-01T09:30:00+08:00");
    let parsed = Report::from_json(&report.to_json()).map_err(|e| TestCaseError::fail(format!("report: {e:?}")))?;
    prop_assert_eq!(&parsed, &report);
    prop_assert_eq!(parsed.validate(), vec![]);
    Ok(())
}

#[test]
fn the_inputs_that_crashed_it() {
    // Issue 10: 18 full-width digits (an IME slip) and a Chinese character among the digits.
    for id in ["３５０４８１１９７８０３０７００１３", "350481197803070张13", "3504811978030700张", "３５０４８１１９７８０３０７００１ｘ"]
    {
        let mut h = household_with(&[]);
        h.members[0].id_number = Some(id.into());
        let _ = h.validate(as_of());
        let p = policy::default_profile().expect("default");
        let a = assess(&h, p, as_of());
        if let Ok(app) = Application::build(&h, &a, p, FilledBy::Self_, as_of()) {
            round_trips(&app, p).expect("round trip");
        }
    }
    // Full-width digits with a right check digit are the same number as ASCII ones.
    let ascii = valid_id("19780307", "001");
    let wide: String = ascii.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect();
    assert_eq!(validate_id_number(&wide), validate_id_number(&ascii));
    assert!(validate_id_number(&wide).is_ok());
}

#[test]
fn text_rules_at_the_field() {
    let mut h = household_with(&[]);
    h.head_name = "张\u{202E}山".into();
    h.village = "洪田\u{0}村".into();
    h.address = "x".repeat(201);
    h.members[1].name = "王\u{FFFD}".into();
    h.rigid_expenses[0].description = "第一行\n第二行".into();
    let errs = h.validate(as_of());
    let code = |f: &str| errs.iter().find(|e| e.field == f).map(|e| e.code.as_str());
    assert_eq!(code("head_name"), Some("direction_character"));
    assert_eq!(code("village"), Some("control_character"));
    assert_eq!(code("address"), Some("too_long"));
    assert_eq!(code("members[1].name"), Some("unreadable_character"));
    assert_eq!(code("rigid_expenses[0].description"), None, "a line break is fine in free text");
    for e in &errs {
        assert!(!e.message.is_incomplete(), "{e:?}");
    }
}

#[test]
fn sizes_no_real_household_reaches_are_refused() {
    let mut h = household_with(&[]);
    h.members = vec![Member::default(); limits::MEMBERS + 1];
    h.income =
        vec![IncomeItem { kind: IncomeKind::Wage, amount: Money::yuan(1), label: String::new(), item: None, member: Some(99) }; 21_000];
    let errs = h.validate(as_of());
    assert!(errs.iter().any(|e| e.field == "members" && e.code == "too_many"));
    assert!(errs.iter().any(|e| e.field == "income" && e.code == "too_many"));
    // The answer stays small however long the lists are.
    assert!(errs.len() < 200, "{} errors", errs.len());
    h.members.truncate(limits::MEMBERS);
    assert!(!h.validate(as_of()).iter().any(|e| e.field == "members"));
}

#[test]
fn a_report_whose_signers_are_not_the_adults_is_refused() {
    let mut r = sample_report();
    assert_eq!(r.validate(), vec![]);
    r.application.signers.push("陌生人".into());
    assert!(r.validate().iter().any(|e| e.field == "application.signers" && e.code == "mismatch"));
    let mut r = sample_report();
    r.application.signers.clear();
    assert!(r.validate().iter().any(|e| e.field == "application.signers"));
}

#[test]
fn a_client_summary_bigger_than_a_real_one_is_refused() {
    let mut r = sample_report();
    let line = r.assessment.risks[0].clone();
    r.assessment.risks = vec![line; 21_000];
    assert!(r.validate().iter().any(|e| e.field == "assessment"));
    // An unknown risk code does not even parse (the vocabulary is typed).
    let json = sample_report().to_json().replacen(
        &format!("\"code\":\"{}\"", sample_report().assessment.risks[0].code),
        "\"code\":\"made_up\"",
        1,
    );
    let e = Report::from_json(&json).expect_err("an unknown risk code");
    assert!(e.field.starts_with("assessment.risks"), "{e:?}");
}

#[test]
fn links_longer_than_the_app_makes_are_refused() {
    assert_eq!(decode_handoff(&format!("01{}", "1".repeat(HANDOFF_MAX_CHARS))), Err(HandoffError::TooLong));
    assert_eq!(decode_handoff(&"9".repeat(10 * 1024 * 1024)), Err(HandoffError::TooLong));
    assert!(!HandoffError::TooLong.message().is_incomplete());
}

#[test]
fn a_member_index_out_of_the_household_is_refused_in_words_whatever_its_size() {
    // `k + 1` overflowed at usize::MAX: a panic in debug builds, "member number 0" in release.
    for k in [2usize, 1000, usize::MAX] {
        let mut h = household_with(&[]);
        h.rigid_expenses[0].member = Some(k);
        h.income[0].member = Some(k);
        let errs = h.validate(as_of());
        let bad: Vec<_> = errs.iter().filter(|e| e.code == "no_such_member").collect();
        assert_eq!(bad.len(), 2, "{k}: {errs:?}");
        for e in bad {
            assert_eq!(e.message.get("zh-CN"), "这一项说的家庭成员不在这一户里（这一户有 2 位）。", "{k}");
            assert_eq!(e.message.get("en"), "This item names a member who is not in the household (it has 2).", "{k}");
        }
    }
}
