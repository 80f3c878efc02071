//! Reverse geocoding: "who is responsible for this point?"

use chrono::{DateTime, Timelike, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::{
    CommunityHit, GridHit, Location, OutsideJurisdiction, ShopHit, StreetHit, ZoneHit,
};

use super::Atlas;

/// Tunables of a reverse-geocoding query.
#[derive(Debug, Clone, Copy)]
pub struct LocateOptions {
    /// How far to look for the nearest street, metres.
    pub street_radius_m: f64,
    /// The moment that decides whether zones' hours apply.
    pub at: DateTime<Utc>,
}

/// The default street search radius.
pub const DEFAULT_STREET_RADIUS_M: f64 = 50.0;

impl Default for LocateOptions {
    fn default() -> Self {
        Self {
            street_radius_m: DEFAULT_STREET_RADIUS_M,
            at: Utc::now(),
        }
    }
}

fn round_m(d: f64) -> f64 {
    (d * 100.0).round() / 100.0
}

impl Atlas {
    /// Everything the district knows about a WGS 84 point.
    pub fn locate(&self, p: LonLat, opts: &LocateOptions) -> Location {
        let base = &self.base;
        let deg = geo::Coord::from(p);
        let c = self.proj.project(p);
        let hit = self.cell_index.locate(deg, &self.cells);
        let grid_row = hit.map(|h| self.cell_rows[h.cell]);
        let grid = hit.zip(grid_row).map(|(h, row)| GridHit {
            code: base.grids[row].code.clone(),
            name: self.labels.grid_names[row].clone(),
            on_boundary: h.on_boundary,
        });
        let outside = if hit.is_none() {
            self.cell_areas
                .nearest(c)
                .map(|(i, d)| OutsideJurisdiction {
                    nearest_grid: base.grids[self.cell_rows[i]].code.clone(),
                    distance_m: round_m(d),
                })
        } else {
            None
        };

        // A grid cell belongs to its community (网格 within 社区): the cell's community answers,
        // so a point on a community boundary follows its cell. Without one, the polygons do.
        let community_row = grid_row
            .and_then(|row| base.grids[row].community.as_ref())
            .and_then(|code| self.names.community_row(code))
            .or_else(|| {
                self.communities
                    .covering(deg)
                    .map(|(i, _)| i)
                    .min_by(|&a, &b| base.communities[a].code.cmp(&base.communities[b].code))
            });
        let community = community_row.map(|i| CommunityHit {
            code: base.communities[i].code.clone(),
            name: self.labels.community_names[i].clone(),
        });
        let subdistrict = community_row.and_then(|i| self.labels.subdistricts[i].clone());

        let local = opts.at.with_timezone(&self.timezone);
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let mut zone_rows: Vec<usize> = self.zones.covering(deg).map(|(i, _)| i).collect();
        zone_rows.sort_unstable();
        let zones = zone_rows
            .into_iter()
            .map(|i| {
                let z = &base.zones[i];
                ZoneHit {
                    id: z.id,
                    name: self.labels.zone_names[i].clone(),
                    level: z.level,
                    hours: z.hours,
                    active: z.hours.is_none_or(|h| h.contains(minute)),
                }
            })
            .collect();

        let snap = self.streets.nearest(c, opts.street_radius_m);
        let street = snap.map(|s| {
            let st = &base.streets[s.street];
            let range = match s.side {
                citygrid_core::api::Side::Left => st.left,
                citygrid_core::api::Side::Right => st.right,
                citygrid_core::api::Side::On => st.right.or(st.left),
            };
            StreetHit {
                id: st.id,
                name: self.labels.street_names[s.street].clone(),
                class: self.labels.street_classes[s.street].clone(),
                side: s.side,
                house_number: range.map(|r| r.at(s.fraction)),
                distance_m: round_m(s.distance),
            }
        });
        // The door rule compares streets found with the doors' own radius, whatever the caller
        // asked for the street answer.
        let door_snap = if opts.street_radius_m == super::shops::DOOR_STREET_RADIUS_M {
            snap
        } else {
            self.streets.nearest(c, super::shops::DOOR_STREET_RADIUS_M)
        };
        let shop = self.shops.assign(c, door_snap.as_ref()).map(|m| ShopHit {
            code: base.shops[m.shop].code.clone(),
            name: self.labels.shop_names[m.shop].clone(),
            rule: m.rule,
            distance_m: round_m(m.distance),
        });
        Location {
            point: p,
            grid,
            outside,
            community,
            subdistrict,
            zones,
            street,
            shop,
        }
    }

    /// Locates many points, in parallel on the rayon pool; results are in input order.
    pub fn locate_many(&self, points: &[LonLat], opts: &LocateOptions) -> Vec<Location> {
        use rayon::prelude::*;
        points
            .par_iter()
            .with_min_len(256)
            .map(|&p| self.locate(p, opts))
            .collect()
    }
}
