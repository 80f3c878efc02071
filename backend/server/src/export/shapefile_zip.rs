//! A layer as a zipped Shapefile: `.shp`, `.shx`, `.dbf` (GBK or UTF-8), `.prj` and `.cpg`,
//! written with the `shapefile` and `dbase` crates. A Shapefile holds one kind of geometry, so
//! a layer that mixes them (shops: door points and door-front areas) gives one Shapefile per
//! kind in the same `.zip`.

use std::io::{Cursor, Write};

use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use encoding_rs::Encoding;
use geo::Geometry;
use shapefile::{Multipoint, Point, Polygon, PolygonRing, Polyline, ShapeWriter};

use super::crs_wkt::Srs;
use super::table::{ExportError, Field, Kind, Table, text};

/// The longest text a `.dbf` field holds, in bytes.
const MAX_TEXT: usize = 254;

/// The kinds of geometry a Shapefile holds one of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Points,
    Lines,
    Areas,
}

impl Family {
    fn of(g: &Geometry) -> Option<Family> {
        match g {
            Geometry::Point(_) | Geometry::MultiPoint(_) => Some(Family::Points),
            Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => {
                Some(Family::Lines)
            }
            Geometry::Polygon(_) | Geometry::MultiPolygon(_) | Geometry::Rect(_) => {
                Some(Family::Areas)
            }
            _ => None,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Family::Points => "points",
            Family::Lines => "lines",
            Family::Areas => "areas",
        }
    }
}

/// The layer `name` as a `.zip` of Shapefiles.
pub fn zip(
    name: &str,
    table: &Table,
    srs: &Srs,
    encoding: &'static Encoding,
) -> Result<Vec<u8>, ExportError> {
    let mut families: Vec<Family> = Vec::new();
    for (g, _) in &table.rows {
        if let Some(f) = Family::of(g).filter(|f| !families.contains(f)) {
            families.push(f);
        }
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let write_err = |e: &dyn std::fmt::Display| ExportError::Write(e.to_string());
    for family in &families {
        let stem = if families.len() == 1 {
            name.to_owned()
        } else {
            format!("{name}_{}", family.suffix())
        };
        let rows: Vec<_> = table
            .rows
            .iter()
            .filter(|(g, _)| Family::of(g) == Some(*family))
            .collect();
        let (shp, shx) = shapes(*family, &rows)?;
        let dbf = dbf(&table.fields, &rows, encoding)?;
        let cpg = if encoding == encoding_rs::UTF_8 {
            "UTF-8"
        } else {
            "GBK"
        };
        for (ext, bytes) in [
            ("shp", shp),
            ("shx", shx),
            ("dbf", dbf),
            ("prj", srs.wkt.clone().into_bytes()),
            ("cpg", cpg.as_bytes().to_vec()),
        ] {
            out.start_file(format!("{stem}.{ext}"), options)
                .map_err(|e| write_err(&e))?;
            out.write_all(&bytes).map_err(|e| write_err(&e))?;
        }
    }
    let cursor = out.finish().map_err(|e| write_err(&e))?;
    Ok(cursor.into_inner())
}

fn point(c: geo::Coord) -> Point {
    Point::new(c.x, c.y)
}

fn rings(p: &geo::Polygon) -> Vec<PolygonRing<Point>> {
    let mut rings = vec![PolygonRing::Outer(
        p.exterior().coords().copied().map(point).collect(),
    )];
    rings.extend(
        p.interiors()
            .iter()
            .map(|r| PolygonRing::Inner(r.coords().copied().map(point).collect())),
    );
    rings
}

/// The `.shp` and `.shx` of rows of one family.
fn shapes(
    family: Family,
    rows: &[&(Geometry, serde_json::Map<String, serde_json::Value>)],
) -> Result<(Vec<u8>, Vec<u8>), ExportError> {
    let (mut shp, mut shx) = (Cursor::new(Vec::new()), Cursor::new(Vec::new()));
    {
        let mut writer = ShapeWriter::with_shx(&mut shp, &mut shx);
        let fail = |e: shapefile::Error| ExportError::Write(e.to_string());
        for (g, _) in rows {
            match (family, g) {
                (_, Geometry::Point(p)) => writer.write_shape(&point(p.0)).map_err(fail)?,
                (_, Geometry::MultiPoint(m)) => writer
                    .write_shape(&Multipoint::new(m.iter().map(|p| point(p.0)).collect()))
                    .map_err(fail)?,
                (_, Geometry::LineString(l)) => writer
                    .write_shape(&Polyline::new(l.coords().copied().map(point).collect()))
                    .map_err(fail)?,
                (_, Geometry::MultiLineString(m)) => writer
                    .write_shape(&Polyline::with_parts(
                        m.iter()
                            .map(|l| l.coords().copied().map(point).collect())
                            .collect(),
                    ))
                    .map_err(fail)?,
                (_, Geometry::Polygon(p)) => writer
                    .write_shape(&Polygon::with_rings(rings(p)))
                    .map_err(fail)?,
                (_, Geometry::MultiPolygon(m)) => writer
                    .write_shape(&Polygon::with_rings(m.iter().flat_map(rings).collect()))
                    .map_err(fail)?,
                _ => {}
            }
        }
        writer.finalize().map_err(fail)?;
    }
    Ok((shp.into_inner(), shx.into_inner()))
}

/// A field name of at most 10 bytes in the encoding, cut at a character, unique in the table.
fn dbf_names(fields: &[Field], encoding: &'static Encoding) -> Vec<Vec<u8>> {
    let mut names: Vec<Vec<u8>> = Vec::new();
    for field in fields {
        let mut cut = String::new();
        for c in field.name.chars() {
            let next = format!("{cut}{c}");
            if encoding.encode(&next).0.len() > 10 {
                break;
            }
            cut = next;
        }
        let mut name = encoding.encode(&cut).0.into_owned();
        let mut n = 1;
        while names.contains(&name) {
            let suffix = format!("_{n}");
            let mut shorter = encoding.encode(&cut).0.into_owned();
            shorter.truncate(10 - suffix.len());
            // Never end in the middle of a character.
            while !shorter.is_empty()
                && encoding
                    .decode_without_bom_handling_and_without_replacement(&shorter)
                    .is_none()
            {
                shorter.pop();
            }
            shorter.extend_from_slice(suffix.as_bytes());
            name = shorter;
            n += 1;
        }
        names.push(name);
    }
    names
}

/// Text in the encoding, cut to what a field holds, carried for `dbase`.
fn dbf_text(value: &str, encoding: &'static Encoding) -> Result<String, ExportError> {
    let (bytes, _, unmappable) = encoding.encode(value);
    if unmappable {
        return Err(ExportError::Write(format!(
            "{value:?} has characters {} cannot hold: export with UTF-8",
            encoding.name()
        )));
    }
    let mut bytes = bytes.into_owned();
    if bytes.len() > MAX_TEXT {
        bytes.truncate(MAX_TEXT);
        while !bytes.is_empty()
            && encoding
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .is_none()
        {
            bytes.pop();
        }
    }
    Ok(encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned())
}

/// The `.dbf` of rows: fields written under placeholder names, then their real names (in the
/// encoding, which `dbase` does not apply to names) set in the header.
fn dbf(
    fields: &[Field],
    rows: &[&(Geometry, serde_json::Map<String, serde_json::Value>)],
    encoding: &'static Encoding,
) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write(e.to_string());
    let placeholder = |i: usize| FieldName::try_from(format!("F{i}").as_str());
    let mut texts: Vec<Vec<Option<String>>> = Vec::new();
    for (_, properties) in rows {
        let mut row = Vec::new();
        for field in fields {
            let value = properties.get(&field.key).and_then(text);
            row.push(match (field.kind, value) {
                (Kind::Text, Some(v)) => Some(dbf_text(&v, encoding)?),
                (_, v) => v,
            });
        }
        texts.push(row);
    }
    let mut builder = TableWriterBuilder::with_encoding(crate::import::dbf_carrier());
    for (i, field) in fields.iter().enumerate() {
        let name = placeholder(i).map_err(|e| fail(&format!("{e:?}")))?;
        builder = match field.kind {
            Kind::Integer => builder.add_numeric_field(name, 19, 0),
            Kind::Real => builder.add_numeric_field(name, 24, 12),
            Kind::Bool => builder.add_logical_field(name),
            Kind::Text => {
                let width = texts
                    .iter()
                    .filter_map(|r| r[i].as_ref().map(|t| t.chars().count()))
                    .max()
                    .unwrap_or(1)
                    .clamp(1, MAX_TEXT);
                builder.add_character_field(name, u8::try_from(width).unwrap_or(254))
            }
        };
    }
    let mut dest = Cursor::new(Vec::new());
    {
        let mut writer = builder.build_with_dest(&mut dest);
        for (row, (_, properties)) in texts.into_iter().zip(rows) {
            let mut record = Record::from(std::collections::HashMap::new());
            for (i, (field, carried)) in fields.iter().zip(row).enumerate() {
                let value = properties.get(&field.key);
                let v = match field.kind {
                    Kind::Text => FieldValue::Character(carried),
                    Kind::Integer | Kind::Real => {
                        FieldValue::Numeric(value.and_then(serde_json::Value::as_f64))
                    }
                    Kind::Bool => FieldValue::Logical(value.and_then(serde_json::Value::as_bool)),
                };
                record.insert(format!("F{i}"), v);
            }
            writer.write_record(&record).map_err(|e| fail(&e))?;
        }
        writer.finalize().map_err(|e| fail(&e))?;
    }
    let mut bytes = dest.into_inner();
    // The language driver id of the encoding (0x4D: GBK) where there is one.
    if encoding == encoding_rs::GBK {
        bytes[29] = 0x4D;
    } else {
        bytes[29] = 0;
    }
    for (i, name) in dbf_names(fields, encoding).into_iter().enumerate() {
        let at = 32 + 32 * i;
        let slot = &mut bytes[at..at + 11];
        slot.fill(0);
        slot[..name.len()].copy_from_slice(&name);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_fit_ten_bytes_whole_characters_and_stay_unique() {
        let collection = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.8, 33.95]},
             "properties": {"网格编码": "a", "营业执照号码": "b", "营业执照号码副本": "c", "left_from": 1}}
        ]});
        let table = Table::from_collection(None, &collection, &Default::default()).unwrap();
        let fields = table.fields;
        let gbk = dbf_names(&fields, encoding_rs::GBK);
        let shown: Vec<String> = gbk
            .iter()
            .map(|n| encoding_rs::GBK.decode(n).0.into_owned())
            .collect();
        assert_eq!(shown, ["left_from", "网格编码", "营业执照号", "营业执照_1"]);
        let utf8 = dbf_names(&fields[1..2], encoding_rs::UTF_8);
        assert_eq!(String::from_utf8(utf8[0].clone()).unwrap(), "网格编");
    }
}
