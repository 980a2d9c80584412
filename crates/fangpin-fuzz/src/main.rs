//! `fangpin-fuzz [--iterations N] [--target NAME]... [--seed S] [--threads T] [--out DIR]`
//!
//! Runs N mutated inputs per target (default 1,000,000) on T threads (default: the machine's
//! cores), catching every panic. Prints one line per target — inputs, how far they got, panics,
//! seconds — and writes each panicking input to `DIR/<target>-<n>.txt` (default `target/fuzz`).
//! Exit code 1 when anything panicked, 2 on a usage error. `cargo xtask fuzz` runs it in release.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use fangpin_fuzz::Rng;
use fangpin_fuzz::targets::{Reached, Seeds, Target, run};

const USAGE: &str = "usage: fangpin-fuzz [--iterations N] [--target money|household|report|handoff|policy|policy-file|roster|xlsx]... [--seed S] [--threads T] [--out DIR]";

struct Options {
    iterations: u64,
    targets: Vec<Target>,
    seed: u64,
    threads: usize,
    out: PathBuf,
}

fn options() -> Result<Options, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut o = Options {
        iterations: 1_000_000,
        targets: Vec::new(),
        seed: 1,
        threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        out: root.join("target/fuzz"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--iterations" => o.iterations = value()?.parse().map_err(|_| "--iterations takes a number")?,
            "--seed" => o.seed = value()?.parse().map_err(|_| "--seed takes a number")?,
            "--threads" => o.threads = value()?.parse::<usize>().map_err(|_| "--threads takes a number")?.max(1),
            "--out" => o.out = value()?.into(),
            "--target" => {
                let v = value()?;
                o.targets.push(Target::from_name(&v).ok_or(format!("unknown target {v}"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown option {a}")),
        }
    }
    if o.targets.is_empty() {
        o.targets = Target::ALL.to_vec();
    }
    Ok(o)
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn main() -> std::process::ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("fangpin-fuzz: {e}");
            }
            eprintln!("{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    // Panics are counted and kept, not printed as they happen.
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("{info}");
        LAST_PANIC.with(|p| *p.borrow_mut() = msg);
    }));
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fangpin-core/tests/cases");
    let seeds = Seeds::new(&cases);
    println!("{}; {} threads, seed {}", seeds.describe(), o.threads, o.seed);
    println!("{:<10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>8}", "target", "inputs", "refused", "parsed", "accepted", "panics", "seconds");
    let mut total_panics = 0;
    for t in &o.targets {
        let counts: [AtomicU64; 4] = Default::default();
        let kept = Mutex::new(Vec::<(String, String)>::new());
        let start = Instant::now();
        let per_thread = o.iterations.div_ceil(o.threads as u64);
        std::thread::scope(|scope| {
            for w in 0..o.threads {
                let (seeds, counts, kept) = (&seeds, &counts, &kept);
                let n = per_thread.min(o.iterations.saturating_sub(per_thread * w as u64));
                let mut rng = Rng::new(o.seed ^ ((w as u64 + 1) << 32) ^ (*t as u64) << 56);
                scope.spawn(move || {
                    for _ in 0..n {
                        let input = seeds.mutant(*t, &mut rng);
                        match catch_unwind(AssertUnwindSafe(|| run(*t, &input))) {
                            Ok(r) => counts[r as usize].fetch_add(1, Ordering::Relaxed),
                            Err(_) => {
                                let msg = LAST_PANIC.with(|p| p.borrow().clone());
                                if let Ok(mut k) = kept.lock()
                                    && k.len() < 20
                                {
                                    k.push((input, msg));
                                }
                                counts[3].fetch_add(1, Ordering::Relaxed)
                            }
                        };
                    }
                });
            }
        });
        let c: Vec<u64> = counts.iter().map(|a| a.load(Ordering::Relaxed)).collect();
        let inputs: u64 = c.iter().sum();
        println!(
            "{:<10} {:>10} {:>10} {:>10} {:>10} {:>7} {:>8.1}",
            t.name(),
            inputs,
            c[Reached::Refused as usize],
            c[Reached::Parsed as usize],
            c[Reached::Accepted as usize],
            c[3],
            start.elapsed().as_secs_f64()
        );
        total_panics += c[3];
        let kept = kept.into_inner().unwrap_or_default();
        if !kept.is_empty() {
            let _ = std::fs::create_dir_all(&o.out);
            for (i, (input, msg)) in kept.iter().enumerate() {
                let path = o.out.join(format!("{}-{i}.txt", t.name()));
                let _ = std::fs::write(&path, input);
                eprintln!("  panic: {msg}\n    input kept in {}", path.display());
            }
        }
    }
    if total_panics > 0 {
        eprintln!("fangpin-fuzz: {total_panics} input(s) panicked");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
