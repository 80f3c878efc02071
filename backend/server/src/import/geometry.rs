//! GeoJSON geometry → `geo` geometry in WGS 84, checked: coordinates in range, lines with
//! length, rings closed and with at least four positions, polygons free of self-intersection.

use super::source_crs::SourceCrs;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Point, Polygon, Validation};
use geojson::{GeometryValue, Position};

/// A feature's geometry, by dimension.
pub enum Shape {
    Point(Point),
    Lines(MultiLineString),
    Areas(MultiPolygon),
}

impl Shape {
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Point(_) => "Point",
            Shape::Lines(_) => "LineString",
            Shape::Areas(_) => "Polygon",
        }
    }
}

/// The most positions one feature's geometry may have.
pub const MAX_POSITIONS: usize = 200_000;

/// How many positions a geometry has.
fn positions(value: &GeometryValue) -> usize {
    match value {
        GeometryValue::Point { .. } => 1,
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            coordinates.len()
        }
        GeometryValue::MultiLineString { coordinates } | GeometryValue::Polygon { coordinates } => {
            coordinates.iter().map(Vec::len).sum()
        }
        GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().map(Vec::len).sum()
        }
        GeometryValue::GeometryCollection { geometries } => {
            geometries.iter().map(|g| positions(&g.value)).sum()
        }
    }
}

/// A position's coordinates; where it is, the caller says (only when something is wrong).
fn coord_at(p: &Position, crs: &SourceCrs) -> Result<Coord, String> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err("has fewer than two numbers".to_owned());
    }
    Ok(crs.to_wgs84(s[0], s[1])?.into())
}

fn coord(p: &Position, crs: &SourceCrs, at: &str) -> Result<Coord, String> {
    coord_at(p, crs).map_err(|e| format!("position {at}: {e}"))
}

fn line(ps: &[Position], crs: &SourceCrs, at: &str) -> Result<LineString, String> {
    let coords = ps
        .iter()
        .enumerate()
        .map(|(i, p)| coord_at(p, crs).map_err(|e| format!("position {at}[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    if coords.len() < 2 || coords.windows(2).all(|w| w[0] == w[1]) {
        return Err(format!("line {at} needs at least two distinct positions"));
    }
    Ok(LineString::new(coords))
}

fn ring(ps: &[Position], crs: &SourceCrs, at: &str) -> Result<LineString, String> {
    if ps.len() < 4 {
        return Err(format!(
            "ring {at} has {} positions; a ring needs at least 4",
            ps.len()
        ));
    }
    if ps.first().map(Position::as_slice) != ps.last().map(Position::as_slice) {
        return Err(format!(
            "ring {at} is not closed (first and last positions differ)"
        ));
    }
    line(ps, crs, at)
}

fn polygon(rings: &[Vec<Position>], crs: &SourceCrs, at: &str) -> Result<Polygon, String> {
    let Some((outer, holes)) = rings.split_first() else {
        return Err(format!("polygon {at} has no rings"));
    };
    let exterior = ring(outer, crs, &format!("{at}[0]"))?;
    let interiors = holes
        .iter()
        .enumerate()
        .map(|(i, r)| ring(r, crs, &format!("{at}[{}]", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    let poly = Polygon::new(exterior, interiors);
    poly.check_validation()
        .map_err(|e| format!("polygon {at}: {e}"))?;
    Ok(poly)
}

/// Converts and checks a geometry, transforming coordinates from `crs` to WGS 84.
pub fn convert(value: &GeometryValue, crs: &SourceCrs) -> Result<Shape, String> {
    let n = positions(value);
    if n > MAX_POSITIONS {
        return Err(format!(
            "has {n} positions; at most {MAX_POSITIONS} are accepted per feature"
        ));
    }
    match value {
        GeometryValue::Point { coordinates } => {
            Ok(Shape::Point(coord(coordinates, crs, "0")?.into()))
        }
        GeometryValue::LineString { coordinates } => {
            Ok(Shape::Lines(MultiLineString::new(vec![line(
                coordinates,
                crs,
                "0",
            )?])))
        }
        GeometryValue::MultiLineString { coordinates } if !coordinates.is_empty() => {
            let lines = coordinates
                .iter()
                .enumerate()
                .map(|(i, l)| line(l, crs, &i.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Shape::Lines(MultiLineString::new(lines)))
        }
        GeometryValue::Polygon { coordinates } => {
            Ok(Shape::Areas(MultiPolygon::new(vec![polygon(
                coordinates,
                crs,
                "0",
            )?])))
        }
        GeometryValue::MultiPolygon { coordinates } if !coordinates.is_empty() => {
            let polys = coordinates
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, crs, &i.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            let mp = MultiPolygon::new(polys);
            mp.check_validation().map_err(|e| e.to_string())?;
            Ok(Shape::Areas(mp))
        }
        GeometryValue::MultiLineString { .. } | GeometryValue::MultiPolygon { .. } => {
            Err("empty multi-geometry".to_owned())
        }
        GeometryValue::MultiPoint { .. } => {
            Err("MultiPoint is not accepted; use one Point per feature".to_owned())
        }
        GeometryValue::GeometryCollection { .. } => {
            Err("GeometryCollection is not accepted".to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Shape, String> {
        let g: geojson::Geometry = serde_json::from_str(json).map_err(|e| e.to_string())?;
        convert(&g.value, &citygrid_core::Crs::Wgs84.into())
    }

    #[test]
    fn geometry_problems_are_named() {
        let cases = [
            (r#"{"type":"Point","coordinates":[200,10]}"#, "longitude"),
            (
                r#"{"type":"LineString","coordinates":[[1,1],[1,1]]}"#,
                "two distinct",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
                "not closed",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
                "at least 4",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#,
                "self-intersection",
            ),
            (
                r#"{"type":"MultiPoint","coordinates":[[0,0]]}"#,
                "MultiPoint",
            ),
        ];
        for (json, expected) in cases {
            match parse(json) {
                Err(e) => assert!(e.contains(expected), "{json}: {e}"),
                Ok(s) => panic!("{json} accepted as {}", s.type_name()),
            }
        }
    }

    #[test]
    fn huge_geometries_are_refused() {
        let coords: Vec<String> = (0..=MAX_POSITIONS)
            .map(|i| format!("[{},{}]", 116.0 + i as f64 * 1e-7, 33.9))
            .collect();
        let json = format!(
            r#"{{"type":"LineString","coordinates":[{}]}}"#,
            coords.join(",")
        );
        match parse(&json) {
            Err(e) => assert!(e.contains("at most"), "{e}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn valid_shapes_pass() {
        assert!(matches!(
            parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#),
            Ok(Shape::Areas(_))
        ));
        assert!(matches!(
            parse(r#"{"type":"LineString","coordinates":[[0,0],[1,0]]}"#),
            Ok(Shape::Lines(_))
        ));
    }
}
