//! `citygrid bench` (written in a later commit).

/// Runs the benchmarks and prints a table.
pub fn run(points: usize) {
    println!("bench: {points} points");
}
