//! Layer files over HTTP: a zipped Shapefile or a GeoPackage in the bureau's system uploaded to
//! `PUT /layers/{layer}` and previewed by `POST /layers/{layer}/preview`; layers downloaded for
//! a GIS with `GET /layers/{layer}?format=shp|gpkg&crs=…&names=zh`; bad parameters named.

use axum::http::StatusCode;
use citygrid::export::gis::{self, ExportOptions, GisFormat};
use citygrid_core::api::layers::{ImportReport, LayerPreview};
use citygrid_core::layer::Layer;
use serde_json::Value;

use crate::support::{demo_base, demo_router};

/// One request with a binary body; the status, content type and body bytes.
async fn send(
    router: &axum::Router,
    method: &str,
    uri: &str,
    body: Vec<u8>,
) -> (StatusCode, String, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/octet-stream")
        .body(axum::body::Body::from(body))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let kind = crate::support::content_type(res.headers());
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, kind, bytes)
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_zipped_shapefile_and_a_geopackage_are_previewed_then_imported() {
    let router = demo_router().await;
    let base = demo_base();
    let options = ExportOptions {
        crs: "EPSG:4527".parse().unwrap(),
        chinese_names: true,
        ..ExportOptions::default()
    };
    let zip = gis::layer(base, Layer::Grids, GisFormat::Shapefile, &options)
        .await
        .unwrap();
    let (status, _, body) =
        send(&router, "POST", "/api/v1/layers/grids/preview", zip.clone()).await;
    assert_eq!(status, StatusCode::OK, "{}", json(&body));
    let preview: LayerPreview = serde_json::from_slice(&body).unwrap();
    assert_eq!(preview.count, base.grids.len());
    assert_eq!(preview.files[0].crs, "EPSG:4527");
    assert!(
        preview.files[0]
            .encoding
            .as_deref()
            .unwrap_or("")
            .contains("GBK")
    );
    assert!(
        preview
            .mapping
            .iter()
            .any(|m| m.field == "code" && m.from == "网格编码")
    );
    let [w, s, e, n] = preview.extent.unwrap();
    assert!(
        w > 116.7 && e < 116.9 && s > 33.9 && n < 34.0,
        "{w} {s} {e} {n}"
    );
    assert!(preview.errors.is_empty());

    let (status, _, body) = send(&router, "PUT", "/api/v1/layers/grids", zip).await;
    assert_eq!(status, StatusCode::OK, "{}", json(&body));
    let report: ImportReport = serde_json::from_slice(&body).unwrap();
    assert_eq!(report.count, base.grids.len());

    let gpkg = gis::layer(base, Layer::Zones, GisFormat::GeoPackage, &options)
        .await
        .unwrap();
    let (status, _, body) = send(&router, "PUT", "/api/v1/layers/zones", gpkg).await;
    assert_eq!(status, StatusCode::OK, "{}", json(&body));
}

#[tokio::test]
async fn a_refused_upload_names_the_parameter_or_the_features_and_changes_nothing() {
    let router = demo_router().await;
    let base = demo_base();
    let zip = gis::layer(
        base,
        Layer::Grids,
        GisFormat::Shapefile,
        &ExportOptions {
            crs: "EPSG:4527".parse().unwrap(),
            ..ExportOptions::default()
        },
    )
    .await
    .unwrap();
    for (query, field) in [
        ("crs=EPSG:9999", "crs"),
        ("towgs84=1,2", "towgs84"),
        ("encoding=klingon", "encoding"),
        ("fields=code", "fields"),
    ] {
        let (status, _, body) = send(
            &router,
            "PUT",
            &format!("/api/v1/layers/grids?{query}"),
            zip.clone(),
        )
        .await;
        let problem = json(&body);
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
        assert!(problem.to_string().contains(field), "{query}: {problem}");
    }
    // The wrong zone over the file's own: every feature refused, the zone that fits named.
    let (status, _, body) = send(
        &router,
        "PUT",
        "/api/v1/layers/grids?crs=EPSG:4528",
        zip.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json(&body);
    assert!(
        problem["errors"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("EPSG:4527"),
        "{problem}"
    );
    // A zip without Shapefiles.
    let (status, _, body) = send(
        &router,
        "PUT",
        "/api/v1/layers/grids",
        b"PK\x03\x04junk".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", json(&body));
    let (_, _, body) = send(&router, "GET", "/api/v1/layers/grids", Vec::new()).await;
    assert_eq!(
        json(&body)["features"].as_array().unwrap().len(),
        base.grids.len()
    );
}

#[tokio::test]
async fn layers_download_for_a_gis_in_the_bureaus_system() {
    let router = demo_router().await;
    let (status, kind, body) = send(
        &router,
        "GET",
        "/api/v1/layers/shops?format=shp&crs=EPSG:4527&names=zh",
        Vec::new(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/zip");
    assert!(body.starts_with(b"PK\x03\x04"));
    let (status, kind, body) = send(
        &router,
        "GET",
        "/api/v1/layers/grids?format=gpkg&crs=EPSG:4548",
        Vec::new(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/geopackage+sqlite3");
    assert!(body.starts_with(b"SQLite format 3\0"));
    let (status, _, body) = send(
        &router,
        "GET",
        "/api/v1/layers/grids?crs=EPSG:4527&names=zh",
        Vec::new(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let file = json(&body);
    assert_eq!(
        file["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::4527"
    );
    assert!(file["features"][0]["properties"].get("网格编码").is_some());
    for (query, field) in [
        ("format=kml", "format"),
        ("format=shp&crs=EPSG:2385", "crs"),
        ("format=shp&names=fr", "names"),
        ("format=shp&encoding=latin1", "encoding"),
    ] {
        let (status, _, body) = send(
            &router,
            "GET",
            &format!("/api/v1/layers/grids?{query}"),
            Vec::new(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            json(&body).to_string().contains(field),
            "{query}: {}",
            json(&body)
        );
    }
}

#[tokio::test]
async fn cases_download_for_a_gis_with_their_responsibility() {
    use citygrid_core::account::Role;
    let demo = crate::support::demo_with_year(|s| s).await;
    let auth = format!("Bearer {}", demo.token(Role::Admin));
    let get = |uri: String| {
        let router = demo.router.clone();
        let auth = auth.clone();
        async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let req = axum::http::Request::get(uri)
                .header("authorization", auth)
                .body(axum::body::Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
            (status, bytes)
        }
    };
    let filter = "from=2026-03-01&to=2026-03-31";
    let (status, csv) = get(format!("/api/v1/cases?{filter}&format=csv")).await;
    assert_eq!(status, StatusCode::OK);
    let in_csv = String::from_utf8(csv).unwrap().lines().count() - 1;
    assert!(in_csv > 100, "{in_csv}");
    let (status, zip) = get(format!(
        "/api/v1/cases?{filter}&format=shp&crs=EPSG:4527&lang=zh"
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{}", json(&zip));
    let options = citygrid::import::ReadOptions::default();
    let files = citygrid::import::open_files::read_upload(&zip, &options, None)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].features.len(),
        in_csv,
        "every case the filter selects"
    );
    assert_eq!(
        citygrid::import::file_crs(&files[0], &options)
            .unwrap()
            .epsg(),
        Some(4527)
    );
    for column in ["案件编号", "类别", "网格", "社区"] {
        assert!(
            files[0].fields.iter().any(|f| f == column),
            "{column}: {:?}",
            files[0].fields
        );
    }
    let (status, gpkg) = get(format!("/api/v1/cases?{filter}&format=gpkg")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(gpkg.starts_with(b"SQLite format 3\0"));
    let (status, body) = get(format!("/api/v1/cases?{filter}&format=shp&crs=bd09")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&body).to_string().contains("crs"));
}
