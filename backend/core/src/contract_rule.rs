//! How a contract section's period score becomes money (FIELDWORK §2): the period's score from
//! its assessments, then the contract's rule — so much per point under a line, a banded rule with
//! a bonus and a quality bond, or a fixed sum per failed item.

use serde::{Deserialize, Serialize};

/// A contract's assessment rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContractRule {
    /// Full pay from `full_from` points; each point under it deducts `percent_per_point` % of
    /// the fee; a score under `warn_below` is a period towards ending the contract.
    PerPoint {
        full_from: f64,
        percent_per_point: f64,
        warn_below: f64,
    },
    /// Under `deduct_below` each point deducts `percent_per_point` % of the fee; from
    /// `bonus_from` a bonus of `bonus_percent` %; `bond_percent` % is held as a quality bond.
    Banded {
        deduct_below: f64,
        percent_per_point: f64,
        bonus_from: f64,
        bonus_percent: f64,
        bond_percent: f64,
    },
    /// `yuan` deducted for each failed item of the period's assessments.
    PerFailedItem { yuan: f64 },
}

/// What a period's fee comes to under its rule, in 元 rounded to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Settlement {
    pub fee: f64,
    pub deducted: f64,
    pub bonus: f64,
    /// Held as a quality bond, paid later.
    pub bond: f64,
    pub payable: f64,
    /// The score is under the line that counts towards ending the contract.
    pub warning: bool,
}

/// A contract rule as a bureau names it: sections refer to it by code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NamedRule {
    pub code: String,
    pub name_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_en: String,
    /// How daily and comprehensive assessments weigh in the period's score (even when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<(f64, f64)>,
    pub rule: ContractRule,
}

impl NamedRule {
    /// The weights of daily and comprehensive assessments.
    pub fn weights(&self) -> (f64, f64) {
        self.weights.unwrap_or((1.0, 1.0))
    }

    /// What is wrong with the rule's numbers, if anything.
    pub fn problem(&self) -> Option<String> {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        let numbers: Vec<f64> = match self.rule {
            ContractRule::PerPoint {
                full_from,
                percent_per_point,
                warn_below,
            } => vec![full_from, percent_per_point, warn_below],
            ContractRule::Banded {
                deduct_below,
                percent_per_point,
                bonus_from,
                bonus_percent,
                bond_percent,
            } => vec![
                deduct_below,
                percent_per_point,
                bonus_from,
                bonus_percent,
                bond_percent,
            ],
            ContractRule::PerFailedItem { yuan } => vec![yuan],
        };
        if self.code.trim().is_empty() {
            return Some("a rule needs a code".to_owned());
        }
        if !numbers
            .into_iter()
            .chain([self.weights().0, self.weights().1])
            .all(ok)
        {
            return Some(format!(
                "rule {}: its numbers and weights must be zero or more",
                self.code
            ));
        }
        None
    }
}

fn fen(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl ContractRule {
    /// The settlement of a period with this fee, score and number of failed items. A deduction
    /// never exceeds the fee.
    pub fn settle(&self, fee: f64, score: f64, failed_items: u32) -> Settlement {
        let percent = |p: f64| fee * p / 100.0;
        let (deducted, bonus, bond, warning) = match *self {
            ContractRule::PerPoint {
                full_from,
                percent_per_point,
                warn_below,
            } => (
                percent((full_from - score).max(0.0) * percent_per_point),
                0.0,
                0.0,
                score < warn_below,
            ),
            ContractRule::Banded {
                deduct_below,
                percent_per_point,
                bonus_from,
                bonus_percent,
                bond_percent,
            } => (
                percent((deduct_below - score).max(0.0) * percent_per_point),
                if score >= bonus_from {
                    percent(bonus_percent)
                } else {
                    0.0
                },
                percent(bond_percent),
                false,
            ),
            ContractRule::PerFailedItem { yuan } => {
                (yuan * f64::from(failed_items), 0.0, 0.0, false)
            }
        };
        let deducted = fen(deducted.min(fee));
        let (bonus, bond) = (fen(bonus), fen(bond));
        Settlement {
            fee: fen(fee),
            deducted,
            bonus,
            bond,
            payable: fen(fee - deducted + bonus - bond),
            warning,
        }
    }
}

/// A period's score from its assessments: the mean of the daily ones and of the comprehensive
/// ones, mixed by `weights` (daily, comprehensive) when both kinds were made; the mean of what
/// there is otherwise; none without assessments.
pub fn period_score(daily: &[f64], comprehensive: &[f64], weights: (f64, f64)) -> Option<f64> {
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    match (mean(daily), mean(comprehensive)) {
        (Some(d), Some(c)) if weights.0 + weights.1 > 0.0 => {
            Some((d * weights.0 + c * weights.1) / (weights.0 + weights.1))
        }
        (Some(d), Some(c)) => Some(f64::midpoint(d, c)),
        (Some(v), None) | (None, Some(v)) => Some(v),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_point_rule_as_worked_by_hand() {
        // Full pay from 90; each point under it 2 % of the 100,000 元 month; under 75 a warning.
        let rule = ContractRule::PerPoint {
            full_from: 90.0,
            percent_per_point: 2.0,
            warn_below: 75.0,
        };
        // 86.5: 3.5 points × 2 % = 7 % = 7,000 元.
        let s = rule.settle(100_000.0, 86.5, 0);
        assert_eq!(
            (s.deducted, s.payable, s.warning),
            (7_000.0, 93_000.0, false)
        );
        assert_eq!(rule.settle(100_000.0, 95.0, 3).deducted, 0.0);
        // 70: 20 points × 2 % = 40 %, and a period towards ending the contract.
        let s = rule.settle(100_000.0, 70.0, 0);
        assert_eq!((s.deducted, s.warning), (40_000.0, true));
        // Never more than the fee.
        assert_eq!(rule.settle(100_000.0, 0.0, 0).deducted, 100_000.0);
    }

    #[test]
    fn banded_rule_with_bonus_and_bond_as_worked_by_hand() {
        // Haikou: quarter fee 300,000 元; under 90 each point 1 %; from 95 a 2 % bonus; 5 % bond.
        let rule = ContractRule::Banded {
            deduct_below: 90.0,
            percent_per_point: 1.0,
            bonus_from: 95.0,
            bonus_percent: 2.0,
            bond_percent: 5.0,
        };
        // 87: 3 % = 9,000 deducted, 15,000 held: 276,000 paid now.
        let s = rule.settle(300_000.0, 87.0, 0);
        assert_eq!(
            (s.deducted, s.bond, s.payable),
            (9_000.0, 15_000.0, 276_000.0)
        );
        // 96: a 6,000 bonus: 300,000 + 6,000 − 15,000 = 291,000.
        let s = rule.settle(300_000.0, 96.0, 0);
        assert_eq!((s.deducted, s.bonus, s.payable), (0.0, 6_000.0, 291_000.0));
    }

    #[test]
    fn per_failed_item_rule_and_period_scores() {
        let rule = ContractRule::PerFailedItem { yuan: 500.0 };
        assert_eq!(rule.settle(80_000.0, 60.0, 4).deducted, 2_000.0);
        // Daily 90 and 80 (mean 85), comprehensive 92; weighted 4:6 → 85 × 0.4 + 92 × 0.6 = 89.2.
        let p = period_score(&[90.0, 80.0], &[92.0], (4.0, 6.0)).unwrap();
        assert!((p - 89.2).abs() < 1e-9, "{p}");
        assert_eq!(period_score(&[], &[92.0, 88.0], (4.0, 6.0)), Some(90.0));
        assert_eq!(period_score(&[], &[], (1.0, 1.0)), None);
    }
}
