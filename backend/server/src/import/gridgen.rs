//! Grid cells generated as squares of a chosen size, clipped to communities and coded in the
//! national scheme: community code followed by a sequence numbered west→east, north→south.

use citygrid_core::features::{Community, Grid};
use citygrid_core::ids::GridCode;
use geo::{Area, BooleanOps, BoundingRect, MultiPolygon, Rect, coord};

use crate::projection::LocalProjection;

/// How grid codes are built: the community's code followed by a zero-padded sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCodeScheme {
    /// Digits of the community code (district 6 + sub-district 3 + community 3 nationally).
    pub community_digits: usize,
    /// Digits of the cell sequence within a community.
    pub sequence_digits: usize,
}

impl Default for GridCodeScheme {
    fn default() -> Self {
        Self {
            community_digits: 12,
            sequence_digits: 3,
        }
    }
}

/// Why cells could not be generated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GridGenError {
    #[error("grid size must be between 10 and 5000 metres, got {0}")]
    BadSize(String),
    #[error("community code {code:?} must have {expected} digits to prefix grid codes")]
    BadCommunityCode { code: String, expected: usize },
    #[error(
        "community {code} needs {cells} cells but a {digits}-digit sequence allows {max}; choose a larger grid size"
    )]
    TooManyCells {
        code: String,
        cells: usize,
        digits: usize,
        max: usize,
    },
    #[error(
        "community {code} spans {cols} × {rows} squares of {size_m} m, more than the {max} one community may be tested against; look for stray points far away, or choose a larger grid size"
    )]
    TooLarge {
        code: String,
        cols: i64,
        rows: i64,
        size_m: String,
        max: i64,
    },
}

/// The most squares one community's bounding box may hold: about a hundred times the cells a
/// community may have, so an odd shape still fits, while a stray far-away point cannot make
/// generation run for hours.
pub const MAX_SQUARES: i64 = 100_000;

/// Pieces of a square smaller than this share of the square's area are dropped as slivers
/// (they stay uncovered and are reported by the gap check).
const MIN_PIECE_SHARE: f64 = 0.001;

/// Generates square cells of `size_m` metres over each community, on one lattice for the whole
/// district (anchored at the projection's centre), clipped to the community.
pub fn generate_grid(
    communities: &[Community],
    size_m: f64,
    proj: &LocalProjection,
    scheme: GridCodeScheme,
) -> Result<Vec<Grid>, GridGenError> {
    if !(10.0..=5000.0).contains(&size_m) {
        return Err(GridGenError::BadSize(size_m.to_string()));
    }
    let max = 10_usize.pow(scheme.sequence_digits as u32) - 1;
    let mut grids = Vec::new();
    for community in communities {
        let code = community.code.as_str();
        if code.len() != scheme.community_digits || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GridGenError::BadCommunityCode {
                code: code.to_owned(),
                expected: scheme.community_digits,
            });
        }
        let shape = proj.project_geom(&community.geometry);
        let Some(bounds) = shape.bounding_rect() else {
            continue;
        };
        let col0 = (bounds.min().x / size_m).floor() as i64;
        let col1 = (bounds.max().x / size_m).ceil() as i64;
        let row0 = (bounds.min().y / size_m).floor() as i64;
        let row1 = (bounds.max().y / size_m).ceil() as i64;
        let (cols, rows) = (col1.saturating_sub(col0), row1.saturating_sub(row0));
        if cols.saturating_mul(rows) > MAX_SQUARES {
            return Err(GridGenError::TooLarge {
                code: code.to_owned(),
                cols,
                rows,
                size_m: size_m.to_string(),
                max: MAX_SQUARES,
            });
        }
        let mut pieces = Vec::new();
        // North→south rows, west→east within a row.
        for row in (row0..row1).rev() {
            for col in col0..col1 {
                let (x, y) = (col as f64 * size_m, row as f64 * size_m);
                let square = MultiPolygon::new(vec![
                    Rect::new(
                        coord! { x: x, y: y },
                        coord! { x: x + size_m, y: y + size_m },
                    )
                    .to_polygon(),
                ]);
                let piece = shape.intersection(&square);
                if piece.unsigned_area() >= MIN_PIECE_SHARE * size_m * size_m {
                    pieces.push(piece);
                }
            }
        }
        if pieces.len() > max {
            return Err(GridGenError::TooManyCells {
                code: code.to_owned(),
                cells: pieces.len(),
                digits: scheme.sequence_digits,
                max,
            });
        }
        for (seq, piece) in pieces.into_iter().enumerate() {
            let digits = scheme.sequence_digits;
            grids.push(Grid {
                code: GridCode::from(format!("{code}{:0digits$}", seq + 1)),
                name: None,
                community: Some(community.code.clone()),
                geometry: proj.unproject_geom(&piece),
                attributes: Default::default(),
            });
        }
    }
    Ok(grids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygrid_core::LonLat;
    use citygrid_core::ids::CommunityCode;
    use geo::Centroid;

    fn community(proj: &LocalProjection, code: &str, w: f64, h: f64) -> Community {
        let r = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: w, y: h });
        Community {
            code: CommunityCode::from(code),
            name: "测试社区".into(),
            subdistrict: None,
            geometry: proj.unproject_geom(&MultiPolygon::new(vec![r.to_polygon()])),
            attributes: Default::default(),
        }
    }

    #[test]
    fn a_community_spread_over_a_continent_is_refused_at_once() {
        let proj = LocalProjection::new(LonLat {
            lon: 116.8,
            lat: 33.95,
        });
        // 2,000 km × 1,000 km: 200 million squares of 100 m (found by fuzzing an OSM extract
        // with one node moved far away; generation ran for hours).
        let c = community(&proj, "340602001001", 2.0e6, 1.0e6);
        let e = generate_grid(&[c], 100.0, &proj, GridCodeScheme::default()).unwrap_err();
        assert!(matches!(e, GridGenError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("stray points"), "{e}");
    }

    #[test]
    fn cells_are_coded_west_to_east_then_north_to_south() {
        let proj = LocalProjection::new(LonLat {
            lon: 116.8,
            lat: 33.95,
        });
        let c = community(&proj, "340602001001", 250.0, 200.0);
        let grids = generate_grid(&[c], 100.0, &proj, GridCodeScheme::default()).unwrap();
        assert_eq!(grids.len(), 6);
        let centre = |i: usize| proj.project(grids[i].geometry.centroid().unwrap().into());
        assert_eq!(grids[0].code.as_str(), "340602001001001");
        assert!(centre(0).y > centre(3).y, "first row is the northern one");
        assert!(centre(0).x < centre(1).x && centre(1).x < centre(2).x);
        // The eastern column is clipped to 50 m.
        let area = proj.project_geom(&grids[2].geometry).unsigned_area();
        assert!((area - 5000.0).abs() < 1.0, "{area}");
    }

    #[test]
    fn code_scheme_is_validated() {
        let proj = LocalProjection::new(LonLat {
            lon: 116.8,
            lat: 33.95,
        });
        let c = community(&proj, "12", 100.0, 100.0);
        assert!(matches!(
            generate_grid(&[c], 100.0, &proj, GridCodeScheme::default()),
            Err(GridGenError::BadCommunityCode { .. })
        ));
        let big = community(&proj, "340602001001", 1000.0, 1000.0);
        let scheme = GridCodeScheme {
            community_digits: 12,
            sequence_digits: 1,
        };
        assert!(matches!(
            generate_grid(&[big], 100.0, &proj, scheme),
            Err(GridGenError::TooManyCells { cells: 100, .. })
        ));
    }
}
