//! Households per second, end to end from CSV text to CSV text (criterion; not a timed test):
//! the full screen (`decide` on every rule) on one thread and on every core, beside a plain
//! per-capita-only screen over the same reader, and the floor under both: every cell found, nothing
//! read from it.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fangpin_core::{Date, policy};
use fangpin_roster::read::{Record, Records};
use fangpin_roster::screen::{Format, Screen};
use fangpin_roster::stream::{Options, screen};
use fangpin_roster::{Field, Mapping, cells, sample};

const HOUSEHOLDS: usize = 200_000;

fn bench(c: &mut Criterion) {
    let mut csv = String::new();
    sample::roster(HOUSEHOLDS, 4, &mut csv);
    let p = policy::default_profile().expect("profile");
    let as_of = Date::new(2023, 6, 1).expect("date");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("roster");
    g.throughput(Throughput::Elements(HOUSEHOLDS as u64));
    g.sample_size(10);
    for threads in [1, cores] {
        g.bench_function(format!("screen_4_member_households_{threads}_threads"), |b| {
            b.iter(|| {
                let opts = Options::new(Screen::new(p, as_of, Format::Csv, "zh"), threads);
                let mut out = Vec::with_capacity(csv.len());
                screen(csv.as_bytes(), &mut out, std::io::sink(), &opts, |_| {}).expect("screen");
                out.len()
            })
        });
    }
    g.bench_function("baseline_per_capita_only_1_thread", |b| b.iter(|| per_capita_only(&csv, p.monitoring_range.amount)));
    g.bench_function("floor_cells_only_1_thread", |b| b.iter(|| cells_only(&csv)));
    g.finish();
}

/// The baseline: the same reader and amounts, then only `net income ÷ members < range`, written
/// as one CSV line per household. No other rule, no check of the other cells.
fn per_capita_only(csv: &str, range: fangpin_core::Money) -> usize {
    use fangpin_core::Money;
    use fangpin_core::money::PerCapita;
    use std::fmt::Write as _;
    let mut records = Records::new(csv, b',');
    let mut rec = Record::default();
    records.next_into(&mut rec);
    let mapping = Mapping::recognise(&(0..rec.len()).map(|i| rec.get(csv, i).to_string()).collect::<Vec<_>>());
    let col = |f| mapping.column(f).expect("column");
    let (id_c, income_c) =
        (col(Field::HouseholdId), [Field::IncomeWage, Field::IncomeBusiness, Field::IncomeProperty, Field::IncomeTransfer].map(col));
    let costs_c = col(Field::BusinessCosts);
    let mut out = String::with_capacity(csv.len() / 8);
    let (mut id, mut net, mut members) = (String::new(), Money::ZERO, 0u32);
    let flush = |id: &str, net: Money, members: u32, out: &mut String| {
        if let Some(pc) = PerCapita::new(net, members) {
            let _ = writeln!(out, "{id},{}", if pc.is_below(range) { "是" } else { "否" });
        }
    };
    while records.next_into(&mut rec) {
        let this = rec.get(csv, id_c);
        if this != id {
            flush(&id, net, members, &mut out);
            id.clear();
            id.push_str(this);
            net = Money::ZERO;
            members = 0;
        }
        members += 1;
        for c in income_c {
            net = net.saturating_add(cells::amount(rec.get(csv, c)).ok().flatten().unwrap_or(Money::ZERO));
        }
        net = net.saturating_sub(cells::amount(rec.get(csv, costs_c)).ok().flatten().unwrap_or(Money::ZERO));
    }
    flush(&id, net, members, &mut out);
    out.len()
}

/// The floor under any screen of this CSV: every cell of every row found (the plain reader, eight
/// bytes at a time) and the households told apart by their 户编号. Nothing is checked, read as a
/// value or written.
fn cells_only(csv: &str) -> usize {
    let mut records = Records::new(csv, b',');
    let mut rec = Record::default();
    records.next_into(&mut rec);
    assert!(records.is_plain(), "the sample has no quotes");
    let (mut households, mut bytes, mut last_id) = (0, 0, "");
    loop {
        let mut id = "";
        let read = records.next_plain_each(|col, cell| {
            bytes += cell.len();
            if col == 0 {
                id = cell;
            }
        });
        if !read {
            break;
        }
        if id != last_id {
            households += 1;
            last_id = id;
        }
    }
    households + bytes
}

criterion_group!(benches, bench);
criterion_main!(benches);
