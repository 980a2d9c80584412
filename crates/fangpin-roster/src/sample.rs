//! A made-up roster in the template's columns, for benchmarks and tests: `households` households
//! of `members` members each, with incomes, illnesses, 低保 and spending spread so that every
//! outcome occurs. Deterministic (a fixed xorshift), so two runs screen the same rows.

use std::fmt::Write as _;

use crate::columns::{Field, template_csv};

pub fn roster(households: usize, members: usize, out: &mut String) {
    roster_part(0, households, members, true, out);
}

/// Households `first..first + households` of the made-up roster (the header too when `header`).
pub fn roster_part(first: usize, households: usize, members: usize, header: bool, out: &mut String) {
    if header {
        let header = template_csv("zh");
        out.push_str(header.lines().next().unwrap_or_default());
        out.push('\n');
    }
    // Each household from its own number, so a part is the same wherever it is made.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ (first as u64).wrapping_mul(0x2545_F491_4F6C_DD1D);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    const VILLAGES: [&str; 6] = ["洪田村", "贡川村", "小陶村", "曹远村", "西洋村", "安砂村"];
    const RELATIONS: [&str; 6] = ["配偶", "子女", "父母", "子女", "孙子女", "兄弟姐妹"];
    for i in first..first + households {
        let r = next();
        let village = VILLAGES[(r % 6) as usize];
        let wage = (r >> 8) % 40_000;
        let business = (r >> 24) % 12_000;
        let transfer = (r >> 40) % 3_000;
        let formerly_poor = if (r >> 50) % 5 == 0 { "是" } else { "否" };
        let housing = ["A", "B", "B", "C"][((r >> 54) % 4) as usize];
        for m in 0..members.max(1) {
            let q = next();
            let _ = write!(out, "H{i:07},{village},");
            if m == 0 {
                let _ = write!(out, "{formerly_poor},,{wage},{business}.50,0,{transfer},{},0,0,{housing},", (r >> 12) % 3_000);
            } else {
                out.push_str(",,,,,,,,,,");
            }
            let relation = if m == 0 { "户主" } else { RELATIONS[(q % 6) as usize] };
            let year = 1940 + (q >> 8) % 80;
            let labour = ["有", "有", "弱", "无"][((q >> 16) % 4) as usize];
            let ill = if (q >> 20) % 9 == 0 { "是" } else { "否" };
            let dibao = match (q >> 24) % 23 {
                0 => "2021-06-01",
                1 => "2023-02-01",
                _ => "否",
            };
            let medical = if (q >> 28) % 7 == 0 { (q >> 32) % 30_000 } else { 0 };
            let _ = writeln!(
                out,
                "成员{m},{relation},,{year}-0{}-1{},,{labour},,{ill},否,是,{dibao},否,{medical}",
                1 + (q >> 36) % 9,
                (q >> 40) % 10
            );
        }
    }
    debug_assert_eq!(Field::ALL.len(), 25);
}
