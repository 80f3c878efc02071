//! Address text as dispatchers receive it → the forms a geocoder can look up.
//!
//! The text is normalised (full-width digits and spaces, case), administrative prefixes
//! (省/市/区/县/街道/镇/乡) are peeled off one by one — each peeled variant is tried, the
//! unpeeled text too, so a prefix never breaks a match — and each variant is read as a street
//! and number, an intersection of two streets, or a place name.

use citygrid_core::text::normalise;

/// One way to read the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// "人民路123号", "Mannerheimintie 5", "123 Main St".
    StreetNumber {
        street: String,
        number: u32,
        number_text: String,
    },
    /// "人民路与淮海路交叉口", "A和B路口", "A & B".
    Intersection { a: String, b: String },
    /// A shop, community, street or grid code.
    Place(String),
}

/// The text with some prefix removed, and what was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub text: String,
    pub stripped: Option<String>,
}

const ADMIN_SUFFIXES: [&str; 9] = ["自治区", "街道", "省", "市", "区", "县", "旗", "镇", "乡"];
const PLACE_SUFFIXES: [&str; 12] = [
    "门口", "门前", "附近", "旁边", "对面", "周边", "一带", "旁", "处", "前", "后", "边",
];
const CROSSING_SUFFIXES: [&str; 8] = [
    "十字路口",
    "交叉路口",
    "交叉口",
    "交汇处",
    "交口",
    "路口",
    "口",
    "交叉",
];
const CROSSING_SEPARATORS: [&str; 8] = ["与", "和", "跟", "及", "交", "&", "/", " and "];

/// Every variant of the text worth trying: the whole text, each administrative prefix peeled,
/// and each comma-separated part.
pub fn variants(raw: &str) -> Vec<Variant> {
    let text = normalise(raw);
    let mut out = vec![Variant {
        text: text.clone(),
        stripped: None,
    }];
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    'peel: loop {
        let rest: String = chars[start..].iter().collect();
        for (pos, _) in rest.char_indices() {
            let at = &rest[pos..];
            if let Some(suffix) = ADMIN_SUFFIXES.iter().find(|s| at.starts_with(*s)) {
                let prefix_chars = rest[..pos].chars().count();
                let end = start + prefix_chars + suffix.chars().count();
                if prefix_chars >= 2 && end < chars.len() {
                    let remaining: String = chars[end..].iter().collect();
                    let stripped: String = chars[..end].iter().collect();
                    out.push(Variant {
                        text: remaining.trim().to_owned(),
                        stripped: Some(stripped),
                    });
                    start = end;
                    continue 'peel;
                }
            }
        }
        break;
    }
    if text.contains([',', '，']) {
        for part in text
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            out.push(Variant {
                text: part.to_owned(),
                stripped: Some(
                    text.replace(part, "")
                        .trim_matches([',', '，', ' '])
                        .to_owned(),
                ),
            });
        }
    }
    out.dedup_by(|a, b| a.text == b.text);
    out
}

fn strip_suffix<'a>(s: &'a str, suffixes: &[&str]) -> &'a str {
    for suffix in suffixes {
        if let Some(rest) = s.strip_suffix(suffix)
            && rest.chars().count() >= 2
        {
            return rest.trim();
        }
    }
    s
}

/// Street and number. A Chinese address ends its number with 号 ("纬1路23号": the digits just
/// before 号); otherwise the first digit run splits the text ("mannerheimintie 5 a"), or leads
/// it ("123 main st").
fn street_number(text: &str) -> Option<Form> {
    let (street, digits, tail) = if let Some(hao) = text.find(['号', '號']) {
        let before = &text[..hao];
        let start = before.trim_end().len()
            - before
                .trim_end()
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
        let digits = before[start..].trim();
        (before[..start].trim(), digits, "")
    } else {
        let i = text.find(|c: char| c.is_ascii_digit())?;
        let digits_len = text[i..].chars().take_while(char::is_ascii_digit).count();
        let (digits, after) = text[i..].split_at(digits_len);
        if i == 0 {
            // "123 Main St": number first.
            return finish(after.trim(), digits, "");
        }
        // A short suffix ("5 a", "12b") belongs to the number.
        let tail = after.trim();
        let tail = if tail.chars().count() <= 2 && !tail.starts_with(',') {
            tail
        } else {
            ""
        };
        (text[..i].trim(), digits, tail)
    };
    finish(street, digits, tail)
}

fn finish(street: &str, digits: &str, tail: &str) -> Option<Form> {
    let street = street.trim_end_matches(['-', '#', ' ']);
    let number = digits.parse::<u32>().ok()?;
    if street.chars().count() < 2 {
        return None;
    }
    let number_text = if tail.is_empty() {
        digits.to_owned()
    } else {
        format!("{digits} {tail}")
    };
    Some(Form::StreetNumber {
        street: street.to_owned(),
        number,
        number_text,
    })
}

/// The forms one variant can be read as, most specific first.
pub fn forms(text: &str) -> Vec<Form> {
    let mut out = Vec::new();
    let text = text.trim();
    if text.is_empty() {
        return out;
    }
    // Intersection: two names around a separator, after dropping a crossing word.
    let crossing = strip_suffix(text, &CROSSING_SUFFIXES);
    for sep in CROSSING_SEPARATORS {
        if let Some((a, b)) = crossing.split_once(sep) {
            let (a, b) = (a.trim(), b.trim());
            if a.chars().count() >= 2
                && b.chars().count() >= 2
                && !a.chars().any(|c| c.is_ascii_digit())
            {
                out.push(Form::Intersection {
                    a: a.to_owned(),
                    b: b.to_owned(),
                });
            }
        }
    }
    if let Some(form) = street_number(text) {
        out.push(form);
    }
    let place = strip_suffix(text, &PLACE_SUFFIXES);
    out.push(Form::Place(place.to_owned()));
    if place != text {
        out.push(Form::Place(text.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sn(street: &str, number: u32, number_text: &str) -> Form {
        Form::StreetNumber {
            street: street.into(),
            number,
            number_text: number_text.into(),
        }
    }

    #[test]
    fn reads_street_and_number() {
        let table = [
            ("人民路123号", sn("人民路", 123, "123")),
            ("人民路１２３号门口", sn("人民路", 123, "123")),
            ("mannerheimintie 5", sn("mannerheimintie", 5, "5")),
            ("mannerheimintie 5 a", sn("mannerheimintie", 5, "5 a")),
            ("123 main st", sn("main st", 123, "123")),
            ("纬1路23号", sn("纬1路", 23, "23")),
            ("工业2路8号院", sn("工业2路", 8, "8")),
        ];
        for (text, expected) in table {
            let text = normalise(text);
            assert_eq!(forms(&text)[0], expected, "{text}");
        }
    }

    #[test]
    fn reads_intersections() {
        for text in [
            "人民路与淮海路交叉口",
            "人民路和淮海路路口",
            "人民路与淮海路",
            "人民路/淮海路",
        ] {
            assert_eq!(
                forms(text)[0],
                Form::Intersection {
                    a: "人民路".into(),
                    b: "淮海路".into()
                },
                "{text}"
            );
        }
    }

    #[test]
    fn reads_places() {
        assert_eq!(forms("老王烧烤门口")[0], Form::Place("老王烧烤".into()));
        assert_eq!(forms("相山社区"), vec![Form::Place("相山社区".into())]);
    }

    #[test]
    fn peels_administrative_prefixes() {
        let v: Vec<String> = variants("安徽省淮北市相山区东山街道人民路123号")
            .into_iter()
            .map(|v| v.text)
            .collect();
        assert_eq!(
            v,
            [
                "安徽省淮北市相山区东山街道人民路123号",
                "淮北市相山区东山街道人民路123号",
                "相山区东山街道人民路123号",
                "东山街道人民路123号",
                "人民路123号"
            ]
        );
        // A one-character word before 区 is not a district: 东区路 stays whole.
        assert_eq!(variants("东区路5号").len(), 1);
        let parts: Vec<String> = variants("Mannerheimintie 5, Helsinki")
            .into_iter()
            .map(|v| v.text)
            .collect();
        assert!(parts.contains(&"mannerheimintie 5".to_owned()), "{parts:?}");
    }
}
