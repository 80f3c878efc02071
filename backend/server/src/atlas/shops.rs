//! Door-front responsibility (门责制): which shop answers for a point.
//!
//! Rules, in order: a shop whose explicit door-front polygon covers the point (the smallest, if
//! several do); else the nearest door within that shop's own radius on the same side of the same
//! street as the point; else the nearest door within its radius; else none.

use citygrid_core::api::{ShopRule, Side};
use citygrid_core::features::{Shop, ShopFront};
use geo::{Area, Coord, MultiPolygon};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::areas::AreaIndex;
use super::bucket_grid::BucketGrid;
use super::streets::{Snap, StreetIndex};

/// How far from a street a door (or a point asking for its shop) may be and still count as on
/// it. The same radius serves doors and points, so a point at a door sees that door's street.
pub const DOOR_STREET_RADIUS_M: f64 = super::locate::DEFAULT_STREET_RADIUS_M;

/// The shop a point belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShopMatch {
    pub shop: usize,
    pub rule: ShopRule,
    pub distance: f64,
}

#[derive(Debug, Default)]
pub struct ShopIndex {
    doors: RTree<GeomWithData<[f64; 2], u32>>,
    /// The doors again, and a bucket grid of the largest door radius over them.
    door_list: Vec<GeomWithData<[f64; 2], u32>>,
    door_grid: Option<BucketGrid>,
    /// Per shop: the street and side its door is on.
    door_street: Vec<Option<(u32, Side)>>,
    radii: Vec<f64>,
    max_radius: f64,
    areas: AreaIndex,
    area_shop: Vec<u32>,
    area_size: Vec<f64>,
    /// Per shop: a representative point in metres (the door, or the area's interior point).
    pub anchors: Vec<Coord>,
}

impl ShopIndex {
    pub fn new(shops: &[Shop], project: impl Fn(Coord) -> Coord, streets: &StreetIndex) -> Self {
        let mut doors = Vec::new();
        let mut door_street = Vec::with_capacity(shops.len());
        let mut areas = Vec::new();
        let mut area_shop = Vec::new();
        let mut anchors = Vec::with_capacity(shops.len());
        let radii: Vec<f64> = shops.iter().map(Shop::door_radius).collect();
        for (i, shop) in shops.iter().enumerate() {
            match &shop.front {
                ShopFront::Door(pt) => {
                    let c = project(pt.0);
                    doors.push(GeomWithData::new([c.x, c.y], i as u32));
                    door_street.push(
                        streets
                            .nearest(c, DOOR_STREET_RADIUS_M)
                            .map(|s| (s.street as u32, s.side)),
                    );
                    anchors.push(c);
                }
                ShopFront::Area(mp) => {
                    let projected = MultiPolygon::new(
                        mp.0.iter()
                            .map(|p| geo::MapCoords::map_coords(p, &project))
                            .collect(),
                    );
                    let anchor = geo::InteriorPoint::interior_point(&projected)
                        .map_or(Coord { x: 0.0, y: 0.0 }, |p| p.0);
                    anchors.push(anchor);
                    areas.push(projected);
                    area_shop.push(i as u32);
                    door_street.push(None);
                }
            }
        }
        let area_size = areas.iter().map(Area::unsigned_area).collect();
        let max_radius = shops
            .iter()
            .zip(&radii)
            .filter(|(s, _)| matches!(s.front, ShopFront::Door(_)))
            .map(|(_, r)| *r)
            .fold(0.0, f64::max);
        Self {
            door_grid: BucketGrid::new(
                &doors
                    .iter()
                    .map(|d| {
                        (
                            Coord {
                                x: d.geom()[0],
                                y: d.geom()[1],
                            },
                            Coord {
                                x: d.geom()[0],
                                y: d.geom()[1],
                            },
                        )
                    })
                    .collect::<Vec<_>>(),
                max_radius,
            ),
            door_list: doors.clone(),
            doors: RTree::bulk_load(doors),
            door_street,
            radii,
            max_radius,
            areas: AreaIndex::new(areas),
            area_shop,
            area_size,
            anchors,
        }
    }

    /// Bytes held by the door list and its bucket grid.
    pub fn heap_bytes(&self) -> usize {
        self.door_list.capacity() * 24 + self.door_grid.as_ref().map_or(0, BucketGrid::heap_bytes)
    }

    /// The shop whose door is nearest to `p` (in the metric plane), with the distance.
    pub fn nearest_door(&self, p: Coord) -> Option<(usize, f64)> {
        self.doors.nearest_neighbor(&[p.x, p.y]).map(|d| {
            (
                d.data as usize,
                (d.geom()[0] - p.x).hypot(d.geom()[1] - p.y),
            )
        })
    }

    /// The shop responsible for `p`, given the street the point snapped to (if any).
    pub fn assign(&self, p: Coord, snap: Option<&Snap>) -> Option<ShopMatch> {
        let by_area = self.areas.covering(p).min_by(|a, b| {
            self.area_size[a.0]
                .total_cmp(&self.area_size[b.0])
                .then(a.0.cmp(&b.0))
        });
        if let Some((a, _)) = by_area {
            return Some(ShopMatch {
                shop: self.area_shop[a] as usize,
                rule: ShopRule::DoorFrontArea,
                distance: 0.0,
            });
        }
        if self.max_radius <= 0.0 {
            return None;
        }
        let here = snap.map(|s| (s.street as u32, s.side));
        let mut same_side: Option<(usize, f64)> = None;
        let mut nearest: Option<(usize, f64)> = None;
        let within = |door: &GeomWithData<[f64; 2], u32>| {
            (
                door.data as usize,
                (door.geom()[0] - p.x).hypot(door.geom()[1] - p.y),
            )
        };
        let candidates: Box<dyn Iterator<Item = (usize, f64)>> = match &self.door_grid {
            // Each door sits in one bucket, so the grid lists it once.
            Some(grid) => Box::new(grid.around(p).map(|i| within(&self.door_list[i as usize]))),
            None => Box::new(
                self.doors
                    .locate_within_distance([p.x, p.y], self.max_radius * self.max_radius)
                    .map(within),
            ),
        };
        for (shop, d) in candidates {
            if d > self.radii[shop] {
                continue;
            }
            let better = |best: Option<(usize, f64)>| {
                best.is_none_or(|(bs, bd)| d < bd || d == bd && shop < bs)
            };
            if better(nearest) {
                nearest = Some((shop, d));
            }
            if here.is_some() && self.door_street[shop] == here && better(same_side) {
                same_side = Some((shop, d));
            }
        }
        if let Some((shop, distance)) = same_side {
            return Some(ShopMatch {
                shop,
                rule: ShopRule::SameSideDoor,
                distance,
            });
        }
        nearest.map(|(shop, distance)| ShopMatch {
            shop,
            rule: ShopRule::NearestDoor,
            distance,
        })
    }
}
