//! A bureau's own files as they come: the demo district written by GDAL (`ogr2ogr`, independent
//! of citygrid) as Shapefiles in CGCS2000 3° Gauss–Krüger zone 39 (EPSG:4527) with GBK `.dbf`s
//! and Chinese field and value names, and as a GeoPackage in EPSG:4548, imported back: the atlas
//! answers as it did from the GeoJSON originals. And the bad inputs such files bring.

use std::path::{Path, PathBuf};
use std::process::Command;

use citygrid::atlas::LocateOptions;
use citygrid::district::{District, DistrictError};
use citygrid::import::open_files::read_paths;
use citygrid::import::{ImportError, ReadOptions};
use citygrid_core::features::BaseLayers;
use citygrid_core::layer::Layer;
use citygrid_core::zone::ZoneLevel;
use geo::Centroid;
use serde_json::Value;

use crate::support::{demo_base, demo_district};

/// The Chinese field names a bureau's layers carry, per layer.
fn chinese_fields(layer: Layer) -> &'static [(&'static str, &'static str)] {
    match layer {
        Layer::Communities => &[
            ("code", "社区编码"),
            ("name", "社区名称"),
            ("subdistrict", "街道"),
        ],
        Layer::Grids => &[
            ("code", "网格编码"),
            ("name", "网格名称"),
            ("community", "社区编码"),
        ],
        Layer::Streets => &[
            ("name", "道路名称"),
            ("class", "道路等级"),
            ("left_from", "左起号"),
            ("left_to", "左止号"),
            ("right_from", "右起号"),
            ("right_to", "右止号"),
        ],
        Layer::Shops => &[
            ("code", "商户编码"),
            ("name", "商户名称"),
            ("address", "地址"),
            ("category", "经营类别"),
            ("contact", "负责人"),
            ("phone", "联系电话"),
            ("license", "执照号"),
            ("door_radius_m", "责任半径"),
        ],
        Layer::Zones => &[
            ("name", "区域名称"),
            ("level", "管理等级"),
            ("hours", "时段"),
        ],
        _ => &[],
    }
}

const LAYERS: [Layer; 5] = [
    Layer::Communities,
    Layer::Grids,
    Layer::Streets,
    Layer::Shops,
    Layer::Zones,
];

/// The demo's layer as GeoJSON with Chinese field names and zone levels, keeping only the
/// features `keep` accepts (by geometry type).
fn chinese_geojson(base: &BaseLayers, layer: Layer, keep: &[&str]) -> Value {
    let mut file = citygrid::export::layer_geojson(base, layer, None);
    let features = file["features"].as_array_mut().unwrap();
    features.retain(|f| keep.contains(&f["geometry"]["type"].as_str().unwrap_or("")));
    for feature in features {
        let properties = feature["properties"].as_object_mut().unwrap();
        // Attributes the export carries beyond the contract (arrays) are not Shapefile fields.
        properties.retain(|_, v| !v.is_array() && !v.is_object());
        if let Some(level) = properties.get("level").and_then(Value::as_str) {
            let level: ZoneLevel = level.parse().unwrap();
            properties.insert("level".into(), level.name_zh().into());
        }
        for (ours, theirs) in chinese_fields(layer) {
            if let Some(v) = properties.remove(*ours) {
                properties.insert((*theirs).to_owned(), v);
            }
        }
    }
    file
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr (Debian package gdal-bin) must be installed for this test");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes the layer's GeoJSON and converts it with GDAL; gives the GeoJSON's path.
fn source(dir: &Path, name: &str, file: &Value) -> String {
    let path = dir.join(format!("{name}.geojson"));
    std::fs::write(&path, file.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

/// The demo district as the bureau's Shapefiles: EPSG:4527, GBK. Shops come as door points and
/// door-front areas in two files. Gives each layer's GeoJSON originals and `.shp` files.
fn bureau_shapefiles(dir: &Path) -> Vec<(Layer, Vec<PathBuf>, Vec<PathBuf>)> {
    let base = demo_base();
    let mut layers = Vec::new();
    for layer in LAYERS {
        let parts: &[(&str, &[&str])] = match layer {
            Layer::Shops => &[
                ("shop_doors", &["Point"]),
                ("shop_fronts", &["Polygon", "MultiPolygon"]),
            ],
            Layer::Streets => &[("streets", &["LineString", "MultiLineString"])],
            _ => &[("areas", &["Polygon", "MultiPolygon"])],
        };
        let (mut originals, mut shps) = (Vec::new(), Vec::new());
        for (part, kinds) in parts {
            let name = format!("{}_{part}", layer.as_str());
            let json = source(dir, &name, &chinese_geojson(base, layer, kinds));
            let shp = dir.join(format!("{name}.shp"));
            ogr2ogr(&[
                "-f",
                "ESRI Shapefile",
                "-s_srs",
                "EPSG:4326",
                "-t_srs",
                "EPSG:4527",
                "-lco",
                "ENCODING=GBK",
                shp.to_str().unwrap(),
                &json,
            ]);
            shps.push(shp);
            originals.push(PathBuf::from(json));
        }
        layers.push((layer, originals, shps));
    }
    layers
}

/// Where the atlas puts points across the district (cell, community, street and side, shop,
/// zones), and where it finds addresses and streets by name.
struct Answers {
    places: Vec<String>,
    found: Vec<(String, f64, f64)>,
}

fn answers(atlas: &citygrid::atlas::Atlas, base: &BaseLayers) -> Answers {
    let mut places = Vec::new();
    for g in base.grids.iter().step_by(17) {
        let Some(c) = g.geometry.centroid() else {
            continue;
        };
        // Off the centres, where the demo's streets cross, so no point is as near two streets.
        for (dx, dy) in [(0.00013, 0.00017), (0.00041, 0.00029), (-0.00023, 0.00047)] {
            let p = citygrid_core::LonLat::new(c.x() + dx, c.y() + dy).unwrap();
            let l = atlas.locate(p, &LocateOptions::default());
            places.push(format!(
                "{p:?}: {:?} {:?} {:?} {:?} {:?}",
                l.grid.map(|g| g.code),
                l.community.map(|c| c.code),
                l.street.map(|s| (s.name, s.side)),
                l.shop.map(|s| s.code),
                l.zones.iter().map(|z| z.name.clone()).collect::<Vec<_>>(),
            ));
        }
    }
    let mut found = Vec::new();
    for s in base.streets.iter().step_by(3) {
        for text in [format!("{} 12号", s.name), s.name.clone()] {
            for c in atlas.geocode(&text, Default::default()) {
                found.push((format!("{text}: {}", c.label), c.point.lon, c.point.lat));
            }
        }
    }
    Answers { places, found }
}

/// Imports every layer from its files, as they say they are.
async fn import(district: &District, layers: &[(Layer, Vec<PathBuf>)], table: bool) {
    for (layer, paths) in layers {
        let options = ReadOptions::default();
        let table = table.then(|| layer.as_str());
        let files = read_paths(paths, &options, table).await.unwrap();
        let report = district
            .import_files(*layer, files, &options)
            .await
            .unwrap();
        assert_eq!(report.count, demo_base().count(*layer), "{layer}");
    }
}

/// The same answers: the same places, and addresses found at the same place (positions are
/// given to 7 decimals, 1.1 cm: a sub-millimetre change may round one step the other way).
fn assert_same(after: &Answers, before: &Answers) {
    assert!(before.places.len() > 40 && before.found.len() > 40);
    let differ: Vec<_> = before
        .places
        .iter()
        .zip(&after.places)
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
    assert_eq!(after.found.len(), before.found.len());
    for (a, b) in before.found.iter().zip(&after.found) {
        assert_eq!(a.0, b.0);
        let metres = (a.1 - b.1).hypot(a.2 - b.2) * 111_000.0;
        assert!(metres < 0.012, "{}: {metres} m apart", a.0);
    }
}

#[tokio::test]
async fn gauss_krueger_shapefiles_with_gbk_and_chinese_names_give_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let layers = bureau_shapefiles(dir.path());
    // One .dbf without its .cpg: read by its code page byte or, failing that, found not UTF-8.
    std::fs::remove_file(dir.path().join("grids_areas.cpg")).ok();
    let district = demo_district().await;
    let base = demo_base();
    let originals: Vec<_> = layers.iter().map(|(l, o, _)| (*l, o.clone())).collect();
    import(&district, &originals, false).await;
    let before = answers(&district.atlas(), base);
    for (_, _, shps) in &layers {
        let options = ReadOptions::default();
        let files = read_paths(shps, &options, None).await.unwrap();
        let crs = citygrid::import::file_crs(&files[0], &options).unwrap();
        assert_eq!(
            crs.epsg(),
            Some(4527),
            "the .prj is read as the zone's code"
        );
    }
    let shapefiles: Vec<_> = layers.iter().map(|(l, _, s)| (*l, s.clone())).collect();
    import(&district, &shapefiles, false).await;
    let after = district.atlas();
    assert_same(&answers(&after, base), &before);
    // Chinese values and field names came through as text, not mojibake.
    assert!(
        after
            .base()
            .zones
            .iter()
            .any(|z| z.level == ZoneLevel::Strict)
    );
    assert_eq!(after.base().communities[0].name, base.communities[0].name);
    assert_eq!(
        after.base().shops.len(),
        base.shops.len(),
        "doors and fronts"
    );
}

#[tokio::test]
async fn a_geopackage_in_another_zone_and_a_zip_give_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let base = demo_base();
    let gpkg = dir.path().join("bureau.gpkg");
    let mut originals = Vec::new();
    for layer in LAYERS {
        let kinds: &[&str] = &[
            "Point",
            "Polygon",
            "MultiPolygon",
            "LineString",
            "MultiLineString",
        ];
        let json = source(
            dir.path(),
            layer.as_str(),
            &chinese_geojson(base, layer, kinds),
        );
        let mut args = vec!["-f", "GPKG", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4548"];
        if gpkg.exists() {
            args.push("-update");
        }
        args.extend(["-nln", layer.as_str(), gpkg.to_str().unwrap(), &json]);
        ogr2ogr(&args);
        originals.push((layer, vec![PathBuf::from(json)]));
    }
    let district = demo_district().await;
    import(&district, &originals, false).await;
    let before = answers(&district.atlas(), base);
    let files = read_paths(
        std::slice::from_ref(&gpkg),
        &ReadOptions::default(),
        Some("grids"),
    )
    .await
    .unwrap();
    let crs = citygrid::import::file_crs(&files[0], &ReadOptions::default()).unwrap();
    assert_eq!(crs.epsg(), Some(4548));
    let tables: Vec<_> = LAYERS.iter().map(|l| (*l, vec![gpkg.clone()])).collect();
    import(&district, &tables, true).await;
    assert_same(&answers(&district.atlas(), base), &before);

    // Several tables and none named: the file's tables are listed.
    let err = read_paths(std::slice::from_ref(&gpkg), &ReadOptions::default(), None)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("--table") && err.contains("grids"), "{err}");

    // The grids as a zipped Shapefile, in a folder inside the zip.
    let shp = dir.path().join("grids.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:4527",
        "-lco",
        "ENCODING=GBK",
        shp.to_str().unwrap(),
        gpkg.to_str().unwrap(),
        "grids",
    ]);
    let zip_path = dir.path().join("grids.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        zip.start_file(
            format!("网格/grids.{ext}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::copy(
            &mut std::fs::File::open(dir.path().join(format!("grids.{ext}"))).unwrap(),
            &mut zip,
        )
        .unwrap();
    }
    zip.finish().unwrap();
    let options = ReadOptions::default();
    let files = read_paths(&[zip_path], &options, None).await.unwrap();
    let report = district
        .import_files(Layer::Grids, files, &options)
        .await
        .unwrap();
    assert_eq!(report.count, base.grids.len());
    assert_same(&answers(&district.atlas(), base), &before);
}

#[tokio::test]
async fn bad_bureau_files_are_refused_naming_the_file_and_field_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let layers = bureau_shapefiles(dir.path());
    let district = demo_district().await;
    let base = demo_base();
    let before = answers(&district.atlas(), base);
    let grids = layers[1].2.clone();
    let zones = layers[4].2.clone();
    let options = ReadOptions::default();
    let refused = |e: DistrictError| e.to_string();
    let unread = |e: ImportError| e.to_string();

    // A .shp without its .dbf.
    let lonely = dir.path().join("lonely.shp");
    std::fs::copy(&grids[0], &lonely).unwrap();
    std::fs::copy(grids[0].with_extension("shx"), lonely.with_extension("shx")).unwrap();
    let err = unread(
        read_paths(std::slice::from_ref(&lonely), &options, None)
            .await
            .unwrap_err(),
    );
    assert!(
        err.contains("lonely.shp") && err.contains("lonely.dbf"),
        "{err}"
    );

    // A .prj that cannot be read: said, and --crs asked for.
    std::fs::write(grids[0].with_extension("prj"), "LOCAL_CS[\"somewhere\"").unwrap();
    let files = read_paths(&grids, &options, None).await.unwrap();
    let err = refused(
        district
            .import_files(Layer::Grids, files, &options)
            .await
            .map(|_| ())
            .unwrap_err(),
    );
    assert!(
        err.contains("grids_areas.shp") && err.contains("--crs"),
        "{err}"
    );

    // The wrong zone given over it: the zone that fits is named.
    let wrong = ReadOptions {
        crs: Some("EPSG:4528".parse().unwrap()),
        ..ReadOptions::default()
    };
    let files = read_paths(&grids, &wrong, None).await.unwrap();
    let err = refused(
        district
            .import_files(Layer::Grids, files, &wrong)
            .await
            .map(|_| ())
            .unwrap_err(),
    );
    assert!(err.contains("EPSG:4527"), "{err}");

    // An unknown Chinese level name, named by feature and field.
    let json = chinese_geojson(base, Layer::Zones, &["Polygon", "MultiPolygon"]);
    let mut text = json.to_string();
    text = text.replacen("\"管理等级\":\"严管区\"", "\"管理等级\":\"严查区\"", 1);
    let bad = dir.path().join("zones_bad.geojson");
    std::fs::write(&bad, text).unwrap();
    let files = read_paths(&[bad], &options, None).await.unwrap();
    let err = refused(
        district
            .import_files(Layer::Zones, files, &options)
            .await
            .map(|_| ())
            .unwrap_err(),
    );
    assert!(err.contains("`level`") && err.contains("严查区"), "{err}");

    // GBK text read as UTF-8 on request: the bytes are named, nothing is stored as mojibake.
    let utf8 = ReadOptions {
        encoding: citygrid::import::encoding_by_name("UTF-8"),
        ..ReadOptions::default()
    };
    let err = unread(read_paths(&zones, &utf8, None).await.unwrap_err());
    assert!(
        err.contains("zones_areas.shp")
            && err.contains("not UTF-8 text")
            && err.contains("--encoding"),
        "{err}"
    );

    assert_same(&answers(&district.atlas(), base), &before);
}

/// Every feature of a layer as citygrid exports it, in a stable order: (id, properties,
/// geometry in local metres).
fn features(base: &BaseLayers, layer: Layer) -> Vec<(String, Value, geo::Geometry)> {
    use geo::MapCoords;
    let file = citygrid::export::layer_geojson(base, layer, None);
    let mut out: Vec<_> = file["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let g: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
            let g = geo::Geometry::<f64>::try_from(g).unwrap();
            let metres = g.map_coords(|c| {
                geo::coord! {
                    x: c.x * 111_320.0 * 33.95_f64.to_radians().cos(),
                    y: c.y * 111_320.0,
                }
            });
            (f["id"].to_string(), f["properties"].clone(), metres)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn exports_open_in_gdal_in_the_bureaus_system_and_import_back_within_a_millimetre() {
    use citygrid::export::gis::{self, ExportOptions, GisFormat};
    use geo::{CoordsIter, HausdorffDistance};
    let dir = tempfile::tempdir().unwrap();
    let base = demo_base();
    let options = ExportOptions {
        crs: "EPSG:4527".parse().unwrap(),
        chinese_names: true,
        encoding: encoding_rs::GBK,
    };
    for (format, extension) in [
        (GisFormat::Shapefile, "zip"),
        (GisFormat::GeoPackage, "gpkg"),
    ] {
        for layer in LAYERS {
            let bytes = gis::layer(base, layer, format, &options).await.unwrap();
            let path = dir.path().join(format!("{layer}.{extension}"));
            std::fs::write(&path, bytes).unwrap();
            let files = read_paths(
                std::slice::from_ref(&path),
                &ReadOptions::default(),
                Some(layer.as_str()),
            )
            .await
            .unwrap();
            let rows =
                citygrid::import::parse_files(layer, files, &ReadOptions::default()).unwrap();
            let mut back = base.clone();
            back.set(rows);
            let (a, b) = (features(base, layer), features(&back, layer));
            assert_eq!(a.len(), b.len(), "{layer} {extension}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(
                    (&x.0, &x.1),
                    (&y.0, &y.1),
                    "{layer} {extension}: every attribute"
                );
                // Rings come back wound as Shapefiles wind them: the same shape, point for point.
                let apart = x.2.hausdorff_distance(&y.2);
                assert!(
                    apart < 0.001,
                    "{layer} {extension} {}: {apart} m apart",
                    x.0
                );
                assert_eq!(x.2.coords_count(), y.2.coords_count());
            }
        }
    }
    // GDAL reads them in the bureau's system, with their Chinese text.
    let ogrinfo = |args: &[&str]| {
        let out = Command::new("ogrinfo")
            .args(args)
            .output()
            .expect("ogrinfo (gdal-bin)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let zip = format!("/vsizip/{}", dir.path().join("shops.zip").display());
    let text = ogrinfo(&["-ro", "-so", &zip, "shops_points"]);
    assert!(
        text.contains("ID[\"EPSG\",4527]") && text.contains("商户名称: String"),
        "{text}"
    );
    let shop = &base
        .shops
        .iter()
        .find(|s| matches!(s.front, citygrid_core::features::ShopFront::Door(_)))
        .unwrap()
        .name;
    let text = ogrinfo(&[
        "-ro",
        "-q",
        &zip,
        "shops_points",
        "-where",
        &format!("\"商户名称\" = '{shop}'"),
    ]);
    assert!(text.contains(shop.as_str()), "{text}");
    let gpkg = dir.path().join("grids.gpkg");
    let text = ogrinfo(&["-ro", "-so", gpkg.to_str().unwrap(), "grids"]);
    assert!(
        text.contains("ID[\"EPSG\",4527]")
            && text.contains(&format!("Feature Count: {}", base.grids.len())),
        "{text}"
    );
    let text = ogrinfo(&["-ro", "-q", gpkg.to_str().unwrap(), "grids", "-fid", "1"]);
    assert!(
        text.contains(&format!(
            "网格名称 (String) = {}",
            base.grids[0].name.as_deref().unwrap_or("")
        )),
        "{text}"
    );
}
