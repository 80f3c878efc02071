//! The place a caller's words name: the order's address when the centre gave one, else the
//! clauses of the text, each through the forward geocoder — the text holds much more than the
//! address ("淮海西路12号楼下烧烤店油烟直排"), so every clause is tried and the most specific
//! good match wins.

use citygrid_core::api::{GeocodeCandidate, MatchKind};

use crate::atlas::{Atlas, GeocodeOptions};

/// A candidate under this score is no answer.
const GOOD_ENOUGH: f64 = 0.6;
/// The longest clause tried (characters).
const MAX_CLAUSE: usize = 40;
/// The most clauses tried.
const MAX_CLAUSES: usize = 12;

/// How specific a match is: an address point or a crossing over a street over a community.
fn specificity(kind: MatchKind) -> u8 {
    match kind {
        MatchKind::AddressPoint | MatchKind::Interpolated | MatchKind::Intersection => 3,
        MatchKind::Shop => 2,
        MatchKind::Street => 1,
        MatchKind::Community | MatchKind::Grid => 0,
    }
}

/// The clauses of a text: split at punctuation and spaces, cut to a length a geocoder reads.
fn clauses(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '，' | '。' | '！' | '？' | '；' | '、' | ',' | '.' | '!' | '?' | ';' | '：' | ':'
            )
    })
    .map(str::trim)
    .filter(|c| c.chars().count() >= 2)
    .map(|c| c.chars().take(MAX_CLAUSE).collect())
    .take(MAX_CLAUSES)
    .collect()
}

/// The best place the address or the words name, if any is good enough.
pub fn find(atlas: &Atlas, address: Option<&str>, text: &str) -> Option<GeocodeCandidate> {
    let mut tried: Vec<String> = address
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(MAX_CLAUSE * 2).collect())
        .into_iter()
        .collect();
    tried.extend(clauses(text));
    tried
        .iter()
        .filter_map(|q| {
            atlas
                .geocode(q, GeocodeOptions { limit: 1 })
                .into_iter()
                .next()
        })
        .filter(|c| c.score >= GOOD_ENOUGH)
        .max_by(|a, b| {
            specificity(a.kind)
                .cmp(&specificity(b.kind))
                .then(a.score.total_cmp(&b.score))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_is_found_inside_the_callers_words() {
        let atlas = crate::atlas::Atlas::build(crate::demo::generate(), chrono_tz::Asia::Shanghai);
        let street = atlas.base().streets[0].name.clone();
        let text = format!("{street}12号楼下烧烤店油烟直排，窗户都不能开，希望尽快处理");
        let found = find(&atlas, None, &text).expect("a place");
        assert!(found.label.contains(street.as_str()), "{found:?}");
        assert!(
            find(&atlas, None, "油烟太大了，窗户都不能开").is_none(),
            "no place named"
        );
    }
}
