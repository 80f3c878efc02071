//! Statistics checked against PySAL esda and pymannkendall: the reference numbers are committed
//! in `tests/reference/gistar_esda.json`, made by `tests/reference/gistar_esda.py`.

use citygrid::analytics::gistar::{Neighbours, gi_star};
use citygrid::analytics::mann_kendall::mann_kendall;
use serde_json::Value;

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/reference/gistar_esda.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn gi_star_matches_esda_on_a_20_by_20_lattice() {
    let r = reference();
    let (rows, cols) = (
        r["rows"].as_u64().unwrap() as usize,
        r["cols"].as_u64().unwrap() as usize,
    );
    let ours = gi_star(
        &numbers(&r["values"]),
        &Neighbours::queen_lattice(rows, cols),
        false,
    );
    let (z, p_norm) = (numbers(&r["z"]), numbers(&r["p_norm"]));
    assert_eq!(ours.len(), z.len());
    for (i, g) in ours.iter().enumerate() {
        assert!(
            (g.z - z[i]).abs() < 1e-9,
            "cell {i}: {} vs esda {}",
            g.z,
            z[i]
        );
        // esda's p_norm is one-sided.
        assert!(
            (g.p - 2.0 * p_norm[i]).abs() < 1e-9,
            "cell {i}: {} vs 2 × {}",
            g.p,
            p_norm[i]
        );
    }
    assert!(
        ours.iter().filter(|g| g.bin == 3).count() >= 10,
        "both clusters are found"
    );
}

#[test]
fn mann_kendall_matches_pymannkendall_with_ties() {
    let r = &reference()["mann_kendall"];
    let mk = mann_kendall(&numbers(&r["series"]));
    assert_eq!(mk.s as f64, r["s"].as_f64().unwrap());
    assert!((mk.var_s - r["var_s"].as_f64().unwrap()).abs() < 1e-9);
    assert!((mk.z - r["z"].as_f64().unwrap()).abs() < 1e-9);
    assert!((mk.p - r["p"].as_f64().unwrap()).abs() < 1e-12);
}
