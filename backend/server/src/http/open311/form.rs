//! A posted Open311 service request, read from its form (or JSON) body into what citygrid
//! needs: the key, the service, the place, the words and the reporter. Pure: no state, so it
//! can be fuzzed on its own.

use std::collections::HashMap;

use citygrid_core::LonLat;
use citygrid_core::case::{Reporter, Source};
use serde_json::Value;

use crate::cases::NewCase;

/// A posted request, read and checked.
#[derive(Debug, Clone)]
pub struct PostedRequest {
    pub api_key: Option<String>,
    /// Who sent it: `device_id` or `account_id`.
    pub client: Option<String>,
    pub case: NewCase,
}

/// Reads a posted body: form-encoded (the specification) or, when the content type says so, a
/// JSON object. The error is a sentence for the client.
pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<PostedRequest, String> {
    let fields = fields(content_type, body).ok_or_else(|| {
        "the body must be form-encoded (application/x-www-form-urlencoded)".to_owned()
    })?;
    let get = |k: &str| fields.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let code = get("service_code").ok_or("service_code is required")?;
    let point = match (get("lat"), get("long")) {
        (Some(lat), Some(lon)) => Some(
            lat.parse::<f64>()
                .ok()
                .zip(lon.parse::<f64>().ok())
                .and_then(|(lat, lon)| LonLat::new(lon, lat).ok())
                .ok_or("lat and long must be WGS 84 degrees")?,
        ),
        (None, None) => None,
        _ => return Err("lat and long go together".to_owned()),
    };
    let name = [get("first_name"), get("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let reporter = Reporter {
        name: (!name.is_empty()).then_some(name),
        phone: get("phone").or(get("email")).map(str::to_owned),
    };
    Ok(PostedRequest {
        api_key: get("api_key").map(str::to_owned),
        client: get("device_id").or(get("account_id")).map(str::to_owned),
        case: NewCase {
            category: code.to_owned(),
            source: Source::Public,
            description: get("description").unwrap_or("").to_owned(),
            quantity: None,
            point,
            address: get("address_string").map(str::to_owned),
            accept_best: false,
            photos: Vec::new(),
            reporter: Some(reporter),
        },
    })
}

/// Only the `api_key` of a posted body, read before anything else is looked at.
pub fn api_key(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    fields(content_type, body)?
        .remove("api_key")
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
}

fn fields(content_type: Option<&str>, body: &[u8]) -> Option<HashMap<String, String>> {
    if content_type.is_some_and(|t| t.starts_with("application/json")) {
        let Value::Object(m) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        return Some(
            m.into_iter()
                .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect(),
        );
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .map(|v| v.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_becomes_a_public_report_with_its_reporter() {
        let posted = parse(
            None,
            b"api_key=k&service_code=0501&lat=33.95&long=116.8&first_name=%E7%8E%8B&phone=138&device_id=d1",
        )
        .unwrap();
        assert_eq!(posted.api_key.as_deref(), Some("k"));
        assert_eq!(posted.client.as_deref(), Some("d1"));
        assert_eq!(posted.case.category, "0501");
        assert_eq!(
            posted.case.point,
            Some(LonLat {
                lon: 116.8,
                lat: 33.95
            })
        );
        assert_eq!(posted.case.reporter.unwrap().name.as_deref(), Some("王"));
    }

    #[test]
    fn bad_forms_are_refused_in_words() {
        for (body, words) in [
            (&b"lat=1&long=2"[..], "service_code"),
            (b"service_code=1&lat=91&long=2", "WGS 84"),
            (b"service_code=1&lat=33", "together"),
            (b"service_code=1&lat=NaN&long=inf", "WGS 84"),
        ] {
            let e = parse(None, body).unwrap_err();
            assert!(e.contains(words), "{e}");
        }
        assert!(parse(Some("application/json"), b"[1]").is_err());
    }
}
