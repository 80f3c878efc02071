//! Cases in and out as CSV: the export of exactly what a filter selects, and the bulk import of
//! historical cases (all or nothing, or skipping invalid rows on request, each reported by line).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use citygrid_core::case::{Case, CaseEvent, CaseId, Source, Status};
use citygrid_core::{Crs, LonLat};

use super::view::CaseView;
use super::{CaseError, CaseService};
use crate::atlas::LocateOptions;
use crate::import::CsvTable;
use crate::store::CaseFilter;

/// The columns of an export, in order.
pub const EXPORT_COLUMNS: [&str; 22] = [
    "id",
    "created_at",
    "category",
    "category_name",
    "source",
    "status",
    "description",
    "quantity",
    "unit",
    "lon",
    "lat",
    "address",
    "grid",
    "community",
    "subdistrict",
    "street",
    "house_number",
    "shop",
    "assignee",
    "deadline",
    "overdue",
    "updated_at",
];

/// The export's columns as a Chinese header row names them (same order as [`EXPORT_COLUMNS`]);
/// an import reads either.
pub const EXPORT_COLUMNS_ZH: [&str; 22] = [
    "案件编号",
    "上报时间",
    "类别编码",
    "类别",
    "来源",
    "状态",
    "描述",
    "数量",
    "单位",
    "经度",
    "纬度",
    "地址",
    "网格",
    "社区",
    "街道办",
    "道路",
    "门牌号",
    "门责商户",
    "处置人",
    "处置时限",
    "超期",
    "更新时间",
];

/// The Chinese header names an import reads as citygrid's column names.
fn header_aliases() -> impl Iterator<Item = (&'static str, &'static str)> {
    EXPORT_COLUMNS_ZH.into_iter().zip(EXPORT_COLUMNS)
}

/// The export's column names in `lang`.
fn header(lang: HeaderLanguage) -> [&'static str; 22] {
    match lang {
        HeaderLanguage::En => EXPORT_COLUMNS,
        HeaderLanguage::Zh => EXPORT_COLUMNS_ZH,
    }
}

/// Rows per page read from the store while exporting.
const EXPORT_PAGE: usize = 1000;

pub use citygrid_core::api::cases::{CaseImportReport as ImportReport, HeaderLanguage, RowError};

/// Why an import was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum CsvImportError {
    #[error("the file is not CSV with a header row: {0}")]
    Format(String),
    #[error("{} invalid row(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// A time as a CSV row writes it: RFC 3339, or local time in `tz` (`2026-09-15 10:30`).
pub(crate) fn local_time(text: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        .map(|t| t.with_timezone(&Utc))
}

impl CaseService {
    /// Every case the filter selects, as the export's rows (the columns of [`EXPORT_COLUMNS`]),
    /// read from the store page by page.
    async fn export_rows(
        &self,
        filter: &CaseFilter,
        actor: &super::Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<[String; 22]>, CaseError> {
        let rules = self.rules();
        let tz = rules.calendar.timezone;
        let mut rows = Vec::new();
        let mut filter = filter.clone();
        loop {
            let page: Vec<CaseView> = self.list(&filter, actor, EXPORT_PAGE, now).await?;
            for v in &page {
                let c = &v.case;
                let cat = rules.catalogue.get(c.category.as_str());
                let l = &c.location;
                let t =
                    |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string();
                rows.push([
                    c.id.to_string(),
                    t(c.created_at),
                    c.category.to_string(),
                    cat.map(|k| k.name_zh.clone()).unwrap_or_default(),
                    c.source.to_string(),
                    c.status.to_string(),
                    c.description.clone(),
                    c.quantity.map(|q| q.to_string()).unwrap_or_default(),
                    cat.map(|k| k.unit.clone()).unwrap_or_default(),
                    c.point.lon.to_string(),
                    c.point.lat.to_string(),
                    c.address.clone().unwrap_or_default(),
                    l.grid
                        .as_ref()
                        .map(|g| g.code.to_string())
                        .unwrap_or_default(),
                    l.community
                        .as_ref()
                        .map(|k| k.name.to_string())
                        .unwrap_or_default(),
                    l.subdistrict.as_deref().unwrap_or("").to_owned(),
                    l.street
                        .as_ref()
                        .map(|s| s.name.to_string())
                        .unwrap_or_default(),
                    l.street
                        .as_ref()
                        .and_then(|s| s.house_number)
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    l.shop
                        .as_ref()
                        .map(|s| s.name.to_string())
                        .unwrap_or_default(),
                    c.assignee.clone().unwrap_or_default(),
                    t(c.deadline),
                    v.overdue.to_string(),
                    t(c.updated_at),
                ]);
            }
            match page.last() {
                Some(last) if page.len() == EXPORT_PAGE => filter.before = Some(last.case.id),
                _ => break,
            }
        }
        Ok(rows)
    }

    /// Every case the filter selects as CSV with a header row (in `lang`; times in the
    /// district's time zone).
    pub async fn export_csv(
        &self,
        filter: &CaseFilter,
        actor: &super::Actor,
        now: DateTime<Utc>,
        lang: HeaderLanguage,
    ) -> Result<Vec<u8>, CaseError> {
        let mut w = crate::csv_cells::CsvOut::new();
        let io = |e: csv::Error| CaseError::field("export", e.to_string());
        w.row(header(lang)).map_err(io)?;
        for row in self.export_rows(filter, actor, now).await? {
            w.row(row).map_err(io)?;
        }
        w.into_bytes().map_err(io)
    }

    /// Every case the filter selects as a GeoJSON FeatureCollection of points with the export's
    /// columns as properties (named in `lang`; empty ones left out), for a GIS file.
    pub async fn export_features(
        &self,
        filter: &CaseFilter,
        actor: &super::Actor,
        now: DateTime<Utc>,
        lang: HeaderLanguage,
    ) -> Result<serde_json::Value, CaseError> {
        use serde_json::{Value, json};
        let names = header(lang);
        let features: Vec<Value> = self
            .export_rows(filter, actor, now)
            .await?
            .into_iter()
            .map(|row| {
                let mut properties = serde_json::Map::new();
                let (mut lon, mut lat) = (0.0, 0.0);
                for ((column, name), value) in EXPORT_COLUMNS.iter().zip(names).zip(row) {
                    let value = match *column {
                        "lon" => {
                            lon = value.parse().unwrap_or(0.0);
                            continue;
                        }
                        "lat" => {
                            lat = value.parse().unwrap_or(0.0);
                            continue;
                        }
                        _ if value.is_empty() => continue,
                        "id" => value
                            .parse::<i64>()
                            .map_or(Value::String(value), Value::from),
                        "quantity" => value.parse::<f64>().map_or(Value::Null, Value::from),
                        "overdue" => Value::Bool(value == "true"),
                        _ => Value::String(value),
                    };
                    properties.insert(name.to_owned(), value);
                }
                json!({
                    "type": "Feature",
                    "geometry": { "type": "Point", "coordinates": [lon, lat] },
                    "properties": properties,
                })
            })
            .collect();
        Ok(json!({ "type": "FeatureCollection", "features": features }))
    }

    /// Imports historical cases from CSV with a header row. Columns: `category`, `source`,
    /// `created_at` (RFC 3339, or local `YYYY-MM-DD HH:MM[:SS]`), `lon` + `lat` (with an optional
    /// `crs`) or `address`; optional `description`, `quantity`, `status` (the case's state now,
    /// default `closed`), `updated_at`, `assignee`. Each case gets its report event and, when
    /// its state is not the first, one `import` event to that state.
    pub async fn import_csv(
        &self,
        bytes: &[u8],
        skip_invalid: bool,
        actor: &str,
    ) -> Result<ImportReport, CsvImportError> {
        let rules = self.rules();
        let tz = rules.calendar.timezone;
        let mut table = CsvTable::new(bytes)
            .map_err(|e| CsvImportError::Format(e.to_string()))?
            .with_aliases(header_aliases());
        if !table.has("category") {
            return Err(CsvImportError::Format(
                "the header must name a category column".to_owned(),
            ));
        }
        let atlas = self.district.atlas();
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for (line, row) in table.rows() {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    errors.push(RowError {
                        line,
                        field: "row".into(),
                        problem: e.to_string(),
                    });
                    continue;
                }
            };
            let get = |name: &str| row.get(name);
            let mut fail = |field: &str, problem: String| {
                errors.push(RowError {
                    line,
                    field: field.into(),
                    problem,
                });
            };
            let Some(category) = get("category").and_then(|c| rules.catalogue.get(c)) else {
                fail(
                    "category",
                    format!("unknown category {:?}", get("category").unwrap_or("")),
                );
                continue;
            };
            let Some(source) = get("source").and_then(|s| s.parse::<Source>().ok()) else {
                fail(
                    "source",
                    format!(
                        "expected patrol, hotline, public, video or inspection, got {:?}",
                        get("source").unwrap_or("")
                    ),
                );
                continue;
            };
            let Some(created_at) = get("created_at").and_then(|t| local_time(t, tz)) else {
                fail(
                    "created_at",
                    "expected a time such as 2026-03-01 09:30 or RFC 3339".into(),
                );
                continue;
            };
            let crs = match get("crs").map(str::parse::<Crs>) {
                None => Crs::Wgs84,
                Some(Ok(c)) => c,
                Some(Err(e)) => {
                    fail("crs", e.to_string());
                    continue;
                }
            };
            let point = match (
                get("lon").map(str::parse::<f64>),
                get("lat").map(str::parse::<f64>),
            ) {
                (Some(Ok(lon)), Some(Ok(lat))) => match LonLat::new(lon, lat) {
                    Ok(p) => crs.to_wgs84(p),
                    Err(e) => {
                        fail("lon/lat", e.to_string());
                        continue;
                    }
                },
                (None, None) => {
                    if let Some(best) = get("address").and_then(|a| {
                        atlas
                            .geocode(a, crate::atlas::GeocodeOptions { limit: 1 })
                            .into_iter()
                            .next()
                    }) {
                        best.point
                    } else {
                        fail("address", "no place matches (or give lon and lat)".into());
                        continue;
                    }
                }
                _ => {
                    fail("lon/lat", "expected two numbers".into());
                    continue;
                }
            };
            let status = match get("status").map(str::parse::<Status>) {
                None => Status::Closed,
                Some(Ok(s)) => s,
                Some(Err(e)) => {
                    fail("status", e.to_string());
                    continue;
                }
            };
            let quantity = match get("quantity").map(str::parse::<f64>) {
                None => None,
                Some(Ok(q)) if q.is_finite() && q >= 0.0 => Some(q),
                Some(_) => {
                    fail("quantity", "expected a number ≥ 0".into());
                    continue;
                }
            };
            let updated_at = get("updated_at")
                .and_then(|t| local_time(t, tz))
                .unwrap_or(created_at)
                .max(created_at);
            let location = atlas.locate(
                point,
                &LocateOptions {
                    at: created_at,
                    ..LocateOptions::default()
                },
            );
            let deadline = rules.deadline(category, &location, created_at);
            let first = match source {
                Source::Patrol | Source::Inspection => Status::Registered,
                _ => Status::Reported,
            };
            let mut events = vec![CaseEvent {
                seq: 0,
                at: created_at,
                actor: actor.to_owned(),
                action: "report".into(),
                from: None,
                to: first,
                note: Some(format!("imported from line {line}")),
                assignee: None,
                deadline: Some(deadline),
                photo: None,
                visibility: citygrid_core::case::Visibility::Internal,
            }];
            if status != first {
                events.push(CaseEvent {
                    seq: 0,
                    at: updated_at,
                    actor: actor.to_owned(),
                    action: "import".into(),
                    from: Some(first),
                    to: status,
                    note: None,
                    assignee: None,
                    deadline: None,
                    photo: None,
                    visibility: citygrid_core::case::Visibility::Internal,
                });
            }
            rows.push((
                Case {
                    id: CaseId(0),
                    category: category.code.clone(),
                    source,
                    status,
                    description: get("description").unwrap_or("").to_owned(),
                    quantity,
                    point,
                    address: get("address").map(str::to_owned),
                    location,
                    reporter: None,
                    assignee: get("assignee").map(str::to_owned),
                    duplicate_of: None,
                    photos: Vec::new(),
                    created_at,
                    updated_at,
                    deadline,
                    version: events.len() as i64,
                },
                events,
            ));
        }
        if !errors.is_empty() && !skip_invalid {
            return Err(CsvImportError::Rows(errors));
        }
        rows.sort_by_key(|(c, _)| c.created_at);
        let store = self.district.store();
        let imported = store.insert_history(&rows).await.map_err(CaseError::from)?;
        if let Ok(seq) = store.latest_event_seq().await {
            self.notify_seq(seq);
        }
        Ok(ImportReport {
            imported,
            skipped: errors,
        })
    }
}
