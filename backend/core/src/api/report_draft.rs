//! The quarterly report's narrative draft (issue 21, in progress): the templates a bureau edits
//! (`data/report_draft.json`) and the draft they give for a quarter — sections of Chinese prose,
//! each paragraph with links to the records behind its figures.

use serde::{Deserialize, Serialize};

/// One paragraph's template (MiniJinja syntax over the quarter's figures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParagraphTemplate {
    pub key: String,
    pub text: String,
}

/// A section of the report: its title and paragraphs in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SectionTemplate {
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<ParagraphTemplate>,
}

/// The draft's templates: wording, order, which lines appear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftTemplates {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    /// The report's title (a template too).
    pub title: String,
    pub sections: Vec<SectionTemplate>,
}

/// Where a figure of a paragraph comes from: the API list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceLink {
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftParagraph {
    pub key: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftSection {
    pub key: String,
    pub title: String,
    pub paragraphs: Vec<DraftParagraph>,
}

/// `GET /reports/quarterly/draft`: the quarter's draft as the templates write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportDraft {
    pub quarter: String,
    pub title: String,
    pub sections: Vec<DraftSection>,
}

/// `GET /reports/quarterly/draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftQuery {
    pub quarter: crate::api::analytics::Quarter,
}
