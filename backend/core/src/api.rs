//! Request and response types of the HTTP API, one module per resource, shared by the server
//! and the web app: a field renamed on one side breaks the build of both, not the browser at
//! run time. With the `schema` feature each type also describes itself as a JSON Schema, from
//! which the server writes its OpenAPI document.

pub mod accounts;
pub mod analytics;
pub mod approvals;
pub mod assessments;
pub mod campaigns;
pub mod cases;
pub mod dispatch;
pub mod district;
pub mod hotline;
pub mod layers;
pub mod problem;
pub mod query;
pub mod report_draft;

mod places;

pub use places::*;
pub use problem::Problem;
