//! A CSV file with a header row, read by column name: names match with a spreadsheet's
//! byte-order mark ignored, values come trimmed and an empty one is absent, and each row knows
//! its line in the file (the header is line 1). A cell that citygrid's own export marked against
//! spreadsheet formulas (`'=…`, see `csv_cells`) reads as it was before the mark.

use std::collections::HashMap;

use csv::StringRecord;

/// The file's rows, and where each named column is.
pub struct CsvTable<'a> {
    reader: csv::Reader<&'a [u8]>,
    columns: HashMap<String, usize>,
}

impl<'a> CsvTable<'a> {
    /// Reads the header row. Rows may be shorter or longer than it.
    pub fn new(bytes: &'a [u8]) -> Result<Self, csv::Error> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(bytes);
        let mut columns = HashMap::new();
        for (i, name) in reader.headers()?.iter().enumerate() {
            // A name given twice is its first column.
            columns
                .entry(name.trim_start_matches('\u{feff}').to_owned())
                .or_insert(i);
        }
        Ok(Self { reader, columns })
    }

    /// Reads a column named `alias` in the header as `name` too (a header in Chinese), unless
    /// the header also names `name` itself.
    #[must_use]
    pub fn with_aliases(
        mut self,
        aliases: impl IntoIterator<Item = (&'static str, &'static str)>,
    ) -> Self {
        for (alias, name) in aliases {
            if let Some(&i) = self.columns.get(alias) {
                self.columns.entry(name.to_owned()).or_insert(i);
            }
        }
        self
    }

    /// Reads the header row, with Chinese `aliases`, and checks that it names every `needed`
    /// column; the error says what is wrong with the file.
    pub fn with_columns(
        bytes: &'a [u8],
        aliases: impl IntoIterator<Item = (&'static str, &'static str)>,
        needed: &[&str],
    ) -> Result<Self, String> {
        let table = Self::new(bytes)
            .map_err(|e| e.to_string())?
            .with_aliases(aliases);
        match needed.iter().find(|n| !table.has(n)) {
            Some(missing) => Err(format!("the header must name a {missing} column")),
            None => Ok(table),
        }
    }

    /// Whether the header names this column.
    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }

    /// Each row with its line number; a row CSV cannot read is its error.
    pub fn rows(&mut self) -> impl Iterator<Item = (usize, Result<Row<'_>, csv::Error>)> {
        let columns = &self.columns;
        self.reader
            .records()
            .enumerate()
            .map(move |(i, record)| (i + 2, record.map(|record| Row { record, columns })))
    }
}

/// One row, read by column name.
pub struct Row<'a> {
    record: StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    /// The value in `column`, if the header names it and the row has a value there.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map(crate::csv_cells::restore)
            .filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_in_chinese_reads_as_the_column_names_unless_both_are_there() {
        let aliases = [("编码", "code"), ("名称", "name")];
        let mut table = CsvTable::new("编码,名称,name\nZF01,李四,王五\n".as_bytes())
            .unwrap()
            .with_aliases(aliases);
        assert!(table.has("code") && table.has("编码"));
        let (_, row) = table.rows().next().unwrap();
        let row = row.unwrap();
        assert_eq!(row.get("code"), Some("ZF01"));
        assert_eq!(row.get("name"), Some("王五"), "a column named as such wins");
    }

    #[test]
    fn columns_are_read_by_name_with_lines_counted_from_the_header() {
        let mut table =
            CsvTable::new("\u{feff}code, name ,team\nZF01, 李四 ,\nZF02,'=x\n".as_bytes()).unwrap();
        assert!(table.has("code") && table.has("name") && !table.has("phone"));
        let rows: Vec<_> = table
            .rows()
            .map(|(line, row)| {
                let row = row.unwrap();
                let read = |c| row.get(c).map(str::to_owned);
                (line, read("code"), read("name"), read("team"))
            })
            .collect();
        assert_eq!(
            rows,
            [
                (2, Some("ZF01".into()), Some("李四".into()), None),
                (3, Some("ZF02".into()), Some("=x".into()), None),
            ]
        );
    }
}
