//! The `citygrid` binary: logging, then the command the line names (`citygrid::cli`).

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    citygrid::cli::run(citygrid::cli::Cli::parse()).await
}
