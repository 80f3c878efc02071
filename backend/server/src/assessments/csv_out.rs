//! Assessments as CSV for a spreadsheet: one row each, with the columns a bureau's own sheets
//! keep (Chinese headers with `lang=zh`), times in the district's time zone.

use citygrid_core::api::assessments::Assessment;

use crate::csv_cells::CsvOut;

const HEADERS_EN: [&str; 18] = [
    "id",
    "at",
    "month",
    "kind",
    "subject_type",
    "subject",
    "subject_name",
    "contractor",
    "area",
    "checklist",
    "version",
    "score",
    "rating",
    "failed_items",
    "major",
    "dust_g_per_m2",
    "notices",
    "assessors",
];

const HEADERS_ZH: [&str; 18] = [
    "编号",
    "考核时间",
    "所属月份",
    "考核类型",
    "对象类型",
    "对象编码",
    "对象名称",
    "作业单位",
    "城乡",
    "考核表",
    "版本",
    "得分",
    "等级",
    "扣分项",
    "重大问题",
    "尘土残存量(克/平方米)",
    "整改通知(案件号)",
    "考核人",
];

/// The assessments as CSV (with a byte order mark, for spreadsheets on Chinese Windows).
pub fn assessments_csv(items: &[Assessment], tz: chrono_tz::Tz, chinese: bool) -> Vec<u8> {
    let mut w = CsvOut::with_bom();
    // Writing to memory cannot fail; a row that did would only be missing from the sheet.
    let _ = w.row(if chinese { HEADERS_ZH } else { HEADERS_EN });
    for a in items {
        let list = |v: &[String]| v.join(";");
        let _ = w.row([
            a.id.to_string(),
            a.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
            a.month.clone(),
            a.kind.as_str().to_owned(),
            a.subject.kind().to_owned(),
            a.subject.code().to_owned(),
            a.subject_name.clone(),
            a.contractor.clone().unwrap_or_default(),
            a.area.map(|x| x.as_str().to_owned()).unwrap_or_default(),
            a.checklist.clone(),
            a.version.to_string(),
            format!("{:.1}", a.score.score),
            a.score.rating.clone(),
            list(&a.score.failed_items),
            if a.score.major { "1" } else { "0" }.to_owned(),
            a.score
                .dust_g_per_m2
                .map(|d| format!("{d:.1}"))
                .unwrap_or_default(),
            list(
                &a.notices
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            ),
            list(&a.assessors),
        ]);
    }
    w.into_bytes().unwrap_or_default()
}

const PERIOD_HEADERS_EN: [&str; 19] = [
    "section",
    "name",
    "contractor",
    "area",
    "month",
    "rule",
    "daily",
    "comprehensive",
    "score",
    "failed_items",
    "notices",
    "fee",
    "settled_deduction",
    "adjustments",
    "deducted",
    "bonus",
    "bond",
    "signed_by",
    "signed_at",
];

const PERIOD_HEADERS_ZH: [&str; 19] = [
    "标段编号",
    "标段名称",
    "作业单位",
    "城乡",
    "月份",
    "考核办法",
    "日常考核次数",
    "综合考核次数",
    "考核得分",
    "扣分项数",
    "整改通知数",
    "月服务费(元)",
    "考核扣款(元)",
    "调整(元)",
    "实扣(元)",
    "奖励(元)",
    "质量保证金(元)",
    "签认人",
    "签认时间",
];

/// The periods as CSV, one row per section and month.
pub fn periods_csv(
    periods: &[citygrid_core::period::Period],
    tz: chrono_tz::Tz,
    chinese: bool,
) -> Vec<u8> {
    let mut w = CsvOut::with_bom();
    let _ = w.row(if chinese {
        PERIOD_HEADERS_ZH
    } else {
        PERIOD_HEADERS_EN
    });
    let money = |v: f64| format!("{v:.2}");
    for p in periods {
        let f = &p.figures;
        let s = f.settlement;
        let _ = w.row([
            f.section.to_string(),
            f.name.clone(),
            f.contractor.clone(),
            f.area.as_str().to_owned(),
            f.month.clone(),
            f.rule.clone(),
            f.daily.to_string(),
            f.comprehensive.to_string(),
            f.score.map(|v| format!("{v:.2}")).unwrap_or_default(),
            f.failed_items.to_string(),
            f.notices.to_string(),
            s.map(|s| money(s.fee)).unwrap_or_default(),
            s.map(|s| money(s.deducted)).unwrap_or_default(),
            money(p.adjustments),
            money(p.deducted),
            s.map(|s| money(s.bonus)).unwrap_or_default(),
            s.map(|s| money(s.bond)).unwrap_or_default(),
            p.signed_by.clone().unwrap_or_default(),
            p.signed_at
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        ]);
    }
    w.into_bytes().unwrap_or_default()
}
