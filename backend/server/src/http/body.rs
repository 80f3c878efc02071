//! JSON request bodies read field by field, so that a bad field is named in the error.

use serde_json::{Map, Value};

use super::ApiError;

/// A JSON object body.
#[derive(Debug)]
pub struct Fields(Map<String, Value>);

impl Fields {
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Ok(Fields(map)),
            Ok(_) => Err(ApiError::BadBody(
                "the body must be a JSON object".to_owned(),
            )),
            Err(e) => Err(ApiError::BadBody(format!(
                "the body is not valid JSON: {e}"
            ))),
        }
    }

    /// Whether the field was sent at all (a `null` counts: it clears a value).
    pub fn present(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::param(name, "expected text")),
        }
    }

    pub fn required_text(&self, name: &str) -> Result<String, ApiError> {
        self.text(name)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::param(name, "is required"))
    }

    pub fn number(&self, name: &str) -> Result<Option<f64>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| ApiError::param(name, "expected a number")),
        }
    }

    pub fn integer(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::param(name, "expected a whole number")),
        }
    }

    pub fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| ApiError::param(name, "expected true or false")),
        }
    }

    /// A field parsed by its type's `FromStr`, whose message is shown.
    pub fn parsed<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.text(name)?
            .map(|s| {
                s.parse::<T>()
                    .map_err(|e| ApiError::param(name, e.to_string()))
            })
            .transpose()
    }

    /// A list of texts (a JSON array of strings).
    pub fn text_list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        match self.value(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| ApiError::param(name, "expected an array of texts"))
                })
                .collect(),
            Some(_) => Err(ApiError::param(name, "expected an array of texts")),
        }
    }

    pub fn object(&self, name: &str) -> Result<Option<Fields>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Fields(m.clone()))),
            Some(_) => Err(ApiError::param(name, "expected an object")),
        }
    }
}
