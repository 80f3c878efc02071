//! The replies and callbacks of work orders as CSV for the city's platform
//! (`GET /work-orders?format=csv`): one row per order with its latest reply, its callback and
//! how it stands; never the caller (the platform has them, and other readers may not see them).

use citygrid_core::api::hotline::WorkOrder;
use citygrid_core::work_order::OrderEvent;

use crate::csv_cells::CsvOut;

const HEADER_EN: [&str; 14] = [
    "number",
    "received_at",
    "type",
    "status",
    "due",
    "replied_at",
    "reply",
    "replied_on_time",
    "called_back_at",
    "solved",
    "satisfaction",
    "rehandled",
    "cases",
    "overdue",
];

const HEADER_ZH: [&str; 14] = [
    "工单编号",
    "受理时间",
    "工单类型",
    "状态",
    "答复期限",
    "答复时间",
    "答复内容",
    "按时答复",
    "回访时间",
    "是否解决",
    "满意度",
    "重办次数",
    "关联案件",
    "超期",
];

/// The orders (already read as their reader may see them) as CSV, times local to `tz`.
pub fn orders_csv(
    rules: &citygrid_core::work_order::HotlineRules,
    orders: &[WorkOrder],
    tz: chrono_tz::Tz,
    chinese: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = CsvOut::with_bom();
    out.row(if chinese { HEADER_ZH } else { HEADER_EN })?;
    let time = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
    };
    let yes_no = |b: bool| {
        match (b, chinese) {
            (true, true) => "是",
            (false, true) => "否",
            (true, false) => "yes",
            (false, false) => "no",
        }
        .to_owned()
    };
    for o in orders {
        let s = &o.state;
        let reply = o.events.iter().rev().find_map(|e| match e {
            OrderEvent::Replied { text, .. } => Some(text.clone()),
            _ => None,
        });
        let callback = o.events.iter().rev().find_map(|e| match e {
            OrderEvent::CalledBack { at, .. } => Some(*at),
            _ => None,
        });
        let kind = rules
            .get(&o.kind)
            .filter(|_| chinese)
            .map_or_else(|| o.kind.clone(), |t| t.name_zh.clone());
        out.row([
            o.number.clone(),
            time(o.received_at),
            kind,
            s.status.as_str().to_owned(),
            time(s.due),
            s.replied_at.map(time).unwrap_or_default(),
            reply.unwrap_or_default(),
            s.replied_at
                .map(|_| yes_no(s.replied_on_time))
                .unwrap_or_default(),
            callback.map(time).unwrap_or_default(),
            s.solved.map(yes_no).unwrap_or_default(),
            s.satisfaction
                .map(|x| {
                    if chinese {
                        x.zh().to_owned()
                    } else {
                        serde_json::to_value(x)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    }
                })
                .unwrap_or_default(),
            s.rehandled.to_string(),
            s.cases
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            yes_no(o.overdue),
        ])?;
    }
    out.into_bytes()
}
