//! Typed access to a feature's properties, with errors naming the field.

use citygrid_core::features::Attributes;
use serde_json::Value;

use super::error::FeatureError;

/// A feature's properties, consumed field by field; what is left over becomes attributes.
pub struct Props<'a> {
    pub index: usize,
    pub code: Option<String>,
    map: Attributes,
    errors: &'a mut Vec<FeatureError>,
}

impl<'a> Props<'a> {
    pub fn new(index: usize, map: Attributes, errors: &'a mut Vec<FeatureError>) -> Self {
        Self {
            index,
            code: None,
            map,
            errors,
        }
    }

    pub fn error(&mut self, field: &str, problem: impl Into<String>) {
        self.errors.push(FeatureError::new(
            self.index,
            self.code.as_deref(),
            field,
            problem,
        ));
    }

    fn take_value(&mut self, field: &str) -> Option<Value> {
        match self.map.remove(field) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// An optional text field; numbers are accepted and written as text.
    pub fn text(&mut self, field: &str) -> Option<String> {
        match self.take_value(field)? {
            Value::String(s) => {
                let s = s.trim().to_owned();
                (!s.is_empty()).then_some(s)
            }
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.error(field, format!("expected text, got {}", kind(&other)));
                None
            }
        }
    }

    /// A required text field. When it is missing, the error lists the fields the feature has,
    /// so that a file named in its own way shows which of its fields to map.
    pub fn required_text(&mut self, field: &str) -> String {
        self.text(field).unwrap_or_else(|| {
            let present: Vec<&str> = self.map.keys().map(String::as_str).take(12).collect();
            let problem = if present.is_empty() {
                "is required".to_owned()
            } else {
                format!(
                    "is required; the feature's fields are {} (name one as `{field}`)",
                    present.join(", ")
                )
            };
            self.error(field, problem);
            String::new()
        })
    }

    /// The feature's code: required, and remembered so that later errors name it.
    pub fn code(&mut self, field: &str) -> String {
        let code = self.required_text(field);
        if !code.is_empty() {
            self.code = Some(code.clone());
        }
        code
    }

    /// An optional non-negative integer (a number or digits as text).
    pub fn count(&mut self, field: &str) -> Option<u32> {
        let v = self.take_value(field)?;
        let parsed = match &v {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => s.trim().parse::<u32>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(field, format!("expected a whole number ≥ 0, got {v}"));
        }
        parsed
    }

    /// An optional number.
    pub fn number(&mut self, field: &str) -> Option<f64> {
        let v = self.take_value(field)?;
        let parsed = match &v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|x| x.is_finite());
        if parsed.is_none() {
            self.error(field, format!("expected a number, got {v}"));
        }
        parsed
    }

    /// A required number; `what` says what it stands for when it is missing.
    pub fn required_number(&mut self, field: &str, what: &str) -> Option<f64> {
        if self.map.get(field).is_none_or(serde_json::Value::is_null) {
            self.error(field, format!("is required: {what}"));
            return None;
        }
        self.number(field)
    }

    /// An optional list of texts: a JSON array, or one text split on commas or semicolons.
    pub fn list(&mut self, field: &str) -> Vec<String> {
        match self.take_value(field) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        Value::Number(n) => out.push(n.to_string()),
                        other => self.error(
                            field,
                            format!("list items must be text, got {}", kind(&other)),
                        ),
                    }
                }
                out
            }
            Some(Value::String(s)) => split_list(&s),
            Some(other) => {
                self.error(field, format!("expected a list, got {}", kind(&other)));
                Vec::new()
            }
        }
    }

    /// The properties nobody asked for.
    pub fn into_attributes(self) -> Attributes {
        self.map
    }

    /// The properties nobody asked for, leaving these properties empty.
    pub fn take_attributes(&mut self) -> Attributes {
        std::mem::take(&mut self.map)
    }
}

/// Splits "a, b; c|d" into its items.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '|', '，', '；', '、'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
