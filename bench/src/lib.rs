//! citygrid's benchmarks, apart from the server: each measures citygrid at district and city
//! scale beside a baseline measured in the same run (brute force, a plain R-tree, a full
//! shortest-path search, PySAL esda, the embedded store against PostgreSQL, PostGIS and
//! pgRouting), and prints the ratio. `citygrid-bench` runs them; `benches/atlas.rs` is the
//! criterion benchmark of the atlas.
#![forbid(unsafe_code)]

pub mod analytics;
pub mod assessments;
pub mod atlas;
pub mod cases;
pub mod dispatch;
pub mod heavy;
pub mod postgis;
pub mod suggest;
pub mod synth;
pub mod table;
