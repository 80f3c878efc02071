//! Work orders from CSV as a 12345 platform exports them (`POST /work-orders/import`): each
//! row checked as if received through the API, a number already kept updating that order;
//! all or nothing, every bad row named by its line and column. Columns (English or Chinese):
//! `number` 工单编号, `received_at` 受理时间, `channel` 来源渠道, `type` 工单类型 (code or
//! Chinese name), `urgent` 紧急 (是/否), `caller_name` 诉求人, `caller_phone` 联系电话, `text`
//! 诉求内容, `address` 事发地址.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use citygrid_core::api::cases::RowError;
use citygrid_core::api::hotline::{Caller, NewWorkOrder, OrdersTaken};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::work_order::HotlineRules;

use super::{exchange, orders};
use crate::cases::csv_io::local_time;
use crate::district::District;
use crate::import::CsvTable;
use crate::record_error::{CsvImportError, RecordError};

const ALIASES: [(&str, &str); 9] = [
    ("工单编号", "number"),
    ("受理时间", "received_at"),
    ("来源渠道", "channel"),
    ("工单类型", "type"),
    ("紧急", "urgent"),
    ("诉求人", "caller_name"),
    ("联系电话", "caller_phone"),
    ("诉求内容", "text"),
    ("事发地址", "address"),
];

/// The column an error of the received order is in.
fn column(field: &str) -> &str {
    match field {
        "caller.name" => "caller_name",
        "caller.phone" => "caller_phone",
        other => other,
    }
}

/// Reads and checks every row; takes them all, or none.
pub async fn import(
    district: &District,
    rules: &HotlineRules,
    calendar: &WorkingCalendar,
    bytes: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<OrdersTaken, CsvImportError> {
    let tz = district.atlas().timezone();
    let mut table =
        CsvTable::with_columns(bytes, ALIASES, &["number", "received_at", "type", "text"])
            .map_err(CsvImportError::Format)?;
    let mut made = Vec::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
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
        let got = row.get("received_at").unwrap_or("");
        let Some(received_at) = local_time(got, tz) else {
            fail(
                "received_at",
                format!("expected a time as 2026-09-15 10:30, got {got:?}"),
            );
            continue;
        };
        let urgent = match row.get("urgent") {
            None | Some("否" | "no" | "false" | "0") => false,
            Some("是" | "yes" | "true" | "1") => true,
            Some(other) => {
                fail("urgent", format!("expected 是 or 否, got {other:?}"));
                continue;
            }
        };
        let kind_text = row.get("type").unwrap_or("");
        let kind = rules
            .types
            .iter()
            .find(|t| t.code == kind_text || t.name_zh == kind_text)
            .map_or_else(|| kind_text.to_owned(), |t| t.code.clone());
        let body = NewWorkOrder {
            number: row.get("number").unwrap_or("").to_owned(),
            received_at,
            channel: row.get("channel").map(str::to_owned),
            kind,
            urgent,
            caller: Caller {
                name: row.get("caller_name").map(str::to_owned),
                phone: row.get("caller_phone").map(str::to_owned),
            },
            text: row.get("text").unwrap_or("").to_owned(),
            address: row.get("address").map(str::to_owned),
        };
        match orders::prepare(rules, calendar, &body, by, now) {
            Ok(o) => {
                if let Some(first) = lines.insert(o.number.clone(), line) {
                    fail(
                        "number",
                        format!("work order {} is on line {first} already", o.number),
                    );
                    continue;
                }
                made.push(o);
            }
            Err(RecordError::Field { field, problem }) => {
                fail(column(&field), format!("{field}: {problem}"));
            }
            Err(other) => fail("row", other.to_string()),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(CsvImportError::Rows(errors));
    }
    exchange::take(district, made).await.map_err(|e| match e {
        RecordError::Store(e) => CsvImportError::Store(e),
        other => CsvImportError::Record(other),
    })
}
