//! Time slices of local calendar time (the type is citygrid-core's, shared with the web app).

pub use citygrid_core::slice::Slice;
