//! The `citygrid` binary: parse the command line, open the store, run the command.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use citygrid::atlas::{GeocodeOptions, LocateOptions};
use citygrid::cases::CaseRules;
use citygrid::cli::{Cli, Command, ServeArgs, UserAction};
use citygrid::cli::{is_postgres, shown};
use citygrid::district::District;
use citygrid::http::open311::Open311Config;
use citygrid::http::{AppState, app};
use citygrid::import::{self, osm};
use citygrid::store::{SqliteStore, Store};
use citygrid::{bench, demo};
use clap::Parser;

/// The Open311 API key of the demo (documented in the README).
const DEMO_OPEN311_KEY: &str = "citygrid-demo";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rules = Arc::new(CaseRules::load(
        cli.categories.as_deref(),
        cli.calendar.as_deref(),
    )?);
    match cli.command {
        Command::GenerateDemo { dir } => generate_demo(&dir),
        Command::BenchCases {
            seconds,
            clients,
            cases,
            pg,
            keep,
        } => citygrid::bench_cases::run(seconds, clients, cases, pg, keep).await,
        Command::BenchAnalytics { esda } => {
            println!("measuring (release builds only give meaningful figures)…");
            let rows = citygrid::bench_analytics::run(esda.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bench::print_rows(&rows);
            Ok(())
        }
        Command::BenchDispatch { osm } => {
            let bytes = osm
                .as_ref()
                .map(|f| std::fs::read(f).with_context(|| format!("reading {}", f.display())))
                .transpose()?;
            println!("measuring (release builds only give meaningful figures)…");
            let rows = citygrid::bench_dispatch::run(bytes.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bench::print_rows(&rows);
            Ok(())
        }
        Command::MigrateStore { from, to } => {
            let source = open_store(&from).await?;
            let target = open_store(&to).await?;
            let report = citygrid::migrate_store::migrate(source.as_ref(), target.as_ref())
                .await
                .with_context(|| format!("copying {} to {}", shown(&from), shown(&to)))?;
            audit(target.as_ref(), "migrate-store", &from, true).await;
            println!(
                "copied {} features, {} cases with {} events, {} photos, {} users, {} audit entries, {} duty statuses, {} shifts from {} to {}",
                report.features,
                report.cases,
                report.events,
                report.photos,
                report.users,
                report.audit_entries,
                report.statuses,
                report.shifts,
                shown(&from),
                shown(&to)
            );
            for (what, sum) in &report.checksums {
                println!("  {what}: sha256 {sum} on both sides");
            }
            Ok(())
        }
        Command::BenchPostgis { pg, points, osm } => {
            let bytes = osm
                .as_ref()
                .map(|f| std::fs::read(f).with_context(|| format!("reading {}", f.display())))
                .transpose()?;
            println!("measuring (release builds only give meaningful figures)…");
            let rows = citygrid::bench_postgis::run(&pg, points, bytes.as_deref()).await?;
            for r in rows {
                let label = format!("{}:", r.against);
                println!(
                    "{}\n  citygrid: {}\n  {label:9} {}\n  ratio:    {}\n  answers:  {}",
                    r.what, r.citygrid, r.postgis, r.ratio, r.agreement
                );
            }
            Ok(())
        }
        Command::Bench { points } => {
            bench::run(points);
            Ok(())
        }
        Command::Demo(mut args) => {
            if args.open311_keys.is_empty() {
                args.open311_keys.push(DEMO_OPEN311_KEY.to_owned());
            }
            let fresh = !is_postgres(&cli.db) && !cli.db.exists();
            let district = open(&cli.db, cli.timezone).await?;
            if fresh || district.atlas().base().grids.is_empty() {
                let cases = demo::load(&district, &rules)
                    .await
                    .context("loading the demo district")?;
                eprintln!(
                    "created the demo district {} with a year of {cases} cases in {}",
                    demo::DISTRICT_NAME,
                    shown(&cli.db)
                );
            }
            if args.district_name.is_none() {
                args.district_name = Some(demo::DISTRICT_NAME.to_owned());
            }
            serve(district, rules, args, true, cli.categories.clone()).await
        }
        Command::Serve(args) => {
            let district = open(&cli.db, cli.timezone).await?;
            serve(district, rules, args, false, cli.categories.clone()).await
        }
        Command::Import { layer, file, crs } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let format = import::detect_format(&file.to_string_lossy(), &bytes);
            let district = open(&cli.db, cli.timezone).await?;
            let result = district.import_layer(layer, &bytes, format, crs).await;
            let what = format!("import {}", layer.as_str());
            audit(district.store().as_ref(), &what, &file, result.is_ok()).await;
            match result {
                Ok(report) => {
                    println!(
                        "imported {} {} from {}",
                        report.count,
                        report.layer,
                        file.display()
                    );
                    for w in report.warnings {
                        println!("warning: {w}");
                    }
                    Ok(())
                }
                Err(e) => bail!("{}: {e}", file.display()),
            }
        }
        Command::ImportOsm {
            file,
            grid_size,
            district_code,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let options = osm::OsmOptions {
                grid_size_m: grid_size,
                district_code,
            };
            let base = osm::import_osm(&bytes, &options)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let district = open(&cli.db, cli.timezone).await?;
            let result = district.replace(base.into_rows()).await;
            audit(
                district.store().as_ref(),
                "import-osm",
                &file,
                result.is_ok(),
            )
            .await;
            let reports = result.with_context(|| format!("storing {}", file.display()))?;
            for r in reports {
                println!("{:>12}: {}", r.layer.as_str(), r.count);
                for w in r.warnings.iter().take(10) {
                    println!("warning: {w}");
                }
            }
            Ok(())
        }
        Command::ImportCases { file, skip_invalid } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let district = open(&cli.db, cli.timezone).await?;
            let store = district.store().clone();
            let mut cases = citygrid::cases::CaseService::new(district, rules);
            // The same catalogue the server uses: the file's, else an admin's, else built in.
            if let Some(file) = &cli.categories {
                cases = cases.with_catalogue_file(&file.display().to_string());
            }
            cases
                .load_saved_catalogue()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let result = cases.import_csv(&bytes, skip_invalid, &cli_actor()).await;
            audit(store.as_ref(), "import-cases", &file, result.is_ok()).await;
            match result {
                Ok(report) => {
                    println!("imported {} cases from {}", report.imported, file.display());
                    for e in report.skipped {
                        println!(
                            "skipped line {}, field `{}`: {}",
                            e.line, e.field, e.problem
                        );
                    }
                    Ok(())
                }
                Err(citygrid::cases::csv_io::CsvImportError::Rows(rows)) => {
                    let lines: Vec<String> = rows
                        .iter()
                        .map(|e| format!("  line {}, field `{}`: {}", e.line, e.field, e.problem))
                        .collect();
                    bail!(
                        "{}: {} invalid row(s); nothing was imported:\n{}",
                        file.display(),
                        rows.len(),
                        lines.join("\n")
                    )
                }
                Err(e) => bail!("{}: {e}", file.display()),
            }
        }
        Command::User {
            action:
                UserAction::Add {
                    username,
                    role,
                    scope,
                    officer,
                    display_name,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let store = open_store(&cli.db).await?;
            let accounts = citygrid::accounts::Accounts::new(store.clone());
            let what = format!("user add {username} ({role})");
            let spec = citygrid::accounts::UserSpec {
                username,
                password,
                role,
                display_name,
                scope,
                officer,
            };
            let result = accounts.add_user(spec, chrono::Utc::now()).await;
            audit(store.as_ref(), &what, Path::new(""), result.is_ok()).await;
            let (user, made) = result.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("added {} ({})", user.username, user.role);
            if let Some(password) = made {
                println!("password (shown once; to be changed at the first login): {password}");
            }
            Ok(())
        }
        Command::Routes => {
            print!(
                "{}",
                citygrid::http::endpoint::access_table(&citygrid::http::endpoints())
            );
            Ok(())
        }
        Command::Audit { limit } => {
            let store = open_store(&cli.db).await?;
            let mut after = 0;
            let mut shown = 0;
            loop {
                let page = store.audit_after(after, 1000).await?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for e in page {
                    if shown >= limit {
                        break;
                    }
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
                    shown += 1;
                }
            }
            Ok(())
        }
        Command::Backup { file } => {
            let store = open_file(&cli.db, "backup").await?;
            let result = store.backup(&file).await;
            audit(&store, "backup", &file, result.is_ok()).await;
            result.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("backed up {} to {}", cli.db.display(), file.display());
            Ok(())
        }
        Command::Restore { file } => {
            if is_postgres(&cli.db) {
                bail!("restore works on the embedded database file; for PostgreSQL use pg_restore");
            }
            citygrid::store::maintenance::restore(&file, &cli.db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("restored {} from {}", cli.db.display(), file.display());
            Ok(())
        }
        Command::Check => {
            let store = open_file(&cli.db, "check").await?;
            let problems = store.check().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if problems.is_empty() {
                println!("ok");
                Ok(())
            } else {
                bail!("{}: {}", cli.db.display(), problems.join("; "))
            }
        }
        Command::Locate { lon, lat, crs } => {
            let p = citygrid_core::LonLat::new(lon, lat).context("the point")?;
            let district = open(&cli.db, cli.timezone).await?;
            let location = district
                .atlas()
                .locate(crs.to_wgs84(p), &LocateOptions::default());
            println!("{}", serde_json::to_string_pretty(&location)?);
            Ok(())
        }
        Command::Geocode { text, limit } => {
            let district = open(&cli.db, cli.timezone).await?;
            let candidates = district.atlas().geocode(&text, GeocodeOptions { limit });
            println!("{}", serde_json::to_string_pretty(&candidates)?);
            Ok(())
        }
    }
}

/// Who runs a command, as the audit log and case histories name them.
fn cli_actor() -> String {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{who}")
}

/// Writes a command that changes or exports data into the audit log (status 0 when it
/// succeeded, 1 when it failed). A failure to write it is reported, not fatal.
async fn audit(store: &dyn Store, what: &str, file: &Path, ok: bool) {
    let detail = file.to_string_lossy();
    let entry = citygrid::store::AuditEntry {
        seq: 0,
        at: chrono::Utc::now(),
        actor: cli_actor(),
        origin: "cli".to_owned(),
        action: what.to_owned(),
        status: i64::from(!ok),
        detail: (!detail.is_empty()).then(|| detail.into_owned()),
    };
    if let Err(e) = store.append_audit(&entry).await {
        eprintln!("warning: the audit log could not be written: {e}");
    }
}

/// The store `--db` names: PostgreSQL for a `postgres://` URL, else the embedded file.
async fn open_store(db: &Path) -> anyhow::Result<Arc<dyn Store>> {
    if is_postgres(db) {
        let url = db.to_str().unwrap_or_default();
        let store = citygrid::store::PgStore::open(url)
            .await
            .with_context(|| format!("opening the database {}", shown(db)))?;
        return Ok(Arc::new(store));
    }
    let store = SqliteStore::open(db)
        .await
        .with_context(|| format!("opening the database {}", db.display()))?;
    Ok(Arc::new(store))
}

/// The embedded file for the commands that work on it alone.
async fn open_file(db: &Path, what: &str) -> anyhow::Result<SqliteStore> {
    if is_postgres(db) {
        bail!(
            "{what} works on the embedded database file; for PostgreSQL use its own tools (pg_dump, pg_restore, amcheck)"
        );
    }
    SqliteStore::open(db)
        .await
        .with_context(|| format!("opening {}", db.display()))
}

async fn open(db: &Path, timezone: chrono_tz::Tz) -> anyhow::Result<District> {
    let store = open_store(db).await?;
    District::open(store, timezone)
        .await
        .with_context(|| format!("loading the base layers from {}", shown(db)))
}

/// Serves the API and the web app; `patrol` has the demo officers post fixes (demo only).
async fn serve(
    district: District,
    rules: Arc<CaseRules>,
    args: ServeArgs,
    patrol: bool,
    catalogue_file: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let web = args.web.filter(|dir| {
        let ok = dir.join("index.html").exists();
        if !ok {
            tracing::warn!("no index.html in {}; serving the API only", dir.display());
        }
        ok
    });
    let accounts = citygrid::accounts::Accounts::new(district.store().clone());
    if let Some(password) = accounts
        .ensure_admin(chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        eprintln!(
            "a fresh installation: log in as admin with the one-time password {password} (it must be changed at the first login)"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let addr = listener.local_addr()?;
    let counts = district.atlas().base().grids.len();
    println!(
        "citygrid is serving {counts} grid cells at http://{addr}/ (API under http://{addr}/api/v1/)"
    );
    let open311 = Open311Config {
        api_keys: args.open311_keys,
        jurisdiction_id: args.jurisdiction_id,
    };
    let speeds = match &args.speeds {
        Some(file) => citygrid::routing::Speeds::from_json(
            &std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
        None => citygrid::routing::Speeds::default(),
    };
    if args.fix_freshness_minutes <= 0 || args.position_retention_days <= 0 {
        bail!("--fix-freshness-minutes and --position-retention-days must be positive");
    }
    let tiles = args
        .tiles
        .as_deref()
        .map(|url| citygrid::http::site::Tiles::new(url, args.tiles_crs, &args.tiles_attribution))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--tiles: {e}"))?;
    let site = citygrid::http::site::SiteConfig {
        name: args.district_name.unwrap_or_else(|| "citygrid".to_owned()),
        tiles,
    };
    let mut state = AppState::new(district, rules)
        .with_site(site)
        .with_open311(open311)
        .with_cors(args.cors_origins)
        .with_trusted_proxies(citygrid::http::client_address::TrustedProxies(
            args.trusted_proxy,
        ))
        .with_dispatch(
            speeds,
            chrono::Duration::minutes(args.fix_freshness_minutes),
            chrono::Duration::days(args.position_retention_days),
        );
    // The catalogue: a --categories file, else what an admin saved in the app, else built in.
    if let Some(file) = &catalogue_file {
        state.cases = state
            .cases
            .clone()
            .with_catalogue_file(&file.display().to_string());
    }
    // A saved catalogue is never taken over a file.
    if state
        .cases
        .load_saved_catalogue()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        tracing::info!("using the category catalogue saved by an admin");
    }
    state
        .dispatch
        .roster()
        .restore()
        .await
        .context("reading officers' duty status and positions")?;
    // Positions are kept for the retention period only: pruned now and every hour.
    let dispatch = state.dispatch.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match dispatch.prune(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("deleted {n} GPS fixes past their retention period"),
                Err(e) => tracing::error!(error = %e, "deleting old GPS fixes"),
            }
        }
    });
    // The statistics' fact cache loads in the background: requests made meanwhile wait on it.
    let statistics = state.statistics.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match statistics.warm().await {
            Ok(n) => tracing::info!(
                cases = n,
                seconds = started.elapsed().as_secs_f64(),
                "statistics cache loaded"
            ),
            Err(e) => tracing::error!(error = %e, "loading the statistics cache"),
        }
    });
    if patrol {
        tokio::spawn(citygrid::demo::patrol::run(state.dispatch.clone()));
    }
    // On a shared database, other servers' changes arrive as notices.
    if let Some(notices) = state.district.store().notices() {
        tokio::spawn(citygrid::http::follow_other_servers(state.clone(), notices));
    }
    let router = app(state, web);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn generate_demo(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let base = demo::generate();
    for (name, text) in demo::files(&base) {
        let path = dir.join(&name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
