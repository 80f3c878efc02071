//! The contract sections layer (FIELDWORK §2): imported from GeoJSON with the bureau's Chinese
//! field names, as areas, lines, or streets by name drawn from the district's streets; errors
//! by feature and field; nothing applied when one feature is bad.

use axum::http::StatusCode;
use citygrid_core::features::SectionExtent;
use serde_json::json;

use crate::support::{demo_district, demo_router, exchange};

const SQUARE: [[f64; 2]; 5] = [
    [116.79, 33.95],
    [116.791, 33.95],
    [116.791, 33.951],
    [116.79, 33.951],
    [116.79, 33.95],
];

fn collection(features: &serde_json::Value) -> String {
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

#[tokio::test]
async fn sections_come_as_areas_or_as_named_streets_and_a_bad_one_changes_nothing() {
    let district = demo_district().await;
    let before = district.atlas().base().sections.clone();
    assert!(
        before
            .iter()
            .any(|s| matches!(s.extent, SectionExtent::Streets(_)))
            && before
                .iter()
                .any(|s| matches!(s.extent, SectionExtent::Area(_))),
        "the demo has sections of both kinds"
    );
    let router = demo_router().await;
    // A bureau's list: Chinese field names, one section an area, one only the streets it cleans.
    let good = collection(&json!([
        { "type": "Feature", "geometry": { "type": "Polygon", "coordinates": [SQUARE] },
          "properties": { "标段编号": "T1", "标段名称": "一标段", "作业单位": "甲保洁公司", "城乡": "城区",
                          "月费用": "180000", "考核办法": "per-point-90" } },
        { "type": "Feature", "geometry": null,
          "properties": { "code": "T2", "name": "淮海路标段", "contractor": "乙公司", "area": "rural",
                          "fee_per_month": 60000, "rule": "per-item-500", "streets": "淮海西路、人民路" } }
    ]));
    let (status, _, body) =
        exchange(&router, "PUT", "/api/v1/layers/sections", &[], Some(good)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["count"], 2, "{body}");
    assert_eq!(body["warnings"], json!([]), "both rules exist");
    let (_, _, layer) = exchange(&router, "GET", "/api/v1/layers/sections", &[], None).await;
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features[0]["properties"]["area"], "urban");
    assert_eq!(features[0]["properties"]["fee_per_month"], 180000.0);
    assert_eq!(
        features[1]["properties"]["streets"],
        json!(["淮海西路", "人民路"])
    );
    assert_eq!(
        features[1]["geometry"]["type"], "MultiLineString",
        "{}",
        features[1]["geometry"]
    );
    assert!(
        features[1]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len()
            >= 2,
        "drawn from both streets"
    );

    // A street the district lacks, a village that is neither, a negative fee, a point: all named,
    // and the two sections stay.
    let bad = collection(&json!([
        { "type": "Feature", "geometry": null,
          "properties": { "code": "B1", "name": "x", "contractor": "c", "area": "urban",
                          "fee_per_month": 1, "rule": "per-point-90", "streets": ["长江路"] } },
        { "type": "Feature", "geometry": { "type": "Polygon", "coordinates": [SQUARE] },
          "properties": { "code": "B2", "name": "x", "contractor": "c", "area": "suburb",
                          "fee_per_month": -5, "rule": "per-point-90" } },
        { "type": "Feature", "geometry": { "type": "Point", "coordinates": [116.79, 33.95] },
          "properties": { "code": "B3", "name": "x", "contractor": "c", "area": "urban",
                          "fee_per_month": 1, "rule": "per-point-90" } }
    ]));
    let (status, _, body) =
        exchange(&router, "PUT", "/api/v1/layers/sections", &[], Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let text = body.to_string();
    for said in ["B2", "area", "fee_per_month", "B3", "geometry"] {
        assert!(text.contains(said), "{said} in {text}");
    }
    // The street check runs only once every feature reads; alone, it names the street.
    let unknown = collection(&json!([
        { "type": "Feature", "geometry": null,
          "properties": { "code": "B1", "name": "x", "contractor": "c", "area": "urban",
                          "fee_per_month": 1, "rule": "per-point-90", "streets": ["长江路"] } }
    ]));
    let (status, _, body) = exchange(
        &router,
        "PUT",
        "/api/v1/layers/sections",
        &[],
        Some(unknown),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("长江路") && body.to_string().contains("streets"),
        "{body}"
    );
    let (_, _, layer) = exchange(&router, "GET", "/api/v1/layers/sections", &[], None).await;
    assert_eq!(
        layer["features"].as_array().unwrap().len(),
        2,
        "nothing applied"
    );
    // A rule the contract rules lack is said, not silently left unsettled.
    let unknown_rule = collection(&json!([
        { "type": "Feature", "geometry": { "type": "Polygon", "coordinates": [SQUARE] },
          "properties": { "code": "R1", "name": "x", "contractor": "c", "area": "urban",
                          "fee_per_month": 1, "rule": "per-point-85" } }
    ]));
    let (status, _, body) = exchange(
        &router,
        "PUT",
        "/api/v1/layers/sections",
        &[],
        Some(unknown_rule),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["warnings"][0]
            .as_str()
            .unwrap()
            .contains("per-point-85"),
        "{body}"
    );
}
