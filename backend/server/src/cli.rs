//! The command line: `citygrid demo | serve | import | import-osm | locate | geocode | bench`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// citygrid: grid management for a district city-management bureau.
#[derive(Debug, Parser)]
#[command(name = "citygrid", version, about)]
pub struct Cli {
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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the demo district's database if absent, then serve the map and API.
    Demo(ServeArgs),
    /// Serve the map and API over the database.
    Serve(ServeArgs),
    /// Replace one base layer from a GeoJSON file (officers: CSV or JSON).
    Import {
        /// communities, grids, streets, shops, zones, components, addresses or officers.
        layer: citygrid_core::Layer,
        file: PathBuf,
        /// The coordinate system of the file: wgs84 (also cgcs2000), gcj02 or bd09.
        #[arg(long, default_value = "wgs84")]
        crs: citygrid_core::Crs,
    },
    /// Replace the whole district from an OpenStreetMap .osm.pbf extract.
    ImportOsm {
        file: PathBuf,
        /// Grid cell size in metres.
        #[arg(long, default_value_t = 100.0)]
        grid_size: f64,
        /// The 6-digit district code that prefixes community and grid codes.
        #[arg(long, default_value = "000000")]
        district_code: String,
    },
    /// Import historical cases from CSV (all or nothing unless --skip-invalid).
    ImportCases {
        file: PathBuf,
        /// Import the valid rows and list the others, instead of refusing the file.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Write a consistent copy of the database to FILE, while it serves (online).
    Backup { file: PathBuf },
    /// Replace the database with the backup in FILE (the server must be stopped).
    Restore { file: PathBuf },
    /// Check the database's integrity; exits non-zero on a problem.
    Check,
    /// Print every route with the permission it needs and the roles that hold it (the
    /// table in docs/access.md).
    Routes,
    /// Print the audit log, oldest first.
    Audit {
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Who is responsible for this point?
    Locate {
        #[arg(allow_hyphen_values = true)]
        lon: f64,
        #[arg(allow_hyphen_values = true)]
        lat: f64,
        #[arg(long, default_value = "wgs84")]
        crs: citygrid_core::Crs,
    },
    /// Where is this address?
    Geocode {
        text: String,
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Measure case creation over HTTP and listing over a large store; print the figures.
    BenchCases {
        /// How long to create cases for.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Concurrent HTTP connections.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Cases stored for the listing measurement.
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        /// Also measure on PostgreSQL: fresh databases are made on this server (postgres://…)
        /// and dropped afterwards.
        #[arg(long)]
        pg: Option<String>,
        /// Keep the PostgreSQL databases for inspection.
        #[arg(long)]
        keep: bool,
    },
    /// Write the demo district's files (GeoJSON and officers CSV) into a folder.
    GenerateDemo { dir: PathBuf },
    /// Measure Gi*, emerging hot spots, evaluation and report figures at city scale; print a
    /// table.
    BenchAnalytics {
        /// A Python with esda and libpysal, to time esda on the same Gi* input.
        #[arg(long)]
        esda: Option<String>,
    },
    /// Measure street graphs and officer ranking on the demo district, a generated city
    /// lattice and, if given, an OpenStreetMap extract; print a table.
    BenchDispatch {
        /// An .osm.pbf extract to measure as a real network (e.g. data/osm/helsinki-center.osm.pbf).
        #[arg(long)]
        osm: Option<PathBuf>,
    },
    /// Compare the atlas and the street graph with PostGIS and pgRouting doing the same work on
    /// a generated city (10,000 cells, 100,000 shops, 20,200 street segments) in a running
    /// PostgreSQL (with the postgis and pgrouting extensions available); print a table.
    BenchPostgis {
        /// The database, e.g. postgres://postgres@127.0.0.1:5433/citygrid. A scratch schema
        /// `citygrid_bench` is dropped and made in it.
        #[arg(long)]
        pg: String,
        /// Points to assign to cells (a tenth as many nearest-shop queries).
        #[arg(long, default_value_t = 1_000_000)]
        points: usize,
        /// An .osm.pbf extract whose street network (with its one-way streets) is compared with
        /// pgRouting too (e.g. data/osm/helsinki-center.osm.pbf).
        #[arg(long)]
        osm: Option<PathBuf>,
    },
    /// Copy a whole deployment (layers, settings, cases with their histories and photos, users,
    /// the audit log, duty status, shifts) into an empty database, then compare both sides'
    /// counts and checksums. FROM and TO are `--db` values: a file or a `postgres://` URL.
    MigrateStore { from: PathBuf, to: PathBuf },
    /// Measure the atlas on the demo district and on a generated city; print a table.
    Bench {
        /// Points per measurement on the city-size atlas.
        #[arg(long, default_value_t = 1_000_000)]
        points: usize,
    },
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// An API key that Open311 clients may post requests with (repeatable). `citygrid demo`
    /// accepts `citygrid-demo` when none is given.
    #[arg(
        long = "open311-key",
        env = "CITYGRID_OPEN311_KEYS",
        value_delimiter = ','
    )]
    pub open311_keys: Vec<String>,
    /// An origin (`https://app.example.org`) whose pages may call the API (repeatable). None by
    /// default: other sites' scripts cannot read the API.
    #[arg(
        long = "cors-origin",
        env = "CITYGRID_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// The jurisdiction id announced by Open311 service discovery.
    #[arg(long, env = "CITYGRID_JURISDICTION", default_value = "citygrid")]
    pub jurisdiction_id: String,
    /// Address to listen on.
    #[arg(long, env = "CITYGRID_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// The built web app (index.html, wasm, MapLibre). Without it only the API is served.
    #[arg(long, env = "CITYGRID_WEB")]
    pub web: Option<PathBuf>,
    /// Travel speeds by mode and street class (JSON, the shape of the built-in defaults).
    #[arg(long, env = "CITYGRID_SPEEDS")]
    pub speeds: Option<PathBuf>,
    /// An officer whose newest fix is older than this is "position unknown" and not ranked.
    #[arg(long, env = "CITYGRID_FIX_FRESHNESS_MINUTES", default_value_t = 10)]
    pub fix_freshness_minutes: i64,
    /// GPS fixes are deleted after this many days.
    #[arg(long, env = "CITYGRID_POSITION_RETENTION_DAYS", default_value_t = 30)]
    pub position_retention_days: i64,
    /// The district's name, shown in the web app's header (`citygrid demo`: the demo's).
    #[arg(long, env = "CITYGRID_DISTRICT_NAME")]
    pub district_name: Option<String>,
    /// A background tile source for the map: an XYZ URL template with {z}, {x} and {y}. None
    /// by default: the map draws the district's own layers on a plain background.
    #[arg(long, env = "CITYGRID_TILES")]
    pub tiles: Option<String>,
    /// The system the tiles are drawn in: wgs84 (default) or gcj02 (most Chinese web maps; the
    /// map then shifts the data to match them).
    #[arg(long, env = "CITYGRID_TILES_CRS", default_value = "wgs84")]
    pub tiles_crs: citygrid_core::Crs,
    /// The credit line the tile source asks for.
    #[arg(long, env = "CITYGRID_TILES_ATTRIBUTION", default_value = "")]
    pub tiles_attribution: String,
    /// Load balancers or reverse proxies (addresses or ranges like 10.0.0.0/8, comma-separated)
    /// whose X-Forwarded-For names the client, for rate limits and the audit log. None by
    /// default: the header is ignored and the peer's address is used.
    #[arg(long, env = "CITYGRID_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<crate::http::client_address::Network>,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add a user; without --password-stdin a password is made and printed once.
    Add {
        username: String,
        /// admin, leader, supervisor, dispatcher, officer or planner.
        #[arg(long)]
        role: citygrid_core::account::Role,
        /// Community or grid codes a supervisor answers for.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        /// An officer's staff code.
        #[arg(long)]
        officer: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
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
