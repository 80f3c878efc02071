//! `citygrid migrate-store FROM TO`: a whole deployment copied into an empty database, then
//! both sides compared.

use std::path::PathBuf;

use anyhow::Context;

use super::{open, shown};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The deployment to copy: a file or a `postgres://` URL.
    from: PathBuf,
    /// An empty database to copy it into: a file or a `postgres://` URL.
    to: PathBuf,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let (from, to) = (&args.from, &args.to);
    let source = open::store(from).await?;
    let target = match open::store(to).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let result = crate::migrate_store::migrate(source.as_ref(), target.as_ref()).await;
    open::audit(target.as_ref(), "migrate-store", from, result.is_ok()).await;
    source.close().await;
    target.close().await;
    let report = result.with_context(|| format!("copying {} to {}", shown(from), shown(to)))?;
    println!(
        "copied {} features, {} cases with {} events, {} photos, {} users, {} audit entries, {} login throttles, {} duty statuses, {} shifts, {} assessments, {} period ledger entries, {} campaigns with {} actions, {} applications, {} work orders, {} report texts from {} to {}",
        report.features,
        report.cases,
        report.events,
        report.photos,
        report.users,
        report.audit_entries,
        report.login_throttles,
        report.statuses,
        report.shifts,
        report.assessments,
        report.period_entries,
        report.campaigns,
        report.actions,
        report.applications,
        report.work_orders,
        report.report_texts,
        shown(from),
        shown(to)
    );
    for (what, sum) in &report.checksums {
        println!("  {what}: sha256 {sum} on both sides");
    }
    Ok(())
}
