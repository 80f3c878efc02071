//! A heat surface: quartic (biweight) kernel density over points in the metric plane, on a
//! raster, with the search radius chosen by the usual rule when not given.

use crate::heavy::{Budget, Stopped};
use geo::Coord;

pub use citygrid_core::api::analytics::Surface;

/// The usual search radius (Silverman's rule as GIS packages apply it to points):
/// 0.9 · min(SD, √(1/ln 2) · Dm) · n^−0.2, with SD the standard distance and Dm the median
/// distance to the mean centre. `None` for fewer than two distinct points.
pub fn default_radius(points: &[Coord]) -> Option<f64> {
    let n = points.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean = points.iter().fold(Coord { x: 0.0, y: 0.0 }, |a, p| a + *p) / nf;
    let mut d: Vec<f64> = points
        .iter()
        .map(|p| (p.x - mean.x).hypot(p.y - mean.y))
        .collect();
    let sd = (d.iter().map(|x| x * x).sum::<f64>() / nf).sqrt();
    d.sort_by(f64::total_cmp);
    let dm = if n % 2 == 1 {
        d[n / 2]
    } else {
        f64::midpoint(d[n / 2 - 1], d[n / 2])
    };
    let r = 0.9 * sd.min((1.0 / std::f64::consts::LN_2).sqrt() * dm) * nf.powf(-0.2);
    (r > 0.0).then_some(r)
}

/// The density of `points` over the box `min`..`max`, cells of `cell_m`, kernel radius
/// `radius_m`. Each point adds 3/(π r²) · (1 − d²/r²)² within r (so each integrates to one).
pub fn quartic(
    points: &[Coord],
    min: Coord,
    max: Coord,
    cell_m: f64,
    radius_m: f64,
    budget: &Budget,
) -> Result<Surface, Stopped> {
    let cols = (((max.x - min.x) / cell_m).ceil() as usize).max(1);
    let rows = (((max.y - min.y) / cell_m).ceil() as usize).max(1);
    let mut values = vec![0.0_f64; cols * rows];
    let r2 = radius_m * radius_m;
    let norm = 3.0 / (std::f64::consts::PI * r2) * 1e6;
    let reach = (radius_m / cell_m).ceil() as i64;
    for (i, p) in points.iter().enumerate() {
        if i % 256 == 0 {
            budget.check()?;
        }
        let (pc, pr) = (
            ((p.x - min.x) / cell_m).floor() as i64,
            ((p.y - min.y) / cell_m).floor() as i64,
        );
        for row in (pr - reach).max(0)..=(pr + reach).min(rows as i64 - 1) {
            let cy = min.y + (row as f64 + 0.5) * cell_m;
            for col in (pc - reach).max(0)..=(pc + reach).min(cols as i64 - 1) {
                let cx = min.x + (col as f64 + 0.5) * cell_m;
                let d2 = (cx - p.x).powi(2) + (cy - p.y).powi(2);
                if d2 < r2 {
                    let u = 1.0 - d2 / r2;
                    values[row as usize * cols + col as usize] += norm * u * u;
                }
            }
        }
    }
    let max_value = values.iter().copied().fold(0.0, f64::max);
    Ok(Surface {
        origin: [min.x, min.y],
        cell_m,
        cols,
        rows,
        radius_m,
        max: max_value,
        values: values.into_iter().map(|v| v as f32).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_point_integrates_to_one_and_peaks_where_it_is() {
        let p = [Coord { x: 0.0, y: 0.0 }];
        let s = quartic(
            &p,
            Coord {
                x: -300.0,
                y: -300.0,
            },
            Coord { x: 300.0, y: 300.0 },
            5.0,
            200.0,
            &Budget::unlimited(),
        )
        .unwrap();
        let area_km2 = (s.cell_m / 1000.0).powi(2);
        let total: f64 = s.values.iter().map(|v| f64::from(*v) * area_km2).sum();
        assert!((total - 1.0).abs() < 0.01, "{total}");
        let peak = s
            .values
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        let (row, col) = (peak / s.cols, peak % s.cols);
        assert!((59..=60).contains(&row) && (59..=60).contains(&col));
        // Nothing beyond the radius.
        assert_eq!(s.values[0], 0.0);
    }

    #[test]
    fn the_default_radius_follows_the_spread() {
        let near: Vec<Coord> = (0..100)
            .map(|i| Coord {
                x: f64::from(i % 10),
                y: f64::from(i / 10),
            })
            .collect();
        let far: Vec<Coord> = near.iter().map(|c| *c * 100.0).collect();
        let (a, b) = (
            default_radius(&near).unwrap(),
            default_radius(&far).unwrap(),
        );
        assert!((b / a - 100.0).abs() < 1e-6);
        assert_eq!(default_radius(&near[..1]), None);
    }
}
