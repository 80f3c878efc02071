//! Text normalisation shared by import, geocoding and the front end.

/// Full-width ASCII forms (U+FF01..U+FF5E) become ASCII, the ideographic space a space, ASCII
/// letters lower case, and runs of whitespace one space; the result is trimmed.
///
/// ```
/// use citygrid_core::text::normalise;
/// assert_eq!(normalise("人民路１２３号　 Ａ"), "人民路123号 a");
/// ```
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The leading integer of a house number: `"12"`, `"12a"`, `"12-14"`, `"12 B"` all give 12.
pub fn house_number(s: &str) -> Option<u32> {
    let s = normalise(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_numbers() {
        for (s, n) in [
            ("12", Some(12)),
            ("12a", Some(12)),
            ("12-14", Some(12)),
            ("１２ B", Some(12)),
            ("a1", None),
            ("", None),
        ] {
            assert_eq!(house_number(s), n, "{s}");
        }
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(normalise("  Mannerheimintie\t 5 "), "mannerheimintie 5");
    }
}
