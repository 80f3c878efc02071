//! Officers from CSV (`code,name,team,phone,grids`) or a JSON array of objects with those fields.
//! `grids` is a list of grid codes: a JSON array, or text split on `;`, `,` or `|`.

use std::collections::HashMap;

use citygrid_core::features::Officer;
use citygrid_core::ids::{GridCode, OfficerCode};

use super::MAX_REPORTED_ERRORS;
use super::csv_table::CsvTable;
use super::error::{FeatureError, ImportError};
use super::props::{Props, split_list};

/// Checks codes are unique; `at[i]` is where officer `i` came from (line or index).
fn finish(
    officers: Vec<Officer>,
    at: &[usize],
    mut errors: Vec<FeatureError>,
    lines: bool,
) -> Result<Vec<Officer>, ImportError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (o, &here) in officers.iter().zip(at) {
        if let Some(first) = seen.insert(o.code.as_str(), here) {
            let mut e = FeatureError::new(
                here,
                Some(o.code.as_str()),
                "code",
                format!("duplicate code, also at {first}"),
            );
            e.is_line = lines;
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.index);
        errors.truncate(MAX_REPORTED_ERRORS);
        return Err(ImportError::Invalid { errors });
    }
    if officers.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(officers)
}

/// Parses officers from CSV with a header row.
pub fn parse_officers_csv(bytes: &[u8]) -> Result<Vec<Officer>, ImportError> {
    let mut table =
        CsvTable::new(bytes).map_err(|e| ImportError::Format(format!("not valid CSV: {e}")))?;
    if !(table.has("code") && table.has("name")) {
        return Err(ImportError::Format(
            "the CSV header must name at least the columns code and name".to_owned(),
        ));
    }
    let mut officers = Vec::new();
    let mut at = Vec::new();
    let mut errors = Vec::new();
    for (line, row) in table.rows() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                errors.push(FeatureError {
                    file: None,
                    index: line,
                    is_line: true,
                    code: None,
                    field: "row".to_owned(),
                    problem: e.to_string(),
                });
                continue;
            }
        };
        let (code, name) = (row.get("code"), row.get("name"));
        for (field, value) in [("code", code), ("name", name)] {
            if value.is_none() {
                errors.push(FeatureError {
                    file: None,
                    index: line,
                    is_line: true,
                    code: code.map(str::to_owned),
                    field: field.to_owned(),
                    problem: "is required".to_owned(),
                });
            }
        }
        if let (Some(code), Some(name)) = (code, name) {
            at.push(line);
            officers.push(Officer {
                code: OfficerCode::from(code.to_owned()),
                name: name.to_owned(),
                team: row.get("team").map(str::to_owned),
                phone: row.get("phone").map(str::to_owned),
                grids: row
                    .get("grids")
                    .map(split_list)
                    .unwrap_or_default()
                    .into_iter()
                    .map(GridCode::from)
                    .collect(),
            });
        }
    }
    finish(officers, &at, errors, true)
}

/// Parses officers from a JSON array of objects.
pub fn parse_officers_json(bytes: &[u8]) -> Result<Vec<Officer>, ImportError> {
    let items: Vec<serde_json::Value> = serde_json::from_slice(bytes)
        .map_err(|e| ImportError::Format(format!("expected a JSON array of officers: {e}")))?;
    let mut officers = Vec::new();
    let mut at = Vec::new();
    let mut errors = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let serde_json::Value::Object(map) = item else {
            errors.push(FeatureError::new(
                index,
                None,
                "officer",
                "expected an object",
            ));
            continue;
        };
        let mut p = Props::new(index, map, &mut errors);
        let code = p.code("code");
        let name = p.required_text("name");
        let team = p.text("team");
        let phone = p.text("phone");
        let grids = p.list("grids").into_iter().map(GridCode::from).collect();
        if !code.is_empty() && !name.is_empty() {
            at.push(index);
            officers.push(Officer {
                code: OfficerCode::from(code),
                name,
                team,
                phone,
                grids,
            });
        }
    }
    finish(officers, &at, errors, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_officers_with_grid_lists() {
        let csv =
            "code,name,team,phone,grids\nA01,张伟,一中队,13800000000,G1;G2\nA02,李娜,二中队,,\n";
        let officers = parse_officers_csv(csv.as_bytes()).unwrap();
        assert_eq!(officers.len(), 2);
        assert_eq!(
            officers[0].grids,
            [GridCode::from("G1"), GridCode::from("G2")]
        );
        assert_eq!(officers[1].phone, None);
    }

    #[test]
    fn csv_errors_name_the_line_and_field() {
        let csv = "code,name\nA01,张伟\n,李娜\nA01,王芳\n";
        let err = parse_officers_csv(csv.as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 3, field `code`: is required"), "{text}");
        assert!(
            text.contains("line 4 (A01), field `code`: duplicate code, also at 2"),
            "{text}"
        );
    }

    #[test]
    fn json_officers() {
        let json = r#"[{"code":"A01","name":"张伟","grids":["G1"]},{"code":"A02"}]"#;
        let err = parse_officers_json(json.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .contains("feature 1 (A02), field `name`: is required"),
            "{err}"
        );
        let ok = parse_officers_json(br#"[{"code":"A01","name":"Z","grids":"G1,G2"}]"#).unwrap();
        assert_eq!(ok[0].grids.len(), 2);
    }
}
