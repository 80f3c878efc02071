//! The street graph, built from the streets layer: nodes where segments share endpoints or
//! vertices (within a snap tolerance) and where they truly cross (unless one is a bridge or a
//! tunnel, or they lie on different layers); one edge per piece of segment between nodes, with
//! its length, class and one-way direction; travel times per mode.

use std::collections::HashMap;

use citygrid_core::features::Street;
use geo::{Coord, Line};
use rstar::primitives::{GeomWithData, Line as RLine, Rectangle};
use rstar::{AABB, RTree};

use super::modes::{Mode, Speeds};
use crate::projection::LocalProjection;

/// Vertices closer than this are one node (metres).
pub const SNAP_TOLERANCE_M: f64 = 0.5;

/// Which way traffic may use an edge (for modes that keep one-way rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneWay {
    Both,
    /// Only from `from` to `to`.
    Forward,
    /// Only from `to` to `from`.
    Backward,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub metres: f32,
    /// The street (row in the streets layer) the edge belongs to.
    pub street: u32,
    pub one_way: OneWay,
}

impl Edge {
    /// Whether `mode` may travel the edge from `from` to `to` (`forward`) or back.
    pub fn allows(&self, forward: bool, mode: Mode) -> bool {
        !mode.keeps_one_way()
            || match self.one_way {
                OneWay::Both => true,
                OneWay::Forward => forward,
                OneWay::Backward => !forward,
            }
    }
}

type EdgeLine = GeomWithData<RLine<[f64; 2]>, u32>;

/// The graph in the district's metric plane.
#[derive(Debug, Default)]
pub struct StreetGraph {
    pub nodes: Vec<Coord>,
    pub edges: Vec<Edge>,
    /// Incident edges of node `n`: `incident[first[n]..first[n + 1]]`.
    first: Vec<u32>,
    incident: Vec<u32>,
    /// Seconds to travel each edge, per mode (`f32::INFINITY` where the mode may not).
    seconds: [Vec<f32>; 3],
    lines: RTree<EdgeLine>,
    /// Crossings split into nodes, and crossings left alone (bridges, tunnels, layers).
    pub crossings_split: usize,
    pub crossings_kept: usize,
}

/// One straight piece of a street, before splitting.
struct Piece {
    a: Coord,
    b: Coord,
    street: u32,
    level: Option<i32>,
    one_way: OneWay,
}

fn attribute<'a>(street: &'a Street, key: &str) -> Option<&'a str> {
    street.attributes.get(key).and_then(|v| v.as_str())
}

/// `None` for a bridge or a tunnel (never split where it crosses), otherwise its layer.
fn level(street: &Street) -> Option<i32> {
    let flagged = |key| attribute(street, key).is_some_and(|v| v != "no");
    if flagged("bridge") || flagged("tunnel") {
        return None;
    }
    Some(
        attribute(street, "layer")
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0),
    )
}

fn one_way(street: &Street) -> OneWay {
    match attribute(street, "oneway").map(str::trim) {
        Some("yes" | "true" | "1") => OneWay::Forward,
        Some("-1" | "reverse") => OneWay::Backward,
        None if attribute(street, "junction") == Some("roundabout")
            || street.class.as_deref() == Some("motorway") =>
        {
            OneWay::Forward
        }
        Some(_) | None => OneWay::Both,
    }
}

/// Finds the node at a point, or makes one (points within the tolerance are one node).
struct NodeMap {
    cells: HashMap<(i64, i64), Vec<u32>>,
    nodes: Vec<Coord>,
}

impl NodeMap {
    fn key(c: Coord) -> (i64, i64) {
        (
            (c.x / SNAP_TOLERANCE_M).floor() as i64,
            (c.y / SNAP_TOLERANCE_M).floor() as i64,
        )
    }

    fn node(&mut self, c: Coord) -> u32 {
        let (kx, ky) = Self::key(c);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(ids) = self.cells.get(&(kx + dx, ky + dy)) {
                    for &id in ids {
                        let n = self.nodes[id as usize];
                        if (n.x - c.x).hypot(n.y - c.y) <= SNAP_TOLERANCE_M {
                            return id;
                        }
                    }
                }
            }
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(c);
        self.cells.entry((kx, ky)).or_default().push(id);
        id
    }
}

impl StreetGraph {
    /// Builds the graph of `streets` in the plane of `proj`.
    pub fn build(streets: &[Street], proj: &LocalProjection, speeds: &Speeds) -> Self {
        let mut pieces = Vec::new();
        for (i, street) in streets.iter().enumerate() {
            let (lvl, dir) = (level(street), one_way(street));
            for line in &street.geometry.0 {
                for l in line.lines() {
                    let a = proj.project(citygrid_core::LonLat {
                        lon: l.start.x,
                        lat: l.start.y,
                    });
                    let b = proj.project(citygrid_core::LonLat {
                        lon: l.end.x,
                        lat: l.end.y,
                    });
                    pieces.push(Piece {
                        a,
                        b,
                        street: i as u32,
                        level: lvl,
                        one_way: dir,
                    });
                }
            }
        }
        let (splits, split, kept) = crossings(&pieces);
        let mut map = NodeMap {
            cells: HashMap::new(),
            nodes: Vec::new(),
        };
        let mut edges = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            let mut at: Vec<f64> = splits.get(&i).cloned().unwrap_or_default();
            at.sort_by(f64::total_cmp);
            let points = std::iter::once(p.a)
                .chain(at.iter().map(|t| p.a + (p.b - p.a) * *t))
                .chain(std::iter::once(p.b));
            let ids: Vec<(u32, Coord)> = points.map(|c| (map.node(c), c)).collect();
            for w in ids.windows(2) {
                let ((from, a), (to, b)) = (w[0], w[1]);
                if from == to {
                    continue;
                }
                edges.push(Edge {
                    from,
                    to,
                    metres: (b.x - a.x).hypot(b.y - a.y) as f32,
                    street: p.street,
                    one_way: p.one_way,
                });
            }
        }
        let nodes = map.nodes;
        // Incidence lists (CSR).
        let mut degree = vec![0_u32; nodes.len() + 1];
        for e in &edges {
            degree[e.from as usize] += 1;
            degree[e.to as usize] += 1;
        }
        let mut first = vec![0_u32; nodes.len() + 1];
        for n in 0..nodes.len() {
            first[n + 1] = first[n] + degree[n];
        }
        let mut fill = first.clone();
        let mut incident = vec![0_u32; first[nodes.len()] as usize];
        for (i, e) in edges.iter().enumerate() {
            for n in [e.from, e.to] {
                incident[fill[n as usize] as usize] = i as u32;
                fill[n as usize] += 1;
            }
        }
        let seconds = Mode::ALL.map(|mode| {
            let m = speeds.mode(mode);
            edges
                .iter()
                .map(|e| {
                    let kmh = m.kmh(streets[e.street as usize].class.as_deref());
                    if kmh > 0.0 {
                        (f64::from(e.metres) / (kmh / 3.6)) as f32
                    } else {
                        f32::INFINITY
                    }
                })
                .collect()
        });
        let lines = RTree::bulk_load(
            edges
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let (a, b) = (nodes[e.from as usize], nodes[e.to as usize]);
                    GeomWithData::new(RLine::new([a.x, a.y], [b.x, b.y]), i as u32)
                })
                .collect(),
        );
        Self {
            nodes,
            edges,
            first,
            incident,
            seconds,
            lines,
            crossings_split: split,
            crossings_kept: kept,
        }
    }

    /// The edges that meet at a node.
    pub fn incident(&self, node: u32) -> &[u32] {
        let n = node as usize;
        &self.incident[self.first[n] as usize..self.first[n + 1] as usize]
    }

    /// Seconds to travel an edge in a mode (infinite where the mode may not).
    pub fn seconds(&self, edge: u32, mode: Mode) -> f32 {
        self.seconds[mode.index()][edge as usize]
    }

    /// The nearest edge `mode` may use within `max_m` of a point: the edge, where along it
    /// (0 at `from`, 1 at `to`), the foot of the perpendicular and the distance to it.
    pub fn snap(&self, p: Coord, mode: Mode, max_m: f64) -> Option<Snapped> {
        self.lines
            .nearest_neighbor_iter_with_distance_2(&[p.x, p.y])
            .take_while(|(_, d2)| *d2 <= max_m * max_m)
            .find(|(line, _)| self.seconds(line.data, mode).is_finite())
            .map(|(line, d2)| {
                let e = &self.edges[line.data as usize];
                let (a, b) = (self.nodes[e.from as usize], self.nodes[e.to as usize]);
                let d = b - a;
                let len2 = d.x * d.x + d.y * d.y;
                let t = if len2 > 0.0 {
                    (((p - a).x * d.x + (p - a).y * d.y) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                Snapped {
                    edge: line.data,
                    fraction: t,
                    foot: a + d * t,
                    distance: d2.sqrt(),
                }
            })
    }

    /// Bytes held by the graph (approximate).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Coord>()
            + self.edges.len() * (std::mem::size_of::<Edge>() + 3 * 4 + 2 * 4 + 48)
            + self.first.len() * 4
    }
}

/// A point snapped to an edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    pub edge: u32,
    pub fraction: f64,
    pub foot: Coord,
    pub distance: f64,
}

/// Where pieces truly cross: split fractions per piece, and the counts of crossings split and
/// left alone (a bridge or tunnel, or different layers).
fn crossings(pieces: &[Piece]) -> (HashMap<usize, Vec<f64>>, usize, usize) {
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| GeomWithData::new(Rectangle::from_corners([p.a.x, p.a.y], [p.b.x, p.b.y]), i))
        .collect();
    let tree = RTree::bulk_load(boxes);
    let mut splits: HashMap<usize, Vec<f64>> = HashMap::new();
    let (mut split, mut kept) = (0, 0);
    for (i, p) in pieces.iter().enumerate() {
        let envelope = AABB::from_corners([p.a.x, p.a.y], [p.b.x, p.b.y]);
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let q = &pieces[j];
            let Some(geo::LineIntersection::SinglePoint { intersection, .. }) =
                geo::algorithm::line_intersection::line_intersection(
                    Line::new(p.a, p.b),
                    Line::new(q.a, q.b),
                )
            else {
                continue;
            };
            // Where the meeting point is not an end of a piece, that piece is split there (a
            // crossing, or a T where the other piece ends); ends meet through the node map.
            let interior = |piece: &Piece| {
                [piece.a, piece.b]
                    .iter()
                    .all(|e| (e.x - intersection.x).hypot(e.y - intersection.y) > SNAP_TOLERANCE_M)
            };
            let to_split: Vec<(usize, &Piece)> = [(i, p), (j, q)]
                .into_iter()
                .filter(|(_, piece)| interior(piece))
                .collect();
            if to_split.is_empty() {
                continue;
            }
            match (p.level, q.level) {
                (Some(a), Some(b)) if a == b => {
                    split += 1;
                    for (k, piece) in to_split {
                        let d = piece.b - piece.a;
                        let t = ((intersection - piece.a).x * d.x
                            + (intersection - piece.a).y * d.y)
                            / (d.x * d.x + d.y * d.y);
                        splits.entry(k).or_default().push(t);
                    }
                }
                _ => kept += 1,
            }
        }
    }
    (splits, split, kept)
}
