//! Cases and their closed loop (立案 → 派遣 → 处置 → 核查 → 结案), as a table of transitions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A case's id (also its number for people, see [`CaseId::number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CaseId(pub i64);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An officer or supervisor on patrol (巡查).
    Patrol,
    /// The 12345 hotline.
    Hotline,
    /// The public, through an app or Open311.
    Public,
    /// Video surveillance.
    Video,
    /// An inspection or supervision check (督查).
    Inspection,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Patrol,
        Source::Hotline,
        Source::Public,
        Source::Video,
        Source::Inspection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Patrol => "patrol",
            Source::Hotline => "hotline",
            Source::Public => "public",
            Source::Video => "video",
            Source::Inspection => "inspection",
        }
    }
}

/// A case's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// 上报: reported, not yet accepted.
    Reported,
    /// 立案: accepted as a case, waiting to be dispatched.
    Registered,
    /// 派遣: with an officer or department.
    Dispatched,
    /// 处置: handled, waiting for verification.
    Handled,
    /// 核查: verified on site.
    Verified,
    /// 结案: closed.
    Closed,
    /// 不予立案: not accepted.
    Rejected,
    /// 作废: voided after registration.
    Void,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Reported,
        Status::Registered,
        Status::Dispatched,
        Status::Handled,
        Status::Verified,
        Status::Closed,
        Status::Rejected,
        Status::Void,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Registered => "registered",
            Status::Dispatched => "dispatched",
            Status::Handled => "handled",
            Status::Verified => "verified",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Void => "void",
        }
    }

    /// Whether the case is still open: its deadline can pass.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected | Status::Void)
    }

    /// Whether the handling is still to be done: the handling deadline applies.
    pub fn awaits_handling(self) -> bool {
        matches!(
            self,
            Status::Reported | Status::Registered | Status::Dispatched
        )
    }
}

/// What someone does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 立案: accept a report.
    Register,
    /// 不予立案: refuse a report (not ours, not a problem).
    Reject,
    /// 现场处置: a supervisor handles a small problem on the spot, straight from reported.
    HandleOnSpot,
    /// 派遣: send to an officer (needs an assignee).
    Dispatch,
    /// 回退: the assignee returns it to the dispatcher (not theirs).
    Return,
    /// 撤回派遣: the dispatcher takes a dispatch back before it is handled (sent to the wrong
    /// officer); the case waits for dispatch again.
    Recall,
    /// 延期: a new deadline (needs one).
    Extend,
    /// 申请延期: the assignee asks for a later deadline (needs the one asked for); the
    /// deadline changes only when a dispatcher extends it.
    RequestExtension,
    /// 处置: the assignee reports it handled.
    Handle,
    /// 核查通过: verified on site.
    Verify,
    /// 返工: verification failed; back to the assignee.
    Rework,
    /// 结案.
    Close,
    /// 作废: void a registered case (a duplicate, entered by mistake).
    Void,
    /// A note without a change of state (a hotline reply, a remark).
    Comment,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::Register,
        Action::Reject,
        Action::HandleOnSpot,
        Action::Dispatch,
        Action::Return,
        Action::Recall,
        Action::Extend,
        Action::RequestExtension,
        Action::Handle,
        Action::Verify,
        Action::Rework,
        Action::Close,
        Action::Void,
        Action::Comment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Reject => "reject",
            Action::HandleOnSpot => "handle_on_spot",
            Action::Dispatch => "dispatch",
            Action::Return => "return",
            Action::Recall => "recall",
            Action::Extend => "extend",
            Action::RequestExtension => "request_extension",
            Action::Handle => "handle",
            Action::Verify => "verify",
            Action::Rework => "rework",
            Action::Close => "close",
            Action::Void => "void",
            Action::Comment => "comment",
        }
    }

    /// The state an action leads to from `from`, or `None` when it is not allowed there.
    ///
    /// ```
    /// use citygrid_core::case::{Action, Status};
    /// assert_eq!(Action::Dispatch.apply(Status::Registered), Some(Status::Dispatched));
    /// assert_eq!(Action::Close.apply(Status::Dispatched), None);
    /// ```
    #[allow(clippy::match_same_arms)] // one row per transition: the table reads as the loop
    pub fn apply(self, from: Status) -> Option<Status> {
        use Action as A;
        use Status as S;
        match (self, from) {
            (A::Register, S::Reported) => Some(S::Registered),
            (A::Reject, S::Reported) => Some(S::Rejected),
            (A::HandleOnSpot, S::Reported) => Some(S::Handled),
            (A::Dispatch, S::Registered) => Some(S::Dispatched),
            (A::Return, S::Dispatched) => Some(S::Registered),
            (A::Recall, S::Dispatched) => Some(S::Registered),
            (A::Extend, S::Dispatched) => Some(S::Dispatched),
            (A::RequestExtension, S::Dispatched) => Some(S::Dispatched),
            (A::Handle, S::Dispatched) => Some(S::Handled),
            (A::Verify, S::Handled) => Some(S::Verified),
            (A::Rework, S::Handled) => Some(S::Dispatched),
            (A::Close, S::Verified) => Some(S::Closed),
            (A::Void, S::Registered) => Some(S::Void),
            (A::Comment, s) if s.is_open() => Some(s),
            _ => None,
        }
    }

    /// Every action allowed from a state.
    pub fn allowed(from: Status) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| a.apply(from).is_some())
            .collect()
    }
}

/// An unknown name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}; expected one of {expected}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! from_str_by_name {
    ($t:ty, $kind:literal) => {
        impl FromStr for $t {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::ALL
                    .into_iter()
                    .find(|x| x.as_str() == s.trim())
                    .ok_or_else(|| UnknownName {
                        kind: $kind,
                        value: s.to_owned(),
                        expected: <$t>::ALL
                            .iter()
                            .map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

from_str_by_name!(Source, "source");
from_str_by_name!(Status, "status");
from_str_by_name!(Action, "action");

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole transition table: every (state, action) pair, checked against the loop.
    #[test]
    fn transition_table() {
        use Action as A;
        use Status as S;
        let expected = [
            (
                S::Reported,
                vec![
                    (A::Register, S::Registered),
                    (A::Reject, S::Rejected),
                    (A::HandleOnSpot, S::Handled),
                    (A::Comment, S::Reported),
                ],
            ),
            (
                S::Registered,
                vec![
                    (A::Dispatch, S::Dispatched),
                    (A::Void, S::Void),
                    (A::Comment, S::Registered),
                ],
            ),
            (
                S::Dispatched,
                vec![
                    (A::Return, S::Registered),
                    (A::Recall, S::Registered),
                    (A::Extend, S::Dispatched),
                    (A::RequestExtension, S::Dispatched),
                    (A::Handle, S::Handled),
                    (A::Comment, S::Dispatched),
                ],
            ),
            (
                S::Handled,
                vec![
                    (A::Verify, S::Verified),
                    (A::Rework, S::Dispatched),
                    (A::Comment, S::Handled),
                ],
            ),
            (
                S::Verified,
                vec![(A::Close, S::Closed), (A::Comment, S::Verified)],
            ),
            (S::Closed, vec![]),
            (S::Rejected, vec![]),
            (S::Void, vec![]),
        ];
        for (from, moves) in expected {
            let got: Vec<(Action, Status)> = Action::ALL
                .into_iter()
                .filter_map(|a| a.apply(from).map(|to| (a, to)))
                .collect();
            assert_eq!(got, moves, "from {from}");
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!("handle_on_spot".parse(), Ok(Action::HandleOnSpot));
        assert_eq!("hotline".parse(), Ok(Source::Hotline));
        let err = "done".parse::<Status>().unwrap_err();
        assert!(err.to_string().contains("reported, registered"), "{err}");
    }
}

/// A reporter's contact: private, shown only to those who need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reporter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One entry of a case's history. Events are never changed or deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseEvent {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who did it.
    pub actor: String,
    /// `report` for the case's creation, else an [`Action`] name.
    pub action: String,
    pub from: Option<Status>,
    pub to: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The new deadline of an `extend`, or the one asked for by a `request_extension`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// Who may read the note: staff only (the default), or the public too (Open311).
    #[serde(default)]
    pub visibility: Visibility,
}

/// Who may read what staff write on a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The bureau's staff only.
    #[default]
    Internal,
    /// Anyone, through Open311 too.
    Public,
}

impl Visibility {
    pub fn is_public(self) -> bool {
        self == Visibility::Public
    }
}

/// A case as stored, with its responsibility resolved on arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Case {
    pub id: CaseId,
    pub category: crate::category::CategoryCode,
    pub source: Source,
    pub status: Status,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// Where, in WGS 84.
    pub point: crate::LonLat,
    /// The address as reported, when it was given as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Grid cell, community, zones, street and door-front shop, resolved when the case arrived.
    pub location: crate::api::Location,
    /// Private: left out of answers for those who may not see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<CaseId>,
    /// Photos (SHA-256 hashes) of the report and of later steps, in order.
    #[serde(default)]
    pub photos: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The handling deadline, from the category's limit, the zone and the working calendar.
    pub deadline: chrono::DateTime<chrono::Utc>,
    /// Bumped by every change; a change names the version it read (optimistic concurrency).
    pub version: i64,
}

/// What a live-event listener needs to know of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseSummary {
    pub id: CaseId,
    pub category: crate::category::CategoryCode,
    pub source: Source,
    pub status: Status,
    pub point: crate::LonLat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    pub deadline: chrono::DateTime<chrono::Utc>,
}

/// A change to a case, as streamed to listeners. `seq` orders all events of the district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveEvent {
    pub seq: i64,
    /// `created` for a new case, `changed` for any later event.
    pub kind: String,
    pub case: CaseSummary,
    pub event: CaseEvent,
}
