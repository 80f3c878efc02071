//! The real-data test: central Helsinki from OpenStreetMap (© OpenStreetMap contributors, ODbL).

use std::sync::{Arc, OnceLock};

use citygrid::atlas::{Atlas, GeocodeOptions, LocateOptions};
use citygrid::import::osm::{OsmOptions, import_osm};
use citygrid_core::api::{MatchKind, ShopRule};
use citygrid_core::features::{BaseLayers, ShopFront};
use citygrid_core::text::house_number;

use crate::support::metres;

fn helsinki() -> &'static BaseLayers {
    static BASE: OnceLock<BaseLayers> = OnceLock::new();
    BASE.get_or_init(|| {
        let path = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
            .join("../../data/osm/helsinki-center.osm.pbf");
        let bytes = std::fs::read(&path).unwrap();
        import_osm(
            &bytes,
            &OsmOptions {
                grid_size_m: 100.0,
                district_code: "091000".into(),
            },
        )
        .unwrap()
    })
}

fn atlas(base: &BaseLayers) -> Arc<Atlas> {
    Arc::new(Atlas::build(base.clone(), chrono_tz::Europe::Helsinki))
}

#[test]
fn the_extract_becomes_a_district() {
    let base = helsinki();
    // About 840 named highway ways in the file, one street each, under about 90 names.
    let names: std::collections::HashSet<_> =
        base.streets.iter().map(|s| s.name.as_str()).collect();
    assert!(
        base.streets.len() >= 750 && names.len() >= 80,
        "{} streets, {} names",
        base.streets.len(),
        names.len()
    );
    assert!(base.shops.len() >= 450, "{} shops", base.shops.len());
    assert!(
        base.addresses.len() >= 1200,
        "{} address points",
        base.addresses.len()
    );
    assert!(!base.communities.is_empty());
    assert!(base.grids.len() >= 100, "{} grid cells", base.grids.len());
    assert!(
        base.grids
            .iter()
            .all(|g| g.code.as_str().len() == 15 && g.code.as_str().starts_with("091000001"))
    );
    let ranged = base
        .streets
        .iter()
        .filter(|s| s.left.is_some() || s.right.is_some())
        .count();
    assert!(
        ranged >= 60,
        "{ranged} streets with fitted house-number ranges"
    );
    assert!(base.streets.iter().any(|s| s.name == "Mannerheimintie"));
}

/// Every address point's street and number, geocoded, must come back within 30 m of the point
/// for at least 90 % of the points.
#[test]
fn real_addresses_geocode_back_to_their_points() {
    let base = helsinki();
    let atlas = atlas(base);
    let mut near = 0;
    for a in &base.addresses {
        let found = atlas.geocode(
            &format!("{} {}", a.street, a.number),
            GeocodeOptions { limit: 1 },
        );
        if found
            .first()
            .is_some_and(|c| metres(c.point, a.geometry.into()) <= 30.0)
        {
            near += 1;
        }
    }
    let share = f64::from(near) / base.addresses.len() as f64;
    eprintln!(
        "address points geocoded within 30 m: {near}/{} = {:.1} %",
        base.addresses.len(),
        share * 100.0
    );
    assert!(share >= 0.9, "{share}");
}

/// Without the address points, house numbers come from the fitted ranges alone: interpolation.
#[test]
fn interpolated_addresses_land_near_their_points() {
    let base = helsinki();
    let without = BaseLayers {
        addresses: Vec::new(),
        ..base.clone()
    };
    let atlas = atlas(&without);
    let (mut tried, mut near) = (0, 0);
    for a in base
        .addresses
        .iter()
        .filter(|a| house_number(&a.number).is_some())
    {
        let found = atlas.geocode(
            &format!("{} {}", a.street, a.number),
            GeocodeOptions { limit: 1 },
        );
        let Some(c) = found.first().filter(|c| c.kind == MatchKind::Interpolated) else {
            continue;
        };
        tried += 1;
        if metres(c.point, a.geometry.into()) <= 50.0 {
            near += 1;
        }
    }
    let share = f64::from(near) / f64::from(tried.max(1));
    eprintln!(
        "interpolated addresses within 50 m: {near}/{tried} = {:.1} %",
        share * 100.0
    );
    assert!(tried >= 500 && share >= 0.6, "{near}/{tried}");
}

#[test]
fn real_shop_positions_reverse_geocode_to_that_shop() {
    let base = helsinki();
    let atlas = atlas(base);
    let doors: Vec<_> = base
        .shops
        .iter()
        .filter_map(|s| {
            if let ShopFront::Door(p) = s.front {
                Some((s, p))
            } else {
                None
            }
        })
        .collect();
    // Shops sharing one position (several in one building) cannot be told apart by position.
    let mut at_position = std::collections::HashMap::new();
    for (_, p) in &doors {
        *at_position
            .entry((p.x().to_bits(), p.y().to_bits()))
            .or_insert(0) += 1;
    }
    let alone: Vec<_> = doors
        .iter()
        .filter(|(_, p)| at_position[&(p.x().to_bits(), p.y().to_bits())] == 1)
        .collect();
    let mut same = 0;
    for (shop, p) in &alone {
        let hit = atlas.locate((*p).into(), &LocateOptions::default()).shop;
        if hit
            .as_ref()
            .is_some_and(|h| h.code == shop.code && h.rule != ShopRule::DoorFrontArea)
        {
            same += 1;
        }
    }
    let share = f64::from(same) / alone.len() as f64;
    eprintln!(
        "shops located back to themselves: {same}/{} = {:.1} %",
        alone.len(),
        share * 100.0
    );
    assert!(share >= 0.99, "{same}/{}", alone.len());
}

#[test]
fn a_broken_extract_is_refused_with_a_message() {
    let err = import_osm(b"not a pbf", &OsmOptions::default()).unwrap_err();
    assert!(err.to_string().contains(".osm.pbf"), "{err}");
    let err = import_osm(
        b"",
        &OsmOptions {
            grid_size_m: 100.0,
            district_code: "12".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("district-code"), "{err}");
}

#[test]
fn a_node_off_the_globe_is_left_out_instead_of_stretching_the_district() {
    // Found by fuzzing: a damaged extract whose node lies at latitude ~3·10⁸ made the district's
    // grid hundreds of billions of squares tall, and the import ran for hours.
    let path = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
        .join("../../fuzz/regressions/osm_import/timeout-far-node.osm.pbf");
    let base = import_osm(&std::fs::read(path).unwrap(), &OsmOptions::default()).unwrap();
    assert_eq!(base.communities.len(), 1);
    assert!(
        (1..1000).contains(&base.grids.len()),
        "{} cells",
        base.grids.len()
    );
}
