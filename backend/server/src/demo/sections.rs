//! The demo's cleaning contract sections: each community's area is a section (the three western
//! columns in town, the eastern column's villages rural), and 人民路 is cleaned by machine
//! under a contract of its own, given by the street's name.

use citygrid_core::features::{Community, Section, SectionArea, SectionExtent, Street};
use citygrid_core::ids::SectionCode;
use geo::MultiLineString;

use super::DISTRICT_CODE;

/// Contractors of the town's and the villages' sections.
const URBAN_CONTRACTORS: [&str; 3] = [
    "相城环境卫生服务有限公司",
    "皖北城市保洁集团有限公司",
    "绿洁城市服务有限公司",
];
const RURAL_CONTRACTOR: &str = "相城乡村环境服务有限公司";

/// The sections: one per community, then the machine-swept main road.
pub fn plan_sections(communities: &[Community], streets: &[Street]) -> Vec<Section> {
    let mut out: Vec<Section> = communities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // Communities run by sub-district: 0–3 in the west, 4–7 in the east; the eastern
            // column (the second of each sub-district's rows) is the villages.
            let rural = i >= 4 && i % 2 == 1;
            let number = i + 1;
            let (area, contractor, fee, rule) = if rural {
                (
                    SectionArea::Rural,
                    RURAL_CONTRACTOR,
                    120_000.0,
                    "per-item-500",
                )
            } else {
                (
                    SectionArea::Urban,
                    URBAN_CONTRACTORS[i % URBAN_CONTRACTORS.len()],
                    350_000.0,
                    if i % 2 == 0 {
                        "per-point-90"
                    } else {
                        "banded-95-90"
                    },
                )
            };
            Section {
                code: SectionCode::from(format!("{DISTRICT_CODE}-HW{number:02}")),
                name: format!("{}保洁标段", c.name.trim_end_matches("社区")),
                contractor: contractor.to_owned(),
                area,
                fee_per_month: fee,
                rule: rule.to_owned(),
                streets: Vec::new(),
                extent: SectionExtent::Area(c.geometry.clone()),
                attributes: Default::default(),
            }
        })
        .collect();
    let main_road = "人民路";
    let lines: Vec<_> = streets
        .iter()
        .filter(|s| s.name == main_road)
        .flat_map(|s| s.geometry.0.iter().cloned())
        .collect();
    out.push(Section {
        code: SectionCode::from(format!("{DISTRICT_CODE}-JX01")),
        name: "人民路机械化清扫标段".to_owned(),
        contractor: URBAN_CONTRACTORS[0].to_owned(),
        area: SectionArea::Urban,
        fee_per_month: 200_000.0,
        rule: "per-point-90".to_owned(),
        streets: vec![main_road.to_owned()],
        extent: SectionExtent::Streets(MultiLineString::new(lines)),
        attributes: Default::default(),
    });
    out
}
