//! Travel over the street network: the graph built from the streets layer, one reverse search
//! from a place, and the ranking of officers by their time to it (DESIGN §7).

pub mod graph;
pub mod modes;
pub mod ranking;
pub mod search;

pub use graph::StreetGraph;
pub use modes::{Mode, Speeds};
pub use ranking::{Ranked, Reason, Spot, rank};
pub use search::SearchSpace;
