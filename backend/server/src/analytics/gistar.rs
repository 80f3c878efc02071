//! Getis-Ord Gi* (DESIGN §8): binary weights that include the place itself, z-scores,
//! two-sided p-values, confidence bins and an optional Benjamini–Hochberg correction.

use serde::Serialize;

use super::normal::two_sided_p;

/// Neighbour lists in compressed form: the neighbours of place `i` (not counting `i` itself)
/// are `list[first[i]..first[i + 1]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    first: Vec<u32>,
    list: Vec<u32>,
}

impl Neighbours {
    /// From one list per place; a place listed among its own neighbours is ignored (it is
    /// always counted once, as Gi* requires).
    pub fn from_lists(lists: &[Vec<u32>]) -> Self {
        let mut first = Vec::with_capacity(lists.len() + 1);
        let mut list = Vec::new();
        first.push(0);
        for (i, l) in lists.iter().enumerate() {
            let mut l: Vec<u32> = l.iter().copied().filter(|&j| j as usize != i).collect();
            l.sort_unstable();
            l.dedup();
            list.extend(l);
            first.push(list.len() as u32);
        }
        Self { first, list }
    }

    /// Queen contiguity on a `rows` × `cols` lattice numbered row by row.
    pub fn queen_lattice(rows: usize, cols: usize) -> Self {
        let lists: Vec<Vec<u32>> = (0..rows * cols)
            .map(|i| {
                let (r, c) = ((i / cols) as i64, (i % cols) as i64);
                let mut l = Vec::new();
                for dr in -1..=1 {
                    for dc in -1..=1 {
                        let (nr, nc) = (r + dr, c + dc);
                        if (dr, dc) != (0, 0)
                            && (0..rows as i64).contains(&nr)
                            && (0..cols as i64).contains(&nc)
                        {
                            l.push((nr * cols as i64 + nc) as u32);
                        }
                    }
                }
                l
            })
            .collect();
        Self::from_lists(&lists)
    }

    pub fn len(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The neighbours of `i` (without `i`).
    pub fn of(&self, i: usize) -> &[u32] {
        &self.list[self.first[i] as usize..self.first[i + 1] as usize]
    }
}

/// Significance at 99/95/90 % confidence, signed: +3 … −3, 0 when not significant.
pub fn bin(z: f64, p: f64, cutoffs: [f64; 3]) -> i8 {
    // How many of the levels (99, 95, 90 %) the p-value passes: it passes the looser ones too.
    let level = cutoffs.iter().filter(|c| p <= **c).count() as i8;
    if z >= 0.0 { level } else { -level }
}

/// The confidence levels of the bins, as significance levels.
pub const ALPHAS: [f64; 3] = [0.01, 0.05, 0.10];

/// One place's statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GiStar {
    pub z: f64,
    pub p: f64,
    /// +3/+2/+1: hot spot at 99/95/90 % confidence; negative: cold; 0: neither.
    pub bin: i8,
}

/// Gi* for every place. With `fdr`, each confidence level's cut-off is the Benjamini–Hochberg
/// one over all places (a place is significant at a level only if it passes the corrected
/// cut-off).
pub fn gi_star(values: &[f64], w: &Neighbours, fdr: bool) -> Vec<GiStar> {
    let n = values.len();
    assert_eq!(n, w.len(), "one neighbour list per value");
    if n < 2 {
        return vec![
            GiStar {
                z: 0.0,
                p: 1.0,
                bin: 0
            };
            n
        ];
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let s = (values.iter().map(|x| x * x).sum::<f64>() / nf - mean * mean)
        .max(0.0)
        .sqrt();
    let zs: Vec<f64> = (0..n)
        .map(|i| {
            let nb = w.of(i);
            let wi = (nb.len() + 1) as f64;
            let sum = values[i] + nb.iter().map(|&j| values[j as usize]).sum::<f64>();
            // Binary weights: S1 = W.
            let denom = s * ((nf * wi - wi * wi) / (nf - 1.0)).sqrt();
            if denom > 0.0 {
                (sum - mean * wi) / denom
            } else {
                0.0
            }
        })
        .collect();
    let ps: Vec<f64> = zs.iter().map(|z| two_sided_p(*z)).collect();
    let cutoffs = if fdr {
        ALPHAS.map(|a| benjamini_hochberg_cutoff(&ps, a))
    } else {
        ALPHAS
    };
    zs.iter()
        .zip(&ps)
        .map(|(&z, &p)| GiStar {
            z,
            p,
            bin: bin(z, p, cutoffs),
        })
        .collect()
}

/// The largest p-value still significant at false discovery rate `alpha` (0 when none is).
pub fn benjamini_hochberg_cutoff(ps: &[f64], alpha: f64) -> f64 {
    let mut sorted: Vec<f64> = ps.to_vec();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .rev()
        .find(|(k, p)| **p <= (*k as f64 + 1.0) / m * alpha)
        .map_or(0.0, |(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DESIGN §8's test vector.
    const LATTICE: [f64; 25] = [
        1.0, 2.0, 1.0, 0.0, 1.0, //
        2.0, 8.0, 9.0, 3.0, 1.0, //
        1.0, 9.0, 12.0, 4.0, 0.0, //
        0.0, 3.0, 4.0, 1.0, 0.0, //
        1.0, 0.0, 0.0, 1.0, 2.0,
    ];

    #[test]
    fn the_design_test_vector_is_reproduced() {
        let g = gi_star(&LATTICE, &Neighbours::queen_lattice(5, 5), false);
        assert!((g[12].z - 3.661_229_389_5).abs() < 1e-9, "{}", g[12].z);
        assert!((g[0].z - 0.400_019_351).abs() < 1e-9, "{}", g[0].z);
        assert_eq!(g[12].bin, 3);
        assert_eq!(g[0].bin, 0);
    }

    #[test]
    fn fdr_is_stricter_than_the_plain_cut_offs() {
        let g = gi_star(&LATTICE, &Neighbours::queen_lattice(5, 5), false);
        let f = gi_star(&LATTICE, &Neighbours::queen_lattice(5, 5), true);
        for (a, b) in g.iter().zip(&f) {
            assert!(b.bin.abs() <= a.bin.abs());
            assert_eq!(a.z, b.z);
        }
        // Sorted 0.01, 0.03, 0.04, 0.5 against 0.0125, 0.025, 0.0375, 0.05: only 0.01 passes.
        assert_eq!(
            benjamini_hochberg_cutoff(&[0.01, 0.04, 0.03, 0.5], 0.05),
            0.01
        );
        assert_eq!(
            benjamini_hochberg_cutoff(&[0.01, 0.02, 0.03, 0.04], 0.05),
            0.04
        );
        assert_eq!(benjamini_hochberg_cutoff(&[0.2, 0.5], 0.05), 0.0);
    }

    #[test]
    fn a_flat_surface_has_no_hot_spots() {
        let g = gi_star(&[3.0; 9], &Neighbours::queen_lattice(3, 3), false);
        assert!(g.iter().all(|s| s.z == 0.0 && s.bin == 0));
    }

    #[test]
    fn self_listed_neighbours_count_once() {
        let a = Neighbours::from_lists(&[vec![0, 1], vec![0]]);
        assert_eq!(a.of(0), &[1]);
        assert_eq!(a.of(1), &[0]);
    }
}
