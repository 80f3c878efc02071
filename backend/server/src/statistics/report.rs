//! The quarterly report a bureau files: cases received by source, by category (with summed
//! quantities in their units) and by community; hotline cases and the share answered; the
//! evaluation ratios; the top recurring places and the emerging hot spots — as data, CSV and a
//! printable Chinese page.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use citygrid_core::api::cases::HeaderLanguage;
use citygrid_core::case::Source;
use citygrid_core::category::Catalogue;

use super::evaluation::evaluate;
use super::{Snapshot, StatsError, StatsFilter};
use crate::analytics::emerging::Category;
use crate::analytics::slices::Slice;
use crate::heavy::Budget;

pub use citygrid_core::api::analytics::{CategoryLine, Hotline, Line, Quarter, QuarterlyReport};

fn source_zh(s: Source) -> &'static str {
    match s {
        Source::Patrol => "巡查上报",
        Source::Hotline => "热线投诉",
        Source::Public => "群众上报",
        Source::Video => "视频发现",
        Source::Inspection => "督查检查",
    }
}

impl Snapshot {
    /// The report of a quarter, as things stand at `now`.
    pub fn quarterly(
        &self,
        quarter: Quarter,
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        budget: &Budget,
    ) -> Result<QuarterlyReport, StatsError> {
        let tz = self.atlas.timezone();
        let utc = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map_or(DateTime::<Utc>::UNIX_EPOCH, |t| t.with_timezone(&Utc))
        };
        let (from, to) = (quarter.first_day(), quarter.end_day());
        let filter = StatsFilter {
            from: Some(utc(from)),
            to: Some(utc(to)),
            ..StatsFilter::default()
        };
        let facts = self.facts(&filter);
        budget.check()?;
        let mut by_source: Vec<(Source, u64)> = Source::ALL.iter().map(|s| (*s, 0)).collect();
        let mut by_category: BTreeMap<String, (u64, f64)> = BTreeMap::new();
        let mut by_community: BTreeMap<String, u64> = BTreeMap::new();
        let (mut hotline, mut answered) = (0, 0);
        for f in &facts {
            if let Some(entry) = by_source.iter_mut().find(|(s, _)| *s == f.source) {
                entry.1 += 1;
            }
            let c = by_category.entry(f.category.to_string()).or_default();
            c.0 += 1;
            c.1 += f.quantity.unwrap_or(0.0);
            if let Some(k) = &f.community {
                *by_community.entry(k.to_string()).or_default() += 1;
            }
            if f.source == Source::Hotline {
                hotline += 1;
                if f.events > 1 {
                    answered += 1;
                }
            }
        }
        let atlas = self.atlas.clone();
        let community_name = |code: &str| {
            atlas
                .base()
                .communities
                .iter()
                .find(|c| c.code.as_str() == code)
                .map_or_else(|| code.to_owned(), |c| c.name.clone())
        };
        let mut categories: Vec<CategoryLine> = by_category
            .into_iter()
            .map(|(code, (cases, quantity))| {
                let known = catalogue.get(&code);
                CategoryLine {
                    name: known.map_or_else(|| code.clone(), |k| k.name_zh.clone()),
                    unit: known.map(|k| k.unit.clone()).unwrap_or_default(),
                    code,
                    cases,
                    quantity,
                }
            })
            .collect();
        categories.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.code.cmp(&b.code)));
        let mut communities: Vec<Line> = by_community
            .into_iter()
            .map(|(key, cases)| Line {
                name: community_name(&key),
                key,
                cases,
            })
            .collect();
        communities.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.key.cmp(&b.key)));
        let at = now.min(utc(to));
        let evaluation = evaluate(&facts, at, |_| Some("all".to_owned())).pop();
        let recurring = self.recurring(&filter, super::recurring::DEFAULT_N, 3, 10, budget)?;
        let (_, cells) = self.emerging(Slice::Week, &filter, budget)?;
        let mut emerging: BTreeMap<String, u64> = BTreeMap::new();
        for c in cells.iter().filter(|c| c.category != Category::NoPattern) {
            let name = serde_json::to_value(c.category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            *emerging.entry(name).or_default() += 1;
        }
        Ok(QuarterlyReport {
            quarter: format!("{}-Q{}", quarter.year, quarter.number),
            from,
            to,
            received: facts.len() as u64,
            by_source: by_source
                .into_iter()
                .filter(|(_, cases)| *cases > 0)
                .map(|(s, cases)| Line {
                    key: s.as_str().to_owned(),
                    name: source_zh(s).to_owned(),
                    cases,
                })
                .collect(),
            by_category: categories,
            by_community: communities,
            hotline: Hotline {
                received: hotline,
                answered,
                share_answered: (hotline > 0).then(|| answered as f64 / hotline as f64),
            },
            evaluation,
            recurring,
            emerging,
            inspections: None,
            campaigns: None,
            approvals: None,
            work_orders: None,
        })
    }
}

/// The CSV's header row and section names, in English and Chinese.
const CSV_HEADER: [(&str, &str); 6] = [
    ("section", "板块"),
    ("key", "编码"),
    ("name", "名称"),
    ("cases", "件数"),
    ("quantity", "数量"),
    ("unit", "单位"),
];
const CSV_SECTIONS: [(&str, &str); 11] = [
    ("received", "受理"),
    ("source", "来源"),
    ("category", "类别"),
    ("community", "社区"),
    ("hotline", "热线"),
    ("recurring", "反复发生"),
    ("sanitation", "环卫考核"),
    ("door_front", "门前责任制"),
    ("campaign", "专项整治"),
    ("approvals", "审批备案"),
    ("work_orders", "12345工单"),
];

/// 城区 / 农村.
fn area_zh(area: citygrid_core::features::SectionArea) -> &'static str {
    match area {
        citygrid_core::features::SectionArea::Urban => "城区",
        citygrid_core::features::SectionArea::Rural => "农村",
    }
}

/// The report as CSV: one line per figure (section, key, name, cases, quantity, unit), with a
/// byte order mark for spreadsheets; `lang` says the language of the header and the sections.
pub fn csv(r: &QuarterlyReport, lang: HeaderLanguage) -> Result<Vec<u8>, csv::Error> {
    let zh = lang == HeaderLanguage::Zh;
    let pick = |(en, cn): (&'static str, &'static str)| if zh { cn } else { en };
    let mut out = crate::csv_cells::CsvOut::with_bom();
    out.row(CSV_HEADER.map(pick))?;
    let section_name = |section: &'static str| -> &'static str {
        CSV_SECTIONS
            .into_iter()
            .find(|(en, _)| *en == section)
            .map_or(section, pick)
    };
    let mut line =
        |section: &'static str, key: &str, name: &str, cases: u64, quantity: &str, unit: &str| {
            out.row([
                section_name(section),
                key,
                name,
                &cases.to_string(),
                quantity,
                unit,
            ])
        };
    line("received", &r.quarter, "受理案件", r.received, "", "")?;
    for l in &r.by_source {
        line("source", &l.key, &l.name, l.cases, "", "")?;
    }
    for c in &r.by_category {
        line(
            "category",
            &c.code,
            &c.name,
            c.cases,
            &c.quantity.to_string(),
            &c.unit,
        )?;
    }
    for l in &r.by_community {
        line("community", &l.key, &l.name, l.cases, "", "")?;
    }
    line(
        "hotline",
        "received",
        "热线投诉",
        r.hotline.received,
        "",
        "",
    )?;
    line("hotline", "answered", "已答复", r.hotline.answered, "", "")?;
    for p in &r.recurring {
        let key = format!("{}:{}", p.kind, p.key);
        line("recurring", &key, &p.name, p.total, "", "")?;
    }
    if let Some(i) = &r.inspections {
        for l in &i.sanitation {
            let (a, zh) = (l.area.as_str(), area_zh(l.area));
            line(
                "sanitation",
                &format!("{a}.daily"),
                &format!("{zh}日常考核"),
                l.daily,
                "",
                "次",
            )?;
            let key = format!("{a}.comprehensive");
            line(
                "sanitation",
                &key,
                &format!("{zh}综合考核"),
                l.comprehensive,
                "",
                "次",
            )?;
            let key = format!("{a}.dust");
            line(
                "sanitation",
                &key,
                &format!("{zh}以克论净检测"),
                l.dust_samplings,
                "",
                "次",
            )?;
            let key = format!("{a}.notices");
            line(
                "sanitation",
                &key,
                &format!("{zh}整改通知书"),
                l.notices,
                "",
                "份",
            )?;
            let key = format!("{a}.deducted");
            let yuan = format!("{:.2}", l.deducted);
            line("sanitation", &key, &format!("{zh}考核扣款"), 0, &yuan, "元")?;
        }
        let d = &i.door_front;
        let surveys = d.surveys.to_string();
        line(
            "door_front",
            "surveyed",
            "排查商户",
            d.shops_surveyed,
            &surveys,
            "次",
        )?;
        line(
            "door_front",
            "incomplete",
            "信息不全商户",
            d.incomplete_records,
            "",
            "家",
        )?;
        line(
            "door_front",
            "notices",
            "门前责任整改通知",
            d.notices,
            "",
            "份",
        )?;
        for b in &d.by_rating {
            line(
                "door_front",
                &format!("rating.{}", b.key),
                &b.name,
                b.cases,
                "",
                "家",
            )?;
        }
    }
    super::report_fieldwork::csv_lines(r, &mut line)?;
    out.into_bytes()
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The report as a printable Chinese page.
pub fn html(
    r: &QuarterlyReport,
    draft: Option<&citygrid_core::api::report_draft::ReportDraft>,
) -> String {
    let mut h = String::new();
    let title = format!(
        "{}年第{}季度城市网格化管理工作报告",
        &r.quarter[..4],
        r.quarter.chars().last().unwrap_or('1')
    );
    let _ = write!(
        h,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;max-width:52rem;margin:2rem auto;color:#1d2a33}}\
         table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #b8c4cc;padding:.25rem .5rem;text-align:left}}\
         td.n{{text-align:right}}h1{{font-size:1.4rem}}h2{{font-size:1.1rem;margin-top:1.5rem}}@media print{{body{{margin:0}}}}</style></head><body>\
         <h1>{title}</h1><p>统计期间：{} 至 {}（不含）。本季度共受理案件 <b>{}</b> 件。</p>",
        r.from, r.to, r.received
    );
    if let Some(d) = draft {
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
        // Charts: the quarter's cases by category and by community, the hotline by month.
        let lines = |v: &[citygrid_core::api::analytics::Line]| {
            v.iter()
                .map(|l| (l.name.clone(), l.cases))
                .collect::<Vec<_>>()
        };
        let categories: Vec<(String, u64)> = r
            .by_category
            .iter()
            .map(|c| (c.name.clone(), c.cases))
            .collect();
        let _ = write!(
            h,
            "<section class=\"charts\"><h2>图表</h2>{}{}",
            super::charts::bars("案件类别（前十）", &categories, 10),
            super::charts::bars("各社区案件", &lines(&r.by_community), 20),
        );
        if let Some(w) = r.work_orders.as_ref().filter(|w| w.total.received > 0) {
            let months: Vec<(String, u64)> = w
                .by_month
                .iter()
                .map(|m| (m.key.clone(), m.received))
                .collect();
            h.push_str(&super::charts::bars("12345工单（按月）", &months, 12));
        }
        h.push_str("</section><h2>附表</h2>");
    }
    let table = |h: &mut String, caption: &str, head: &[&str], rows: Vec<Vec<String>>| {
        let _ = write!(h, "<h2>{caption}</h2><table><tr>");
        for c in head {
            let _ = write!(h, "<th>{c}</th>");
        }
        h.push_str("</tr>");
        for row in rows {
            h.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let class = if i > 0
                    && cell
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit() || c == '—')
                {
                    " class=\"n\""
                } else {
                    ""
                };
                let _ = write!(h, "<td{class}>{}</td>", html_escape::encode_text(cell));
            }
            h.push_str("</tr>");
        }
        h.push_str("</table>");
    };
    table(
        &mut h,
        "一、案件来源",
        &["来源", "件数"],
        r.by_source
            .iter()
            .map(|l| vec![l.name.clone(), l.cases.to_string()])
            .collect(),
    );
    table(
        &mut h,
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
        &mut h,
        "三、各社区案件",
        &["社区", "件数"],
        r.by_community
            .iter()
            .map(|l| vec![l.name.clone(), l.cases.to_string()])
            .collect(),
    );
    table(
        &mut h,
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
            &mut h,
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
        &mut h,
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
        &mut h,
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
            &mut h,
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
                        area_zh(l.area).to_owned(),
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
        table(&mut h, "九、门前责任制", &["项目", "数量"], rows);
    }
    super::report_fieldwork::html_tables(r, &mut h, &table);
    h.push_str("</body></html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_span_three_months() {
        let q: Quarter = "2026-Q3".parse().unwrap();
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(q.end_day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()).number,
            4
        );
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert!("Q3".parse::<Quarter>().is_err());
    }
}
