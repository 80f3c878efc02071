//! A small XML writer for Open311's flat documents: a root, records, and text elements.

/// Escapes text for XML content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// `<root><record>…</record>…</root>` from records of (name, value) fields; JSON `null` fields
/// become empty elements, arrays repeat the singular element inside a wrapper.
pub fn document(
    root: &str,
    record: &str,
    records: &[serde_json::Map<String, serde_json::Value>],
) -> String {
    let mut out = String::from(DECLARATION);
    open(&mut out, root);
    for r in records {
        open(&mut out, record);
        for (k, v) in r {
            element(&mut out, k, v);
        }
        close(&mut out, record);
    }
    close(&mut out, root);
    out.push('\n');
    out
}

/// `<root>…</root>` from one object's fields.
pub fn object(root: &str, fields: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut out = String::from(DECLARATION);
    element(&mut out, root, &serde_json::Value::Object(fields.clone()));
    out.push('\n');
    out
}

fn element(out: &mut String, name: &str, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
        }
        Value::Array(items) => {
            open(out, name);
            let singular = name.strip_suffix('s').unwrap_or(name);
            for item in items {
                element(out, singular, item);
            }
            close(out, name);
        }
        Value::Object(m) => {
            open(out, name);
            for (k, v) in m {
                element(out, k, v);
            }
            close(out, name);
        }
        Value::String(s) => {
            open(out, name);
            out.push_str(&escape(s));
            close(out, name);
        }
        other => {
            open(out, name);
            out.push_str(&other.to_string());
            close(out, name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_escape_and_nest() {
        let r = json!({ "service_code": "0501", "description": "a < b & \"c\"", "lat": 33.9, "notice": null, "keywords": ["x", "y"] });
        let xml = document("services", "service", &[r.as_object().unwrap().clone()]);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<description>a &lt; b &amp; &quot;c&quot;</description>"));
        assert!(xml.contains("<lat>33.9</lat>") && xml.contains("<notice/>"));
        assert!(xml.contains("<keywords><keyword>x</keyword><keyword>y</keyword></keywords>"));
        assert_eq!(escape("\u{1}ok"), "ok");
    }
}
