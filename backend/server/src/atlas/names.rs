//! Name lookups for geocoding: streets (exact, variant, partial, fuzzy), address points, shops,
//! communities and grid codes.

use std::collections::HashMap;

use citygrid_core::api::NameMatch;
use citygrid_core::features::BaseLayers;
use citygrid_core::ids::CommunityCode;
use citygrid_core::text::{house_number, normalise};
use geo::Coord;

use crate::projection::LocalProjection;

/// Direction and section words that a street name may carry before its type word.
const SECTION_CHARS: [char; 5] = ['东', '西', '南', '北', '中'];
const STREET_TYPES: [&str; 7] = ["大道", "大街", "路", "街", "巷", "道", "里"];

/// A street name without its direction or section word: 人民中路 → 人民路, 淮海西路 → 淮海路;
/// Western abbreviations spelled out: "main st" → "main street".
pub fn street_base(name: &str) -> String {
    for t in STREET_TYPES {
        if let Some(stem) = name.strip_suffix(t) {
            let mut chars: Vec<char> = stem.chars().collect();
            if chars.len() >= 3 && chars.last().is_some_and(|c| SECTION_CHARS.contains(c)) {
                chars.pop();
                return chars.into_iter().collect::<String>() + t;
            }
            return name.to_owned();
        }
    }
    let mut words: Vec<&str> = name.split(' ').collect();
    if let Some(last) = words.last_mut() {
        *last = match *last {
            "st" | "st." => "street",
            "rd" | "rd." => "road",
            "ave" | "av" | "ave." => "avenue",
            "blvd" => "boulevard",
            other => other,
        };
    }
    words.join(" ")
}

/// Levenshtein distance over characters, giving up above `max`.
fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

/// All address points with one street and number: where the address is.
#[derive(Debug, Clone)]
pub struct AddressGroup {
    /// The number as written.
    pub number: String,
    /// Where most of the group's points are (in metres): see [`representative`].
    pub point: Coord,
}

/// Points of one address closer than this agree on where it is.
const AGREE_M: f64 = 25.0;

/// Where an address recorded at several points is: of the points, their centroid and the
/// midpoints of pairs, the one with the most recorded points within [`AGREE_M`], ties broken by
/// the smallest sum of distances. A large building often carries its address on the building,
/// on entrances and on the shops inside; this finds the place most of them agree on instead of
/// an average pulled off by one far entry, and splits the difference between two.
fn representative(points: &[Coord]) -> Coord {
    let d = |p: &Coord, q: &Coord| (p.x - q.x).hypot(p.y - q.y);
    let n = points.len() as f64;
    let mut candidates: Vec<Coord> = points.to_vec();
    candidates.push(Coord {
        x: points.iter().map(|p| p.x).sum::<f64>() / n,
        y: points.iter().map(|p| p.y).sum::<f64>() / n,
    });
    if points.len() <= 20 {
        for (i, p) in points.iter().enumerate() {
            for q in &points[i + 1..] {
                candidates.push(Coord {
                    x: f64::midpoint(p.x, q.x),
                    y: f64::midpoint(p.y, q.y),
                });
            }
        }
    }
    let agreeing = |c: &Coord| points.iter().filter(|q| d(c, q) <= AGREE_M).count();
    let spread = |c: &Coord| points.iter().map(|q| d(c, q)).sum::<f64>();
    candidates
        .into_iter()
        .min_by(|a, b| {
            agreeing(b)
                .cmp(&agreeing(a))
                .then(spread(a).total_cmp(&spread(b)))
        })
        .unwrap_or(Coord { x: 0.0, y: 0.0 })
}

/// A house number as a lookup key: normalised, without spaces ("12 B" and "12b" are one).
fn number_key(number: &str) -> String {
    normalise(number).replace(' ', "")
}

#[derive(Debug, Default)]
pub struct NameIndex {
    /// Distinct normalised street names (of streets and of address points), how each is
    /// written, and the street rows of each (none for a name only address points use).
    street_names: Vec<String>,
    street_display: Vec<String>,
    street_rows: Vec<Vec<u32>>,
    street_lookup: HashMap<String, u32>,
    base_lookup: HashMap<String, Vec<u32>>,
    street_chars: Vec<Vec<char>>,
    /// Address points grouped by (street name, number text); also by the number's integer.
    address_groups: Vec<AddressGroup>,
    groups_by_text: HashMap<(String, String), u32>,
    groups_by_int: HashMap<(String, u32), Vec<u32>>,
    shop_names: Vec<String>,
    shop_lookup: HashMap<String, Vec<u32>>,
    community_names: Vec<String>,
    community_codes: HashMap<CommunityCode, usize>,
    grid_codes: HashMap<String, usize>,
}

impl NameIndex {
    pub fn new(base: &BaseLayers, proj: &LocalProjection) -> Self {
        let mut ix = NameIndex::default();
        for (row, street) in base.streets.iter().enumerate() {
            let id = ix.street_id(&street.name);
            ix.street_rows[id as usize].push(row as u32);
        }
        let mut groups: HashMap<(String, String), (String, Vec<Coord>)> = HashMap::new();
        for a in &base.addresses {
            ix.street_id(&a.street);
            let entry = groups
                .entry((normalise(&a.street), number_key(&a.number)))
                .or_insert_with(|| (a.number.clone(), Vec::new()));
            entry.1.push(proj.project(a.geometry.into()));
        }
        let mut keys: Vec<_> = groups.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for ((street, number), (written, points)) in keys {
            let g = ix.address_groups.len() as u32;
            ix.address_groups.push(AddressGroup {
                number: written,
                point: representative(&points),
            });
            if let Some(n) = house_number(&number) {
                ix.groups_by_int
                    .entry((street.clone(), n))
                    .or_default()
                    .push(g);
            }
            ix.groups_by_text.insert((street, number), g);
        }
        for (id, name) in ix.street_names.iter().enumerate() {
            ix.base_lookup
                .entry(street_base(name))
                .or_default()
                .push(id as u32);
        }
        for (row, shop) in base.shops.iter().enumerate() {
            let name = normalise(&shop.name);
            ix.shop_lookup
                .entry(name.clone())
                .or_default()
                .push(row as u32);
            ix.shop_names.push(name);
        }
        for (row, c) in base.communities.iter().enumerate() {
            ix.community_names.push(normalise(&c.name));
            ix.community_codes.entry(c.code.clone()).or_insert(row);
        }
        for (row, g) in base.grids.iter().enumerate() {
            ix.grid_codes.insert(normalise(g.code.as_str()), row);
        }
        ix
    }

    /// The id of a street name, added if new.
    fn street_id(&mut self, written: &str) -> u32 {
        let name = normalise(written);
        if let Some(&id) = self.street_lookup.get(&name) {
            return id;
        }
        let id = self.street_names.len() as u32;
        self.street_chars.push(name.chars().collect());
        self.street_names.push(name.clone());
        self.street_display.push(written.to_owned());
        self.street_rows.push(Vec::new());
        self.street_lookup.insert(name, id);
        id
    }

    /// How a street name is written (as first seen).
    pub fn display(&self, id: u32) -> &str {
        &self.street_display[id as usize]
    }

    pub fn community_row(&self, code: &CommunityCode) -> Option<usize> {
        self.community_codes.get(code).copied()
    }

    pub fn grid_row(&self, code: &str) -> Option<usize> {
        self.grid_codes.get(code).copied()
    }

    pub fn street_name(&self, id: u32) -> &str {
        &self.street_names[id as usize]
    }

    pub fn street_rows(&self, id: u32) -> &[u32] {
        &self.street_rows[id as usize]
    }

    /// Street names matching `query`, best first: exact, then variants, else partial, else fuzzy.
    pub fn match_streets(&self, query: &str) -> Vec<(u32, NameMatch)> {
        let mut out = Vec::new();
        if let Some(&id) = self.street_lookup.get(query) {
            out.push((id, NameMatch::Exact));
        }
        if let Some(ids) = self.base_lookup.get(&street_base(query)) {
            out.extend(
                ids.iter()
                    .filter(|&&id| self.street_names[id as usize] != query)
                    .map(|&id| (id, NameMatch::Variant)),
            );
        }
        if !out.is_empty() || query.chars().count() < 2 {
            return out;
        }
        for (id, name) in self.street_names.iter().enumerate() {
            if name.contains(query) || (query.contains(name.as_str()) && name.chars().count() >= 2)
            {
                out.push((id as u32, NameMatch::Partial));
                if out.len() >= 10 {
                    return out;
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
        let q: Vec<char> = query.chars().collect();
        let max = if q.len() >= 8 { 2 } else { 1 };
        if q.len() < 3 {
            return out;
        }
        let mut fuzzy: Vec<(usize, u32)> = self
            .street_chars
            .iter()
            .enumerate()
            .filter_map(|(id, chars)| edit_distance(&q, chars, max).map(|d| (d, id as u32)))
            .collect();
        fuzzy.sort_unstable();
        out.extend(
            fuzzy
                .into_iter()
                .take(10)
                .map(|(_, id)| (id, NameMatch::Fuzzy)),
        );
        out
    }

    /// Addresses with this street name and number: the exact text, else every number written
    /// with the same leading integer ("13 a", "13 b" for 13).
    pub fn addresses(&self, street: &str, number_text: &str, number: u32) -> Vec<&AddressGroup> {
        if let Some(&g) = self
            .groups_by_text
            .get(&(street.to_owned(), number_key(number_text)))
        {
            return vec![&self.address_groups[g as usize]];
        }
        self.groups_by_int
            .get(&(street.to_owned(), number))
            .map(|gs| {
                gs.iter()
                    .map(|&g| &self.address_groups[g as usize])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Shops by name: exact matches, else names containing the query (or contained in it).
    pub fn match_shops(&self, query: &str, limit: usize) -> Vec<(u32, NameMatch)> {
        if let Some(rows) = self.shop_lookup.get(query) {
            return rows
                .iter()
                .take(limit)
                .map(|&r| (r, NameMatch::Exact))
                .collect();
        }
        if query.chars().count() < 2 {
            return Vec::new();
        }
        self.shop_names
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                n.contains(query) || (n.chars().count() >= 2 && query.contains(n.as_str()))
            })
            .take(limit)
            .map(|(i, _)| (i as u32, NameMatch::Partial))
            .collect()
    }

    /// Communities by name, with or without the word 社区.
    pub fn match_communities(&self, query: &str) -> Vec<(usize, NameMatch)> {
        let bare = |s: &str| s.strip_suffix("社区").unwrap_or(s).to_owned();
        let q = bare(query);
        if q.chars().count() < 2 {
            return Vec::new();
        }
        self.community_names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                if *n == query || bare(n) == q {
                    Some((i, NameMatch::Exact))
                } else if n.contains(&q) {
                    Some((i, NameMatch::Partial))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Bytes held by the name tables (an estimate).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self
            .street_names
            .iter()
            .chain(&self.shop_names)
            .chain(&self.community_names)
            .map(|s| s.len() + 24)
            .sum();
        strings * 2
            + self
                .street_chars
                .iter()
                .map(|c| c.len() * 4 + 24)
                .sum::<usize>()
            + self.address_groups.len() * 120
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_bases() {
        for (name, base) in [
            ("人民中路", "人民路"),
            ("淮海西路", "淮海路"),
            ("人民路", "人民路"),
            ("中路", "中路"),
            ("main st", "main street"),
            ("mannerheimintie", "mannerheimintie"),
        ] {
            assert_eq!(street_base(name), base, "{name}");
        }
    }

    #[test]
    fn edit_distances() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            edit_distance(&c("mannerheimintie"), &c("mannerheimintie"), 1),
            Some(0)
        );
        assert_eq!(
            edit_distance(&c("manerheimintie"), &c("mannerheimintie"), 1),
            Some(1)
        );
        assert_eq!(edit_distance(&c("abc"), &c("xyz"), 1), None);
    }
}
