//! The demo's shops along the main roads, and public components along every street.

use citygrid_core::features::{Component, Shop, ShopFront};
use citygrid_core::ids::{ComponentCode, ShopCode};
use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

use super::names::{BRANDS, GIVEN, SHOP_PREFIXES, SURNAMES, TRADES};
use super::streets::PlannedStreet;
use super::{District, inside_district};
use crate::rng::Rng;

/// Distance of a door from the centre line.
const DOOR_OFFSET_M: f64 = 9.0;
const SHOP_SPACING_M: f64 = 30.0;
/// No door this close to a crossing street.
const CORNER_CLEARANCE_M: f64 = 18.0;

fn normal(dir: Coord, left: bool) -> Coord {
    if left {
        Coord {
            x: -dir.y,
            y: dir.x,
        }
    } else {
        Coord {
            x: dir.y,
            y: -dir.x,
        }
    }
}

/// Shops on both sides of every main road, about every 30 m, numbered by the road's ranges.
pub fn plan_shops(d: &District, streets: &[PlannedStreet], rng: &mut Rng) -> Vec<Shop> {
    let mut shops = Vec::new();
    let mut names = std::collections::HashSet::new();
    for street in streets.iter().filter(|s| s.main) {
        let length = street.length();
        let corners: Vec<f64> = {
            let mut walked = 0.0;
            let mut c = vec![0.0];
            for w in street.points.windows(2) {
                walked += (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
                c.push(walked);
            }
            c
        };
        for left in [true, false] {
            let range = if left { street.left } else { street.right };
            let mut s = 20.0;
            while s < length - 15.0 {
                let here = s;
                s += SHOP_SPACING_M;
                if corners
                    .iter()
                    .any(|c| (c - here).abs() < CORNER_CLEARANCE_M)
                {
                    continue;
                }
                let (on, dir) = street.at(here);
                let n = normal(dir, left);
                let door = on + n * DOOR_OFFSET_M;
                if !inside_district(door, 5.0) {
                    continue;
                }
                let seq = shops.len() + 1;
                let (trade, category) = *rng.pick(&TRADES);
                let surname = *rng.pick(&SURNAMES);
                let mut name = if rng.below(4) == 0 {
                    format!("{}{trade}", rng.pick(&BRANDS))
                } else {
                    format!(
                        "{}{trade}",
                        rng.pick(&SHOP_PREFIXES).replace("{s}", surname)
                    )
                };
                if !names.insert(name.clone()) {
                    name = format!("{name}({}店)", street.name.trim_end_matches('路'));
                    if !names.insert(name.clone()) {
                        name = format!("{name}{seq}");
                        names.insert(name.clone());
                    }
                }
                let number = range.at(here / length);
                // Every twelfth shop, a larger store, has an explicit door-front area.
                let front = if seq % 12 == 0 {
                    let ring: Vec<Coord> = [
                        (-10.0, 3.0),
                        (10.0, 3.0),
                        (10.0, 12.0),
                        (-10.0, 12.0),
                        (-10.0, 3.0),
                    ]
                    .iter()
                    .map(|&(along, out)| d.unproject(on + dir * along + n * out))
                    .collect();
                    ShopFront::Area(MultiPolygon::new(vec![Polygon::new(
                        LineString::new(ring),
                        vec![],
                    )]))
                } else {
                    ShopFront::Door(Point::from(d.unproject(door)))
                };
                shops.push(Shop {
                    code: ShopCode::from(format!("MZ{seq:05}")),
                    name,
                    address: Some(format!("{}{number}号", street.name)),
                    category: Some(category.to_owned()),
                    // Drawn for every shop (the draws stay in step); a few records lack a
                    // phone or a licence, as a survey finds them (查缺补漏).
                    contact: Some(format!("{surname}{}", rng.pick(&GIVEN))),
                    phone: Some(format!("13{}", rng.digits(9))).filter(|_| seq % 29 != 7),
                    license: Some(format!("92340688MA{}", rng.digits(8))).filter(|_| seq % 17 != 3),
                    door_radius_m: (seq % 10 == 5).then_some(15.0),
                    front,
                    attributes: Default::default(),
                });
            }
        }
    }
    shops
}

/// Bins, manholes, lamp posts and sorting kiosks every 50 m along every street.
pub fn plan_components(d: &District, streets: &[PlannedStreet], rng: &mut Rng) -> Vec<Component> {
    const KINDS: [&str; 4] = ["垃圾桶", "井盖", "路灯", "分类亭"];
    let mut out = Vec::new();
    for street in streets {
        let length = street.length();
        let mut s = 25.0;
        let mut k = 0;
        while s < length {
            let (on, dir) = street.at(s);
            let p = on + normal(dir, k % 2 == 0) * 6.0;
            s += 50.0;
            k += 1;
            if !inside_district(p, 2.0) {
                continue;
            }
            let kind = KINDS[if k % 7 == 0 { 3 } else { k % 3 }];
            let status = if rng.below(20) == 0 {
                "损坏"
            } else {
                "正常"
            };
            out.push(Component {
                code: ComponentCode::from(format!("BJ{:06}", out.len() + 1)),
                kind: kind.to_owned(),
                status: Some(status.to_owned()),
                geometry: Point::from(d.unproject(p)),
                attributes: Default::default(),
            });
        }
    }
    out
}
