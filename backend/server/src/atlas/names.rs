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

#[derive(Debug, Default)]
pub struct NameIndex {
    /// Distinct normalised street names, and the street rows of each.
    street_names: Vec<String>,
    street_rows: Vec<Vec<u32>>,
    street_lookup: HashMap<String, u32>,
    base_lookup: HashMap<String, Vec<u32>>,
    street_chars: Vec<Vec<char>>,
    /// (street name, number text) → address rows; also by the number's leading integer.
    addresses: HashMap<(String, String), Vec<u32>>,
    addresses_by_int: HashMap<(String, u32), Vec<u32>>,
    /// Projected address points.
    pub address_points: Vec<Coord>,
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
            let name = normalise(&street.name);
            let id = *ix.street_lookup.entry(name.clone()).or_insert_with(|| {
                ix.street_names.push(name.clone());
                ix.street_rows.push(Vec::new());
                ix.street_chars.push(name.chars().collect());
                (ix.street_names.len() - 1) as u32
            });
            ix.street_rows[id as usize].push(row as u32);
        }
        for (id, name) in ix.street_names.iter().enumerate() {
            ix.base_lookup
                .entry(street_base(name))
                .or_default()
                .push(id as u32);
        }
        for (row, a) in base.addresses.iter().enumerate() {
            let street = normalise(&a.street);
            ix.addresses
                .entry((street.clone(), normalise(&a.number)))
                .or_default()
                .push(row as u32);
            if let Some(n) = house_number(&a.number) {
                ix.addresses_by_int
                    .entry((street, n))
                    .or_default()
                    .push(row as u32);
            }
            ix.address_points.push(proj.project(a.geometry.into()));
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

    /// Address points with this street name and number: the exact text first, else any point
    /// whose number starts with the same integer.
    pub fn address_rows(&self, street: &str, number_text: &str, number: u32) -> &[u32] {
        if let Some(rows) = self
            .addresses
            .get(&(street.to_owned(), number_text.to_owned()))
        {
            return rows;
        }
        self.addresses_by_int
            .get(&(street.to_owned(), number))
            .map_or(&[], Vec::as_slice)
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
            + self.addresses.len() * 80
            + self.address_points.len() * 16
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
