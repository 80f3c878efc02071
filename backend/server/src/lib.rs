//! citygrid: the server, its CLI, the spatial core and the embedded store.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod analytics;
pub mod approvals;
pub mod assessments;
pub mod atlas;
pub mod campaigns;
pub mod cases;
pub mod cli;
pub mod csv_cells;
pub mod demo;
pub mod dispatch;
pub mod district;
pub mod export;
pub mod fuzz_entry;
pub mod heavy;
pub mod hotline;
pub mod http;
pub mod import;
pub mod migrate_store;
pub mod projection;
pub mod record_error;
pub mod rng;
pub mod routing;
pub mod server;
pub mod statistics;
pub mod store;
