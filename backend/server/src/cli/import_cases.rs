//! `citygrid import-cases FILE`: historical cases from CSV, all or nothing unless
//! `--skip-invalid`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};

use crate::cases::csv_io::CsvImportError;
use crate::cases::{CaseRules, CaseService};

use super::{Global, open};

#[derive(Debug, clap::Args)]
pub struct Args {
    file: PathBuf,
    /// Import the valid rows and list the others, instead of refusing the file.
    #[arg(long)]
    skip_invalid: bool,
}

pub async fn run(global: &Global, rules: Arc<CaseRules>, args: Args) -> anyhow::Result<()> {
    let bytes = open::read(&args.file)?;
    let district = open::district(&global.db, global.timezone).await?;
    let store = district.store().clone();
    let mut cases = CaseService::new(district, rules);
    // The same catalogue the server uses: the file's, else an admin's, else built in.
    if let Some(file) = &global.categories {
        cases = cases.with_catalogue_file(&file.display().to_string());
    }
    let result = match cases.load_saved_catalogue().await {
        Ok(_) => {
            cases
                .import_csv(&bytes, args.skip_invalid, &open::actor())
                .await
        }
        Err(e) => {
            store.close().await;
            return Err(e).context("reading the saved category catalogue");
        }
    };
    open::audit(store.as_ref(), "import-cases", &args.file, result.is_ok()).await;
    store.close().await;
    match result {
        Ok(report) => {
            println!(
                "imported {} cases from {}",
                report.imported,
                args.file.display()
            );
            for e in report.skipped {
                println!(
                    "skipped line {}, field `{}`: {}",
                    e.line, e.field, e.problem
                );
            }
            Ok(())
        }
        Err(CsvImportError::Rows(rows)) => {
            let lines: Vec<String> = rows
                .iter()
                .map(|e| format!("  line {}, field `{}`: {}", e.line, e.field, e.problem))
                .collect();
            bail!(
                "{}: {} invalid row(s); nothing was imported:\n{}",
                args.file.display(),
                rows.len(),
                lines.join("\n")
            )
        }
        Err(e) => Err(e).with_context(|| args.file.display().to_string()),
    }
}
