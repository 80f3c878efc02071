//! `POST /photos` (the image bytes as the body) and `GET /photos/{hash}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::{ApiError, AppState};
use crate::cases::photos::MAX_PHOTO_BYTES;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "post",
            "/photos",
            "cases",
            "Store a photo (JPEG, PNG or WebP, at most 10 MB)",
            post(upload).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES)),
        )
        .access(Permission::ReportCases)
        .body("application/octet-stream", "the image bytes")
        .answers::<citygrid_core::api::layers::PhotoRef>()
        .ok(201, "application/json"),
        Endpoint::new(
            "get",
            "/photos/{hash}",
            "cases",
            "A stored photo",
            get(download),
        )
        .access(Permission::ReadCases)
        .ok(200, "image/*"),
    ]
}

async fn upload(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let photo = state.cases.add_photo(&body).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, photo.url.clone())],
        Json(photo),
    )
        .into_response())
}

async fn download(
    State(state): State<AppState>,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let (content_type, bytes) = state
        .cases
        .photo(&hash)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no photo {hash}")))?;
    // Content-addressed: the same URL never changes. Private: only logged-in users see it.
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable".to_owned(),
        ),
    ];
    Ok((headers, bytes).into_response())
}
