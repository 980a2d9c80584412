//! The form as typed, its conversion to a household, and stored drafts — natively (these ran in the
//! browser before the form had its own crate).

use fangpin_core::date::Date;
use fangpin_form::draft::{self, Draft, Problem, Screen};
use fangpin_form::form::{self, Form, MemberForm};

fn profile() -> &'static fangpin_core::policy::Profile {
    fangpin_core::policy::default_profile().unwrap()
}

#[test]
fn form_keeps_typed_text_and_reports_each_bad_field() {
    let as_of = Date::new(2023, 6, 1).unwrap();
    let f = Form {
        members: vec![MemberForm { age: "４５岁".into(), ..MemberForm::head() }, MemberForm { age: "abc".into(), ..Default::default() }],
        wage: "1.2万".into(),
        business: "-5".into(),
        transfer: "12.345".into(),
        business_costs: "2,000".into(),
        ..Default::default()
    };
    let c = form::to_household(&f, profile(), as_of);
    assert_eq!(c.household.members[0].age, Some(45));
    assert_eq!(c.household.members[1].age, None);
    assert_eq!(c.household.income.len(), 1, "only the valid amount is counted");
    assert_eq!(c.household.income[0].amount.to_fixed2(), "12000.00");
    assert_eq!(c.household.business_costs[0].amount.to_fixed2(), "2000.00");
    let ids: Vec<&str> = c.errors.iter().map(|(k, _)| k.as_str()).collect();
    // A member whose ability to work was not chosen is asked, never read as able to work.
    assert_eq!(ids, ["business", "transfer", "m0-labour", "m1-age", "m1-labour"]);
    assert_eq!(c.error("m0-labour").unwrap().get("zh-CN"), "请选一下这位家人的劳动能力。");
    assert_eq!(c.error("business").unwrap().get("zh-CN"), "金额不能是负数。");
    // The form itself is untouched: what was typed is what is stored.
    assert_eq!(f.business, "-5");
    assert_eq!(form::months_before(Date::new(2024, 3, 31).unwrap(), 1), Some(Date::new(2024, 2, 29).unwrap()));
}

/// Every field a problem can be named for is found on its own step (the result's "去改" goes there).
#[test]
fn every_field_with_a_problem_belongs_to_the_step_that_asks_it() {
    let as_of = Date::new(2023, 6, 1).unwrap();
    let bad = "x🙂";
    let f = Form {
        members: vec![MemberForm { age: bad.into(), ..MemberForm::head() }, MemberForm { age: bad.into(), ..Default::default() }],
        wage: bad.into(),
        business: bad.into(),
        property: bad.into(),
        transfer: bad.into(),
        business_costs: bad.into(),
        inpatient_largest: bad.into(),
        inpatient_other: bad.into(),
        outpatient: bad.into(),
        school_compulsory: bad.into(),
        school_non_compulsory: bad.into(),
        disaster: bad.into(),
        accident: bad.into(),
        other_rigid: bad.into(),
        water_litres: bad.into(),
        water_minutes: bad.into(),
        water_supply: bad.into(),
        monitored: Some(true),
        stable_months: bad.into(),
        income_dropped: Some(true),
        last_year_income: bad.into(),
        ..Default::default()
    };
    let c = form::to_household(&f, profile(), as_of);
    let steps: Vec<(&str, Screen)> = c.errors.iter().map(|(k, _)| (k.as_str(), Screen::of_field(k))).collect();
    assert_eq!(steps.len(), 22, "{steps:?}");
    let on = |s: Screen| steps.iter().filter(|(_, x)| *x == s).map(|(k, _)| *k).collect::<Vec<_>>();
    assert_eq!(on(Screen::Members), ["m0-age", "m0-labour", "m1-age", "m1-labour"]);
    assert_eq!(on(Screen::Income), ["wage", "business", "property", "transfer", "business_costs"]);
    assert_eq!(on(Screen::Spending).len(), 8);
    assert_eq!(on(Screen::Guarantees), ["water_litres", "water_minutes", "water_supply"]);
    assert_eq!(on(Screen::Situations).len(), 2);
    assert_eq!(Screen::of_field("m12-name"), Screen::Members);
    assert_eq!(Screen::of_field("monitored"), Screen::Situations);
    assert_eq!(
        (form::member_of_field("m12-name"), form::member_of_field("m+1-age"), form::member_of_field("wage")),
        (Some(12), None, None)
    );
}

#[test]
fn stored_drafts_migrate_or_are_refused_never_panic() {
    let d = Draft { screen: Screen::Income, ..Draft::default() };
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(draft::migrate(&json, 1), Ok(d.clone()));
    // A v1 draft saved before some fields existed: the missing ones take their defaults.
    let old = r#"{"version":1,"profile":"yongan-2023","screen":"spending","form":{"wage":"3000","members":[{"age":"70"}]}}"#;
    let m = draft::migrate(old, 1).unwrap();
    assert_eq!((m.screen, m.form.wage.as_str(), m.form.members[0].age.as_str()), (Screen::Spending, "3000", "70"));
    assert!(m.form.members[0].counted);
    // A profile id is kept as stored (the app resolves it: the same county's profile for the day, or
    // the default county's for an id the site no longer has); no members → the head.
    let m = draft::migrate(r#"{"version":1,"profile":"gone-1999","form":{"members":[]}}"#, 1).unwrap();
    assert_eq!(m.profile, "gone-1999");
    assert_eq!(m.form.members.len(), 1);
    assert_eq!(draft::migrate("{not json", 1), Err(Problem::Unreadable));
    assert_eq!(draft::migrate("[1,2]", 1), Err(Problem::Unreadable));
    assert_eq!(draft::migrate(r#"{"version":1,"form":{"members":"x"}}"#, 1), Err(Problem::Unreadable));
    assert_eq!(draft::migrate(r#"{"version":9}"#, 1), Err(Problem::Newer));
}

/// The fields of a JSON object as the browser's `JSON.parse` hands them to the app.
fn fields_of(json: &str) -> Vec<(String, draft::Field)> {
    let serde_json::Value::Object(o) = serde_json::from_str(json).unwrap() else { panic!("not an object: {json}") };
    o.into_iter()
        .map(|(k, v)| {
            let f = match v {
                serde_json::Value::Number(n) => draft::Field::Number(n.as_f64().unwrap()),
                serde_json::Value::String(t) => draft::Field::Text(t),
                serde_json::Value::Bool(b) => draft::Field::Bool(b),
                _ => draft::Field::Other,
            };
            (k, f)
        })
        .collect()
}

#[test]
fn the_start_pages_settings_are_read_without_the_json_reader_exactly_as_migrate_reads_them() {
    // What fangpin-start writes, then variations: the quick reader answers only for the settings, and
    // then as migrate does; everything else it leaves to migrate.
    let read = [
        r#"{"version":1,"profile":"yongan-2023","lang":"zh","care":false,"screen":"start"}"#,
        r#"{"version":1,"profile":"yongan-2024","lang":"en","care":true,"screen":"members"}"#,
        r#"{"version":1,"profile":"名字 😀 \u202e","lang":"zh","care":false,"screen":"members"}"#,
        r#"{"version":1}"#,
        r#"{}"#,
    ];
    for json in read {
        let quick = draft::settings_only(fields_of(json)).unwrap_or_else(|| panic!("not read: {json}"));
        assert_eq!(Ok(quick), draft::migrate(json, 1), "{json}");
    }
    let left = [
        r#"{"version":1,"profile":"yongan-2023","form":{"wage":"3000"}}"#,
        r#"{"version":1,"apply":{}}"#,
        r#"{"version":1,"form":null}"#,
        r#"{"version":2,"lang":"zh"}"#,
        r#"{"version":1,"lang":"fr"}"#,
        r#"{"version":1,"screen":"elsewhere"}"#,
        r#"{"version":1,"care":"yes"}"#,
        r#"{"version":1,"profile":7}"#,
        r#"{"version":"1"}"#,
    ];
    for json in left {
        assert_eq!(draft::settings_only(fields_of(json)), None, "{json}");
    }
    // Every screen's stored name is its serde name.
    for s in Screen::ALL {
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
        assert_eq!(Screen::from_name(s.name()), Some(s));
    }
}

#[test]
fn each_widget_has_its_own_draft_key() {
    assert_eq!(draft::key_for(None), draft::KEY);
    assert_eq!(draft::key_for(Some("  ")), draft::KEY);
    assert_eq!(draft::key_for(Some("a")), format!("{}.a", draft::KEY));
    assert_ne!(draft::key_for(Some("a")), draft::key_for(Some("b")));
}

#[test]
fn drafts_saved_with_the_old_member_field_names_still_load() {
    let old = r#"{"version":1,"form":{"members":[{"age":"40","insured":false,"ill":true,"disabled":true,"disabled_this_year":true}]}}"#;
    let m = draft::migrate(old, 1).unwrap();
    let f = &m.form.members[0];
    assert_eq!(
        (f.medical_insurance, f.serious_illness, f.severe_disability, f.severe_disability_this_year),
        (Some(false), true, true, true)
    );
    let new = serde_json::to_string(&m).unwrap();
    assert!(new.contains("\"medical_insurance\":false") && !new.contains("\"insured\""), "saved with the household's names: {new}");
}

#[test]
fn a_pending_application_is_recorded_as_applied_this_year_not_as_received() {
    let as_of = Date::new(2026, 12, 1).unwrap();
    let f = Form {
        members: vec![MemberForm { dibao: form::Benefit::Applied, tekun: form::Benefit::Before, ..MemberForm::head() }],
        ..Default::default()
    };
    let m = &form::to_household(&f, profile(), as_of).household.members[0];
    assert_eq!(m.dibao_applied, Some(Date::new(2026, 1, 1).unwrap()));
    assert_eq!(m.dibao_since, None);
    assert_eq!(m.tekun_since, Some(Date::new(2025, 12, 31).unwrap()));
    assert_eq!(m.tekun_applied, None);
}

#[test]
fn removing_a_member_keeps_every_other_members_id_number_and_can_be_undone() {
    let member = |name: &str| MemberForm { name: name.into(), ..Default::default() };
    let mut d = Draft::default();
    d.form.members = vec![MemberForm { name: "张大山".into(), ..MemberForm::head() }, member("李秀英"), member("张小明")];
    d.apply.id_numbers = vec!["350481197803071234".into(), "350481198001011235".into(), "35048120100101123X".into()];
    let before = d.clone();

    assert!(d.remove_member(1));
    assert_eq!(d.form.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["张大山", "张小明"]);
    // 张小明 keeps his own number (it was his before: the application reads them by position).
    let c = form::to_household(&d.form, profile(), Date::new(2023, 6, 1).unwrap());
    let h = fangpin_form::apply::household(&c.household, &d.apply);
    assert_eq!(h.members[1].name, "张小明");
    assert_eq!(h.members[1].id_number.as_deref(), Some("35048120100101123X"));
    assert_eq!(d.removed.as_ref().map(|r| r.member.name.as_str()), Some("李秀英"));
    assert_eq!(d.undo_remove(), Some(1));
    assert_eq!(d, before, "undone, everything is back where it was");
    assert_eq!(d.undo_remove(), None, "once");

    // Fewer numbers than members: removing one past them leaves them as they are, and back.
    d.apply.id_numbers.truncate(1);
    let before = d.clone();
    assert!(d.remove_member(2));
    assert_eq!((d.removed.as_ref().and_then(|r| r.id_number.as_deref()), d.apply.id_numbers.len()), (None, 1));
    d.undo_remove();
    assert_eq!(d, before);
    assert!(d.remove_member(0));
    assert_eq!((d.apply.id_numbers.len(), d.form.members[0].name.as_str()), (0, "李秀英"));
    d.undo_remove();
    assert_eq!(d, before);
    // Not stored: a saved draft does not carry it.
    assert!(d.remove_member(1));
    assert!(!serde_json::to_string(&d).expect("json").contains("李秀英"));

    // The only member, or one that is not there, is not removed.
    let mut one = Draft::default();
    assert!(!one.remove_member(0));
    assert!(!d.remove_member(3));
    assert_eq!(one.form.members.len(), 1);
}
