//! A CSV reader for rosters: RFC 4180 quoting, `,` or tab between cells, CRLF or LF rows, a
//! byte-order mark skipped. It reads from a `&str`, so every cell is text; cells are found at the
//! ASCII bytes `, \t " \r \n`, which never occur inside a multi-byte character, so every range it
//! returns lies on character boundaries of the string it came from.

/// One record's cells: ranges into the input, or into `unquoted` for a cell that had `""` inside.
#[derive(Debug, Default)]
pub struct Record {
    cells: Vec<Cell>,
    unquoted: String,
}

#[derive(Debug, Clone, Copy)]
enum Cell {
    Input(u32, u32),
    Unquoted(u32, u32),
}

impl Record {
    pub fn len(&self) -> usize {
        self.cells.len()
    }
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
    /// Cell `i` of this record, read from `input` (the string the record was read from); empty
    /// past the record's end (a short row leaves its last cells empty).
    #[inline]
    pub fn get<'a>(&'a self, input: &'a str, i: usize) -> &'a str {
        match self.cells.get(i) {
            // An empty cell (half a roster's) without the slicing's checks.
            Some(Cell::Input(a, b)) if a == b => "",
            Some(Cell::Input(a, b)) => input.get(*a as usize..*b as usize).unwrap_or(""),
            Some(Cell::Unquoted(a, b)) => self.unquoted.get(*a as usize..*b as usize).unwrap_or(""),
            None => "",
        }
    }
    /// Every cell empty or blank (a blank line, or a row of commas Excel leaves below the data).
    pub fn is_blank(&self, input: &str) -> bool {
        (0..self.len()).all(|i| self.get(input, i).trim().is_empty())
    }
}

/// How a file's first bytes read as UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf8 {
    /// UTF-8 throughout (a character cut at the end of the bytes allowed).
    Valid,
    /// UTF-8 with a stray bad byte: at least 20 characters beyond ASCII, at most one bad sequence
    /// per 100 of them. GBK text is almost never valid UTF-8 for long, while UTF-8 Chinese often
    /// reads as GB18030 without a fault (mojibake): such a file is UTF-8, its bad bytes U+FFFD.
    Mostly,
    /// Not UTF-8: another encoding (GB18030, UTF-16).
    Not,
}

pub fn utf8_verdict(b: &[u8]) -> Utf8 {
    match std::str::from_utf8(b) {
        Ok(_) => return Utf8::Valid,
        Err(e) if e.error_len().is_none() => return Utf8::Valid,
        Err(_) => {}
    }
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in b.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    if good >= 20 && bad * 100 <= good { Utf8::Mostly } else { Utf8::Not }
}

/// The separator of a file, from its first line: tab when it has tabs and no commas.
pub fn separator(first_line: &str) -> u8 {
    if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' }
}

/// The records of `input`, one after another. Inputs larger than 4 GiB are read by the streaming
/// screen in parts; `Records` itself is for one part.
pub struct Records<'a> {
    input: &'a str,
    pos: usize,
    sep: u8,
    /// The last record ended with a row end (not with the input).
    row_end: bool,
    /// The bytes an unquoted cell ends at: the separator, `\r`, `\n` (one look-up a byte).
    ends: [bool; 256],
    /// The input has no `"`: every cell ends at the next separator or row end, found 64 bytes at
    /// a time ([`Records::next_plain`]). A roster saved by Excel quotes only cells that need it,
    /// so most have none.
    plain: bool,
    /// The 64 bytes the plain reader looked at last: where they start and their separators and
    /// row ends as bits (a record usually starts in the block the one before it ended in).
    block: Block,
}

#[derive(Clone, Copy)]
struct Block {
    at: usize,
    seps: u64,
    rows: u64,
}

fn cell_ends(sep: u8) -> [bool; 256] {
    let mut t = [false; 256];
    t[usize::from(sep)] = true;
    t[usize::from(b'\n')] = true;
    t[usize::from(b'\r')] = true;
    t
}

impl<'a> Records<'a> {
    pub fn new(input: &'a str, sep: u8) -> Records<'a> {
        let pos = if input.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        Records::from_position(input, pos, sep)
    }

    /// Whether the record just read ended with a row end, rather than with the input (which may
    /// still be cut in the middle of a row).
    pub fn ended_on_row_end(&self) -> bool {
        self.row_end
    }

    /// The records of `input` from byte `pos` on (a record's start this reader gave), with no
    /// byte-order mark skipped there: a cell may start with U+FEFF.
    pub fn from_position(input: &'a str, pos: usize, sep: u8) -> Records<'a> {
        // (A NUL separator would match the zero bytes the last word is padded with.)
        let plain = sep != 0 && input.len() <= u32::MAX as usize && memchr::memchr(b'"', input.as_bytes()).is_none();
        Records { input, pos, sep, row_end: false, ends: cell_ends(sep), plain, block: Block { at: usize::MAX, seps: 0, rows: 0 } }
    }

    /// Where the next record starts.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Reads the next record into `rec`. `false` at the end of the input. A quote left open runs to
    /// the end of the input (the caller sees one long cell, never a panic).
    pub fn next_into(&mut self, rec: &mut Record) -> bool {
        rec.cells.clear();
        rec.unquoted.clear();
        let b = self.input.as_bytes();
        if self.pos >= b.len() || self.pos > u32::MAX as usize {
            return false;
        }
        if self.plain {
            return self.next_plain(rec);
        }
        let mut i = self.pos;
        loop {
            // One cell.
            if i < b.len() && b[i] == b'"' {
                i += 1;
                let mut seg = i;
                let u_start = rec.unquoted.len();
                let mut escaped = false;
                let end = loop {
                    match b[i..].iter().position(|c| *c == b'"') {
                        // A quote left open runs to the end.
                        None => {
                            i = b.len();
                            break b.len();
                        }
                        Some(k) if b.get(i + k + 1) == Some(&b'"') => {
                            rec.unquoted.push_str(&self.input[seg..i + k]);
                            rec.unquoted.push('"');
                            escaped = true;
                            i += k + 2;
                            seg = i;
                        }
                        Some(k) => {
                            i += k + 1;
                            break i - 1;
                        }
                    }
                };
                if escaped {
                    rec.unquoted.push_str(&self.input[seg..end]);
                    rec.cells.push(Cell::Unquoted(u_start as u32, rec.unquoted.len() as u32));
                } else {
                    rec.cells.push(Cell::Input(seg as u32, end as u32));
                }
                // Anything between the closing quote and the separator is kept out (Excel never writes it).
                while i < b.len() && b[i] != self.sep && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            } else {
                let start = i;
                i += b[i..].iter().position(|c| self.ends[usize::from(*c)]).unwrap_or(b.len() - i);
                rec.cells.push(Cell::Input(start as u32, i as u32));
            }
            // After the cell: a separator, a row end, or the end.
            if i >= b.len() {
                self.pos = b.len();
                self.row_end = false;
                return true;
            }
            if b[i] == self.sep {
                i += 1;
                continue;
            }
            if b[i] == b'\r' {
                i += 1;
            }
            if i < b.len() && b[i] == b'\n' {
                i += 1;
            }
            self.pos = i;
            self.row_end = true;
            return true;
        }
    }
}

impl<'a> Records<'a> {
    /// The input has no `"` (so [`Records::next_plain_each`] reads it).
    pub fn is_plain(&self) -> bool {
        self.plain
    }

    /// `next_into` for an input without quotes.
    fn next_plain(&mut self, rec: &mut Record) -> bool {
        self.plain_cells(|a, b| rec.cells.push(Cell::Input(a as u32, b as u32)))
    }

    /// The next record of an input without quotes ([`Records::is_plain`]), each cell handed to
    /// `cell` with its column as it is found, empty cells not at all: no record is kept. `false`
    /// at the end of the input (or of one with quotes, which this does not read).
    #[inline]
    pub fn next_plain_each(&mut self, mut cell: impl FnMut(usize, &'a str)) -> bool {
        if !self.plain || self.pos >= self.input.len() || self.pos > u32::MAX as usize {
            return false;
        }
        let input = self.input;
        let mut col = 0;
        // Inlined, so each cell costs no call (the loop is the screen's innermost).
        self.plain_cells(
            #[inline(always)]
            |a, b| {
                if a != b {
                    cell(col, input.get(a..b).unwrap_or(""));
                }
                col += 1;
            },
        )
    }

    /// The cells of the next record of an input without quotes, as byte ranges: the separators and
    /// row ends of 64 bytes at a time are found as two masks ([`masks`]), and the cells of a row
    /// are the separator bits below its first row end, so a cell costs no test of its byte.
    #[inline]
    fn plain_cells(&mut self, mut cell: impl FnMut(usize, usize)) -> bool {
        let b = self.input.as_bytes();
        let n = b.len();
        let mut start = self.pos;
        if !(self.block.at..self.block.at.saturating_add(64)).contains(&start) {
            self.block = Block::of(b, start, self.sep);
        }
        let mut base = self.block.at;
        let below = !0u64 << (start - base);
        let (mut seps, mut rows) = (self.block.seps & below, self.block.rows & below);
        loop {
            let row_end = rows & rows.wrapping_neg();
            let mut s = if row_end == 0 { seps } else { seps & (row_end - 1) };
            while s != 0 {
                let k = base + s.trailing_zeros() as usize;
                s &= s - 1;
                cell(start, k);
                start = k + 1;
            }
            if row_end != 0 {
                let k = base + row_end.trailing_zeros() as usize;
                cell(start, k);
                let mut end = k + 1;
                if b[k] == b'\r' && b.get(end) == Some(&b'\n') {
                    end += 1;
                }
                self.pos = end;
                self.row_end = true;
                return true;
            }
            base += 64;
            if base >= n {
                break;
            }
            self.block = Block::of(b, base, self.sep);
            (seps, rows) = (self.block.seps, self.block.rows);
        }
        cell(start, n);
        self.pos = n;
        self.row_end = false;
        true
    }
}

impl Block {
    /// The block of `b` from `at`: its bytes past the end of `b` are neither separators nor row ends.
    #[inline]
    fn of(b: &[u8], at: usize, sep: u8) -> Block {
        if let Some(all) = b.get(at..at + 64).and_then(|all| <&[u8; 64]>::try_from(all).ok()) {
            let (seps, rows) = masks(all, sep);
            return Block { at, seps, rows };
        }
        // The last bytes, padded with zeros whose bits are then cleared.
        let rest = b.get(at..).unwrap_or_default();
        let mut bytes = [0u8; 64];
        bytes[..rest.len()].copy_from_slice(rest);
        let (seps, rows) = masks(&bytes, sep);
        let keep = (1u64 << rest.len()) - 1;
        Block { at, seps: seps & keep, rows: rows & keep }
    }
}

/// Bit `i` set where byte `i` is `sep` (first) or `\n`, `\r` (second).
#[inline]
fn masks(bytes: &[u8; 64], sep: u8) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it, and Rust's
    // x86_64 targets enable it (`masks_sse2` only needs it enabled to be called).
    return unsafe { masks_sse2(bytes, sep) };
    #[cfg(not(target_arch = "x86_64"))]
    masks_words(bytes, sep)
}

/// [`masks`] sixteen bytes a compare.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn masks_sse2(bytes: &[u8; 64], sep: u8) -> (u64, u64) {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8};
    let (s, lf, cr) = (_mm_set1_epi8(sep as i8), _mm_set1_epi8(b'\n' as i8), _mm_set1_epi8(b'\r' as i8));
    let (mut seps, mut rows) = (0u64, 0u64);
    for (i, sixteen) in bytes.chunks_exact(16).enumerate() {
        let word = |k: usize| i64::from_le_bytes(std::array::from_fn(|j| sixteen[k + j]));
        let v: __m128i = _mm_set_epi64x(word(8), word(0));
        let at = 16 * i;
        seps |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, s)) as u16) << at;
        rows |= u64::from(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))) as u16) << at;
    }
    (seps, rows)
}

/// [`masks`] eight bytes a word, where there is no SSE2 (the browser's WebAssembly).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_words(bytes: &[u8; 64], sep: u8) -> (u64, u64) {
    let (s, lf, cr) = (splat(sep), splat(b'\n'), splat(b'\r'));
    let (mut seps, mut rows) = (0u64, 0u64);
    for (i, eight) in bytes.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(std::array::from_fn(|j| eight[j]));
        seps |= gather(zero_bytes(word ^ s)) << (8 * i);
        rows |= gather(zero_bytes(word ^ lf) | zero_bytes(word ^ cr)) << (8 * i);
    }
    (seps, rows)
}

/// The high bits of a word's eight bytes (all others zero) as eight bits, byte `i` as bit `i`.
fn gather(high_bits: u64) -> u64 {
    // Each byte 0 or 1; the product's top byte is the sum of byte i × 2^i, with no carries.
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// `b` in each of a word's eight bytes.
fn splat(b: u8) -> u64 {
    u64::from(b) * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `x` that is zero, and no other bit (exact: no carry crosses bytes).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Where the complete records of `input` end: after the last row end outside quotes. With no
/// quote in `input`, that is after its last `\n`; with quotes, the records are read to find it.
pub fn complete_records_end(input: &str, sep: u8) -> usize {
    let b = input.as_bytes();
    if memchr::memchr(b'"', b).is_none() {
        return memchr::memrchr(b'\n', b).map_or(0, |i| i + 1);
    }
    let mut r = Records::from_position(input, 0, sep);
    let mut rec = Record::default();
    let mut end = 0;
    loop {
        // A row end is `\n` or `\r\n`: a `\r` alone at the end may be half of one.
        if !r.next_into(&mut rec) || !r.ended_on_row_end() || b.get(r.position().wrapping_sub(1)) != Some(&b'\n') {
            break;
        }
        end = r.position();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &str) -> Vec<Vec<String>> {
        let mut r = Records::new(input, separator(input.lines().next().unwrap_or("")));
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.next_into(&mut rec) {
            out.push((0..rec.len()).map(|i| rec.get(input, i).to_string()).collect());
        }
        out
    }

    #[test]
    fn quoting_row_ends_and_separators() {
        assert_eq!(all("a,b\r\n1,2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(all("\u{feff}户编号,村\nH1,洪田村"), vec![vec!["户编号", "村"], vec!["H1", "洪田村"]]);
        assert_eq!(all("a,\"x,\"\"y\"\"\nz\",c\n"), vec![vec!["a", "x,\"y\"\nz", "c"]]);
        assert_eq!(all("a\tb\n1\t2,5\n"), vec![vec!["a", "b"], vec!["1", "2,5"]]);
        assert_eq!(all("a,,\n"), vec![vec!["a", "", ""]]);
        assert_eq!(all("\"open"), vec![vec!["open"]]);
        assert_eq!(all("\"a\"\"\"\"b\",c"), vec![vec!["a\"\"b", "c"]]);
        assert_eq!(all("\"a\"x,b"), vec![vec!["a", "b"]]);
        assert_eq!(all("张🙂,\"王\"\n"), vec![vec!["张🙂", "王"]]);
        assert_eq!(all(""), Vec::<Vec<String>>::new());
    }

    /// Every record, read with the eight-byte reader or the general one.
    fn read_with(input: &str, sep: u8, plain: bool) -> Vec<(Vec<String>, bool, usize)> {
        let mut r = Records::new(input, sep);
        r.plain = plain;
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.next_into(&mut rec) {
            out.push(((0..rec.len()).map(|i| rec.get(input, i).to_string()).collect(), r.ended_on_row_end(), r.position()));
        }
        out
    }

    #[test]
    fn the_eight_byte_reader_reads_as_the_general_one() {
        // Inputs from an alphabet of separators, row ends, ASCII and wider characters, every
        // length up to 160 pieces (across several 64-byte blocks; a deterministic xorshift).
        let alphabet = [",", "\t", "\r", "\n", "\r\n", "a", "12", "张", "🙂", " ", "\u{feff}"];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 161) as usize;
            let mut s = String::new();
            let mut y = x;
            for _ in 0..len {
                y = y.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push_str(alphabet[((y >> 33) % alphabet.len() as u64) as usize]);
            }
            for sep in [b',', b'\t', 0] {
                assert_eq!(read_with(&s, sep, true), read_with(&s, sep, false), "{s:?}");
            }
        }
    }

    #[test]
    fn the_word_masks_are_the_sse2_masks() {
        let mut x: u64 = 0x853C_49E6_748F_EA9B;
        for _ in 0..20_000 {
            let mut bytes = [0u8; 64];
            for b in &mut bytes {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = [b',', b'\t', b'\n', b'\r', b'a', 0, 0xE5, 0x80][(x % 8) as usize];
            }
            for sep in [b',', b'\t', 0] {
                let want: (u64, u64) = (0..64).fold((0, 0), |(s, r), i| {
                    let c = bytes[i];
                    (s | u64::from(c == sep) << i, r | u64::from(c == b'\n' || c == b'\r') << i)
                });
                assert_eq!(masks_words(&bytes, sep), want);
                assert_eq!(masks(&bytes, sep), want);
            }
        }
    }

    #[test]
    fn where_complete_records_end() {
        assert_eq!(complete_records_end("a,b\n1,2\n3,", b','), 8);
        assert_eq!(complete_records_end("a,b", b','), 0);
        assert_eq!(complete_records_end("a,\"x\ny\"\n1,\"2\n", b','), 8);
        assert_eq!(complete_records_end("a,\"x\ny\"\r\n", b','), 9);
        assert_eq!(complete_records_end("a,\"x\"\n1,2\r", b','), 6);
    }
}
