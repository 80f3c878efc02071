//! The planner's statistics over the store's cases and the atlas's places: counts per place and
//! time slice, Gi* hot spots over grid cells, and emerging hot spots over a space-time cube.
//!
//! Every figure is worked out as heavy work (`heavy.rs`): off the request threads, in the
//! analytics or report lane, within a time budget, on a [`Snapshot`] of the cases' facts. What a
//! request may ask is bounded before the work starts (slices, places × slices, the space-time
//! cube, the kernel's reach), and a request beyond a bound is refused naming the parameter.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use citygrid_core::case::{Source, Status};

pub mod chart_png;
pub mod charts;
pub mod draft;
pub mod draft_context;
pub mod evaluation;
pub mod recurring;
pub mod report;
pub mod report_docx;
pub mod report_fieldwork;
pub mod report_html;

use crate::analytics::emerging::emerging;
use crate::analytics::gistar::{Neighbours, gi_star};
use crate::analytics::slices::Slice;
use crate::analytics::weights;
use crate::atlas::Atlas;
use crate::district::District;
use crate::heavy::{Budget, HeavyError, HeavyWork, Kind, Stopped};
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

/// Why a statistic was not worked out.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The question is larger than the server answers: the parameter to change, and how.
    #[error("{param}: {problem}")]
    TooLarge {
        param: &'static str,
        problem: String,
    },
    /// An unknown grouping of the evaluation.
    #[error("{0}")]
    By(String),
    /// Stopped by its budget (becomes [`HeavyError::OverBudget`]).
    #[error(transparent)]
    Stopped(#[from] Stopped),
    #[error(transparent)]
    Heavy(#[from] HeavyError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The most time slices a question may span.
pub const MAX_SLICES: usize = 400;
/// The most numbers a counts table may hold (places × slices).
pub const MAX_TABLE_NUMBERS: usize = 1_000_000;
/// The largest space-time cube of emerging hot spots (grid cells × slices); the trend test
/// grows with the square of the slices.
pub const MAX_CUBE_CELLS: usize = 1_000_000;
/// The most months a recurring-places history may span.
pub const MAX_RECURRING_MONTHS: usize = 120;
/// The most raster cells the kernels of all cases may touch together; beyond, the cells are
/// made coarser.
pub const MAX_KERNEL_WORK: f64 = 4e8;

fn too_large(param: &'static str, problem: String) -> StatsError {
    StatsError::TooLarge { param, problem }
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
    heavy: HeavyWork,
}

/// What one statistics job works on: the cases' facts as they were when it was asked, and the
/// atlas of that moment.
pub struct Snapshot {
    stats: Statistics,
    all: Arc<Vec<CaseFact>>,
    atlas: Arc<Atlas>,
}

impl Statistics {
    pub fn new(district: District) -> Self {
        Self {
            district,
            queen: Arc::default(),
            cache: Arc::default(),
            heavy: HeavyWork::default(),
        }
    }

    /// With these lanes for its heavy work (shared with the server's other heavy work).
    #[must_use]
    pub fn with_heavy(mut self, heavy: HeavyWork) -> Self {
        self.heavy = heavy;
        self
    }

    /// Runs `work` on a snapshot of the facts in the lane of `kind`.
    async fn job<T: Send + 'static>(
        &self,
        kind: Kind,
        work: impl FnOnce(&Snapshot, &Budget) -> Result<T, StatsError> + Send + 'static,
    ) -> Result<T, StatsError> {
        let snapshot = Snapshot {
            stats: self.clone(),
            all: self.all_facts().await?,
            atlas: self.district.atlas(),
        };
        match self.heavy.run(kind, move |b| work(&snapshot, b)).await? {
            Err(StatsError::Stopped(_)) => Err(self.heavy.over_budget(kind).into()),
            done => done,
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
}

impl Snapshot {
    /// The facts the filter keeps, oldest first.
    fn facts(&self, filter: &StatsFilter) -> Vec<CaseFact> {
        let all = &self.all;
        let start = filter
            .from
            .map_or(0, |t| all.partition_point(|f| f.created_at < t));
        let end = filter
            .to
            .map_or(all.len(), |t| all.partition_point(|f| f.created_at < t));
        all[start..end.max(start)]
            .iter()
            .filter(|f| filter.keeps(f))
            .cloned()
            .collect()
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.atlas.timezone()).date_naive()
    }

    /// The slices of the filter's period (or of the cases' span, when open): at most `most`,
    /// counted before they are made.
    fn slices(
        &self,
        slice: Slice,
        filter: &StatsFilter,
        facts: &[CaseFact],
        most: usize,
    ) -> Result<Vec<NaiveDate>, StatsError> {
        let first = filter
            .from
            .or(facts.first().map(|f| f.created_at))
            .map(|t| self.local_date(t));
        let last = filter.to.map(|t| self.local_date(t)).or(facts
            .last()
            .map(|f| self.local_date(f.created_at) + chrono::Days::new(1)));
        let (Some(a), Some(b)) = (first, last) else {
            return Ok(Vec::new());
        };
        let shortest_days = match slice {
            Slice::Day => 1,
            Slice::Week => 7,
            Slice::Month => 28,
            Slice::Quarter => 89,
        };
        let about = (b - a).num_days().max(0) / shortest_days + 1;
        if usize::try_from(about).unwrap_or(usize::MAX) > most + 1 {
            return Err(too_large(
                "from",
                format!(
                    "the period from {a} to {b} holds about {about} {slice}s; at most {most}: shorten it or choose a longer slice"
                ),
            ));
        }
        let slices = slice.starts(a, b);
        if slices.len() > most {
            return Err(too_large(
                "from",
                format!(
                    "the period from {a} to {b} holds {} {slice}s; at most {most}: shorten it or choose a longer slice",
                    slices.len()
                ),
            ));
        }
        Ok(slices)
    }

    /// How many places of a kind the atlas has (at most as many rows in a table by place).
    fn places(&self, unit: Unit) -> usize {
        let base = self.atlas.base();
        match unit {
            Unit::Grid => base.grids.len(),
            Unit::Community => base.communities.len(),
            Unit::Shop => base.shops.len(),
            Unit::Street => base.streets.len(),
        }
        .max(1)
    }

    /// Cases per place and slice.
    pub fn counts(
        &self,
        unit: Unit,
        slice: Slice,
        filter: &StatsFilter,
        budget: &Budget,
    ) -> Result<CountsTable, StatsError> {
        let facts = self.facts(filter);
        let slices = self.slices(slice, filter, &facts, MAX_SLICES)?;
        let numbers = self.places(unit).saturating_mul(slices.len());
        if numbers > MAX_TABLE_NUMBERS {
            return Err(too_large(
                "slice",
                format!(
                    "{} places × {} {slice}s would be {numbers} numbers; at most {MAX_TABLE_NUMBERS}: shorten the period or choose a longer slice",
                    self.places(unit),
                    slices.len()
                ),
            ));
        }
        budget.check()?;
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

    /// Queen weights between the atlas's grid cells (cached per atlas, as long as the
    /// statistics service lives).
    fn queen(&self, atlas: &Arc<Atlas>) -> Arc<Neighbours> {
        self.stats.queen.get(atlas, |atlas| {
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
    pub fn hotspots(
        &self,
        filter: &StatsFilter,
        kind: Weights,
        fdr: bool,
        budget: &Budget,
    ) -> Result<Vec<CellHotspot>, StatsError> {
        let facts = self.facts(filter);
        budget.check()?;
        let atlas = self.atlas.clone();
        let counts = Self::cell_counts(&atlas, &facts);
        let values: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
        let w = self.weights(&atlas, kind);
        budget.check()?;
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
    pub fn emerging(
        &self,
        slice: Slice,
        filter: &StatsFilter,
        budget: &Budget,
    ) -> Result<(Vec<NaiveDate>, Vec<CellEmerging>), StatsError> {
        let facts = self.facts(filter);
        let atlas = self.atlas.clone();
        let cells = atlas.base().grids.len().max(1);
        let slices = self.slices(
            slice,
            filter,
            &facts,
            MAX_SLICES.min(MAX_CUBE_CELLS / cells),
        )?;
        budget.check()?;
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
            emerging(&cube, &w, budget)?
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
    pub fn evaluation(
        &self,
        by: &str,
        filter: &StatsFilter,
        now: DateTime<Utc>,
        budget: &Budget,
    ) -> Result<Vec<evaluation::Evaluation>, StatsError> {
        let facts = self.facts(filter);
        budget.check()?;
        let at = filter.to.map_or(now, |t| t.min(now));
        let atlas = self.atlas.clone();
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
                return Err(StatsError::By(format!(
                    "unknown grouping {other:?}; expected grid, community, team, officer, month, quarter or all"
                )));
            }
        };
        Ok(evaluation::evaluate(&facts, at, key))
    }

    /// A quartic kernel density of the filtered cases over the district, cells of `cell_m`
    /// metres, kernel radius `radius_m` (the usual rule when `None`). `None` without cases.
    pub fn heat(
        &self,
        filter: &StatsFilter,
        cell_m: f64,
        radius_m: Option<f64>,
        budget: &Budget,
    ) -> Result<Option<Heat>, StatsError> {
        use geo::BoundingRect;
        let facts = self.facts(filter);
        budget.check()?;
        let atlas = self.atlas.clone();
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
        // And coarser cells rather than kernels that together touch too many of them.
        let per_kernel = std::f64::consts::PI * (radius / cell_m).powi(2);
        let work = per_kernel * points.len() as f64;
        let cell_m = if work > MAX_KERNEL_WORK {
            cell_m * (work / MAX_KERNEL_WORK).sqrt()
        } else {
            cell_m
        };
        let surface = crate::analytics::kde::quartic(&points, min, max, cell_m, radius, budget)?;
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

/// Each statistic as a request asks for it: worked out as heavy work on a snapshot.
impl Statistics {
    /// Cases per place and slice.
    pub async fn counts(
        &self,
        unit: Unit,
        slice: Slice,
        filter: &StatsFilter,
    ) -> Result<CountsTable, StatsError> {
        let filter = filter.clone();
        self.job(Kind::Analytics, move |s, b| {
            s.counts(unit, slice, &filter, b)
        })
        .await
    }

    /// Gi* over every grid cell of the case counts.
    pub async fn hotspots(
        &self,
        filter: &StatsFilter,
        kind: Weights,
        fdr: bool,
    ) -> Result<Vec<CellHotspot>, StatsError> {
        let filter = filter.clone();
        self.job(Kind::Analytics, move |s, b| {
            s.hotspots(&filter, kind, fdr, b)
        })
        .await
    }

    /// Emerging hot spot categories over grid cells × slices.
    pub async fn emerging(
        &self,
        slice: Slice,
        filter: &StatsFilter,
    ) -> Result<(Vec<NaiveDate>, Vec<CellEmerging>), StatsError> {
        let filter = filter.clone();
        self.job(Kind::Analytics, move |s, b| s.emerging(slice, &filter, b))
            .await
    }

    /// The evaluation ratios grouped `by` grid, community, team, officer, month, quarter or
    /// all, as things stand at `now`.
    pub async fn evaluation(
        &self,
        by: &str,
        filter: &StatsFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<evaluation::Evaluation>, StatsError> {
        let (by, filter) = (by.to_owned(), filter.clone());
        self.job(Kind::Analytics, move |s, b| {
            s.evaluation(&by, &filter, now, b)
        })
        .await
    }

    /// A quartic kernel density of the filtered cases (see [`Snapshot::heat`]).
    pub async fn heat(
        &self,
        filter: &StatsFilter,
        cell_m: f64,
        radius_m: Option<f64>,
    ) -> Result<Option<Heat>, StatsError> {
        let filter = filter.clone();
        self.job(Kind::Analytics, move |s, b| {
            s.heat(&filter, cell_m, radius_m, b)
        })
        .await
    }

    /// Places where problems recur over the filter's period, best first (at most `limit`).
    pub async fn recurring(
        &self,
        filter: &StatsFilter,
        n: u64,
        recent: usize,
        limit: usize,
    ) -> Result<Vec<citygrid_core::api::analytics::RecurringPlace>, StatsError> {
        let filter = filter.clone();
        self.job(Kind::Analytics, move |s, b| {
            s.recurring(&filter, n, recent, limit, b)
        })
        .await
    }

    /// The quarterly report (see [`Snapshot::quarterly`]), in the report lane.
    pub async fn quarterly(
        &self,
        quarter: report::Quarter,
        catalogue: &citygrid_core::category::Catalogue,
        now: DateTime<Utc>,
    ) -> Result<citygrid_core::api::analytics::QuarterlyReport, StatsError> {
        let catalogue = catalogue.clone();
        self.job(Kind::Report, move |s, b| {
            s.quarterly(quarter, &catalogue, now, b)
        })
        .await
    }
}

/// The most raster cells a heat surface has; beyond, its cells are made coarser.
pub const MAX_RASTER_CELLS: f64 = 1_000_000.0;
