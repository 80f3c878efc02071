//! The demo district: a fictional but realistic district near Huaibei (116.80 E, 33.95 N).
//!
//! Two sub-districts of four communities each, a lattice of main roads with lanes through every
//! block, shops along the main roads (some with explicit door-front areas), zones of every
//! level, public components and officers in teams; grid cells of 100 m generated over the
//! communities. Everything comes from a deterministic generator, and its output is committed
//! under `data/demo/`; a test checks the committed files equal a fresh generation.

pub mod assessments;
pub mod complaints;
pub mod fieldwork;
pub mod history;
pub mod hotline;
mod names;
pub mod patrol;

mod sections;
mod shops;
mod streets;

use citygrid_core::LonLat;
use citygrid_core::features::{BaseLayers, Community, Officer, Street, Zone};
use citygrid_core::ids::{CommunityCode, GridCode, OfficerCode, StreetId, ZoneId};
use citygrid_core::layer::Layer;
use citygrid_core::zone::ZoneLevel;
use geo::{BooleanOps, Coord, LineString, MapCoords, MultiLineString, MultiPolygon, Polygon, Rect};

use crate::export;
use crate::import::gridgen::{GridCodeScheme, generate_grid};
use crate::projection::LocalProjection;

pub use names::DISTRICT_NAME;

/// The district's centre.
pub const CENTRE: LonLat = LonLat {
    lon: 116.80,
    lat: 33.95,
};
/// The district's administrative code (fictional).
pub const DISTRICT_CODE: &str = "340688";
/// The district spans x ∈ [-1200, 1200] m and y ∈ [-800, 800] m about the centre, less a
/// north-east corner beyond the river where x + y > `NE_CUT`.
pub const NE_CUT: f64 = 1500.0;
const HALF_W: f64 = 1200.0;
const HALF_H: f64 = 800.0;
/// Grid cell size.
pub const CELL_M: f64 = 100.0;

/// Whether a point (metres) lies inside the district with `margin` to spare.
pub fn inside_district(p: Coord, margin: f64) -> bool {
    p.x >= -HALF_W - 1e-6
        && p.x <= HALF_W + 1e-6
        && p.y >= -HALF_H - 1e-6
        && p.y <= HALF_H + 1e-6
        && p.x + p.y <= NE_CUT - margin + 1e-6
}

/// The demo's projection and coordinate rounding (7 decimals: about a centimetre).
pub struct District {
    proj: LocalProjection,
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

impl District {
    fn new() -> Self {
        Self {
            proj: LocalProjection::new(CENTRE),
        }
    }

    /// Metres → rounded WGS 84.
    pub fn unproject(&self, c: Coord) -> Coord {
        let p = self.proj.unproject(c);
        Coord {
            x: round7(p.lon),
            y: round7(p.lat),
        }
    }

    fn area(&self, mp: &MultiPolygon) -> MultiPolygon {
        mp.map_coords(|c| self.unproject(c))
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon {
        MultiPolygon::new(vec![
            Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 }).to_polygon(),
        ])
    }
}

fn outline() -> MultiPolygon {
    let ring = vec![
        (-HALF_W, -HALF_H),
        (HALF_W, -HALF_H),
        (HALF_W, NE_CUT - HALF_W),
        (NE_CUT - HALF_H, HALF_H),
        (-HALF_W, HALF_H),
        (-HALF_W, -HALF_H),
    ];
    MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])])
}

/// Communities: four columns split at 梧桐路, 长山路 and 濉河路, two rows split at 淮海路 (y = 50).
fn communities(d: &District) -> Vec<Community> {
    let xs = [-HALF_W, -600.0, 0.0, 600.0, HALF_W];
    let ys = [HALF_H, 50.0, -HALF_H];
    let district = outline();
    let mut out = Vec::new();
    for (s, sub) in names::SUBDISTRICTS.iter().enumerate() {
        let mut k = 0;
        for row in 0..2 {
            for col in 2 * s..2 * s + 2 {
                let shape = District::rect(xs[col], ys[row + 1], xs[col + 1], ys[row])
                    .intersection(&district);
                out.push(Community {
                    code: CommunityCode::from(format!("{DISTRICT_CODE}{:03}{:03}", s + 1, k + 1)),
                    name: names::COMMUNITIES[s * 4 + k].to_owned(),
                    subdistrict: Some((*sub).to_owned()),
                    geometry: d.area(&shape),
                    attributes: Default::default(),
                });
                k += 1;
            }
        }
    }
    out
}

fn zones(d: &District) -> Vec<Zone> {
    let plan: [(&str, ZoneLevel, Option<&str>, [f64; 4]); 7] = [
        (
            "人民路示范街",
            ZoneLevel::Demonstration,
            None,
            [-600.0, 430.0, 600.0, 470.0],
        ),
        (
            "区政府周边严禁区",
            ZoneLevel::Prohibited,
            None,
            [-400.0, 170.0, -200.0, 330.0],
        ),
        (
            "火车站严管区",
            ZoneLevel::Strict,
            None,
            [-1050.0, -680.0, -750.0, -430.0],
        ),
        (
            "淮海西路严管区",
            ZoneLevel::Strict,
            None,
            [-1200.0, 25.0, 0.0, 75.0],
        ),
        (
            "实验小学周边严控区",
            ZoneLevel::Controlled,
            None,
            [225.0, -225.0, 375.0, -75.0],
        ),
        (
            "南湖夜市疏导点",
            ZoneLevel::Permitted,
            Some("18:00-23:00"),
            [610.0, -375.0, 890.0, -325.0],
        ),
        (
            "东山早市疏导点",
            ZoneLevel::Permitted,
            Some("06:00-09:00"),
            [-1140.0, 460.0, -860.0, 520.0],
        ),
    ];
    plan.iter()
        .enumerate()
        .map(|(i, (name, level, hours, [x0, y0, x1, y1]))| Zone {
            id: ZoneId(i as u32 + 1),
            name: (*name).to_owned(),
            level: *level,
            hours: hours.and_then(|h| h.parse().ok()),
            categories: Vec::new(),
            geometry: d.area(&District::rect(*x0, *y0, *x1, *y1)),
            attributes: Default::default(),
        })
        .collect()
}

/// Six officers per community, in four teams; each answers for every sixth cell of its community.
fn officers(
    communities: &[Community],
    grids: &[citygrid_core::features::Grid],
    rng: &mut crate::rng::Rng,
) -> Vec<Officer> {
    let mut out = Vec::new();
    for (k, c) in communities.iter().enumerate() {
        let cells: Vec<&GridCode> = grids
            .iter()
            .filter(|g| g.community.as_ref() == Some(&c.code))
            .map(|g| &g.code)
            .collect();
        let sub = c
            .subdistrict
            .as_deref()
            .unwrap_or("")
            .trim_end_matches("街道");
        let team = format!("{sub}{}中队", names::NUMERALS[(k % 4) / 2]);
        for j in 0..6 {
            let n = out.len();
            out.push(Officer {
                code: OfficerCode::from(format!("ZF{:04}", n + 1)),
                name: format!(
                    "{}{}",
                    names::SURNAMES[n % 24],
                    names::GIVEN[(n * 7 + n / 24) % 24]
                ),
                team: Some(team.clone()),
                phone: Some(format!("139{}", rng.digits(8))),
                grids: cells
                    .iter()
                    .skip(j)
                    .step_by(6)
                    .map(|&g| g.clone())
                    .collect(),
            });
        }
    }
    out
}

/// Generates the whole demo district.
pub fn generate() -> BaseLayers {
    let d = District::new();
    let mut rng = crate::rng::Rng::new(0x5eed_c17e);
    let communities = communities(&d);
    // Cells are cut in metres about the same centre, then rounded like everything else.
    let mut grids =
        generate_grid(&communities, CELL_M, &d.proj, GridCodeScheme::default()).unwrap_or_default();
    for g in &mut grids {
        g.geometry = g.geometry.map_coords(|c| Coord {
            x: round7(c.x),
            y: round7(c.y),
        });
        let seq = g
            .code
            .as_str()
            .len()
            .checked_sub(3)
            .map_or("", |i| &g.code.as_str()[i..]);
        let community = communities
            .iter()
            .find(|c| Some(&c.code) == g.community.as_ref())
            .map_or("", |c| c.name.as_str());
        g.name = Some(format!("{community}{seq}号网格"));
    }
    let planned = streets::plan_streets();
    let streets: Vec<Street> = planned
        .iter()
        .enumerate()
        .map(|(i, s)| Street {
            id: StreetId(i as u32 + 1),
            name: s.name.clone(),
            class: Some(s.class.to_owned()),
            left: Some(s.left),
            right: Some(s.right),
            geometry: MultiLineString::new(vec![LineString::new(
                s.points.iter().map(|&p| d.unproject(p)).collect(),
            )]),
            attributes: Default::default(),
        })
        .collect();
    let shops = shops::plan_shops(&d, &planned, &mut rng);
    let components = shops::plan_components(&d, &planned, &mut rng);
    let officers = officers(&communities, &grids, &mut rng);
    let sections = sections::plan_sections(&communities, &streets);
    BaseLayers {
        zones: zones(&d),
        communities,
        grids,
        streets,
        shops,
        components,
        addresses: Vec::new(),
        officers,
        sections,
    }
}

/// The demo's users, one per role, with passwords printed in the README (demo only).
pub const DEMO_USERS: [(&str, citygrid_core::account::Role, &str); 6] = [
    (
        "admin",
        citygrid_core::account::Role::Admin,
        "demo-admin-pass",
    ),
    (
        "leader",
        citygrid_core::account::Role::Leader,
        "demo-leader-pass",
    ),
    (
        "supervisor",
        citygrid_core::account::Role::Supervisor,
        "demo-supervisor-pass",
    ),
    (
        "dispatcher",
        citygrid_core::account::Role::Dispatcher,
        "demo-dispatcher-pass",
    ),
    (
        "officer",
        citygrid_core::account::Role::Officer,
        "demo-officer-pass",
    ),
    (
        "planner",
        citygrid_core::account::Role::Planner,
        "demo-planner-pass",
    ),
];

async fn add_demo_users(
    district: &crate::district::District,
) -> Result<(), crate::district::DistrictError> {
    let accounts = crate::accounts::Accounts::new(district.store().clone());
    for (username, role, password) in DEMO_USERS {
        let spec = crate::accounts::UserSpec {
            username: username.to_owned(),
            password: Some(password.to_owned()),
            role,
            display_name: None,
            // The supervisor answers for 古城社区; the officer is ZF0001.
            scope: if role == citygrid_core::account::Role::Supervisor {
                vec![format!("{DISTRICT_CODE}001001")]
            } else {
                Vec::new()
            },
            officer: (role == citygrid_core::account::Role::Officer).then(|| "ZF0001".to_owned()),
        };
        match accounts.add_user(spec, chrono::Utc::now()).await {
            Ok(_) | Err(crate::accounts::AccountError::Duplicate(_)) => {}
            Err(crate::accounts::AccountError::Store(e)) => return Err(e.into()),
            Err(other) => return Err(crate::store::StoreError::Encode(other.to_string()).into()),
        }
    }
    Ok(())
}

/// Loads the demo district into an empty installation: its layers, then its year of cases.
/// Returns how many cases were stored.
pub async fn load(
    district: &crate::district::District,
    rules: &crate::cases::CaseRules,
) -> Result<usize, crate::district::DistrictError> {
    district.replace(generate().into_rows()).await?;
    add_demo_users(district).await?;
    let atlas = district.atlas();
    let year = history::history(atlas.base(), &atlas, rules);
    let stored = district.store().insert_history(&year).await?;
    let cases =
        crate::cases::CaseService::new(district.clone(), std::sync::Arc::new(rules.clone()));
    let book = crate::assessments::ChecklistBook::new(district.store().clone());
    assessments::load(&cases, &book, history::history_end())
        .await
        .map_err(|e| match e {
            crate::assessments::AssessmentError::Store(s) => s.into(),
            other => crate::district::DistrictError::from(crate::store::StoreError::Encode(
                format!("the demo's assessments: {other}"),
            )),
        })?;
    fieldwork::load(&cases, history::history_end())
        .await
        .map_err(|e| match e {
            crate::record_error::RecordError::Store(s) => s.into(),
            other => crate::district::DistrictError::from(crate::store::StoreError::Encode(
                format!("the demo's campaigns and approvals: {other}"),
            )),
        })?;
    hotline::load(&cases, history::history_end())
        .await
        .map_err(|e| match e {
            crate::record_error::RecordError::Store(s) => s.into(),
            other => crate::district::DistrictError::from(crate::store::StoreError::Encode(
                format!("the demo's work orders: {other}"),
            )),
        })?;
    district
        .store()
        .save_report_text(&report_text(history::history_end()), 0)
        .await?;
    Ok(stored)
}

/// The leader's text of the demo's 2026-Q2, as handed in: the plan for the summer quarter
/// (whose campaigns the demo then runs).
fn report_text(end: chrono::DateTime<chrono::Utc>) -> citygrid_core::api::report_draft::ReportText {
    citygrid_core::api::report_draft::ReportText {
        id: 0,
        quarter: "2026-Q2".into(),
        paragraphs: Vec::new(),
        plan: "一是开展夏季夜间露天烧烤专项整治，做到早发现、早劝离。\n\
               二是推进电动车飞线充电整治，会同社区新增集中充电点位。\n\
               三是做好汛期道路积水点和渣土车夜间运输的巡查。"
            .into(),
        version: 1,
        updated_by: "leader".into(),
        updated_at: end - chrono::Duration::days(140),
    }
}

/// The demo's files: (file name, contents), as committed under `data/demo/`.
pub fn files(base: &BaseLayers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Address points and officers come from elsewhere (OpenStreetMap; the officers' CSV).
    let drawn = Layer::ALL
        .into_iter()
        .filter(|l| !matches!(l, Layer::Addresses | Layer::Officers));
    for layer in drawn {
        let value = export::layer_geojson(base, layer, None);
        // One feature per line: readable diffs, modest size.
        let features = value["features"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let lines: Vec<String> = features.iter().map(ToString::to_string).collect();
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
            lines.join(",\n")
        );
        out.push((format!("{layer}.geojson"), text));
    }
    out.push((
        "officers.csv".to_owned(),
        export::officers_csv(&base.officers),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{FileFormat, grid_checks, parse_layer};
    use citygrid_core::Crs;
    use citygrid_core::features::ShopFront;
    use std::collections::HashSet;

    fn data_dir() -> std::path::PathBuf {
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
            .join("../../data/demo")
    }

    #[test]
    fn the_demo_is_a_realistic_district() {
        let base = generate();
        let subdistricts: HashSet<_> = base
            .communities
            .iter()
            .filter_map(|c| c.subdistrict.as_deref())
            .collect();
        assert!(base.communities.len() >= 6 && subdistricts.len() >= 2);
        assert!(base.grids.len() >= 300, "{} grid cells", base.grids.len());
        let named: HashSet<_> = base.streets.iter().map(|s| s.name.as_str()).collect();
        assert!(named.len() >= 80, "{} named streets", named.len());
        assert!(
            base.streets
                .iter()
                .all(|s| s.left.is_some() && s.right.is_some())
        );
        assert!(base.shops.len() >= 1000, "{} shops", base.shops.len());
        assert!(
            base.shops
                .iter()
                .any(|s| matches!(s.front, ShopFront::Area(_)))
        );
        let levels: HashSet<_> = base.zones.iter().map(|z| z.level).collect();
        assert_eq!(levels.len(), ZoneLevel::ALL.len());
        assert!(
            base.zones
                .iter()
                .any(|z| z.level == ZoneLevel::Permitted && z.hours.is_some())
        );
        assert!(base.components.len() >= 300);
        let teams: HashSet<_> = base
            .officers
            .iter()
            .filter_map(|o| o.team.as_deref())
            .collect();
        assert!(base.officers.len() >= 40 && teams.len() >= 2);
        assert!(base.officers.iter().all(|o| !o.grids.is_empty()));
        let codes: HashSet<_> = base.grids.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes.len(), base.grids.len());
        assert!(base.grids.iter().all(|g| g.code.as_str().len() == 15));
        let proj = LocalProjection::new(CENTRE);
        assert_eq!(
            grid_checks::check_grid_layer(&base.grids, &base.communities, &proj),
            Vec::<String>::new()
        );
    }

    #[test]
    fn committed_files_equal_a_fresh_generation() {
        for (name, text) in files(&generate()) {
            let path = data_dir().join(&name);
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == text,
                "{} differs from a fresh generation; run `cargo run -p citygrid -- generate-demo data/demo`",
                path.display()
            );
        }
    }

    #[test]
    fn the_demo_files_import_back_unchanged() {
        let base = generate();
        let files = files(&base);
        let mut back = BaseLayers::default();
        for (name, text) in &files {
            let (stem, ext) = name.split_once('.').unwrap_or_default();
            let layer: Layer = stem.parse().unwrap();
            let format = if ext == "csv" {
                FileFormat::Csv
            } else {
                FileFormat::GeoJson
            };
            back.set(parse_layer(layer, text.as_bytes(), format, &Crs::Wgs84.into()).unwrap());
        }
        assert_eq!(back, base);
    }
}
