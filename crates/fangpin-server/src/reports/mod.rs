//! The report receiver: `POST /api/v1/reports` and the staff read/export endpoints
//! (`docs/report-api.md`).
//!
//! Why it is built this way:
//! * The body is parsed and validated with the same core as the page (`fangpin_core::application`),
//!   and the assessment is re-run here with the profile the report names: the stored result is the
//!   server's, the client's summary is kept beside it (`submit`).
//! * One SQLite row per idempotency key, committed before the receipt is answered (`store`).
//! * Staff endpoints exist only when `FANGPIN_STAFF_TOKEN` is set; the token is compared in
//!   constant time (`staff`, `csv`).
//! * Every refusal is an [`ApiError`]: a status, a code and a plain message in Chinese and English.

mod clock;
mod csv;
mod error;
mod policy;
mod staff;
mod store;
mod stream;
mod submit;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use fangpin_core::{Assessment, Date, Household, Profile};
use serde::{Deserialize, Serialize};

use crate::limits::{Penalty, Rate, RateLimiter};
use tower_http::set_header::SetResponseHeaderLayer;

pub use clock::now_rfc3339;
pub use error::ApiError;
pub use fangpin_core::application::REPORT_MAX_BYTES;
use policy::Policies;
pub use policy::PolicySource;

/// The most one stored row may hold (the report as stored, the server's assessment and summary): a
/// report whose row would be larger is refused with 413 and nothing is stored.
pub const STORED_ROW_MAX_BYTES: usize = 1024 * 1024;
pub use staff::{PAGE_MAX_BYTES, Page};

/// The environment variable that holds the staff token (unset or empty: no staff access).
pub const STAFF_TOKEN_ENV: &str = "FANGPIN_STAFF_TOKEN";
/// The shortest staff token accepted: 32 random characters are far beyond guessing, even at full speed.
pub const STAFF_TOKEN_MIN_CHARS: usize = 32;
/// The environment variable that names the database file.
pub const DB_ENV: &str = "FANGPIN_DB";
/// The database file when neither `--db` nor `FANGPIN_DB` says otherwise.
pub const DEFAULT_DB: &str = "target/fangpin-reports.sqlite3";

/// Where the receiver keeps its data and who may read it.
#[derive(Clone)]
pub struct ApiState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    staff_token: Option<Vec<u8>>,
    assess: AssessFn,
    policies: Policies,
    body_timeout: Duration,
    report_limiter: Option<RateLimiter>,
    staff_penalty: Penalty,
}

/// Why the receiver cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// `FANGPIN_STAFF_TOKEN` is set but shorter than [`STAFF_TOKEN_MIN_CHARS`].
    StaffTokenTooShort {
        chars: usize,
    },
    /// `FANGPIN_STAFF_TOKEN` has a space, a control character or a non-ASCII one: no `Authorization` header could match it.
    StaffTokenNotAscii,
    Database(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HOW: &str = "Make a random one with `openssl rand -hex 32` or `head -c 32 /dev/urandom | base64`, \
                           or unset it to turn the staff endpoints off.";
        match self {
            OpenError::StaffTokenTooShort { chars } => write!(
                f,
                "{STAFF_TOKEN_ENV} is too short ({chars} characters; at least {STAFF_TOKEN_MIN_CHARS}), so it could be guessed. {HOW}"
            ),
            OpenError::StaffTokenNotAscii => {
                write!(f, "{STAFF_TOKEN_ENV} may hold only visible ASCII characters (no spaces), or it cannot be sent in a header. {HOW}")
            }
            OpenError::Database(e) => write!(f, "reports database: {e}"),
        }
    }
}

/// The assessment the receiver re-runs on every report: the core's [`fangpin_core::assess`]. A parameter
/// so that a test can put a panicking one in its place and see the panic become a 500 with nothing stored.
pub type AssessFn = Arc<dyn Fn(&Household, &Profile, Date) -> Assessment + Send + Sync>;

/// How the receiver behaves beyond the database and the token; [`Default`] is what the binary uses
/// unless its flags say otherwise.
#[derive(Clone)]
pub struct ApiOptions {
    pub assess: AssessFn,
    /// The profiles reports are checked against (the binary: its site's published policy).
    pub policy: PolicySource,
    /// Report submissions per client address (token bucket); None: no limit (`--report-rate 0`, e.g.
    /// behind a proxy that limits per address itself).
    pub report_rate: Option<Rate>,
    /// The first refusal after a wrong staff token; it doubles with each further wrong token
    /// (`limits::Penalty`). Zero: none (only for tests of the token comparison itself).
    pub staff_penalty: Duration,
    /// The whole request body of a report must arrive within this time (else 408). A total deadline,
    /// not one per chunk: a body that trickles in a byte at a time must not hold its connection for hours.
    pub body_timeout: Duration,
}

impl Default for ApiOptions {
    fn default() -> Self {
        ApiOptions {
            assess: Arc::new(fangpin_core::assess),
            policy: PolicySource::BuiltIn,
            report_rate: Some(Rate { per_minute: 30, burst: 10 }),
            staff_penalty: Duration::from_secs(1),
            body_timeout: Duration::from_secs(30),
        }
    }
}

impl ApiState {
    /// Opens (creating when missing) the database and its schema. `staff_token`: None or empty
    /// means no staff access.
    /// A token shorter than [`STAFF_TOKEN_MIN_CHARS`] (or one a header cannot carry) is refused.
    pub fn open(db: &Path, staff_token: Option<String>) -> Result<ApiState, OpenError> {
        ApiState::open_with(db, staff_token, ApiOptions::default())
    }

    /// [`ApiState::open`] with [`ApiOptions`].
    pub fn open_with(db: &Path, staff_token: Option<String>, options: ApiOptions) -> Result<ApiState, OpenError> {
        let staff_token = staff_token.filter(|t| !t.trim().is_empty()).map(|t| t.trim().to_string());
        if let Some(t) = &staff_token {
            if !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(OpenError::StaffTokenNotAscii);
            }
            if t.len() < STAFF_TOKEN_MIN_CHARS {
                return Err(OpenError::StaffTokenTooShort { chars: t.chars().count() });
            }
        }
        let staff_token = staff_token.map(String::into_bytes);
        store::open(db).map_err(OpenError::Database)?;
        Ok(ApiState {
            inner: Arc::new(Inner {
                db: db.to_path_buf(),
                staff_token,
                assess: options.assess,
                policies: Policies::new(options.policy),
                body_timeout: options.body_timeout,
                report_limiter: options.report_rate.map(RateLimiter::new),
                staff_penalty: Penalty::new(options.staff_penalty),
            }),
        })
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.inner.db
    }

    /// True when staff endpoints are enabled.
    pub fn staff_enabled(&self) -> bool {
        self.inner.staff_token.is_some()
    }
}

/// The API routes (`/api/v1/...`), with their own security headers. (The body limit and deadline are
/// applied where the body is read, in `submit`.)
pub fn api_router(state: ApiState) -> Router {
    Router::new()
        .route("/api/v1/reports", post(submit::post_report).get(staff::list_reports))
        .route("/api/v1/reports.csv", get(csv::export_csv))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .with_state(state)
}

/// The receipt: the same for the first delivery (201) and every repeat (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub received_at: String,
    pub idempotency_key: String,
    pub status: String,
}
