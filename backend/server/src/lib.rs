//! citygrid: the server, its CLI, the spatial core and the embedded store.
#![forbid(unsafe_code)]

pub mod atlas;
pub mod import;
pub mod projection;
