//! `citygrid-bench suggest`: category suggestion from a caller's words — its accuracy on the
//! hand-written complaints of `tests/hotline/complaints.json` (never trained on) and on a
//! held-out fifth of the demo year's cases, and the time of one suggestion against the
//! simplest baseline, a scan of the catalogue's words, in the same run.

use std::time::Instant;

use citygrid::hotline::suggest::Suggester;
use citygrid_core::category::Catalogue;

use crate::table::Row;

const HAND_WRITTEN: &str = include_str!("../../tests/hotline/complaints.json");

/// A hand-written complaint and its category.
struct Labelled {
    category: String,
    text: String,
}

/// The hand-written set, read from its JSON.
fn hand_written() -> anyhow::Result<Vec<Labelled>> {
    let v: serde_json::Value = serde_json::from_str(HAND_WRITTEN)?;
    v["texts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            Ok(Labelled {
                category: t["category"]
                    .as_str()
                    .ok_or_else(|| anyhow::anyhow!("a text without a category"))?
                    .to_owned(),
                text: t["text"]
                    .as_str()
                    .ok_or_else(|| anyhow::anyhow!("a category without a text"))?
                    .to_owned(),
            })
        })
        .collect()
}

/// (top-1, top-3) of a suggester over labelled texts.
fn accuracy<'a>(
    s: &Suggester,
    texts: impl Iterator<Item = (&'a str, &'a str)>,
) -> (f64, f64, usize) {
    let (mut first, mut three, mut n) = (0_usize, 0_usize, 0_usize);
    for (category, text) in texts {
        let ranked = s.suggest(text, 3);
        first += usize::from(ranked.first().is_some_and(|x| x.category == category));
        three += usize::from(ranked.iter().any(|x| x.category == category));
        n += 1;
    }
    let share = |k: usize| k as f64 / n.max(1) as f64;
    (share(first), share(three), n)
}

/// The baseline: the first category whose name or keyword the text contains.
fn keyword_scan<'a>(catalogue: &'a Catalogue, text: &str) -> Option<&'a str> {
    catalogue
        .categories
        .iter()
        .find(|c| {
            std::iter::once(&c.name_zh)
                .chain(&c.keywords)
                .any(|k| text.contains(k.as_str()))
        })
        .map(|c| c.code.0.as_str())
}

pub fn run() -> anyhow::Result<Vec<Row>> {
    let catalogue = Catalogue::from_json(citygrid::cases::rules::BUILTIN_CATEGORIES)?;
    let texts = hand_written()?;
    let hand = || texts.iter().map(|l| (l.category.as_str(), l.text.as_str()));
    let rules = citygrid::cases::CaseRules::load(None, None)?;
    let base = citygrid::demo::generate();
    let atlas = citygrid::atlas::Atlas::build(base.clone(), chrono_tz::Asia::Shanghai);
    let year = citygrid::demo::history::history(&base, &atlas, &rules);
    let examples: Vec<(String, String)> = year
        .iter()
        .map(|(c, _)| (c.category.0.clone(), c.description.clone()))
        .collect();
    let (train, held): (Vec<_>, Vec<_>) =
        examples.iter().enumerate().partition(|(i, _)| i % 5 != 0);
    let pairs = |v: &[(usize, &(String, String))]| -> Vec<(String, String)> {
        v.iter().map(|(_, p)| (*p).clone()).collect()
    };
    let (train, held) = (pairs(&train), pairs(&held));

    let words_only = Suggester::train(&catalogue, std::iter::empty());
    let t = Instant::now();
    let trained = Suggester::train(
        &catalogue,
        train.iter().map(|(c, d)| (c.as_str(), d.as_str())),
    );
    let training = t.elapsed();
    let (w1, w3, n) = accuracy(&words_only, hand());
    let (t1, t3, _) = accuracy(&trained, hand());
    let (h1, h3, hn) = accuracy(&trained, held.iter().map(|(c, d)| (c.as_str(), d.as_str())));
    // The demo's hotline callers' words (its work orders' texts), twenty per category.
    let mut rng = citygrid::rng::Rng::new(7);
    let callers: Vec<(String, String)> = citygrid::demo::complaints::categories()
        .flat_map(|c| std::iter::repeat_n(c, 20))
        .map(|c| {
            let place =
                citygrid::demo::complaints::place(&mut rng, Some("人民路"), Some("老王烧烤"), 12);
            (
                c.to_owned(),
                citygrid::demo::complaints::complaint(&mut rng, c, &place),
            )
        })
        .collect();
    let (o1, o3, on) = accuracy(
        &trained,
        callers.iter().map(|(c, d)| (c.as_str(), d.as_str())),
    );
    // As a bureau's desk would train it: the cases and the words of the orders it settled.
    let mut rng = citygrid::rng::Rng::new(11);
    let settled: Vec<(String, String)> = citygrid::demo::complaints::categories()
        .flat_map(|c| std::iter::repeat_n(c, 40))
        .map(|c| {
            let place =
                citygrid::demo::complaints::place(&mut rng, Some("淮海路"), Some("小李水果店"), 3);
            (
                c.to_owned(),
                citygrid::demo::complaints::complaint(&mut rng, c, &place),
            )
        })
        .collect();
    let with_orders = Suggester::train(
        &catalogue,
        train
            .iter()
            .chain(&settled)
            .map(|(c, d)| (c.as_str(), d.as_str())),
    );
    let (s1, s3, _) = accuracy(&with_orders, hand());
    let scan_right = texts
        .iter()
        .filter(|l| keyword_scan(&catalogue, &l.text) == Some(l.category.as_str()))
        .count();

    // Speed: every hand-written text, many times over.
    let rounds = 200;
    let t = Instant::now();
    let mut kept = 0_usize;
    for _ in 0..rounds {
        for l in &texts {
            kept += trained.suggest(&l.text, 3).len();
        }
    }
    let ours = t.elapsed().as_secs_f64() / (rounds * texts.len()) as f64;
    let t = Instant::now();
    for _ in 0..rounds {
        for l in &texts {
            kept += usize::from(keyword_scan(&catalogue, &l.text).is_some());
        }
    }
    let scan = t.elapsed().as_secs_f64() / (rounds * texts.len()) as f64;
    std::hint::black_box(kept);
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    Ok(vec![
        Row {
            district: "demo",
            what: format!("hand-written complaints ({n}), catalogue's words only: top-1 / top-3"),
            value: format!("{} / {}", pct(w1), pct(w3)),
            versus: format!("first keyword found: {}", pct(scan_right as f64 / n as f64)),
        },
        Row {
            district: "demo",
            what: format!("the same, trained on {} demo cases", train.len()),
            value: format!("{} / {}", pct(t1), pct(t3)),
            versus: "targets: top-1 ≥ 75 %, top-3 ≥ 90 %".into(),
        },
        Row {
            district: "demo",
            what: format!("held-out demo cases ({hn}): top-1 / top-3"),
            value: format!("{} / {}", pct(h1), pct(h3)),
            versus: "(the demo's descriptions name their category)".into(),
        },
        Row {
            district: "demo",
            what: format!(
                "hand-written complaints, trained on the cases and {} settled orders' words",
                settled.len()
            ),
            value: format!("{} / {}", pct(s1), pct(s3)),
            versus: "as the desk trains it".into(),
        },
        Row {
            district: "demo",
            what: format!(
                "the demo's callers' words ({on}, as its work orders say them): top-1 / top-3"
            ),
            value: format!("{} / {}", pct(o1), pct(o3)),
            versus: "(phrasings never trained on)".into(),
        },
        Row {
            district: "demo",
            what: "training".into(),
            value: format!("{:.0} ms", training.as_secs_f64() * 1000.0),
            versus: String::new(),
        },
        Row {
            district: "demo",
            what: "one suggestion (top 3)".into(),
            value: format!("{:.1} µs", ours * 1e6),
            versus: format!(
                "keyword scan {:.1} µs ({:.1}×); target < 1 ms",
                scan * 1e6,
                ours / scan.max(1e-12)
            ),
        },
    ])
}
