//! The native screen of a roster of any size: read, decode, cut into parts at household
//! boundaries, screen the parts on every core, write them in order. Memory stays flat in the row
//! count: at most a few parts of [`PART_BYTES`] are in flight at any time; what grows with the
//! households is only the repeated-户编号 check (`Seen`: 16 bytes each in 户编号 order, else about 50).
//!
//! ```text
//! reader (this thread): bytes ─► UTF-8 ─► parts cut after a whole household ─┐
//!                                                   workers: rows ─► households ─► decide ─► text
//! writer: parts back in order ─► out, errors ◄──────────────────────────────────────────────┘
//! ```
//! With one thread everything runs on the calling thread, one part after another: that is the
//! one-core figure of the bench.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use encoding_rs::{Decoder, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use fangpin_core::{Text, assess, to_cli_json};
use fangpin_visits::VisitOutcome;

use crate::columns::{Field, Mapping, MappingProblem};
use crate::read::{Record, Records, Utf8, complete_records_end, separator};
use crate::rows::{Builder, Detail, Finished, Problem, RowError};
use crate::screen::{Format, Screen};

/// About how much text one part holds.
pub const PART_BYTES: usize = 1 << 20;
/// A header row longer than this is not a roster's.
const HEADER_BYTES: usize = 1 << 20;
/// One household's rows may run this long before a part is cut inside it (such a household has
/// far more rows than members allowed, and is kept aside either way).
const HOUSEHOLD_BYTES: usize = 8 << 20;

/// What the screen counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rows after the header, blank rows included.
    pub rows: u64,
    pub households: u64,
    /// Households (rows of one 户编号) kept aside; rows without a 户编号 are not households and are
    /// counted in `no_id_rows`.
    pub kept_aside: u64,
    /// Rows (not blank) without a 户编号, kept aside.
    pub no_id_rows: u64,
    /// By `VisitOutcome::ALL`.
    pub by_outcome: [u64; 6],
    /// Households whose 户编号 came again further down (kept aside; counted in `kept_aside`).
    pub not_together: u64,
    /// How many 户编号 that is (one that comes three times is one 户编号, two households kept aside).
    pub repeated_ids: u64,
    /// Of those, how many were first screened and written to the results (which cannot be taken back).
    pub first_written: u64,
    /// Bytes that were not text in the file's encoding (read as U+FFFD, so their cells are errors).
    pub replaced_bytes: bool,
}

impl Totals {
    fn add(&mut self, o: &Totals) {
        self.rows += o.rows;
        self.households += o.households;
        self.kept_aside += o.kept_aside;
        self.no_id_rows += o.no_id_rows;
        for (a, b) in self.by_outcome.iter_mut().zip(o.by_outcome) {
            *a += b;
        }
        self.not_together += o.not_together;
        self.repeated_ids += o.repeated_ids;
        self.first_written += o.first_written;
        self.replaced_bytes |= o.replaced_bytes;
    }
}

#[derive(Debug)]
pub enum StreamError {
    Read(std::io::Error),
    Write(std::io::Error),
    /// The file has no header row.
    Empty,
    HeaderTooLong,
    Mapping(Mapping, Vec<MappingProblem>),
}

impl StreamError {
    pub fn message(&self) -> Text {
        match self {
            StreamError::Read(e) => Text::new(format!("读不了名单：{e}"), format!("Cannot read the roster: {e}")),
            StreamError::Write(e) => Text::new(format!("写不了结果：{e}"), format!("Cannot write the results: {e}")),
            StreamError::Empty => Text::lit("名单是空的：第一行应是表头。", "The roster is empty: its first row should be the headers."),
            StreamError::HeaderTooLong => Text::lit("第一行太长，不像表头。", "The first row is too long to be a header row."),
            StreamError::Mapping(_, problems) => {
                let zh: Vec<String> = problems.iter().map(|p| p.message().zh.to_string()).collect();
                let en: Vec<String> = problems.iter().map(|p| p.message().en.to_string()).collect();
                Text::new(zh.join(""), en.join(" "))
            }
        }
    }
}

pub struct Options<'p> {
    pub screen: Screen<'p>,
    /// Worker threads; 1 runs on the calling thread.
    pub threads: usize,
    /// Write each household's explained assessment too (JSON lines only; slow: words are written).
    pub explain: bool,
    /// About how much text a part holds ([`PART_BYTES`]; tests make it small to cut often).
    pub part_bytes: usize,
}

impl<'p> Options<'p> {
    pub fn new(screen: Screen<'p>, threads: usize) -> Options<'p> {
        Options { screen, threads, explain: false, part_bytes: PART_BYTES }
    }
}

/// Screens the roster `input`, writing households to `out` and the kept-aside rows to `errors`.
/// `adjust` may change the mapping recognised from the header row before it is checked.
pub fn screen(
    input: impl Read,
    mut out: impl Write + Send,
    errors: impl Write + Send,
    opts: &Options,
    adjust: impl FnOnce(&mut Mapping),
) -> Result<(Totals, Mapping), StreamError> {
    let mut text = Text8::new(input);
    // The header row.
    loop {
        let end = complete_records_end(&text.buf, b',');
        if end > 0 || text.eof {
            break;
        }
        if text.buf.len() > HEADER_BYTES {
            return Err(StreamError::HeaderTooLong);
        }
        text.fill()?;
    }
    let first_line = text.buf.lines().next().unwrap_or("");
    let sep = separator(first_line);
    let mut records = Records::new(&text.buf, sep);
    let mut rec = Record::default();
    if !records.next_into(&mut rec) || rec.is_blank(&text.buf) {
        return Err(StreamError::Empty);
    }
    let headers: Vec<String> = (0..rec.len()).map(|i| rec.get(&text.buf, i).to_string()).collect();
    let header_end = records.position();
    let mut mapping = Mapping::recognise(&headers);
    adjust(&mut mapping);
    let problems = mapping.problems();
    if !problems.is_empty() {
        return Err(StreamError::Mapping(mapping, problems));
    }
    text.buf.drain(..header_end);
    let job = Job { mapping: &mapping, opts, sep, id_col: mapping.column(Field::HouseholdId).unwrap_or(0) };

    let mut head = String::new();
    opts.screen.header(&mut head);
    out.write_all(head.as_bytes()).map_err(StreamError::Write)?;
    let mut output = Output::new(out, errors, &job);
    if opts.threads <= 1 {
        let mut worker = Worker::new(&job);
        let mut base = 2;
        while let Some(part) = job.next_part(&mut text, &mut base)? {
            let done = worker.run(&part);
            output.write(done)?;
            text.recycle(part.text);
        }
    } else {
        parallel(&job, &mut text, &mut output)?;
    }
    let Output { mut out, mut errors, mut totals, .. } = output;
    totals.replaced_bytes |= text.replaced;
    out.flush().map_err(StreamError::Write)?;
    errors.out.flush().map_err(StreamError::Write)?;
    Ok((totals, mapping))
}

/// Where kept-aside rows go, with their header before the first.
struct Problems<'s, 'p, W> {
    out: W,
    started: bool,
    screen: &'s Screen<'p>,
}

impl<W: Write> Problems<'_, '_, W> {
    fn write(&mut self, text: &str) -> Result<(), StreamError> {
        if text.is_empty() {
            return Ok(());
        }
        if !self.started {
            self.started = true;
            let mut head = String::new();
            self.screen.errors_header(&mut head);
            self.out.write_all(head.as_bytes()).map_err(StreamError::Write)?;
        }
        self.out.write_all(text.as_bytes()).map_err(StreamError::Write)
    }
}

/// The parts written in order, each household's 户编号 checked against every one before: a 户编号
/// seen again further down (its rows not together) is kept aside. Remembers a hash of each 户编号
/// and its first row ([`Seen`]), never its rows.
struct Output<'j, 'p, O, E> {
    out: O,
    errors: Problems<'j, 'p, E>,
    job: &'j Job<'j, 'p>,
    seen: Seen,
    /// The hashes of the 户编号 found again, to count each once.
    repeated: std::collections::HashSet<u64, BuildHasherDefault<Prehashed>>,
    totals: Totals,
}

/// Every 户编号 written so far, each with its first row, to find one that comes again. A roster in
/// 户编号 order (most are: the systems export so, and Excel sorts so) needs no look-up: an id above
/// the last one was not seen before, and the ids are kept in a list (16 bytes each, written one
/// after another). The first id out of order moves the list into a map (about 50 bytes each),
/// which every later id is looked up in.
#[derive(Default)]
struct Seen {
    /// The last id while the ids are in order.
    last: String,
    in_order: Vec<(u64, u64)>,
    map: Option<HashMap<u64, u64, BuildHasherDefault<Prehashed>>>,
}

/// The top bit of a remembered row: that place was written to the results.
const WRITTEN: u64 = 1 << 63;

impl Seen {
    /// The first row of `id` when it was seen before, and whether that place was written to the
    /// results; else `None`, and `id` is remembered at `row` (`written` or not).
    fn earlier(&mut self, id: &str, row: u64, written: bool) -> Option<(u64, bool)> {
        let kept = row & !WRITTEN | if written { WRITTEN } else { 0 };
        self.earlier_kept(id, kept).map(|r| (r & !WRITTEN, r & WRITTEN != 0))
    }

    fn earlier_kept(&mut self, id: &str, row: u64) -> Option<u64> {
        let map = match &mut self.map {
            Some(map) => map,
            None if self.in_order.is_empty() || id > self.last.as_str() => {
                self.last.clear();
                self.last.push_str(id);
                self.in_order.push((id_hash(id), row));
                return None;
            }
            None => {
                // Room for the ids so far (and the list freed once they are in): the map grows from
                // there as ids come, as it would have from the start.
                let mut map = HashMap::with_capacity_and_hasher(self.in_order.len() + 1, BuildHasherDefault::default());
                for (hash, row) in std::mem::take(&mut self.in_order) {
                    // (Two ids with one hash: the first is kept, as the map alone would.)
                    map.entry(hash).or_insert(row);
                }
                self.last = String::new();
                self.map.insert(map)
            }
        };
        match map.entry(id_hash(id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(row);
                None
            }
            std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
        }
    }
}

/// The map of [`Seen`] is keyed by hashes already: they are their own hash.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl<'j, 'p, O: Write, E: Write> Output<'j, 'p, O, E> {
    fn new(out: O, errors: E, job: &'j Job<'j, 'p>) -> Self {
        Output {
            out,
            errors: Problems { out: errors, started: false, screen: &job.opts.screen },
            job,
            seen: Seen::default(),
            repeated: Default::default(),
            totals: Totals::default(),
        }
    }

    fn write(&mut self, done: Done) -> Result<(), StreamError> {
        self.totals.add(&done.totals);
        // Household by household, as the part has them: what was seen before is cut from the
        // results and said among the problems, in the rows' order whatever the parts were.
        let mut from = 0;
        let mut problems = String::new();
        for h in &done.households {
            let id = done.ids.get(h.id.0..h.id.1).unwrap_or("");
            let earlier = if id.is_empty() { None } else { self.seen.earlier(id, h.first_row, h.out.is_some()) };
            let own = h.errors.map_or("", |range| done.errors.get(range.0..range.1).unwrap_or(""));
            let Some((first_row, first_written)) = earlier else {
                problems.push_str(own);
                continue;
            };
            if let (Some(range), Some(k)) = (h.out, h.outcome) {
                self.out.write_all(done.out.get(from..range.0).unwrap_or("").as_bytes()).map_err(StreamError::Write)?;
                from = range.1;
                self.totals.households -= 1;
                self.totals.by_outcome[k] -= 1;
                self.totals.kept_aside += 1;
            }
            let problem = Problem::NotTogether { other_row: first_row, earlier_written: first_written };
            let e = [RowError { row: h.first_row, column: self.job.mapping.column(Field::HouseholdId), problem }];
            self.job.opts.screen.write_kept_aside(&mut problems, self.job.mapping, id, h.first_row, &e, 0);
            // Its own problems after: in the rows' order (the repeat is said at its first row).
            problems.push_str(own);
            self.totals.not_together += 1;
            if self.repeated.insert(id_hash(id)) {
                self.totals.repeated_ids += 1;
                self.totals.first_written += u64::from(first_written);
            }
        }
        self.out.write_all(done.out.get(from..).unwrap_or("").as_bytes()).map_err(StreamError::Write)?;
        self.errors.write(&problems)
    }
}

/// A 户编号's hash: FNV-1a over its bytes, then mixed (splitmix64) so the map's buckets spread.
fn id_hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn parallel<O: Write + Send, E: Write + Send>(
    job: &Job,
    text: &mut Text8<impl Read>,
    output: &mut Output<'_, '_, O, E>,
) -> Result<(), StreamError> {
    let threads = job.opts.threads;
    let (part_tx, part_rx) = mpsc::sync_channel::<(u64, Part)>(threads * 2);
    let part_rx = Mutex::new(part_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Done)>(threads * 2);
    // Screened parts' texts, back to the reader to hold later parts (a full channel drops them).
    let (spare_tx, spare_rx) = mpsc::sync_channel::<String>(2);
    // Set when the writer fails: the reader stops, the workers drain what is queued without work.
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let spare_tx = spare_tx.clone();
            let (part_rx, stop) = (&part_rx, &stop);
            s.spawn(move || {
                let mut worker = Worker::new(job);
                loop {
                    // The lock is held only to take the next part.
                    let next = part_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, part))) = next else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    if done_tx.send((seq, worker.run(&part))).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    let _ = spare_tx.try_send(part.text);
                }
            });
        }
        drop(done_tx);
        let stop_ref = &stop;
        let writer = s.spawn(move || -> Result<(), StreamError> {
            let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, done) in done_rx {
                waiting.insert(seq, done);
                while let Some(done) = waiting.remove(&next) {
                    if let Err(e) = output.write(done) {
                        stop_ref.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                    next += 1;
                }
            }
            Ok(())
        });
        let mut base = 2;
        let mut seq = 0;
        let read = loop {
            if stop.load(Ordering::Relaxed) {
                break Ok(());
            }
            while let Ok(spare) = spare_rx.try_recv() {
                text.recycle(spare);
            }
            match job.next_part(text, &mut base) {
                Ok(Some(part)) => {
                    if part_tx.send((seq, part)).is_err() {
                        break Ok(());
                    }
                    seq += 1;
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        drop(part_tx);
        let written = writer.join().unwrap_or_else(|_| Err(StreamError::Write(std::io::Error::other("writer stopped"))));
        // A write error first: it is why reading stopped.
        written.and(read)
    })
}

/// The file as UTF-8 text, read and decoded as needed.
struct Text8<R> {
    input: R,
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    buf: String,
    eof: bool,
    replaced: bool,
    /// The last block ended with `\r`.
    after_cr: bool,
    /// Texts of parts already screened, for the next parts: a part's megabyte is not allocated
    /// (and its pages faulted in) again for each part.
    spare: Vec<String>,
}

impl<R: Read> Text8<R> {
    fn new(input: R) -> Text8<R> {
        // Blocks small enough to stay in the cache between the read and the decoding copy.
        let raw = vec![0; 64 << 10];
        Text8 { input, decoder: None, raw, buf: String::new(), eof: false, replaced: false, after_cr: false, spare: Vec::new() }
    }

    /// A screened part's text, to hold a later part.
    fn recycle(&mut self, mut text: String) {
        if self.spare.len() < 2 {
            text.clear();
            self.spare.push(text);
        }
    }

    /// One read into `raw` (a pipe may give less than asked).
    fn read_some(&mut self) -> Result<usize, StreamError> {
        self.read_at(0)
    }

    /// One read into `raw[from..]`, again when a signal interrupted it.
    fn read_at(&mut self, from: usize) -> Result<usize, StreamError> {
        loop {
            match self.input.read(self.raw.get_mut(from..).unwrap_or_default()) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::Read(e)),
            }
        }
    }

    /// `raw` filled, or up to the end of the input: the first block, whose bytes decide the encoding
    /// whatever a pipe hands over at a time.
    fn read_full(&mut self) -> Result<usize, StreamError> {
        let mut n = 0;
        while n < self.raw.len() {
            let got = self.read_at(n)?;
            if got == 0 {
                break;
            }
            n += got;
        }
        Ok(n)
    }

    /// Reads another block and appends it to `buf`, decoded.
    fn fill(&mut self) -> Result<(), StreamError> {
        if self.eof {
            return Ok(());
        }
        // The first block decides the encoding: half a part of it, as before (a stray byte far into
        // a GBK file still tells). A household longer than a part grows by half parts too, so it
        // is not scanned again for every small block. Otherwise small blocks, which stay in the
        // cache between the read and the decoding copy.
        let block = if self.decoder.is_none() || self.buf.len() >= PART_BYTES { PART_BYTES / 2 } else { 64 << 10 };
        self.raw.resize(block, 0);
        let n = if self.decoder.is_none() { self.read_full()? } else { self.read_some()? };
        self.eof = n == 0;
        let raw = &self.raw[..n];
        let decoder = self.decoder.get_or_insert_with(|| encoding_of(raw).new_decoder_with_bom_removal());
        let mut src = raw;
        let from = self.buf.len();
        loop {
            self.buf.reserve(decoder.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3 + 16));
            let (result, read, replaced) = decoder.decode_to_string(src, &mut self.buf, self.eof);
            self.replaced |= replaced;
            src = &src[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        self.row_ends_as_lf(from);
        Ok(())
    }

    /// Row ends from `from` on as `\n`: `\r\n` and a lone `\r` (old Mac files) alike, so the
    /// parts are cut and their rows counted on one byte. A `\r` that ended the last block may meet
    /// its `\n` at the start of this one.
    fn row_ends_as_lf(&mut self, from: usize) {
        let b = self.buf.as_bytes();
        let skip_lf = std::mem::take(&mut self.after_cr) && b.get(from) == Some(&b'\n');
        if !skip_lf && memchr::memchr(b'\r', &b[from..]).is_none() {
            return;
        }
        let tail = self.buf.split_off(from);
        let mut chars = tail.chars().peekable();
        if skip_lf {
            chars.next();
        }
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                } else if chars.peek().is_none() {
                    self.after_cr = true;
                }
                self.buf.push('\n');
            } else {
                self.buf.push(c);
            }
        }
    }
}

/// The file's encoding, from its first block: its byte-order mark; else UTF-8 when the block is
/// UTF-8 (a character cut at its end allowed); else GB18030 (what Excel saves on a Chinese Windows;
/// GBK is part of it) when it reads as that without a fault; else UTF-8, its bad bytes read as
/// U+FFFD (their cells then are errors). The roster page's worker decides by the same rule.
pub fn encoding_of(first: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(first) {
        return enc;
    }
    match crate::read::utf8_verdict(first) {
        Utf8::Valid | Utf8::Mostly => UTF_8,
        Utf8::Not if looks_utf16(first) => {
            if first.get(1) == Some(&0) {
                UTF_16LE
            } else {
                UTF_16BE
            }
        }
        // A GB18030 character is at most 4 bytes: one cut at the block's end is no fault.
        Utf8::Not
            if (0..=3).any(|cut| {
                GB18030.decode_without_bom_handling_and_without_replacement(&first[..first.len().saturating_sub(cut)]).is_some()
            }) =>
        {
            GB18030
        }
        Utf8::Not => UTF_8,
    }
}

fn looks_utf16(b: &[u8]) -> bool {
    b.len() >= 4 && (b[1] == 0 && b[3] == 0 || b[0] == 0 && b[2] == 0)
}

struct Job<'a, 'p> {
    mapping: &'a Mapping,
    opts: &'a Options<'p>,
    sep: u8,
    id_col: usize,
}

/// Whole households' rows, and the row number of the first.
struct Part {
    text: String,
    first_row: u64,
}

struct Done {
    out: String,
    errors: String,
    totals: Totals,
    /// Every household of the part, in order, for the writer's check of repeated 户编号.
    households: Vec<HouseholdOut>,
    /// Their 户编号, one after another (`HouseholdOut::id` are ranges in it).
    ids: String,
}

struct HouseholdOut {
    id: (usize, usize),
    first_row: u64,
    /// Its bytes in `out`, and its outcome (`VisitOutcome::ALL` index), when it was screened.
    out: Option<(usize, usize)>,
    outcome: Option<usize>,
    /// Its bytes in `errors`, when it was kept aside.
    errors: Option<(usize, usize)>,
}

impl Job<'_, '_> {
    /// The next part of whole households, or `None` at the end. `base` is the row number of the
    /// next row.
    fn next_part(&self, text: &mut Text8<impl Read>, base: &mut u64) -> Result<Option<Part>, StreamError> {
        loop {
            if text.buf.len() >= self.opts.part_bytes || text.eof {
                let cut = if text.eof {
                    text.buf.len()
                } else {
                    // Within about a part's length: up to a row end (an ASCII byte, so a character boundary).
                    let b = text.buf.as_bytes();
                    let within = memchr::memrchr(b'\n', &b[..self.opts.part_bytes.min(b.len())]).map_or(b.len(), |i| i + 1);
                    let households = |upto: usize| {
                        let records_end = complete_records_end(&text.buf[..upto], self.sep);
                        (records_end, last_household_start(&text.buf[..records_end], self.sep, self.id_col))
                    };
                    let (mut records_end, mut households_end) = households(within);
                    if households_end == 0 && within < text.buf.len() {
                        // One household longer than a part: it is kept whole.
                        (records_end, households_end) = households(text.buf.len());
                    }
                    if households_end == 0 && text.buf.len() < HOUSEHOLD_BYTES {
                        0
                    } else if households_end == 0 {
                        records_end
                    } else {
                        households_end
                    }
                };
                if cut > 0 || (text.eof && !text.buf.is_empty()) {
                    // What follows the cut (at most a block and a household) moves to a spare text.
                    let mut rest = text.spare.pop().unwrap_or_default();
                    rest.push_str(text.buf.get(cut..).unwrap_or(""));
                    text.buf.truncate(cut);
                    let part_text = std::mem::replace(&mut text.buf, rest);
                    let rows = count_records(&part_text, self.sep);
                    let part = Part { text: part_text, first_row: *base };
                    *base += rows;
                    return Ok(Some(part));
                }
                if text.eof {
                    return Ok(None);
                }
            }
            text.fill()?;
        }
    }
}

/// Where the last household of `text` (whole records) starts; 0 when it is the only one. Blank
/// rows belong to no household (a household's rows may have one between them).
fn last_household_start(text: &str, sep: u8, id_col: usize) -> usize {
    let b = text.as_bytes();
    let mut last_id: Option<String> = None;
    let mut boundary = 0;
    // A row without a 户编号 belongs with the household above it here (the builder keeps that one
    // aside for it), so both land in the same part.
    let mut step = |start: usize, id: Option<&str>| -> Option<usize> {
        let id = id.filter(|id| !id.is_empty())?;
        match &last_id {
            None => last_id = Some(id.to_string()),
            Some(l) if l == id => {}
            Some(_) => return Some(boundary),
        }
        boundary = start;
        None
    };
    if memchr::memchr(b'"', b).is_none() {
        // Lines from the end: only the last household's are read.
        let mut end = b.len();
        while end > 0 {
            let start = memchr::memrchr(b'\n', &b[..end - 1]).map_or(0, |i| i + 1);
            let line = text.get(start..end).unwrap_or("");
            let id = (!line.trim_matches(|c: char| c.is_whitespace() || c == sep as char).is_empty())
                .then(|| line.split(sep as char).nth(id_col).unwrap_or("").trim());
            if let Some(at) = step(start, id) {
                return at;
            }
            end = start;
        }
        return 0;
    }
    let mut rec = Record::default();
    for start in record_starts(text, sep).into_iter().rev() {
        let slice = text.get(start..).unwrap_or("");
        let mut r = Records::from_position(slice, 0, sep);
        r.next_into(&mut rec);
        let id = (!rec.is_blank(slice)).then(|| rec.get(slice, id_col).trim());
        if let Some(at) = step(start, id) {
            return at;
        }
    }
    0
}

/// Where each record of `text` starts. Without quotes a record is a line; with quotes they are read.
fn record_starts(text: &str, sep: u8) -> Vec<usize> {
    let b = text.as_bytes();
    if !b.contains(&b'"') {
        // Only the tail is needed, but a part is small; the lines are found with one scan.
        let mut starts = vec![0];
        starts.extend(b.iter().enumerate().filter(|(_, c)| **c == b'\n').map(|(i, _)| i + 1).filter(|i| *i < b.len()));
        return starts;
    }
    let mut r = Records::from_position(text, 0, sep);
    let mut rec = Record::default();
    let mut starts = Vec::new();
    loop {
        let at = r.position();
        if !r.next_into(&mut rec) {
            break;
        }
        starts.push(at);
    }
    starts
}

fn count_records(text: &str, sep: u8) -> u64 {
    let b = text.as_bytes();
    if memchr::memchr(b'"', b).is_none() {
        let lines = memchr::memchr_iter(b'\n', b).count() as u64;
        return lines + u64::from(!b.is_empty() && b.last() != Some(&b'\n'));
    }
    record_starts(text, sep).len() as u64
}

/// One thread's screen of parts.
struct Worker<'a, 'p> {
    job: &'a Job<'a, 'p>,
    builder: Builder,
    rec: Record,
}

impl<'a, 'p> Worker<'a, 'p> {
    fn new(job: &'a Job<'a, 'p>) -> Worker<'a, 'p> {
        let detail = if job.opts.explain { Detail::Names } else { Detail::Decide };
        Worker { job, builder: Builder::new(job.mapping, job.opts.screen.as_of, detail), rec: Record::default() }
    }

    fn run(&mut self, part: &Part) -> Done {
        let screen = &self.job.opts.screen;
        let mapping = self.job.mapping;
        let explain = self.job.opts.explain;
        let mut done = Done {
            out: String::with_capacity(part.text.len()),
            errors: String::new(),
            totals: Totals::default(),
            households: Vec::new(),
            ids: String::new(),
        };
        let mut records = Records::from_position(&part.text, 0, self.job.sep);
        let mut row = part.first_row;
        let mut emit = |f: Finished<'_>| match f {
            Finished::Household(p) => {
                let d = screen.decide(&p);
                let k = VisitOutcome::ALL.iter().position(|o| *o == VisitOutcome::of_screening(&d)).unwrap_or(0);
                done.totals.by_outcome[k] += 1;
                done.totals.households += 1;
                let start = done.out.len();
                let id_start = done.ids.len();
                done.ids.push_str(p.id);
                screen.write(&mut done.out, &p, &d);
                if explain && screen.format == Format::Jsonl {
                    // The row's object, reopened for its assessment.
                    done.out.truncate(done.out.len() - 2);
                    done.out.push_str(",\"assessment\":");
                    let a = assess(p.household, screen.profile, screen.as_of);
                    done.out.push_str(&to_cli_json(&a).to_string());
                    done.out.push_str("}\n");
                }
                let range = Some((start, done.out.len()));
                done.households.push(HouseholdOut {
                    id: (id_start, done.ids.len()),
                    first_row: p.first_row,
                    out: range,
                    outcome: Some(k),
                    errors: None,
                });
            }
            Finished::KeptAside { id, first_row, rows, errors, more_errors } => {
                let id_start = done.ids.len();
                done.ids.push_str(id);
                if id.is_empty() {
                    done.totals.no_id_rows += rows;
                } else {
                    done.totals.kept_aside += 1;
                }
                let start = done.errors.len();
                screen.write_kept_aside(&mut done.errors, mapping, id, first_row, errors, more_errors);
                let range = Some((start, done.errors.len()));
                done.households.push(HouseholdOut { id: (id_start, done.ids.len()), first_row, out: None, outcome: None, errors: range });
            }
        };
        if records.is_plain() {
            while self.builder.push_plain(row, &mut records, &mut emit) {
                row += 1;
            }
        } else {
            while records.next_into(&mut self.rec) {
                self.builder.push(row, &self.rec, &part.text, &mut emit);
                row += 1;
            }
        }
        self.builder.finish(&mut emit);
        done.totals.rows = row - part.first_row;
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_are_never_cut() {
        let text = "H1,a\nH1,b\nH2,c\nH2,d\n";
        assert_eq!(last_household_start(text, b',', 0), 10);
        assert_eq!(last_household_start("H1,a\nH1,b\n", b',', 0), 0);
        assert_eq!(last_household_start("H1,a\nH2,b\n\nH2,c\n", b',', 0), 5);
        assert_eq!(last_household_start("H1,\"a\nb\"\nH2,c\n", b',', 0), 9);
        assert_eq!(count_records("a\nb\nc", b','), 3);
        assert_eq!(count_records("a\n\"b\nc\"\n", b','), 2);
        assert_eq!(count_records("", b','), 0);
    }

    #[test]
    fn an_id_seen_again_is_found_in_order_or_not() {
        // Against a plain map, over id sequences mostly in order, with repeats and steps back.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for round in 0..300 {
            let (mut seen, mut model) = (Seen::default(), HashMap::new());
            let mut id = 0u64;
            for row in 0..200u64 {
                id = match next(20) {
                    0 if round % 3 != 0 => next(id + 1),
                    1 if round % 3 != 0 => id,
                    _ => id + 1 + next(3),
                };
                let text = format!("H{id:05}");
                let want = match model.entry(text.clone()) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(row);
                        None
                    }
                    std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
                };
                let written = row % 2 == 0;
                assert_eq!(seen.earlier(&text, row, written).map(|(r, _)| r), want, "round {round}, row {row}, {text}");
            }
            // A third of the rounds stay in order: no map is made.
            assert_eq!(seen.map.is_none(), round % 3 == 0, "round {round}");
        }
        // An id in order after one out of order is still remembered (by the map).
        let mut seen = Seen::default();
        assert_eq!(
            [("B", 2), ("A", 3), ("C", 4), ("C", 5), ("B", 6)].map(|(id, row)| seen.earlier(id, row, id != "C")),
            [None, None, None, Some((4, false)), Some((2, true))]
        );
    }

    #[test]
    fn encodings() {
        assert_eq!(encoding_of("户编号".as_bytes()), UTF_8);
        assert_eq!(encoding_of(&"户编号".as_bytes()[..4]), UTF_8);
        let (gbk, _, _) = GB18030.encode("户编号,村");
        assert_eq!(encoding_of(&gbk), GB18030);
        // GBK whose first characters happen to be valid UTF-8 (农 is C5 A9) is still GBK.
        let (gbk, _, _) = GB18030.encode("农户编号,村,全省");
        assert_eq!(encoding_of(&gbk), GB18030);
        // UTF-8 with one bad byte stays UTF-8 (the bad byte becomes U+FFFD, its cell an error).
        let mut bad = "户编号,村,姓名,与户主关系,出生日期\nH1,洪田村,张大山,户主,1978-03-07\n".as_bytes().to_vec();
        bad.extend([0xB7, b'\n']);
        assert_eq!(encoding_of(&bad), UTF_8);
        assert_eq!(encoding_of(&[0xFF, 0xFE, b'a', 0]), UTF_16LE);
    }
}
