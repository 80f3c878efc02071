//! Forward geocoding on the demo district.

use citygrid::atlas::{GeocodeOptions, LocateOptions};
use citygrid_core::api::{MatchKind, NameMatch, Side};

use crate::support::{at, demo_atlas, demo_base, metres};

fn first(text: &str) -> citygrid_core::api::GeocodeCandidate {
    let found = demo_atlas().geocode(text, GeocodeOptions::default());
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no candidate for {text}"))
}

#[test]
fn street_and_number_interpolate_on_the_right_side_and_round_trip() {
    for n in [1_u32, 2, 77, 151, 152, 298] {
        let c = first(&format!("人民路{n}号"));
        assert_eq!(
            (c.kind, c.name_match),
            (MatchKind::Interpolated, NameMatch::Exact),
            "{n}: {c:?}"
        );
        let back = demo_atlas()
            .locate(c.point, &LocateOptions::default())
            .street
            .unwrap();
        assert_eq!(&*back.name, "人民路");
        assert_eq!(
            back.side,
            if n % 2 == 1 { Side::Left } else { Side::Right },
            "{n}"
        );
        assert_eq!(back.house_number, Some(n), "{n}");
    }
}

#[test]
fn prefixes_full_width_digits_and_suffixes_do_not_break_a_match() {
    let plain = first("人民路151号");
    for text in [
        "安徽省淮北市相城区人民路151号",
        "淮北市东山街道人民路１５１号",
        "人民路151号门口",
        " 人民路 151 号 ",
    ] {
        let c = first(text);
        assert_eq!(c.kind, MatchKind::Interpolated, "{text}");
        assert!(metres(c.point, plain.point) < 0.01, "{text}: {c:?}");
    }
    let c = first("安徽省淮北市相城区人民路151号");
    assert!(
        c.matched.iter().any(|m| m.contains("安徽省淮北市相城区")),
        "{c:?}"
    );
}

#[test]
fn approximate_street_names_rank_lower_not_nothing() {
    let exact = first("人民路151号");
    let variant = first("人民中路151号");
    assert_eq!(variant.name_match, NameMatch::Variant);
    assert!(variant.score < exact.score);
    assert!(metres(variant.point, exact.point) < 0.01);
    // 淮海路 is split into 淮海西路 and 淮海东路: both come back.
    let both = demo_atlas().geocode("淮海路88号", GeocodeOptions { limit: 10 });
    let labels: Vec<&str> = both.iter().map(|c| c.label.as_str()).collect();
    assert!(
        labels.contains(&"淮海西路88号") && labels.contains(&"淮海东路88号"),
        "{labels:?}"
    );
    // A typo still finds the street, ranked as approximate.
    let typo = first("人明路151号");
    assert_eq!(
        (typo.kind, typo.name_match),
        (MatchKind::Interpolated, NameMatch::Fuzzy)
    );
}

#[test]
fn intersections_are_where_the_streets_cross() {
    let crossing = at(0.0, 450.0);
    for text in [
        "人民路与长山北路交叉口",
        "长山北路和人民路路口",
        "人民路/长山北路",
        "长山路与人民路交叉口",
    ] {
        let c = first(text);
        assert_eq!(c.kind, MatchKind::Intersection, "{text}");
        assert!(metres(c.point, crossing) < 0.5, "{text}: {c:?}");
    }
    assert_eq!(
        first("人民路与长山北路交叉口").label,
        "人民路与长山北路交叉口"
    );
}

#[test]
fn shops_communities_and_grid_codes() {
    let base = demo_base();
    let shop = base
        .shops
        .iter()
        .find(|s| s.name.starts_with('老'))
        .unwrap();
    let c = first(&format!("{}门口", shop.name));
    assert_eq!(
        (c.kind, c.label.as_str()),
        (MatchKind::Shop, shop.name.as_str())
    );
    let c = first("长山社区");
    assert_eq!(
        (c.kind, c.label.as_str()),
        (MatchKind::Community, "长山社区")
    );
    let grid = &base.grids[17];
    let c = first(grid.code.as_str());
    assert_eq!(c.kind, MatchKind::Grid);
    let back = demo_atlas().locate(c.point, &LocateOptions::default());
    assert_eq!(back.grid.unwrap().code, grid.code);
}

#[test]
fn unknown_text_gives_no_candidates() {
    for text in ["火星基地", "", "   ", "12345", "zzzz qqqq"] {
        assert!(
            demo_atlas()
                .geocode(text, GeocodeOptions::default())
                .is_empty(),
            "{text}"
        );
    }
}

#[test]
fn candidates_are_ranked_best_first_and_limited() {
    let found = demo_atlas().geocode("人民", GeocodeOptions { limit: 3 });
    assert!(found.len() <= 3);
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
}

/// Arbitrary text never panics: mixed scripts, digits, full-width forms, separators, suffixes.
#[test]
fn arbitrary_text_never_panics() {
    let pieces = [
        "人民",
        "路",
        "号",
        "與",
        "与",
        "和",
        "交叉口",
        "路口",
        "门口",
        "省",
        "市",
        "区",
        "街道",
        "镇",
        "１２３",
        "12",
        "0",
        "999999999999",
        "a",
        "B",
        " ",
        "　",
        ",",
        "，",
        "-",
        "#",
        "/",
        "&",
        " and ",
        "é",
        "🙂",
        "\u{0}",
        "ß",
        "İ",
        "号号",
        "社区",
        "网格",
        "340688001002",
        "mannerheimintie",
        "\u{FF10}",
        "\u{3000}",
    ];
    let atlas = demo_atlas();
    let mut seed = 0x1234_5678_u64;
    for _ in 0..5000 {
        let mut text = String::new();
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        for k in 0..(seed >> 60) {
            let i = ((seed >> (k * 5 % 59)) as usize) % pieces.len();
            text.push_str(pieces[i]);
        }
        let found = atlas.geocode(&text, GeocodeOptions { limit: 3 });
        assert!(found.len() <= 3, "{text}");
        assert!(
            found.iter().all(|c| (0.0..=1.0).contains(&c.score)),
            "{text}"
        );
    }
}
