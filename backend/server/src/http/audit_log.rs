//! `GET /audit`: the audit log for an admin, newest first, filtered by who, what and when.

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::access::Permission;
use serde_json::json;

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::store::AuditFilter;

/// Page sizes.
pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 1000;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/audit",
            "accounts",
            "The audit log, newest first: logins, user changes, imports, exports, case transitions",
            get(list),
        )
        .access(Permission::ReadAudit)
        .query("actor", "string", "the user (or anonymous, cli)")
        .query(
            "action",
            "string",
            "how the action starts, e.g. POST /api/v1/login",
        )
        .query("from", "string", "at or after (date or RFC 3339)")
        .query("to", "string", "before (date or RFC 3339)")
        .query("limit", "integer", "page size (1–1000, default 100)")
        .query("cursor", "integer", "next_cursor of the previous page"),
    ]
}

async fn list(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<serde_json::Value>, ApiError> {
    let limit = params.count("limit", DEFAULT_PAGE, MAX_PAGE)?;
    let filter = AuditFilter {
        actor: params.text("actor").map(str::to_owned),
        action: params.text("action").map(str::to_owned),
        from: params.time("from")?,
        to: params.time("to")?,
        before: params.optional::<i64>("cursor", "a cursor from next_cursor")?,
    };
    let entries = state
        .district
        .store()
        .query_audit(&filter, limit)
        .await
        .map_err(ApiError::from)?;
    let next_cursor = (entries.len() == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(
        json!({ "entries": entries, "next_cursor": next_cursor }),
    ))
}
