//! The quarterly report's narrative draft: the templates a bureau edits
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
    /// What the templates wrote, when a leader's text stands in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafted: Option<String>,
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

/// A headline figure of the quarter beside the quarter before (环比) and the same quarter a
/// year before (同比); `None` where that quarter has no records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Comparison {
    pub name: String,
    pub unit: String,
    pub now: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<f64>,
    /// In words: 环比增长5.2%, 环比持平; empty without the quarter before.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub against_previous: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub against_last_year: String,
}

/// `GET /reports/quarterly/draft`: the quarter's draft as the templates write it, with a
/// leader's edits where there are any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportDraft {
    pub quarter: String,
    pub title: String,
    pub sections: Vec<DraftSection>,
    /// The headline figures compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<Comparison>,
    /// Next quarter's plan, the leader's free text (empty until written).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub plan: String,
    /// The paragraphs a leader rewrote (or left out, empty), as kept: the next edit starts
    /// from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<EditedParagraph>,
    /// The version of the leader's edits (0: none yet); an edit is made from the version read.
    #[serde(default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One paragraph as a leader wrote it, by its section's and its own key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EditedParagraph {
    pub section: String,
    pub key: String,
    /// The text in place of the draft's; empty leaves the paragraph out.
    pub text: String,
}

/// `PUT /reports/quarterly/draft?quarter=`: a leader's edits of the quarter's text, from the
/// version read. Paragraphs not named keep the templates' text (and follow the figures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftEdit {
    pub version: i64,
    #[serde(default)]
    pub paragraphs: Vec<EditedParagraph>,
    #[serde(default)]
    pub plan: String,
}

/// A quarter's edited text as kept in the store (`report_texts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportText {
    #[serde(default)]
    pub id: i64,
    pub quarter: String,
    pub paragraphs: Vec<EditedParagraph>,
    pub plan: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /reports/quarterly/draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftQuery {
    pub quarter: crate::api::analytics::Quarter,
}
