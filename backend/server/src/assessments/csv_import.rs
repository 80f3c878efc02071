//! A bureau's past assessment sheets from CSV (`POST /assessments/import`): one assessment per
//! row, checked and scored exactly as one recorded through the API; all or nothing, every bad
//! row named by its line and column. Columns (English or Chinese): `at` 考核时间 (local time or
//! RFC 3339), `checklist` 考核表, `version` 版本 (newest when empty), `subject_type` 对象类型
//! (`section`/标段, `shop`/商户), `subject` 对象编码, `findings` 扣分项 (`;`-separated: `U05` a
//! fixed item or one occurrence, `U01x3` three occurrences, `U02=4` four points of a range),
//! `samples` 尘土克数 (grams of 1 m² squares, `;`-separated), `assessors` 考核人, `note` 备注. Past
//! notices are not raised again.

use chrono::{DateTime, Utc};
use citygrid_core::api::assessments::{Assessment, NewAssessment, Subject};
use citygrid_core::api::cases::RowError;
use citygrid_core::checklist::{Finding, Sample};

use super::{AssessmentError, ChecklistBook, Periods, record};
use crate::cases::CaseService;
use crate::cases::csv_io::local_time;
use crate::import::CsvTable;
use crate::store::StoreError;

/// Why a file was not imported. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AssessmentImportError {
    #[error("the file is not CSV with a header row: {0}")]
    Format(String),
    #[error("{} invalid row(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const ALIASES: [(&str, &str); 10] = [
    ("考核时间", "at"),
    ("考核表", "checklist"),
    ("版本", "version"),
    ("对象类型", "subject_type"),
    ("对象编码", "subject"),
    ("扣分项", "findings"),
    ("尘土克数", "samples"),
    ("考核人", "assessors"),
    ("备注", "note"),
    ("考核类型", "kind"),
];

fn split(text: Option<&str>) -> Vec<&str> {
    text.unwrap_or("")
        .split([';', '；', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// `U01`, `U01x3`, `U02=4` as a finding.
fn finding(text: &str) -> Result<Finding, String> {
    let bad = || format!("{text:?}: write an item as U05, U01x3 (times) or U02=4 (points)");
    let (item, points, occurrences) = if let Some((item, p)) = text.split_once('=') {
        (
            item,
            Some(p.trim().parse::<f64>().map_err(|_| bad())?),
            None,
        )
    } else if let Some((item, n)) = text.split_once(['x', '×', '*']) {
        (
            item,
            None,
            Some(n.trim().parse::<u32>().map_err(|_| bad())?),
        )
    } else {
        (text, None, None)
    };
    let item = item.trim();
    if item.is_empty() {
        return Err(bad());
    }
    Ok(Finding {
        item: item.to_owned(),
        points,
        occurrences,
        ..Finding::default()
    })
}

/// The column an error of the recorded body is in.
fn column(field: &str) -> &'static str {
    match field.split(['.', '[']).next().unwrap_or("") {
        "findings" => "findings",
        "samples" => "samples",
        "checklist" => "checklist",
        "version" => "version",
        "at" => "at",
        _ => "subject",
    }
}

/// Reads, checks and scores every row; stores them all, or none.
pub async fn import(
    cases: &CaseService,
    book: &ChecklistBook,
    bytes: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<usize, AssessmentImportError> {
    let district = cases.district();
    let atlas = district.atlas();
    let store = district.store();
    let tz = atlas.timezone();
    let mut table = CsvTable::with_columns(bytes, ALIASES, &["at", "checklist", "subject"])
        .map_err(AssessmentImportError::Format)?;
    let mut made: Vec<Assessment> = Vec::new();
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
        let Some(at) = row.get("at").and_then(|t| local_time(t, tz)) else {
            fail(
                "at",
                format!(
                    "expected a time as 2026-09-15 10:30, got {:?}",
                    row.get("at").unwrap_or("")
                ),
            );
            continue;
        };
        let code = row.get("subject").unwrap_or("").to_owned();
        let subject = match row.get("subject_type").unwrap_or("section") {
            "section" | "标段" | "作业区" => Subject::Section(code.into()),
            "shop" | "商户" | "门店" => Subject::Shop(code.into()),
            other => {
                fail(
                    "subject_type",
                    format!("expected section or shop, got {other:?}"),
                );
                continue;
            }
        };
        let version = match row.get("version").map(str::parse::<u32>) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => {
                fail("version", "expected a whole number".to_owned());
                continue;
            }
        };
        let findings: Result<Vec<Finding>, String> = split(row.get("findings"))
            .into_iter()
            .map(finding)
            .collect();
        let findings = match findings {
            Ok(f) => f,
            Err(e) => {
                fail("findings", e);
                continue;
            }
        };
        let samples: Result<Vec<Sample>, String> = split(row.get("samples"))
            .into_iter()
            .map(|g| {
                g.parse::<f64>()
                    .map(|grams| Sample {
                        area_m2: 1.0,
                        grams,
                        point: None,
                    })
                    .map_err(|_| format!("{g:?} is not a weight in grams"))
            })
            .collect();
        let samples = match samples {
            Ok(s) => s,
            Err(e) => {
                fail("samples", e);
                continue;
            }
        };
        let body = NewAssessment {
            checklist: row.get("checklist").unwrap_or("").to_owned(),
            version,
            subject,
            assessors: split(row.get("assessors"))
                .into_iter()
                .map(str::to_owned)
                .collect(),
            at: Some(at),
            position: None,
            findings,
            samples,
            note: row.get("note").map(str::to_owned),
            notices: Vec::new(),
            campaign: None,
        };
        match record::prepare(book, &atlas, store.as_ref(), &body, by, now).await {
            Ok(a) => {
                // A row in a month already signed off for its section would change a frozen
                // period.
                let frozen = match &a.subject {
                    Subject::Section(code) => {
                        Periods::is_signed(store.as_ref(), code.as_str(), &a.month).await?
                    }
                    Subject::Shop(_) => false,
                };
                if frozen {
                    fail(
                        "at",
                        format!("{} of section {} is signed off", a.month, a.subject.code()),
                    );
                } else {
                    made.push(a);
                }
            }
            Err(AssessmentError::Field { field, problem }) => {
                fail(column(&field), format!("{field}: {problem}"));
            }
            Err(AssessmentError::Store(e)) => return Err(e.into()),
            Err(other) => fail("row", other.to_string()),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(AssessmentImportError::Rows(errors));
    }
    made.sort_by_key(|a| a.at);
    store.insert_assessments(&made, false).await?;
    Ok(made.len())
}
