//! `/checklists`: the checklist templates assessments are scored by — every version — and an
//! admin's change, which becomes each changed template's next version.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use chrono::Utc;
use citygrid_core::access::Permission;
use citygrid_core::checklist::Checklists;

use super::auth::Caller;
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::Body;
use super::{ApiError, AppState};

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/checklists",
            "assessments",
            "The checklist templates, every version (an assessment names code and version)",
            get(checklists),
        )
        .access(Permission::Session)
        .answers::<Checklists>(),
        Endpoint::new(
            "put",
            "/checklists",
            "assessments",
            "Change checklist templates: each one whose content changed becomes its next version, \
             past versions stay, templates left out stay",
            put(save),
        )
        .access(Permission::ManageChecklists)
        .json::<Checklists>("templates, as GET /checklists gives them")
        .answers::<Checklists>(),
    ]
}

async fn checklists(State(state): State<AppState>) -> Json<Checklists> {
    Json((*state.checklists.current()).clone())
}

async fn save(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<Checklists>,
) -> Result<Json<Checklists>, ApiError> {
    use crate::assessments::ChecklistEditError as E;
    match state
        .checklists
        .save(body, &caller.user.username, Utc::now())
        .await
    {
        Ok(saved) => Ok(Json(saved)),
        Err(E::Invalid(detail)) => Err(problem(StatusCode::UNPROCESSABLE_ENTITY, detail)
            .at("checklists")
            .into()),
        Err(E::Store(e)) => Err(e.into()),
    }
}
