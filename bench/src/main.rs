//! `citygrid-bench`: citygrid's benchmarks, each printed beside its baseline from the same run.
//! Build with `--release`; debug figures mean nothing.

use std::path::PathBuf;

use anyhow::Context;
use citygrid_bench::table::print_rows;
use clap::{Parser, Subcommand};

/// citygrid's benchmarks.
#[derive(Debug, Parser)]
#[command(name = "citygrid-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The atlas on the demo district and on a generated city: grid-cell lookup against brute
    /// force and a plain R-tree, reverse and forward geocoding.
    Atlas {
        /// Points per measurement on the city-size atlas.
        #[arg(long, default_value_t = 1_000_000)]
        points: usize,
    },
    /// Street graphs and officer ranking on the demo district, a generated city lattice and,
    /// if given, an OpenStreetMap extract, against a full shortest-path search.
    Dispatch {
        /// An .osm.pbf extract to measure as a real network (e.g. data/osm/helsinki-center.osm.pbf).
        #[arg(long)]
        osm: Option<PathBuf>,
    },
    /// Gi*, emerging hot spots, evaluation and report figures at city scale.
    Analytics {
        /// A Python with esda and libpysal, to time esda on the same Gi* input.
        #[arg(long)]
        esda: Option<String>,
    },
    /// A city's year of inspections (500 sections, 100,000 shops, 200,000 assessments): scoring,
    /// monthly periods with their settlements, the report's inspection lines, and the periods
    /// read back from the embedded store, against scanning every assessment per period.
    Assessments,
    /// Category suggestion from a caller's words: accuracy on hand-written complaints and held-out
    /// demo cases, and the time of one suggestion, against a keyword scan.
    Suggest,
    /// Case creation over HTTP, listing and statistics over a large store; the embedded store
    /// and, with --pg, PostgreSQL side by side.
    Cases {
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
    /// The health check's latency while four clients keep asking for the heaviest statistics,
    /// against the same check on an idle server.
    Heavy {
        /// How long to time the health check, idle and under load (each).
        #[arg(long, default_value_t = 20)]
        seconds: u64,
    },
    /// The atlas and the street graph against PostGIS and pgRouting doing the same work on a
    /// generated city (10,000 cells, 100,000 shops, 20,200 street segments) in a running
    /// PostgreSQL (with the postgis and pgrouting extensions available).
    Postgis {
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
}

fn read(file: Option<&PathBuf>) -> anyhow::Result<Option<Vec<u8>>> {
    file.map(|f| std::fs::read(f).with_context(|| format!("reading {}", f.display())))
        .transpose()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    println!("measuring (release builds only give meaningful figures)…");
    match cli.command {
        Command::Atlas { points } => print_rows(&citygrid_bench::atlas::measure_all(points)),
        Command::Dispatch { osm } => {
            let bytes = read(osm.as_ref())?;
            print_rows(&citygrid_bench::dispatch::run(bytes.as_deref())?);
        }
        Command::Analytics { esda } => {
            print_rows(&citygrid_bench::analytics::run(esda.as_deref())?);
        }
        Command::Cases {
            seconds,
            clients,
            cases,
            pg,
            keep,
        } => citygrid_bench::cases::run(seconds, clients, cases, pg, keep).await?,
        Command::Assessments => print_rows(&citygrid_bench::assessments::run().await?),
        Command::Suggest => print_rows(&citygrid_bench::suggest::run()?),
        Command::Heavy { seconds } => print_rows(&citygrid_bench::heavy::run(seconds).await?),
        Command::Postgis { pg, points, osm } => {
            let bytes = read(osm.as_ref())?;
            let rows = citygrid_bench::postgis::run(&pg, points, bytes.as_deref()).await?;
            for r in rows {
                let label = format!("{}:", r.against);
                println!(
                    "{}\n  citygrid: {}\n  {label:9} {}\n  ratio:    {}\n  answers:  {}",
                    r.what, r.citygrid, r.postgis, r.ratio, r.agreement
                );
            }
        }
    }
    Ok(())
}
