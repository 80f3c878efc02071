//! A Shapefile — the `.shp`, `.shx` and `.dbf` set with its `.prj` and `.cpg`, beside each other
//! on disk or in a `.zip` — as a [`SourceFile`], read with the `shapefile` and `dbase` crates.
//! Attribute text is decoded by `dbf_text`; the `.prj` by `prj`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use dbase::{CodePageMark, FieldValue};
use encoding_rs::Encoding;
use geojson::{GeometryValue as Geometry, Position};
use serde_json::{Map, Value};
use shapefile::record::traits::HasXY;
use shapefile::{PolygonRing, Shape};

use super::dbf_text::{self, Chosen};
use super::error::ImportError;
use super::source_file::{SourceFeature, SourceFile, Unreadable};

/// The files of one Shapefile, read into memory.
#[derive(Debug, Default)]
pub struct ShapefileParts {
    /// The `.shp`'s name, for messages.
    pub name: String,
    pub shp: Vec<u8>,
    pub shx: Option<Vec<u8>>,
    pub dbf: Option<Vec<u8>>,
    pub prj: Option<Vec<u8>>,
    pub cpg: Option<Vec<u8>>,
}

impl ShapefileParts {
    fn set(&mut self, extension: &str, bytes: Vec<u8>) {
        match extension {
            "shp" => self.shp = bytes,
            "shx" => self.shx = Some(bytes),
            "dbf" => self.dbf = Some(bytes),
            "prj" => self.prj = Some(bytes),
            "cpg" => self.cpg = Some(bytes),
            _ => {}
        }
    }
}

const PARTS: [&str; 5] = ["shp", "shx", "dbf", "prj", "cpg"];

/// A `.shp` and the files beside it with the same stem (any case of the extension).
pub fn parts_from_path(shp: &Path) -> Result<ShapefileParts, ImportError> {
    let name = shp
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| SourceFile::error(&p.display().to_string(), e));
    let mut parts = ShapefileParts {
        shp: read(shp)?,
        name,
        ..ShapefileParts::default()
    };
    let stem = shp.with_extension("");
    let dir = shp.parent().filter(|d| !d.as_os_str().is_empty());
    let siblings = std::fs::read_dir(dir.unwrap_or(Path::new(".")))
        .map_err(|e| SourceFile::error(&parts.name, e))?;
    for entry in siblings.flatten() {
        let path = entry.path();
        let same_stem = path.with_extension("").file_name() == stem.file_name();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if same_stem && extension != "shp" && PARTS.contains(&extension.as_str()) {
            parts.set(&extension, read(&path)?);
        }
    }
    Ok(parts)
}

/// Every Shapefile in a `.zip` (in folders or not), in the order of their names.
pub fn parts_from_zip(name: &str, bytes: &[u8]) -> Result<Vec<ShapefileParts>, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| SourceFile::error(name, format!("not a readable .zip: {e}")))?;
    let mut sets: BTreeMap<String, ShapefileParts> = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| SourceFile::error(name, format!("not a readable .zip: {e}")))?;
        let path = entry
            .name()
            .map_err(|e| SourceFile::error(name, format!("a name in the .zip: {e}")))?
            .into_owned();
        let Some((stem, extension)) = path.rsplit_once('.') else {
            continue;
        };
        let extension = extension.to_ascii_lowercase();
        if !PARTS.contains(&extension.as_str()) || path.starts_with("__MACOSX") {
            continue;
        }
        // A .zip of Shapefiles is small; a bomb is refused before it fills the memory.
        if entry.size() > 2_000_000_000 {
            return Err(SourceFile::error(&path, "is larger than 2 GB"));
        }
        let mut content = Vec::new();
        entry
            .read_to_end(&mut content)
            .map_err(|e| SourceFile::error(&path, e))?;
        let set = sets.entry(stem.to_owned()).or_default();
        if extension == "shp" {
            set.name = format!("{name}:{path}");
        }
        set.set(&extension, content);
    }
    let mut found = Vec::new();
    for (stem, set) in sets {
        if set.name.is_empty() {
            if set.dbf.is_some() || set.shx.is_some() {
                return Err(SourceFile::error(name, format!("{stem} has no .shp")));
            }
            continue;
        }
        found.push(set);
    }
    if found.is_empty() {
        return Err(SourceFile::error(name, "holds no Shapefile (.shp)"));
    }
    Ok(found)
}

/// The features of a Shapefile, their text decoded by `encoding` if given.
pub fn read(
    parts: ShapefileParts,
    encoding: Option<&'static Encoding>,
) -> Result<SourceFile, ImportError> {
    let name = parts.name.clone();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let missing = |ext: &str| {
        SourceFile::error(
            &name,
            format!("has no {stem}.{ext} beside it: a Shapefile needs its .shp, .shx and .dbf"),
        )
    };
    let shx = parts.shx.ok_or_else(|| missing("shx"))?;
    let dbf = parts.dbf.ok_or_else(|| missing("dbf"))?;
    super::shp_sizes::check(&parts.shp, &shx)
        .map_err(|e| SourceFile::error(&name, format!("is not a readable .shp: {e}")))?;
    let shapes = shapefile::ShapeReader::with_shx(Cursor::new(parts.shp), Cursor::new(shx))
        .map_err(|e| SourceFile::error(&name, format!("not a readable .shp: {e}")))?;
    let table = dbase::ReaderBuilder::new()
        .with_encoding(dbf_text::carrier())
        .build(Cursor::new(dbf))
        .map_err(|e| SourceFile::error(&name, format!("its .dbf is not readable: {e}")))?;
    let mark = table.header().code_page_mark;
    let raw_fields: Vec<String> = table.fields().iter().map(|f| f.name().to_owned()).collect();
    let mut reader = shapefile::Reader::new(shapes, table);
    let records = reader
        .read()
        .map_err(|e| SourceFile::error(&name, format!("cannot be read: {e}")))?;
    let chosen = choose(encoding, parts.cpg.as_deref(), mark, &raw_fields, &records)
        .map_err(|e| SourceFile::error(&name, e))?;
    let fields = raw_fields
        .iter()
        .map(|f| dbf_text::decode(&dbf_text::carried(f), chosen.encoding))
        .collect::<Result<Vec<String>, String>>()
        .map_err(|e| SourceFile::error(&name, format!("a field name: {e}")))?;
    let features = records
        .into_iter()
        .map(|(shape, record)| feature(shape, record, &raw_fields, &fields, chosen.encoding))
        .collect();
    let crs = parts.prj.map(|wkt| {
        let text = String::from_utf8_lossy(&wkt);
        super::prj::from_wkt(&text).map_err(|e| format!("its .prj: {e}"))
    });
    Ok(SourceFile {
        name,
        features,
        crs,
        fields,
        encoding: Some(format!("{} ({})", chosen.encoding.name(), chosen.because)),
    })
}

/// The encoding of the `.dbf`'s text: asked, else the `.cpg`'s, else the code page byte's,
/// else guessed from the text.
fn choose(
    asked: Option<&'static Encoding>,
    cpg: Option<&[u8]>,
    mark: CodePageMark,
    fields: &[String],
    records: &[(Shape, dbase::Record)],
) -> Result<Chosen, String> {
    if let Some(encoding) = asked {
        return Ok(Chosen {
            encoding,
            because: "--encoding",
        });
    }
    if let Some(cpg) = cpg {
        let text = String::from_utf8_lossy(cpg);
        return dbf_text::by_name(&text)
            .map(|encoding| Chosen {
                encoding,
                because: "its .cpg",
            })
            .ok_or_else(|| {
                format!(
                    "its .cpg names an unknown encoding {:?}: give --encoding",
                    text.trim()
                )
            });
    }
    if let Some(encoding) = dbf_text::by_code_page(mark) {
        return Ok(Chosen {
            encoding,
            because: "its code page byte",
        });
    }
    let texts = records.iter().flat_map(|(_, record)| {
        record.as_ref().values().filter_map(|v| match v {
            FieldValue::Character(Some(s)) => Some(s.as_str()),
            _ => None,
        })
    });
    let carried: Vec<Vec<u8>> = fields
        .iter()
        .map(String::as_str)
        .chain(texts)
        .map(dbf_text::carried)
        .collect();
    Ok(dbf_text::guess(carried.iter().map(Vec::as_slice)))
}

fn feature(
    shape: Shape,
    mut record: dbase::Record,
    raw_fields: &[String],
    fields: &[String],
    encoding: &'static Encoding,
) -> SourceFeature {
    let mut properties = Map::new();
    for (raw, field) in raw_fields.iter().zip(fields) {
        let value = match record.remove(raw) {
            Some(FieldValue::Character(Some(text))) => {
                let text = dbf_text::decode(&dbf_text::carried(&text), encoding)
                    .map_err(|e| Unreadable::new(field, e))?;
                Value::String(text)
            }
            Some(
                FieldValue::Numeric(Some(n)) | FieldValue::Double(n) | FieldValue::Currency(n),
            ) => number(n),
            Some(FieldValue::Float(Some(n))) => number(f64::from(n)),
            Some(FieldValue::Integer(n)) => Value::from(n),
            Some(FieldValue::Logical(Some(b))) => Value::Bool(b),
            Some(FieldValue::Date(Some(d))) => {
                Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            }
            // An empty cell is no value, as a property left out of a GeoJSON feature.
            _ => continue,
        };
        properties.insert(field.clone(), value);
    }
    let geometry = geometry(shape).map_err(|e| Unreadable::new("geometry", e))?;
    Ok(geojson::Feature {
        bbox: None,
        geometry: geometry.map(geojson::Geometry::new),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    })
}

/// A whole number as an integer (a code written as a number), others as they are.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn xy<P: HasXY>(p: &P) -> Position {
    Position::from([p.x(), p.y()])
}

fn lines<P: HasXY>(parts: &[Vec<P>]) -> Geometry {
    let mut lines: Vec<Vec<Position>> = parts.iter().map(|l| l.iter().map(xy).collect()).collect();
    if lines.len() == 1 {
        Geometry::LineString {
            coordinates: lines.remove(0),
        }
    } else {
        Geometry::MultiLineString { coordinates: lines }
    }
}

/// Rings as polygons: each outer ring starts one, the inner rings after it are its holes.
fn polygons<P: HasXY>(rings: &[PolygonRing<P>]) -> Geometry {
    let mut polygons: Vec<Vec<Vec<Position>>> = Vec::new();
    for ring in rings {
        let points = ring.points().iter().map(xy).collect();
        match (ring, polygons.last_mut()) {
            (PolygonRing::Inner(_), Some(polygon)) => polygon.push(points),
            _ => polygons.push(vec![points]),
        }
    }
    if polygons.len() == 1 {
        Geometry::Polygon {
            coordinates: polygons.remove(0),
        }
    } else {
        Geometry::MultiPolygon {
            coordinates: polygons,
        }
    }
}

fn geometry(shape: Shape) -> Result<Option<Geometry>, String> {
    Ok(Some(match shape {
        Shape::NullShape => return Ok(None),
        Shape::Point(p) => Geometry::Point {
            coordinates: xy(&p),
        },
        Shape::PointM(p) => Geometry::Point {
            coordinates: xy(&p),
        },
        Shape::PointZ(p) => Geometry::Point {
            coordinates: xy(&p),
        },
        Shape::Multipoint(m) => Geometry::MultiPoint {
            coordinates: m.points().iter().map(xy).collect(),
        },
        Shape::MultipointM(m) => Geometry::MultiPoint {
            coordinates: m.points().iter().map(xy).collect(),
        },
        Shape::MultipointZ(m) => Geometry::MultiPoint {
            coordinates: m.points().iter().map(xy).collect(),
        },
        Shape::Polyline(l) => lines(l.parts()),
        Shape::PolylineM(l) => lines(l.parts()),
        Shape::PolylineZ(l) => lines(l.parts()),
        Shape::Polygon(p) => polygons(p.rings()),
        Shape::PolygonM(p) => polygons(p.rings()),
        Shape::PolygonZ(p) => polygons(p.rings()),
        Shape::Multipatch(_) => return Err("is a multipatch, which no layer takes".to_owned()),
    }))
}
