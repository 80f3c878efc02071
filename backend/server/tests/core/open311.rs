//! Open311 GeoReport v2, spoken as the specification writes it: form-encoded posts, XML and
//! JSON answers, its error format, and no personal data in what comes back.

use axum::http::StatusCode;
use citygrid::cases::CaseRules;
use citygrid::http::open311::Open311Config;
use serde_json::Value;

use crate::support::at;

const KEY: &str = "test-key";

async fn router() -> axum::Router {
    crate::support::demo_router_with(|s| {
        s.with_open311(Open311Config {
            api_keys: vec![KEY.into()],
            jurisdiction_id: "xiangcheng".into(),
        })
    })
    .await
}

async fn send(
    router: &axum::Router,
    method: &str,
    uri: &str,
    form: Option<&str>,
) -> (StatusCode, String, String) {
    let (status, headers, text) = crate::support::exchange_text(
        router,
        method,
        uri,
        "application/x-www-form-urlencoded",
        &[],
        form.map(str::to_owned),
    )
    .await;
    (status, crate::support::content_type(&headers), text)
}

fn xml_texts(xml: &str, element: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}): {xml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name(element))
        .map(|n| n.text().unwrap_or("").to_owned())
        .collect()
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn post_form(service: &str, lat: f64, lon: f64, extra: &str) -> String {
    format!(
        "api_key={KEY}&jurisdiction_id=xiangcheng&service_code={service}&lat={lat}&long={lon}&description={}&first_name=Wang&last_name=Wei&phone=13912345678{extra}",
        encode("门口摆摊")
    )
}

#[tokio::test]
async fn discovery_and_services_in_xml_and_json() {
    let r = router().await;
    let (status, content_type, xml) = send(&r, "GET", "/open311/v2/discovery.xml", None).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "text/xml; charset=utf-8")
    );
    assert_eq!(
        xml_texts(&xml, "specification"),
        ["http://wiki.open311.org/GeoReport_v2"]
    );
    assert_eq!(xml_texts(&xml, "format"), ["text/xml", "application/json"]);

    let (_, content_type, json) = send(&r, "GET", "/open311/v2/services.json", None).await;
    assert_eq!(content_type, "application/json; charset=utf-8");
    let services: Vec<Value> = serde_json::from_str(&json).unwrap();
    let catalogue = CaseRules::load(None, None).unwrap().catalogue;
    assert_eq!(services.len(), catalogue.categories.len());
    let vending = services
        .iter()
        .find(|s| s["service_code"] == "0501")
        .unwrap();
    assert_eq!(
        (
            vending["service_name"].as_str(),
            vending["metadata"].as_bool(),
            vending["type"].as_str()
        ),
        (Some("无照经营游商"), Some(false), Some("realtime"))
    );
    assert_eq!(vending["group"], "街面秩序");

    let (_, _, xml) = send(&r, "GET", "/open311/v2/services.xml", None).await;
    assert_eq!(
        xml_texts(&xml, "service_code").len(),
        catalogue.categories.len()
    );

    let (status, _, def) = send(&r, "GET", "/open311/v2/services/0501.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&def).unwrap()["attributes"],
        serde_json::json!([])
    );
    let (status, _, xml) = send(&r, "GET", "/open311/v2/services/0501.xml", None).await;
    assert_eq!(
        (status, xml_texts(&xml, "service_code")),
        (StatusCode::OK, vec!["0501".to_owned()])
    );
    let (status, _, err) = send(&r, "GET", "/open311/v2/services/9999.xml", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(xml_texts(&err, "code"), ["404"]);
}

#[tokio::test]
async fn post_a_request_and_read_it_back_without_personal_data() {
    let r = router().await;
    let p = at(-75.0, 458.0);
    let (status, _, body) = send(
        &r,
        "POST",
        "/open311/v2/requests.json",
        Some(&post_form("0502", p.lat, p.lon, "")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created: Vec<Value> = serde_json::from_str(&body).unwrap();
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, _, body) = send(&r, "GET", &format!("/open311/v2/requests/{id}.json"), None).await;
    assert_eq!(status, StatusCode::OK);
    let read: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(read[0]["service_request_id"], id);
    assert_eq!(read[0]["status"], "open");
    assert_eq!(read[0]["service_code"], "0502");
    assert!((read[0]["lat"].as_f64().unwrap() - p.lat).abs() < 1e-9);
    assert!(
        read[0]["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(
        read[0]["agency_responsible"]
            .as_str()
            .unwrap()
            .contains("社区")
    );
    for private in ["13912345678", "Wang", "Wei"] {
        assert!(!body.contains(private), "{private} leaked: {body}");
    }

    let (_, _, xml) = send(&r, "GET", &format!("/open311/v2/requests/{id}.xml"), None).await;
    assert_eq!(
        xml_texts(&xml, "service_request_id"),
        std::slice::from_ref(&id)
    );
    assert_eq!(xml_texts(&xml, "status"), ["open"]);
    assert!(!xml.contains("13912345678"));

    // By address, answered in XML.
    let form = format!(
        "api_key={KEY}&service_code=0503&address_string={}&description=bikes",
        encode("人民路151号")
    );
    let (status, _, xml) = send(&r, "POST", "/open311/v2/requests.xml", Some(&form)).await;
    assert_eq!(status, StatusCode::CREATED, "{xml}");
    assert_eq!(xml_texts(&xml, "service_request_id").len(), 1);
}

#[tokio::test]
async fn errors_follow_the_specification() {
    let r = router().await;
    let p = at(0.0, 0.0);
    let no_key = post_form("0501", p.lat, p.lon, "").replace(&format!("api_key={KEY}&"), "");
    let (status, _, body) = send(&r, "POST", "/open311/v2/requests.json", Some(&no_key)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let errors: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0]["code"], 403);
    assert!(
        errors[0]["description"]
            .as_str()
            .unwrap()
            .contains("api_key")
    );
    let wrong_key = post_form("0501", p.lat, p.lon, "").replace(KEY, "nope");
    let (status, _, xml) = send(&r, "POST", "/open311/v2/requests.xml", Some(&wrong_key)).await;
    assert_eq!(
        (status, xml_texts(&xml, "code")),
        (StatusCode::FORBIDDEN, vec!["403".to_owned()])
    );
    let cases = [
        (post_form("9999", p.lat, p.lon, ""), "service_code"),
        (
            format!("api_key={KEY}&service_code=0501"),
            "lat/long or address_string",
        ),
        (
            format!("api_key={KEY}&service_code=0501&lat=91&long=116.8"),
            "lat and long",
        ),
        (
            format!("api_key={KEY}&service_code=0501&lat=33.9"),
            "lat and long go together",
        ),
    ];
    for (form, expected) in cases {
        let (status, _, body) = send(&r, "POST", "/open311/v2/requests.json", Some(&form)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form}");
        let errors: Vec<Value> = serde_json::from_str(&body).unwrap();
        assert!(
            errors[0]["description"]
                .as_str()
                .unwrap()
                .contains(expected),
            "{form}: {body}"
        );
    }
    let (status, _, _) = send(&r, "GET", "/open311/v2/requests/424242.json", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = send(&r, "GET", "/open311/v2/requests.json?status=pending", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(
        &r,
        "GET",
        "/open311/v2/requests.json?start_date=yesterday",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(&r, "GET", "/open311/v2/services.csv", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn requests_filter_by_status_code_and_window_and_page() {
    let r = router().await;
    let mut ids = Vec::new();
    for (x, code) in [(-75.0, "0501"), (0.0, "0501"), (75.0, "0503")] {
        let p = at(x, 458.0);
        let (_, _, body) = send(
            &r,
            "POST",
            "/open311/v2/requests.json",
            Some(&post_form(code, p.lat, p.lon, "")),
        )
        .await;
        ids.push(
            serde_json::from_str::<Vec<Value>>(&body).unwrap()[0]["service_request_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let get = |uri: String| {
        let r = r.clone();
        async move {
            let (status, _, body) = send(&r, "GET", &uri, None).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            serde_json::from_str::<Vec<Value>>(&body)
                .unwrap()
                .iter()
                .map(|v| v["service_request_id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        get("/open311/v2/requests.json".into()).await,
        [ids[2].clone(), ids[1].clone(), ids[0].clone()]
    );
    assert_eq!(
        get("/open311/v2/requests.json?service_code=0501&status=open".into()).await,
        [ids[1].clone(), ids[0].clone()]
    );
    assert!(
        get("/open311/v2/requests.json?status=closed".into())
            .await
            .is_empty()
    );
    assert_eq!(
        get("/open311/v2/requests.json?page_size=2&page=2".into()).await,
        [ids[0].clone()]
    );
    assert_eq!(
        get(format!(
            "/open311/v2/requests.json?service_request_id={},{}",
            ids[0], ids[2]
        ))
        .await,
        [ids[0].clone(), ids[2].clone()]
    );
    assert!(
        get("/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z".into())
            .await
            .is_empty()
    );
}
