//! Past applications from CSV (`POST /applications/import`): each row received and decided
//! exactly as through the API; all or nothing, every bad row named by its line and column.
//! Columns (English or Chinese): `number` 编号 (the bureau's own; a new one when empty),
//! `type` 类型 (code or Chinese name), `applicant` 申请人, `credit_code` 统一社会信用代码,
//! `contact` 联系方式, `subject` 事项, `shop` 商户, `address` 地址, `lon` 经度 and `lat` 纬度,
//! `sign` 招牌内容, `received_at` 受理时间, `decided_at` 办结时间, `decision` 结果 (`approved`/准予,
//! `rejected`/不予), `certificate` 证书编号, `reason` 不予理由.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::approvals::{
    Applicant, Application, ApplicationPlace, NewApplication, NewStep, SignDetails, StepRequest,
};
use citygrid_core::api::cases::RowError;
use citygrid_core::calendar::WorkingCalendar;

use super::{number_prefix, read_clock, receive, steps, types};
use crate::cases::csv_io::local_time;
use crate::district::District;
use crate::import::CsvTable;
use crate::record_error::{CsvImportError, RecordError};
use crate::store::ApplicationFilter;

const ALIASES: [(&str, &str); 16] = [
    ("编号", "number"),
    ("类型", "type"),
    ("申请人", "applicant"),
    ("统一社会信用代码", "credit_code"),
    ("联系方式", "contact"),
    ("事项", "subject"),
    ("商户", "shop"),
    ("地址", "address"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("招牌内容", "sign"),
    ("受理时间", "received_at"),
    ("办结时间", "decided_at"),
    ("结果", "decision"),
    ("证书编号", "certificate"),
    ("不予理由", "reason"),
];

/// The column an error of the received body is in.
fn column(field: &str) -> String {
    match field {
        "applicant.name" => "applicant".into(),
        "applicant.credit_code" => "credit_code".into(),
        "applicant.contact" => "contact".into(),
        "place.shop" => "shop".into(),
        "place" => "address".into(),
        "place.position" => "lon".into(),
        "sign.text" | "sign.area_m2" => "sign".into(),
        "step.certificate" => "certificate".into(),
        "step.reason" => "reason".into(),
        "at" => "decided_at".into(),
        other => other.to_owned(),
    }
}

/// Reads and checks every row; stores them all, or none.
pub async fn import(
    district: &District,
    calendar: &WorkingCalendar,
    bytes: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<usize, CsvImportError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let atlas = district.atlas();
    let store = district.store();
    let tz = atlas.timezone();
    let mut table = CsvTable::with_columns(
        bytes,
        ALIASES,
        &["type", "applicant", "contact", "subject", "received_at"],
    )
    .map_err(CsvImportError::Format)?;
    let mut made: Vec<Application> = Vec::new();
    let mut numbers: HashSet<String> = HashSet::new();
    let mut per_day: HashMap<String, i64> = HashMap::new();
    let mut errors = Vec::new();
    for (line, row) in table.rows() {
        let mut fail = |field: &str, problem: String| {
            errors.push(RowError {
                line,
                field: field.to_owned(),
                problem,
            });
        };
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                fail("row", e.to_string());
                continue;
            }
        };
        let time = |c: &str| row.get(c).map(|t| local_time(t, tz).ok_or(t));
        let received_at = match time("received_at") {
            Some(Ok(t)) => t,
            other => {
                let got = match other {
                    Some(Err(t)) => t,
                    _ => "",
                };
                fail(
                    "received_at",
                    format!("expected a time as 2026-09-15 10:30, got {got:?}"),
                );
                continue;
            }
        };
        let kind_text = row.get("type").unwrap_or("");
        let kind = types()
            .types
            .iter()
            .find(|t| t.code == kind_text || t.name_zh == kind_text)
            .map_or_else(|| kind_text.to_owned(), |t| t.code.clone());
        let number = |c: &str| row.get(c).and_then(|v| v.parse::<f64>().ok());
        let position = number("lon")
            .zip(number("lat"))
            .and_then(|(lon, lat)| LonLat::new(lon, lat).ok());
        let body = NewApplication {
            kind,
            applicant: Applicant {
                name: row.get("applicant").unwrap_or("").to_owned(),
                credit_code: row.get("credit_code").map(str::to_owned),
                contact: row.get("contact").unwrap_or("").to_owned(),
            },
            subject: row.get("subject").unwrap_or("").to_owned(),
            place: ApplicationPlace {
                position,
                shop: row.get("shop").map(str::to_owned),
                address: row.get("address").map(str::to_owned),
            },
            received_at: Some(received_at),
            materials: Vec::new(),
            sign: row.get("sign").map(|text| SignDetails {
                text: text.to_owned(),
                area_m2: None,
            }),
            note: None,
        };
        let mut a = match receive::prepare(types(), &atlas, &body, by, now) {
            Ok(a) => a,
            Err(RecordError::Field { field, problem }) => {
                fail(&column(&field), format!("{field}: {problem}"));
                continue;
            }
            Err(other) => {
                fail("row", other.to_string());
                continue;
            }
        };
        let decision = match row.get("decision") {
            None => None,
            Some("approved" | "准予" | "准予许可" | "已备案" | "同意") => {
                Some(StepRequest::Approve {
                    certificate: row.get("certificate").unwrap_or("").to_owned(),
                })
            }
            Some("rejected" | "不予" | "不予许可" | "不同意") => {
                Some(StepRequest::Reject {
                    reason: row.get("reason").unwrap_or("").to_owned(),
                })
            }
            Some(other) => {
                fail(
                    "decision",
                    format!("expected approved (准予) or rejected (不予), got {other:?}"),
                );
                continue;
            }
        };
        if let Some(step) = decision {
            let Some(Ok(at)) = time("decided_at") else {
                fail(
                    "decided_at",
                    "a decided row gives its time as 2026-09-15 10:30".into(),
                );
                continue;
            };
            let asked = NewStep {
                version: a.version,
                step,
                at: Some(at),
            };
            match steps::next(&a, &asked, by, now) {
                Ok(s) => a.steps.push(s),
                Err(
                    RecordError::Field { field, problem }
                    | RecordError::Conflict { field, problem },
                ) => {
                    fail(&column(&field), format!("{field}: {problem}"));
                    continue;
                }
                Err(other) => {
                    fail("row", other.to_string());
                    continue;
                }
            }
        }
        read_clock(&mut a, calendar, now);
        a.number = if let Some(n) = row.get("number") {
            n.to_owned()
        } else {
            let prefix = number_prefix(a.received_at, tz);
            let next = match per_day.get(&prefix) {
                Some(n) => n + 1,
                None => store.count_application_numbers(&prefix).await? + 1,
            };
            per_day.insert(prefix.clone(), next);
            format!("{prefix}{next:03}")
        };
        let taken = !numbers.insert(a.number.clone())
            || !store
                .applications(&ApplicationFilter {
                    number: Some(a.number.clone()),
                    ..ApplicationFilter::default()
                })
                .await?
                .is_empty();
        if taken {
            fail("number", format!("application {} already exists", a.number));
            continue;
        }
        made.push(a);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(CsvImportError::Rows(errors));
    }
    made.sort_by_key(|a| a.received_at);
    store.insert_applications(&made, false).await?;
    Ok(made.len())
}
