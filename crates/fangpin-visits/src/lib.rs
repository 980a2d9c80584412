//! A grid worker's (网格员) household visits for the 集中排查 (issue 13), the part that is plain Rust:
//!
//! * [`collector`] — who collected a record (谁采集、谁录入、谁负责): name, phone, role, township, village;
//! * [`record`] — one household's visit: its draft (the same form a villager fills), who collected and
//!   entered it, when, its [`record::Status`], and the outcome the core decides;
//! * [`checks`] — the seed's other checks: 回头看 of a 风险消除, 整户无劳动能力, 开发式帮扶 in place;
//! * [`list`] — the worker's households: search, filter, sort, duplicate, a QR handoff received;
//! * [`summary`] — the village's count of households seen, by outcome and status;
//! * [`export`] — the CSV a township opens in Excel (信息采集录入), with the core's CSV rules.
//!
//! Storage (IndexedDB, encrypted under the worker's PIN) and the screens are the UI's; nothing here
//! does IO, so all of it is tested natively.

pub mod checks;
pub mod collector;
pub mod export;
pub mod list;
pub mod record;
pub mod summary;

pub use checks::{LookBack, Marks, SeedChecks, Standing};
pub use collector::{Collector, Role};
pub use record::{Record, Status, VisitOutcome};
