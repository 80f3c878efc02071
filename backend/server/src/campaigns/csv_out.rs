//! Campaigns and their actions as CSV for a spreadsheet (Chinese headers with `lang=zh`),
//! times and days in the district's time zone; an action's tallies in one cell as the import
//! reads them (`wires-removed=12;fines=600/2`).

use citygrid_core::api::campaigns::{Action, ActionPlace, Campaign};
use citygrid_core::campaign::Tally;

use crate::csv_cells::CsvOut;

/// Tallies as one cell: `item=quantity`, a fine's parties after a `/`.
pub fn tallies_cell(tallies: &[Tally]) -> String {
    tallies
        .iter()
        .map(|t| match t.parties {
            Some(p) => format!("{}={}/{p}", t.item, t.quantity),
            None => format!("{}={}", t.item, t.quantity),
        })
        .collect::<Vec<_>>()
        .join(";")
}

pub fn campaigns_csv(items: &[Campaign], chinese: bool) -> Vec<u8> {
    let mut w = CsvOut::with_bom();
    let _ = w.row(if chinese {
        [
            "编号",
            "名称",
            "类型",
            "开始",
            "结束",
            "牵头单位",
            "社区",
            "网格",
            "区域",
            "目标",
        ]
    } else {
        [
            "id",
            "name",
            "kind",
            "starts",
            "ends",
            "lead_team",
            "communities",
            "cells",
            "zones",
            "targets",
        ]
    });
    for c in items {
        let _ = w.row([
            c.id.to_string(),
            c.name.clone(),
            c.kind.clone(),
            c.starts.to_string(),
            c.ends.to_string(),
            c.lead_team.clone(),
            c.area.communities.join(";"),
            c.area.cells.join(";"),
            c.area.zones.join(";"),
            c.targets
                .iter()
                .map(|t| format!("{}={}@{}", t.item, t.quantity, t.by))
                .collect::<Vec<_>>()
                .join(";"),
        ]);
    }
    w.into_bytes().unwrap_or_default()
}

pub fn actions_csv(items: &[Action], tz: chrono_tz::Tz, chinese: bool) -> Vec<u8> {
    let mut w = CsvOut::with_bom();
    let _ = w.row(if chinese {
        [
            "编号",
            "专项行动编号",
            "时间",
            "经度",
            "纬度",
            "网格",
            "社区",
            "执法人员",
            "车辆",
            "战果",
            "案件",
            "备注",
        ]
    } else {
        [
            "id",
            "campaign",
            "at",
            "lon",
            "lat",
            "cell",
            "community",
            "officers",
            "vehicles",
            "tallies",
            "cases",
            "note",
        ]
    });
    for a in items {
        let (lon, lat) = match &a.place {
            ActionPlace::Point { at } => (format!("{:.6}", at.lon), format!("{:.6}", at.lat)),
            ActionPlace::Area { .. } => (String::new(), String::new()),
        };
        let _ = w.row([
            a.id.to_string(),
            a.campaign.to_string(),
            a.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
            lon,
            lat,
            a.cell.clone().unwrap_or_default(),
            a.community.clone().unwrap_or_default(),
            a.officers.join(";"),
            a.vehicles.join(";"),
            tallies_cell(&a.tallies),
            a.cases
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            a.note.clone().unwrap_or_default(),
        ]);
    }
    w.into_bytes().unwrap_or_default()
}
