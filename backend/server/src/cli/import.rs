//! `citygrid import LAYER FILE`: replace one base layer from a file.

use std::path::PathBuf;

use anyhow::Context;

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// communities, grids, streets, shops, zones, components, addresses or officers.
    layer: citygrid_core::Layer,
    file: PathBuf,
    /// The coordinate system of the file: wgs84 (also cgcs2000), gcj02, bd09, or an EPSG code
    /// such as EPSG:4527 (CGCS2000 3° Gauss–Krüger zone 39, every zone 4491–4554), UTM or 3857.
    #[arg(long, default_value = "wgs84")]
    crs: crate::import::SourceCrs,
    /// Reads one of the file's fields as one of citygrid's: `--field code=网格号` (repeatable;
    /// the common Chinese field names need none).
    #[arg(long = "field", value_name = "OURS=THEIRS", value_parser = field_mapping)]
    fields: Vec<(String, String)>,
}

/// `code=网格号`: citygrid's field, then the file's.
fn field_mapping(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((ours, theirs)) if !ours.trim().is_empty() && !theirs.trim().is_empty() => {
            Ok((ours.trim().to_owned(), theirs.trim().to_owned()))
        }
        _ => Err(format!(
            "{text:?}: give citygrid's field and the file's, as code=网格号"
        )),
    }
}

/// The GeoJSON file with the named fields of every feature renamed to citygrid's; the file as
/// it came when there is nothing to rename or it is not a JSON object (the import then says
/// what is wrong with it).
fn renamed(bytes: Vec<u8>, fields: &[(String, String)]) -> Vec<u8> {
    if fields.is_empty() {
        return bytes;
    }
    let Ok(mut file) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return bytes;
    };
    let Some(features) = file.get_mut("features").and_then(|f| f.as_array_mut()) else {
        return bytes;
    };
    for feature in features {
        let Some(properties) = feature
            .get_mut("properties")
            .and_then(|p| p.as_object_mut())
        else {
            continue;
        };
        for (ours, theirs) in fields {
            if let Some(value) = properties.remove(theirs) {
                properties.insert(ours.clone(), value);
            }
        }
    }
    serde_json::to_vec(&file).unwrap_or(bytes)
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let bytes = renamed(open::read(&args.file)?, &args.fields);
    let format = crate::import::detect_format(&args.file.to_string_lossy(), &bytes);
    let district = open::district(&global.db, global.timezone).await?;
    let result = district
        .import_layer(args.layer, &bytes, format, &args.crs)
        .await;
    let what = format!("import {}", args.layer.as_str());
    open::audit(district.store().as_ref(), &what, &args.file, result.is_ok()).await;
    district.store().close().await;
    let report = result.with_context(|| args.file.display().to_string())?;
    println!(
        "imported {} {} from {}",
        report.count,
        report.layer,
        args.file.display()
    );
    for w in report.warnings {
        println!("warning: {w}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_own_field_names_are_mapped_as_asked() {
        let fields = vec![field_mapping("code=网格号").unwrap()];
        let file = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"网格号":"G1","面积":2}}]}"#;
        let out: serde_json::Value =
            serde_json::from_slice(&renamed(file.as_bytes().to_vec(), &fields)).unwrap();
        assert_eq!(out["features"][0]["properties"]["code"], "G1");
        assert!(out["features"][0]["properties"].get("网格号").is_none());
        assert_eq!(out["features"][0]["properties"]["面积"], 2);
        // Not JSON: handed on as it came, for the import to say what is wrong.
        assert_eq!(renamed(b"nope".to_vec(), &fields), b"nope");
        assert!(field_mapping("code").is_err() && field_mapping("=x").is_err());
    }
}
