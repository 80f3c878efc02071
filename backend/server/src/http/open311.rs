//! Open311 GeoReport v2 at `/open311/v2`: service discovery, services (the case categories),
//! service definitions, posting requests (reports from the public) and reading them back, in
//! XML (required by the specification) and JSON, with the specification's error format.
//! Reporters' personal data never appears in an answer.

pub mod form;
mod xml;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use citygrid_core::case::{CaseId, Status};
use serde_json::{Map, Value, json};

use super::AppState;
use citygrid_core::access::Permission;

use super::endpoint::Endpoint;
use super::rate_limit::Door;
use crate::cases::{Actor, CaseError, CaseView};
use crate::store::CaseFilter;

/// The default window of `GET requests`: the last 90 days, at most 1,000 requests.
const DEFAULT_WINDOW_DAYS: i64 = 90;
const MAX_RESULTS: usize = 1000;
/// The most requests one `service_request_id` list may name (after duplicates are dropped).
pub const MAX_IDS: usize = 100;

/// Open311 settings: the API keys allowed to post, and the jurisdiction id.
#[derive(Debug, Clone, Default)]
pub struct Open311Config {
    pub api_keys: Vec<String>,
    pub jurisdiction_id: String,
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/open311/v2/{resource}",
            "open311",
            "discovery, services or requests, as .xml or .json",
            get(collection),
        )
        .access(Permission::Public)
        .limited(Door::PublicReads)
        .at_root()
        .query(
            "jurisdiction_id",
            "string",
            "accepted and ignored (one jurisdiction)",
        )
        .query(
            "service_request_id",
            "string",
            "requests: comma-separated ids",
        )
        .query(
            "service_code",
            "string",
            "requests: comma-separated service codes",
        )
        .query(
            "start_date",
            "string",
            "requests: from (w3c date-time; default 90 days before end_date)",
        )
        .query("end_date", "string", "requests: until (default now)")
        .query("status", "string", "requests: open or closed")
        .query("page", "integer", "requests: page number (from 1)")
        .query("page_size", "integer", "requests: page size (at most 1000)")
        .ok(200, "text/xml"),
        Endpoint::new(
            "post",
            "/open311/v2/{resource}",
            "open311",
            "Post a service request (requests.xml or requests.json)",
            post(post_requests),
        )
        .access(Permission::Public)
        .limited(Door::PublicReports)
        .at_root()
        .body(
            "application/x-www-form-urlencoded",
            "api_key, service_code, lat+long or address_string, description, …",
        )
        .ok(201, "text/xml"),
        Endpoint::new(
            "get",
            "/open311/v2/services/{code}",
            "open311",
            "A service definition (code.xml or code.json)",
            get(service_definition),
        )
        .access(Permission::Public)
        .limited(Door::PublicReads)
        .at_root()
        .ok(200, "text/xml"),
        Endpoint::new(
            "get",
            "/open311/v2/requests/{id}",
            "open311",
            "A service request (id.xml or id.json)",
            get(one_request),
        )
        .access(Permission::Public)
        .limited(Door::PublicReads)
        .at_root()
        .ok(200, "text/xml"),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    Json,
}

/// `services.json` → ("services", Json).
fn split(resource: &str) -> Option<(&str, Format)> {
    let (name, ext) = resource.rsplit_once('.')?;
    let format = match ext {
        "xml" => Format::Xml,
        "json" => Format::Json,
        _ => return None,
    };
    Some((name, format))
}

/// An Open311 error: `[{"code", "description"}]` or `<errors><error>…</error></errors>`.
struct Open311Error {
    status: StatusCode,
    description: String,
    format: Format,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>, format: Format) -> Self {
        Self {
            status,
            description: description.into(),
            format,
        }
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let record = json!({ "code": self.status.as_u16(), "description": self.description });
        let records = [record.as_object().cloned().unwrap_or_default()];
        render(self.status, self.format, "errors", "error", &records)
    }
}

fn render(
    status: StatusCode,
    format: Format,
    root: &str,
    record: &str,
    records: &[Map<String, Value>],
) -> Response {
    match format {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            Value::Array(records.iter().cloned().map(Value::Object).collect()).to_string(),
        )
            .into_response(),
        Format::Xml => (
            status,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml::document(root, record, records),
        )
            .into_response(),
    }
}

/// Middleware on the Open311 routes: an error answered before a handler ran (a rate limit, a
/// query string that cannot be read, a method not allowed) is given in the specification's
/// error format, XML or JSON as the path's extension asks, with its status and `Retry-After`.
pub async fn errors_in_format(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let format = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(split)
        .map_or(Format::Json, |(_, f)| f);
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let open311 =
        content_type.starts_with("application/json") || content_type.starts_with("text/xml");
    if !(status.is_client_error() || status.is_server_error()) || open311 {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let description = serde_json::from_slice::<citygrid_core::api::Problem>(&text).map_or_else(
        |_| String::from_utf8_lossy(&text).trim().to_owned(),
        |p| p.detail,
    );
    let description = if description.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        description
    };
    let mut answer = Open311Error::new(status, description, format).into_response();
    if let Some(wait) = retry_after {
        answer.headers_mut().insert(header::RETRY_AFTER, wait);
    }
    answer
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn collection(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let Some((name, format)) = split(&resource) else {
        return Open311Error::new(
            StatusCode::NOT_FOUND,
            format!("no resource {resource}; use .xml or .json"),
            Format::Json,
        )
        .into_response();
    };
    let q: HashMap<String, String> = q.into_iter().collect();
    match name {
        "discovery" => discovery(&state, format),
        "services" => services(&state, format),
        "requests" => requests(&state, &q, format)
            .await
            .unwrap_or_else(IntoResponse::into_response),
        _ => Open311Error::new(StatusCode::NOT_FOUND, format!("no resource {name}"), format)
            .into_response(),
    }
}

fn discovery(state: &AppState, format: Format) -> Response {
    let endpoint = json!({
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "/open311/v2",
        "changeset": "2026-11-27T00:00:00Z",
        "type": "production",
        "formats": ["text/xml", "application/json"],
    });
    let d = json!({
        "changeset": "2026-11-27T00:00:00Z",
        "contact": "the district city-management bureau",
        "key_service": "API keys are issued by the bureau",
        "jurisdiction_id": state.open311.jurisdiction_id,
        "endpoints": [endpoint],
    });
    match format {
        Format::Json => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            d.to_string(),
        )
            .into_response(),
        Format::Xml => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml::object("discovery", d.as_object().unwrap_or(&Map::new())),
        )
            .into_response(),
    }
}

fn service_record(c: &citygrid_core::category::Category, group: &str) -> Map<String, Value> {
    json!({
        "service_code": c.code.as_str(),
        "service_name": c.name_zh,
        "description": format!("{} / {} (counted in {}; time limit {})", c.name_zh, c.name_en, c.unit, c.limit),
        "metadata": false,
        "type": "realtime",
        "keywords": format!("{},{}", c.name_en, c.unit),
        "group": group,
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

fn services(state: &AppState, format: Format) -> Response {
    let catalogue = &state.cases.rules().catalogue;
    let records: Vec<Map<String, Value>> = catalogue
        .categories
        .iter()
        .map(|c| {
            let group = catalogue
                .classes
                .iter()
                .find(|k| k.code == c.class_code())
                .map_or("", |k| k.name_zh.as_str());
            service_record(c, group)
        })
        .collect();
    render(StatusCode::OK, format, "services", "service", &records)
}

async fn service_definition(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let Some((code, format)) = split(&code) else {
        return Open311Error::new(StatusCode::NOT_FOUND, "use .xml or .json", Format::Json)
            .into_response();
    };
    if state.cases.rules().catalogue.get(code).is_none() {
        return Open311Error::new(StatusCode::NOT_FOUND, format!("no service {code}"), format)
            .into_response();
    }
    // citygrid's services take no extra attributes.
    let def = json!({ "service_code": code, "attributes": [] });
    match format {
        Format::Json => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            def.to_string(),
        )
            .into_response(),
        Format::Xml => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml::object("service_definition", def.as_object().unwrap_or(&Map::new())),
        )
            .into_response(),
    }
}

/// Open311 readers see public case data: every case, never a reporter's contact.
fn reader() -> Actor {
    Actor::public("open311")
}

/// A case as an Open311 service request: no reporter data.
fn request_record(v: &CaseView, state: &AppState) -> Map<String, Value> {
    let c = &v.case;
    let catalogue = &state.cases.rules().catalogue;
    let name = catalogue
        .get(c.category.as_str())
        .map_or_else(|| c.category.to_string(), |k| k.name_zh.clone());
    let open = c.status.is_open();
    // Only a note staff made public; internal ones never leave the bureau.
    let notes = v.events.as_ref().and_then(|es| {
        es.iter()
            .rev()
            .filter(|e| e.visibility.is_public())
            .find_map(|e| e.note.clone())
    });
    let address = c.address.clone().or_else(|| {
        c.location.street.as_ref().map(|s| match s.house_number {
            Some(n) => format!("{}{n}号", s.name),
            None => s.name.to_string(),
        })
    });
    let agency = c.location.community.as_ref().map_or_else(
        || "城市管理局".to_owned(),
        |k| format!("城市管理局（{}）", k.name),
    );
    json!({
        "service_request_id": c.id.0.to_string(),
        "status": if open { "open" } else { "closed" },
        "status_notes": notes,
        "service_name": name,
        "service_code": c.category.as_str(),
        "description": c.description,
        "agency_responsible": agency,
        "service_notice": null,
        "requested_datetime": time(c.created_at),
        "updated_datetime": time(c.updated_at),
        "expected_datetime": if open { Value::from(time(c.deadline)) } else { Value::Null },
        "address": address,
        "address_id": null,
        "zipcode": null,
        "lat": c.point.lat,
        "long": c.point.lon,
        "media_url": null,
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

fn bad(format: Format, description: impl Into<String>) -> Open311Error {
    Open311Error::new(StatusCode::BAD_REQUEST, description, format)
}

fn date(
    q: &HashMap<String, String>,
    name: &str,
    format: Format,
) -> Result<Option<DateTime<Utc>>, Open311Error> {
    q.get(name)
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            DateTime::parse_from_rfc3339(s.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    bad(
                        format,
                        format!("{name} must be a w3c date-time such as 2026-11-27T08:00:00Z"),
                    )
                })
        })
        .transpose()
}

async fn requests(
    state: &AppState,
    q: &HashMap<String, String>,
    format: Format,
) -> Result<Response, Open311Error> {
    let now = Utc::now();
    let mut views = Vec::new();
    if let Some(ids) = q.get("service_request_id").filter(|s| !s.trim().is_empty()) {
        let mut wanted: Vec<i64> = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let id: i64 = id
                .parse()
                .map_err(|_| bad(format, format!("service_request_id {id:?} is not an id")))?;
            if !wanted.contains(&id) {
                wanted.push(id);
            }
            if wanted.len() > MAX_IDS {
                return Err(bad(
                    format,
                    format!("service_request_id names more than {MAX_IDS} requests"),
                ));
            }
        }
        for id in wanted {
            match state.cases.get(CaseId(id), &reader(), now).await {
                Ok(v) => views.push(v),
                Err(CaseError::NotFound(_)) => {}
                Err(e) => return Err(internal(&e, format)),
            }
        }
    } else {
        let end = date(q, "end_date", format)?.unwrap_or(now);
        let start =
            date(q, "start_date", format)?.unwrap_or(end - Duration::days(DEFAULT_WINDOW_DAYS));
        let statuses = match q.get("status").map(|s| s.trim()) {
            None | Some("") => Vec::new(),
            Some(list) => {
                let mut out = Vec::new();
                for s in list.split(',').map(str::trim) {
                    match s {
                        "open" => out.extend(Status::ALL.into_iter().filter(|s| s.is_open())),
                        "closed" => out.extend(Status::ALL.into_iter().filter(|s| !s.is_open())),
                        other => {
                            return Err(bad(
                                format,
                                format!("status {other:?} is not open or closed"),
                            ));
                        }
                    }
                }
                out
            }
        };
        let categories = q
            .get("service_code")
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let page_size = match q.get("page_size") {
            Some(s) => s
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_RESULTS).contains(n))
                .ok_or_else(|| bad(format, "page_size must be between 1 and 1000"))?,
            None => MAX_RESULTS,
        };
        let page = match q.get("page") {
            Some(s) => s
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| bad(format, "page must be a whole number from 1"))?,
            None => 1,
        };
        let filter = CaseFilter {
            statuses,
            categories,
            created_from: Some(start),
            created_to: Some(end + Duration::seconds(1)),
            ..CaseFilter::default()
        };
        // Pages are counted from the newest; a page beyond the window is empty.
        let wanted = page * page_size;
        let mut all = state
            .cases
            .list(&filter, &reader(), wanted.min(MAX_RESULTS * 10), now)
            .await
            .map_err(|e| internal(&e, format))?;
        views = all
            .drain(((page - 1) * page_size).min(all.len())..)
            .take(page_size)
            .collect();
    }
    let records: Vec<Map<String, Value>> = views.iter().map(|v| request_record(v, state)).collect();
    Ok(render(
        StatusCode::OK,
        format,
        "service_requests",
        "request",
        &records,
    ))
}

fn internal(e: &CaseError, format: Format) -> Open311Error {
    if let CaseError::Store(s) = e
        && s.is_unavailable()
    {
        tracing::warn!(error = %e, "open311: database unavailable");
        return Open311Error::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database cannot be reached at the moment; try again shortly",
            format,
        );
    }
    tracing::error!(error = %e, "open311");
    Open311Error::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "an internal error occurred; it has been logged",
        format,
    )
}

async fn one_request(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some((id, format)) = split(&id) else {
        return Open311Error::new(StatusCode::NOT_FOUND, "use .xml or .json", Format::Json)
            .into_response();
    };
    let Ok(id) = id.parse::<i64>() else {
        return Open311Error::new(StatusCode::NOT_FOUND, format!("no request {id}"), format)
            .into_response();
    };
    match state.cases.get(CaseId(id), &reader(), Utc::now()).await {
        Ok(v) => render(
            StatusCode::OK,
            format,
            "service_requests",
            "request",
            &[request_record(&v, &state)],
        ),
        Err(CaseError::NotFound(_)) => {
            Open311Error::new(StatusCode::NOT_FOUND, format!("no request {id}"), format)
                .into_response()
        }
        Err(e) => internal(&e, format).into_response(),
    }
}

async fn post_requests(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(("requests", format)) = split(&resource) else {
        return Open311Error::new(
            StatusCode::NOT_FOUND,
            format!("cannot post to {resource}"),
            Format::Json,
        )
        .into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    // The key first: a client without one learns nothing about its form.
    match form::api_key(content_type, &body).as_deref() {
        Some(key) if state.open311.api_keys.iter().any(|k| k == key) => {}
        Some(_) => {
            return Open311Error::new(StatusCode::FORBIDDEN, "api_key is not valid", format)
                .into_response();
        }
        None => {
            return Open311Error::new(
                StatusCode::FORBIDDEN,
                "api_key is required to post a request",
                format,
            )
            .into_response();
        }
    }
    let posted = match form::parse(content_type, &body) {
        Ok(p) => p,
        Err(e) => return bad(format, e).into_response(),
    };
    let actor = Actor::public(format!(
        "open311:{}",
        posted.client.as_deref().unwrap_or("client")
    ));
    let new = posted.case;
    match state.cases.create(new, &actor, Utc::now()).await {
        Ok(created) => {
            let record = json!({ "service_request_id": created.case.case.id.0.to_string(), "service_notice": null, "account_id": null });
            render(
                StatusCode::CREATED,
                format,
                "service_requests",
                "request",
                &[record.as_object().cloned().unwrap_or_default()],
            )
        }
        Err(CaseError::Field { field, problem }) => {
            let field = match field {
                "category" => "service_code",
                "location" => "lat/long or address_string",
                "address" => "address_string",
                other => other,
            };
            bad(format, format!("{field}: {problem}")).into_response()
        }
        Err(CaseError::OutsideDistrict) => Open311Error::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "lat/long: the point is outside the district this service answers for",
            format,
        )
        .into_response(),
        Err(CaseError::Ambiguous { candidates }) => {
            let names: Vec<String> = candidates.iter().map(|c| c.label.clone()).collect();
            bad(
                format,
                format!(
                    "address_string matches several places: {}; send lat and long",
                    names.join("; ")
                ),
            )
            .into_response()
        }
        Err(e) => internal(&e, format).into_response(),
    }
}
