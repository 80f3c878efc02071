//! The next step of an application: allowed by where it stands (citygrid-core's
//! `approval::may_take`), its fields given, and its time not before the step before it.

use chrono::{DateTime, Utc};
use citygrid_core::api::approvals::{Application, NewStep, Step, StepRequest};
use citygrid_core::approval::{may_take, status};

use crate::record_error::{RecordError, required};

/// How far in the future a step's time may lie (clocks differ).
const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);

/// The step `body` asks for, checked against the application as it stands.
pub fn next(
    a: &Application,
    body: &NewStep,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Step, RecordError> {
    if body.version != a.version {
        return Err(RecordError::conflict(
            "version",
            format!(
                "application {} is at version {}, not {}",
                a.number, a.version, body.version
            ),
        ));
    }
    may_take(status(&a.steps), &body.step).map_err(|e| RecordError::conflict("step.type", e))?;
    let at = chrono::SubsecRound::trunc_subsecs(body.at.unwrap_or(now), 3);
    if at > now + CLOCK_SLACK {
        return Err(RecordError::field("at", "lies in the future"));
    }
    let last = a.steps.last().map_or(a.received_at, Step::at);
    if at < last {
        return Err(RecordError::field(
            "at",
            format!("lies before the application's last step ({last})"),
        ));
    }
    let by = by.to_owned();
    Ok(match &body.step {
        StepRequest::RequestMaterials { materials, note } => {
            let materials: Vec<String> = materials
                .iter()
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty())
                .collect();
            if materials.is_empty() {
                return Err(RecordError::field(
                    "step.materials",
                    "name the materials asked for",
                ));
            }
            Step::MaterialsRequested {
                at,
                by,
                materials,
                note: crate::record_error::trimmed(note.as_ref()),
            }
        }
        StepRequest::MaterialsReceived => Step::MaterialsReceived { at, by },
        StepRequest::Approve { certificate } => Step::Approved {
            at,
            by,
            certificate: required("step.certificate", certificate, 100)?,
        },
        StepRequest::Reject { reason } => Step::Rejected {
            at,
            by,
            reason: required("step.reason", reason, 1000)?,
        },
    })
}
