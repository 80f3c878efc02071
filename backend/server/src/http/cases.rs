//! `/cases`: create, read with history, act on, and list cases; `/categories`: the catalogue.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use citygrid_core::case::{Action, CaseId, Reporter, Source, Status};
use citygrid_core::{Crs, LonLat};
use serde_json::json;

use super::audit::AuditNote;
use super::auth::{Caller, require_places};
use super::body::Fields;
use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::params::Params;
use super::{ApiError, AppState};
use crate::cases::{NewCase, TransitionRequest};
use crate::store::CaseFilter;

/// Page sizes for listing.
pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 500;

pub fn endpoints() -> Vec<Endpoint> {
    let filters = |e: Endpoint| {
        e.query("bbox", "string", "minlon,minlat,maxlon,maxlat")
            .query("status", "string", "comma-separated states")
            .query("category", "string", "comma-separated category codes")
            .query("source", "string", "comma-separated sources")
            .query("grid", "string", "grid cell code")
            .query("community", "string", "community code")
            .query("shop", "string", "shop code")
            .query("street", "integer", "street id")
            .query("from", "string", "created at or after (date or RFC 3339)")
            .query("to", "string", "created before (date or RFC 3339)")
            .query(
                "overdue",
                "boolean",
                "only cases past their handling deadline",
            )
            .query("limit", "integer", "page size (1–500, default 50)")
            .query("cursor", "integer", "next_cursor of the previous page")
            .query(
                "format",
                "string",
                "json (default), geojson, csv (every case the filter selects) or points (every case the filter selects, up to 100,000, as lean GeoJSON for the map)",
            )
    };
    vec![
        Endpoint::new("get", "/categories", "cases", "The case category catalogue", get(categories))
            .access(Permission::Session),
        Endpoint::new("put", "/categories", "cases", "Replace the case category catalogue (names, units, time limits, duplicate radii); every code in use stays", put(set_categories))
            .access(Permission::ManageCategories)
            .body("application/json", "classes and categories, as GET /categories gives them"),
        Endpoint::new("post", "/cases", "cases", "Create a case from a report", post(create))
            .access(Permission::ReportCases)
            .body("application/json", "category, source, lon+lat (with crs) or address, description, quantity, reporter, photos")
            .ok(201, "application/json"),
        filters(Endpoint::new("get", "/cases", "cases", "Cases matching a filter, newest first", get(list))
            .access(Permission::ReadCases)),
        Endpoint::new("post", "/cases/import", "cases", "Import historical cases from CSV", post(import))
            .access(Permission::ImportCases)
            .query("skip_invalid", "boolean", "import the valid rows and list the others")
            .body("text/csv", "category, source, created_at, lon+lat or address, …"),
        Endpoint::new("get", "/cases/{id}", "cases", "A case with its whole history", get(one))
            .access(Permission::ReadCases),
        Endpoint::new("post", "/cases/{id}/transitions", "cases", "Act on a case (the closed loop)", post(transition))
            .access(Permission::ActOnCases)
            .body("application/json", "action, note, assignee, deadline, duplicate_of, version, photo"),
    ]
}

async fn categories(State(state): State<AppState>) -> Json<serde_json::Value> {
    let rules = state.cases.rules();
    let c = &rules.catalogue;
    Json(json!({ "classes": c.classes, "categories": c.categories }))
}

/// `PUT /categories`: the new catalogue applies to cases made from now on.
async fn set_categories(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    use crate::cases::CatalogueEditError as E;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadBody("the body is not UTF-8 text".into()))?;
    match state
        .cases
        .set_catalogue(text, &caller.user.username, Utc::now())
        .await
    {
        Ok(c) => Ok(Json(
            json!({ "classes": c.classes, "categories": c.categories }),
        )),
        Err(E::Fixed(file)) => Err(ApiError::Problem {
            status: StatusCode::CONFLICT,
            detail: format!(
                "the catalogue comes from {file} (--categories); change that file instead"
            ),
            field: None,
            members: serde_json::Map::new(),
        }),
        Err(E::Invalid(problem)) => Err(ApiError::Problem {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: problem,
            field: Some("categories".into()),
            members: serde_json::Map::new(),
        }),
        Err(E::Store(e)) => Err(e.into()),
    }
}

/// A case id from a path (anything else is a case that does not exist).
pub(super) fn case_id(text: &str) -> Result<CaseId, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(CaseId)
        .ok_or_else(|| ApiError::NotFound(format!("no case {text}")))
}

fn reporter(fields: &Fields) -> Result<Option<Reporter>, ApiError> {
    let Some(r) = fields.object("reporter")? else {
        return Ok(None);
    };
    Ok(Some(Reporter {
        name: r.text("name")?,
        phone: r.text("phone")?,
    }))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let f = Fields::parse(&body)?;
    let crs = f.parsed::<Crs>("crs")?.unwrap_or_default();
    let point = match (f.number("lon")?, f.number("lat")?) {
        (Some(lon), Some(lat)) => {
            let p = LonLat::new(lon, lat).map_err(|e| {
                ApiError::param(
                    if LonLat::new(lon, 0.0).is_err() {
                        "lon"
                    } else {
                        "lat"
                    },
                    e.to_string(),
                )
            })?;
            Some(crs.to_wgs84(p))
        }
        (Some(_), None) => return Err(ApiError::param("lat", "is required with lon")),
        (None, Some(_)) => return Err(ApiError::param("lon", "is required with lat")),
        (None, None) => None,
    };
    let new = NewCase {
        category: f.required_text("category")?,
        source: f
            .parsed::<Source>("source")?
            .ok_or_else(|| ApiError::param("source", "is required"))?,
        description: f.text("description")?.unwrap_or_default(),
        quantity: f.number("quantity")?,
        point,
        address: f.text("address")?,
        accept_best: f.boolean("accept_best")?.unwrap_or(false),
        reporter: reporter(&f)?,
        photos: f.text_list("photos")?,
    };
    let created = state.cases.create(new, &caller.actor(), Utc::now()).await?;
    let location = format!("/api/v1/cases/{}", created.case.case.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(created),
    )
        .into_response())
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = case_id(&id)?;
    let now = Utc::now();
    let view = state.cases.get(id, &caller.actor(), now).await?;
    let body = with_candidates(&state, &caller, &view, now)?;
    Ok(Json(body))
}

/// A case as JSON; one waiting to be dispatched comes with its candidates for those who
/// dispatch, so that they see them at once.
fn with_candidates(
    state: &AppState,
    caller: &Caller,
    view: &crate::cases::CaseView,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, ApiError> {
    let mut body = serde_json::to_value(view).map_err(|e| ApiError::Internal(e.to_string()))?;
    if view.case.status == Status::Registered
        && Permission::Dispatch.granted_to(caller.user.role)
        && let Some(map) = body.as_object_mut()
    {
        let found = state.dispatch.candidates(
            &view.case,
            super::dispatch::DEFAULT_K,
            crate::routing::Mode::default(),
            now,
        );
        map.insert("candidates".into(), json!(found));
    }
    Ok(body)
}

async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let f = Fields::parse(&body)?;
    let deadline = f
        .text("deadline")?
        .map(|t| DateTime::parse_from_rfc3339(&t).map(|d| d.with_timezone(&Utc)))
        .transpose()
        .map_err(|_| {
            ApiError::param(
                "deadline",
                "expected an RFC 3339 time such as 2026-11-30T17:30:00+08:00",
            )
        })?;
    let req = TransitionRequest {
        action: f
            .parsed::<Action>("action")?
            .ok_or_else(|| ApiError::param("action", "is required"))?,
        note: f.text("note")?,
        assignee: f.text("assignee")?,
        deadline,
        duplicate_of: f.integer("duplicate_of")?.map(CaseId),
        version: f.integer("version")?,
        photo: f.text("photo")?,
    };
    let note = AuditNote(format!("action={}", req.action));
    let view = state
        .cases
        .transition(id, req, &caller.actor(), Utc::now())
        .await?;
    let mut response = Json(with_candidates(&state, &caller, &view, Utc::now())?).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

fn filter(params: &Params) -> Result<CaseFilter, ApiError> {
    let bbox = params
        .text("bbox")
        .map(super::layers::parse_bbox)
        .transpose()?
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]);
    let overdue = params
        .optional::<bool>("overdue", "true or false")?
        .unwrap_or(false);
    Ok(CaseFilter {
        bbox,
        statuses: params.list::<Status>("status")?,
        categories: params.list::<String>("category")?,
        sources: params.list::<Source>("source")?,
        grid: params.text("grid").map(str::to_owned),
        community: params.text("community").map(str::to_owned),
        shop: params.text("shop").map(str::to_owned),
        street: params.optional::<u32>("street", "a street id")?,
        created_from: params.time("from")?,
        created_to: params.time("to")?,
        overdue_at: overdue.then(Utc::now),
        before: params
            .optional::<i64>("cursor", "a cursor from next_cursor")?
            .map(CaseId),
        // Set by the case service from the caller.
        reach: Default::default(),
    })
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let limit = params.count("limit", DEFAULT_PAGE, MAX_PAGE)?;
    let named = [params.text("grid"), params.text("community")];
    require_places(
        &caller,
        &state.district.atlas(),
        named.into_iter().flatten(),
    )?;
    let geojson = match params.text("format") {
        None | Some("json") => false,
        Some("geojson") => true,
        Some("csv") => {
            // Every case the filter selects, not a page; a byte-order mark so that
            // spreadsheet programs read the Chinese text as UTF-8.
            let mut csv = "\u{feff}".as_bytes().to_vec();
            csv.extend(
                state
                    .cases
                    .export_csv(&filter(&params)?, &caller.actor(), Utc::now())
                    .await?,
            );
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"cases.csv\"",
                ),
            ];
            return Ok((headers, csv).into_response());
        }
        Some("points") => {
            let body = state
                .cases
                .map_points(&filter(&params)?, &caller.actor(), Utc::now())
                .await?;
            return Ok(
                ([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response(),
            );
        }
        Some(other) => {
            return Err(ApiError::param(
                "format",
                format!("expected json, geojson, csv or points, got {other:?}"),
            ));
        }
    };
    let cases = state
        .cases
        .list(&filter(&params)?, &caller.actor(), limit, Utc::now())
        .await?;
    let next_cursor = (cases.len() == limit)
        .then(|| cases.last().map(|c| c.case.id))
        .flatten();
    if geojson {
        let features: Vec<_> = cases
            .iter()
            .map(|c| json!({ "type": "Feature", "id": c.case.id, "geometry": { "type": "Point", "coordinates": [c.case.point.lon, c.case.point.lat] }, "properties": c }))
            .collect();
        let body = json!({ "type": "FeatureCollection", "features": features, "next_cursor": next_cursor });
        return Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response());
    }
    Ok(Json(json!({ "cases": cases, "next_cursor": next_cursor })).into_response())
}

/// `POST /cases/import?skip_invalid=`: historical cases from CSV.
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    body: Bytes,
) -> Result<Json<crate::cases::csv_io::ImportReport>, ApiError> {
    use crate::cases::csv_io::CsvImportError;
    let skip = params
        .optional::<bool>("skip_invalid", "true or false")?
        .unwrap_or(false);
    match state
        .cases
        .import_csv(&body, skip, &caller.user.username)
        .await
    {
        Ok(report) => Ok(Json(report)),
        Err(CsvImportError::Format(e)) => Err(ApiError::BadBody(e)),
        Err(CsvImportError::Rows(rows)) => Err(ApiError::Problem {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: format!(
                "{} invalid row(s); nothing was imported (skip_invalid=true imports the rest)",
                rows.len()
            ),
            field: None,
            members: json!({ "errors": rows })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        }),
        Err(CsvImportError::Case(e)) => Err(e.into()),
    }
}
