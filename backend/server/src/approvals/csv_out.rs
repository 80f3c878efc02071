//! Applications as CSV for a spreadsheet (Chinese headers with `lang=zh`), times in the
//! district's time zone. The applicant's columns are written only for those who may see
//! personal data; for others they stay empty.

use citygrid_core::api::approvals::{Application, Step};
use citygrid_core::approval::decided_at;

use crate::csv_cells::CsvOut;

pub fn applications_csv(items: &[Application], tz: chrono_tz::Tz, chinese: bool) -> Vec<u8> {
    let mut w = CsvOut::with_bom();
    let _ = w.row(if chinese {
        [
            "编号",
            "类型",
            "事项",
            "申请人",
            "统一社会信用代码",
            "联系方式",
            "商户",
            "网格",
            "社区",
            "受理时间",
            "状态",
            "办结时间",
            "证书编号",
            "不予理由",
            "时限(工作分钟)",
            "用时(工作分钟)",
            "当日办结",
            "按时办结",
            "超期",
        ]
    } else {
        [
            "number",
            "type",
            "subject",
            "applicant",
            "credit_code",
            "contact",
            "shop",
            "cell",
            "community",
            "received_at",
            "status",
            "decided_at",
            "certificate",
            "reason",
            "limit_minutes",
            "used_minutes",
            "same_day",
            "on_time",
            "overdue",
        ]
    });
    let time = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
    };
    let flag = |b: Option<bool>| b.map_or("", |b| if b { "1" } else { "0" }).to_owned();
    for a in items {
        let applicant = a.applicant.as_ref();
        let (certificate, reason) = match a.steps.last() {
            Some(Step::Approved { certificate, .. }) => (certificate.clone(), String::new()),
            Some(Step::Rejected { reason, .. }) => (String::new(), reason.clone()),
            _ => (String::new(), String::new()),
        };
        let _ = w.row([
            a.number.clone(),
            a.kind.clone(),
            a.subject.clone(),
            applicant.map(|p| p.name.clone()).unwrap_or_default(),
            applicant
                .and_then(|p| p.credit_code.clone())
                .unwrap_or_default(),
            applicant.map(|p| p.contact.clone()).unwrap_or_default(),
            a.place.shop.clone().unwrap_or_default(),
            a.cell.clone().unwrap_or_default(),
            a.community.clone().unwrap_or_default(),
            time(a.received_at),
            a.status.as_str().to_owned(),
            decided_at(&a.steps).map(time).unwrap_or_default(),
            certificate,
            reason,
            a.clock.limit_minutes.to_string(),
            a.clock.used_minutes.to_string(),
            flag(a.clock.same_day),
            flag(a.clock.on_time),
            if a.clock.overdue { "1" } else { "0" }.to_owned(),
        ]);
    }
    w.into_bytes().unwrap_or_default()
}
