//! `citygrid audit [--limit N]`: the audit log, oldest first.

use super::{Global, open};
use crate::store::Page;

/// Entries read from the store at a time.
const PAGE: usize = 1000;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The most entries to print (the oldest first); reading stops there.
    #[arg(long, default_value_t = 1000)]
    limit: usize,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let store = open::store(&global.db).await?;
    let result = print(store.as_ref(), args.limit).await;
    store.close().await;
    result
}

async fn print(store: &dyn crate::store::Store, limit: usize) -> anyhow::Result<()> {
    let mut after = 0;
    let mut left = limit;
    while left > 0 {
        let page = store
            .audit_after(Page {
                after,
                limit: left.min(PAGE),
            })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        left = left.saturating_sub(page.len());
        for e in page {
            println!(
                "{} {} {} {} {} {} {}",
                e.seq,
                e.at.to_rfc3339(),
                e.actor,
                e.origin,
                e.action,
                e.status,
                e.detail.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}
