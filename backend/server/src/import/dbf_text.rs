//! The text of a `.dbf`: which encoding it is in, and decoding it strictly.
//!
//! `dbase` is given windows-1252 — whose 256 bytes and characters map one to one — as the
//! carrier of the raw bytes, so citygrid decodes each text itself and can say which record,
//! field and bytes do not decode — never storing mojibake. The encoding is the one asked for
//! (`--encoding`), else the `.cpg`'s, else the code page byte's, else UTF-8 when every text is
//! valid UTF-8 and GBK (as GB18030, its superset) otherwise.

use std::borrow::Cow;

use dbase::CodePageMark;
use dbase::encoding::EncodingRs;
use encoding_rs::{Encoding, GB18030, GBK, UTF_8, WINDOWS_1252};

/// The encoding `dbase` reads and writes text with: bytes carried one per character.
pub fn carrier() -> EncodingRs {
    EncodingRs::from(WINDOWS_1252)
}

/// The bytes a carried string stands for.
pub fn carried(text: &str) -> Vec<u8> {
    WINDOWS_1252.encode(text).0.into_owned()
}

/// An encoding by the names `.cpg` files and users give it.
pub fn by_name(name: &str) -> Option<&'static Encoding> {
    let name = name.trim().trim_start_matches('\u{feff}');
    let upper = name.to_ascii_uppercase();
    let code = upper
        .trim_start_matches("ANSI ")
        .trim_start_matches("CP")
        .trim();
    match code {
        "936" | "GB2312" | "GBK" => Some(GBK),
        "54936" | "GB18030" => Some(GB18030),
        "65001" | "UTF-8" | "UTF8" => Some(UTF_8),
        "950" | "BIG5" => Encoding::for_label(b"big5"),
        _ => Encoding::for_label(name.as_bytes()),
    }
}

/// The encoding a `.dbf`'s code page byte declares, if it declares one citygrid reads.
pub fn by_code_page(mark: CodePageMark) -> Option<&'static Encoding> {
    match mark {
        CodePageMark::CP936 => Some(GBK),
        CodePageMark::CP950 => Encoding::for_label(b"big5"),
        CodePageMark::Utf8 => Some(UTF_8),
        CodePageMark::CP1252 => Encoding::for_label(b"windows-1252"),
        _ => None,
    }
}

/// What the text is decoded with, and why — said in the preview.
#[derive(Debug, Clone, Copy)]
pub struct Chosen {
    pub encoding: &'static Encoding,
    pub because: &'static str,
}

/// Chooses the encoding of texts with no declaration: UTF-8 if all of them are valid UTF-8,
/// else GBK (read as GB18030, which holds it).
pub fn guess<'a>(texts: impl IntoIterator<Item = &'a [u8]>) -> Chosen {
    let mut texts = texts.into_iter();
    if texts.all(|t| std::str::from_utf8(t).is_ok()) {
        Chosen {
            encoding: UTF_8,
            because: "every text is valid UTF-8",
        }
    } else {
        Chosen {
            encoding: GB18030,
            because: "no .cpg or code page, and the text is not UTF-8",
        }
    }
}

/// Decodes one text strictly, or says which bytes are not in the encoding.
pub fn decode(bytes: &[u8], encoding: &'static Encoding) -> Result<String, String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
        .ok_or_else(|| {
            let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02X}")).collect();
            format!(
                "the bytes {}{} are not {} text: give the file's encoding with --encoding \
                 (UTF-8, GBK, GB18030, Big5) or a .cpg",
                shown.join(" "),
                if bytes.len() > 16 { " …" } else { "" },
                encoding.name()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_names_and_code_pages_are_understood() {
        for name in ["GBK", "936", "CP936", "ANSI 936", "gb2312"] {
            assert_eq!(by_name(name), Some(GBK), "{name}");
        }
        assert_eq!(by_name("UTF-8\n"), Some(UTF_8));
        assert_eq!(by_name("65001"), Some(UTF_8));
        assert_eq!(by_name("Big5").map(Encoding::name), Some("Big5"));
        assert_eq!(by_name("nonsense"), None);
        assert_eq!(by_code_page(CodePageMark::CP936), Some(GBK));
    }

    #[test]
    fn text_is_decoded_strictly_and_a_wrong_guess_names_the_bytes() {
        let gbk = GBK.encode("严管区").0.into_owned();
        assert_eq!(decode(&gbk, GBK).unwrap(), "严管区");
        let err = decode(&gbk, UTF_8).unwrap_err();
        assert!(err.contains("D1 CF") && err.contains("--encoding"), "{err}");
        assert_eq!(guess([gbk.as_slice()]).encoding, GB18030);
        assert_eq!(guess(["严管区".as_bytes(), b"abc"]).encoding, UTF_8);
        let every_byte: Vec<u8> = (0..=255).collect();
        let carried_text = WINDOWS_1252.decode_without_bom_handling(&every_byte).0;
        assert_eq!(
            carried(&carried_text),
            every_byte,
            "one byte, one character"
        );
    }
}
