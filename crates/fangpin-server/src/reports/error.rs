//! The error answer of every API endpoint: `{"error": code, "field": …, "message": {zh, en}, "errors": [...]}`
//! (`docs/report-api.md`). Handlers return [`ApiError`]; it becomes the response.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use fangpin_core::Text;
use fangpin_core::household::FieldError;
use serde::Serialize;

/// A refusal or failure, with its status, its code and a plain message in Chinese and English.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    // Boxed: handlers return `Result<_, ApiError>`, and the Ok path should stay small.
    body: Box<ErrorBody>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
    field: String,
    message: Text,
    errors: Vec<FieldError>,
}

impl ApiError {
    /// One problem, at `field` (empty when it is about the whole request).
    pub fn new(status: StatusCode, code: &str, field: &str, zh: &str, en: &str) -> ApiError {
        let e = FieldError { field: field.to_string(), code: code.to_string(), message: Text::new(zh.to_string(), en.to_string()) };
        ApiError::fields(status, code, vec![e])
    }

    /// Every problem validation found; the first one is also the top-level `field` and `message`.
    pub fn fields(status: StatusCode, code: &str, errs: Vec<FieldError>) -> ApiError {
        let first = errs.first().cloned().unwrap_or(FieldError { field: String::new(), code: code.into(), message: Text::default() });
        ApiError {
            status,
            body: Box::new(ErrorBody { error: code.to_string(), field: first.field, message: first.message, errors: errs }),
            headers: Vec::new(),
        }
    }

    /// Storage failed: logged on stderr; the client is told nothing was stored and to retry.
    pub fn storage(e: impl std::fmt::Display) -> ApiError {
        crate::log_line!("fangpin-server: reports: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            "",
            "服务器暂时不能保存，请稍后再试（您的申请已留在手机上）。",
            "The server cannot store the report right now; please try again later.",
        )
    }

    /// A panic or another failure that is not the client's: nothing was stored (the panic unwound before
    /// the commit, or the commit rolled back), and the application is still in the phone's outbox.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "",
            "服务器出了内部错误，这次没有保存任何内容。您的申请还留在手机上，请稍后再试。",
            "The server had an internal error and stored nothing. Your application is still on the phone; please try again later.",
        )
    }

    /// Adds a header to the answer (`WWW-Authenticate`, `Retry-After`).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ApiError {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &str {
        &self.body.error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(*self.body)).into_response();
        for (name, value) in self.headers {
            res.headers_mut().insert(name, value);
        }
        res
    }
}
