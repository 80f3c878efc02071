//! The one error body of the API: RFC 7807 problem details (`application/problem+json`).

use serde::{Deserialize, Serialize};

/// What went wrong. A client's mistake names the parameter or field in `field`; some problems
/// carry more (`candidates` of an ambiguous address, `allowed` actions, `errors` of a file).
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
    /// Members particular to the problem.
    #[serde(flatten)]
    pub more: serde_json::Map<String, serde_json::Value>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// A value that cannot be read, in the words an answer gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);
