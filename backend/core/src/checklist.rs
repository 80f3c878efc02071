//! Checklist templates and the scoring of an assessment against one (FIELDWORK §2–3): items
//! with a group, the most points each can lose and how it deducts (a fixed number, a range the
//! assessor chooses within, or so much per occurrence up to a cap), an optional measured value,
//! a major-violation flag; a scale (100 or 1,000) and rating bands. A template is versioned, and
//! an assessment is scored by the version it was made with, so a later edit never changes a
//! past score.

use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::contract_rule::NamedRule;
use crate::ids::{CommunityCode, GridCode};

/// What an assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// 日常考核: one assessor, a few items.
    Daily,
    /// 综合考核: the whole list, several assessors, averaged.
    Comprehensive,
    /// 以克论净: dust swept from sample squares and weighed.
    DustSampling,
    /// 门责制: a shop's door front.
    DoorFront,
}

impl AssessmentKind {
    pub const ALL: [AssessmentKind; 4] = [
        AssessmentKind::Daily,
        AssessmentKind::Comprehensive,
        AssessmentKind::DustSampling,
        AssessmentKind::DoorFront,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::Daily => "daily",
            AssessmentKind::Comprehensive => "comprehensive",
            AssessmentKind::DustSampling => "dust_sampling",
            AssessmentKind::DoorFront => "door_front",
        }
    }

    /// Whether it assesses a shop (the door-front kind) rather than a contract section.
    pub fn of_shops(self) -> bool {
        self == AssessmentKind::DoorFront
    }
}

impl std::str::FromStr for AssessmentKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssessmentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("unknown assessment kind {s:?}; expected daily, comprehensive, dust_sampling or door_front")
            })
    }
}

/// How an item loses points when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Deduct {
    /// Always this many points.
    Fixed { points: f64 },
    /// As many points as the assessor chooses between `min` and `max`.
    Range { min: f64, max: f64 },
    /// `points` for each occurrence counted, at most `cap`.
    PerOccurrence { points: f64, cap: f64 },
}

/// What an item measures, where it measures something.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Measure {
    /// Found or not (1 or 0).
    YesNo,
    /// How many (the occurrences of a per-occurrence item).
    Count,
    /// Dust by weight: the mean of the samples, failing above `threshold` g/m².
    GramsPerSquareMetre { threshold: f64 },
}

/// One line of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChecklistItem {
    pub code: String,
    pub group: String,
    pub text_zh: String,
    pub text_en: String,
    /// The most points the item can lose in one assessment.
    pub max_points: f64,
    pub deduct: Deduct,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// A failing assessment whatever the total (重大问题).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub major: bool,
}

/// A rating: the lowest score that earns it, its names and colour on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RatingBand {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub min_score: f64,
    pub colour: String,
}

/// Dust by weight: how many squares at least, and the threshold in g/m².
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DustRule {
    pub min_samples: u32,
    pub threshold: f64,
}

/// A versioned checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Checklist {
    pub code: String,
    pub version: u32,
    pub name_zh: String,
    pub name_en: String,
    pub kind: AssessmentKind,
    /// 100 or 1,000.
    pub scale: f64,
    pub items: Vec<ChecklistItem>,
    /// From the best down.
    pub bands: Vec<RatingBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dust: Option<DustRule>,
}

/// What an assessor records against one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    pub item: String,
    /// The points chosen for a range item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// How many times, for a per-occurrence item (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<u32>,
    /// The measured value, for an item that measures one (a count, grams per m²).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where it was seen (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<LonLat>,
    /// Photos, by the hash the photo upload answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    /// The grid cell of `point`, as the atlas finds it (set by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridCode>,
    /// The community of `point` (set by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<CommunityCode>,
}

/// One square of dust swept and weighed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Sample {
    /// Square metres swept.
    pub area_m2: f64,
    pub grams: f64,
    /// Where the square was swept (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<LonLat>,
}

/// An assessment's result: its score, rating and what made them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Score {
    pub score: f64,
    /// The band's code (`excellent` …).
    pub rating: String,
    /// Points lost per finding, in the findings' order, then by the dust item when it failed.
    pub deducted: Vec<f64>,
    /// Items that failed: every finding, and the dust item when the mean is over the threshold.
    pub failed_items: Vec<String>,
    /// A major violation was found: the assessment fails whatever its total.
    pub major: bool,
    /// The mean dust in g/m², for a dust sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dust_g_per_m2: Option<f64>,
}

/// Why an assessment cannot be scored as recorded; the field is named as the API names it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("findings[{index}].item: {item:?} is not an item of checklist {checklist}")]
    UnknownItem {
        index: usize,
        item: String,
        checklist: String,
    },
    #[error("findings[{index}].points: {item} takes {min}–{max} points, got {got}")]
    PointsOutOfRange {
        index: usize,
        item: String,
        min: f64,
        max: f64,
        got: f64,
    },
    #[error("findings[{index}].points: {item} needs the points chosen ({min}–{max})")]
    PointsMissing {
        index: usize,
        item: String,
        min: f64,
        max: f64,
    },
    #[error("findings[{index}].item: {item} is recorded twice")]
    Repeated { index: usize, item: String },
    #[error("samples: a dust sampling needs at least {min} squares, got {got}")]
    TooFewSamples { min: u32, got: usize },
    #[error("samples[{index}]: the area and the grams must be positive numbers (area ≤ 100 m²)")]
    BadSample { index: usize },
}

impl ScoreError {
    /// The field the problem is in, by its path in the body.
    pub fn field(&self) -> String {
        match self {
            ScoreError::UnknownItem { index, .. } | ScoreError::Repeated { index, .. } => {
                format!("findings[{index}].item")
            }
            ScoreError::PointsOutOfRange { index, .. }
            | ScoreError::PointsMissing { index, .. } => {
                format!("findings[{index}].points")
            }
            ScoreError::TooFewSamples { .. } => "samples".to_owned(),
            ScoreError::BadSample { index } => format!("samples[{index}]"),
        }
    }
}

impl Checklist {
    pub fn item(&self, code: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.code == code)
    }

    /// The band a score earns (the last, lowest band when none is reached).
    pub fn rating(&self, score: f64) -> &str {
        self.bands
            .iter()
            .find(|b| score >= b.min_score)
            .or(self.bands.last())
            .map_or("", |b| b.code.as_str())
    }

    /// Scores an assessment: the scale less what each finding deducts (an item never loses more
    /// than its maximum, the total never goes under 0); a major violation rates it lowest
    /// whatever the total; a dust sampling fails its dust item when the mean of the samples is
    /// over the threshold.
    pub fn score(&self, findings: &[Finding], samples: &[Sample]) -> Result<Score, ScoreError> {
        let mut deducted = Vec::with_capacity(findings.len());
        let mut failed_items = Vec::new();
        let mut major = false;
        for (index, f) in findings.iter().enumerate() {
            let item = self.item(&f.item).ok_or_else(|| ScoreError::UnknownItem {
                index,
                item: f.item.clone(),
                checklist: self.code.clone(),
            })?;
            if failed_items.contains(&item.code) {
                return Err(ScoreError::Repeated {
                    index,
                    item: item.code.clone(),
                });
            }
            let points = match item.deduct {
                Deduct::Fixed { points } => points,
                Deduct::Range { min, max } => {
                    let got = f.points.ok_or_else(|| ScoreError::PointsMissing {
                        index,
                        item: item.code.clone(),
                        min,
                        max,
                    })?;
                    if !(got.is_finite() && (min..=max).contains(&got)) {
                        return Err(ScoreError::PointsOutOfRange {
                            index,
                            item: item.code.clone(),
                            min,
                            max,
                            got,
                        });
                    }
                    got
                }
                Deduct::PerOccurrence { points, cap } => {
                    (points * f64::from(f.occurrences.unwrap_or(1))).min(cap)
                }
            };
            deducted.push(points.min(item.max_points));
            failed_items.push(item.code.clone());
            major |= item.major;
        }
        let dust_g_per_m2 = match self.dust {
            Some(rule) => {
                if samples.len() < rule.min_samples as usize {
                    return Err(ScoreError::TooFewSamples {
                        min: rule.min_samples,
                        got: samples.len(),
                    });
                }
                for (index, s) in samples.iter().enumerate() {
                    let good = |v: f64| v.is_finite() && v >= 0.0;
                    if !(good(s.grams) && good(s.area_m2) && s.area_m2 > 0.0 && s.area_m2 <= 100.0)
                    {
                        return Err(ScoreError::BadSample { index });
                    }
                }
                let mean =
                    samples.iter().map(|s| s.grams / s.area_m2).sum::<f64>() / samples.len() as f64;
                if mean > rule.threshold {
                    // The dust item: the one measuring grams per square metre.
                    if let Some(item) = self
                        .items
                        .iter()
                        .find(|i| matches!(i.measure, Some(Measure::GramsPerSquareMetre { .. })))
                        && !failed_items.contains(&item.code)
                    {
                        let points = match item.deduct {
                            Deduct::Fixed { points } | Deduct::PerOccurrence { points, .. } => {
                                points
                            }
                            Deduct::Range { max, .. } => max,
                        };
                        deducted.push(points.min(item.max_points));
                        failed_items.push(item.code.clone());
                        major |= item.major;
                    }
                }
                Some(mean)
            }
            None => None,
        };
        let total: f64 = deducted.iter().sum();
        let score = (self.scale - total).max(0.0);
        let rating = if major {
            self.bands.last().map_or("", |b| b.code.as_str())
        } else {
            self.rating(score)
        };
        Ok(Score {
            score,
            rating: rating.to_owned(),
            deducted,
            failed_items,
            major,
            dust_g_per_m2,
        })
    }
}

/// The checklist templates: every version of each (an assessment names code and version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Checklists {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    pub checklists: Vec<Checklist>,
    /// The contract rules sections are settled by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<NamedRule>,
}

/// A template that cannot be used as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct BadChecklist {
    /// Where in the document: `checklists[2]`, `rules[0]`.
    pub at: String,
    pub problem: String,
}

impl Checklists {
    /// The template of this code and version.
    pub fn get(&self, code: &str, version: u32) -> Option<&Checklist> {
        self.checklists
            .iter()
            .find(|c| c.code == code && c.version == version)
    }

    /// The newest version of a template.
    pub fn latest(&self, code: &str) -> Option<&Checklist> {
        self.checklists
            .iter()
            .filter(|c| c.code == code)
            .max_by_key(|c| c.version)
    }

    /// The newest version of each template, in the order the templates first appear.
    pub fn newest(&self) -> Vec<&Checklist> {
        let mut codes: Vec<&str> = Vec::new();
        for c in &self.checklists {
            if !codes.contains(&c.code.as_str()) {
                codes.push(&c.code);
            }
        }
        codes
            .into_iter()
            .filter_map(|code| self.latest(code))
            .collect()
    }

    /// The contract rule of this code.
    pub fn rule(&self, code: &str) -> Option<&NamedRule> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// Checks every template: a known scale, unique item codes, deductions within each item's
    /// maximum and the scale, bands from the best down ending at 0, a dust rule where an item
    /// weighs dust; and no code and version twice.
    pub fn check(&self) -> Result<(), BadChecklist> {
        for (index, c) in self.checklists.iter().enumerate() {
            let bad = |problem: String| BadChecklist {
                at: format!("checklists[{index}]"),
                problem,
            };
            if self.checklists[..index]
                .iter()
                .any(|o| o.code == c.code && o.version == c.version)
            {
                return Err(bad(format!(
                    "{} version {} is given twice",
                    c.code, c.version
                )));
            }
            if c.scale != 100.0 && c.scale != 1000.0 {
                return Err(bad(format!("the scale is 100 or 1000, not {}", c.scale)));
            }
            if c.items.is_empty() {
                return Err(bad("has no items".to_owned()));
            }
            for (i, item) in c.items.iter().enumerate() {
                if c.items[..i].iter().any(|o| o.code == item.code) {
                    return Err(bad(format!("item {} is given twice", item.code)));
                }
                let most = match item.deduct {
                    Deduct::Fixed { points } => points,
                    Deduct::Range { min, max } if min <= max => max,
                    Deduct::Range { .. } => {
                        return Err(bad(format!("item {}: its range runs backwards", item.code)));
                    }
                    Deduct::PerOccurrence { points, cap } => points.max(cap),
                };
                let positive = |v: f64| v.is_finite() && v > 0.0;
                if !(positive(item.max_points) && positive(most)) || item.max_points > c.scale {
                    return Err(bad(format!(
                        "item {}: points must be positive and within the scale",
                        item.code
                    )));
                }
                if matches!(item.measure, Some(Measure::GramsPerSquareMetre { .. }))
                    && c.dust.is_none()
                {
                    return Err(bad(format!(
                        "item {} weighs dust but there is no dust rule",
                        item.code
                    )));
                }
            }
            let descending = c.bands.windows(2).all(|w| w[0].min_score > w[1].min_score);
            if c.bands.is_empty()
                || !descending
                || c.bands.last().is_some_and(|b| b.min_score != 0.0)
            {
                return Err(bad(
                    "bands run from the best down to one starting at 0".to_owned()
                ));
            }
        }
        for (index, r) in self.rules.iter().enumerate() {
            let bad = |problem: String| BadChecklist {
                at: format!("rules[{index}]"),
                problem,
            };
            if let Some(problem) = r.problem() {
                return Err(bad(problem));
            }
            if self.rules[..index].iter().any(|o| o.code == r.code) {
                return Err(bad(format!("rule {} is given twice", r.code)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../data/checklists.json");

    fn shipped() -> Checklists {
        let c: Checklists = serde_json::from_str(SHIPPED).unwrap();
        c.check().unwrap();
        c
    }

    fn finding(item: &str, points: Option<f64>, occurrences: Option<u32>) -> Finding {
        Finding {
            item: item.to_owned(),
            points,
            occurrences,
            ..Finding::default()
        }
    }

    #[test]
    fn the_newest_version_of_each_template_is_listed_once() {
        let mut c = shipped();
        let mut next = c.latest("urban-daily").unwrap().clone();
        next.version = 2;
        c.checklists.push(next);
        let newest: Vec<(&str, u32)> = c
            .newest()
            .iter()
            .map(|t| (t.code.as_str(), t.version))
            .collect();
        assert_eq!(newest.len(), 5, "{newest:?}");
        assert_eq!(newest[0], ("urban-daily", 2));
    }

    #[test]
    fn the_shipped_templates_are_whole() {
        let c = shipped();
        for code in [
            "urban-daily",
            "urban-comprehensive",
            "rural-cleaning",
            "dust-by-weight",
            "door-front",
        ] {
            assert!(c.latest(code).is_some(), "{code}");
        }
        assert_eq!(c.latest("door-front").unwrap().scale, 1000.0);
        assert_eq!(
            c.latest("dust-by-weight").unwrap().dust.unwrap().threshold,
            10.0
        );
    }

    #[test]
    fn a_daily_assessment_scores_as_worked_by_hand() {
        let c = shipped();
        let daily = c.get("urban-daily", 1).unwrap();
        // Litter 4 times (1 point each), water chosen at 3, rubbish at kerbs 7 times (2 each,
        // capped at 10): 100 − 4 − 3 − 10 = 83, rated 中 (fair: 80–89.9).
        let s = daily
            .score(
                &[
                    finding("U01", None, Some(4)),
                    finding("U02", Some(3.0), None),
                    finding("U03", None, Some(7)),
                ],
                &[],
            )
            .unwrap();
        assert_eq!(s.deducted, [4.0, 3.0, 10.0]);
        assert_eq!(s.score, 83.0);
        assert_eq!(s.rating, "fair");
        assert!(!s.major);
        // A major violation: 100 − 20 = 80 but rated poor whatever the total.
        let s = daily.score(&[finding("U06", None, None)], &[]).unwrap();
        assert_eq!((s.score, s.rating.as_str(), s.major), (80.0, "poor", true));
        // A clean road: full marks, excellent.
        assert_eq!(daily.score(&[], &[]).unwrap().rating, "excellent");
    }

    #[test]
    fn dust_by_weight_fails_over_the_threshold_with_enough_squares() {
        let c = shipped();
        let dust = c.get("dust-by-weight", 1).unwrap();
        let sample = |grams: f64| Sample {
            area_m2: 1.0,
            grams,
            point: None,
        };
        // Mean 8 g/m²: passes.
        let s = dust
            .score(&[], &[sample(6.0), sample(8.0), sample(10.0)])
            .unwrap();
        assert_eq!(
            (s.dust_g_per_m2, s.score, s.rating.as_str()),
            (Some(8.0), 100.0, "pass")
        );
        // Mean 12 g/m²: the dust item fails (20 points), 80, under the pass line of 90.
        let s = dust
            .score(&[], &[sample(9.0), sample(12.0), sample(15.0)])
            .unwrap();
        assert_eq!((s.score, s.rating.as_str()), (80.0, "fail"));
        assert_eq!(s.failed_items, ["D01"]);
        assert_eq!(
            dust.score(&[], &[sample(1.0), sample(1.0)]),
            Err(ScoreError::TooFewSamples { min: 3, got: 2 })
        );
        let err = dust
            .score(&[], &[sample(1.0), sample(-1.0), sample(1.0)])
            .unwrap_err();
        assert_eq!(err.field(), "samples[1]");
    }

    #[test]
    fn a_door_front_inspection_scores_out_of_a_thousand() {
        let c = shipped();
        let door = c.get("door-front", 1).unwrap();
        // Posters chosen at 60, sign not filed (50): 1000 − 110 = 890, rated fair (750–899).
        let s = door
            .score(
                &[finding("M04", Some(60.0), None), finding("M05", None, None)],
                &[],
            )
            .unwrap();
        assert_eq!((s.score, s.rating.as_str()), (890.0, "fair"));
    }

    #[test]
    fn bad_findings_are_refused_naming_the_field() {
        let c = shipped();
        let daily = c.get("urban-daily", 1).unwrap();
        let cases = [
            (vec![finding("X99", None, None)], "findings[0].item"),
            (vec![finding("U02", Some(11.0), None)], "findings[0].points"),
            (vec![finding("U02", None, None)], "findings[0].points"),
            (
                vec![finding("U05", None, None), finding("U05", None, None)],
                "findings[1].item",
            ),
        ];
        for (findings, field) in cases {
            assert_eq!(daily.score(&findings, &[]).unwrap_err().field(), field);
        }
    }

    #[test]
    fn broken_templates_are_refused() {
        let mut c = shipped();
        c.checklists[0].scale = 50.0;
        assert!(c.check().unwrap_err().problem.contains("scale"));
        let mut c = shipped();
        let again = c.checklists[0].clone();
        c.checklists.push(again);
        assert!(c.check().unwrap_err().problem.contains("twice"));
        let mut c = shipped();
        c.checklists[0].bands.reverse();
        assert!(c.check().unwrap_err().problem.contains("bands"));
    }
}
