//! `citygrid serve` and `citygrid demo`: the map and the API over the database; the demo first
//! creates its district when the database has none.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use crate::cases::CaseRules;
use crate::http::WebApp;
use crate::http::client_address::{Network, TrustedProxies};
use crate::http::open311::Open311Config;
use crate::http::site::{SiteConfig, checked_tiles};
use crate::server::{Server, ServerConfig};

use super::{Global, is_postgres, open, shown};

/// The Open311 API key of the demo (documented in the README).
const DEMO_OPEN311_KEY: &str = "citygrid-demo";
/// The key the demo's 12345 platform pushes work orders with (documented in the README).
const DEMO_HOTLINE_KEY: &str = "citygrid-hotline-demo";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An API key that Open311 clients may post requests with (repeatable). `citygrid demo`
    /// accepts `citygrid-demo` when none is given.
    #[arg(
        long = "open311-key",
        env = "CITYGRID_OPEN311_KEYS",
        value_delimiter = ','
    )]
    pub open311_keys: Vec<String>,
    /// A key the city's 12345 platform may push work orders with, in `X-Api-Key`
    /// (repeatable). `citygrid demo` accepts `citygrid-hotline-demo` when none is given.
    #[arg(
        long = "hotline-key",
        env = "CITYGRID_HOTLINE_KEYS",
        value_delimiter = ','
    )]
    pub hotline_keys: Vec<String>,
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
    /// A built web app to serve instead of the one inside the binary (index.html, wasm,
    /// MapLibre), e.g. `dist/web` while developing it.
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
    pub trusted_proxy: Vec<Network>,
    /// Tell browsers to reach this server over HTTPS only, for a year
    /// (`Strict-Transport-Security`). Only behind TLS: a proxy that terminates HTTPS.
    #[arg(long, env = "CITYGRID_HSTS")]
    pub hsts: bool,
}

/// `citygrid demo`: the demo district (created on first run), its users and Open311 key, and
/// its officers on patrol.
pub async fn demo(global: &Global, rules: Arc<CaseRules>, mut args: Args) -> anyhow::Result<()> {
    if args.open311_keys.is_empty() {
        args.open311_keys.push(DEMO_OPEN311_KEY.to_owned());
    }
    if args.hotline_keys.is_empty() {
        args.hotline_keys.push(DEMO_HOTLINE_KEY.to_owned());
    }
    let fresh = !is_postgres(&global.db) && !global.db.exists();
    let district = open::district(&global.db, global.timezone).await?;
    if fresh || district.atlas().base().grids.is_empty() {
        let loaded = crate::demo::load(&district, &rules).await;
        let cases = match loaded {
            Ok(cases) => cases,
            Err(e) => {
                district.store().close().await;
                return Err(e).context("loading the demo district");
            }
        };
        eprintln!(
            "created the demo district {} with a year of {cases} cases in {}",
            crate::demo::DISTRICT_NAME,
            shown(&global.db)
        );
    }
    if args.district_name.is_none() {
        args.district_name = Some(crate::demo::DISTRICT_NAME.to_owned());
    }
    run(global, district, rules, args, true).await
}

/// `citygrid serve`.
pub async fn serve(global: &Global, rules: Arc<CaseRules>, args: Args) -> anyhow::Result<()> {
    let district = open::district(&global.db, global.timezone).await?;
    run(global, district, rules, args, false).await
}

async fn run(
    global: &Global,
    district: crate::district::District,
    rules: Arc<CaseRules>,
    args: Args,
    patrol: bool,
) -> anyhow::Result<()> {
    let store = district.store().clone();
    let config = match config(global, args, patrol) {
        Ok(c) => c,
        Err(e) => {
            store.close().await;
            return Err(e);
        }
    };
    let cells = district.atlas().base().grids.len();
    let accounts = crate::accounts::Accounts::new(store.clone());
    let admin = accounts.ensure_admin(chrono::Utc::now()).await;
    let server = match admin {
        Ok(made) => {
            if let Some(password) = made {
                eprintln!(
                    "a fresh installation: log in as admin with the one-time password {password} (it must be changed at the first login)"
                );
            }
            Server::start(district, rules, config).await
        }
        Err(e) => {
            store.close().await;
            return Err(e).context("making the first admin");
        }
    };
    let server = match server {
        Ok(s) => s,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    let addr = server.local_addr()?;
    println!(
        "citygrid is serving {cells} grid cells at http://{addr}/ (API under http://{addr}/api/v1/)"
    );
    server.run(crate::server::shutdown_signal()).await?;
    Ok(())
}

/// The server's configuration from the command line: files read, options checked.
fn config(global: &Global, args: Args, patrol: bool) -> anyhow::Result<ServerConfig> {
    let speeds = match &args.speeds {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            crate::routing::Speeds::from_json(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| file.display().to_string())?
        }
        None => crate::routing::Speeds::default(),
    };
    let tiles = args
        .tiles
        .as_deref()
        .map(|url| checked_tiles(url, args.tiles_crs, &args.tiles_attribution))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--tiles")?;
    let web = match args.web {
        Some(dir) if dir.join("index.html").exists() => WebApp::Dir(dir),
        Some(dir) => {
            tracing::warn!("no index.html in {}; serving the API only", dir.display());
            WebApp::None
        }
        None if WebApp::embedded_present() => WebApp::Embedded,
        None => {
            tracing::warn!(
                "this binary was built without the web app (build it with `cargo xtask web` before the binary, or give --web DIR); serving the API only"
            );
            WebApp::None
        }
    };
    Ok(ServerConfig {
        addr: args.addr,
        site: SiteConfig {
            name: args.district_name.unwrap_or_else(|| "citygrid".to_owned()),
            tiles,
        },
        open311: Open311Config {
            api_keys: args.open311_keys,
            jurisdiction_id: args.jurisdiction_id,
        },
        hotline_keys: args.hotline_keys,
        cors_origins: args.cors_origins,
        trusted_proxies: TrustedProxies(args.trusted_proxy),
        speeds,
        fix_freshness: chrono::Duration::minutes(args.fix_freshness_minutes),
        position_retention: chrono::Duration::days(args.position_retention_days),
        catalogue_file: global.categories.as_ref().map(|f| f.display().to_string()),
        web,
        patrol,
        hsts: args.hsts,
    })
}
