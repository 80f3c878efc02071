//! citygrid-core: the domain types shared by the citygrid server and its web front end.
//!
//! Everything here is pure and compiles for `wasm32-unknown-unknown`: ids, the coordinate type,
//! China's coordinate systems, the base-layer feature types, zone rules, the checklists and
//! contract rules of assessments, and the API's request/response types. No I/O, no database,
//! no web server.
#![forbid(unsafe_code)]

pub mod access;
pub mod account;
pub mod api;
pub mod approval;
pub mod calendar;
pub mod campaign;
pub mod case;
pub mod category;
pub mod checklist;
pub mod contract_rule;
pub mod coord;
pub mod crs;
pub mod features;
pub mod ids;
pub mod layer;
pub mod officer;
pub mod period;
pub mod report_words;
pub mod slice;
pub mod text;
pub mod work_order;
pub mod zone;

pub use coord::{LonLat, Metres};
pub use crs::Crs;
pub use layer::Layer;
