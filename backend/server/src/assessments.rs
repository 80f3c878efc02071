//! Inspections and assessments (FIELDWORK §2–3): the checklist templates assessments are scored
//! by (`checklist_book`) and the recording of an assessment (`record`). Scoring itself and the
//! contract rules are pure, in citygrid-core (`checklist`, `contract_rule`).

pub mod checklist_book;
pub mod csv_import;
pub mod csv_out;
pub mod periods;
pub mod quarter;
pub mod record;
pub mod shops;

use chrono::{DateTime, Utc};
use citygrid_core::api::assessments::{Assessment, NewAssessment};

pub use checklist_book::{ChecklistBook, ChecklistEditError};
pub use periods::{PeriodError, Periods};
pub use record::AssessmentError;

use crate::cases::{Actor, CaseService};

/// Records an assessment: checked and scored, its notices raised as cases, then stored.
pub async fn record(
    cases: &CaseService,
    book: &ChecklistBook,
    body: &NewAssessment,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Assessment, AssessmentError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let district = cases.district();
    let atlas = district.atlas();
    let store = district.store();
    let mut a = record::prepare(book, &atlas, store.as_ref(), body, &actor.name, now).await?;
    if let citygrid_core::api::assessments::Subject::Section(code) = &a.subject
        && Periods::is_signed(store.as_ref(), code.as_str(), &a.month).await?
    {
        return Err(AssessmentError::Frozen(format!(
            "{} of section {code} is signed off: a change to it is a correction of the period \
             (POST /periods/changes), not a new assessment",
            a.month
        )));
    }
    a.notices = record::raise_notices(cases, book, &atlas, &a, body, actor, now).await?;
    let ids = store
        .insert_assessments(std::slice::from_ref(&a), false)
        .await?;
    a.id = ids.first().copied().unwrap_or_default();
    Ok(a)
}
