//! Contract sections' months: their figures from the month's assessments and the section's
//! rule (computed when asked, so that a correction of an assessment shows at once), and their
//! ledger — sign-off, corrections, appeals — appended under one lock so that every change is
//! checked against the period as it stands.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use citygrid_core::api::assessments::{
    Assessment, PeriodChangeBody, PeriodChangeRequest, PeriodTotal, Subject,
};
use citygrid_core::checklist::Checklists;
use citygrid_core::features::{Section, SectionArea};
use citygrid_core::period::{
    Counted, Period, PeriodChange, PeriodEntry, PeriodFigures, PeriodRefusal,
};

use crate::store::{SectionFact, Store, StoreError};

/// Why a period was not changed. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum PeriodError {
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
    #[error("{0}")]
    Refused(PeriodRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A month as `2026-09`, checked; `field` names it in the error.
pub fn month(field: &str, text: &str) -> Result<NaiveDate, PeriodError> {
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 7)
        .ok_or_else(|| PeriodError::Field {
            field: field.to_owned(),
            problem: format!("expected a month as 2026-09, got {text:?}"),
        })
}

/// The months from `from` to `to`, inclusive, as text (at most ten years).
pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= to && out.len() < 120 {
        out.push(m.format("%Y-%m").to_string());
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    out
}

/// What the period counts of a section assessment.
pub fn fact(a: &Assessment) -> Option<SectionFact> {
    let Subject::Section(code) = &a.subject else {
        return None;
    };
    Some(SectionFact {
        section: code.clone(),
        month: a.month.clone(),
        counted: Counted {
            kind: a.kind,
            score: a.score.score,
            failed_items: a.score.failed_items.len() as u32,
            major: a.score.major,
            notices: a.notices.len() as u32,
        },
    })
}

/// Every section's months from its assessments' facts and the ledger.
pub fn build(
    sections: &[Section],
    months: &[String],
    rules: &Checklists,
    facts: &[SectionFact],
    ledger: Vec<PeriodEntry>,
) -> Vec<Period> {
    let mut by_period: HashMap<(&str, &str), Vec<Counted>> = HashMap::new();
    for f in facts {
        by_period
            .entry((f.section.as_str(), f.month.as_str()))
            .or_default()
            .push(f.counted);
    }
    let mut entries: HashMap<(String, String), Vec<PeriodEntry>> = HashMap::new();
    for e in ledger {
        entries
            .entry((e.section.to_string(), e.month.clone()))
            .or_default()
            .push(e);
    }
    let mut out = Vec::with_capacity(sections.len() * months.len());
    for s in sections {
        let rule = rules.rule(&s.rule);
        for m in months {
            let items = by_period
                .get(&(s.code.as_str(), m.as_str()))
                .map_or(&[][..], Vec::as_slice);
            let figures = PeriodFigures::of(s, m, rule, items);
            let ledger = entries
                .remove(&(s.code.to_string(), m.clone()))
                .unwrap_or_default();
            out.push(Period::of(figures, ledger));
        }
    }
    out
}

/// The totals of the periods by area.
pub fn totals(periods: &[Period]) -> Vec<PeriodTotal> {
    SectionArea::ALL
        .into_iter()
        .map(|area| {
            let mut t = PeriodTotal {
                area,
                daily: 0,
                comprehensive: 0,
                notices: 0,
                fee: 0.0,
                deducted: 0.0,
                bonus: 0.0,
                bond: 0.0,
            };
            for p in periods.iter().filter(|p| p.figures.area == area) {
                t.daily += p.figures.daily;
                t.comprehensive += p.figures.comprehensive;
                t.notices += p.figures.notices;
                t.deducted += p.deducted;
                if let Some(s) = p.figures.settlement {
                    t.fee += s.fee;
                    t.bonus += s.bonus;
                    t.bond += s.bond;
                }
            }
            let fen = |v: f64| (v * 100.0).round() / 100.0;
            PeriodTotal {
                fee: fen(t.fee),
                deducted: fen(t.deducted),
                bonus: fen(t.bonus),
                bond: fen(t.bond),
                ..t
            }
        })
        .collect()
}

/// The periods' ledger and the lock its changes are made under.
#[derive(Clone, Default)]
pub struct Periods {
    writing: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Periods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Periods").finish_non_exhaustive()
    }
}

/// Reads the periods of `sections` over `months` from the store.
pub async fn read(
    store: &dyn Store,
    sections: &[Section],
    months: &[String],
    rules: &Checklists,
) -> Result<Vec<Period>, StoreError> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let facts = store.section_facts(first, last).await?;
    let ledger = store.period_entries(first, last).await?;
    Ok(build(sections, months, rules, &facts, ledger))
}

impl Periods {
    /// Applies one change to one section's month, checked against the period as it stands.
    pub async fn change(
        &self,
        district: &crate::district::District,
        book: &super::ChecklistBook,
        request: &PeriodChangeRequest,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Period, PeriodError> {
        let atlas = district.atlas();
        let sections = &atlas.base().sections;
        let rules = book.current();
        let rules = rules.as_ref();
        let store = district.store().as_ref();
        let (section, month_text, body) = (
            request.section.as_str(),
            request.month.as_str(),
            &request.change,
        );
        // Stored to the millisecond: the answer is what a later read gives.
        let now = chrono::SubsecRound::trunc_subsecs(now, 3);
        let m = month("month", month_text)?;
        let Some(s) = sections.iter().find(|s| s.code.as_str() == section) else {
            return Err(PeriodError::Field {
                field: "section".into(),
                problem: format!("there is no section {section}"),
            });
        };
        let _writing = self.writing.lock().await;
        let months = months(m, m);
        let mut current = read(store, std::slice::from_ref(s), &months, rules).await?;
        let Some(period) = current.pop() else {
            return Err(PeriodError::Field {
                field: "month".into(),
                problem: "no such period".into(),
            });
        };
        let change = match body {
            PeriodChangeBody::SignOff => {
                if m.year() * 12 + m.month() as i32 > now.year() * 12 + now.month() as i32 {
                    return Err(PeriodError::Field {
                        field: "month".into(),
                        problem: "a month still to come cannot be signed off".into(),
                    });
                }
                PeriodChange::SignedOff {
                    figures: period.figures.clone(),
                }
            }
            PeriodChangeBody::Adjust { yuan, reason } => PeriodChange::Adjusted {
                yuan: *yuan,
                reason: reason.trim().to_owned(),
            },
            PeriodChangeBody::Appeal { yuan, reason } => PeriodChange::AppealFiled {
                yuan: *yuan,
                reason: reason.trim().to_owned(),
            },
            PeriodChangeBody::Decide {
                appeal,
                upheld,
                note,
            } => PeriodChange::AppealDecided {
                appeal: *appeal,
                upheld: *upheld,
                note: note.clone().unwrap_or_default().trim().to_owned(),
            },
        };
        period.check(&change).map_err(|r| match r {
            PeriodRefusal::Field { field, problem } => PeriodError::Field {
                field: format!("change.{field}"),
                problem,
            },
            other => PeriodError::Refused(other),
        })?;
        let mut entry = PeriodEntry {
            id: 0,
            section: s.code.clone(),
            month: month_text.to_owned(),
            change,
            by: by.to_owned(),
            at: now,
        };
        let ids = store
            .append_period_entries(std::slice::from_ref(&entry), false)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => PeriodError::Refused(PeriodRefusal::Signed),
                other => PeriodError::Store(other),
            })?;
        entry.id = ids.first().copied().unwrap_or_default();
        let mut ledger = period.ledger.clone();
        ledger.push(entry);
        Ok(Period::of(period.figures, ledger))
    }

    /// Whether a section's month is signed off (an assessment in it would change nothing).
    pub async fn is_signed(
        store: &dyn Store,
        section: &str,
        month: &str,
    ) -> Result<bool, StoreError> {
        Ok(store.period_entries(month, month).await?.iter().any(|e| {
            e.section.as_str() == section && matches!(e.change, PeriodChange::SignedOff { .. })
        }))
    }
}

/// Sections naming a contract rule the templates do not have: their periods are scored but not
/// settled, said as import warnings.
pub fn unknown_rules(sections: &[Section], rules: &Checklists) -> Vec<String> {
    sections
        .iter()
        .filter(|s| rules.rule(&s.rule).is_none())
        .take(20)
        .map(|s| {
            format!(
                "section {} names contract rule {:?}, which is not among the contract rules \
                 (GET /checklists): its months are scored but not settled",
                s.code, s.rule
            )
        })
        .collect()
}
