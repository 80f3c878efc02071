//! What the draft's templates may name: the quarter's figures laid out as one context, with
//! the headline figures of the quarter before and of the same quarter a year before (null where
//! there are no records), and the problems the data proposes — categories rising 同比, recurring
//! places, contractors under their contract's line, the overdue share.

use citygrid_core::api::analytics::{QuarterlyReport, SanitationLine};
use citygrid_core::api::report_draft::Comparison;
use citygrid_core::features::SectionArea;
use citygrid_core::report_words as words;
use serde_json::{Value, json};

/// A context with every figure a template may name (an empty quarter's).
pub fn sample() -> Value {
    let empty = QuarterlyReport {
        quarter: "2026-Q3".into(),
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MIN,
        received: 0,
        by_source: Vec::new(),
        by_category: Vec::new(),
        by_community: Vec::new(),
        hotline: citygrid_core::api::analytics::Hotline {
            received: 0,
            answered: 0,
            share_answered: None,
        },
        evaluation: None,
        recurring: Vec::new(),
        emerging: std::collections::BTreeMap::new(),
        by_month: Vec::new(),
        hot_cells: Vec::new(),
        // Both areas present, so that a template's every sanitation figure is checked by name.
        inspections: Some(citygrid_core::api::analytics::Inspections {
            sanitation: [SectionArea::Urban, SectionArea::Rural]
                .into_iter()
                .map(|area| SanitationLine {
                    area,
                    sections: 0,
                    daily: 0,
                    comprehensive: 0,
                    dust_samplings: 0,
                    notices: 0,
                    deducted: 0.0,
                    periods_signed: 0,
                    periods_assessed: 0,
                })
                .collect(),
            door_front: citygrid_core::api::analytics::DoorFrontLine {
                surveys: 0,
                shops_surveyed: 0,
                shops: 0,
                incomplete_records: 0,
                by_rating: Vec::new(),
                notices: 0,
            },
            contractors: Vec::new(),
        }),
        campaigns: None,
        approvals: None,
        work_orders: None,
    };
    context(&empty, None, None)
}

/// The headline figures of a quarter compared with another (`None`: no records then).
fn headline(r: Option<&QuarterlyReport>) -> Value {
    let Some(r) = r else {
        return json!({ "cases_received": null, "orders_received": null,
                       "approvals_handled": null, "door_front_shops": null, "deducted": null,
                       "campaign_actions": null });
    };
    json!({
        "cases_received": r.received,
        "orders_received": r.work_orders.as_ref().map(|w| w.total.received),
        "approvals_handled": r.approvals.as_ref().map(|a| a.handled),
        "door_front_shops": r.inspections.as_ref().map(|i| i.door_front.shops_surveyed),
        "deducted": r.inspections.as_ref().map(|i| i.sanitation.iter().map(|s| s.deducted).sum::<f64>()),
        "campaign_actions": r.campaigns.as_ref().map(|c| c.iter().map(|c| c.actions).sum::<u64>()),
    })
}

fn sanitation(r: &QuarterlyReport, area: SectionArea) -> Value {
    r.inspections
        .as_ref()
        .and_then(|i| i.sanitation.iter().find(|s| s.area == area))
        .map_or(Value::Null, |s: &SanitationLine| {
            json!({ "daily": s.daily, "comprehensive": s.comprehensive,
                    "dust_samplings": s.dust_samplings, "notices": s.notices,
                    "deducted": s.deducted, "sections": s.sections })
        })
}

/// The categories whose cases rose most against the same quarter a year before (at least a
/// fifth and five cases more), the problems the draft proposes.
fn rising(r: &QuarterlyReport, last_year: Option<&QuarterlyReport>) -> Vec<Value> {
    let Some(before) = last_year else {
        return Vec::new();
    };
    let mut up: Vec<(f64, Value)> = r
        .by_category
        .iter()
        .filter_map(|c| {
            let was = before.by_category.iter().find(|b| b.code == c.code)?.cases;
            let rate = (c.cases as f64 - was as f64) / was.max(1) as f64;
            (was > 0 && c.cases >= was + 5 && rate >= 0.2).then(|| {
                (
                    rate,
                    json!({ "name": c.name, "now": c.cases, "before": was,
                            "change": words::change(c.cases as f64, Some(was as f64), "同比") }),
                )
            })
        })
        .collect();
    up.sort_by(|a, b| b.0.total_cmp(&a.0));
    up.into_iter().take(3).map(|(_, v)| v).collect()
}

/// Everything a template may name.
pub fn context(
    r: &QuarterlyReport,
    previous: Option<&QuarterlyReport>,
    last_year: Option<&QuarterlyReport>,
) -> Value {
    let source = |key: &str| {
        r.by_source
            .iter()
            .find(|l| l.key == key)
            .map_or(0, |l| l.cases)
    };
    let ratio = |f: fn(
        &citygrid_core::api::analytics::Evaluation,
    ) -> &citygrid_core::api::analytics::Ratio| { r.evaluation.as_ref().map(f) };
    let closed = ratio(|e| &e.closed);
    let on_time = ratio(|e| &e.handled_on_time);
    let mut top: Vec<_> = r.by_category.iter().filter(|c| c.cases > 0).collect();
    top.sort_by_key(|c| std::cmp::Reverse(c.cases));
    let quarter = r
        .quarter
        .parse::<citygrid_core::api::analytics::Quarter>()
        .ok();
    let door = r.inspections.as_ref().map(|i| &i.door_front);
    let hotline = r.work_orders.as_ref().map(|w| {
        let t = &w.total;
        json!({
            "received": t.received,
            "types": t.by_type.iter().map(|(k, n)| json!({
                "code": k, "name": w.type_names.get(k).cloned().unwrap_or_else(|| k.clone()), "count": n })).collect::<Vec<_>>(),
            "replied": t.replied, "replied_on_time": t.replied_on_time,
            "on_time_share": if t.replied > 0 { t.replied_on_time as f64 / t.replied as f64 } else { 0.0 },
            "called_back": t.called_back, "satisfied": t.satisfied,
            "satisfied_rate": t.satisfied_rate.unwrap_or(0.0),
            "rehandled": t.rehandled, "overdue": t.overdue,
        })
    });
    json!({
        "quarter": {
            "label": r.quarter,
            "year": quarter.map_or(0, |q| q.year),
            "number": quarter.map_or(0, |q| q.number),
            "name": words::quarter_name(quarter.map_or(1, |q| q.number)),
        },
        "cases": {
            "received": r.received,
            "closed": closed.map_or(0, |c| c.numerator),
            "closed_share": closed.and_then(|c| c.rate).unwrap_or(0.0),
            "on_time_share": on_time.and_then(|c| c.rate).unwrap_or(0.0),
            "overdue_share": on_time.and_then(|c| c.rate).map_or(0.0, |x| 1.0 - x),
            "hotline": source("hotline"),
            "patrol": source("patrol"),
            "top": top.iter().take(5).map(|c| json!({
                "code": c.code, "name": c.name, "cases": c.cases, "quantity": c.quantity, "unit": c.unit })).collect::<Vec<_>>(),
        },
        "door_front": door.map_or_else(|| json!({ "surveys": 0, "shops_surveyed": 0, "notices": 0, "incomplete_records": 0 }), |d| json!({
            "surveys": d.surveys, "shops_surveyed": d.shops_surveyed,
            "notices": d.notices, "incomplete_records": d.incomplete_records })),
        "campaigns": r.campaigns.iter().flatten().map(|c| json!({
            "id": c.campaign, "name": c.name, "kind": c.kind_name_zh, "actions": c.actions, "cases": c.cases,
            "totals": c.totals.iter().map(|t| json!({
                "item": t.item, "name": t.name_zh, "quantity": t.quantity, "unit": t.unit.zh(),
                "fine": t.parties.is_some(), "parties": t.parties.unwrap_or(0) })).collect::<Vec<_>>(),
            "rates": c.rates.iter().map(|x| json!({
                "item": x.item,
                "name": c.totals.iter().find(|t| t.item == x.item).map_or(x.item.as_str(), |t| t.name_zh.as_str()),
                "share": if x.denominator > 0.0 { x.numerator / x.denominator } else { 0.0 } })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "sanitation": {
            "urban": sanitation(r, SectionArea::Urban),
            "rural": sanitation(r, SectionArea::Rural),
        },
        "approvals": r.approvals.as_ref().map_or_else(|| json!({ "handled": 0, "same_day": 0, "types": [] }), |a| json!({
            "handled": a.handled, "same_day": a.same_day, "on_time": a.on_time,
            "types": a.types.iter().filter(|t| t.handled > 0).map(|t| json!({
                "code": t.kind, "name": t.name_zh, "handled": t.handled, "same_day": t.same_day })).collect::<Vec<_>>() })),
        "hotline": hotline.unwrap_or_else(|| json!({ "received": 0, "types": [], "replied": 0, "replied_on_time": 0,
            "on_time_share": 0.0, "called_back": 0, "satisfied": 0, "satisfied_rate": 0.0, "rehandled": 0, "overdue": 0 })),
        "problems": {
            "rising": rising(r, last_year),
            "contractors": r.inspections.iter().flat_map(|i| &i.contractors).filter(|c| c.under_line > 0).take(3).map(|c| json!({
                "name": c.contractor, "mean_score": c.mean_score, "lowest_score": c.lowest_score,
                "under_line": c.under_line, "periods": c.periods })).collect::<Vec<_>>(),
            "recurring": r.recurring.iter().filter(|p| p.months_recurring >= 2).take(3).map(|p| json!({
                "name": p.name,
                "category": r.by_category.iter().find(|c| c.code == p.main_category).map_or(p.main_category.as_str(), |c| c.name.as_str()),
                "months": p.months_recurring, "total": p.total })).collect::<Vec<_>>(),
        },
        "deducted": r.inspections.as_ref().map_or(0.0, |i| i.sanitation.iter().map(|s| s.deducted).sum::<f64>()),
        "campaign_actions": r.campaigns.as_ref().map_or(0, |c| c.iter().map(|c| c.actions).sum::<u64>()),
        "previous": headline(previous),
        "last_year": headline(last_year),
    })
}

/// The headline figures (name, unit, and how each is read from a report), in the order the
/// comparison table lists them.
/// Reads a headline figure from a report (`None`: not recorded there).
type Read = fn(&QuarterlyReport) -> Option<f64>;

const HEADLINES: [(&str, &str, Read); 6] = [
    ("受理城市管理问题", "件", |r| {
        Some(r.received as f64)
    }),
    ("专项整治行动", "次", |r| {
        r.campaigns
            .as_ref()
            .map(|c| c.iter().map(|c| c.actions).sum::<u64>() as f64)
    }),
    ("门前责任制排查商户", "家", |r| {
        r.inspections
            .as_ref()
            .map(|i| i.door_front.shops_surveyed as f64)
    }),
    ("环卫扣除作业经费", "元", |r| {
        r.inspections
            .as_ref()
            .map(|i| i.sanitation.iter().map(|s| s.deducted).sum())
    }),
    ("办理审批备案", "件", |r| {
        r.approvals.as_ref().map(|a| a.handled as f64)
    }),
    ("受理12345热线工单", "件", |r| {
        r.work_orders.as_ref().map(|w| w.total.received as f64)
    }),
];

/// Every headline figure (that is something in one of the quarters) beside the quarter before and the same quarter a year before, as
/// numbers and in words (none where that quarter has no records).
pub fn comparisons(
    r: &QuarterlyReport,
    previous: Option<&QuarterlyReport>,
    last_year: Option<&QuarterlyReport>,
) -> Vec<Comparison> {
    HEADLINES
        .iter()
        .filter_map(|(name, unit, read)| {
            let now = read(r).unwrap_or(0.0);
            let previous = previous.and_then(read);
            let last_year = last_year.and_then(read);
            // A figure that is nothing in every quarter is left out.
            if now == 0.0 && previous.unwrap_or(0.0) == 0.0 && last_year.unwrap_or(0.0) == 0.0 {
                return None;
            }
            Some(Comparison {
                name: (*name).to_owned(),
                unit: (*unit).to_owned(),
                now,
                previous,
                last_year,
                against_previous: words::change(now, previous, "环比"),
                against_last_year: words::change(now, last_year, "同比"),
            })
        })
        .collect()
}
