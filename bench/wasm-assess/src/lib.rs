//! In-browser assessment benchmark. JavaScript times the calls (performance.now); Rust only does the
//! work, so the figure is the core's own speed as wasm, with the app's profile and wasm-opt.

use std::cell::RefCell;

use fangpin_core::household::{Household, IncomeItem, IncomeKind, Member, RigidExpense, RigidExpenseKind};
use fangpin_core::money::Money;
use fangpin_core::{Date, assess, policy};
use wasm_bindgen::prelude::*;

thread_local! {
    static PREPARED: RefCell<Vec<Household>> = const { RefCell::new(Vec::new()) };
}

fn as_of() -> Date {
    Date::new(2023, 6, 1).expect("a valid date")
}

/// Assesses the typical 4-member household `iterations` times; returns how many were below the range
/// (so the work cannot be optimised away).
#[wasm_bindgen]
pub fn assess_typical(iterations: u32) -> u32 {
    let household: Household = serde_json::from_str(include_str!("../../typical-household.json")).expect("the bench household parses");
    let profile = policy::default_profile().expect("the default profile is embedded");
    let mut below = 0;
    for _ in 0..iterations {
        below += u32::from(assess(std::hint::black_box(&household), profile, as_of()).below_range);
    }
    below
}

/// Generates `n` varied households (deterministic) and keeps them for `assess_prepared`.
#[wasm_bindgen]
pub fn prepare(n: u32) {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let households = (0..n)
        .map(|_| {
            let size = 1 + next(6) as usize;
            let members = (0..size)
                .map(|i| Member {
                    name: format!("成员{i}"),
                    age: Some(5 + next(80) as u32),
                    medical_insurance: Some(next(20) != 0),
                    serious_illness: next(10) == 0,
                    ..Member::default()
                })
                .collect();
            let income = IncomeKind::ALL
                .iter()
                .map(|&kind| IncomeItem { kind, amount: Money::yuan(next(40_000) as i64), label: String::new(), item: None, member: None })
                .collect();
            let rigid_expenses = (0..next(3))
                .map(|_| RigidExpense {
                    kind: RigidExpenseKind::MedicalInpatient,
                    amount: Money::yuan(next(30_000) as i64),
                    description: String::new(),
                    member: None,
                })
                .collect();
            Household { members, income, rigid_expenses, formerly_poor: next(4) == 0, ..Household::default() }
        })
        .collect();
    PREPARED.with(|p| *p.borrow_mut() = households);
}

/// Assesses every prepared household once; returns how many were below the range.
#[wasm_bindgen]
pub fn assess_prepared() -> u32 {
    let profile = policy::default_profile().expect("the default profile is embedded");
    PREPARED.with(|p| p.borrow().iter().map(|h| u32::from(assess(h, profile, as_of()).below_range)).sum())
}
