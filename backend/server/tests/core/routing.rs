//! The street graph and officer ranking: crossings, bridges, one-way streets, snapping, the
//! early stop, the preference for the responsible officer; travel times on the real Helsinki
//! network checked against a plain Dijkstra written here.

use std::collections::BinaryHeap;

use citygrid::projection::LocalProjection;
use citygrid::routing::graph::StreetGraph;
use citygrid::routing::ranking::{Reason, Spot, rank};
use citygrid::routing::search::{ReverseSearch, SearchSpace, arrivals};
use citygrid::routing::{Mode, Speeds};
use citygrid_core::LonLat;
use citygrid_core::features::Street;
use citygrid_core::ids::StreetId;
use geo::{Coord, LineString, MultiLineString};

fn proj() -> LocalProjection {
    LocalProjection::new(LonLat {
        lon: 116.8,
        lat: 33.95,
    })
}

/// A street through points given in metres about the centre.
fn street(id: u32, class: &str, points: &[(f64, f64)], attrs: &[(&str, &str)]) -> Street {
    let p = proj();
    let line: LineString = points
        .iter()
        .map(|&(x, y)| {
            let ll = p.unproject(Coord { x, y });
            Coord {
                x: ll.lon,
                y: ll.lat,
            }
        })
        .collect();
    Street {
        id: StreetId(id),
        name: format!("街{id}"),
        class: Some(class.into()),
        left: None,
        right: None,
        geometry: MultiLineString::new(vec![line]),
        attributes: attrs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
            .collect(),
    }
}

fn graph(streets: &[Street]) -> StreetGraph {
    StreetGraph::build(streets, &proj(), &Speeds::default())
}

fn times_to(g: &StreetGraph, place: Coord, mode: Mode) -> Vec<f32> {
    let t = g.snap(place, mode, 100.0).unwrap();
    let mut space = SearchSpace::default();
    ReverseSearch::new(g, mode, &mut space, &arrivals(g, &t, mode)).all()
}

fn node_at(g: &StreetGraph, x: f64, y: f64) -> usize {
    g.nodes
        .iter()
        .position(|n| (n.x - x).hypot(n.y - y) < 0.6)
        .unwrap_or_else(|| panic!("no node at {x},{y}"))
}

#[test]
fn streets_that_cross_meet_unless_one_is_a_bridge() {
    let level = [
        street(1, "residential", &[(-100.0, 0.0), (100.0, 0.0)], &[]),
        street(2, "residential", &[(0.0, -100.0), (0.0, 100.0)], &[]),
    ];
    let g = graph(&level);
    assert_eq!((g.crossings_split, g.crossings_kept), (1, 0));
    assert_eq!((g.nodes.len(), g.edges.len()), (5, 4));
    let bridge = [
        level[0].clone(),
        street(
            2,
            "residential",
            &[(0.0, -100.0), (0.0, 100.0)],
            &[("bridge", "yes")],
        ),
    ];
    let g = graph(&bridge);
    assert_eq!((g.crossings_split, g.crossings_kept), (0, 1));
    assert_eq!((g.nodes.len(), g.edges.len()), (4, 2));
    // From the bridge's end, the other street is unreachable: no shared node.
    let t = times_to(&g, Coord { x: 50.0, y: 0.0 }, Mode::Walk);
    assert!(t[node_at(&g, 0.0, 100.0)].is_infinite());
}

#[test]
fn vertices_closer_than_the_tolerance_are_one_node() {
    let g = graph(&[
        street(1, "residential", &[(0.0, 0.0), (100.0, 0.0)], &[]),
        street(2, "residential", &[(100.3, 0.2), (100.0, 80.0)], &[]),
    ]);
    assert_eq!(g.nodes.len(), 3);
}

#[test]
fn cars_keep_one_way_streets_walkers_do_not() {
    // A one-way street east, and a long way round back west.
    let g = graph(&[
        street(
            1,
            "residential",
            &[(0.0, 0.0), (200.0, 0.0)],
            &[("oneway", "yes")],
        ),
        street(
            2,
            "residential",
            &[(0.0, 0.0), (0.0, 300.0), (200.0, 300.0), (200.0, 0.0)],
            &[],
        ),
    ]);
    let east = Coord { x: 199.0, y: 0.0 };
    let west = Coord { x: 1.0, y: 0.0 };
    let (from_west, from_east) = (node_at(&g, 0.0, 0.0), node_at(&g, 200.0, 0.0));
    let car_east = times_to(&g, east, Mode::Car)[from_west];
    let car_west = times_to(&g, west, Mode::Car)[from_east];
    // 199 m at 20 km/h one way; round the block (800 m) and 1 m along the other.
    assert!((car_east - 199.0 / (20.0 / 3.6)).abs() < 0.1, "{car_east}");
    assert!((car_west - 801.0 / (20.0 / 3.6)).abs() < 0.1, "{car_west}");
    let walk_west = times_to(&g, west, Mode::Walk)[from_east];
    assert!((walk_west - 199.0 / (5.0 / 3.6)).abs() < 0.1, "{walk_west}");
}

fn spot(code: &str, x: f64, y: f64, responsible: bool) -> Spot {
    Spot {
        code: code.into(),
        at: Coord { x, y },
        responsible,
    }
}

#[test]
fn the_nearest_by_straight_line_across_a_river_is_not_the_fastest() {
    // Two banks joined by one bridge 500 m upstream.
    let g = graph(&[
        street(1, "residential", &[(-600.0, 0.0), (600.0, 0.0)], &[]),
        street(2, "residential", &[(-600.0, 60.0), (600.0, 60.0)], &[]),
        street(3, "residential", &[(500.0, 0.0), (500.0, 60.0)], &[]),
    ]);
    let place = Coord { x: 0.0, y: 2.0 };
    let officers = [
        spot("across", 0.0, 58.0, false),
        spot("same_bank", -250.0, 2.0, false),
    ];
    let (ranked, _) = rank(
        &g,
        &Speeds::default(),
        Mode::Ebike,
        place,
        &officers,
        2,
        &mut SearchSpace::default(),
    );
    assert_eq!(ranked[0].officer, "same_bank");
    assert_eq!(ranked[0].reasons, [Reason::Fastest]);
    assert_eq!(ranked[1].officer, "across");
    assert!(ranked[1].reasons.contains(&Reason::NearerByStraightLine));
    assert!(
        (ranked[1].network_m - (500.0 + 60.0 + 500.0 + 4.0)).abs() < 1.0,
        "{}",
        ranked[1].network_m
    );
    assert!(ranked[1].straight_m < 60.0);
}

#[test]
fn the_responsible_officer_goes_first_at_equal_time_and_off_network_points_are_estimated() {
    let g = graph(&[street(
        1,
        "residential",
        &[(-500.0, 0.0), (500.0, 0.0)],
        &[],
    )]);
    let place = Coord { x: 0.0, y: 0.0 };
    let officers = [
        spot("a", 100.0, 0.0, false),
        spot("b", -101.0, 0.0, true),
        spot("far_field", 0.0, 400.0, false),
    ];
    let (ranked, _) = rank(
        &g,
        &Speeds::default(),
        Mode::Ebike,
        place,
        &officers,
        3,
        &mut SearchSpace::default(),
    );
    let order: Vec<&str> = ranked.iter().map(|r| r.officer.as_str()).collect();
    assert_eq!(order, ["b", "a", "far_field"]);
    assert!(ranked[0].reasons.contains(&Reason::ResponsibleForGrid));
    assert!(ranked[2].estimated);
    assert!(ranked[2].reasons.contains(&Reason::StraightLineEstimate));
    // A responsible officer a minute slower is not preferred.
    let officers = [spot("a", 100.0, 0.0, false), spot("b", -400.0, 0.0, true)];
    let (ranked, _) = rank(
        &g,
        &Speeds::default(),
        Mode::Ebike,
        place,
        &officers,
        2,
        &mut SearchSpace::default(),
    );
    assert_eq!(ranked[0].officer, "a");
}

#[test]
fn the_search_stops_once_the_best_are_certain() {
    let streets: Vec<Street> = (0..40)
        .map(|i| {
            let y = f64::from(i) * 100.0;
            street(i + 1, "residential", &[(-2000.0, y), (2000.0, y)], &[])
        })
        .chain((0..40).map(|i| {
            let x = -2000.0 + f64::from(i) * 100.0;
            street(100 + i, "residential", &[(x, 0.0), (x, 3900.0)], &[])
        }))
        .collect();
    let g = graph(&streets);
    let officers: Vec<Spot> = (0..200)
        .map(|i| {
            spot(
                &format!("o{i}"),
                -1900.0 + f64::from(i % 20) * 200.0,
                f64::from(i / 20) * 390.0,
                false,
            )
        })
        .collect();
    let (ranked, stats) = rank(
        &g,
        &Speeds::default(),
        Mode::Walk,
        Coord { x: 0.0, y: 50.0 },
        &officers,
        3,
        &mut SearchSpace::default(),
    );
    assert_eq!(ranked.len(), 3);
    assert!(stats.after_cut <= 20);
    assert!(
        stats.nodes_settled < g.nodes.len() / 4,
        "{} of {}",
        stats.nodes_settled,
        g.nodes.len()
    );
    // The same three, with the same times, as ranking everyone with a full search.
    let (all, full) = rank(
        &g,
        &Speeds::default(),
        Mode::Walk,
        Coord { x: 0.0, y: 50.0 },
        &officers,
        officers.len(),
        &mut SearchSpace::default(),
    );
    assert_eq!(full.after_cut, 200);
    assert_eq!(ranked, all[..3].to_vec());
}

/// A plain Dijkstra over the graph's edges, written here: forward from one node.
fn dijkstra(g: &StreetGraph, from: usize, mode: Mode) -> Vec<f64> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); g.nodes.len()];
    for (i, e) in g.edges.iter().enumerate() {
        let w = f64::from(g.seconds(i as u32, mode));
        if !w.is_finite() {
            continue;
        }
        if e.allows(true, mode) {
            adj[e.from as usize].push((e.to as usize, w));
        }
        if e.allows(false, mode) {
            adj[e.to as usize].push((e.from as usize, w));
        }
    }
    let mut dist = vec![f64::INFINITY; g.nodes.len()];
    let mut heap = BinaryHeap::new();
    dist[from] = 0.0;
    heap.push((std::cmp::Reverse(0_u64), from));
    while let Some((std::cmp::Reverse(d), n)) = heap.pop() {
        let d = f64::from_bits(d);
        if d > dist[n] {
            continue;
        }
        for &(m, w) in &adj[n] {
            if d + w < dist[m] {
                dist[m] = d + w;
                heap.push((std::cmp::Reverse((d + w).to_bits()), m));
            }
        }
    }
    dist
}

#[test]
fn helsinki_travel_times_agree_with_a_plain_dijkstra() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/osm/helsinki-center.osm.pbf");
    let base =
        citygrid::import::osm::import_osm(&std::fs::read(path).unwrap(), &Default::default())
            .unwrap();
    let atlas = citygrid::atlas::Atlas::build(base, chrono_tz::Europe::Helsinki);
    let g = StreetGraph::build(
        &atlas.base().streets,
        atlas.projection(),
        &Speeds::default(),
    );
    assert!(g.edges.len() > 1500, "{} edges", g.edges.len());
    let mut rng = 0x2026_1127_u64;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let mut space = SearchSpace::default();
    let mut pairs = 0;
    for mode in [Mode::Car, Mode::Walk] {
        for _ in 0..10 {
            // Search towards a node (a place exactly on it) and compare with Dijkstra from
            // twenty random nodes to it.
            let target = next(g.nodes.len());
            let access = [citygrid::routing::search::Access {
                node: target as u32,
                seconds: 0.0,
                metres: 0.0,
            }];
            let ours = ReverseSearch::new(&g, mode, &mut space, &access).all();
            for _ in 0..20 {
                let from = next(g.nodes.len());
                let theirs = dijkstra(&g, from, mode)[target];
                let mine = f64::from(ours[from]);
                if theirs.is_infinite() {
                    assert!(
                        mine.is_infinite(),
                        "{mode} {from}→{target}: {mine} vs unreachable"
                    );
                } else {
                    assert!(
                        (mine - theirs).abs() <= 1e-3 * theirs.max(1.0),
                        "{mode} {from}→{target}: {mine} vs {theirs}"
                    );
                }
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 400);
}
