//! Statistics for planners (DESIGN §8): Getis-Ord Gi*, the Mann-Kendall trend test and the
//! emerging hot spot categories. Pure functions over numbers; no I/O.

pub mod emerging;
pub mod gistar;
pub mod kde;
pub mod mann_kendall;
pub mod normal;
pub mod slices;
pub mod weights;
