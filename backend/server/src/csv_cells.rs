//! CSV that a spreadsheet opens as data: every CSV citygrid writes goes through [`CsvOut`],
//! which neutralises cells a spreadsheet would run as a formula (OWASP's CSV injection rule: a
//! cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`).
//! Plain numbers (`-3.5`) are left alone: a spreadsheet reads them as numbers, not formulas.
//! [`restore`] undoes the mark when citygrid reads its own CSV back (officers, historical
//! cases), so an export imports to what was exported.

use std::borrow::Cow;

/// The first characters that make a spreadsheet evaluate a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn is_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b".-+eE".contains(&b))
        && cell.parse::<f64>().is_ok()
}

/// The cell as written: marked with `'` when a spreadsheet would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if TRIGGERS.contains(&c) && !is_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A cell read back: the mark [`neutralise`] added taken off.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) && !is_number(rest) => rest,
        _ => cell,
    }
}

/// A CSV document being written in memory, every cell neutralised.
pub struct CsvOut {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for CsvOut {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvOut {
    pub fn new() -> Self {
        Self {
            writer: csv::Writer::from_writer(Vec::new()),
        }
    }

    /// A document that starts with a UTF-8 byte order mark, so that spreadsheets on Chinese
    /// Windows read it as UTF-8 rather than GBK.
    pub fn with_bom() -> Self {
        Self {
            writer: csv::Writer::from_writer("\u{feff}".as_bytes().to_vec()),
        }
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(
            cells
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned()),
        )
    }

    /// The document's bytes.
    pub fn into_bytes(self) -> Result<Vec<u8>, csv::Error> {
        self.writer
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_marked_and_numbers_are_not() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\r=1",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
            assert_eq!(restore(&neutralise(formula)), formula);
        }
        for data in ["-3.5", "+86", "120.61", "油烟直排", "", "'quoted", "a=b"] {
            assert_eq!(neutralise(data), data);
            assert_eq!(restore(data), data);
        }
    }

    #[test]
    fn every_cell_of_a_document_is_neutralised() {
        let mut out = CsvOut::with_bom();
        out.row(["description", "lon"]).unwrap();
        out.row(["=cmd|' /C calc'!A0", "-0.5"]).unwrap();
        let text = String::from_utf8(out.into_bytes().unwrap()).unwrap();
        assert_eq!(text, "\u{feff}description,lon\n'=cmd|' /C calc'!A0,-0.5\n");
    }
}
