//! `GET /audit`: the audit log for an admin, newest first, filtered by who, what and when.

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::api::accounts::{AuditPage, AuditQuery};

use super::endpoint::Endpoint;
use super::extract::{Query, count};
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
        .queries::<AuditQuery>()
        .answers::<AuditPage>(),
    ]
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = count(query.limit, "limit", DEFAULT_PAGE, MAX_PAGE)?;
    let filter = AuditFilter {
        actor: query.actor,
        action: query.action,
        from: query.from.map(|w| w.0),
        to: query.to.map(|w| w.0),
        before: query.cursor,
    };
    let entries = state.district.store().query_audit(&filter, limit).await?;
    let next_cursor = (entries.len() == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(AuditPage {
        entries,
        next_cursor,
    }))
}
