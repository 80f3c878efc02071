//! The quarterly report's narrative draft (issue 21, in progress): the demo's 2026-Q3 written
//! from the templates, every figure of FIELDWORK §1 read from the same API figures, compared with
//! the quarter before where there are records; a quarter to come or without records is refused.

use axum::http::StatusCode;
use citygrid_core::account::Role;

use crate::support::{demo_app_with, rules};

#[tokio::test]
async fn the_demo_quarter_is_written_from_the_figures_the_api_gives() {
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
    let text: String = draft["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["paragraphs"].as_array().unwrap().iter())
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("{}\n{text}", draft["title"]);
    assert_eq!(draft["title"], "2026年三季度城市管理工作情况报告");
    let received = report["received"].as_u64().unwrap();
    assert!(
        text.contains(&format!("共受理各类城市管理问题{received}件")),
        "{text}"
    );
    assert!(
        text.contains("环比"),
        "compared with the quarter before: {text}"
    );
    let orders = report["work_orders"]["total"]["received"].as_u64().unwrap();
    assert!(
        text.contains(&format!("受理12345热线工单{orders}件")),
        "{text}"
    );
    let approvals = report["approvals"]["handled"].as_u64().unwrap();
    assert!(
        text.contains(&format!("办理审批备案事项{approvals}件")),
        "{text}"
    );
    let shops = report["inspections"]["door_front"]["shops_surveyed"]
        .as_u64()
        .unwrap();
    if shops > 0 {
        assert!(text.contains(&format!("共排查沿街商户{shops}家")), "{text}");
    }
    for c in report["campaigns"].as_array().unwrap() {
        let line = format!(
            "{}：开展行动{}次",
            c["name"].as_str().unwrap(),
            c["actions"]
        );
        assert!(text.contains(&line), "{line}: {text}");
    }
    // The printable page opens with the same prose, then the tables.
    let (_, html) = demo
        .send_text_as(
            Role::Leader,
            "GET",
            "/api/v1/reports/quarterly?quarter=2026-Q3&format=html",
            "text/plain",
            String::new(),
        )
        .await;
    let first_text = draft["sections"][0]["paragraphs"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        html.contains(first_text) && html.find(first_text) < html.find("附表"),
        "{html}"
    );
    // Charts: a bar for each of the top ten categories.
    let drawn = report["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["cases"].as_u64() > Some(0))
        .count()
        .min(10);
    let charts = &html[html.find("<section class=\"charts\">").unwrap()..];
    let first_chart = &charts[..charts.find("</svg>").unwrap()];
    assert_eq!(first_chart.matches("<rect").count(), drawn, "{first_chart}");
    // A paragraph links to the records behind it.
    let first = &draft["sections"][0]["paragraphs"][0];
    assert!(
        first["sources"][0]["href"]
            .as_str()
            .unwrap()
            .starts_with("/api/v1/cases?"),
        "{first}"
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
