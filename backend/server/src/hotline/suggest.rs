//! The case categories a caller's words suggest, ranked with a score.
//!
//! Two sources are combined. The catalogue's words for each category (its name and
//! `keywords`: 烧烤, 撸串 …) are found in the text, longer ones weighing more. And a multinomial
//! naive Bayes over the text's character 1-, 2- and 3-grams, trained on the bureau's past cases'
//! descriptions (and on the catalogue's words, so that it knows every category before any
//! case): Chinese complaints are unsegmented, and character n-grams catch 烟味 in 油烟味很大
//! without a word list. The scores are the softmax of the summed evidence, so they add to 1
//! over the catalogue. Trained once and then read-only: a suggestion is a few hash lookups per
//! n-gram of the text.

use std::collections::HashMap;

use citygrid_core::category::Catalogue;

/// A category and how strongly the text points to it (0–1, summing to 1 over all).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub category: String,
    pub score: f64,
}

/// The longest text looked at (characters); the rest of a long order adds little.
const MAX_CHARS: usize = 2000;
/// Evidence of one catalogue word found in the text, per character of the word.
const KEYWORD_WEIGHT: f64 = 1.6;
/// How many times a catalogue word counts as a training example.
const KEYWORD_EXAMPLES: u32 = 3;
/// How many n-grams' worth of mean naive Bayes evidence a text carries.
const NB_WEIGHT: f64 = 1.0;
/// Laplace smoothing of the n-gram counts.
const ALPHA: f64 = 0.1;

/// A trained suggester.
#[derive(Debug, Clone)]
pub struct Suggester {
    categories: Vec<String>,
    /// Each category's words, normalised.
    keywords: Vec<Vec<String>>,
    /// log P(category), flattened toward uniform.
    prior: Vec<f64>,
    /// log P(n-gram | category) for n-grams seen in training.
    likelihood: HashMap<String, Vec<f32>>,
    /// How many examples it was trained on (past cases, not counting the catalogue's words).
    pub trained_on: usize,
}

/// The text as it is compared: full-width forms and case folded, only letters and digits kept
/// (punctuation and spaces split runs).
fn runs(text: &str) -> Vec<Vec<char>> {
    let normal = citygrid_core::text::normalise(text);
    let mut out = Vec::new();
    let mut run = Vec::new();
    for c in normal.chars().take(MAX_CHARS) {
        if c.is_alphanumeric() {
            run.push(c);
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The character 1-, 2- and 3-grams of a text.
fn grams(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs(text) {
        for n in 1..=3 {
            for w in run.windows(n) {
                out.push(w.iter().collect());
            }
        }
    }
    out
}

impl Suggester {
    /// Trains on past cases (`(category, description)`); categories not in the catalogue are
    /// left out.
    pub fn train<'a>(
        catalogue: &Catalogue,
        cases: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let categories: Vec<String> = catalogue
            .categories
            .iter()
            .map(|c| c.code.0.clone())
            .collect();
        let index: HashMap<&str, usize> = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let keywords: Vec<Vec<String>> = catalogue
            .categories
            .iter()
            .map(|c| {
                std::iter::once(&c.name_zh)
                    .chain(&c.keywords)
                    .map(|k| citygrid_core::text::normalise(k))
                    .filter(|k| !k.is_empty())
                    .collect()
            })
            .collect();
        let n = categories.len();
        let mut counts: HashMap<String, Vec<u32>> = HashMap::new();
        let mut totals = vec![0_u64; n];
        let mut docs = vec![0_u64; n];
        let mut add = |i: usize, text: &str, times: u32| {
            for g in grams(text) {
                counts.entry(g).or_insert_with(|| vec![0; n])[i] += times;
                totals[i] += u64::from(times);
            }
        };
        let mut trained_on = 0;
        for (category, text) in cases {
            if let Some(&i) = index.get(category) {
                add(i, text, 1);
                docs[i] += 1;
                trained_on += 1;
            }
        }
        // The catalogue's words keep their weight however many cases a category has.
        for (i, words) in keywords.iter().enumerate() {
            let times = KEYWORD_EXAMPLES.max(u32::try_from(docs[i] / 20).unwrap_or(u32::MAX));
            for k in words {
                add(i, k, times);
            }
        }
        let vocabulary = counts.len().max(1) as f64;
        let denominator: Vec<f64> = totals
            .iter()
            .map(|t| *t as f64 + ALPHA * vocabulary)
            .collect();
        let likelihood = counts
            .into_iter()
            .map(|(g, c)| {
                let logs = c
                    .iter()
                    .zip(&denominator)
                    .map(|(k, d)| ((f64::from(*k) + ALPHA) / d).ln() as f32)
                    .collect();
                (g, logs)
            })
            .collect();
        // Frequent categories are favoured, but only by the square root of their frequency:
        // the bureau's most common complaint must not drown a clear word for a rare one.
        let all = docs.iter().sum::<u64>() as f64 + n as f64;
        let prior = docs
            .iter()
            .map(|d| 0.5 * ((*d as f64 + 1.0) / all).ln())
            .collect();
        Self {
            categories,
            keywords,
            prior,
            likelihood,
            trained_on,
        }
    }

    /// The categories the text suggests, best first, at most `k`; none for a text with no
    /// letters or digits.
    pub fn suggest(&self, text: &str, k: usize) -> Vec<Suggestion> {
        let grams = grams(text);
        if grams.is_empty() || self.categories.is_empty() {
            return Vec::new();
        }
        let normal = citygrid_core::text::normalise(text);
        let mut evidence = self.prior.clone();
        // N-grams never seen in training say nothing about any category and are left out (as
        // multinomial naive Bayes does with unknown words); counting them would favour the
        // categories with the least training text.
        let mut known = 0_usize;
        for g in &grams {
            if let Some(logs) = self.likelihood.get(g) {
                known += 1;
                for (e, l) in evidence.iter_mut().zip(logs) {
                    *e += f64::from(*l);
                }
            }
        }
        // Naive Bayes is overconfident: its evidence is taken as the mean over the text's known
        // n-grams, times a few n-grams' worth, before the catalogue's words are added.
        let scale = NB_WEIGHT / (known as f64).max(1.0);
        for (e, words) in evidence.iter_mut().zip(&self.keywords) {
            *e *= scale;
            for w in words {
                if normal.contains(w.as_str()) {
                    *e += KEYWORD_WEIGHT * w.chars().count() as f64;
                }
            }
        }
        let top = evidence.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = evidence.iter().map(|e| (e - top).exp()).collect();
        let sum: f64 = weights.iter().sum();
        let mut ranked: Vec<Suggestion> = self
            .categories
            .iter()
            .zip(weights)
            .map(|(c, w)| Suggestion {
                category: c.clone(),
                score: w / sum,
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.category.cmp(&b.category))
        });
        ranked.truncate(k);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::from_json(crate::cases::rules::BUILTIN_CATEGORIES).unwrap()
    }

    #[test]
    fn the_catalogues_words_alone_suggest_the_category() {
        let s = Suggester::train(&catalogue(), std::iter::empty());
        let best = |text: &str| s.suggest(text, 1)[0].category.clone();
        assert_eq!(best("楼下烧烤店油烟直排，窗户都不能开"), "0106");
        assert_eq!(best("晚上有人在小区门口露天烤串到凌晨"), "0107");
        assert_eq!(best("人行道上的井盖没了，很危险"), "0402");
        let all = s.suggest("楼下烧烤店油烟直排", 100);
        assert!((all.iter().map(|x| x.score).sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(s.suggest("，。！ ", 3).is_empty(), "nothing to go on");
    }

    #[test]
    fn past_cases_teach_words_the_catalogue_lacks() {
        let cat = catalogue();
        let before = Suggester::train(&cat, std::iter::empty());
        let text = "小区东门有人卖水果占了半条路";
        let past = [
            ("0501", "东门卖水果的三轮车"),
            ("0501", "卖水果的占路"),
            ("0501", "水果摊又来了"),
        ];
        let after = Suggester::train(&cat, past.iter().copied());
        assert_eq!(after.trained_on, 3);
        let rank = |s: &Suggester| {
            s.suggest(text, 24)
                .iter()
                .position(|x| x.category == "0501")
        };
        assert!(
            rank(&after) < rank(&before) || rank(&after) == Some(0),
            "{:?} → {:?}",
            rank(&before),
            rank(&after)
        );
        assert_eq!(after.suggest(text, 1)[0].category, "0501");
    }
}
