//! Import errors: each names the feature (index and code), the field and the problem.

use std::fmt;

/// One problem with one feature (or CSV row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureError {
    /// The file of the feature, when a layer came from several.
    pub file: Option<String>,
    /// 0-based feature index in the collection, or 1-based line number for CSV.
    pub index: usize,
    /// Whether `index` is a CSV line number rather than a feature index.
    pub is_line: bool,
    /// The feature's code or name, when it has one.
    pub code: Option<String>,
    pub field: String,
    pub problem: String,
}

impl FeatureError {
    pub fn new(index: usize, code: Option<&str>, field: &str, problem: impl Into<String>) -> Self {
        Self {
            file: None,
            index,
            is_line: false,
            code: code.map(str::to_owned),
            field: field.to_owned(),
            problem: problem.into(),
        }
    }

    /// As an API answer names it.
    pub fn to_api(&self) -> citygrid_core::api::layers::FeatureError {
        citygrid_core::api::layers::FeatureError {
            file: self.file.clone(),
            feature: (!self.is_line).then_some(self.index),
            line: self.is_line.then_some(self.index),
            code: self.code.clone(),
            field: self.field.clone(),
            problem: self.problem.clone(),
        }
    }
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}, ")?;
        }
        if self.is_line {
            write!(f, "line {}", self.index)?;
        } else {
            write!(f, "feature {}", self.index)?;
        }
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ", field `{}`: {}", self.field, self.problem)
    }
}

/// Why a file was rejected. Nothing of it was applied.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not the expected format at all.
    #[error("{0}")]
    Format(String),
    /// Some features are invalid; every one found (up to a limit) is listed.
    #[error("{} invalid feature(s); the file was not imported:\n{}", .errors.len(), list(.errors))]
    Invalid { errors: Vec<FeatureError> },
    /// The file is valid but empty.
    #[error("the file has no features")]
    Empty,
}

fn list(errors: &[FeatureError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ImportError {
    /// The feature errors, if this is a per-feature rejection.
    pub fn feature_errors(&self) -> &[FeatureError] {
        match self {
            ImportError::Invalid { errors } => errors,
            _ => &[],
        }
    }

    /// The feature errors as an API answer names them.
    pub fn api_errors(&self) -> Vec<citygrid_core::api::layers::FeatureError> {
        self.feature_errors()
            .iter()
            .map(FeatureError::to_api)
            .collect()
    }
}
