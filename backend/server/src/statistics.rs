//! The planner's statistics over the store's cases and the atlas's places: counts per place and
//! time slice, Gi* hot spots over grid cells, and emerging hot spots over a space-time cube.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use citygrid_core::case::{Source, Status};

pub mod evaluation;
pub mod recurring;
pub mod report;

use crate::analytics::emerging::emerging;
use crate::analytics::gistar::{Neighbours, gi_star};
use crate::analytics::slices::Slice;
use crate::analytics::weights;
use crate::atlas::Atlas;
use crate::district::District;
use crate::store::{CaseFact, StoreError};

pub use citygrid_core::api::analytics::{
    CellEmerging, CellHotspot, CountsTable, Heat, PlaceCounts, Unit,
};

/// Which cases count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub categories: Vec<String>,
    pub sources: Vec<Source>,
    pub statuses: Vec<Status>,
}

impl StatsFilter {
    fn keeps(&self, f: &CaseFact) -> bool {
        (self.categories.is_empty() || self.categories.iter().any(|c| c.as_str() == &*f.category))
            && (self.sources.is_empty() || self.sources.contains(&f.source))
            && (self.statuses.is_empty() || self.statuses.contains(&f.status))
    }
}

/// Why an evaluation was refused.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error("{0}")]
    By(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which weights Gi* uses between grid cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weights {
    Queen,
    /// Cells whose centres are within this many metres.
    DistanceBand(f64),
}

/// A time later than any case (stored times have four-digit years).
fn far_future() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |t| t.and_utc())
}

/// What group a case falls in, if any.
type GroupKey<'a> = dyn Fn(&CaseFact) -> Option<String> + 'a;

/// Every case's facts, oldest first (by creation, then id), as of an event sequence number.
#[derive(Debug, Default)]
struct FactCache {
    seq: i64,
    facts: Arc<Vec<CaseFact>>,
}

#[derive(Debug, Clone)]
pub struct Statistics {
    district: District,
    queen: Arc<crate::atlas::derived::Derived<Neighbours>>,
    /// Loaded on first use, then kept in step with the event log: each query re-reads only the
    /// cases whose events are newer than the cache.
    cache: Arc<tokio::sync::Mutex<Option<FactCache>>>,
}

impl Statistics {
    pub fn new(district: District) -> Self {
        Self {
            district,
            queen: Arc::default(),
            cache: Arc::default(),
        }
    }

    /// Loads the fact cache now, so that the first planner or report request does not wait for
    /// it. Returns how many cases it holds.
    pub async fn warm(&self) -> Result<usize, StoreError> {
        Ok(self.all_facts().await?.len())
    }

    /// Every case's facts, brought up to date with the event log.
    async fn all_facts(&self) -> Result<Arc<Vec<CaseFact>>, StoreError> {
        let store = self.district.store();
        let mut cache = self.cache.lock().await;
        // Read the sequence first: anything stored meanwhile is re-read next time.
        let latest = store.latest_event_seq().await?;
        match cache.as_mut() {
            None => {
                let facts = store
                    .case_facts(DateTime::<Utc>::UNIX_EPOCH..far_future())
                    .await?;
                *cache = Some(FactCache {
                    seq: latest,
                    facts: Arc::new(facts),
                });
            }
            Some(c) if c.seq < latest => {
                let changed = store.cases_changed_since(c.seq).await?;
                let fresh = store.case_facts_by_ids(&changed).await?;
                let facts = Arc::make_mut(&mut c.facts);
                let position: HashMap<i64, usize> =
                    facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
                let mut added = false;
                for f in fresh {
                    if let Some(&i) = position.get(&f.id) {
                        facts[i] = f;
                    } else {
                        facts.push(f);
                        added = true;
                    }
                }
                if added {
                    facts.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
                }
                c.seq = latest;
            }
            Some(_) => {}
        }
        Ok(cache
            .as_ref()
            .map_or_else(Arc::default, |c| c.facts.clone()))
    }

    async fn facts(&self, filter: &StatsFilter) -> Result<Vec<CaseFact>, StoreError> {
        let all = self.all_facts().await?;
        let start = filter
            .from
            .map_or(0, |t| all.partition_point(|f| f.created_at < t));
        let end = filter
            .to
            .map_or(all.len(), |t| all.partition_point(|f| f.created_at < t));
        Ok(all[start..end.max(start)]
            .iter()
            .filter(|f| filter.keeps(f))
            .cloned()
            .collect())
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.district.atlas().timezone())
            .date_naive()
    }

    /// The slices of the filter's period (or of the cases' span, when open).
    fn slices(&self, slice: Slice, filter: &StatsFilter, facts: &[CaseFact]) -> Vec<NaiveDate> {
        let first = filter
            .from
            .or(facts.first().map(|f| f.created_at))
            .map(|t| self.local_date(t));
        let last = filter.to.map(|t| self.local_date(t)).or(facts
            .last()
            .map(|f| self.local_date(f.created_at) + chrono::Days::new(1)));
        match (first, last) {
            (Some(a), Some(b)) => slice.starts(a, b),
            _ => Vec::new(),
        }
    }

    /// Cases per place and slice.
    pub async fn counts(
        &self,
        unit: Unit,
        slice: Slice,
        filter: &StatsFilter,
    ) -> Result<CountsTable, StoreError> {
        let facts = self.facts(filter).await?;
        let slices = self.slices(slice, filter, &facts);
        let index: HashMap<NaiveDate, usize> =
            slices.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut places: HashMap<String, PlaceCounts> = HashMap::new();
        for f in &facts {
            let key = match unit {
                Unit::Grid => f.grid.as_deref().map(str::to_owned),
                Unit::Community => f.community.as_deref().map(str::to_owned),
                Unit::Shop => f.shop.as_deref().map(str::to_owned),
                Unit::Street => f.street.map(|s| s.to_string()),
            };
            let Some(key) = key else { continue };
            let Some(&at) = index.get(&slice.start_of(self.local_date(f.created_at))) else {
                continue;
            };
            let entry = places.entry(key.clone()).or_insert_with(|| PlaceCounts {
                key,
                total: 0,
                quantity: 0.0,
                by_slice: vec![0; slices.len()],
            });
            entry.total += 1;
            entry.quantity += f.quantity.unwrap_or(0.0);
            entry.by_slice[at] += 1;
        }
        let mut places: Vec<PlaceCounts> = places.into_values().collect();
        places.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        Ok(CountsTable {
            unit,
            slice,
            slices,
            places,
        })
    }

    /// Queen weights between the atlas's grid cells (cached per atlas).
    fn queen(&self, atlas: &Arc<Atlas>) -> Arc<Neighbours> {
        self.queen.get(atlas, |atlas| {
            let cells: Vec<_> = atlas
                .base()
                .grids
                .iter()
                .map(|g| g.geometry.clone())
                .collect();
            weights::queen(&cells, 1e-7)
        })
    }

    fn weights(&self, atlas: &Arc<Atlas>, kind: Weights) -> Arc<Neighbours> {
        match kind {
            Weights::Queen => self.queen(atlas),
            Weights::DistanceBand(band) => {
                use geo::Centroid;
                let centres: Vec<geo::Coord> = atlas
                    .base()
                    .grids
                    .iter()
                    .map(|g| {
                        g.geometry
                            .centroid()
                            .map_or(geo::Coord { x: 0.0, y: 0.0 }, |c| {
                                atlas.projection().project(citygrid_core::LonLat {
                                    lon: c.x(),
                                    lat: c.y(),
                                })
                            })
                    })
                    .collect();
                Arc::new(weights::distance_band(&centres, band))
            }
        }
    }

    /// Cases per grid cell (every cell, in the layer's order).
    fn cell_counts(atlas: &Atlas, facts: &[CaseFact]) -> Vec<u64> {
        let index: HashMap<&str, usize> = atlas
            .base()
            .grids
            .iter()
            .enumerate()
            .map(|(i, g)| (g.code.as_str(), i))
            .collect();
        let mut counts = vec![0_u64; index.len()];
        for f in facts {
            if let Some(&i) = f.grid.as_deref().and_then(|g| index.get(g)) {
                counts[i] += 1;
            }
        }
        counts
    }

    /// Gi* over every grid cell of the case counts.
    pub async fn hotspots(
        &self,
        filter: &StatsFilter,
        kind: Weights,
        fdr: bool,
    ) -> Result<Vec<CellHotspot>, StoreError> {
        let facts = self.facts(filter).await?;
        let atlas = self.district.atlas();
        let counts = Self::cell_counts(&atlas, &facts);
        let values: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
        let w = self.weights(&atlas, kind);
        let g = gi_star(&values, &w, fdr);
        Ok(atlas
            .base()
            .grids
            .iter()
            .zip(g)
            .zip(counts)
            .map(|((cell, g), count)| CellHotspot {
                grid: cell.code.to_string(),
                count,
                z: g.z,
                p: g.p,
                bin: g.bin,
            })
            .collect())
    }

    /// Emerging hot spot categories over grid cells × slices.
    pub async fn emerging(
        &self,
        slice: Slice,
        filter: &StatsFilter,
    ) -> Result<(Vec<NaiveDate>, Vec<CellEmerging>), StoreError> {
        let facts = self.facts(filter).await?;
        let slices = self.slices(slice, filter, &facts);
        let atlas = self.district.atlas();
        let index: HashMap<NaiveDate, usize> =
            slices.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut by_slice: Vec<Vec<CaseFact>> = vec![Vec::new(); slices.len()];
        for f in facts {
            if let Some(&t) = index.get(&slice.start_of(self.local_date(f.created_at))) {
                by_slice[t].push(f);
            }
        }
        let counts: Vec<Vec<u64>> = by_slice
            .iter()
            .map(|facts| Self::cell_counts(&atlas, facts))
            .collect();
        let cube: Vec<Vec<f64>> = counts
            .iter()
            .map(|c| c.iter().map(|x| *x as f64).collect())
            .collect();
        let w = self.queen(&atlas);
        let results = if cube.is_empty() {
            Vec::new()
        } else {
            emerging(&cube, &w)
        };
        let cells = atlas
            .base()
            .grids
            .iter()
            .enumerate()
            .zip(results)
            .map(|((i, cell), e)| CellEmerging {
                grid: cell.code.to_string(),
                category: e.category,
                trend: e.trend,
                bins: e.bins,
                counts: counts.iter().map(|c| c[i]).collect(),
            })
            .collect();
        Ok((slices, cells))
    }

    /// The evaluation ratios grouped `by` grid, community, team, officer, month, quarter or
    /// all, as things stand at `now`.
    pub async fn evaluation(
        &self,
        by: &str,
        filter: &StatsFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<evaluation::Evaluation>, EvaluationError> {
        let facts = self.facts(filter).await?;
        let at = filter.to.map_or(now, |t| t.min(now));
        let atlas = self.district.atlas();
        let teams: HashMap<&str, &str> = atlas
            .base()
            .officers
            .iter()
            .filter_map(|o| o.team.as_deref().map(|t| (o.code.as_str(), t)))
            .collect();
        let month = |f: &CaseFact| Slice::Month.start_of(self.local_date(f.created_at));
        let key: Box<GroupKey> = match by {
            "all" => Box::new(|_| Some("all".to_owned())),
            "grid" => Box::new(|f| f.grid.as_deref().map(str::to_owned)),
            "community" => Box::new(|f| f.community.as_deref().map(str::to_owned)),
            "officer" => Box::new(|f| f.assignee.as_deref().map(str::to_owned)),
            "team" => Box::new(|f| {
                f.assignee
                    .as_deref()
                    .and_then(|a| teams.get(a))
                    .map(|t| (*t).to_owned())
            }),
            "month" => Box::new(move |f| Some(month(f).format("%Y-%m").to_string())),
            "quarter" => Box::new(|f| {
                let q = report::Quarter::of(self.local_date(f.created_at));
                Some(format!("{}-Q{}", q.year, q.number))
            }),
            other => {
                return Err(EvaluationError::By(format!(
                    "unknown grouping {other:?}; expected grid, community, team, officer, month, quarter or all"
                )));
            }
        };
        Ok(evaluation::evaluate(&facts, at, key))
    }

    /// A quartic kernel density of the filtered cases over the district, cells of `cell_m`
    /// metres, kernel radius `radius_m` (the usual rule when `None`). `None` without cases.
    pub async fn heat(
        &self,
        filter: &StatsFilter,
        cell_m: f64,
        radius_m: Option<f64>,
    ) -> Result<Option<Heat>, StoreError> {
        use geo::BoundingRect;
        let facts = self.facts(filter).await?;
        let atlas = self.district.atlas();
        let proj = *atlas.projection();
        let points: Vec<geo::Coord> = facts
            .iter()
            .map(|f| {
                proj.project(citygrid_core::LonLat {
                    lon: f.lon,
                    lat: f.lat,
                })
            })
            .collect();
        let Some(radius) = radius_m.or_else(|| crate::analytics::kde::default_radius(&points))
        else {
            return Ok(None);
        };
        // The district's cells, or the cases' own extent when there are none.
        let cells = geo::MultiPolygon::new(
            atlas
                .base()
                .grids
                .iter()
                .flat_map(|g| g.geometry.0.iter().cloned())
                .collect(),
        );
        let (min, max) = match cells.bounding_rect() {
            Some(r) => (
                proj.project(citygrid_core::LonLat {
                    lon: r.min().x,
                    lat: r.min().y,
                }),
                proj.project(citygrid_core::LonLat {
                    lon: r.max().x,
                    lat: r.max().y,
                }),
            ),
            None => match geo::MultiPoint::from(points.clone()).bounding_rect() {
                Some(r) => (r.min(), r.max()),
                None => return Ok(None),
            },
        };
        // Coarser cells rather than a raster too large to send and draw.
        let cells_needed = ((max.x - min.x) / cell_m).ceil() * ((max.y - min.y) / cell_m).ceil();
        let cell_m = if cells_needed > MAX_RASTER_CELLS {
            cell_m * (cells_needed / MAX_RASTER_CELLS).sqrt().ceil()
        } else {
            cell_m
        };
        let surface = crate::analytics::kde::quartic(&points, min, max, cell_m, radius);
        let corner = |c: geo::Coord| proj.unproject(c);
        Ok(Some(Heat {
            south_west: corner(min),
            north_east: corner(geo::Coord {
                x: min.x + surface.cols as f64 * cell_m,
                y: min.y + surface.rows as f64 * cell_m,
            }),
            surface,
        }))
    }
}

/// The most raster cells a heat surface has; beyond, its cells are made coarser.
pub const MAX_RASTER_CELLS: f64 = 1_000_000.0;
