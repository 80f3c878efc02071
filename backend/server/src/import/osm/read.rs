//! One pass over a `.osm.pbf` file, keeping what a district needs.

use std::collections::HashMap;

use osmpbf::{Element, ElementReader, RelMemberType};

pub type Tags = Vec<(String, String)>;

/// A node with tags.
pub struct TaggedNode {
    pub id: i64,
    pub lon: f64,
    pub lat: f64,
    pub tags: Tags,
}

pub struct RawWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: Tags,
}

pub struct RawRelation {
    pub id: i64,
    pub tags: Tags,
    /// Way members and their roles.
    pub ways: Vec<(i64, String)>,
}

/// The parts of an extract that become base layers.
#[derive(Default)]
pub struct Extract {
    pub coords: HashMap<i64, (f64, f64)>,
    pub nodes: Vec<TaggedNode>,
    pub ways: Vec<RawWay>,
    pub relations: Vec<RawRelation>,
}

impl Extract {
    /// Every node's position; the tagged ones whole.
    fn node(&mut self, id: i64, lon: f64, lat: f64, tags: Tags) {
        // A node off the globe (a damaged file) is left out, as if it were missing: the ways
        // through it lose that point.
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return;
        }
        self.coords.insert(id, (lon, lat));
        if !tags.is_empty() {
            self.nodes.push(TaggedNode { id, lon, lat, tags });
        }
    }
}

pub fn tag<'a>(tags: &'a Tags, key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn owned<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Tags {
    tags.map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// Reads every element; tagged nodes, all ways and all relations are kept.
pub fn read(bytes: &[u8]) -> Result<Extract, String> {
    let mut x = Extract::default();
    ElementReader::new(std::io::Cursor::new(bytes))
        .for_each(|element| match element {
            Element::Node(n) => x.node(n.id(), n.lon(), n.lat(), owned(n.tags())),
            Element::DenseNode(n) => x.node(n.id(), n.lon(), n.lat(), owned(n.tags())),
            Element::Way(w) => x.ways.push(RawWay {
                id: w.id(),
                refs: w.refs().collect(),
                tags: owned(w.tags()),
            }),
            Element::Relation(r) => {
                let ways = r
                    .members()
                    .filter(|m| m.member_type == RelMemberType::Way)
                    .map(|m| (m.member_id, m.role().unwrap_or("").to_owned()))
                    .collect();
                x.relations.push(RawRelation {
                    id: r.id(),
                    tags: owned(r.tags()),
                    ways,
                });
            }
        })
        .map_err(|e| e.to_string())?;
    if x.coords.is_empty() {
        return Err("the extract has no nodes".to_owned());
    }
    Ok(x)
}
