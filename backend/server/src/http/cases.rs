//! `/cases`: create, read with history, act on, and list cases; `/categories`: the catalogue.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::access::Permission;
use citygrid_core::api::cases::{
    CaseDetail, CaseImportQuery, CaseImportReport, CaseList, CaseQuery, Categories, Created,
    ListFormat, NewCaseBody, TransitionBody,
};
use citygrid_core::case::{CaseId, Status};

use super::audit::AuditNote;
use super::auth::{Caller, require_places};
use super::endpoint::Endpoint;
use super::error::problem;
use super::extract::{Body, Query, count};
use super::{ApiError, AppState};
use crate::cases::NewCase;
use crate::store::CaseFilter;

/// Page sizes for listing.
pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 500;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new("get", "/categories", "cases", "The case category catalogue", get(categories))
            .access(Permission::Session)
            .answers::<Categories>(),
        Endpoint::new("put", "/categories", "cases", "Replace the case category catalogue (names, units, time limits, duplicate radii); every code in use stays", put(set_categories))
            .access(Permission::ManageCategories)
            .json::<Categories>("classes and categories, as GET /categories gives them")
            .answers::<Categories>(),
        Endpoint::new("post", "/cases", "cases", "Create a case from a report", post(create))
            .access(Permission::ReportCases)
            .json::<NewCaseBody>("category, source, lon+lat (with crs) or address, description, quantity, reporter, photos")
            .answers::<Created>()
            .ok(201, "application/json"),
        Endpoint::new("get", "/cases", "cases", "Cases matching a filter, newest first", get(list))
            .access(Permission::ReadCases)
            .queries::<CaseQuery>()
            .answers::<CaseList>(),
        Endpoint::new("post", "/cases/import", "cases", "Import historical cases from CSV", post(import))
            .access(Permission::ImportCases)
            .queries::<CaseImportQuery>()
            .body("text/csv", "category, source, created_at, lon+lat or address, …")
            .answers::<CaseImportReport>(),
        Endpoint::new("get", "/cases/{id}", "cases", "A case with its whole history", get(one))
            .access(Permission::ReadCases)
            .answers::<CaseDetail>(),
        Endpoint::new("post", "/cases/{id}/transitions", "cases", "Act on a case (the closed loop)", post(transition))
            .access(Permission::ActOnCases)
            .json::<TransitionBody>("action, note, assignee, deadline, duplicate_of, version, photo")
            .answers::<CaseDetail>(),
    ]
}

async fn categories(State(state): State<AppState>) -> Json<Categories> {
    let rules = state.cases.rules();
    let c = &rules.catalogue;
    Json(Categories {
        classes: c.classes.clone(),
        categories: c.categories.clone(),
    })
}

/// `PUT /categories`: the new catalogue applies to cases made from now on. The body is checked
/// as a whole by the catalogue (its rules name what is wrong), so it is read as text here.
async fn set_categories(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<Categories>, ApiError> {
    use crate::cases::CatalogueEditError as E;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadBody("the body is not UTF-8 text".into()))?;
    match state
        .cases
        .set_catalogue(text, &caller.user.username, Utc::now())
        .await
    {
        Ok(c) => {
            // New keywords or categories: the suggester learns them on its next ask.
            state.suggester.forget();
            Ok(Json(Categories {
                classes: c.classes,
                categories: c.categories,
            }))
        }
        Err(E::Fixed(file)) => Err(problem(
            StatusCode::CONFLICT,
            format!("the catalogue comes from {file} (--categories); change that file instead"),
        )
        .into()),
        Err(E::Invalid(detail)) => Err(problem(StatusCode::UNPROCESSABLE_ENTITY, detail)
            .at("categories")
            .into()),
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

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewCaseBody>,
) -> Result<Response, ApiError> {
    let crs = body.crs.unwrap_or_default();
    let point = match (body.lon, body.lat) {
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
    if body.category.trim().is_empty() {
        return Err(ApiError::param("category", "is required"));
    }
    let new = NewCase {
        category: body.category,
        source: body.source,
        description: body.description.unwrap_or_default(),
        quantity: body.quantity,
        point,
        address: body.address,
        accept_best: body.accept_best.unwrap_or(false),
        reporter: body.reporter,
        photos: body.photos.unwrap_or_default(),
    };
    let created: Created = state.cases.create(new, &caller.actor(), Utc::now()).await?;
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
) -> Result<Json<CaseDetail>, ApiError> {
    let id = case_id(&id)?;
    let now = Utc::now();
    let view = state.cases.get(id, &caller.actor(), now).await?;
    Ok(Json(with_candidates(&state, &caller, view, now)))
}

/// A case; one waiting to be dispatched comes with its candidates for those who dispatch, so
/// that they see them at once.
fn with_candidates(
    state: &AppState,
    caller: &Caller,
    view: crate::cases::CaseView,
    now: DateTime<Utc>,
) -> CaseDetail {
    let candidates = (view.case.status == Status::Registered
        && Permission::Dispatch.granted_to(caller.user.role))
    .then(|| {
        state.dispatch.candidates(
            &view.case,
            super::dispatch::DEFAULT_K,
            crate::routing::Mode::default(),
            now,
        )
    });
    CaseDetail { view, candidates }
}

async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<TransitionBody>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let req = body;
    let note = AuditNote(format!("action={}", req.action));
    let view = state
        .cases
        .transition(id, req, &caller.actor(), Utc::now())
        .await?;
    let mut response = Json(with_candidates(&state, &caller, view, Utc::now())).into_response();
    response.extensions_mut().insert(note);
    Ok(response)
}

fn filter(query: &CaseQuery) -> CaseFilter {
    CaseFilter {
        bbox: query.bbox.map(|b| b.corners()),
        statuses: query.status.clone().unwrap_or_default().0,
        categories: query.category.clone().unwrap_or_default().0,
        sources: query.source.clone().unwrap_or_default().0,
        grid: query.grid.clone(),
        community: query.community.clone(),
        shop: query.shop.clone(),
        street: query.street,
        created_from: query.from.map(|w| w.0),
        created_to: query.to.map(|w| w.0),
        overdue_at: query.overdue.unwrap_or(false).then(Utc::now),
        before: query.cursor.map(CaseId),
        // Set by the case service from the caller.
        reach: Default::default(),
    }
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<CaseQuery>,
) -> Result<Response, ApiError> {
    let limit = count(query.limit, "limit", DEFAULT_PAGE, MAX_PAGE)?;
    // Places may be named as people know them (古城社区) as well as by code.
    let mut query = query;
    {
        let atlas = state.district.atlas();
        query.grid = query.grid.as_deref().map(|g| atlas.grid_code(g).to_owned());
        query.community = query
            .community
            .as_deref()
            .map(|c| atlas.community_code(c).to_owned());
    }
    let named = [query.grid.as_deref(), query.community.as_deref()];
    require_places(
        &caller,
        &state.district.atlas(),
        named.into_iter().flatten(),
    )?;
    let filter = filter(&query);
    let format = query.format.unwrap_or_default();
    match format {
        ListFormat::Csv => {
            // Every case the filter selects, not a page; a byte-order mark so that
            // spreadsheet programs read the Chinese text as UTF-8.
            // Heavy work: in the export lane, within its budget.
            let mut csv = "\u{feff}".as_bytes().to_vec();
            let actor = caller.actor();
            let export =
                state
                    .cases
                    .export_csv(&filter, &actor, Utc::now(), query.lang.unwrap_or_default());
            csv.extend(
                state
                    .heavy
                    .run_async(crate::heavy::Kind::Export, export)
                    .await??,
            );
            return Ok(super::csv_answer::attachment("cases.csv", csv));
        }
        ListFormat::Points => {
            let found = state
                .cases
                .map_points(&filter, &caller.actor(), Utc::now())
                .await?;
            let body = super::geojson::map_points(&found);
            return Ok(
                ([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response(),
            );
        }
        ListFormat::Gpkg | ListFormat::Shp => {
            return gis_export(&state, &caller, &filter, &query, format).await;
        }
        ListFormat::Json | ListFormat::Geojson => {}
    }
    let cases = state
        .cases
        .list(&filter, &caller.actor(), limit, Utc::now())
        .await?;
    let next_cursor = (cases.len() == limit)
        .then(|| cases.last().map(|c| c.case.id))
        .flatten();
    if format == ListFormat::Geojson {
        let body = super::geojson::cases(&cases, next_cursor);
        return Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(body)).into_response());
    }
    Ok(Json(CaseList { cases, next_cursor }).into_response())
}

/// Every case the filter selects, with its responsibility, as a GeoPackage or zipped
/// Shapefiles for a GIS, in the system the query asks for. Heavy work: in the export lane.
async fn gis_export(
    state: &AppState,
    caller: &Caller,
    filter: &CaseFilter,
    query: &CaseQuery,
    format: ListFormat,
) -> Result<Response, ApiError> {
    use crate::export::gis::{self, ExportOptions, GisFormat};
    let format = if format == ListFormat::Gpkg {
        GisFormat::GeoPackage
    } else {
        GisFormat::Shapefile
    };
    let crs = super::layer_upload::crs_param(query.crs.as_deref())?.unwrap_or_default();
    let options = ExportOptions {
        crs,
        ..ExportOptions::default()
    };
    gis::target(&options).map_err(|e| ApiError::param("crs", e.to_string()))?;
    let actor = caller.actor();
    let lang = query.lang.unwrap_or_default();
    let cases = state.cases.clone();
    let filter = filter.clone();
    let work = async move {
        let features = cases
            .export_features(&filter, &actor, Utc::now(), lang)
            .await?;
        gis::write("cases", None, &features, format, &options)
            .await
            .map_err(|e| ApiError::param("format", e.to_string()))
    };
    let bytes = state
        .heavy
        .run_async(crate::heavy::Kind::Export, work)
        .await??;
    let disposition = format!("attachment; filename=\"cases.{}\"", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /cases/import?skip_invalid=`: historical cases from CSV.
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<CaseImportQuery>,
    body: Bytes,
) -> Result<Json<CaseImportReport>, ApiError> {
    use crate::cases::csv_io::CsvImportError;
    let skip = query.skip_invalid.unwrap_or(false);
    match state
        .cases
        .import_csv(&body, skip, &caller.user.username)
        .await
    {
        Ok(report) => {
            state.suggester.forget();
            Ok(Json(report))
        }
        Err(CsvImportError::Format(e)) => Err(ApiError::BadBody(e)),
        Err(CsvImportError::Rows(rows)) => Err(super::error::rows_refused(
            format!(
                "{} invalid row(s); nothing was imported (skip_invalid=true imports the rest)",
                rows.len()
            ),
            rows,
        )),
        Err(CsvImportError::Case(e)) => Err(e.into()),
    }
}
