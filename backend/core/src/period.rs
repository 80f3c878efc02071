//! A contract section's assessment period (a month; a quarter is the sum of its months): its
//! figures from the month's assessments and the contract's rule, then what happened to it
//! afterwards as an append-only ledger — signed off by a leader (the figures frozen as they
//! were), adjusted (a correction after sign-off, with its reason), appealed by the contractor
//! (filed, then upheld or rejected). The final deduction is the settled one plus adjustments
//! less upheld appeals; nothing is ever rewritten (FIELDWORK §2).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::checklist::AssessmentKind;
use crate::contract_rule::{NamedRule, Settlement, period_score};
use crate::features::{Section, SectionArea};
use crate::ids::SectionCode;

/// What a section's month comes to from its assessments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodFigures {
    pub section: SectionCode,
    pub name: String,
    pub contractor: String,
    pub area: SectionArea,
    /// `2026-09`.
    pub month: String,
    pub rule: String,
    /// Daily assessments (dust samplings count with them).
    pub daily: u32,
    pub comprehensive: u32,
    /// The period's score, when the month has assessments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub failed_items: u32,
    /// Assessments failed by a major violation.
    pub major: u32,
    pub notices: u32,
    /// The month's fee settled by the rule; none without assessments or without a known rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
}

/// One assessment as the period counts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    pub kind: AssessmentKind,
    pub score: f64,
    pub failed_items: u32,
    pub major: bool,
    pub notices: u32,
}

impl PeriodFigures {
    /// The figures of `section`'s `month` from its assessments, settled by `rule` (none when
    /// the section names a rule that does not exist).
    pub fn of(section: &Section, month: &str, rule: Option<&NamedRule>, items: &[Counted]) -> Self {
        let scores = |wanted: fn(AssessmentKind) -> bool| -> Vec<f64> {
            items
                .iter()
                .filter(|c| wanted(c.kind))
                .map(|c| c.score)
                .collect()
        };
        let daily = scores(|k| matches!(k, AssessmentKind::Daily | AssessmentKind::DustSampling));
        let comprehensive = scores(|k| k == AssessmentKind::Comprehensive);
        let weights = rule.map_or((1.0, 1.0), NamedRule::weights);
        let score =
            period_score(&daily, &comprehensive, weights).map(|s| (s * 100.0).round() / 100.0);
        let failed_items = items.iter().map(|c| c.failed_items).sum();
        let settlement = score
            .zip(rule)
            .map(|(s, r)| r.rule.settle(section.fee_per_month, s, failed_items));
        Self {
            section: section.code.clone(),
            name: section.name.clone(),
            contractor: section.contractor.clone(),
            area: section.area,
            month: month.to_owned(),
            rule: section.rule.clone(),
            daily: daily.len() as u32,
            comprehensive: comprehensive.len() as u32,
            score,
            failed_items,
            major: items.iter().filter(|c| c.major).count() as u32,
            notices: items.iter().map(|c| c.notices).sum(),
            settlement,
        }
    }
}

/// What happened to a period, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PeriodChange {
    /// A leader signed the period off: these figures are its figures from now on.
    SignedOff { figures: PeriodFigures },
    /// A correction after sign-off: `yuan` more deducted (less when negative).
    Adjusted { yuan: f64, reason: String },
    /// The contractor appeals `yuan` of the deduction.
    AppealFiled { yuan: f64, reason: String },
    /// The appeal (by its entry's id) decided: upheld gives the sum back.
    AppealDecided {
        appeal: i64,
        upheld: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
}

impl PeriodChange {
    pub fn kind(&self) -> &'static str {
        match self {
            PeriodChange::SignedOff { .. } => "signed_off",
            PeriodChange::Adjusted { .. } => "adjusted",
            PeriodChange::AppealFiled { .. } => "appeal_filed",
            PeriodChange::AppealDecided { .. } => "appeal_decided",
        }
    }
}

/// A ledger entry: a change to one section's month, who made it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodEntry {
    pub id: i64,
    pub section: SectionCode,
    pub month: String,
    pub change: PeriodChange,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AppealStatus {
    Filed,
    Upheld,
    Rejected,
}

/// An appeal with its decision, if made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Appeal {
    pub id: i64,
    pub yuan: f64,
    pub reason: String,
    pub status: AppealStatus,
    pub filed_by: String,
    pub filed_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A section's month as it stands: its figures (frozen once signed off), the sign-off, the
/// corrections and appeals, and the deduction after them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Period {
    pub figures: PeriodFigures,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<DateTime<Utc>>,
    /// Corrections after sign-off, in 元 (more deducted when positive).
    pub adjustments: f64,
    pub appeals: Vec<Appeal>,
    /// The deduction in 元: settled, plus adjustments, less upheld appeals (never below 0).
    pub deducted: f64,
    /// The entries of its ledger, oldest first.
    pub ledger: Vec<PeriodEntry>,
}

fn fen(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl Period {
    /// The period from its live figures and its ledger (oldest first): once signed off, the
    /// figures are those signed, whatever the assessments say now.
    pub fn of(live: PeriodFigures, ledger: Vec<PeriodEntry>) -> Self {
        let mut figures = live;
        let (mut signed_by, mut signed_at) = (None, None);
        let mut adjustments = 0.0;
        let mut appeals: Vec<Appeal> = Vec::new();
        for e in &ledger {
            match &e.change {
                PeriodChange::SignedOff { figures: frozen } => {
                    if signed_by.is_none() {
                        figures = frozen.clone();
                        signed_by = Some(e.by.clone());
                        signed_at = Some(e.at);
                    }
                }
                PeriodChange::Adjusted { yuan, .. } => adjustments += yuan,
                PeriodChange::AppealFiled { yuan, reason } => appeals.push(Appeal {
                    id: e.id,
                    yuan: *yuan,
                    reason: reason.clone(),
                    status: AppealStatus::Filed,
                    filed_by: e.by.clone(),
                    filed_at: e.at,
                    note: String::new(),
                }),
                PeriodChange::AppealDecided {
                    appeal,
                    upheld,
                    note,
                } => {
                    if let Some(a) = appeals
                        .iter_mut()
                        .find(|a| a.id == *appeal && a.status == AppealStatus::Filed)
                    {
                        a.status = if *upheld {
                            AppealStatus::Upheld
                        } else {
                            AppealStatus::Rejected
                        };
                        a.note.clone_from(note);
                    }
                }
            }
        }
        let settled = figures.settlement.map_or(0.0, |s| s.deducted);
        let returned: f64 = appeals
            .iter()
            .filter(|a| a.status == AppealStatus::Upheld)
            .map(|a| a.yuan)
            .sum();
        Self {
            deducted: fen((settled + adjustments - returned).max(0.0)),
            adjustments: fen(adjustments),
            figures,
            signed_by,
            signed_at,
            appeals,
            ledger,
        }
    }

    pub fn is_signed(&self) -> bool {
        self.signed_by.is_some()
    }
}

/// Why a change cannot be made to a period; the field is named as the body names it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PeriodRefusal {
    #[error("the period is signed off already")]
    Signed,
    #[error("the period is not signed off: correct its assessments instead")]
    NotSigned,
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
}

impl Period {
    /// Whether `change` may be added to this period as it stands.
    pub fn check(&self, change: &PeriodChange) -> Result<(), PeriodRefusal> {
        let sum = |field: &'static str, yuan: f64, positive: bool| {
            if !yuan.is_finite() || (positive && yuan <= 0.0) || yuan.abs() > 1e9 {
                Err(PeriodRefusal::Field {
                    field,
                    problem: format!(
                        "must be a sum of money{}",
                        if positive { " above 0" } else { "" }
                    ),
                })
            } else {
                Ok(())
            }
        };
        let reason = |text: &str| {
            if text.trim().is_empty() {
                Err(PeriodRefusal::Field {
                    field: "reason",
                    problem: "is required: say why".to_owned(),
                })
            } else {
                Ok(())
            }
        };
        match change {
            PeriodChange::SignedOff { .. } if self.is_signed() => Err(PeriodRefusal::Signed),
            PeriodChange::SignedOff { .. } => Ok(()),
            PeriodChange::Adjusted { .. } | PeriodChange::AppealFiled { .. }
                if !self.is_signed() =>
            {
                Err(PeriodRefusal::NotSigned)
            }
            PeriodChange::Adjusted { yuan, reason: r } => {
                sum("yuan", *yuan, false)?;
                reason(r)
            }
            PeriodChange::AppealFiled { yuan, reason: r } => {
                sum("yuan", *yuan, true)?;
                reason(r)?;
                if *yuan > self.deducted + 1e-9 {
                    return Err(PeriodRefusal::Field {
                        field: "yuan",
                        problem: format!("exceeds the period's deduction of {} 元", self.deducted),
                    });
                }
                Ok(())
            }
            PeriodChange::AppealDecided { appeal, .. } => {
                match self.appeals.iter().find(|a| a.id == *appeal) {
                    Some(a) if a.status == AppealStatus::Filed => Ok(()),
                    Some(_) => Err(PeriodRefusal::Field {
                        field: "appeal",
                        problem: format!("appeal {appeal} is decided already"),
                    }),
                    None => Err(PeriodRefusal::Field {
                        field: "appeal",
                        problem: format!("this period has no appeal {appeal}"),
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract_rule::ContractRule;
    use crate::features::SectionExtent;

    fn section(fee: f64, rule: &str) -> Section {
        Section {
            code: "S1".into(),
            name: "古城保洁标段".into(),
            contractor: "甲公司".into(),
            area: SectionArea::Urban,
            fee_per_month: fee,
            rule: rule.into(),
            streets: Vec::new(),
            extent: SectionExtent::Streets(geo_types::MultiLineString::new(vec![])),
            attributes: Default::default(),
        }
    }

    fn counted(kind: AssessmentKind, score: f64, failed: u32) -> Counted {
        Counted {
            kind,
            score,
            failed_items: failed,
            major: false,
            notices: 0,
        }
    }

    fn per_point() -> NamedRule {
        NamedRule {
            code: "per-point-90".into(),
            name_zh: "90分以下每分扣2%".into(),
            name_en: String::new(),
            weights: Some((0.4, 0.6)),
            rule: ContractRule::PerPoint {
                full_from: 90.0,
                percent_per_point: 2.0,
                warn_below: 75.0,
            },
        }
    }

    fn entry(id: i64, change: PeriodChange) -> PeriodEntry {
        PeriodEntry {
            id,
            section: "S1".into(),
            month: "2026-09".into(),
            change,
            by: "leader".into(),
            at: DateTime::<Utc>::from_timestamp(1_790_000_000 + id, 0).unwrap(),
        }
    }

    #[test]
    fn a_month_is_scored_and_settled_as_worked_by_hand() {
        // Daily 80 and 90 (mean 85), comprehensive 88: 0.4 × 85 + 0.6 × 88 = 86.8. Under 90 by
        // 3.2 points × 2 % = 6.4 % of 350,000 元 = 22,400 元.
        let items = [
            counted(AssessmentKind::Daily, 80.0, 3),
            counted(AssessmentKind::Daily, 90.0, 1),
            counted(AssessmentKind::Comprehensive, 88.0, 2),
        ];
        let f = PeriodFigures::of(
            &section(350_000.0, "per-point-90"),
            "2026-09",
            Some(&per_point()),
            &items,
        );
        assert_eq!((f.daily, f.comprehensive, f.failed_items), (2, 1, 6));
        assert_eq!(f.score, Some(86.8));
        assert_eq!(f.settlement.map(|s| s.deducted), Some(22_400.0));
        // A month without assessments settles nothing; an unknown rule neither.
        let none = PeriodFigures::of(
            &section(350_000.0, "per-point-90"),
            "2026-09",
            Some(&per_point()),
            &[],
        );
        assert_eq!((none.score, none.settlement), (None, None));
        let unknown = PeriodFigures::of(&section(350_000.0, "x"), "2026-09", None, &items);
        assert!(unknown.score.is_some() && unknown.settlement.is_none());
    }

    #[test]
    fn a_signed_period_is_frozen_corrected_and_appealed() {
        let s = section(350_000.0, "per-point-90");
        let month = |scores: &[f64]| {
            let items: Vec<_> = scores
                .iter()
                .map(|v| counted(AssessmentKind::Daily, *v, 1))
                .collect();
            PeriodFigures::of(&s, "2026-09", Some(&per_point()), &items)
        };
        // Signed at 85 (5 points × 2 % = 35,000 元).
        let signed = month(&[85.0]);
        let ledger = vec![entry(
            1,
            PeriodChange::SignedOff {
                figures: signed.clone(),
            },
        )];
        // An assessment recorded later does not move a signed period.
        let p = Period::of(month(&[85.0, 95.0]), ledger.clone());
        assert_eq!((p.figures.score, p.deducted), (Some(85.0), 35_000.0));
        assert_eq!(
            p.check(&PeriodChange::SignedOff {
                figures: signed.clone()
            }),
            Err(PeriodRefusal::Signed)
        );
        // A correction of −2,000 元, an appeal of 10,000 upheld and one of 5,000 rejected:
        // 35,000 − 2,000 − 10,000 = 23,000 元.
        let mut ledger = ledger;
        ledger.push(entry(
            2,
            PeriodChange::Adjusted {
                yuan: -2_000.0,
                reason: "复核扣分有误".into(),
            },
        ));
        ledger.push(entry(
            3,
            PeriodChange::AppealFiled {
                yuan: 10_000.0,
                reason: "暴雨天气".into(),
            },
        ));
        ledger.push(entry(
            4,
            PeriodChange::AppealFiled {
                yuan: 5_000.0,
                reason: "道路施工".into(),
            },
        ));
        let p = Period::of(month(&[85.0]), ledger.clone());
        assert_eq!(p.deducted, 33_000.0, "filed appeals change nothing yet");
        ledger.push(entry(
            5,
            PeriodChange::AppealDecided {
                appeal: 3,
                upheld: true,
                note: "属实".into(),
            },
        ));
        ledger.push(entry(
            6,
            PeriodChange::AppealDecided {
                appeal: 4,
                upheld: false,
                note: String::new(),
            },
        ));
        let p = Period::of(month(&[85.0]), ledger);
        assert_eq!(p.deducted, 23_000.0);
        assert_eq!(
            p.appeals.iter().map(|a| a.status).collect::<Vec<_>>(),
            [AppealStatus::Upheld, AppealStatus::Rejected]
        );
        assert_eq!(p.adjustments, -2_000.0);
        // A decided appeal is not decided again; an appeal beyond the deduction is refused.
        assert!(
            p.check(&PeriodChange::AppealDecided {
                appeal: 3,
                upheld: false,
                note: String::new()
            })
            .is_err()
        );
        assert!(matches!(
            p.check(&PeriodChange::AppealFiled {
                yuan: 30_000.0,
                reason: "x".into()
            }),
            Err(PeriodRefusal::Field { field: "yuan", .. })
        ));
        // An unsigned period takes no corrections.
        let open = Period::of(month(&[85.0]), Vec::new());
        assert_eq!(
            open.check(&PeriodChange::Adjusted {
                yuan: 1.0,
                reason: "x".into()
            }),
            Err(PeriodRefusal::NotSigned)
        );
    }
}
