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
