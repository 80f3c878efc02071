//! Forward geocoding: "where is this address?" → ranked candidates.
//!
//! Scores are a base per kind of match times a factor per name match (see the constants); the
//! list is sorted by score, best first, and duplicates (same kind and label) keep their best.

use citygrid_core::LonLat;
use citygrid_core::api::{GeocodeCandidate, MatchKind, NameMatch, Side};
use geo::{Coord, Line};

use super::Atlas;
use super::parse::{Form, Variant, forms, variants};

/// Tunables of a geocoding query.
#[derive(Debug, Clone, Copy)]
pub struct GeocodeOptions {
    pub limit: usize,
}

impl Default for GeocodeOptions {
    fn default() -> Self {
        Self { limit: 5 }
    }
}

/// How far an interpolated address is set off the centre line, towards its side.
const SIDE_OFFSET_M: f64 = 5.0;
/// Streets that pass within this distance of each other without crossing still "meet".
const NEAR_MISS_M: f64 = 30.0;

fn base_score(kind: MatchKind) -> f64 {
    match kind {
        MatchKind::AddressPoint | MatchKind::Grid => 1.0,
        MatchKind::Interpolated | MatchKind::Intersection => 0.9,
        MatchKind::Shop => 0.8,
        MatchKind::Community => 0.7,
        MatchKind::Street => 0.6,
    }
}

fn name_factor(m: NameMatch) -> f64 {
    match m {
        NameMatch::Exact => 1.0,
        NameMatch::Variant => 0.85,
        NameMatch::Partial => 0.7,
        NameMatch::Fuzzy => 0.6,
    }
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn house_label(street: &str, number: &str) -> String {
    if is_cjk(street) {
        format!("{street}{number}号")
    } else {
        format!("{street} {number}")
    }
}

struct Collector<'a> {
    atlas: &'a Atlas,
    out: Vec<GeocodeCandidate>,
    stripped: Option<String>,
}

impl Collector<'_> {
    fn push(
        &mut self,
        at: Coord,
        kind: MatchKind,
        name_match: NameMatch,
        label: String,
        mut matched: Vec<String>,
        penalty: f64,
    ) {
        if let Some(s) = &self.stripped {
            matched.push(format!("prefix understood: {s}"));
        }
        let score =
            (base_score(kind) * name_factor(name_match) * penalty * 1000.0).round() / 1000.0;
        let point: LonLat = self.atlas.proj.unproject(at);
        let point = LonLat {
            lon: (point.lon * 1e7).round() / 1e7,
            lat: (point.lat * 1e7).round() / 1e7,
        };
        let candidate = GeocodeCandidate {
            point,
            score,
            kind,
            label,
            name_match,
            matched,
        };
        // One candidate per kind and label: the best scored.
        match self
            .out
            .iter_mut()
            .find(|c| c.kind == candidate.kind && c.label == candidate.label)
        {
            Some(existing) if existing.score < candidate.score => *existing = candidate,
            Some(_) => {}
            None => self.out.push(candidate),
        }
    }
}

fn describe(name: &str, m: NameMatch) -> String {
    let how = match m {
        NameMatch::Exact => "exact",
        NameMatch::Variant => "variant",
        NameMatch::Partial => "partial",
        NameMatch::Fuzzy => "approximate",
    };
    format!("street {name} ({how})")
}

impl Atlas {
    /// Ranked candidates for free text; unknown text gives an empty list.
    pub fn geocode(&self, text: &str, opts: GeocodeOptions) -> Vec<GeocodeCandidate> {
        let mut c = Collector {
            atlas: self,
            out: Vec::new(),
            stripped: None,
        };
        for Variant { text, stripped } in variants(text) {
            c.stripped = stripped;
            let before = c.out.len();
            for form in forms(&text) {
                match form {
                    Form::StreetNumber {
                        street,
                        number,
                        number_text,
                    } => self.street_number(&mut c, &street, number, &number_text),
                    Form::Intersection { a, b } => self.intersection(&mut c, &a, &b),
                    // A name is only a fallback when the text read as an address found nothing.
                    Form::Place(name) if c.out.len() == before => self.place(&mut c, &name),
                    Form::Place(_) => {}
                }
            }
        }
        let mut out = c.out;
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(opts.limit.max(1));
        out
    }

    fn street_number(&self, c: &mut Collector, street: &str, number: u32, number_text: &str) {
        for (id, m) in self.names.match_streets(street) {
            let name = self.names.street_name(id);
            let display = &self.names.display(id).to_owned();
            let mut found = false;
            for a in self.names.addresses(name, number_text, number) {
                c.push(
                    a.point,
                    MatchKind::AddressPoint,
                    m,
                    house_label(display, &a.number),
                    vec![describe(display, m), format!("address point {}", a.number)],
                    1.0,
                );
                found = true;
            }
            if found {
                continue;
            }
            for &row in self.names.street_rows(id) {
                let s = &self.base.streets[row as usize];
                for (side, range) in [(Side::Left, s.left), (Side::Right, s.right)] {
                    let Some(range) = range.filter(|r| r.holds(number)) else {
                        continue;
                    };
                    if let Some(at) = self.streets.point_at(
                        row as usize,
                        range.fraction(number),
                        side,
                        SIDE_OFFSET_M,
                    ) {
                        let side_word = if side == Side::Left { "left" } else { "right" };
                        let parity = if number % 2 == 1 { "odd" } else { "even" };
                        c.push(at, MatchKind::Interpolated, m, house_label(display, &number.to_string()), vec![describe(display, m), format!("number {number} interpolated on the {parity} ({side_word}) side, range {}–{}", range.from, range.to)], 1.0);
                        found = true;
                    }
                }
            }
            let first_row = self.names.street_rows(id).first().map(|&r| r as usize);
            if !found
                && let Some(at) =
                    first_row.and_then(|row| self.streets.point_at(row, 0.5, Side::On, 0.0))
            {
                c.push(
                    at,
                    MatchKind::Street,
                    m,
                    display.clone(),
                    vec![
                        describe(display, m),
                        format!("number {number} not found on this street"),
                    ],
                    0.8,
                );
            }
        }
    }

    fn intersection(&self, c: &mut Collector, a: &str, b: &str) {
        let (ma, mb) = (self.names.match_streets(a), self.names.match_streets(b));
        for &(ia, fa) in ma.iter().take(3) {
            for &(ib, fb) in mb.iter().take(3) {
                if ia == ib {
                    continue;
                }
                let m = fa.max(fb);
                let (na, nb) = (self.display_name(ia), self.display_name(ib));
                let label = if is_cjk(na) {
                    format!("{na}与{nb}交叉口")
                } else {
                    format!("{na} & {nb}")
                };
                let matched = vec![describe(na, fa), describe(nb, fb)];
                let (crossings, closest) = self.crossings(ia, ib);
                if crossings.is_empty()
                    && let Some((d, at)) = closest.filter(|(d, _)| *d <= NEAR_MISS_M)
                {
                    let mut matched = matched.clone();
                    matched.push(format!(
                        "the streets do not cross; they pass within {d:.0} m"
                    ));
                    c.push(at, MatchKind::Intersection, m, label.clone(), matched, 0.8);
                }
                for (k, at) in crossings.into_iter().enumerate() {
                    let label = if k == 0 {
                        label.clone()
                    } else {
                        format!("{label} ({})", k + 1)
                    };
                    c.push(at, MatchKind::Intersection, m, label, matched.clone(), 1.0);
                }
            }
        }
    }

    fn display_name(&self, id: u32) -> &str {
        self.names.display(id)
    }

    /// Where two streets (all rows of each name) cross, merged within 15 m; and, when they do
    /// not, their closest approach.
    fn crossings(&self, a: u32, b: u32) -> (Vec<Coord>, Option<(f64, Coord)>) {
        use geo::{LineIntersection, line_intersection::line_intersection};
        let lines = |id: u32| -> Vec<Line> {
            self.names
                .street_rows(id)
                .iter()
                .flat_map(|&r| self.streets.lines(r as usize))
                .collect()
        };
        let (la, lb) = (lines(a), lines(b));
        let mut points: Vec<Coord> = Vec::new();
        let mut closest: Option<(f64, Coord)> = None;
        for x in &la {
            for y in &lb {
                match line_intersection(*x, *y) {
                    Some(LineIntersection::SinglePoint { intersection, .. }) => {
                        if !points
                            .iter()
                            .any(|p| (p.x - intersection.x).hypot(p.y - intersection.y) < 15.0)
                        {
                            points.push(intersection);
                        }
                    }
                    Some(LineIntersection::Collinear { intersection }) => {
                        points.push(intersection.start);
                    }
                    None => {
                        for (p, line) in [(x.start, y), (x.end, y), (y.start, x), (y.end, x)] {
                            let d = point_segment(p, line);
                            if closest.is_none_or(|(cd, _)| d.0 < cd) {
                                closest = Some((
                                    d.0,
                                    Coord {
                                        x: f64::midpoint(p.x, d.1.x),
                                        y: f64::midpoint(p.y, d.1.y),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
        }
        (points, closest)
    }

    /// A point inside an area (in metres), to stand for it.
    fn inside_point(&self, area: &geo::MultiPolygon) -> Option<Coord> {
        geo::InteriorPoint::interior_point(&self.proj.project_geom(area)).map(|p| p.0)
    }

    fn place(&self, c: &mut Collector, name: &str) {
        if let Some(row) = self.names.grid_row(name) {
            let g = &self.base.grids[row];
            if let Some(at) = self.inside_point(&g.geometry) {
                c.push(
                    at,
                    MatchKind::Grid,
                    NameMatch::Exact,
                    format!("网格 {}", g.code),
                    vec![format!("grid code {}", g.code)],
                    1.0,
                );
            }
        }
        for (row, m) in self.names.match_shops(name, 10) {
            let shop = &self.base.shops[row as usize];
            c.push(
                self.shops.anchors[row as usize],
                MatchKind::Shop,
                m,
                shop.name.clone(),
                vec![format!("shop {} ({})", shop.name, shop.code)],
                1.0,
            );
        }
        for (row, m) in self.names.match_communities(name) {
            let community = &self.base.communities[row];
            if let Some(at) = self.inside_point(&community.geometry) {
                c.push(
                    at,
                    MatchKind::Community,
                    m,
                    community.name.clone(),
                    vec![format!("community {} ({})", community.name, community.code)],
                    1.0,
                );
            }
        }
        for (id, m) in self.names.match_streets(name).into_iter().take(5) {
            let Some(&row) = self.names.street_rows(id).first() else {
                continue;
            };
            let display = self.display_name(id).to_owned();
            if let Some(at) = self.streets.point_at(row as usize, 0.5, Side::On, 0.0) {
                c.push(
                    at,
                    MatchKind::Street,
                    m,
                    display.clone(),
                    vec![describe(&display, m)],
                    1.0,
                );
            }
        }
    }
}

/// Distance from a point to a segment, and the nearest point on it.
fn point_segment(p: Coord, l: &Line) -> (f64, Coord) {
    let d = l.end - l.start;
    let len2 = d.x * d.x + d.y * d.y;
    let t = if len2 > 0.0 {
        (((p - l.start).x * d.x + (p - l.start).y * d.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let foot = l.start + d * t;
    ((p.x - foot.x).hypot(p.y - foot.y), foot)
}
