//! Checks on a grid layer as a whole: cells overlapping each other beyond a tolerance, and gaps
//! that the cells leave inside a community. These are reported as warnings with the import.

use citygrid_core::features::{Community, Grid};
use geo::{Area, BooleanOps, BoundingRect, MultiPolygon, unary_union};
use rstar::{AABB, RTree, primitives::GeomWithData};

use crate::projection::LocalProjection;

/// Overlaps and gaps are ignored below this many square metres, or below a band of
/// `EDGE_TOLERANCE_M` along the shape's boundary, whichever is larger: coordinates stored to
/// seven decimals (about a centimetre) leave slivers of that size along shared edges.
pub const AREA_TOLERANCE_M2: f64 = 1.0;
pub const EDGE_TOLERANCE_M: f64 = 0.01;

fn tolerance(mp: &MultiPolygon) -> f64 {
    let perimeter: f64 =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(geo::LineString::lines)
            .map(|l| (l.end.x - l.start.x).hypot(l.end.y - l.start.y))
            .sum();
    AREA_TOLERANCE_M2.max(perimeter * EDGE_TOLERANCE_M)
}

fn envelope(mp: &MultiPolygon) -> Option<AABB<[f64; 2]>> {
    let r = mp.bounding_rect()?;
    Some(AABB::from_corners(
        [r.min().x, r.min().y],
        [r.max().x, r.max().y],
    ))
}

/// Lists cells that overlap each other and communities their cells do not cover.
pub fn check_grid_layer(
    grids: &[Grid],
    communities: &[Community],
    proj: &LocalProjection,
) -> Vec<String> {
    let projected: Vec<MultiPolygon> = grids
        .iter()
        .map(|g| proj.project_geom(&g.geometry))
        .collect();
    let mut warnings = Vec::new();
    let tree = RTree::bulk_load(
        projected
            .iter()
            .enumerate()
            .filter_map(|(i, mp)| {
                envelope(mp)
                    .map(|e| GeomWithData::new(rstar::primitives::Rectangle::from_aabb(e), i))
            })
            .collect(),
    );
    for (i, mp) in projected.iter().enumerate() {
        let Some(env) = envelope(mp) else { continue };
        for other in tree.locate_in_envelope_intersecting(&env) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let overlap = mp.intersection(&projected[j]).unsigned_area();
            if overlap > tolerance(mp).min(tolerance(&projected[j])) {
                warnings.push(format!(
                    "grid cells {} and {} overlap by {overlap:.1} m²",
                    grids[i].code, grids[j].code
                ));
            }
        }
    }
    for community in communities {
        let cells: Vec<&MultiPolygon> = grids
            .iter()
            .zip(&projected)
            .filter(|(g, _)| g.community.as_ref() == Some(&community.code))
            .map(|(_, p)| p)
            .collect();
        if cells.is_empty() {
            continue;
        }
        let shape = proj.project_geom(&community.geometry);
        let covered = unary_union(cells.iter().flat_map(|mp| mp.0.iter()));
        let gap = shape.difference(&covered).unsigned_area();
        if gap > tolerance(&shape) {
            warnings.push(format!(
                "community {} has {gap:.1} m² not covered by its grid cells",
                community.code
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygrid_core::LonLat;
    use citygrid_core::ids::{CommunityCode, GridCode};
    use geo::{Rect, coord};

    fn square(proj: &LocalProjection, x: f64, y: f64, size: f64) -> MultiPolygon {
        let r = Rect::new(coord! { x: x, y: y }, coord! { x: x + size, y: y + size });
        proj.unproject_geom(&MultiPolygon::new(vec![r.to_polygon()]))
    }

    #[test]
    fn reports_overlaps_and_gaps() {
        let proj = LocalProjection::new(LonLat {
            lon: 116.8,
            lat: 33.95,
        });
        let grid = |code: &str, x: f64| Grid {
            code: GridCode::from(code),
            name: None,
            community: Some(CommunityCode::from("C")),
            geometry: square(&proj, x, 0.0, 100.0),
            attributes: Default::default(),
        };
        let community = Community {
            code: CommunityCode::from("C"),
            name: "c".into(),
            subdistrict: None,
            geometry: MultiPolygon::new(vec![
                Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 300.0, y: 100.0 }).to_polygon(),
            ]),
            attributes: Default::default(),
        };
        let community = Community {
            geometry: proj.unproject_geom(&community.geometry),
            ..community
        };
        // A touches B (no overlap), C overlaps B by 10 m x 100 m, and 300..310 is uncovered... none: C ends at 290.
        let cells = [grid("A", 0.0), grid("B", 100.0), grid("C", 190.0)];
        let warnings = check_grid_layer(&cells, std::slice::from_ref(&community), &proj);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("grid cells B and C overlap by 1000"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("community C has 1000"),
            "{warnings:?}"
        );
        let tidy = [grid("A", 0.0), grid("B", 100.0), grid("C", 200.0)];
        assert!(check_grid_layer(&tidy, &[community], &proj).is_empty());
    }
}
