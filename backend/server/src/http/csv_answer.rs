//! A CSV download: the type and the file name a browser saves it under.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `bytes` (CSV, UTF-8) as an attachment named `file`.
pub fn attachment(file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
