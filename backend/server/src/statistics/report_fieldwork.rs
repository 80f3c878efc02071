//! The quarterly report's campaign, approval and hotline work-order lines (FIELDWORK §1), for the CSV and the
//! printable HTML of `report.rs`.

use citygrid_core::api::analytics::QuarterlyReport;

/// A quantity as a report writes it: whole numbers without decimals, others to the hundredth.
pub fn quantity(q: f64) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{q:.0}")
    } else {
        format!("{q:.2}")
    }
}

/// A rate as `55.4%`.
fn share(numerator: f64, denominator: f64) -> String {
    if denominator > 0.0 {
        format!("{:.1}%", numerator / denominator * 100.0)
    } else {
        "—".to_owned()
    }
}

/// An item's Chinese name as the campaign's totals carry it (its code when it counted nothing).
fn item_zh<'a>(c: &'a citygrid_core::api::analytics::CampaignLine, item: &'a str) -> &'a str {
    c.totals
        .iter()
        .find(|t| t.item == item)
        .map_or(item, |t| t.name_zh.as_str())
}

/// One CSV line: section, key, name, cases, quantity, unit.
pub type Line<'a> =
    dyn FnMut(&'static str, &str, &str, u64, &str, &str) -> Result<(), csv::Error> + 'a;

pub fn csv_lines(r: &QuarterlyReport, line: &mut Line<'_>) -> Result<(), csv::Error> {
    for c in r.campaigns.iter().flatten() {
        let id = c.campaign;
        line(
            "campaign",
            &format!("{id}.actions"),
            &format!("{}：行动", c.name),
            c.actions,
            "",
            "次",
        )?;
        for t in &c.totals {
            let name = format!("{}：{}", c.name, t.name_zh);
            line(
                "campaign",
                &format!("{id}.{}", t.item),
                &name,
                t.parties.unwrap_or(0),
                &quantity(t.quantity),
                t.unit.zh(),
            )?;
        }
        for rate in &c.rates {
            let name = format!("{}：{}（比例）", c.name, item_zh(c, &rate.item));
            let q = format!(
                "{}/{}",
                quantity(rate.numerator),
                quantity(rate.denominator)
            );
            line(
                "campaign",
                &format!("{id}.{}.rate", rate.item),
                &name,
                0,
                &q,
                &share(rate.numerator, rate.denominator),
            )?;
        }
        line(
            "campaign",
            &format!("{id}.cases"),
            &format!("{}：发现问题立案", c.name),
            c.cases,
            "",
            "件",
        )?;
    }
    if let Some(a) = &r.approvals {
        for t in &a.types {
            line(
                "approvals",
                &t.kind,
                &t.name_zh,
                t.handled,
                &t.same_day.to_string(),
                "件",
            )?;
        }
        line("approvals", "handled", "审批备案办结", a.handled, "", "件")?;
        line("approvals", "same_day", "当日办结", a.same_day, "", "件")?;
        line("approvals", "on_time", "按时办结", a.on_time, "", "件")?;
        let mean = a
            .mean_working_minutes
            .map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_default();
        line(
            "approvals",
            "mean_working_hours",
            "平均办理用时",
            0,
            &mean,
            "工作小时",
        )?;
        line("approvals", "overdue", "超期未办结", a.overdue, "", "件")?;
    }
    if let Some(w) = &r.work_orders {
        let t = &w.total;
        for (kind, n) in &t.by_type {
            let name = w.type_names.get(kind).unwrap_or(kind);
            line("work_orders", kind, &format!("受理{name}"), *n, "", "件")?;
        }
        for (key, name, n) in order_lines(t) {
            line("work_orders", key, name, n, "", "件")?;
        }
        line(
            "work_orders",
            "satisfied_rate",
            "满意率",
            0,
            &rate(t.satisfied_rate),
            "",
        )?;
        line(
            "work_orders",
            "mean_working_hours",
            "平均回复用时",
            0,
            &t.mean_working_hours
                .map(|h| format!("{h:.1}"))
                .unwrap_or_default(),
            "工作小时",
        )?;
        for (group, unnamed, rows) in [
            ("category", "未分类", &w.by_category),
            ("community", "未定位", &w.by_community),
        ] {
            for c in rows {
                let name = if c.key.is_empty() { unnamed } else { &c.name };
                line(
                    "work_orders",
                    &format!("{group}.{}", c.key),
                    name,
                    c.received,
                    &rate(c.satisfied_rate),
                    "件",
                )?;
            }
        }
    }
    Ok(())
}

/// The hotline's counted lines: key, name, count.
fn order_lines(
    t: &citygrid_core::api::hotline::OrderTally,
) -> [(&'static str, &'static str, u64); 7] {
    [
        ("received", "受理工单", t.received),
        ("replied", "已回复", t.replied),
        ("replied_on_time", "按时回复", t.replied_on_time),
        ("called_back", "已回访", t.called_back),
        ("satisfied", "满意（含基本满意）", t.satisfied),
        ("rehandled", "重办", t.rehandled),
        ("overdue", "超期未回复", t.overdue),
    ]
}

/// A rate of 0–1 as `95.2%`, empty when there is none.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_default()
}

/// The tables of the campaigns, approvals and hotline lines.
pub fn html_tables(r: &QuarterlyReport, h: &mut Vec<super::report_html::ReportTable>) {
    use super::report_html::table;
    if let Some(cs) = r.campaigns.as_ref().filter(|c| !c.is_empty()) {
        let mut rows = Vec::new();
        for c in cs {
            rows.push(vec![
                c.name.clone(),
                "开展行动".to_owned(),
                c.actions.to_string(),
                "次".to_owned(),
            ]);
            for t in &c.totals {
                let what = match t.parties {
                    Some(p) => format!("{}（{p}起）", t.name_zh),
                    None => t.name_zh.clone(),
                };
                rows.push(vec![
                    String::new(),
                    what,
                    quantity(t.quantity),
                    t.unit.zh().to_owned(),
                ]);
            }
            for rate in &c.rates {
                rows.push(vec![
                    String::new(),
                    format!("{}占比", item_zh(c, &rate.item)),
                    format!(
                        "{}/{}",
                        quantity(rate.numerator),
                        quantity(rate.denominator)
                    ),
                    share(rate.numerator, rate.denominator),
                ]);
            }
            if c.cases > 0 {
                rows.push(vec![
                    String::new(),
                    "发现问题立案".to_owned(),
                    c.cases.to_string(),
                    "件".to_owned(),
                ]);
            }
        }
        table(
            h,
            "十、专项整治",
            &["专项行动", "项目", "数量", "单位"],
            rows,
        );
    }
    if let Some(a) = r.approvals.as_ref().filter(|a| a.handled + a.open > 0) {
        let hours =
            |m: Option<f64>| m.map_or_else(|| "—".to_owned(), |m| format!("{:.1}", m / 60.0));
        let mut rows: Vec<Vec<String>> = a
            .types
            .iter()
            .map(|t| {
                vec![
                    t.name_zh.clone(),
                    t.handled.to_string(),
                    t.same_day.to_string(),
                    t.on_time.to_string(),
                    hours(t.mean_working_minutes),
                    t.open.to_string(),
                    t.overdue.to_string(),
                ]
            })
            .collect();
        rows.push(vec![
            "合计".to_owned(),
            a.handled.to_string(),
            a.same_day.to_string(),
            a.on_time.to_string(),
            hours(a.mean_working_minutes),
            a.open.to_string(),
            a.overdue.to_string(),
        ]);
        table(
            h,
            "十一、审批备案",
            &[
                "类型",
                "办结",
                "当日办结",
                "按时办结",
                "平均用时（工作小时）",
                "在办",
                "超期",
            ],
            rows,
        );
    }
    if let Some(w) = r.work_orders.as_ref().filter(|w| w.total.received > 0) {
        let row = |what: String, t: &citygrid_core::api::hotline::OrderTally| {
            vec![
                what,
                t.received.to_string(),
                t.replied.to_string(),
                t.replied_on_time.to_string(),
                t.called_back.to_string(),
                rate(t.satisfied_rate),
                t.rehandled.to_string(),
                t.mean_working_hours
                    .map_or_else(|| "—".to_owned(), |h| format!("{h:.1}")),
            ]
        };
        let mut rows: Vec<Vec<String>> = w.by_month.iter().map(|m| row(m.key.clone(), m)).collect();
        for (unnamed, group) in [("未分类", &w.by_category), ("未定位", &w.by_community)] {
            rows.extend(group.iter().map(|c| {
                let name = if c.key.is_empty() {
                    unnamed
                } else {
                    c.name.as_str()
                };
                row(name.to_owned(), c)
            }));
        }
        rows.push(row("合计".to_owned(), &w.total));
        table(
            h,
            "十二、12345热线工单",
            &[
                "月份 / 类别 / 社区",
                "受理",
                "已回复",
                "按时回复",
                "已回访",
                "满意率",
                "重办",
                "平均回复用时（工作小时）",
            ],
            rows,
        );
    }
}
