//! `/analytics`: counts per place and time slice, Gi* hot spots over grid cells, emerging hot
//! spots, recurring places and heat, for planners, leaders and admins (statistics over the
//! whole district). The quarterly report is `reports.rs`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::api::analytics::{
    CountsQuery, CountsTable, EmergingAnswer, EmergingQuery, EvaluationAnswer, EvaluationQuery,
    HeatAnswer, HeatQuery, Hotspots, HotspotsQuery, MapFormat, RecurringAnswer, RecurringQuery,
    StatsQuery, WeightsKind,
};

use super::endpoint::Endpoint;
use super::extract::{Query, count};
use super::{ApiError, AppState};
use crate::analytics::slices::Slice;
use crate::statistics::{StatsFilter, Unit, Weights};

pub fn endpoints() -> Vec<Endpoint> {
    let analyse = |path, summary, handler| {
        Endpoint::new("get", path, "analytics", summary, handler)
            .access(Permission::Analyse)
            .queries::<StatsQuery>()
    };
    vec![
        analyse("/analytics/counts", "Cases per place and time slice", get(counts))
            .queries::<CountsQuery>()
            .answers::<CountsTable>(),
        analyse(
            "/analytics/hotspots",
            "Getis-Ord Gi* over grid cells: z, p and 99/95/90 % bins",
            get(hotspots),
        )
        .queries::<HotspotsQuery>()
        .answers::<Hotspots>(),
        analyse("/analytics/evaluation", "The evaluation ratios (handled, on time, closed, rework, extension, accurate dispatch) per group", get(evaluation))
            .queries::<EvaluationQuery>()
            .answers::<EvaluationAnswer>(),
        analyse("/analytics/recurring", "Recurring problem blocks: cells, shop fronts and street segments, ranked, with their history", get(recurring))
            .queries::<RecurringQuery>()
            .answers::<RecurringAnswer>(),
        analyse("/analytics/heat", "A heat surface (quartic kernel density, cases per km²) on a raster over the district", get(heat))
            .queries::<HeatQuery>()
            .answers::<HeatAnswer>(),
        analyse(
            "/analytics/emerging",
            "Emerging hot spots: each grid cell's category, trend and bins over time",
            get(emerging),
        )
        .queries::<EmergingQuery>()
        .answers::<EmergingAnswer>(),
    ]
}

fn filter(q: StatsQuery) -> StatsFilter {
    StatsFilter {
        from: q.from.map(|w| w.0),
        to: q.to.map(|w| w.0),
        categories: q.category.unwrap_or_default().0,
        sources: q.source.unwrap_or_default().0,
        statuses: q.status.unwrap_or_default().0,
    }
}

async fn counts(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<CountsQuery>,
) -> Result<Response, ApiError> {
    let unit = query.by.unwrap_or(Unit::Grid);
    let slice = query.slice.unwrap_or_default();
    let f = filter(stats);
    if slice == Slice::Day
        && f.from
            .is_none_or(|from| f.to.is_none_or(|to| (to - from).num_days() > 400))
    {
        return Err(ApiError::param(
            "slice",
            "daily counts need from and to at most 400 days apart",
        ));
    }
    let geojson = query.format.unwrap_or_default() == MapFormat::Geojson;
    if geojson && !matches!(unit, Unit::Grid | Unit::Community) {
        return Err(ApiError::param(
            "format",
            "GeoJSON is for by=grid or by=community",
        ));
    }
    let table = state.statistics.counts(unit, slice, &f).await?;
    if !geojson {
        return Ok(Json(table).into_response());
    }
    // Every place of the layer, with its counts (zero where there were no cases).
    let atlas = state.district.atlas();
    let base = atlas.base();
    let shapes: Vec<(String, &geo::MultiPolygon)> = match unit {
        Unit::Grid => base
            .grids
            .iter()
            .map(|g| (g.code.to_string(), &g.geometry))
            .collect(),
        _ => base
            .communities
            .iter()
            .map(|c| (c.code.to_string(), &c.geometry))
            .collect(),
    };
    let found: HashMap<String, _> = table.places.iter().map(|p| (p.key.clone(), p)).collect();
    let slices = table.slices.len();
    let none = |code: &str| {
        let mut empty = geojson::JsonObject::new();
        empty.insert("key".into(), code.into());
        empty.insert("total".into(), 0.into());
        empty.insert("quantity".into(), 0.0.into());
        empty.insert("by_slice".into(), vec![0; slices].into());
        empty
    };
    let mut members = geojson::JsonObject::new();
    members.insert(
        "slices".into(),
        serde_json::to_value(&table.slices).unwrap_or_default(),
    );
    let body = super::geojson::places(shapes, &found, none, members);
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response())
}

async fn hotspots(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<HotspotsQuery>,
) -> Result<Response, ApiError> {
    let kind = match query.weights.unwrap_or_default() {
        WeightsKind::Queen => Weights::Queen,
        WeightsKind::Distance => {
            let band = query.band_m.unwrap_or(300.0);
            if !(10.0..=5000.0).contains(&band) {
                return Err(ApiError::param(
                    "band_m",
                    "must be between 10 and 5000 metres",
                ));
            }
            Weights::DistanceBand(band)
        }
    };
    let cells = state
        .statistics
        .hotspots(&filter(stats), kind, query.fdr.unwrap_or(false))
        .await?;
    if query.format.unwrap_or_default() == MapFormat::Json {
        return Ok(Json(Hotspots { cells }).into_response());
    }
    let atlas = state.district.atlas();
    let shapes = atlas
        .base()
        .grids
        .iter()
        .map(|g| (g.code.to_string(), &g.geometry));
    let found: HashMap<String, _> = cells.iter().map(|c| (c.grid.clone(), c)).collect();
    let body = super::geojson::places(
        shapes,
        &found,
        |_| geojson::JsonObject::new(),
        geojson::JsonObject::new(),
    );
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response())
}

async fn emerging(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<EmergingQuery>,
) -> Result<Json<EmergingAnswer>, ApiError> {
    let slice = query.slice.unwrap_or_default();
    if !matches!(slice, Slice::Week | Slice::Month) {
        return Err(ApiError::param(
            "slice",
            "emerging hot spots are by week or month",
        ));
    }
    let (slices, cells) = state.statistics.emerging(slice, &filter(stats)).await?;
    Ok(Json(EmergingAnswer {
        slice,
        slices,
        cells,
    }))
}

async fn evaluation(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<EvaluationQuery>,
) -> Result<Json<EvaluationAnswer>, ApiError> {
    let by = query.by.unwrap_or_else(|| "all".to_owned());
    let groups = state
        .statistics
        .evaluation(&by, &filter(stats), chrono::Utc::now())
        .await?;
    Ok(Json(EvaluationAnswer { by, groups }))
}

async fn recurring(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<RecurringQuery>,
) -> Result<Json<RecurringAnswer>, ApiError> {
    let n = query.n.unwrap_or(crate::statistics::recurring::DEFAULT_N);
    let recent = query
        .recent
        .unwrap_or(crate::statistics::recurring::DEFAULT_RECENT);
    let limit = count(query.limit, "limit", 50, 500)?;
    if !(1..=1000).contains(&n) {
        return Err(ApiError::param("n", "must be between 1 and 1000"));
    }
    if !(1..=60).contains(&recent) {
        return Err(ApiError::param("recent", "must be between 1 and 60 months"));
    }
    let places = state
        .statistics
        .recurring(&filter(stats), n, recent, limit)
        .await?;
    Ok(Json(RecurringAnswer { places }))
}

async fn heat(
    State(state): State<AppState>,
    Query(stats): Query<StatsQuery>,
    Query(query): Query<HeatQuery>,
) -> Result<Json<HeatAnswer>, ApiError> {
    let cell_m = query.cell_m.unwrap_or(25.0);
    if !(5.0..=500.0).contains(&cell_m) {
        return Err(ApiError::param(
            "cell_m",
            "must be between 5 and 500 metres",
        ));
    }
    if query
        .radius_m
        .is_some_and(|r| !(20.0..=5000.0).contains(&r))
    {
        return Err(ApiError::param(
            "radius_m",
            "must be between 20 and 5000 metres",
        ));
    }
    let heat = state
        .statistics
        .heat(&filter(stats), cell_m, query.radius_m)
        .await?;
    if let Some(h) = &heat
        && h.surface.cols * h.surface.rows > 4_000_000
    {
        return Err(ApiError::param(
            "cell_m",
            "the raster would be too large; choose larger cells",
        ));
    }
    Ok(Json(HeatAnswer { heat }))
}
