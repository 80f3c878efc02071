//! The features of one or more files → one layer's rows, with the property contract of
//! DESIGN §3. Every file is read in its own coordinate system; a layer's codes are unique across
//! its files.

use std::collections::HashMap;

use citygrid_core::features::{
    AddressPoint, Community, Component, Grid, LayerRows, NumberRange, Section, SectionArea,
    SectionExtent, Shop, ShopFront, Street, Zone,
};
use citygrid_core::ids::{
    CommunityCode, ComponentCode, GridCode, SectionCode, ShopCode, StreetId, ZoneId,
};
use citygrid_core::layer::Layer;
use citygrid_core::zone::{Hours, ZoneLevel};
use geo::MultiLineString;

use super::MAX_REPORTED_ERRORS;
use super::error::{FeatureError, ImportError};
use super::geometry::{Shape, convert};
use super::props::Props;
use super::source_crs::SourceCrs;
use super::source_file::{ReadOptions, SourceFile, read_geojson};

/// Parses a GeoJSON FeatureCollection as `layer`, converting coordinates from `crs`.
pub fn parse_geojson_layer(
    layer: Layer,
    bytes: &[u8],
    crs: &SourceCrs,
) -> Result<LayerRows, ImportError> {
    if layer == Layer::Officers {
        return Err(ImportError::Format(
            "officers are imported from CSV or a JSON array, not GeoJSON".to_owned(),
        ));
    }
    let file = read_geojson("", bytes)?;
    let options = ReadOptions {
        crs: Some(crs.clone()),
        ..ReadOptions::default()
    };
    parse_files(layer, vec![file], &options)
}

/// The coordinate system a file is read in: the one asked for, else the file's own, else
/// WGS 84 — with the bureau's datum transformation where it is given.
pub fn file_crs(file: &SourceFile, options: &ReadOptions) -> Result<SourceCrs, ImportError> {
    let crs = match (&options.crs, &file.crs) {
        (Some(crs), _) | (None, Some(Ok(crs))) => crs.clone(),
        (None, Some(Err(problem))) => return Err(SourceFile::error(&file.name, problem)),
        (None, None) => SourceCrs::default(),
    };
    let crs = match &options.shift {
        Some(shift) => crs
            .with_shift(shift.clone())
            .map_err(|e| SourceFile::error(&file.name, e))?,
        None => crs,
    };
    crs.ready().map_err(|e| SourceFile::error(&file.name, e))?;
    Ok(crs)
}

/// Reads the features of `files` as one layer: all of them, checked, or every error found
/// (naming the file when there are several).
pub fn parse_files(
    layer: Layer,
    files: Vec<SourceFile>,
    options: &ReadOptions,
) -> Result<LayerRows, ImportError> {
    if layer == Layer::Officers {
        return Err(ImportError::Format(
            "officers are imported from CSV or a JSON array".to_owned(),
        ));
    }
    let several = files.len() > 1;
    let mut errors = Vec::new();
    let mut rows = Builder::new(layer);
    if files.iter().all(|f| f.features.is_empty()) {
        return Err(ImportError::Empty);
    }
    for file in files {
        let crs = file_crs(&file, options)?;
        let label = several.then(|| file.name.clone());
        let first_error = errors.len();
        rows.file.clone_from(&label);
        for (index, feature) in file.features.into_iter().enumerate() {
            let feature = match feature {
                Ok(f) => f,
                Err(unreadable) => {
                    errors.push(FeatureError::new(
                        index,
                        None,
                        &unreadable.field,
                        unreadable.problem,
                    ));
                    continue;
                }
            };
            let mut properties = feature.properties.unwrap_or_default();
            for (ours, theirs) in &options.fields {
                if let Some(value) = properties.remove(theirs) {
                    properties.insert(ours.clone(), value);
                }
            }
            super::field_names::canonical(layer, &mut properties);
            let mut props = Props::new(index, properties, &mut errors);
            let shape = match feature.geometry.as_ref().map(|g| convert(&g.value, &crs)) {
                Some(Ok(shape)) => Some(shape),
                Some(Err(problem)) => {
                    rows.read_code(&mut props);
                    props.error("geometry", problem);
                    None
                }
                // A section may be given by the streets it cleans alone: drawn from them later.
                None if layer == Layer::Sections => {
                    Some(Shape::Lines(MultiLineString::new(vec![])))
                }
                None => {
                    rows.read_code(&mut props);
                    props.error("geometry", "is missing");
                    None
                }
            };
            if let Some(shape) = shape {
                rows.push(index, shape, props);
            }
            if errors.len() >= MAX_REPORTED_ERRORS {
                break;
            }
        }
        for error in &mut errors[first_error..] {
            error.file.clone_from(&label);
        }
        if errors.len() >= MAX_REPORTED_ERRORS {
            break;
        }
    }
    errors.extend(rows.duplicate_errors());
    if errors.is_empty() {
        Ok(rows.finish())
    } else {
        errors.sort_by(|a, b| (&a.file, a.index).cmp(&(&b.file, b.index)));
        errors.truncate(MAX_REPORTED_ERRORS);
        Err(ImportError::Invalid { errors })
    }
}

/// Accumulates rows of one layer and remembers codes to find duplicates.
struct Builder {
    rows: LayerRows,
    /// The file being read, when there are several.
    file: Option<String>,
    codes: HashMap<String, (Option<String>, usize)>,
    duplicates: Vec<FeatureError>,
}

impl Builder {
    fn new(layer: Layer) -> Self {
        let rows = match layer {
            Layer::Communities => LayerRows::Communities(Vec::new()),
            Layer::Grids => LayerRows::Grids(Vec::new()),
            Layer::Streets => LayerRows::Streets(Vec::new()),
            Layer::Shops => LayerRows::Shops(Vec::new()),
            Layer::Zones => LayerRows::Zones(Vec::new()),
            Layer::Components => LayerRows::Components(Vec::new()),
            Layer::Sections => LayerRows::Sections(Vec::new()),
            Layer::Addresses | Layer::Officers => LayerRows::Addresses(Vec::new()),
        };
        Self {
            rows,
            file: None,
            codes: HashMap::new(),
            duplicates: Vec::new(),
        }
    }

    /// The field that identifies a feature of this layer, if codes are unique in it.
    fn code_field(&self) -> Option<&'static str> {
        match self.rows {
            LayerRows::Communities(_)
            | LayerRows::Grids(_)
            | LayerRows::Shops(_)
            | LayerRows::Components(_)
            | LayerRows::Sections(_) => Some("code"),
            _ => None,
        }
    }

    /// Reads the code of a feature whose geometry failed, so its error names it.
    fn read_code(&self, props: &mut Props) {
        if let Some(field) = self.code_field() {
            props.code = props.text(field);
        } else {
            props.code = props.text("name");
        }
    }

    fn note_code(&mut self, index: usize, code: &str) {
        if code.is_empty() {
            return;
        }
        let here = (self.file.clone(), index);
        if let Some((file, first)) = self.codes.insert(code.to_owned(), here) {
            let also = match file {
                Some(file) => format!("feature {first} of {file}"),
                None => format!("feature {first}"),
            };
            let mut error = FeatureError::new(
                index,
                Some(code),
                "code",
                format!("duplicate code, also used by {also}"),
            );
            error.file.clone_from(&self.file);
            self.duplicates.push(error);
        }
    }

    fn duplicate_errors(&mut self) -> Vec<FeatureError> {
        std::mem::take(&mut self.duplicates)
    }

    fn push(&mut self, index: usize, shape: Shape, mut p: Props) {
        let wrong = |p: &mut Props, expected: &str, shape: &Shape| {
            p.error(
                "geometry",
                format!("expected {expected}, got {}", shape.type_name()),
            );
        };
        match &mut self.rows {
            LayerRows::Communities(v) => {
                let code = p.code("code");
                let name = p.required_text("name");
                let subdistrict = p.text("subdistrict");
                let Shape::Areas(geometry) = shape else {
                    return wrong(&mut p, "Polygon or MultiPolygon", &shape);
                };
                v.push(Community {
                    code: CommunityCode::from(code.clone()),
                    name,
                    subdistrict,
                    geometry,
                    attributes: p.into_attributes(),
                });
                self.note_code(index, &code);
            }
            LayerRows::Grids(v) => {
                let code = p.code("code");
                if !code.is_empty()
                    && !code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    p.error("code", "may hold only letters, digits, '-' and '_'");
                }
                let name = p.text("name");
                let community = p.text("community").map(CommunityCode::from);
                let Shape::Areas(geometry) = shape else {
                    return wrong(&mut p, "Polygon or MultiPolygon", &shape);
                };
                v.push(Grid {
                    code: GridCode::from(code.clone()),
                    name,
                    community,
                    geometry,
                    attributes: p.into_attributes(),
                });
                self.note_code(index, &code);
            }
            LayerRows::Streets(v) => {
                let name = p.required_text("name");
                p.code = Some(name.clone());
                let class = p.text("class");
                let left = range(&mut p, "left");
                let right = range(&mut p, "right");
                let Shape::Lines(geometry) = shape else {
                    return wrong(&mut p, "LineString or MultiLineString", &shape);
                };
                v.push(Street {
                    id: StreetId(v.len() as u32 + 1),
                    name,
                    class,
                    left,
                    right,
                    geometry,
                    attributes: p.into_attributes(),
                });
            }
            LayerRows::Shops(v) => {
                let code = p.code("code");
                let name = p.required_text("name");
                let address = p.text("address");
                let category = p.text("category");
                let contact = p.text("contact");
                let phone = p.text("phone");
                let license = p.text("license");
                let door_radius_m = p.number("door_radius_m");
                if let Some(r) = door_radius_m.filter(|r| !(0.5..=500.0).contains(r)) {
                    p.error(
                        "door_radius_m",
                        format!("must be between 0.5 and 500 metres, got {r}"),
                    );
                }
                let front = match shape {
                    Shape::Point(pt) => ShopFront::Door(pt),
                    Shape::Areas(mp) => ShopFront::Area(mp),
                    Shape::Lines(_) => return wrong(&mut p, "Point or Polygon", &shape),
                };
                v.push(Shop {
                    code: ShopCode::from(code.clone()),
                    name,
                    address,
                    category,
                    contact,
                    phone,
                    license,
                    door_radius_m,
                    front,
                    attributes: p.into_attributes(),
                });
                self.note_code(index, &code);
            }
            LayerRows::Zones(v) => {
                let name = p.required_text("name");
                p.code = Some(name.clone());
                let level_text = p.required_text("level");
                let level = match level_text.parse::<ZoneLevel>() {
                    Ok(l) => Some(l),
                    Err(e) => {
                        if !level_text.is_empty() {
                            p.error("level", e.to_string());
                        }
                        None
                    }
                };
                let hours = p.text("hours").and_then(|h| match h.parse::<Hours>() {
                    Ok(h) => Some(h),
                    Err(e) => {
                        p.error("hours", e.to_string());
                        None
                    }
                });
                let categories = p.list("categories");
                let Shape::Areas(geometry) = shape else {
                    return wrong(&mut p, "Polygon or MultiPolygon", &shape);
                };
                if let Some(level) = level {
                    v.push(Zone {
                        id: ZoneId(v.len() as u32 + 1),
                        name,
                        level,
                        hours,
                        categories,
                        geometry,
                        attributes: p.into_attributes(),
                    });
                }
            }
            LayerRows::Components(v) => {
                let code = p.code("code");
                let kind = p.required_text("kind");
                let status = p.text("status");
                let Shape::Point(geometry) = shape else {
                    return wrong(&mut p, "Point", &shape);
                };
                v.push(Component {
                    code: ComponentCode::from(code.clone()),
                    kind,
                    status,
                    geometry,
                    attributes: p.into_attributes(),
                });
                self.note_code(index, &code);
            }
            LayerRows::Addresses(v) => {
                let street = p
                    .text("addr:street")
                    .unwrap_or_else(|| p.required_text("street"));
                let number = p
                    .text("addr:housenumber")
                    .unwrap_or_else(|| p.required_text("number"));
                p.code = Some(format!("{street} {number}"));
                let Shape::Point(geometry) = shape else {
                    return wrong(&mut p, "Point", &shape);
                };
                v.push(AddressPoint {
                    street,
                    number,
                    geometry,
                    attributes: p.into_attributes(),
                });
            }
            LayerRows::Sections(v) => {
                if let Some(section) = section(&mut p, shape) {
                    let code = section.code.to_string();
                    v.push(section);
                    self.note_code(index, &code);
                }
            }
            LayerRows::Officers(_) => {}
        }
    }

    fn finish(self) -> LayerRows {
        self.rows
    }
}

/// A contract section: its contractor, urban or rural, a fee that is a sum of money, a rule, and
/// an area, lines, or the streets it cleans by name.
fn section(p: &mut Props, shape: Shape) -> Option<Section> {
    let code = p.code("code");
    let name = p.required_text("name");
    let contractor = p.required_text("contractor");
    let area_text = p.required_text("area");
    let area = match area_text.parse::<SectionArea>() {
        Ok(a) => Some(a),
        Err(e) => {
            if !area_text.is_empty() {
                p.error("area", e);
            }
            None
        }
    };
    let fee_per_month =
        match p.required_number("fee_per_month", "the contract's fee per month in 元") {
            Some(fee) if fee < 0.0 => {
                p.error("fee_per_month", format!("must not be negative, got {fee}"));
                None
            }
            fee => fee,
        };
    let rule = p.required_text("rule");
    let streets = p.list("streets");
    let extent = match shape {
        Shape::Areas(mp) => SectionExtent::Area(mp),
        Shape::Lines(ml) if ml.0.is_empty() && streets.is_empty() => {
            p.error(
                "geometry",
                "is missing: give the section's area or lines, or the streets it cleans in `streets`",
            );
            return None;
        }
        Shape::Lines(ml) => SectionExtent::Streets(ml),
        Shape::Point(_) => {
            p.error(
                "geometry",
                "expected Polygon, MultiPolygon, LineString or MultiLineString, got Point",
            );
            return None;
        }
    };
    Some(Section {
        code: SectionCode::from(code),
        name,
        contractor,
        area: area?,
        fee_per_month: fee_per_month?,
        rule,
        streets,
        extent,
        attributes: p.take_attributes(),
    })
}

/// Reads `{side}_from` and `{side}_to`: both or neither.
fn range(p: &mut Props, side: &str) -> Option<NumberRange> {
    let from_field = format!("{side}_from");
    let to_field = format!("{side}_to");
    let from = p.count(&from_field);
    let to = p.count(&to_field);
    match (from, to) {
        (Some(from), Some(to)) => Some(NumberRange { from, to }),
        (None, None) => None,
        (Some(_), None) => {
            p.error(&to_field, format!("is required when {from_field} is given"));
            None
        }
        (None, Some(_)) => {
            p.error(&from_field, format!("is required when {to_field} is given"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygrid_core::Crs;

    fn collection(features: &str) -> Vec<u8> {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#).into_bytes()
    }

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[116.8,33.95],[116.801,33.95],[116.801,33.951],[116.8,33.951],[116.8,33.95]]]}"#;

    #[test]
    fn grids_parse_with_attributes_kept() {
        let bytes = collection(&format!(
            r#"{{"type":"Feature","geometry":{SQUARE},"properties":{{"code":"340602001001001","community":"C1","owner":"x"}}}}"#
        ));
        let LayerRows::Grids(grids) =
            parse_geojson_layer(Layer::Grids, &bytes, &Crs::Wgs84.into()).unwrap()
        else {
            panic!("wrong layer")
        };
        assert_eq!(grids[0].code.as_str(), "340602001001001");
        assert_eq!(
            grids[0].community.as_ref().map(CommunityCode::as_str),
            Some("C1")
        );
        assert_eq!(grids[0].attributes["owner"], "x");
    }

    #[test]
    fn a_missing_field_is_said_with_the_fields_the_feature_has() {
        let bytes = collection(&format!(
            r#"{{"type":"Feature","geometry":{SQUARE},"properties":{{"网格号":"G1","面积":2.5}}}}"#
        ));
        let err = parse_geojson_layer(Layer::Grids, &bytes, &Crs::Wgs84.into()).unwrap_err();
        let errors = err.feature_errors();
        assert_eq!(errors[0].field, "code", "{err}");
        assert!(
            errors[0].problem.starts_with("is required")
                && errors[0].problem.contains("网格号")
                && errors[0].problem.contains("面积"),
            "{}",
            errors[0].problem
        );
    }

    #[test]
    fn one_bad_feature_rejects_the_file_and_is_named() {
        let bytes = collection(&format!(
            r#"{{"type":"Feature","geometry":{SQUARE},"properties":{{"code":"A"}}}},
               {{"type":"Feature","geometry":{{"type":"Point","coordinates":[116.8,33.95]}},"properties":{{"code":"B"}}}},
               {{"type":"Feature","geometry":{SQUARE},"properties":{{"code":"A"}}}},
               {{"type":"Feature","geometry":{SQUARE},"properties":{{}}}},
               {{"type":"Feature","geometry":{{"type":"Point","coordinates":[1]}},"properties":{{"code":"D"}}}}"#
        ));
        let err = parse_geojson_layer(Layer::Grids, &bytes, &Crs::Wgs84.into()).unwrap_err();
        let errors = err.feature_errors();
        assert_eq!(errors.len(), 4, "{err}");
        assert_eq!((errors[3].index, errors[3].field.as_str()), (4, "feature"));
        assert_eq!(
            (
                errors[0].index,
                errors[0].code.as_deref(),
                errors[0].field.as_str()
            ),
            (1, Some("B"), "geometry")
        );
        assert_eq!((errors[1].index, errors[1].field.as_str()), (2, "code"));
        assert!(errors[1].problem.contains("duplicate"));
        assert_eq!((errors[2].index, errors[2].field.as_str()), (3, "code"));
        assert!(
            err.to_string().contains(
                "feature 1 (B), field `geometry`: expected Polygon or MultiPolygon, got Point"
            ),
            "{err}"
        );
    }

    #[test]
    fn streets_need_both_ends_of_a_range() {
        let bytes = collection(
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[116.8,33.95],[116.81,33.95]]},"properties":{"name":"人民路","left_from":1}}"#,
        );
        let err = parse_geojson_layer(Layer::Streets, &bytes, &Crs::Wgs84.into()).unwrap_err();
        assert_eq!(err.feature_errors()[0].field, "left_to");
        assert_eq!(err.feature_errors()[0].code.as_deref(), Some("人民路"));
    }

    #[test]
    fn zones_check_level_and_hours() {
        let bytes = collection(&format!(
            r#"{{"type":"Feature","geometry":{SQUARE},"properties":{{"name":"夜市","level":"permitted","hours":"18:00-23:00"}}}},
               {{"type":"Feature","geometry":{SQUARE},"properties":{{"name":"X","level":"forbidden"}}}},
               {{"type":"Feature","geometry":{SQUARE},"properties":{{"name":"Y","level":"strict","hours":"late"}}}}"#
        ));
        let err = parse_geojson_layer(Layer::Zones, &bytes, &Crs::Wgs84.into()).unwrap_err();
        let fields: Vec<_> = err
            .feature_errors()
            .iter()
            .map(|e| (e.index, e.field.as_str()))
            .collect();
        assert_eq!(fields, [(1, "level"), (2, "hours")]);
    }

    #[test]
    fn gcj02_input_is_converted() {
        let bytes = collection(
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[116.403743572652,39.910103499345]},"properties":{"code":"B1","kind":"bin"}}"#,
        );
        let LayerRows::Components(c) =
            parse_geojson_layer(Layer::Components, &bytes, &Crs::Gcj02.into()).unwrap()
        else {
            panic!("wrong layer")
        };
        assert!(
            (c[0].geometry.x() - 116.3975).abs() < 1e-8
                && (c[0].geometry.y() - 39.9087).abs() < 1e-8
        );
    }

    #[test]
    fn not_geojson_and_empty_are_rejected() {
        assert!(matches!(
            parse_geojson_layer(Layer::Shops, b"nope", &Crs::Wgs84.into()),
            Err(ImportError::Format(_))
        ));
        assert!(matches!(
            parse_geojson_layer(Layer::Shops, &collection(""), &Crs::Wgs84.into()),
            Err(ImportError::Empty)
        ));
    }
}
