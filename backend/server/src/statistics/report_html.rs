//! The quarterly report as a printable Chinese page: the draft, the charts, then every table
//! under 附表 — the same tables the Word file carries (`tables`).

use std::fmt::Write;

use citygrid_core::api::analytics::QuarterlyReport;
use citygrid_core::api::report_draft::ReportDraft;

use super::charts::Chart;
use crate::analytics::emerging::Category;

/// One table of the report: its caption, header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Adds a table to `out`.
pub fn table(out: &mut Vec<ReportTable>, caption: &str, head: &[&str], rows: Vec<Vec<String>>) {
    out.push(ReportTable {
        caption: caption.to_owned(),
        head: head.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    });
}

/// Whether a cell reads as a number (right-aligned).
pub fn numeric(cell: &str) -> bool {
    cell.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '—')
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The report as a printable Chinese page.
pub fn html(r: &QuarterlyReport, d: &ReportDraft, charts: &[Chart]) -> String {
    let mut h = String::new();
    let title = html_escape::encode_text(&d.title).into_owned();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;max-width:52rem;margin:2rem auto;color:#1d2a33}}\
         table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #b8c4cc;padding:.25rem .5rem;text-align:left}}\
         td.n{{text-align:right}}h1{{font-size:1.4rem}}h2{{font-size:1.1rem;margin-top:1.5rem}}@media print{{body{{margin:0}}}}</style></head><body>\
         <h1>{title}</h1><p>统计期间：{} 至 {}（不含）。本季度共受理案件 <b>{}</b> 件。</p>",
        r.from, r.to, r.received
    );
    let _ = write!(h, "<section class=\"draft\">");
    for s in d.sections.iter().filter(|s| !s.paragraphs.is_empty()) {
        let _ = write!(h, "<h2>{}</h2>", html_escape::encode_text(&s.title));
        for p in &s.paragraphs {
            for line in p.text.lines().filter(|l| !l.trim().is_empty()) {
                let _ = write!(h, "<p>{}</p>", html_escape::encode_text(line));
            }
        }
    }
    h.push_str("</section>");
    if !d.comparisons.is_empty() {
        write_table(&mut h, &comparisons(d));
    }
    h.push_str("<section class=\"charts\"><h2>图表</h2>");
    for c in charts {
        h.push_str(&c.svg);
    }
    h.push_str("</section><h2>附表</h2>");
    for t in tables(r) {
        write_table(&mut h, &t);
    }
    h.push_str("</body></html>");
    h
}

fn write_table(h: &mut String, t: &ReportTable) {
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr>",
        html_escape::encode_text(&t.caption)
    );
    for c in &t.head {
        let _ = write!(h, "<th>{}</th>", html_escape::encode_text(c));
    }
    h.push_str("</tr>");
    for row in &t.rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i > 0 && numeric(cell) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{}</td>", html_escape::encode_text(cell));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
}

/// The headline figures beside the quarter before and a year before (— where that quarter
/// has no records).
pub fn comparisons(draft: &ReportDraft) -> ReportTable {
    let value = |v: f64, unit: &str| {
        if unit == "元" {
            citygrid_core::report_words::money(v)
        } else {
            format!("{v:.0}")
        }
    };
    let words = |w: &str, prefix: &str| {
        if w.is_empty() {
            "—".to_owned()
        } else {
            w.trim_start_matches(prefix).to_owned()
        }
    };
    ReportTable {
        caption: "主要指标对比".to_owned(),
        head: ["指标", "本季度", "上季度", "环比", "上年同期", "同比"]
            .map(str::to_owned)
            .to_vec(),
        rows: draft
            .comparisons
            .iter()
            .map(|c| {
                let or_dash = |v: Option<f64>| v.map_or("—".to_owned(), |v| value(v, &c.unit));
                vec![
                    if c.unit == "元" {
                        c.name.clone()
                    } else {
                        format!("{}（{}）", c.name, c.unit)
                    },
                    value(c.now, &c.unit),
                    or_dash(c.previous),
                    words(&c.against_previous, "环比"),
                    or_dash(c.last_year),
                    words(&c.against_last_year, "同比"),
                ]
            })
            .collect(),
    }
}

/// Every table of the report, in order.
pub fn tables(r: &QuarterlyReport) -> Vec<ReportTable> {
    let mut out = Vec::new();
    table(
        &mut out,
        "一、案件来源",
        &["来源", "件数"],
        r.by_source
            .iter()
            .map(|l| vec![l.name.clone(), l.cases.to_string()])
            .collect(),
    );
    table(
        &mut out,
        "二、案件类别",
        &["类别", "件数", "数量"],
        r.by_category
            .iter()
            .map(|c| {
                vec![
                    format!("{} {}", c.code, c.name),
                    c.cases.to_string(),
                    format!("{}{}", c.quantity, c.unit),
                ]
            })
            .collect(),
    );
    table(
        &mut out,
        "三、各社区案件",
        &["社区", "件数"],
        r.by_community
            .iter()
            .map(|l| vec![l.name.clone(), l.cases.to_string()])
            .collect(),
    );
    table(
        &mut out,
        "四、热线投诉",
        &["受理", "已答复", "答复率"],
        vec![vec![
            r.hotline.received.to_string(),
            r.hotline.answered.to_string(),
            percent(r.hotline.share_answered),
        ]],
    );
    if let Some(e) = &r.evaluation {
        table(
            &mut out,
            "五、考核指标",
            &["指标", "比率", "分子/分母"],
            [
                ("处置率", e.handled),
                ("按期处置率", e.handled_on_time),
                ("结案率", e.closed),
                ("按期结案率", e.closed_on_time),
                ("返工率", e.rework),
                ("延期率", e.extension),
                ("准确派遣率", e.accurate_dispatch),
            ]
            .iter()
            .map(|(name, r)| {
                vec![
                    (*name).to_owned(),
                    percent(r.rate),
                    format!("{}/{}", r.numerator, r.denominator),
                ]
            })
            .collect(),
        );
    }
    table(
        &mut out,
        "六、问题高发点位",
        &["点位", "类型", "案件数", "反复月数"],
        r.recurring
            .iter()
            .map(|p| {
                let kind = match p.kind.as_str() {
                    "grid" => "网格",
                    "shop" => "门店",
                    _ => "路段",
                };
                vec![
                    p.name.clone(),
                    kind.to_owned(),
                    p.total.to_string(),
                    p.months_recurring.to_string(),
                ]
            })
            .collect(),
    );
    table(
        &mut out,
        "七、新兴热点（按周）",
        &["类型", "网格数"],
        r.emerging
            .iter()
            .map(|(k, v)| {
                let name = Category::from_name(k).map_or(k.as_str(), |c| c.names().0);
                vec![name.to_owned(), v.to_string()]
            })
            .collect(),
    );
    if let Some(i) = &r.inspections {
        let wan = |yuan: f64| format!("{:.2}万元", yuan / 10_000.0);
        table(
            &mut out,
            "八、环卫作业考核",
            &[
                "",
                "日常考核",
                "综合考核",
                "以克论净",
                "整改通知书",
                "扣款",
                "已签认/已考核（月）",
            ],
            i.sanitation
                .iter()
                .map(|l| {
                    vec![
                        super::report::area_zh(l.area).to_owned(),
                        l.daily.to_string(),
                        l.comprehensive.to_string(),
                        l.dust_samplings.to_string(),
                        l.notices.to_string(),
                        wan(l.deducted),
                        format!("{}/{}", l.periods_signed, l.periods_assessed),
                    ]
                })
                .collect(),
        );
        let d = &i.door_front;
        let mut rows = vec![
            vec!["排查商户（家）".to_owned(), d.shops_surveyed.to_string()],
            vec!["排查次数".to_owned(), d.surveys.to_string()],
            vec![
                "信息不全待补录（家）".to_owned(),
                d.incomplete_records.to_string(),
            ],
            vec!["整改通知（份）".to_owned(), d.notices.to_string()],
        ];
        rows.extend(
            d.by_rating
                .iter()
                .map(|b| vec![format!("评定为{}（家）", b.name), b.cases.to_string()]),
        );
        table(&mut out, "九、门前责任制", &["项目", "数量"], rows);
    }
    super::report_fieldwork::html_tables(r, &mut out);
    out
}
