//! Screening a roster (部门筛查预警): a township's or a department's list of households, one row
//! per member, screened with the same core as a villager's own self-check.
//!
//! - [`columns`]: the facts a roster can give, the Chinese headers they are recognised by, the
//!   mapping a person confirms, the template;
//! - [`read`]: a CSV reader that borrows its cells;
//! - [`cells`]: one cell's text as a fact, or the problem with it;
//! - [`rows`]: the rows of a 户编号 as one `Household`, or kept aside with every bad cell;
//! - [`screen`]: `decide()` on each household, written as CSV or JSON lines;
//! - [`table`]: a screened roster held in memory for the browser: filter, sort, summary by village,
//!   one household explained, the flagged households' CSV;
//! - [`xlsx`]: an Excel workbook's first sheet as CSV text;
//! - `stream` (feature `stream`): the native screen of any size, on every core.
//!
//! Plain Rust: no IO except `stream`'s `Read`/`Write`, no web.

pub mod cells;
pub mod columns;
pub mod read;
pub mod rows;
pub mod sample;
pub mod screen;
#[cfg(feature = "stream")]
pub mod stream;
pub mod table;
pub mod xlsx;

pub use columns::{Field, Mapping, MappingProblem, template_csv};
pub use rows::{Builder, Detail, Finished, RowError};
pub use screen::{Format, Screen};
