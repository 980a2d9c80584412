//! SQLite: the schema, connections, and the exactly-once insert.
//!
//! One row per idempotency key. The key column is `UNIQUE`; each insert runs in its own
//! `BEGIN IMMEDIATE` transaction with `ON CONFLICT DO NOTHING`, so concurrent repeats (also from
//! another process on the same file) yield exactly one row and every caller the same receipt. The
//! receipt is answered only after the row is committed (WAL, `synchronous=FULL`): a crash before the
//! commit leaves nothing (the client retries and the row is made once), a crash after it leaves the row
//! (the retry gets the stored receipt).

use std::path::Path;
use std::time::Duration;

use fangpin_core::application::Report;
use rusqlite::{Connection, params};

use super::Receipt;

const SCHEMA_VERSION: i64 = 1;
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS reports (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    reference       TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    profile         TEXT NOT NULL,
    status          TEXT NOT NULL,
    report_json     TEXT NOT NULL,
    assessment_json TEXT NOT NULL,
    summary_json    TEXT NOT NULL,
    assessment_agrees INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_reference ON reports(reference);
";

pub(crate) fn connect(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
    Ok(conn)
}

/// Creates the file (and its parent directories) and the schema when missing; refuses a newer schema.
pub(crate) fn open(db: &Path) -> Result<(), String> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let conn = connect(db).map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("{}: SQLite would not use WAL (got {mode})", db.display()));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    if version > SCHEMA_VERSION {
        return Err(format!("{}: database schema {version} is newer than this server ({SCHEMA_VERSION})", db.display()));
    }
    conn.execute_batch(SCHEMA).map_err(|e| format!("cannot create the schema in {}: {e}", db.display()))?;
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}")).map_err(|e| e.to_string())?;
    Ok(())
}

pub(crate) struct NewRow {
    pub report: Report,
    pub report_json: String,
    pub assessment_json: String,
    pub summary_json: String,
    pub agrees: bool,
    pub received_at: String,
}

pub(crate) enum Stored {
    New(Receipt),
    Repeat(Receipt),
    /// Same key, different content.
    KeyReused,
}

const STATUS_RECEIVED: &str = "received";

pub(crate) fn store(db: &Path, row: &NewRow) -> rusqlite::Result<Stored> {
    let mut conn = connect(db)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let r = &row.report;
    let inserted = tx.execute(
        "INSERT INTO reports (idempotency_key, reference, received_at, submitted_at, profile, status,
                              report_json, assessment_json, summary_json, assessment_agrees)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(idempotency_key) DO NOTHING",
        params![
            r.idempotency_key,
            r.reference,
            row.received_at,
            r.submitted_at,
            r.profile,
            STATUS_RECEIVED,
            row.report_json,
            row.assessment_json,
            row.summary_json,
            row.agrees
        ],
    )?;
    let (receipt, first_json): (Receipt, String) = tx.query_row(
        "SELECT reference, received_at, idempotency_key, status, report_json FROM reports WHERE idempotency_key = ?1",
        params![r.idempotency_key],
        |x| Ok((Receipt { reference: x.get(0)?, received_at: x.get(1)?, idempotency_key: x.get(2)?, status: x.get(3)? }, x.get(4)?)),
    )?;
    tx.commit()?;
    if inserted == 1 {
        return Ok(Stored::New(receipt));
    }
    // A repeat: the same report (a retry may carry another submitted_at) gets the first receipt.
    let same = Report::from_json(&first_json).is_ok_and(|mut first| {
        first.submitted_at.clone_from(&r.submitted_at);
        first == *r
    });
    Ok(if same { Stored::Repeat(receipt) } else { Stored::KeyReused })
}
