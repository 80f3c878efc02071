//! The quarterly report as a bureau writes it: the demo's 2026-Q3 written from the templates,
//! every line of FIELDWORK §1 read from the same API figures, compared with the quarter before;
//! the printable page and the Word file (read by python-docx) carrying it with the charts; a
//! leader's edits and plan kept with the quarter; bad input refused, naming the field.

use axum::http::StatusCode;
use citygrid_core::account::Role;

use serde_json::{Value, json};

use crate::support::{demo_app_with, rules};

/// The whole draft's text, one paragraph a line.
fn text_of(draft: &Value) -> String {
    draft["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["paragraphs"].as_array().unwrap().iter())
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn n(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

/// Every line of FIELDWORK §1 the demo quarter has records for, each written from the figure
/// the API gives for the same quarter and looked for in `text`.
fn fieldwork_lines(report: &Value) -> Vec<String> {
    use citygrid_core::report_words as w;
    let count = |v: &Value| w::count(n(v) as u64);
    let mut lines = vec![format!(
        "共受理各类城市管理问题{}件",
        count(&report["received"])
    )];
    // 门责制: the shops surveyed and the shop records still to complete.
    let door = &report["inspections"]["door_front"];
    lines.push(format!(
        "共排查沿街商户{}家",
        count(&door["shops_surveyed"])
    ));
    lines.push(if n(&door["incomplete_records"]) > 0.0 {
        format!("尚有{}家商户信息待补录", count(&door["incomplete_records"]))
    } else {
        "商户信息已全部完善".to_owned()
    });
    // 大气, 飞线充电, 户外广告, 拆违, 垃圾分类: each campaign's actions, tallies (m², t),
    // fines with the parties fined, and rates.
    for c in report["campaigns"].as_array().unwrap() {
        lines.push(format!(
            "{}：开展行动{}次",
            c["name"].as_str().unwrap(),
            count(&c["actions"])
        ));
        for t in c["totals"].as_array().unwrap() {
            let name = t["name_zh"].as_str().unwrap();
            lines.push(match t["parties"].as_u64() {
                Some(parties) => format!(
                    "{name}{}（{}起）",
                    w::money(n(&t["quantity"])),
                    w::count(parties)
                ),
                None => format!("{name}{}", w::quantity(n(&t["quantity"]))),
            });
        }
        for r in c["rates"].as_array().into_iter().flatten() {
            lines.push(format!(
                "占{}",
                w::percent(n(&r["numerator"]) / n(&r["denominator"]))
            ));
        }
    }
    // 环卫, urban and rural: daily and comprehensive assessments, notices, deductions.
    for s in report["inspections"]["sanitation"].as_array().unwrap() {
        let area = if s["area"] == "urban" {
            "城区"
        } else {
            "农村"
        };
        if n(&s["daily"]) + n(&s["comprehensive"]) == 0.0 {
            continue;
        }
        lines.push(format!("{area}环卫作业开展"));
        lines.push(format!("日常考核{}次", count(&s["daily"])));
        lines.push(format!("综合考核{}次", count(&s["comprehensive"])));
        if n(&s["notices"]) > 0.0 {
            lines.push(format!("下发整改通知书{}份", count(&s["notices"])));
        }
        if n(&s["deducted"]) > 0.0 {
            lines.push(format!("扣除作业经费{}", w::money(n(&s["deducted"]))));
        }
    }
    // 审批备案: handled, the same day, by type.
    let a = &report["approvals"];
    lines.push(format!("办理审批备案事项{}件", count(&a["handled"])));
    lines.push(format!("其中当日办结{}件", count(&a["same_day"])));
    for t in a["types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| n(&t["handled"]) > 0.0)
    {
        lines.push(format!(
            "{}{}件",
            t["name_zh"].as_str().unwrap(),
            count(&t["handled"])
        ));
    }
    // 12345: complaints and every type, replied, called back, satisfaction.
    let o = &report["work_orders"];
    let total = &o["total"];
    lines.push(format!("受理12345热线工单{}件", count(&total["received"])));
    for (code, k) in total["by_type"].as_object().unwrap() {
        lines.push(format!(
            "{}{}件",
            o["type_names"][code].as_str().unwrap(),
            count(k)
        ));
    }
    lines.push(format!("已回复{}件", count(&total["replied"])));
    lines.push(format!("回访{}件", count(&total["called_back"])));
    lines.push(format!("满意率{}", w::percent(n(&total["satisfied_rate"]))));
    lines
}

#[tokio::test]
async fn the_demo_quarter_writes_every_fieldwork_line_from_the_figures_the_api_gives() {
    let demo = demo_app_with(|s| s).await;
    citygrid::demo::load(&demo.state.district, &rules())
        .await
        .unwrap();
    let (status, _, draft) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly/draft?quarter=2026-Q3",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let (_, _, report) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3",
            None,
        )
        .await;
    let text = text_of(&draft);
    eprintln!("{}\n{text}", draft["title"]);
    assert_eq!(draft["title"], "2026年三季度城市管理工作情况报告");
    for line in fieldwork_lines(&report) {
        assert!(
            text.contains(&line),
            "{line:?} is not in the draft:\n{text}"
        );
    }
    // Every headline figure beside the quarter before (the demo's year has no 2025-Q3).
    let comparisons = draft["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), 6, "{draft}");
    assert_eq!(n(&comparisons[0]["now"]), n(&report["received"]));
    let (_, _, q2) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q2",
            None,
        )
        .await;
    assert_eq!(n(&comparisons[0]["previous"]), n(&q2["received"]));
    let words = comparisons[0]["against_previous"].as_str().unwrap();
    assert!(
        words.starts_with("环比") && text.contains(words),
        "{words}: {text}"
    );
    assert!(comparisons[0].get("last_year").is_none(), "{draft}");
    // The demo's leader wrote the plan for the summer in 2026-Q2's text.
    let (_, _, spring) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly/draft?quarter=2026-Q2",
            None,
        )
        .await;
    assert!(
        spring["plan"]
            .as_str()
            .unwrap()
            .contains("夏季夜间露天烧烤")
            && spring["version"] == 1,
        "{spring}"
    );
    // A paragraph links to the records behind it.
    let first = &draft["sections"][0]["paragraphs"][0];
    assert!(
        first["sources"][0]["href"]
            .as_str()
            .unwrap()
            .starts_with("/api/v1/cases?"),
        "{first}"
    );
    // The printable page opens with the same prose, the comparisons and the charts, then
    // the tables.
    let (_, html) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=html",
            "text/plain",
            String::new(),
        )
        .await;
    let first_text = first["text"].as_str().unwrap();
    assert!(
        html.contains(first_text) && html.find(first_text) < html.find("附表"),
        "{html}"
    );
    assert!(html.contains("主要指标对比"), "{html}");
    let charts = &html[html.find("<section class=\"charts\">").unwrap()..];
    for title in [
        "各月受理案件",
        "案件类别（前十）",
        "各社区案件",
        "本季度案件热点（Gi*）",
        "环卫作业单位平均得分",
        "12345工单（按月）",
    ] {
        assert!(
            charts.contains(&format!("<title>{title}</title>")),
            "{title}"
        );
    }
    // The month chart: a bar for each month, in order.
    let months = &charts[..charts.find("</svg>").unwrap()];
    assert_eq!(
        months.matches("<rect").count(),
        1 + report["by_month"].as_array().unwrap().len()
    );
    // The hot spot map: a path for each grid cell.
    let map = &charts[charts.find("本季度案件热点").unwrap()..];
    let map = &map[..map.find("</svg>").unwrap()];
    assert_eq!(
        map.matches("<path").count(),
        demo.state.district.atlas().base().grids.len()
    );

    for (quarter, why) in [("2030-Q1", "has not begun"), ("2001-Q1", "no records")] {
        let (status, _, p) = demo
            .send_as(
                Role::Leader,
                "GET",
                &format!("/api/v1/reports/quarterly/draft?quarter={quarter}"),
                None,
            )
            .await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("quarter")),
            "{p}"
        );
        assert!(p["detail"].as_str().unwrap().contains(why), "{p}");
    }
}

/// The answer's status, headers and bytes.
async fn bytes_as(
    demo: &crate::support::Demo,
    role: Role,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {}", demo.token(role)))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = demo.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (
        status,
        headers,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

/// The text of a Word file's paragraphs and tables as an independent reader sees it:
/// python-docx (`tests/docx/read.py`) when `CITYGRID_DOCX_READER` names the Python that has it
/// (`cargo xtask test` does), else the document's XML text runs.
fn read_docx(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.docx");
    std::fs::write(&path, bytes).unwrap();
    if let Ok(python) = std::env::var("CITYGRID_DOCX_READER") {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/docx/read.py");
        let out = std::process::Command::new(python)
            .arg(script)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return String::from_utf8(out.stdout).unwrap();
    }
    eprintln!("CITYGRID_DOCX_READER is not set: reading the document's XML instead of python-docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml.split("<w:t")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</w:t>"))
        })
        .map(|(text, _)| text.to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_word_file_carries_the_draft_the_charts_and_the_tables() {
    let demo = demo_app_with(|s| s).await;
    citygrid::demo::load(&demo.state.district, &rules())
        .await
        .unwrap();
    let (status, headers, bytes) = bytes_as(
        &demo,
        Role::Leader,
        "/api/v1/reports/quarterly?quarter=2026-Q3&format=docx",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("report-2026-Q3.docx")
    );
    let (_, _, report) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3",
            None,
        )
        .await;
    let text = read_docx(&bytes);
    for line in fieldwork_lines(&report) {
        assert!(
            text.contains(&line),
            "{line:?} is not in the Word file:\n{text}"
        );
    }
    for heading in [
        "2026年三季度城市管理工作情况报告",
        "主要指标对比",
        "图表",
        "附表",
        "案件类别（前十）",
    ] {
        assert!(text.contains(heading), "{heading}:\n{text}");
    }
    // Every chart is a picture in the file.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let pictures = (0..zip.len())
        .filter(|i| {
            zip.by_index(*i)
                .unwrap()
                .name()
                .unwrap()
                .starts_with("word/media/")
                && zip.by_index(*i).unwrap().name().unwrap().ends_with(".png")
        })
        .count();
    assert_eq!(pictures, 6);

    let (status, _, p) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=pdf",
            None,
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("format")),
        "{p}"
    );
    // A quarter to come, or one before the first record, has no report in any format.
    for (quarter, format) in [
        ("2030-Q1", "docx"),
        ("2001-Q1", "html"),
        ("2001-Q1", "json"),
    ] {
        let (status, _, p) = demo
            .send_as(
                Role::Leader,
                "GET",
                &format!("/api/v1/reports/quarterly?quarter={quarter}&format={format}"),
                None,
            )
            .await;
        assert_eq!(
            (status, p["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("quarter")),
            "{quarter} {format}: {p}"
        );
    }
}

#[tokio::test]
async fn a_leader_edits_the_draft_and_writes_the_plan_kept_with_the_quarter() {
    let demo = demo_app_with(|s| s).await;
    citygrid::demo::load(&demo.state.district, &rules())
        .await
        .unwrap();
    let url = "/api/v1/reports/quarterly/draft?quarter=2026-Q3";
    let (_, _, draft) = demo.send_as(Role::Leader, "GET", url, None).await;
    assert_eq!(draft["version"], 0);
    let drafted = draft["sections"][0]["paragraphs"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let edit = json!({
        "version": 0,
        "paragraphs": [
            { "section": "streets", "key": "received", "text": format!("{drafted}群众满意度进一步提升。") },
            { "section": "problems", "key": "overdue", "text": "" }
        ],
        "plan": "一是持续推进门前责任制。\n二是做好冬季除雪准备。"
    });
    let (status, _, saved) = demo
        .send_as(Role::Leader, "PUT", url, Some(edit.to_string()))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["version"].as_i64(), saved["edited_by"].as_str()),
        (Some(1), Some("leader"))
    );
    // Read again: the sentence as the leader wrote it, what the templates wrote beside it, the
    // link to the cases kept; the paragraph emptied left out; the plan under its section.
    let (_, _, again) = demo.send_as(Role::Planner, "GET", url, None).await;
    let first = &again["sections"][0]["paragraphs"][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .ends_with("群众满意度进一步提升。"),
        "{first}"
    );
    assert_eq!(first["drafted"].as_str(), Some(drafted.as_str()));
    assert!(
        first["sources"][0]["href"]
            .as_str()
            .unwrap()
            .starts_with("/api/v1/cases?")
    );
    let problems = again["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "problems")
        .unwrap();
    assert!(
        problems["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["key"] != "overdue"),
        "{problems}"
    );
    let plan = again["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "plan")
        .unwrap();
    assert_eq!(plan["paragraphs"][1]["text"], "二是做好冬季除雪准备。");
    // The printable page and the Word file carry the edit.
    let (_, html) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=html",
            "text/plain",
            String::new(),
        )
        .await;
    assert!(html.contains("群众满意度进一步提升。") && html.contains("二是做好冬季除雪准备。"));
    let (_, _, bytes) = bytes_as(
        &demo,
        Role::Leader,
        "/api/v1/reports/quarterly?quarter=2026-Q3&format=docx",
    )
    .await;
    assert!(read_docx(&bytes).contains("群众满意度进一步提升。"));
    // The edit is in the audit log.
    let (_, _, audit) = demo
        .send_as(Role::Admin, "GET", "/api/v1/audit?limit=5", None)
        .await;
    assert!(
        audit.to_string().contains("quarter=2026-Q3 version=1"),
        "{audit}"
    );

    // From a stale version: 409 naming the version; nothing changes.
    let (status, _, p) = demo
        .send_as(Role::Leader, "PUT", url, Some(edit.to_string()))
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::CONFLICT, Some("version")),
        "{p}"
    );
    // A paragraph the draft does not have, a role that may not edit, a quarter to come.
    let bad = json!({ "version": 1, "paragraphs": [{ "section": "streets", "key": "nope", "text": "x" }] });
    let (status, _, p) = demo
        .send_as(Role::Leader, "PUT", url, Some(bad.to_string()))
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("paragraphs[0].key")),
        "{p}"
    );
    let fine = json!({ "version": 1, "plan": "x" });
    let (status, _, _) = demo
        .send_as(Role::Planner, "PUT", url, Some(fine.to_string()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, p) = demo
        .send_as(
            Role::Leader,
            "PUT",
            "/api/v1/reports/quarterly/draft?quarter=2030-Q1",
            Some(fine.to_string()),
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("quarter")),
        "{p}"
    );
    let (_, _, kept) = demo.send_as(Role::Leader, "GET", url, None).await;
    assert_eq!(kept["version"], 1);
    assert_eq!(
        kept["plan"],
        "一是持续推进门前责任制。\n二是做好冬季除雪准备。"
    );
    // An admin removes a paragraph the leader had edited: the edit is no longer shown nor
    // carried, and the leader's next edit from what they read goes through.
    let (_, _, mut t) = demo
        .send_as(Role::Admin, "GET", "/api/v1/reports/draft-templates", None)
        .await;
    let problems = t["sections"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["key"] == "problems")
        .unwrap();
    problems["paragraphs"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["key"] != "overdue");
    let (status, _, _) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/reports/draft-templates",
            Some(t.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, read) = demo.send_as(Role::Leader, "GET", url, None).await;
    assert_eq!(read["edits"].as_array().unwrap().len(), 1, "{read}");
    let next =
        json!({ "version": read["version"], "paragraphs": read["edits"], "plan": read["plan"] });
    let (status, _, p) = demo
        .send_as(Role::Leader, "PUT", url, Some(next.to_string()))
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
}

#[test]
fn the_shipped_templates_name_only_figures_there_are_and_an_unknown_one_is_named() {
    let t = citygrid::statistics::draft::builtin();
    assert!(!t.sections.is_empty());
    let report: citygrid_core::api::analytics::QuarterlyReport =
        serde_json::from_value(serde_json::json!({
        "quarter": "2026-Q3", "from": "2026-07-01", "to": "2026-10-01", "received": 0,
        "by_source": [], "by_category": [], "by_community": [],
        "hotline": { "received": 0, "answered": 0, "share_answered": null },
        "evaluation": null, "recurring": [], "emerging": {} }))
        .unwrap();
    let sample = citygrid::statistics::draft::context(&report, None, None);
    citygrid::statistics::draft::check(&t, &sample).unwrap();
    let mut bad = t.clone();
    bad.sections[0].paragraphs[0].text = "{{ cases.recieved }}件".into();
    let e = citygrid::statistics::draft::check(&bad, &sample)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("sections[0].paragraphs[0].text") && e.contains("cases.recieved"),
        "{e}"
    );
}

#[tokio::test]
async fn an_admin_rewords_the_draft_and_a_template_naming_no_figure_is_refused() {
    let demo = demo_app_with(|s| s).await;
    citygrid::demo::load(&demo.state.district, &rules())
        .await
        .unwrap();
    let (_, _, mut t) = demo
        .send_as(Role::Admin, "GET", "/api/v1/reports/draft-templates", None)
        .await;
    t["sections"][0]["paragraphs"][0]["text"] =
        serde_json::json!("本季度共接报城市管理问题{{ cases.received | count }}件。");
    let (status, _, _) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/reports/draft-templates",
            Some(t.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, draft) = demo
        .send_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly/draft?quarter=2026-Q3",
            None,
        )
        .await;
    let first = draft["sections"][0]["paragraphs"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        first.starts_with("本季度共接报城市管理问题") && first.ends_with("件。"),
        "{first}"
    );
    let mut bad = t.clone();
    bad["sections"][1]["paragraphs"][0]["text"] = serde_json::json!("{{ campaign.count }}次");
    let (status, _, p) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/reports/draft-templates",
            Some(bad.to_string()),
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("sections[1].paragraphs[0].text")
        ),
        "{p}"
    );
    assert!(
        p["detail"].as_str().unwrap().contains("campaign.count"),
        "{p}"
    );
    let mut broken = t.clone();
    broken["title"] = serde_json::json!("{% if %}");
    let (status, _, p) = demo
        .send_as(
            Role::Admin,
            "PUT",
            "/api/v1/reports/draft-templates",
            Some(broken.to_string()),
        )
        .await;
    assert_eq!(
        (status, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("title")),
        "{p}"
    );
    let (status, _, _) = demo
        .send_as(
            Role::Leader,
            "PUT",
            "/api/v1/reports/draft-templates",
            Some(t.to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
