//! `/analytics`: counts per place and time slice, Gi* hot spots over grid cells and emerging
//! hot spots, for planners, leaders and admins (statistics over the whole district).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use citygrid_core::access::Permission;
use citygrid_core::case::{Source, Status};
use serde_json::{Value, json};

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::analytics::slices::Slice;
use crate::statistics::{StatsFilter, Unit, Weights};

fn filters(e: Endpoint) -> Endpoint {
    e.query("from", "string", "created at or after (date or RFC 3339)")
        .query("to", "string", "created before (date or RFC 3339)")
        .query("category", "string", "comma-separated category codes")
        .query("source", "string", "comma-separated sources")
        .query("status", "string", "comma-separated states")
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        filters(
            Endpoint::new(
                "get",
                "/analytics/counts",
                "analytics",
                "Cases per place and time slice",
                get(counts),
            )
            .access(Permission::Analyse)
            .query("by", "string", "grid (default), community, shop or street")
            .query("slice", "string", "day, week (default), month or quarter")
                .query("format", "string", "json (default) or geojson (by=grid or community)"),
        ),
        filters(
            Endpoint::new(
                "get",
                "/analytics/hotspots",
                "analytics",
                "Getis-Ord Gi* over grid cells: z, p and 99/95/90 % bins",
                get(hotspots),
            )
            .access(Permission::Analyse)
            .query("weights", "string", "queen (default) or distance")
            .query(
                "band_m",
                "number",
                "the distance band in metres (weights=distance; default 300)",
            )
            .query("fdr", "boolean", "Benjamini–Hochberg correction")
            .query("format", "string", "json (default) or geojson"),
        ),
        filters(
            Endpoint::new("get", "/analytics/evaluation", "analytics", "The evaluation ratios (handled, on time, closed, rework, extension, accurate dispatch) per group", get(evaluation))
                .access(Permission::Analyse)
                .query("by", "string", "grid, community, team, officer, month, quarter or all (default)"),
        ),
        filters(
            Endpoint::new("get", "/analytics/recurring", "analytics", "Recurring problem blocks: cells, shop fronts and street segments, ranked, with their history", get(recurring))
                .access(Permission::Analyse)
                .query("n", "integer", "cases of one category in a month that make it recur (default 3)")
                .query("recent", "integer", "recent months looked at for hot spots (default 6)")
                .query("limit", "integer", "how many places (default 50, at most 500)"),
        ),
        filters(
            Endpoint::new("get", "/analytics/heat", "analytics", "A heat surface (quartic kernel density, cases per km²) on a raster over the district", get(heat))
                .access(Permission::Analyse)
                .query("cell_m", "number", "raster cell in metres (5–500, default 25; coarser when the raster would pass a million cells)")
                .query("radius_m", "number", "kernel radius in metres (20–5000; default by the usual rule)"),
        ),
        Endpoint::new("get", "/reports/quarterly", "analytics", "The quarterly report: cases by source, category and community, hotline, ratios, recurring places, emerging hot spots", get(quarterly))
            .access(Permission::Analyse)
            .required_query("quarter", "string", "e.g. 2026-Q3")
            .query("format", "string", "json (default), csv or html")
            .ok(200, "application/json"),
        filters(
            Endpoint::new(
                "get",
                "/analytics/emerging",
                "analytics",
                "Emerging hot spots: each grid cell's category, trend and bins over time",
                get(emerging),
            )
            .access(Permission::Analyse)
            .query("slice", "string", "week (default) or month"),
        ),
    ]
}

fn filter(params: &Params) -> Result<StatsFilter, ApiError> {
    Ok(StatsFilter {
        from: params.time("from")?,
        to: params.time("to")?,
        categories: params.list::<String>("category")?,
        sources: params.list::<Source>("source")?,
        statuses: params.list::<Status>("status")?,
    })
}

async fn counts(State(state): State<AppState>, params: Params) -> Result<Response, ApiError> {
    let unit = params.parsed::<Unit>("by")?.unwrap_or(Unit::Grid);
    let slice = params.parsed::<Slice>("slice")?.unwrap_or_default();
    let f = filter(&params)?;
    if slice == Slice::Day
        && f.from
            .is_none_or(|from| f.to.is_none_or(|to| (to - from).num_days() > 400))
    {
        return Err(ApiError::param(
            "slice",
            "daily counts need from and to at most 400 days apart",
        ));
    }
    let geojson = match params.text("format") {
        None | Some("json") => false,
        Some("geojson") if matches!(unit, Unit::Grid | Unit::Community) => true,
        Some("geojson") => {
            return Err(ApiError::param(
                "format",
                "GeoJSON is for by=grid or by=community",
            ));
        }
        Some(other) => {
            return Err(ApiError::param(
                "format",
                format!("expected json or geojson, got {other:?}"),
            ));
        }
    };
    let table = state
        .statistics
        .counts(unit, slice, &f)
        .await
        .map_err(ApiError::from)?;
    if !geojson {
        return Ok(Json(json!(table)).into_response());
    }
    // Every place of the layer, with its counts (zero where there were no cases).
    let atlas = state.district.atlas();
    let shapes: Vec<(String, &geo::MultiPolygon)> = match unit {
        Unit::Grid => atlas
            .base()
            .grids
            .iter()
            .map(|g| (g.code.to_string(), &g.geometry))
            .collect(),
        _ => atlas
            .base()
            .communities
            .iter()
            .map(|c| (c.code.to_string(), &c.geometry))
            .collect(),
    };
    let features: Vec<Value> = shapes
        .into_iter()
        .map(|(code, shape)| {
            let found = table.places.iter().find(|p| p.key == code);
            let properties = json!({
                "key": code,
                "total": found.map_or(0, |p| p.total),
                "quantity": found.map_or(0.0, |p| p.quantity),
                "by_slice": found.map_or_else(|| vec![0; table.slices.len()], |p| p.by_slice.clone()),
            });
            json!({ "type": "Feature", "id": code, "geometry": geojson::Geometry::from(shape), "properties": properties })
        })
        .collect();
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        Json(json!({ "type": "FeatureCollection", "slices": table.slices, "features": features })),
    )
        .into_response())
}

async fn hotspots(State(state): State<AppState>, params: Params) -> Result<Response, ApiError> {
    let kind = match params.text("weights") {
        None | Some("queen") => Weights::Queen,
        Some("distance") => {
            let band = params.optional::<f64>("band_m", "metres")?.unwrap_or(300.0);
            if !(10.0..=5000.0).contains(&band) {
                return Err(ApiError::param(
                    "band_m",
                    "must be between 10 and 5000 metres",
                ));
            }
            Weights::DistanceBand(band)
        }
        Some(other) => {
            return Err(ApiError::param(
                "weights",
                format!("expected queen or distance, got {other:?}"),
            ));
        }
    };
    let fdr = params
        .optional::<bool>("fdr", "true or false")?
        .unwrap_or(false);
    let cells = state
        .statistics
        .hotspots(&filter(&params)?, kind, fdr)
        .await
        .map_err(ApiError::from)?;
    match params.text("format") {
        None | Some("json") => Ok(Json(json!({ "cells": cells })).into_response()),
        Some("geojson") => {
            let atlas = state.district.atlas();
            let features: Vec<Value> = atlas
                .base()
                .grids
                .iter()
                .zip(&cells)
                .map(|(g, h)| json!({ "type": "Feature", "id": h.grid, "geometry": geojson::Geometry::from(&g.geometry), "properties": h }))
                .collect();
            Ok((
                [(header::CONTENT_TYPE, "application/geo+json")],
                Json(json!({ "type": "FeatureCollection", "features": features })),
            )
                .into_response())
        }
        Some(other) => Err(ApiError::param(
            "format",
            format!("expected json or geojson, got {other:?}"),
        )),
    }
}

async fn emerging(State(state): State<AppState>, params: Params) -> Result<Json<Value>, ApiError> {
    let slice = params.parsed::<Slice>("slice")?.unwrap_or_default();
    if !matches!(slice, Slice::Week | Slice::Month) {
        return Err(ApiError::param(
            "slice",
            "emerging hot spots are by week or month",
        ));
    }
    let (slices, cells) = state
        .statistics
        .emerging(slice, &filter(&params)?)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(
        json!({ "slice": slice, "slices": slices, "cells": cells }),
    ))
}

async fn evaluation(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let by = params.text("by").unwrap_or("all").to_owned();
    let groups = state
        .statistics
        .evaluation(&by, &filter(&params)?, chrono::Utc::now())
        .await
        .map_err(|e| match e {
            crate::statistics::EvaluationError::By(p) => ApiError::param("by", p),
            crate::statistics::EvaluationError::Store(s) => ApiError::from(s),
        })?;
    Ok(Json(json!({ "by": by, "groups": groups })))
}

async fn recurring(State(state): State<AppState>, params: Params) -> Result<Json<Value>, ApiError> {
    let n = params
        .optional::<u64>("n", "a whole number")?
        .unwrap_or(crate::statistics::recurring::DEFAULT_N);
    let recent = params
        .optional::<usize>("recent", "a whole number")?
        .unwrap_or(crate::statistics::recurring::DEFAULT_RECENT);
    let limit = params.count("limit", 50, 500)?;
    if !(1..=1000).contains(&n) {
        return Err(ApiError::param("n", "must be between 1 and 1000"));
    }
    if !(1..=60).contains(&recent) {
        return Err(ApiError::param("recent", "must be between 1 and 60 months"));
    }
    let places = state
        .statistics
        .recurring(&filter(&params)?, n, recent, limit)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(json!({ "places": places })))
}

async fn quarterly(State(state): State<AppState>, params: Params) -> Result<Response, ApiError> {
    use crate::statistics::report;
    let quarter = params
        .parsed::<report::Quarter>("quarter")?
        .ok_or_else(|| ApiError::param("quarter", "is required, e.g. 2026-Q3"))?;
    let r = state
        .statistics
        .quarterly(quarter, &state.cases.rules().catalogue, chrono::Utc::now())
        .await
        .map_err(ApiError::from)?;
    match params.text("format") {
        None | Some("json") => Ok(Json(json!(r)).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"report-{}.csv\"", r.quarter),
                ),
            ],
            report::csv(&r),
        )
            .into_response()),
        Some("html") => Ok(axum::response::Html(report::html(&r)).into_response()),
        Some(other) => Err(ApiError::param(
            "format",
            format!("expected json, csv or html, got {other:?}"),
        )),
    }
}

async fn heat(State(state): State<AppState>, params: Params) -> Result<Json<Value>, ApiError> {
    let cell_m = params.optional::<f64>("cell_m", "metres")?.unwrap_or(25.0);
    if !(5.0..=500.0).contains(&cell_m) {
        return Err(ApiError::param(
            "cell_m",
            "must be between 5 and 500 metres",
        ));
    }
    let radius = params.optional::<f64>("radius_m", "metres")?;
    if radius.is_some_and(|r| !(20.0..=5000.0).contains(&r)) {
        return Err(ApiError::param(
            "radius_m",
            "must be between 20 and 5000 metres",
        ));
    }
    let heat = state
        .statistics
        .heat(&filter(&params)?, cell_m, radius)
        .await
        .map_err(ApiError::from)?;
    if let Some(h) = &heat
        && h.surface.cols * h.surface.rows > 4_000_000
    {
        return Err(ApiError::param(
            "cell_m",
            "the raster would be too large; choose larger cells",
        ));
    }
    Ok(Json(json!({ "heat": heat })))
}
