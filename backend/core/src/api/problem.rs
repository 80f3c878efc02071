//! The one error body of the API: RFC 7807 problem details (`application/problem+json`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::GeocodeCandidate;
use super::layers::FeatureError;
use crate::case::{Action, Status};

/// What went wrong. A client's mistake names the parameter or field in `field`; some problems
/// carry more, each in a member of its own (all absent unless the problem has them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The parameter or body field at fault (`category`, `reporter.phone`, `points[3].lon`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with `field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The places an ambiguous address may mean (422 on a new case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<GeocodeCandidate>>,
    /// The case's status, when an action is not allowed in it (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_status: Option<Status>,
    /// The actions the case allows instead (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Action>>,
    /// The case's version now, when the one sent is stale (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Each feature or row of a refused file that is wrong; nothing of the file was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FeatureError>>,
    /// The user must change the password given to them before doing anything else (403).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_change_password: Option<bool>,
    /// Until when logins are refused after too many wrong passwords (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
}

impl Problem {
    /// A problem with its status, title and detail and no other member.
    pub fn new(status: u16, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            kind: about_blank(),
            title: title.into(),
            status,
            detail: detail.into(),
            field: None,
            problem: None,
            candidates: None,
            case_status: None,
            allowed: None,
            version: None,
            errors: None,
            must_change_password: None,
            locked_until: None,
        }
    }

    /// Names the field at fault.
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// A value that cannot be read, in the words an answer gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);
