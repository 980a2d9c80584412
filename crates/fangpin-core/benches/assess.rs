//! Assessments per second for a typical 4-member household (criterion; not a timed test).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fangpin_core::{Date, Household, assess, decide, policy};

fn household() -> Household {
    serde_json::from_str(
        r#"{
        "format": "fangpin.household/1", "head_name": "张大山", "phone": "13812345678", "village": "洪田村",
        "members": [
          {"name": "张大山", "relation": "head", "birth_date": "1978-03-07", "labour": "full", "medical_insurance": true},
          {"name": "李秀英", "relation": "spouse", "birth_date": "1980-05-20", "labour": "full", "medical_insurance": true},
          {"name": "张小明", "relation": "child", "birth_date": "2011-09-01", "labour": "none", "schooling": "compulsory", "medical_insurance": true},
          {"name": "王桂兰", "relation": "parent", "birth_date": "1953-01-15", "labour": "none", "medical_insurance": true, "serious_illness": true}
        ],
        "income": [{"kind": "wage", "amount": "30000"}, {"kind": "business", "amount": "12000"}, {"kind": "transfer", "amount": "1800"}],
        "business_costs": [{"amount": "2000"}],
        "rigid_expenses": [{"kind": "medical_outpatient", "amount": "3000"}],
        "housing_grade": "B",
        "water": {"quality_ok": true, "litres_per_person_day": 60, "fetch_round_trip_minutes": 0, "supply_percent": 100},
        "collected_by": "本人"
    }"#,
    )
    .expect("household")
}

fn bench(c: &mut Criterion) {
    let h = household();
    let p = policy::default_profile().expect("profile");
    let as_of = Date::new(2023, 6, 1).expect("date");
    let mut g = c.benchmark_group("assess");
    g.throughput(Throughput::Elements(1));
    g.bench_function("typical_4_member_household", |b| b.iter(|| assess(std::hint::black_box(&h), p, as_of)));
    g.bench_function("typical_4_member_household_decide_only", |b| b.iter(|| decide(std::hint::black_box(&h), p, as_of)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
