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

/// Text as printed: control characters (a newline that would forge a line, a terminal's escape
/// sequences) shown as escapes, everything else as it is.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
                escaped(&e.actor),
                escaped(&e.origin),
                escaped(&e.action),
                e.status,
                escaped(e.detail.as_deref().unwrap_or(""))
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn control_characters_cannot_forge_lines_or_move_the_terminal() {
        assert_eq!(
            escaped("bob\n1 2026-01-01 admin\u{1b}[2J"),
            "bob\\n1 2026-01-01 admin\\u{1b}[2J"
        );
        assert_eq!(escaped("张三 ok"), "张三 ok");
    }
}
