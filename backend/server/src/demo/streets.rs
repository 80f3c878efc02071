//! The demo's streets: a lattice of main roads, a lane through every block, a riverside road.

use citygrid_core::features::NumberRange;
use geo::Coord;

use super::names::{EW_ROADS, NS_ROADS, NUMERALS};
use super::{NE_CUT, inside_district};

/// A planned street in metres: a polyline with its name, class and numbering.
pub struct PlannedStreet {
    pub name: String,
    pub class: &'static str,
    pub points: Vec<Coord>,
    pub left: NumberRange,
    pub right: NumberRange,
    /// Main roads carry shops.
    pub main: bool,
}

impl PlannedStreet {
    pub fn length(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
            .sum()
    }

    /// The point `s` metres along the line and the unit direction there.
    pub fn at(&self, s: f64) -> (Coord, Coord) {
        let mut walked = 0.0;
        let last = self.points.len().saturating_sub(2);
        for (i, w) in self.points.windows(2).enumerate() {
            let d = w[1] - w[0];
            let len = d.x.hypot(d.y);
            if walked + len >= s || i == last {
                let t = ((s - walked) / len).clamp(0.0, 1.0);
                return (w[0] + d * t, d / len);
            }
            walked += len;
        }
        (self.points[0], Coord { x: 1.0, y: 0.0 })
    }
}

/// Odd numbers on the left, even on the right, about one per 15 m of frontage.
fn numbering(length: f64) -> (NumberRange, NumberRange) {
    let n = ((length / 15.0).round() as u32).max(1);
    (
        NumberRange {
            from: 1,
            to: 2 * n - 1,
        },
        NumberRange { from: 2, to: 2 * n },
    )
}

fn planned(
    name: String,
    class: &'static str,
    mut points: Vec<Coord>,
    main: bool,
) -> Option<PlannedStreet> {
    points.dedup_by(|a, b| (a.x - b.x).hypot(a.y - b.y) < 0.5);
    let street = PlannedStreet {
        name,
        class,
        points,
        left: NumberRange { from: 1, to: 1 },
        right: NumberRange { from: 2, to: 2 },
        main,
    };
    let length = street.length();
    if street.points.len() < 2 || length < 40.0 {
        return None;
    }
    let (left, right) = numbering(length);
    Some(PlannedStreet {
        left,
        right,
        ..street
    })
}

/// The x of every north–south line (roads and lanes) and the y of every east–west one.
fn crossing_lines() -> (Vec<f64>, Vec<f64>) {
    let mut xs: Vec<f64> = NS_ROADS.iter().map(|r| r.1).collect();
    xs.extend(NS_ROADS.windows(2).map(|w| f64::midpoint(w[0].1, w[1].1)));
    let mut ys: Vec<f64> = EW_ROADS.iter().map(|r| r.1).collect();
    ys.extend(EW_ROADS.windows(2).map(|w| f64::midpoint(w[0].1, w[1].1)));
    xs.sort_by(f64::total_cmp);
    ys.sort_by(f64::total_cmp);
    (xs, ys)
}

/// East–west line at `y` from `x0` to `x1`, with a vertex at every crossing, clipped to the district.
fn ew_line(y: f64, x0: f64, x1: f64, xs: &[f64]) -> Vec<Coord> {
    let x1 = x1.min(NE_CUT - y);
    let mut pts = vec![Coord { x: x0, y }];
    pts.extend(
        xs.iter()
            .filter(|&&x| x > x0 && x < x1)
            .map(|&x| Coord { x, y }),
    );
    pts.push(Coord { x: x1, y });
    pts
}

/// North–south line at `x` from `y0` (north) down to `y1`, clipped to the district.
fn ns_line(x: f64, y0: f64, y1: f64, ys: &[f64]) -> Vec<Coord> {
    let y0 = y0.min(NE_CUT - x);
    let mut pts = vec![Coord { x, y: y0 }];
    pts.extend(
        ys.iter()
            .rev()
            .filter(|&&y| y < y0 && y > y1)
            .map(|&y| Coord { x, y }),
    );
    pts.push(Coord { x, y: y1 });
    pts
}

/// North–south roads whose name changes at 淮海路.
const SPLIT_AT_HUAIHAI: [&str; 3] = ["古城路", "长山路", "凤凰路"];
const HUAIHAI_Y: f64 = 50.0;

/// Every street of the demo district.
pub fn plan_streets() -> Vec<PlannedStreet> {
    let (xs, ys) = crossing_lines();
    let mut out = Vec::new();
    for &(name, y) in &EW_ROADS {
        if name == "淮海路" {
            // The road changes name at 长山路: 淮海西路 and 淮海东路.
            out.extend(planned(
                "淮海西路".into(),
                "primary",
                ew_line(y, -1200.0, 0.0, &xs),
                true,
            ));
            out.extend(planned(
                "淮海东路".into(),
                "primary",
                ew_line(y, 0.0, 1200.0, &xs),
                true,
            ));
        } else {
            out.extend(planned(
                name.into(),
                "primary",
                ew_line(y, -1200.0, 1200.0, &xs),
                true,
            ));
        }
    }
    for &(name, x) in &NS_ROADS {
        if SPLIT_AT_HUAIHAI.contains(&name) {
            // These change name where they cross 淮海路: 长山北路 and 长山南路.
            let stem = name.trim_end_matches('路');
            out.extend(planned(
                format!("{stem}北路"),
                "secondary",
                ns_line(x, 800.0, HUAIHAI_Y, &ys),
                true,
            ));
            out.extend(planned(
                format!("{stem}南路"),
                "secondary",
                ns_line(x, HUAIHAI_Y, -800.0, &ys),
                true,
            ));
        } else {
            out.extend(planned(
                name.into(),
                "secondary",
                ns_line(x, 800.0, -800.0, &ys),
                true,
            ));
        }
    }
    // A lane through the middle of every block, each way, named after the road it leaves.
    for (j, band) in EW_ROADS.windows(2).enumerate() {
        let (north, south) = (band[0], band[1]);
        let y_mid = f64::midpoint(north.1, south.1);
        for (i, cols) in NS_ROADS.windows(2).enumerate() {
            let (west, east) = (cols[0], cols[1]);
            let x_mid = f64::midpoint(west.1, east.1);
            let stem = north.0.trim_end_matches('路');
            out.extend(planned(
                format!("{stem}路{}巷", NUMERALS[i]),
                "residential",
                ew_line(y_mid, west.1, east.1, &[x_mid]),
                false,
            ));
            out.extend(planned(
                format!("{}{}巷", west.0, NUMERALS[j]),
                "residential",
                ns_line(x_mid, north.1, south.1, &[y_mid]),
                false,
            ));
        }
    }
    // The riverside road along the district's north-east edge, north-west to south-east.
    let river = vec![
        Coord {
            x: NE_CUT - 800.0,
            y: 800.0,
        },
        Coord {
            x: 1200.0,
            y: NE_CUT - 1200.0,
        },
    ];
    out.extend(planned("滨河路".into(), "secondary", river, false));
    out.retain(|s| s.points.iter().all(|&p| inside_district(p, 0.0)));
    out
}
