//! Emerging hot spots over a space-time cube (places × time steps).
//!
//! Each bin's Gi* uses as neighbours the place itself and its spatial neighbours, in the same
//! time step and in the previous one; mean and deviation are over every bin of the cube. Each
//! place's series of z-scores gets a Mann-Kendall test. A bin is hot when its Gi* is
//! significant at 90 % with z > 0 (cold: z < 0).
//!
//! The categories, and how ties are broken — checked in this order:
//! 1. The final step is hot:
//!    - hot in ≥ 90 % of the steps: **intensifying** when the trend is significant (p < 0.05)
//!      and upwards, **diminishing** when significant and downwards, else **persistent**;
//!    - otherwise hot only in the final step: **new**;
//!    - otherwise, cold in any earlier step: **oscillating** (before consecutive and sporadic);
//!    - otherwise, the hot steps are one unbroken run ending at the final step: **consecutive**;
//!    - otherwise: **sporadic**.
//! 2. The final step is cold: the same, mirrored (*intensifying cold* when the trend is
//!    significant and downwards, …).
//! 3. The final step is neither: **historical** when hot in ≥ 90 % of the steps, **historical
//!    cold** when cold in ≥ 90 %, otherwise **no pattern**.
//!
//! "≥ 90 %" counts steps, rounding up: 9 of 10, 47 of 52.

use crate::heavy::{Budget, Stopped};
use serde::Serialize;

use super::gistar::{GiStar, Neighbours, gi_star};
use super::mann_kendall::{MannKendall, mann_kendall};

pub use citygrid_core::api::analytics::EmergingCategory as Category;

/// The significance a trend needs to make a place intensifying or diminishing.
pub const TREND_ALPHA: f64 = 0.05;
/// The share of steps a place must be hot (or cold) in to be persistent (or historical).
pub const MOSTLY: f64 = 0.9;

/// One place's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Emerging {
    pub category: Category,
    pub trend: MannKendall,
    /// The bins of each time step, oldest first.
    pub bins: Vec<i8>,
}

/// Gi* for every bin of the cube `counts[t][i]` (time step `t`, place `i`).
pub fn space_time_gi(counts: &[Vec<f64>], w: &Neighbours, fdr: bool) -> Vec<Vec<GiStar>> {
    let steps = counts.len();
    let n = w.len();
    let values: Vec<f64> = counts.iter().flat_map(|c| c.iter().copied()).collect();
    assert_eq!(values.len(), steps * n, "every step counts every place");
    let lists: Vec<Vec<u32>> = (0..steps)
        .flat_map(|t| {
            (0..n).map(move |i| {
                let here = std::iter::once(i as u32).chain(w.of(i).iter().copied());
                let mut l: Vec<u32> = here.clone().map(|j| (t * n) as u32 + j).collect();
                if t > 0 {
                    l.extend(here.map(|j| ((t - 1) * n) as u32 + j));
                }
                l
            })
        })
        .collect();
    let g = gi_star(&values, &Neighbours::from_lists(&lists), fdr);
    g.chunks(n.max(1)).map(<[GiStar]>::to_vec).collect()
}

fn mostly(count: usize, steps: usize) -> bool {
    count as f64 >= (MOSTLY * steps as f64).ceil() - 1e-9
}

/// The category of one place from its bins (oldest first) and its trend.
pub fn classify(bins: &[i8], trend: &MannKendall) -> Category {
    let Some(&last) = bins.last() else {
        return Category::NoPattern;
    };
    let steps = bins.len();
    let hot = bins.iter().filter(|b| **b > 0).count();
    let cold = bins.iter().filter(|b| **b < 0).count();
    let significant = trend.p < TREND_ALPHA;
    // (side count, opposite seen before, trend towards the side, categories for the side)
    let side = |count: usize, up: bool, names: [Category; 7]| {
        let [
            intensifying,
            diminishing,
            persistent,
            new,
            oscillating,
            consecutive,
            sporadic,
        ] = names;
        let toward = if up { trend.z > 0.0 } else { trend.z < 0.0 };
        let same = |b: i8| if up { b > 0 } else { b < 0 };
        if mostly(count, steps) {
            return match (significant, toward) {
                (true, true) => intensifying,
                (true, false) => diminishing,
                (false, _) => persistent,
            };
        }
        if count == 1 {
            return new;
        }
        if bins[..steps - 1].iter().any(|&b| b != 0 && !same(b)) {
            return oscillating;
        }
        let run = bins.iter().rev().take_while(|&&b| same(b)).count();
        if run == count && run >= 2 {
            consecutive
        } else {
            sporadic
        }
    };
    if last > 0 {
        side(
            hot,
            true,
            [
                Category::Intensifying,
                Category::Diminishing,
                Category::Persistent,
                Category::New,
                Category::Oscillating,
                Category::Consecutive,
                Category::Sporadic,
            ],
        )
    } else if last < 0 {
        side(
            cold,
            false,
            [
                Category::IntensifyingCold,
                Category::DiminishingCold,
                Category::PersistentCold,
                Category::NewCold,
                Category::OscillatingCold,
                Category::ConsecutiveCold,
                Category::SporadicCold,
            ],
        )
    } else if mostly(hot, steps) {
        Category::Historical
    } else if mostly(cold, steps) {
        Category::HistoricalCold
    } else {
        Category::NoPattern
    }
}

/// Every place's category over the cube `counts[t][i]`.
pub fn emerging(
    counts: &[Vec<f64>],
    w: &Neighbours,
    budget: &Budget,
) -> Result<Vec<Emerging>, Stopped> {
    budget.check()?;
    let g = space_time_gi(counts, w, false);
    (0..w.len())
        .map(|i| {
            // The trend test grows with the square of the slices: look at the clock per place.
            budget.check()?;
            let zs: Vec<f64> = g.iter().map(|step| step[i].z).collect();
            let bins: Vec<i8> = g.iter().map(|step| step[i].bin).collect();
            let trend = mann_kendall(&zs);
            Ok(Emerging {
                category: classify(&bins, &trend),
                trend,
                bins,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(z: f64, p: f64) -> MannKendall {
        MannKendall {
            s: 0,
            var_s: 1.0,
            z,
            p,
        }
    }
    const FLAT: (f64, f64) = (0.0, 1.0);
    const UP: (f64, f64) = (3.0, 0.001);
    const DOWN: (f64, f64) = (-3.0, 0.001);

    fn cat(bins: &[i8], (z, p): (f64, f64)) -> Category {
        classify(bins, &trend(z, p))
    }

    #[test]
    fn every_category_and_its_tie_breaks() {
        use Category as C;
        let ten = |b: [i8; 10]| b;
        assert_eq!(cat(&ten([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]), FLAT), C::New);
        assert_eq!(
            cat(&ten([0, 0, 0, 0, 0, 0, 0, 1, 2, 3]), FLAT),
            C::Consecutive
        );
        // A run of one is new, not consecutive.
        assert_eq!(cat(&ten([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), UP), C::New);
        assert_eq!(
            cat(&ten([1, 1, 2, 2, 2, 3, 3, 3, 3, 3]), UP),
            C::Intensifying
        );
        assert_eq!(
            cat(&ten([0, 1, 2, 2, 2, 3, 3, 3, 3, 3]), FLAT),
            C::Persistent
        );
        assert_eq!(
            cat(&ten([3, 3, 3, 3, 2, 2, 2, 1, 1, 1]), DOWN),
            C::Diminishing
        );
        // 9 of 10 hot, final hot: the trend decides, not the gap.
        assert_eq!(
            cat(&ten([3, 3, 3, 0, 3, 3, 3, 3, 3, 3]), FLAT),
            C::Persistent
        );
        assert_eq!(cat(&ten([0, 1, 0, 1, 0, 0, 1, 0, 0, 1]), FLAT), C::Sporadic);
        // Hot at the end after a gap is sporadic, not consecutive.
        assert_eq!(cat(&ten([0, 1, 0, 0, 0, 0, 0, 0, 1, 1]), FLAT), C::Sporadic);
        // Cold before: oscillating wins over consecutive and sporadic.
        assert_eq!(
            cat(&ten([-1, 0, 0, 0, 0, 0, 0, 0, 1, 1]), FLAT),
            C::Oscillating
        );
        assert_eq!(
            cat(&ten([3, 3, 3, 3, 3, 3, 3, 3, 3, 0]), FLAT),
            C::Historical
        );
        assert_eq!(
            cat(&ten([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), FLAT),
            C::NoPattern
        );
        assert_eq!(
            cat(&ten([0, 0, 3, 0, 0, 0, 0, 0, 0, 0]), FLAT),
            C::NoPattern
        );
        // The cold twins.
        assert_eq!(cat(&ten([0, 0, 0, 0, 0, 0, 0, 0, 0, -2]), FLAT), C::NewCold);
        assert_eq!(
            cat(&ten([0, 0, 0, 0, 0, 0, 0, 0, -1, -1]), FLAT),
            C::ConsecutiveCold
        );
        assert_eq!(cat(&ten([-1; 10]), DOWN), C::IntensifyingCold);
        assert_eq!(cat(&ten([-1; 10]), UP), C::DiminishingCold);
        assert_eq!(cat(&ten([-1; 10]), FLAT), C::PersistentCold);
        assert_eq!(
            cat(&ten([0, -1, 0, -1, 0, 0, 0, 0, 0, -1]), FLAT),
            C::SporadicCold
        );
        assert_eq!(
            cat(&ten([1, 0, 0, 0, 0, 0, 0, 0, -1, -1]), FLAT),
            C::OscillatingCold
        );
        assert_eq!(
            cat(&ten([-1, -1, -1, -1, -1, -1, -1, -1, -1, 0]), FLAT),
            C::HistoricalCold
        );
        // 90 % of 52 steps is 47 (rounded up).
        let mut bins = vec![1_i8; 52];
        for b in bins.iter_mut().take(5) {
            *b = 0;
        }
        assert_eq!(cat(&bins, FLAT), C::Persistent);
        bins[5] = 0;
        assert_ne!(cat(&bins, FLAT), C::Persistent);
    }

    #[test]
    fn a_place_heating_up_is_found_in_the_cube() {
        // 5×5 places, 10 steps: the centre grows from nothing to many cases; the rest stay low.
        let w = Neighbours::queen_lattice(5, 5);
        let counts: Vec<Vec<f64>> = (0..10)
            .map(|t| {
                (0..25)
                    .map(|i| {
                        if i == 12 || i == 13 {
                            f64::from(t) * 3.0
                        } else {
                            f64::from((i * 7 + t) % 3)
                        }
                    })
                    .collect()
            })
            .collect();
        let e = emerging(&counts, &w, &Budget::unlimited()).unwrap();
        assert!(e[12].trend.z > 0.0 && e[12].trend.p < 0.05, "{:?}", e[12]);
        assert!(
            matches!(
                e[12].category,
                Category::Consecutive | Category::Intensifying
            ),
            "{:?}",
            e[12]
        );
        assert_eq!(e[0].bins.len(), 10);
        assert!(!matches!(
            e[0].category,
            Category::Intensifying | Category::Persistent
        ));
    }
}
