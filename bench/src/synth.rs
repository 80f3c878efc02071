//! A generated city-size district for benchmarks: 10,000 grid cells of 8–12 vertices, 100
//! communities, 202 streets of 20,200 segments, 100,000 shops, and random points over it.
//!
//! Cells tile a 10 km × 10 km square without gaps or overlaps: every cell edge is split into two
//! or three pieces whose inner points are pushed a few metres off the line (the same points for
//! both cells that share the edge); edges on community boundaries stay straight.

use citygrid_core::LonLat;
use citygrid_core::features::{
    BaseLayers, Community, Grid, NumberRange, Shop, ShopFront, Street, Zone,
};
use citygrid_core::ids::{CommunityCode, GridCode, ShopCode, StreetId, ZoneId};
use citygrid_core::zone::ZoneLevel;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Point, Polygon, Rect};

use citygrid::projection::LocalProjection;
use citygrid::rng::Rng;

/// Cells per side (the city has `CELLS × CELLS` cells).
pub const CELLS: usize = 100;
pub const CELL_M: f64 = 100.0;
/// Cells per side of a community.
const COMMUNITY_CELLS: usize = 10;
pub const CENTRE: LonLat = LonLat {
    lon: 117.0,
    lat: 32.0,
};

/// A number in [0, 1) that only `a`, `b` and `salt` decide.
fn unit(a: u64, b: u64, salt: u64) -> f64 {
    Rng::keyed(Rng::keyed(salt, a).next_u64(), b).unit()
}

fn origin() -> f64 {
    -(CELLS as f64) * CELL_M / 2.0
}

/// The inner points of the edge from lattice corner `a` to `b` (horizontal or vertical).
fn edge_points(a: (usize, usize), b: (usize, usize)) -> Vec<Coord> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let horizontal = lo.1 == hi.1;
    let on_boundary = if horizontal {
        lo.1 % COMMUNITY_CELLS == 0
    } else {
        lo.0 % COMMUNITY_CELLS == 0
    };
    let key = (lo.0 * (CELLS + 1) + lo.1) as u64 * 2 + u64::from(horizontal);
    let pieces = 2 + usize::from(unit(key, 1, 7) < 0.5);
    let at = |c: (usize, usize)| Coord {
        x: origin() + c.0 as f64 * CELL_M,
        y: origin() + c.1 as f64 * CELL_M,
    };
    let (p, q) = (at(lo), at(hi));
    let mut pts: Vec<Coord> = (1..pieces)
        .map(|k| {
            let t = k as f64 / pieces as f64;
            let offset = if on_boundary {
                0.0
            } else {
                (unit(key, k as u64, 11) - 0.5) * 12.0
            };
            let base = p + (q - p) * t;
            if horizontal {
                Coord {
                    x: base.x,
                    y: base.y + offset,
                }
            } else {
                Coord {
                    x: base.x + offset,
                    y: base.y,
                }
            }
        })
        .collect();
    if a > b {
        pts.reverse();
    }
    pts
}

fn cell_polygon(i: usize, j: usize) -> Polygon {
    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
    let at = |c: (usize, usize)| Coord {
        x: origin() + c.0 as f64 * CELL_M,
        y: origin() + c.1 as f64 * CELL_M,
    };
    let mut ring = Vec::with_capacity(13);
    for k in 0..4 {
        let (a, b) = (corners[k], corners[(k + 1) % 4]);
        ring.push(at(a));
        ring.extend(edge_points(a, b));
    }
    ring.push(at(corners[0]));
    Polygon::new(LineString::new(ring), vec![])
}

/// The city's layers, in WGS 84 around [`CENTRE`].
pub fn city() -> BaseLayers {
    let proj = LocalProjection::new(CENTRE);
    let to_deg = |c: Coord| -> Coord { proj.unproject(c).into() };
    let deg = |p: &Polygon| MultiPolygon::new(vec![proj.unproject_geom(p)]);
    let mut base = BaseLayers::default();
    let per = CELLS / COMMUNITY_CELLS;
    for cj in 0..per {
        for ci in 0..per {
            let (x0, y0) = (
                origin() + (ci * COMMUNITY_CELLS) as f64 * CELL_M,
                origin() + (cj * COMMUNITY_CELLS) as f64 * CELL_M,
            );
            let span = COMMUNITY_CELLS as f64 * CELL_M;
            let rect = Rect::new(
                Coord { x: x0, y: y0 },
                Coord {
                    x: x0 + span,
                    y: y0 + span,
                },
            )
            .to_polygon();
            base.communities.push(Community {
                code: CommunityCode::from(format!("999999{:03}{:03}", cj + 1, ci + 1)),
                name: format!("第{}社区", cj * per + ci + 1),
                subdistrict: Some(format!("第{}街道", cj + 1)),
                geometry: deg(&rect),
                attributes: Default::default(),
            });
        }
    }
    for j in 0..CELLS {
        for i in 0..CELLS {
            let community = (j / COMMUNITY_CELLS) * per + i / COMMUNITY_CELLS;
            let seq = (j % COMMUNITY_CELLS) * COMMUNITY_CELLS + i % COMMUNITY_CELLS + 1;
            base.grids.push(Grid {
                code: GridCode::from(format!("{}{seq:03}", base.communities[community].code)),
                name: None,
                community: Some(base.communities[community].code.clone()),
                geometry: deg(&cell_polygon(i, j)),
                attributes: Default::default(),
            });
        }
    }
    // Streets on every lattice line, with a vertex at every crossing: 2 × 101 × 100 segments.
    let span = CELLS as f64 * CELL_M;
    for k in 0..=CELLS {
        let c = origin() + k as f64 * CELL_M;
        for horizontal in [true, false] {
            let pts: Vec<Coord> = (0..=CELLS)
                .map(|m| {
                    let t = origin() + m as f64 * CELL_M;
                    to_deg(if horizontal {
                        Coord { x: t, y: c }
                    } else {
                        Coord { x: c, y: t }
                    })
                })
                .collect();
            let n = (span / 10.0) as u32;
            base.streets.push(Street {
                id: StreetId(base.streets.len() as u32 + 1),
                name: if horizontal {
                    format!("纬{}路", k + 1)
                } else {
                    format!("经{}路", k + 1)
                },
                class: Some("primary".into()),
                left: Some(NumberRange {
                    from: 1,
                    to: 2 * n - 1,
                }),
                right: Some(NumberRange { from: 2, to: 2 * n }),
                geometry: MultiLineString::new(vec![LineString::new(pts)]),
                attributes: Default::default(),
            });
        }
    }
    // Ten shops per cell along its southern street, doors 8 m off the centre line.
    for j in 0..CELLS {
        for i in 0..CELLS {
            for k in 0..10 {
                let x = origin() + i as f64 * CELL_M + 5.0 + f64::from(k) * 9.0;
                let y = origin() + j as f64 * CELL_M + 8.0;
                let n = base.shops.len() + 1;
                base.shops.push(Shop::new(
                    ShopCode::from(format!("S{n:06}")),
                    format!("商户{n}"),
                    ShopFront::Door(Point::from(to_deg(Coord { x, y }))),
                ));
            }
        }
    }
    for z in 0..50_u64 {
        let (x, y) = (
            origin() + unit(z, 1, 3) * (span - 400.0),
            origin() + unit(z, 2, 3) * (span - 400.0),
        );
        let rect = Rect::new(
            Coord { x, y },
            Coord {
                x: x + 400.0,
                y: y + 300.0,
            },
        )
        .to_polygon();
        base.zones.push(Zone {
            id: ZoneId(z as u32 + 1),
            name: format!("管理区域{z}"),
            level: ZoneLevel::ALL[(z % 5) as usize],
            hours: (z % 5 == 4).then(|| "18:00-23:00".parse().ok()).flatten(),
            categories: Vec::new(),
            geometry: deg(&rect),
            attributes: Default::default(),
        });
    }
    base
}

/// A street lattice for routing benchmarks: `n` streets east–west and `n` north–south, `spacing`
/// metres apart with a few metres of jitter, each one straight piece, so that every junction is
/// a true crossing the graph must split (`2·n·(n−1)` edges). Every tenth street is primary,
/// every fifth secondary; one in seven is one-way.
pub fn street_lattice(n: usize, spacing: f64) -> Vec<Street> {
    let proj = LocalProjection::new(CENTRE);
    let half = n as f64 * spacing / 2.0;
    let mut streets = Vec::with_capacity(2 * n);
    for axis in 0..2 {
        for i in 0..n {
            let offset = -half + (i as f64 + 0.5) * spacing + (unit(i as u64, axis, 7) - 0.5) * 6.0;
            let (a, b) = if axis == 0 {
                (
                    Coord {
                        x: -half,
                        y: offset,
                    },
                    Coord { x: half, y: offset },
                )
            } else {
                (
                    Coord {
                        x: offset,
                        y: -half,
                    },
                    Coord { x: offset, y: half },
                )
            };
            let class = match i % 10 {
                0 => "primary",
                5 => "secondary",
                _ => "residential",
            };
            let mut attributes = serde_json::Map::new();
            if i % 7 == 3 {
                attributes.insert("oneway".into(), "yes".into());
            }
            streets.push(Street {
                id: StreetId(streets.len() as u32 + 1),
                name: format!("{}{}路", if axis == 0 { "东西" } else { "南北" }, i + 1),
                class: Some(class.to_owned()),
                left: None,
                right: None,
                geometry: MultiLineString::new(vec![LineString::new(vec![
                    proj.unproject(a).into(),
                    proj.unproject(b).into(),
                ])]),
                attributes,
            });
        }
    }
    streets
}

/// `n` points spread uniformly over the city (and a little beyond its edge).
pub fn points(n: usize, seed: u64) -> Vec<LonLat> {
    let proj = LocalProjection::new(CENTRE);
    let span = CELLS as f64 * CELL_M + 200.0;
    (0..n as u64)
        .map(|i| {
            proj.unproject(Coord {
                x: origin() - 100.0 + unit(i, seed, 1) * span,
                y: origin() - 100.0 + unit(i, seed, 2) * span,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;

    #[test]
    fn cells_have_8_to_12_vertices_and_are_valid() {
        for (i, j) in [(0, 0), (5, 7), (10, 10), (99, 99), (42, 3)] {
            let p = cell_polygon(i, j);
            let n = p.exterior().0.len() - 1;
            assert!((8..=12).contains(&n), "{n}");
            assert!(p.is_valid());
        }
    }
}

#[cfg(test)]
mod geocode_tests {
    use citygrid::atlas::{Atlas, GeocodeOptions};
    use citygrid_core::api::MatchKind;

    #[test]
    fn street_names_with_digits_geocode_by_number() {
        let atlas = Atlas::build(super::city(), chrono_tz::Asia::Shanghai);
        let found = atlas.geocode("纬5路123号", GeocodeOptions::default());
        assert_eq!(
            found.first().map(|c| c.kind),
            Some(MatchKind::Interpolated),
            "{found:?}"
        );
    }
}
