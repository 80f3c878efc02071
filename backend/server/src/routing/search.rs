//! One reverse search from a place over the street graph: travel times *to* the place from
//! every node, settled in order of time, so that a caller can stop as soon as it knows enough.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::Coord;

use super::graph::{Snapped, StreetGraph};
use super::modes::Mode;

/// How to get between a point and a node of the graph: the node, and the time and distance
/// along the snapped edge (not counting the way between the point and the street).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Access {
    pub node: u32,
    pub seconds: f32,
    pub metres: f32,
}

/// The accesses by which a snapped point is *reached* (for the place searched from): from the
/// edge's start going forward, or from its end going back, as the mode may.
pub fn arrivals(graph: &StreetGraph, s: &Snapped, mode: Mode) -> Vec<Access> {
    accesses(graph, s, mode, false)
}

/// The accesses by which a snapped point *leaves* for the network (for an officer): to the
/// edge's end going forward, or to its start going back.
pub fn departures(graph: &StreetGraph, s: &Snapped, mode: Mode) -> Vec<Access> {
    accesses(graph, s, mode, true)
}

/// The edge's two parts either side of the point, each the way the mode may travel it: going
/// forward one arrives from the start and leaves towards the end, going back the other way.
fn accesses(graph: &StreetGraph, s: &Snapped, mode: Mode, leaving: bool) -> Vec<Access> {
    let e = graph.edges[s.edge as usize];
    let secs = graph.seconds(s.edge, mode);
    let t = s.fraction as f32;
    let start = Access {
        node: e.from,
        seconds: secs * t,
        metres: e.metres * t,
    };
    let end = Access {
        node: e.to,
        seconds: secs * (1.0 - t),
        metres: e.metres * (1.0 - t),
    };
    let (forward, back) = if leaving { (end, start) } else { (start, end) };
    [(true, forward), (false, back)]
        .into_iter()
        .filter(|(forward, _)| e.allows(*forward, mode))
        .map(|(_, access)| access)
        .collect()
}

/// Time and distance between two points snapped to the same edge, along it, if the mode may
/// travel that way.
pub fn along_same_edge(
    graph: &StreetGraph,
    from: &Snapped,
    to: &Snapped,
    mode: Mode,
) -> Option<(f32, f32)> {
    if from.edge != to.edge {
        return None;
    }
    let e = graph.edges[from.edge as usize];
    let forward = to.fraction >= from.fraction;
    e.allows(forward, mode).then(|| {
        let share = (to.fraction - from.fraction).abs() as f32;
        (graph.seconds(from.edge, mode) * share, e.metres * share)
    })
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    seconds: f32,
    node: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed: the heap pops the smallest time first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .seconds
            .total_cmp(&self.seconds)
            .then(other.node.cmp(&self.node))
    }
}

/// Reusable search state: labels are valid only when stamped with the current search, so a new
/// search costs nothing to reset.
#[derive(Debug, Default)]
pub struct SearchSpace {
    seconds: Vec<f32>,
    metres: Vec<f32>,
    stamp: Vec<u32>,
    done: Vec<u32>,
    epoch: u32,
    heap: BinaryHeap<Entry>,
}

/// A node as settled: the time and distance from it to the place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settled {
    pub node: u32,
    pub seconds: f32,
    pub metres: f32,
}

/// A reverse search in progress.
pub struct ReverseSearch<'a> {
    graph: &'a StreetGraph,
    mode: Mode,
    space: &'a mut SearchSpace,
}

impl<'a> ReverseSearch<'a> {
    /// Starts a search towards the place reached through `targets`.
    pub fn new(
        graph: &'a StreetGraph,
        mode: Mode,
        space: &'a mut SearchSpace,
        targets: &[Access],
    ) -> Self {
        let n = graph.nodes.len();
        if space.stamp.len() != n {
            *space = SearchSpace {
                seconds: vec![0.0; n],
                metres: vec![0.0; n],
                stamp: vec![0; n],
                done: vec![0; n],
                epoch: 0,
                heap: BinaryHeap::new(),
            };
        }
        space.epoch = space.epoch.wrapping_add(1);
        if space.epoch == 0 {
            space.stamp.fill(0);
            space.done.fill(0);
            space.epoch = 1;
        }
        space.heap.clear();
        let mut search = Self { graph, mode, space };
        for t in targets {
            search.offer(t.node, t.seconds, t.metres);
        }
        search
    }

    fn offer(&mut self, node: u32, seconds: f32, metres: f32) {
        let s = &mut *self.space;
        let n = node as usize;
        if s.stamp[n] != s.epoch || seconds < s.seconds[n] {
            s.stamp[n] = s.epoch;
            s.seconds[n] = seconds;
            s.metres[n] = metres;
            s.heap.push(Entry { seconds, node });
        }
    }

    /// The time of the next node to settle (a lower bound for every node not yet settled).
    pub fn frontier(&self) -> Option<f32> {
        self.space.heap.peek().map(|e| e.seconds)
    }

    /// Settles the next node: the nearest in time not settled yet.
    pub fn next_settled(&mut self) -> Option<Settled> {
        loop {
            let Entry { seconds, node } = self.space.heap.pop()?;
            let n = node as usize;
            if self.space.done[n] == self.space.epoch || seconds > self.space.seconds[n] {
                continue;
            }
            self.space.done[n] = self.space.epoch;
            let metres = self.space.metres[n];
            let graph = self.graph;
            for &e in graph.incident(node) {
                let edge = &graph.edges[e as usize];
                // Arriving at `node` along `e`: forward if `node` is its end.
                let (other, forward) = if edge.to == node {
                    (edge.from, true)
                } else {
                    (edge.to, false)
                };
                if !edge.allows(forward, self.mode) {
                    continue;
                }
                let cost = graph.seconds(e, self.mode);
                if cost.is_finite() {
                    self.offer(other, seconds + cost, metres + edge.metres);
                }
            }
            return Some(Settled {
                node,
                seconds,
                metres,
            });
        }
    }

    /// Runs to the end: every node's time to the place (infinite where it cannot reach it).
    pub fn all(mut self) -> Vec<f32> {
        while self.next_settled().is_some() {}
        let s = &*self.space;
        (0..self.graph.nodes.len())
            .map(|n| {
                if s.done[n] == s.epoch {
                    s.seconds[n]
                } else {
                    f32::INFINITY
                }
            })
            .collect()
    }
}

/// Metres between two points of the plane.
pub fn straight(a: Coord, b: Coord) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}
