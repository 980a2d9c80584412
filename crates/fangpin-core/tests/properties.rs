//! Property tests: nothing panics; per-capita × members == net total exactly; raising income never
//! adds an income-based risk; a screen's row is exactly what the full decision says.

use fangpin_core::household::*;
use fangpin_core::money::{Money, PerCapita, parse_amount};
use fangpin_core::{Date, assess, policy};
use proptest::prelude::*;

fn money() -> impl Strategy<Value = Money> {
    (0i64..=10_000_000_000).prop_map(Money::from_fen)
}

fn date() -> impl Strategy<Value = Date> {
    (1920u16..=2030, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid"))
}

fn member() -> impl Strategy<Value = Member> {
    (
        prop::option::of(date()),
        prop::option::of(0u32..140),
        prop_oneof![Just(LabourCapacity::Full), Just(LabourCapacity::Weak), Just(LabourCapacity::Half), Just(LabourCapacity::None)],
        any::<bool>(),
        prop_oneof![Just(Schooling::None), Just(Schooling::Compulsory), Just(Schooling::HighSchool), Just(Schooling::College)],
        prop::option::of(prop_oneof![Just(OutOfSchoolReason::Health), Just(OutOfSchoolReason::Cost), Just(OutOfSchoolReason::Other)]),
        prop::option::of(any::<bool>()),
        prop::option::of(date()),
        prop::option::of(date()),
        any::<bool>(),
        prop::option::of("[0-9Xx]{0,19}"),
    )
        .prop_map(
            |(birth_date, age, labour, ill, schooling, out_of_school, medical_insurance, dibao_since, tekun_since, counted, id_number)| {
                Member {
                    birth_date,
                    age,
                    labour,
                    serious_illness: ill,
                    severe_disability: ill,
                    severe_disability_since: dibao_since,
                    schooling,
                    out_of_school,
                    medical_insurance,
                    dibao_since,
                    tekun_since,
                    counted,
                    id_number,
                    ..Member::default()
                }
            },
        )
}

fn income_kind() -> impl Strategy<Value = IncomeKind> {
    prop_oneof![Just(IncomeKind::Wage), Just(IncomeKind::Business), Just(IncomeKind::Property), Just(IncomeKind::Transfer)]
}

fn rigid_kind() -> impl Strategy<Value = RigidExpenseKind> {
    prop_oneof![
        Just(RigidExpenseKind::MedicalInpatient),
        Just(RigidExpenseKind::MedicalOutpatient),
        Just(RigidExpenseKind::MedicalOther),
        Just(RigidExpenseKind::SchoolingNonCompulsory),
        Just(RigidExpenseKind::Disaster),
        Just(RigidExpenseKind::Other),
    ]
}

fn household() -> impl Strategy<Value = Household> {
    (
        prop::collection::vec(member(), 0..7),
        prop::collection::vec(
            (income_kind(), money(), prop::option::of(prop_oneof![Just("fuxu".to_string()), Just("x".to_string())])),
            0..6,
        ),
        prop::collection::vec(money(), 0..3),
        prop::collection::vec((rigid_kind(), money()), 0..4),
        prop::option::of((
            money(),
            prop_oneof![Just(IncomeDropReason::LostJob), Just(IncomeDropReason::FailedBusiness), Just(IncomeDropReason::Illness)],
        )),
        prop_oneof![Just(HousingGrade::A), Just(HousingGrade::C), Just(HousingGrade::Unknown)],
        (prop::option::of(any::<bool>()), prop::option::of(0u32..100), prop::option::of(0u32..60), prop::option::of(0u32..120)),
        any::<bool>(),
        prop::option::of((date(), prop::option::of(date()), any::<bool>())),
        prop::option::of("[0-9+ -]{0,14}"),
    )
        .prop_map(|(members, income, costs, rigid, drop, housing_grade, water, formerly_poor, monitoring, phone)| Household {
            members,
            income: income
                .into_iter()
                .map(|(kind, amount, item)| IncomeItem { kind, amount, label: String::new(), item, member: None })
                .collect(),
            business_costs: costs.into_iter().map(|amount| CostItem { amount, label: String::new() }).collect(),
            rigid_expenses: rigid
                .into_iter()
                .map(|(kind, amount)| RigidExpense { kind, amount, description: String::new(), member: Some(9) })
                .collect(),
            income_drop: drop.map(|(m, reason)| IncomeDrop { last_year_net_income: m, reason, description: String::new() }),
            housing_grade,
            water: DrinkingWater {
                quality_ok: water.0,
                litres_per_person_day: water.1,
                water_rich_area: water.1.is_some_and(|l| l % 2 == 0),
                fetch_round_trip_minutes: water.2,
                supply_percent: water.3,
            },
            formerly_poor,
            monitoring: monitoring.map(|(since, income_stable_since, risk_gone_naturally)| Monitoring {
                since,
                income_stable_since,
                risk_gone_naturally,
            }),
            phone,
            ..Household::default()
        })
}

fn as_of() -> Date {
    Date::new(2023, 6, 1).expect("date")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The per-person figures (per capita, the gap) divide whole fen as integers: the same as the
    /// decimal quotient rounded by the one display rule, for every total, sign and household size.
    #[test]
    fn per_person_rounding_is_the_display_rule(fen in -10_000_000_000i64..=10_000_000_000, scale in 0u32..=2, members in 1u32..=30, range in money()) {
        let total = Money::from_decimal(rust_decimal::Decimal::new(fen, scale));
        let pc = PerCapita::new(total, members).expect("members");
        let by_decimal = |t: Money| fangpin_core::money::round_for_display(t.as_decimal() / rust_decimal::Decimal::from(members));
        prop_assert_eq!(pc.rounded().as_decimal(), by_decimal(total));
        prop_assert_eq!(pc.rounded().to_fixed2(), Money::from_decimal(by_decimal(total)).to_fixed2());
        let diff = range.times(members).saturating_sub(total);
        prop_assert_eq!(pc.gap_to(range).as_decimal(), by_decimal(diff));
    }

    #[test]
    fn parse_amount_never_panics(s in "\\PC{0,30}") {
        let _ = parse_amount(&s);
    }

    #[test]
    fn parse_amount_never_panics_on_number_like(s in "[-+0-9０-９.．,，万千元 ]{0,24}") {
        if let Ok(m) = parse_amount(&s) {
            prop_assert!(!m.is_negative());
            prop_assert!(m.as_decimal() <= rust_decimal::Decimal::from(100_000_000));
            prop_assert!(m.as_decimal().normalize().scale() <= 2);
        }
    }

    #[test]
    fn date_parse_never_panics(s in "\\PC{0,12}") {
        let _ = Date::parse(&s);
    }

    #[test]
    fn household_json_never_panics(s in "\\PC{0,200}") {
        let _ = serde_json::from_str::<Household>(&s);
    }

    #[test]
    fn assess_is_total_and_deterministic(h in household()) {
        for p in policy::embedded_profiles() {
            let a = assess(&h, p, as_of());
            let b = assess(&h, p, as_of());
            prop_assert_eq!(&a, &b);
            let _ = fangpin_core::to_cli_json(&a);
            let _ = h.validate(as_of());
        }
    }

    #[test]
    fn fixed2_is_the_rounded_decimal(mantissa in any::<i64>(), wide in any::<i128>(), scale in 0u32..=6) {
        use rust_decimal::Decimal;
        for d in [Decimal::new(mantissa, scale), Decimal::from_i128_with_scale(wide >> 33, scale)] {
            let m = Money::from_decimal(d);
            let mut s = String::new();
            m.write_fixed2(&mut s).unwrap();
            prop_assert_eq!(&s, &fangpin_core::money::round_for_display(d).to_string());
            prop_assert_eq!(&s, &m.to_fixed2());
        }
    }

    #[test]
    fn sums_and_multiples_are_decimal_arithmetic(a in any::<i64>(), b in any::<i64>(), sa in 0u32..=28, sb in 0u32..=28, wide in any::<i128>(), n in any::<u32>()) {
        use rust_decimal::Decimal;
        let values = [Decimal::new(a, sa), Decimal::new(b, sb), Decimal::from_i128_with_scale(wide >> 33, sb), Decimal::new(a >> 20, 2), Decimal::new(b >> 20, 0), Decimal::new(0, sa)];
        for x in values {
            for y in values {
                let (mx, my) = (Money::from_decimal(x), Money::from_decimal(y));
                let sum = x.checked_add(y).unwrap_or(if y.is_sign_negative() { Decimal::MIN } else { Decimal::MAX });
                let diff = x.checked_sub(y).unwrap_or(if y.is_sign_negative() { Decimal::MAX } else { Decimal::MIN });
                // Equal as numbers and written alike (the same scale).
                prop_assert_eq!(mx.saturating_add(my).as_decimal().to_string(), sum.to_string());
                prop_assert_eq!(mx.saturating_sub(my).as_decimal().to_string(), diff.to_string());
            }
            for n in [n, 0, 1, n % 31] {
                let product = x.checked_mul(Decimal::from(n)).unwrap_or(if x.is_sign_negative() { Decimal::MIN } else { Decimal::MAX });
                prop_assert_eq!(Money::from_decimal(x).times(n).as_decimal().to_string(), product.to_string());
            }
        }
    }

    #[test]
    fn a_screen_row_is_the_decision(h in household()) {
        for p in policy::embedded_profiles() {
            let d = fangpin_core::decide(&h, p, as_of());
            prop_assert_eq!(fangpin_core::assessment::screen(&h, p, as_of()), d.screening());
        }
    }

    #[test]
    fn per_capita_times_members_is_net_total(h in household()) {
        let p = policy::default_profile().expect("default");
        let a = assess(&h, p, as_of());
        if let Some(pc) = a.per_capita_net_income {
            prop_assert_eq!(pc.net_total, a.income.net_total);
            prop_assert_eq!(pc.members, a.income.members_counted);
            // The exact per-capita value times the members gives back the net total exactly.
            // The decimal quotient (display only) times the members returns the total to within Decimal's precision.
            let back = pc.quotient() * rust_decimal::Decimal::from(pc.members);
            prop_assert!((back - pc.net_total.as_decimal()).abs() <= rust_decimal::Decimal::new(1, 12));
            let range = p.monitoring_range.amount;
            prop_assert_eq!(pc.is_below(range), pc.net_total < range.times(pc.members));
        }
        let members = u32::try_from(h.members.iter().filter(|m| m.counted).count()).unwrap_or(0);
        if let Some(pc) = PerCapita::new(a.income.net_total, members) {
            // Rebuild the total from the exact fraction: quotient × members within Decimal precision,
            // and the fraction itself is exact.
            prop_assert_eq!(pc.net_total, a.income.net_total);
        }
    }

    #[test]
    fn raising_income_never_adds_income_based_risk(h in household(), extra in money(), which in 0usize..6) {
        let p = policy::default_profile().expect("default");
        let before = assess(&h, p, as_of());
        let mut richer = h.clone();
        if richer.income.is_empty() || which >= richer.income.len() {
            richer.income.push(IncomeItem { kind: IncomeKind::Wage, amount: extra, label: String::new(), item: None, member: None });
        } else {
            let it = &mut richer.income[which];
            it.amount = it.amount.saturating_add(extra);
        }
        let after = assess(&richer, p, as_of());
        for r in after.risks.iter().filter(|r| r.income_based) {
            prop_assert!(before.has_risk(r.code), "raising income added {}", r.code);
        }
        if !before.below_range {
            prop_assert!(!after.below_range);
        }
    }
}

#[test]
fn per_capita_fraction_is_exact() {
    // 10000 / 3 is not a finite decimal; the fraction keeps it exact and compares exactly.
    let pc = PerCapita::new(Money::yuan(10000), 3).expect("members");
    assert_eq!(pc.net_total, Money::yuan(10000));
    assert!(pc.is_below(Money::from_fen(333_334)));
    assert!(!pc.is_below(Money::from_fen(333_333)));
}
