//! The benchmarks' table: one row per measurement, its baseline from the same run beside it.

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub district: &'static str,
    pub what: String,
    pub value: String,
    pub versus: String,
}

/// Prints measurement rows as a table.
pub fn print_rows(rows: &[Row]) {
    let w = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(10);
    println!(
        "{:<7}  {:<w$}  {:>22}  vs. baseline in the same run",
        "", "measurement", "result"
    );
    for r in rows {
        println!(
            "{:<7}  {:<w$}  {:>22}  {}",
            r.district, r.what, r.value, r.versus
        );
    }
}
