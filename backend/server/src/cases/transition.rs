//! Moving a case through the loop: check the action is allowed, check what it needs, store the
//! new state with its event.

use chrono::{DateTime, Utc};
use citygrid_core::api::cases::TransitionBody;
use citygrid_core::case::{Action, Case, CaseEvent, CaseId};

use super::view::CaseView;
use super::{CaseError, CaseService};

/// The longest note accepted, in characters.
pub const MAX_NOTE: usize = 2000;

impl CaseService {
    /// Applies an action at `now`.
    pub async fn transition(
        &self,
        id: CaseId,
        req: TransitionBody,
        actor: &super::Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseView, CaseError> {
        let now = chrono::SubsecRound::trunc_subsecs(now, 3);
        let store = self.district.store();
        let mut case = self.reachable(id, actor).await?;
        if !actor.may(req.action) {
            return Err(CaseError::Forbidden {
                role: actor.role_name(),
                action: req.action,
            });
        }
        if req.version.is_some_and(|v| v != case.version) {
            return Err(CaseError::Conflict {
                current: case.version,
            });
        }
        let Some(to) = req.action.apply(case.status) else {
            return Err(CaseError::NotAllowed {
                status: case.status,
                action: req.action,
                allowed: Action::allowed(case.status),
            });
        };
        if req
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE)
        {
            return Err(CaseError::field(
                "note",
                format!("is longer than {MAX_NOTE} characters"),
            ));
        }
        if let Some(photo) = &req.photo {
            self.check_photos("photo", std::slice::from_ref(photo))
                .await?;
            case.photos.push(photo.clone());
        }
        let from = case.status;
        // The officer the case was with before this action (a return clears it).
        let previous_assignee = case.assignee.clone();
        match req.action {
            Action::Dispatch => {
                let code = req
                    .assignee
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty());
                let Some(code) = code else {
                    return Err(CaseError::field(
                        "assignee",
                        "dispatch needs an officer's code",
                    ));
                };
                let atlas = self.district.atlas();
                if !atlas
                    .base()
                    .officers
                    .iter()
                    .any(|o| o.code.as_str() == code)
                {
                    return Err(CaseError::field("assignee", format!("no officer {code:?}")));
                }
                case.assignee = Some(code.to_owned());
            }
            Action::Return | Action::Recall => case.assignee = None,
            Action::Extend => case.deadline = later_deadline(&req, &case)?,
            Action::RequestExtension => {
                later_deadline(&req, &case)?;
                if req.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    return Err(CaseError::field(
                        "note",
                        "asking for more time needs a reason",
                    ));
                }
            }
            Action::Void | Action::Reject => {
                if let Some(other) = req.duplicate_of {
                    if other == id {
                        return Err(CaseError::field(
                            "duplicate_of",
                            "a case cannot duplicate itself",
                        ));
                    }
                    if store.get_case(other).await?.is_none() {
                        return Err(CaseError::field("duplicate_of", format!("no case {other}")));
                    }
                    case.duplicate_of = Some(other);
                }
            }
            _ => {}
        }
        if req.duplicate_of.is_some() && !matches!(req.action, Action::Void | Action::Reject) {
            return Err(CaseError::field(
                "duplicate_of",
                "only void or reject mark a duplicate",
            ));
        }
        let read_version = case.version;
        case.status = to;
        case.updated_at = now;
        case.version += 1;
        let event = CaseEvent {
            seq: 0,
            at: now,
            actor: actor.name.clone(),
            action: req.action.as_str().to_owned(),
            from: Some(from),
            to,
            note: req
                .note
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            assignee: if req.action == Action::Dispatch {
                case.assignee.clone()
            } else {
                None
            },
            deadline: match req.action {
                Action::Extend => Some(case.deadline),
                Action::RequestExtension => req.deadline,
                _ => None,
            },
            photo: req.photo,
            visibility: req.visibility.unwrap_or_default(),
        };
        match store.update_case(&case, &event).await {
            Ok(()) => {}
            Err(crate::store::StoreError::Conflict(_)) => {
                let current = store
                    .get_case(id)
                    .await?
                    .map_or(read_version, |c| c.version);
                return Err(CaseError::Conflict { current });
            }
            Err(e) => return Err(e.into()),
        }
        self.update_duty(
            id,
            req.action,
            previous_assignee,
            case.assignee.as_deref(),
            now,
        )
        .await?;
        // Read back whole: the action may have taken the case out of the actor's reach (an
        // officer returning it), and they still get the answer to what they did.
        let mut view = self
            .get(id, &super::Actor::system(actor.name.clone()), now)
            .await?;
        if !actor.sees_contacts() {
            view.case.reporter = None;
        }
        self.notify(&view);
        Ok(view)
    }
}

/// The deadline an extension (or a request for one) names: given, and later than the case's.
fn later_deadline(req: &TransitionBody, case: &Case) -> Result<DateTime<Utc>, CaseError> {
    let Some(deadline) = req.deadline else {
        return Err(CaseError::field(
            "deadline",
            "an extension needs the new deadline",
        ));
    };
    if deadline <= case.deadline {
        return Err(CaseError::field(
            "deadline",
            "the new deadline must be later than the current one",
        ));
    }
    Ok(deadline)
}

impl CaseService {
    /// Keeps officers' duty status in step with their cases: a dispatch (or a rework sent back
    /// to them) makes the officer busy; reporting it handled or returning it frees them.
    async fn update_duty(
        &self,
        id: CaseId,
        action: Action,
        previous: Option<String>,
        assignee: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), CaseError> {
        use citygrid_core::officer::DutyStatus;
        let Some(roster) = &self.roster else {
            return Ok(());
        };
        let actor = format!("case:{id}");
        match (action, assignee, previous.as_deref()) {
            (Action::Dispatch | Action::Rework, Some(officer), _) => {
                roster
                    .set_status_if(officer, DutyStatus::OnDuty, DutyStatus::Busy, &actor, now)
                    .await?;
            }
            (Action::Handle | Action::Return | Action::Recall, _, Some(officer)) => {
                roster
                    .set_status_if(officer, DutyStatus::Busy, DutyStatus::OnDuty, &actor, now)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }
}
