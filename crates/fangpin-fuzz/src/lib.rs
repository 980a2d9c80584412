//! A mutation fuzzer for the core on stable Rust (no sanitizer runtime, no nightly): seeds that are
//! real inputs (household files, reports, QR handoffs, policy profiles), mutated by characters,
//! by JSON structure and by bits, fed to the same functions the app, the CLI and the server call.
//! A panic or a broken round trip is a finding; the run says how many there were.
//!
//! Not coverage guided: it relies on seeds that already reach deep (valid inputs) and on
//! mutations that keep most of them valid (one JSON value changed, a payload re-framed with a
//! correct checksum), so each mutant gets past the parser to the rules behind it.

use serde_json::Value;

pub mod targets;

/// xorshift64*: small, fast, reproducible from a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Characters people type or paste, and the ones that break naive code.
pub const INTERESTING: &[char] = &[
    '0',
    '1',
    '9',
    'X',
    'x',
    'ｘ',
    '０',
    '９',
    '张',
    '·',
    '-',
    ' ',
    '\u{3000}',
    '.',
    '．',
    ',',
    '，',
    '万',
    '元',
    '"',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ':',
    '#',
    '=',
    '\u{0}',
    '\n',
    '\u{7f}',
    '\u{85}',
    '\u{202E}',
    '\u{2066}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{FFFD}',
    '\u{301}',
    '😀',
    '𠀀',
    '\u{10FFFF}',
];

/// Tokens spliced into text: JSON fragments, extreme numbers, long and odd strings.
pub const TOKENS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e309",
    "-0",
    "99999999999999999999999999999",
    "0.001",
    "1.2万",
    "３万",
    "[]",
    "{}",
    "[{}]",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\u202e\"",
    "１２３４５６７８９０１２３４５６７８",
    "350481197803070张13",
    "#a=01",
    "2023-02-29",
    "9999-12-31",
    "0000-00-00",
    "2023-06-01T09:30:00+08:00",
    "😀😀😀",
    "\u{202E}abc",
    "NaN",
    ",",
    ":",
    "\"members\":[{}]",
];

/// One random change of `s` by characters (so the result is still UTF-8 text).
pub fn mutate_chars(rng: &mut Rng, s: &str, other: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let n = c.len();
    match rng.below(10) {
        0 if n > 0 => {
            let i = rng.below(n);
            c[i] = *rng.pick(INTERESTING);
        }
        1 => {
            let ch = if rng.chance(3) { char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{FFFD}') } else { *rng.pick(INTERESTING) };
            c.insert(rng.below(n + 1), ch);
        }
        2 if n > 0 => {
            let i = rng.below(n);
            let len = 1 + rng.below(8.min(n - i));
            c.drain(i..i + len);
        }
        3 if n > 0 => {
            // Duplicate a block: grows lists and strings.
            let i = rng.below(n);
            let len = 1 + rng.below(64.min(n - i));
            let block: Vec<char> = c[i..i + len].to_vec();
            let at = rng.below(c.len() + 1);
            for _ in 0..(1 + rng.below(4)) {
                c.splice(at..at, block.iter().copied());
            }
        }
        4 => {
            let t: Vec<char> = rng.pick(TOKENS).chars().collect();
            let at = rng.below(n + 1);
            c.splice(at..at, t);
        }
        5 => {
            // Splice with another seed.
            let o: Vec<char> = other.chars().collect();
            let a = rng.below(n + 1);
            let b = rng.below(o.len() + 1);
            c.truncate(a);
            c.extend_from_slice(&o[b..]);
        }
        6 if n > 0 => c.truncate(rng.below(n)),
        7 if n > 1 => {
            let (i, j) = (rng.below(n), rng.below(n));
            c.swap(i, j);
        }
        8 if n > 0 => {
            // A digit changed (numbers, dates, handoff digits).
            if let Some(i) = (0..8).map(|_| rng.below(n)).find(|&i| c[i].is_ascii_digit()) {
                c[i] = char::from(b'0' + rng.below(10) as u8);
            }
        }
        _ => {
            let at = rng.below(n + 1);
            let ch = *rng.pick(INTERESTING);
            let times = [1, 17, 18, 255, 4096][rng.below(5)];
            c.splice(at..at, std::iter::repeat_n(ch, times));
        }
    }
    c.into_iter().collect()
}

/// One random change of a JSON value: a node replaced, removed, duplicated or given a new field.
pub fn mutate_json(rng: &mut Rng, v: &mut Value) {
    let total = count_nodes(v);
    let target = rng.below(total);
    let mut seen = 0;
    mutate_node(rng, v, target, &mut seen);
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn mutate_node(rng: &mut Rng, v: &mut Value, target: usize, seen: &mut usize) -> bool {
    if *seen == target {
        *v = new_value(rng, v);
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(a) => {
            for item in a.iter_mut() {
                if mutate_node(rng, item, target, seen) {
                    return true;
                }
            }
        }
        Value::Object(o) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if let Some(child) = o.get_mut(&k)
                    && mutate_node(rng, child, target, seen)
                {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}

fn hostile_string(rng: &mut Rng) -> String {
    let n = [0, 1, 5, 17, 18, 19, 50, 51, 300, 5000][rng.below(10)];
    (0..n)
        .map(|_| if rng.chance(4) { char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('x') } else { *rng.pick(INTERESTING) })
        .collect()
}

fn new_value(rng: &mut Rng, old: &Value) -> Value {
    // Half the time a value of the same kind, so the strict parsers let the mutant through to the rules.
    if rng.chance(2) {
        match old {
            Value::String(s) if rng.chance(2) => return Value::String(mutate_chars(rng, s, "")),
            Value::String(_) => return Value::String(hostile_string(rng)),
            Value::Number(n) => {
                let v = n.as_i64().unwrap_or(0);
                let choices = [v + 1, v - 1, v * 10, 0, 17, 18, 30, 31, 100, 101, 1_000_000_000];
                return serde_json::json!(choices[rng.below(choices.len())].max(0));
            }
            Value::Bool(b) => return Value::Bool(!b),
            _ => {}
        }
    }
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 if rng.chance(12) => serde_json::json!(u64::MAX),
        2 => serde_json::json!([-1i64, 0, 1, 17, 18, 29, 30, 31, 255, 65_536, i64::MAX][rng.below(11)]),
        3 => serde_json::json!([0.5, 1e300, -0.0, 12000.5][rng.below(4)]),
        4 => Value::String(hostile_string(rng)),
        5 => match old {
            // A text changed by characters: most often still the right type.
            Value::String(s) => Value::String(mutate_chars(rng, s, "")),
            Value::Number(_) => Value::String(rng.pick(TOKENS).to_string()),
            other => other.clone(),
        },
        6 => match old {
            // A list grown: the same item many times.
            Value::Array(a) if !a.is_empty() => {
                let item = a[rng.below(a.len())].clone();
                let mut a = a.clone();
                a.extend(std::iter::repeat_n(item, [1, 29, 31, 1000][rng.below(4)]));
                Value::Array(a)
            }
            Value::Object(o) => {
                let mut o = o.clone();
                o.insert(hostile_string(rng), Value::Null);
                Value::Object(o)
            }
            other => other.clone(),
        },
        7 => match old {
            Value::Array(a) if !a.is_empty() => {
                let mut a = a.clone();
                a.remove(rng.below(a.len()));
                Value::Array(a)
            }
            Value::Object(o) if !o.is_empty() => {
                let mut o = o.clone();
                let k = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                o.remove(&k);
                Value::Object(o)
            }
            other => other.clone(),
        },
        _ => serde_json::json!({}),
    }
}

/// One random change of bytes (a handoff payload): bits flipped, bytes set, cut or grown.
pub fn mutate_bytes(rng: &mut Rng, b: &mut Vec<u8>) {
    let n = b.len();
    match rng.below(5) {
        0 if n > 0 => {
            let i = rng.below(n);
            b[i] ^= 1 << rng.below(8);
        }
        1 if n > 0 => {
            let i = rng.below(n);
            b[i] = [0, 0xff, 0x7f, 0x80][rng.below(4)];
        }
        2 if n > 0 => b.truncate(rng.below(n)),
        3 => {
            let at = rng.below(n + 1);
            let extra: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next_u64() as u8).collect();
            b.splice(at..at, extra);
        }
        _ if n > 0 => {
            let i = rng.below(n);
            b[i] = rng.next_u64() as u8;
        }
        _ => b.push(rng.next_u64() as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_keep_text_valid_and_change_it() {
        let mut rng = Rng::new(7);
        let mut changed = 0;
        for _ in 0..10_000 {
            let m = mutate_chars(&mut rng, "{\"a\": \"张三 123\"}", "[1,2]");
            if m != "{\"a\": \"张三 123\"}" {
                changed += 1;
            }
        }
        assert!(changed > 8_000, "{changed}");
        let mut v: Value = serde_json::from_str(r#"{"members":[{"name":"x","age":3}],"income":[]}"#).expect("json");
        let before = v.clone();
        let mut differs = 0;
        for _ in 0..1000 {
            let mut w = before.clone();
            mutate_json(&mut rng, &mut w);
            if w != before {
                differs += 1;
            }
            v = w;
        }
        assert!(differs > 700, "{differs}");
        let _ = v;
    }
}
