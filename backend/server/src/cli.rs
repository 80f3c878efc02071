//! The command line: one module per command under `cli/`, each with its options and a `run`.
//! This module parses the line and hands it to the command; `main.rs` only sets up logging.

mod audit;
mod backup;
mod check;
mod export;
mod generate_demo;
mod geocode;
mod import;
mod import_cases;
mod import_osm;
mod locate;
mod migrate_store;
mod open;
mod restore;
mod routes;
mod serve;
mod user;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

pub use serve::Args as ServeArgs;

/// citygrid: grid management for a district city-management bureau.
#[derive(Debug, Parser)]
#[command(name = "citygrid", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The database: a file path for the embedded GeoPackage store, or a `postgres://` URL for
    /// PostgreSQL with PostGIS (several servers may share one).
    #[arg(
        long,
        env = "CITYGRID_DB",
        default_value = "citygrid.gpkg",
        global = true
    )]
    pub db: PathBuf,

    /// The district's time zone (IANA name), for zone hours and display.
    #[arg(
        long,
        env = "CITYGRID_TIMEZONE",
        default_value = "Asia/Shanghai",
        global = true
    )]
    pub timezone: chrono_tz::Tz,

    /// A category catalogue replacing the built-in one (`data/categories.json`).
    #[arg(long, env = "CITYGRID_CATEGORIES", global = true)]
    pub categories: Option<PathBuf>,

    /// A working calendar replacing the built-in one (`data/calendar.json`).
    #[arg(long, env = "CITYGRID_CALENDAR", global = true)]
    pub calendar: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the demo district's database if absent, then serve the map and API.
    Demo(ServeArgs),
    /// Serve the map and API over the database.
    Serve(ServeArgs),
    /// Replace one base layer from its files: GeoJSON, Shapefiles (or a .zip of them), a GeoPackage table (officers: CSV or JSON); --dry-run previews.
    Import(import::Args),
    /// Write one base layer for a GIS: GeoJSON, GeoPackage or zipped Shapefile, in WGS 84 or
    /// the bureau's own system, with Chinese field names if asked.
    Export(export::Args),
    /// Replace the whole district from an OpenStreetMap .osm.pbf extract.
    ImportOsm(import_osm::Args),
    /// Import historical cases from CSV (all or nothing unless --skip-invalid).
    ImportCases(import_cases::Args),
    /// Write a consistent copy of the database to FILE, while it serves (online).
    Backup(backup::Args),
    /// Replace the database with the backup in FILE (the server must be stopped).
    Restore(restore::Args),
    /// Check the database's integrity; exits non-zero on a problem.
    Check,
    /// Print every route with the permission it needs and the roles that hold it (the
    /// table in docs/access.md).
    Routes,
    /// Print the audit log, oldest first.
    Audit(audit::Args),
    /// Manage users.
    User {
        #[command(subcommand)]
        action: user::Action,
    },
    /// Who is responsible for this point?
    Locate(locate::Args),
    /// Where is this address?
    Geocode(geocode::Args),
    /// Write the demo district's files (GeoJSON and officers CSV) into a folder.
    GenerateDemo(generate_demo::Args),
    /// Copy a whole deployment (layers, settings, cases with their histories and photos, users,
    /// the audit log, duty status, shifts) into an empty database, then compare both sides'
    /// counts and checksums. FROM and TO are `--db` values: a file or a `postgres://` URL.
    MigrateStore(migrate_store::Args),
}

/// Runs the command the line names.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let global = cli.global;
    let rules = || -> anyhow::Result<Arc<crate::cases::CaseRules>> {
        Ok(Arc::new(crate::cases::CaseRules::load(
            global.categories.as_deref(),
            global.calendar.as_deref(),
        )?))
    };
    match cli.command {
        Command::Demo(args) => serve::demo(&global, rules()?, args).await,
        Command::Serve(args) => serve::serve(&global, rules()?, args).await,
        Command::Import(args) => import::run(&global, args).await,
        Command::Export(args) => export::run(&global, args).await,
        Command::ImportOsm(args) => import_osm::run(&global, args).await,
        Command::ImportCases(args) => import_cases::run(&global, rules()?, args).await,
        Command::Backup(args) => backup::run(&global, args).await,
        Command::Restore(args) => restore::run(&global, args).await,
        Command::Check => check::run(&global).await,
        Command::Routes => {
            routes::run();
            Ok(())
        }
        Command::Audit(args) => audit::run(&global, args).await,
        Command::User { action } => user::run(&global, action).await,
        Command::Locate(args) => locate::run(&global, args).await,
        Command::Geocode(args) => geocode::run(&global, args).await,
        Command::GenerateDemo(args) => generate_demo::run(&args),
        Command::MigrateStore(args) => migrate_store::run(args).await,
    }
}

/// Whether `--db` names a PostgreSQL database (`postgres://…`) rather than a file.
pub fn is_postgres(db: &std::path::Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// `--db` for messages: a PostgreSQL URL without its password.
pub fn shown(db: &std::path::Path) -> String {
    let text = db.display().to_string();
    let Some((scheme, rest)) = text.split_once("://") else {
        return text;
    };
    let Some((user_info, host)) = rest.rsplit_once('@') else {
        return text;
    };
    let user = user_info.split(':').next().unwrap_or_default();
    let hidden = if user_info.contains(':') { ":***" } else { "" };
    format!("{scheme}://{user}{hidden}@{host}")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_database_url_is_told_from_a_file_and_shown_without_its_password() {
        assert!(is_postgres(Path::new(
            "postgres://citygrid@db:5432/district"
        )));
        assert!(is_postgres(Path::new("postgresql://db/district")));
        assert!(!is_postgres(Path::new("citygrid.gpkg")));
        assert!(!is_postgres(Path::new("/var/lib/postgres/citygrid.gpkg")));
        assert_eq!(
            shown(Path::new("postgres://citygrid:s3cret@db:5432/district")),
            "postgres://citygrid:***@db:5432/district"
        );
        assert_eq!(
            shown(Path::new("postgres://citygrid@db/district")),
            "postgres://citygrid@db/district"
        );
        assert_eq!(shown(Path::new("citygrid.gpkg")), "citygrid.gpkg");
    }
}
