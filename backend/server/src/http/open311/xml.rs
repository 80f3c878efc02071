//! Open311's flat XML documents — a root, records, and text elements — written with quick-xml
//! from the same JSON values the `.json` answers carry.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::{Map, Value};

/// Text XML 1.0 can carry: control characters other than tab and line breaks are dropped.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(forbidden) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !forbidden(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn forbidden(c: char) -> bool {
    (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')
}

/// `<root><record>…</record>…</root>` from records of (name, value) fields; JSON `null` fields
/// become empty elements, arrays repeat the singular element inside a wrapper.
pub fn document(root: &str, record: &str, records: &[Map<String, Value>]) -> String {
    write(|w| {
        start(w, root);
        for r in records {
            fields(w, record, r);
        }
        end(w, root);
    })
}

/// `<root>…</root>` from one object's fields.
pub fn object(root: &str, map: &Map<String, Value>) -> String {
    write(|w| fields(w, root, map))
}

/// A document: the declaration, what `body` writes, a final line break. Writing into memory
/// cannot fail, so the writer's results are not looked at.
fn write(body: impl FnOnce(&mut Writer<Vec<u8>>)) -> String {
    let mut w = Writer::new(Vec::new());
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = w.write_event(Event::Text(BytesText::from_escaped("\n")));
    body(&mut w);
    let mut out = String::from_utf8(w.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}

fn start(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::Start(BytesStart::new(name)));
}

fn end(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, v: &Value) {
    match v {
        Value::Null => {
            let _ = w.write_event(Event::Empty(BytesStart::new(name)));
        }
        Value::Array(items) => {
            start(w, name);
            let singular = name.strip_suffix('s').unwrap_or(name);
            for item in items {
                element(w, singular, item);
            }
            end(w, name);
        }
        Value::Object(m) => fields(w, name, m),
        Value::String(s) => text(w, name, &clean(s)),
        other => text(w, name, &other.to_string()),
    }
}

/// `<name>` holding one element per field.
fn fields(w: &mut Writer<Vec<u8>>, name: &str, map: &Map<String, Value>) {
    start(w, name);
    for (k, v) in map {
        element(w, k, v);
    }
    end(w, name);
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, content: &str) {
    start(w, name);
    let _ = w.write_event(Event::Text(BytesText::new(content)));
    end(w, name);
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
        let odd = json!({ "description": "\u{1}ok" });
        assert!(object("r", odd.as_object().unwrap()).contains("<description>ok</description>"));
    }
}
