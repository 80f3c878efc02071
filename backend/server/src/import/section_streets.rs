//! Sections given by the streets they clean: their lines drawn from the district's streets of
//! those names, so that a bureau's contract list (标段 → 作业道路) needs no drawing.

use std::collections::HashMap;

use citygrid_core::features::{Section, SectionExtent, Street};
use geo::MultiLineString;

use super::error::{FeatureError, ImportError};

/// Draws every section whose extent is still empty from its named streets; a name the district
/// does not have is an error naming the section and the street.
pub fn draw_from_streets(sections: &mut [Section], streets: &[Street]) -> Result<(), ImportError> {
    let mut by_name: HashMap<&str, Vec<&Street>> = HashMap::new();
    for s in streets {
        by_name.entry(s.name.as_str()).or_default().push(s);
    }
    let mut errors = Vec::new();
    for (index, section) in sections.iter_mut().enumerate() {
        let SectionExtent::Streets(lines) = &section.extent else {
            continue;
        };
        if !lines.0.is_empty() {
            continue;
        }
        let mut drawn = Vec::new();
        for name in &section.streets {
            match by_name.get(name.as_str()) {
                Some(found) => drawn.extend(found.iter().flat_map(|s| s.geometry.0.iter().cloned())),
                None => errors.push(FeatureError::new(
                    index,
                    Some(section.code.as_str()),
                    "streets",
                    format!("the district has no street named {name:?}: import the streets first, or give the section's lines"),
                )),
            }
        }
        section.extent = SectionExtent::Streets(MultiLineString::new(drawn));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Invalid { errors })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygrid_core::features::SectionArea;
    use geo::{LineString, line_string};

    fn street(name: &str, x: f64) -> Street {
        Street {
            id: citygrid_core::ids::StreetId(1),
            name: name.to_owned(),
            class: None,
            left: None,
            right: None,
            geometry: MultiLineString::new(vec![
                line_string![(x: x, y: 33.95), (x: x + 0.01, y: 33.95)],
            ]),
            attributes: Default::default(),
        }
    }

    fn section(streets: &[&str], lines: Vec<LineString>) -> Section {
        Section {
            code: "S1".into(),
            name: "一标段".to_owned(),
            contractor: "甲公司".to_owned(),
            area: SectionArea::Urban,
            fee_per_month: 100_000.0,
            rule: "per-point-90".to_owned(),
            streets: streets.iter().map(|s| (*s).to_owned()).collect(),
            extent: SectionExtent::Streets(MultiLineString::new(lines)),
            attributes: Default::default(),
        }
    }

    #[test]
    fn named_streets_are_drawn_and_unknown_ones_named() {
        let streets = [
            street("人民路", 116.8),
            street("人民路", 116.82),
            street("淮海路", 116.9),
        ];
        let mut sections = vec![section(&["人民路"], vec![])];
        draw_from_streets(&mut sections, &streets).unwrap();
        let SectionExtent::Streets(lines) = &sections[0].extent else {
            panic!("not lines")
        };
        assert_eq!(lines.0.len(), 2, "both pieces of 人民路");

        // Lines the file gave are kept as they are.
        let given = line_string![(x: 1.0, y: 1.0), (x: 2.0, y: 2.0)];
        let mut kept = vec![section(&["淮海路"], vec![given.clone()])];
        draw_from_streets(&mut kept, &streets).unwrap();
        assert_eq!(
            kept[0].extent,
            SectionExtent::Streets(MultiLineString::new(vec![given]))
        );

        let mut unknown = vec![section(&["人民路", "长江路"], vec![])];
        let err = draw_from_streets(&mut unknown, &streets).unwrap_err();
        let errors = err.feature_errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_deref()),
            ("streets", Some("S1"))
        );
        assert!(
            errors[0].problem.contains("长江路"),
            "{}",
            errors[0].problem
        );
    }
}
