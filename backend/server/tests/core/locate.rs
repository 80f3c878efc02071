//! Reverse geocoding on the demo district and on hand-made cases.

use chrono::{DateTime, Utc};
use citygrid::atlas::{Atlas, LocateOptions};
use citygrid::projection::LocalProjection;
use citygrid_core::LonLat;
use citygrid_core::api::{ShopRule, Side};
use citygrid_core::features::{BaseLayers, NumberRange, Shop, ShopFront, Street};
use citygrid_core::ids::{ShopCode, StreetId};
use citygrid_core::zone::ZoneLevel;
use geo::{Coord, LineString, MultiLineString, Point};

use crate::support::{at, demo_atlas, demo_base, metres};

fn opts_at(rfc3339: &str) -> LocateOptions {
    LocateOptions {
        at: DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc),
        ..LocateOptions::default()
    }
}

#[test]
fn a_point_inside_gets_its_cell_community_and_subdistrict() {
    let loc = demo_atlas().locate(at(-1075.0, 675.0), &LocateOptions::default());
    let grid = loc.grid.expect("inside the district");
    assert!(!grid.on_boundary);
    assert!(grid.code.as_str().starts_with("340688001001"), "{grid:?}");
    assert_eq!(&*loc.community.unwrap().name, "古城社区");
    assert_eq!(loc.subdistrict.as_deref(), Some("东山街道"));
    assert!(loc.outside.is_none());
    // 75 m from every street: no street within the default 50 m, and so no shop either.
    assert!(
        loc.street.is_none() && loc.shop.is_none(),
        "{:?} {:?}",
        loc.street,
        loc.shop
    );
}

#[test]
fn a_point_on_a_shared_edge_goes_to_the_lowest_code() {
    // x = 0 is the boundary between 桂苑社区 (…001002…) and 长山社区 (…002001…).
    let atlas = demo_atlas();
    let loc = atlas.locate(
        LonLat {
            lon: 116.8,
            lat: 33.9555,
        },
        &LocateOptions::default(),
    );
    let grid = loc.grid.unwrap();
    assert!(grid.on_boundary);
    let covering: Vec<&str> = demo_base()
        .grids
        .iter()
        .filter(|g| geo::Intersects::intersects(&g.geometry, &Point::new(116.8, 33.9555)))
        .map(|g| g.code.as_str())
        .collect();
    assert_eq!(covering.len(), 2, "{covering:?}");
    assert_eq!(grid.code.as_str(), *covering.iter().min().unwrap());
    assert!(grid.code.as_str().starts_with("340688001002"));
}

#[test]
fn a_point_outside_every_cell_names_the_nearest_cell_and_distance() {
    // Beyond the river in the north-east: 400/√2 ≈ 282.8 m from the district's diagonal edge.
    let loc = demo_atlas().locate(at(1150.0, 750.0), &LocateOptions::default());
    assert!(loc.grid.is_none() && loc.community.is_none());
    let outside = loc.outside.expect("outside the jurisdiction");
    assert!((outside.distance_m - 282.84).abs() < 0.5, "{outside:?}");
    let nearest = demo_base()
        .grids
        .iter()
        .find(|g| g.code == outside.nearest_grid)
        .unwrap();
    assert!(geo::Intersects::intersects(
        &nearest.geometry,
        &geo::Polygon::from(geo::Rect::new(
            Coord::from(at(750.0, 550.0)),
            Coord::from(at(1050.0, 850.0))
        ))
    ));
}

#[test]
fn zones_report_level_and_whether_their_hours_apply() {
    let atlas = demo_atlas();
    let night_market = at(700.0, -340.0);
    let evening = atlas.locate(night_market, &opts_at("2026-11-27T20:00:00+08:00"));
    let zone = evening
        .zones
        .iter()
        .find(|z| z.level == ZoneLevel::Permitted)
        .unwrap();
    assert_eq!(&*zone.name, "南湖夜市疏导点");
    assert!(zone.active);
    let noon = atlas.locate(night_market, &opts_at("2026-11-27T12:00:00+08:00"));
    assert!(
        !noon
            .zones
            .iter()
            .find(|z| z.level == ZoneLevel::Permitted)
            .unwrap()
            .active
    );
    // 20:00 in Shanghai is 12:00 UTC: the district's time zone decides, not UTC.
    let utc_noon = atlas.locate(night_market, &opts_at("2026-11-27T12:00:00Z"));
    assert!(
        utc_noon
            .zones
            .iter()
            .find(|z| z.level == ZoneLevel::Permitted)
            .unwrap()
            .active
    );
    let demo_street = atlas.locate(at(100.0, 455.0), &LocateOptions::default());
    assert!(
        demo_street
            .zones
            .iter()
            .any(|z| z.level == ZoneLevel::Demonstration && z.active)
    );
}

#[test]
fn streets_give_side_number_and_distance() {
    // 人民路 runs west→east at y = 450 from x = -1200 to x = 1050, numbered 1–299 left (north),
    // 2–300 right (south).
    let atlas = demo_atlas();
    let north = atlas
        .locate(at(-75.0, 458.0), &LocateOptions::default())
        .street
        .unwrap();
    assert_eq!((&*north.name, north.side), ("人民路", Side::Left));
    assert!((north.distance_m - 8.0).abs() < 0.01);
    let n = north.house_number.unwrap();
    assert_eq!(n % 2, 1);
    assert!((149..=153).contains(&n), "{n}");
    let south = atlas
        .locate(at(-75.0, 442.0), &LocateOptions::default())
        .street
        .unwrap();
    assert_eq!(south.side, Side::Right);
    assert_eq!(south.house_number.unwrap() % 2, 0);
}

#[test]
fn door_shops_and_door_front_areas_answer_for_their_points() {
    let atlas = demo_atlas();
    let base = demo_base();
    let door = base
        .shops
        .iter()
        .find(|s| matches!(s.front, ShopFront::Door(_)) && s.door_radius_m.is_none())
        .unwrap();
    let ShopFront::Door(p) = door.front else {
        unreachable!()
    };
    let hit = atlas
        .locate(p.into(), &LocateOptions::default())
        .shop
        .unwrap();
    assert_eq!(
        (hit.code.as_str(), hit.rule),
        (door.code.as_str(), ShopRule::SameSideDoor)
    );
    let area = base
        .shops
        .iter()
        .find(|s| matches!(s.front, ShopFront::Area(_)))
        .unwrap();
    let ShopFront::Area(mp) = &area.front else {
        unreachable!()
    };
    let inside = geo::InteriorPoint::interior_point(mp).unwrap();
    let hit = atlas
        .locate(inside.into(), &LocateOptions::default())
        .shop
        .unwrap();
    assert_eq!(
        (hit.code.as_str(), hit.rule, hit.distance_m),
        (area.code.as_str(), ShopRule::DoorFrontArea, 0.0)
    );
}

/// A street along the x axis (or none) with a door 9 m north at x = 0 and one 9 m south at x = 15.
fn two_shop_street(with_street: bool) -> Atlas {
    let proj = LocalProjection::new(LonLat {
        lon: 116.8,
        lat: 33.95,
    });
    let pt = |x: f64, y: f64| -> Coord { proj.unproject(Coord { x, y }).into() };
    let shop = |code: &str, x: f64, y: f64| {
        Shop::new(
            ShopCode::from(code),
            code.to_owned(),
            ShopFront::Door(Point::from(pt(x, y))),
        )
    };
    let street = Street {
        id: StreetId(1),
        name: "测试路".into(),
        class: None,
        left: Some(NumberRange { from: 1, to: 99 }),
        right: Some(NumberRange { from: 2, to: 100 }),
        geometry: MultiLineString::new(vec![LineString::new(vec![
            pt(-500.0, 0.0),
            pt(500.0, 0.0),
        ])]),
        attributes: Default::default(),
    };
    let streets = if with_street {
        vec![street]
    } else {
        Vec::new()
    };
    let base = BaseLayers {
        streets,
        shops: vec![shop("NORTH", 0.0, 9.0), shop("SOUTH", 15.0, -9.0)],
        ..BaseLayers::default()
    };
    Atlas::build(base, chrono_tz::Asia::Shanghai)
}

#[test]
fn the_same_side_of_the_same_street_is_preferred_over_a_nearer_door() {
    let proj = LocalProjection::new(LonLat {
        lon: 116.8,
        lat: 33.95,
    });
    let here = |atlas: &Atlas, x: f64, y: f64, radius: f64| {
        let opts = LocateOptions {
            street_radius_m: radius,
            ..LocateOptions::default()
        };
        atlas
            .locate(proj.unproject(Coord { x, y }), &opts)
            .shop
            .map(|s| (s.code.to_string(), s.rule))
    };
    let street = two_shop_street(true);
    // South of the centre line: NORTH is nearer (10.2 m) but SOUTH (15.3 m) is on this side.
    assert_eq!(
        here(&street, 2.0, -1.0, 50.0),
        Some(("SOUTH".into(), ShopRule::SameSideDoor))
    );
    assert_eq!(
        here(&street, 2.0, 1.0, 50.0),
        Some(("NORTH".into(), ShopRule::SameSideDoor))
    );
    // The door rule finds streets with its own radius, whatever radius the caller asks for.
    assert_eq!(
        here(&street, 2.0, -1.0, 0.5),
        Some(("SOUTH".into(), ShopRule::SameSideDoor))
    );
    // Beyond every door's 25 m radius: no shop.
    assert_eq!(here(&street, 100.0, 5.0, 50.0), None);
    // With no street at all, the nearest door within its radius wins.
    let no_street = two_shop_street(false);
    assert_eq!(
        here(&no_street, 2.0, -1.0, 50.0),
        Some(("NORTH".into(), ShopRule::NearestDoor))
    );
}

#[test]
fn batch_locate_matches_one_by_one_and_keeps_order() {
    let atlas = demo_atlas();
    let points: Vec<LonLat> = (0..2000)
        .map(|i| {
            at(
                -1190.0 + f64::from(i) * 1.19,
                -790.0 + f64::from(i % 97) * 16.3,
            )
        })
        .collect();
    let opts = LocateOptions::default();
    let batch = atlas.locate_many(&points, &opts);
    assert_eq!(batch.len(), points.len());
    for (p, loc) in points.iter().zip(&batch) {
        assert_eq!(*loc, atlas.locate(*p, &opts));
    }
}

#[test]
fn fast_cell_lookup_agrees_with_brute_force_across_the_district() {
    let atlas = demo_atlas();
    for i in 0..250 {
        for j in 0..170 {
            let p = at(
                -1250.0 + f64::from(i) * 10.03,
                -850.0 + f64::from(j) * 10.07,
            );
            assert_eq!(
                atlas.grid_at(p).map(|g| g.0),
                atlas.grid_at_brute_force(p),
                "{p:?}"
            );
        }
    }
    assert!(metres(at(0.0, 0.0), at(3.0, 4.0)) - 5.0 < 1e-6);
}

#[test]
fn points_anywhere_on_earth_get_an_answer() {
    let atlas = demo_atlas();
    for (lon, lat) in [
        (180.0, 90.0),
        (-180.0, -90.0),
        (0.0, 0.0),
        (116.8, -33.95),
        (-63.0, 33.95),
    ] {
        let loc = atlas.locate(LonLat { lon, lat }, &LocateOptions::default());
        assert!(
            loc.grid.is_none() && loc.street.is_none() && loc.shop.is_none(),
            "{lon},{lat}"
        );
        let outside = loc.outside.expect("outside the jurisdiction");
        assert!(outside.distance_m > 1000.0, "{lon},{lat}: {outside:?}");
    }
}
