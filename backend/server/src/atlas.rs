//! The atlas: one immutable in-memory snapshot of the base layers, indexed for point queries.
//!
//! Every layer keeps its WGS 84 rows (to serve them) and projected copies in a local metric
//! plane (see [`crate::projection`]) with spatial indexes. A change of base data builds a new
//! `Atlas`; [`AtlasHandle`] swaps it in atomically and readers never lock.

mod areas;
mod bucket_grid;
mod cell_index;
pub mod derived;
mod geocode;
mod labels;
mod locate;
mod names;
mod parse;
mod shops;
mod streets;

use std::sync::Arc;

use arc_swap::ArcSwap;
use citygrid_core::LonLat;
use citygrid_core::features::BaseLayers;
use geo::{BoundingRect, Coord, MultiLineString, MultiPolygon, Rect};

pub use cell_index::CellHit;
pub use geocode::GeocodeOptions;
pub use locate::LocateOptions;

use areas::AreaIndex;
use cell_index::CellIndex;
use names::NameIndex;
use shops::ShopIndex;
use streets::StreetIndex;

use crate::projection::LocalProjection;

/// The indexed base layers.
#[derive(Debug)]
pub struct Atlas {
    base: BaseLayers,
    proj: LocalProjection,
    /// Grid cells in degrees, in code order; `cell_rows[i]` is the row in `base.grids`.
    /// Containment is decided in the input coordinates, so that a point on an edge two cells
    /// share is on both their boundaries exactly.
    cells: Vec<MultiPolygon>,
    cell_rows: Vec<usize>,
    cell_index: CellIndex,
    /// The same cells in metres, for the nearest cell to a point outside them all.
    cell_areas: AreaIndex,
    /// Communities and zones in degrees (containment only).
    communities: AreaIndex,
    zones: AreaIndex,
    streets: StreetIndex,
    shops: ShopIndex,
    names: NameIndex,
    labels: labels::Labels,
    timezone: chrono_tz::Tz,
}

/// The district's centre: the middle of the envelope of all grid cells and communities (or of
/// streets and shops when there are none).
pub fn district_centre(base: &BaseLayers) -> LonLat {
    let streets_and_shops = || {
        street_rects(base).chain(
            base.shops
                .iter()
                .filter_map(|s| s.front.to_geometry().bounding_rect()),
        )
    };
    envelope(area_rects(base))
        .or_else(|| envelope(streets_and_shops()))
        .map_or(LonLat { lon: 0.0, lat: 0.0 }, |r| {
            let c = r.center();
            LonLat { lon: c.x, lat: c.y }
        })
}

/// The envelope of the grid cells, communities and streets, if there are any.
pub fn district_extent(base: &BaseLayers) -> Option<Rect> {
    envelope(area_rects(base).chain(street_rects(base)))
}

fn area_rects(base: &BaseLayers) -> impl Iterator<Item = Rect> + '_ {
    base.grids
        .iter()
        .filter_map(|g| g.geometry.bounding_rect())
        .chain(
            base.communities
                .iter()
                .filter_map(|c| c.geometry.bounding_rect()),
        )
}

fn street_rects(base: &BaseLayers) -> impl Iterator<Item = Rect> + '_ {
    base.streets
        .iter()
        .filter_map(|s| s.geometry.bounding_rect())
}

fn envelope(rects: impl Iterator<Item = Rect>) -> Option<Rect> {
    rects.reduce(|a, b| {
        Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    })
}

impl Atlas {
    /// Builds the indexes over a district's layers, shown in `timezone`.
    pub fn build(base: BaseLayers, timezone: chrono_tz::Tz) -> Self {
        let proj = LocalProjection::new(district_centre(&base));
        let project = |c: Coord| proj.project(c.into());
        let mut cell_rows: Vec<usize> = (0..base.grids.len()).collect();
        cell_rows.sort_by(|&a, &b| base.grids[a].code.cmp(&base.grids[b].code));
        let cells: Vec<MultiPolygon> = cell_rows
            .iter()
            .map(|&i| base.grids[i].geometry.clone())
            .collect();
        let cell_index = CellIndex::new(&cells);
        let cell_areas = AreaIndex::new(cells.iter().map(|c| proj.project_geom(c)).collect());
        let communities = AreaIndex::new(
            base.communities
                .iter()
                .map(|c| c.geometry.clone())
                .collect(),
        );
        let zones = AreaIndex::new(base.zones.iter().map(|z| z.geometry.clone()).collect());
        let street_shapes: Vec<MultiLineString> = base
            .streets
            .iter()
            .map(|s| proj.project_geom(&s.geometry))
            .collect();
        let streets = StreetIndex::new(&base.streets, street_shapes);
        let shops = ShopIndex::new(&base.shops, project, &streets);
        let names = NameIndex::new(&base, &proj);
        let labels = labels::Labels::new(&base);
        Self {
            base,
            proj,
            cells,
            cell_rows,
            cell_index,
            cell_areas,
            communities,
            zones,
            streets,
            shops,
            names,
            labels,
            timezone,
        }
    }

    /// An atlas with no layers.
    pub fn empty() -> Self {
        Self::build(BaseLayers::default(), chrono_tz::Asia::Shanghai)
    }

    pub fn base(&self) -> &BaseLayers {
        &self.base
    }

    pub fn projection(&self) -> &LocalProjection {
        &self.proj
    }

    /// The community a grid cell (by code) belongs to.
    /// The code of the community a filter names by its code or by its name (`古城社区`), or the
    /// text itself when it names none (then it matches nothing).
    pub fn community_code<'a>(&'a self, code_or_name: &'a str) -> &'a str {
        let text = code_or_name.trim();
        self.base
            .communities
            .iter()
            .find(|c| c.code.as_str() == text)
            .or_else(|| self.base.communities.iter().find(|c| c.name == text))
            .map_or(text, |c| c.code.as_str())
    }

    /// The code of the grid cell a filter names by its code or by its name, or the text itself.
    pub fn grid_code<'a>(&'a self, code_or_name: &'a str) -> &'a str {
        let text = code_or_name.trim();
        self.base
            .grids
            .iter()
            .find(|g| g.code.as_str() == text)
            .or_else(|| {
                self.base
                    .grids
                    .iter()
                    .find(|g| g.name.as_deref() == Some(text))
            })
            .map_or(text, |g| g.code.as_str())
    }

    pub fn community_of_grid(&self, code: &str) -> Option<&str> {
        self.base
            .grids
            .iter()
            .find(|g| g.code.as_str() == code)
            .and_then(|g| {
                g.community
                    .as_ref()
                    .map(citygrid_core::ids::CommunityCode::as_str)
            })
    }

    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone
    }

    /// The grid cell containing a WGS 84 point: its row in `base().grids`.
    #[inline]
    pub fn grid_at(&self, p: LonLat) -> Option<(usize, bool)> {
        let c = Coord::from(p);
        self.cell_index
            .locate(c, &self.cells)
            .map(|h| (self.cell_rows[h.cell], h.on_boundary))
    }

    /// The shop with the nearest door to a WGS 84 point: its row in `base().shops` and the
    /// distance in metres. Not the responsibility rule (that is [`Atlas::locate`]): the plain
    /// nearest neighbour, for comparisons.
    pub fn nearest_door(&self, p: LonLat) -> Option<(usize, f64)> {
        self.shops.nearest_door(self.projection().project(p))
    }

    /// Brute force: tests every cell. For benchmarks and tests.
    pub fn grid_at_brute_force(&self, p: LonLat) -> Option<usize> {
        use geo::CoordinatePosition;
        use geo::coordinate_position::CoordPos;
        let c = Coord::from(p);
        self.cells
            .iter()
            .position(|cell| cell.coordinate_position(&c) != CoordPos::Outside)
            .map(|i| self.cell_rows[i])
    }

    /// Bytes held by the indexes and projected copies (an estimate: vectors and trees).
    pub fn index_bytes(&self) -> usize {
        let coords = |mp: &MultiPolygon| {
            mp.0.iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum::<usize>()
        };
        let polys: usize = self.cells.iter().map(coords).sum::<usize>() * 2
            + (0..self.communities.len())
                .map(|i| coords(self.communities.shape(i)))
                .sum::<usize>()
            + (0..self.zones.len())
                .map(|i| coords(self.zones.shape(i)))
                .sum::<usize>();
        let street_coords: usize = self
            .streets
            .shapes
            .iter()
            .map(|s| s.0.iter().map(|l| l.0.len()).sum::<usize>())
            .sum();
        polys * 16
            + street_coords * 16
            + self.streets.segment_count() * 56
            + self.base.shops.len() * 64
            + self.cell_index.heap_bytes()
            + self.streets.heap_bytes()
            + self.shops.heap_bytes()
            + self.names.heap_bytes()
    }
}

/// The current atlas, swapped atomically when base data changes.
#[derive(Debug, Clone)]
pub struct AtlasHandle(Arc<ArcSwap<Atlas>>);

impl AtlasHandle {
    pub fn new(atlas: Atlas) -> Self {
        Self(Arc::new(ArcSwap::from_pointee(atlas)))
    }

    /// The current snapshot; it stays valid for as long as the caller holds it.
    pub fn current(&self) -> Arc<Atlas> {
        self.0.load_full()
    }

    pub fn replace(&self, atlas: Atlas) {
        self.0.store(Arc::new(atlas));
    }
}
