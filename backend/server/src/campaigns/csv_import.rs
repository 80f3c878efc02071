//! Past campaigns' actions from CSV (`POST /campaigns/actions/import`): one action per row,
//! checked exactly as one recorded through the API; all or nothing, every bad row named by its
//! line and column. Columns (English or Chinese): `campaign` 专项行动编号, `at` 时间 (local time
//! or RFC 3339), `lon` 经度 and `lat` 纬度, `officers` 执法人员, `vehicles` 车辆, `note` 备注,
//! and `tallies` 战果 — `;`-separated `item=quantity`, a fine's parties after a `/`
//! (`fines=600/2`); an item by its code or its Chinese name.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::campaigns::{Action, ActionPlace, Campaign, NewAction};
use citygrid_core::api::cases::RowError;
use citygrid_core::campaign::{CampaignKinds, Tally};

use super::actions;
use crate::cases::csv_io::local_time;
use crate::district::District;
use crate::import::CsvTable;
use crate::record_error::{CsvImportError, RecordError, split_cell};

const ALIASES: [(&str, &str); 8] = [
    ("专项行动编号", "campaign"),
    ("时间", "at"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("执法人员", "officers"),
    ("车辆", "vehicles"),
    ("战果", "tallies"),
    ("备注", "note"),
];

/// `item=12`, `fines=600/2` as a tally; the item by code or Chinese name of the kind.
fn tally(kinds: &CampaignKinds, kind: &str, text: &str) -> Result<Tally, String> {
    let bad = || format!("{text:?}: write a tally as item=quantity, a fine as fines=600/2");
    let (item, rest) = text.split_once(['=', '＝']).ok_or_else(bad)?;
    let (quantity, parties) = match rest.split_once('/') {
        Some((q, p)) => (q, Some(p.trim().parse::<u32>().map_err(|_| bad())?)),
        None => (rest, None),
    };
    let item = item.trim();
    let code = kinds
        .kind(kind)
        .and_then(|k| k.items.iter().find(|i| i.code == item || i.name_zh == item))
        .map_or_else(|| item.to_owned(), |i| i.code.clone());
    Ok(Tally {
        item: code,
        quantity: quantity.trim().parse::<f64>().map_err(|_| bad())?,
        parties,
    })
}

/// The column an error of the recorded body is in.
fn column(field: &str) -> &'static str {
    match field.split(['.', '[']).next().unwrap_or("") {
        "tallies" => "tallies",
        "officers" => "officers",
        "photos" | "cases" | "vehicles" => "vehicles",
        "at" => "at",
        "place" => "lon",
        _ => "campaign",
    }
}

/// Reads and checks every row; stores them all, or none.
pub async fn import(
    district: &District,
    kinds: &CampaignKinds,
    bytes: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<usize, CsvImportError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let atlas = district.atlas();
    let store = district.store();
    let tz = atlas.timezone();
    let mut table =
        CsvTable::with_columns(bytes, ALIASES, &["campaign", "at", "lon", "lat", "tallies"])
            .map_err(CsvImportError::Format)?;
    let mut campaigns: HashMap<i64, Option<Campaign>> = HashMap::new();
    let mut made: Vec<Action> = Vec::new();
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
        let id = row.get("campaign").and_then(|c| c.parse::<i64>().ok());
        let campaign = match id {
            Some(id) => {
                if let std::collections::hash_map::Entry::Vacant(e) = campaigns.entry(id) {
                    e.insert(store.campaign(id).await?);
                }
                campaigns.get(&id).cloned().flatten()
            }
            None => None,
        };
        let Some(campaign) = campaign else {
            fail(
                "campaign",
                format!(
                    "there is no campaign {:?}",
                    row.get("campaign").unwrap_or("")
                ),
            );
            continue;
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
        let number = |c: &str| row.get(c).and_then(|v| v.parse::<f64>().ok());
        let Some(point) = number("lon")
            .zip(number("lat"))
            .and_then(|(lon, lat)| LonLat::new(lon, lat).ok())
        else {
            fail(
                "lon",
                "expected a longitude and a latitude in degrees".into(),
            );
            continue;
        };
        let tallies: Result<Vec<Tally>, String> = split_cell(row.get("tallies"))
            .iter()
            .map(|t| tally(kinds, &campaign.kind, t))
            .collect();
        let tallies = match tallies {
            Ok(t) => t,
            Err(e) => {
                fail("tallies", e);
                continue;
            }
        };
        let body = NewAction {
            at: Some(at),
            place: ActionPlace::Point { at: point },
            officers: split_cell(row.get("officers")),
            vehicles: split_cell(row.get("vehicles")),
            note: row.get("note").map(str::to_owned),
            photos: Vec::new(),
            tallies,
            cases: Vec::new(),
        };
        match actions::prepare(kinds, &atlas, store.as_ref(), &campaign, &body, by, now).await {
            Ok(a) => made.push(a),
            Err(RecordError::Field { field, problem }) => {
                fail(column(&field), format!("{field}: {problem}"));
            }
            Err(RecordError::Store(e)) => return Err(e.into()),
            Err(other) => fail("row", other.to_string()),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(CsvImportError::Rows(errors));
    }
    made.sort_by_key(|a| a.at);
    store.insert_actions(&made, false).await?;
    Ok(made.len())
}
