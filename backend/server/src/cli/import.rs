//! `citygrid import LAYER FILE…`: replace one base layer from one or more files — GeoJSON,
//! Shapefiles (or a `.zip` of them), a GeoPackage table — or preview it with `--dry-run`.

use std::path::PathBuf;

use anyhow::Context;
use citygrid_core::Layer;
use citygrid_core::api::layers::LayerPreview;

use super::{Global, open};
use crate::import::{DatumShift, ReadOptions, SourceCrs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// communities, grids, streets, shops, zones, components, addresses or officers.
    layer: Layer,
    /// The layer's files: .geojson, .shp (with its .shx, .dbf, .prj, .cpg beside it), .zip of
    /// Shapefiles, .gpkg; several make one layer (door points and door-front areas of shops).
    /// Officers come from one CSV or JSON file.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The coordinate system of the files, over what a .prj or GeoPackage declares: wgs84
    /// (also cgcs2000), gcj02, bd09, or an EPSG code such as EPSG:4527 (CGCS2000 3°
    /// Gauss–Krüger zone 39; every zone of CGCS2000, Xi'an 1980 and Beijing 1954), UTM or 3857.
    /// Without it and without a declaration, WGS 84.
    #[arg(long)]
    crs: Option<SourceCrs>,
    /// The bureau's 7-parameter transformation from Xi'an 1980 or Beijing 1954 to WGS 84:
    /// dx,dy,dz (metres),rx,ry,rz (arc-seconds),ds (ppm), as PROJ's towgs84.
    #[arg(long, value_name = "DX,DY,DZ,RX,RY,RZ,DS")]
    towgs84: Option<DatumShift>,
    /// The encoding of the .dbf text (UTF-8, GBK, GB18030, Big5 …), over its .cpg and code page.
    #[arg(long)]
    encoding: Option<String>,
    /// Reads one of the file's fields as one of citygrid's: `--field code=网格号` (repeatable;
    /// the common Chinese field names need none).
    #[arg(long = "field", value_name = "OURS=THEIRS", value_parser = crate::import::parse_field_mapping)]
    fields: Vec<(String, String)>,
    /// The GeoPackage table to read, when the file has several.
    #[arg(long)]
    table: Option<String>,
    /// Shows what would be imported — counts, coordinate system, encoding, field mapping,
    /// extent, the first errors — and changes nothing.
    #[arg(long)]
    dry_run: bool,
}

impl Args {
    fn options(&self) -> anyhow::Result<ReadOptions> {
        let encoding = match &self.encoding {
            Some(name) => Some(crate::import::encoding_by_name(name).with_context(|| {
                format!("--encoding {name:?}: not an encoding (UTF-8, GBK, GB18030, Big5 …)")
            })?),
            None => None,
        };
        Ok(ReadOptions {
            crs: self.crs.clone(),
            shift: self.towgs84.clone(),
            fields: self.fields.clone(),
            encoding,
        })
    }

    fn shown(&self) -> String {
        let names: Vec<String> = self.files.iter().map(|f| f.display().to_string()).collect();
        names.join(", ")
    }
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if args.layer == Layer::Officers {
        return officers(global, &args).await;
    }
    let options = args.options()?;
    let files = crate::import::open_files::read_paths(&args.files, &options, args.table.as_deref())
        .await
        .with_context(|| args.shown())?;
    if args.dry_run {
        let preview =
            crate::import::preview(args.layer, files, &options).with_context(|| args.shown())?;
        print_preview(&preview);
        return Ok(());
    }
    let district = open::district(&global.db, global.timezone).await?;
    let result = district.import_files(args.layer, files, &options).await;
    let what = format!("import {}", args.layer.as_str());
    for file in &args.files {
        open::audit(district.store().as_ref(), &what, file, result.is_ok()).await;
    }
    let mut unknown_rules = Vec::new();
    if args.layer == citygrid_core::layer::Layer::Sections && result.is_ok() {
        let book = crate::assessments::ChecklistBook::new(district.store().clone());
        // The templates an admin saved, else the shipped ones.
        let _ = book.load_saved().await;
        unknown_rules = crate::assessments::periods::unknown_rules(
            &district.atlas().base().sections,
            &book.current(),
        );
    }
    district.store().close().await;
    let mut report = result.with_context(|| args.shown())?;
    report.warnings.extend(unknown_rules);
    println!(
        "imported {} {} from {}",
        report.count,
        report.layer,
        args.shown()
    );
    for w in report.warnings {
        println!("warning: {w}");
    }
    Ok(())
}

/// Officers: one CSV or JSON file, as before.
async fn officers(global: &Global, args: &Args) -> anyhow::Result<()> {
    let [file] = args.files.as_slice() else {
        anyhow::bail!("officers are imported from one CSV or JSON file");
    };
    let bytes = open::read(file)?;
    let format = crate::import::detect_format(&file.to_string_lossy(), &bytes);
    let crs = SourceCrs::default();
    if args.dry_run {
        let rows = crate::import::parse_layer(args.layer, &bytes, format, &crs)
            .with_context(|| file.display().to_string())?;
        println!(
            "would import {} officers from {}",
            rows.len(),
            file.display()
        );
        return Ok(());
    }
    let district = open::district(&global.db, global.timezone).await?;
    let result = district
        .import_layer(args.layer, &bytes, format, &crs)
        .await;
    open::audit(
        district.store().as_ref(),
        "import officers",
        file,
        result.is_ok(),
    )
    .await;
    district.store().close().await;
    let report = result.with_context(|| file.display().to_string())?;
    println!("imported {} officers from {}", report.count, file.display());
    Ok(())
}

fn print_preview(p: &LayerPreview) {
    println!("dry run: nothing was changed");
    for f in &p.files {
        println!(
            "file {}: {} features, read in {}",
            f.name, f.features, f.crs
        );
        if let Some(encoding) = &f.encoding {
            println!("  text decoded as {encoding}");
        }
        println!("  fields: {}", f.fields.join(", "));
    }
    for m in &p.mapping {
        println!("field {} read as {}", m.from, m.field);
    }
    if p.errors.is_empty() {
        println!("would import {} {}", p.count, p.layer);
        if let Some([w, s, e, n]) = p.extent {
            println!("extent (WGS 84): {w:.6}, {s:.6} – {e:.6}, {n:.6}");
        }
    } else {
        println!(
            "would be refused: {} problem(s), the first:",
            p.errors.len()
        );
        for e in &p.errors {
            let at = match (&e.file, e.feature) {
                (Some(file), Some(i)) => format!("{file}, feature {i}"),
                (None, Some(i)) => format!("feature {i}"),
                _ => String::new(),
            };
            let code = e
                .code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            println!("  {at}{code}, field `{}`: {}", e.field, e.problem);
        }
    }
}
