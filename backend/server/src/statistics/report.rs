//! The quarterly report a bureau files: cases received by source, by category (with summed
//! quantities in their units) and by community; hotline cases and the share answered; the
//! evaluation ratios; the top recurring places and the emerging hot spots — as data, CSV and a
//! printable Chinese page.

use std::collections::BTreeMap;

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
        let mut hot_cells: Vec<_> = self
            .hotspots(&filter, super::Weights::Queen, false, budget)?
            .into_iter()
            .filter(|c| c.bin > 0)
            .collect();
        hot_cells.sort_by(|a, b| b.bin.cmp(&a.bin).then_with(|| b.z.total_cmp(&a.z)));
        let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
        for f in &facts {
            let month = f.created_at.with_timezone(&tz).format("%Y-%m").to_string();
            *by_month.entry(month).or_default() += 1;
        }
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
            by_month: by_month
                .into_iter()
                .map(|(key, cases)| Line {
                    name: format!("{}月", key[5..].trim_start_matches('0')),
                    key,
                    cases,
                })
                .collect(),
            hot_cells,
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
pub fn area_zh(area: citygrid_core::features::SectionArea) -> &'static str {
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
