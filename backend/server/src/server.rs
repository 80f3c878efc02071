//! A running citygrid server: the application state assembled from a [`ServerConfig`], the
//! work it does in the background (pruning old fixes, warming the statistics, following other
//! servers on a shared database, the demo's patrol), and the HTTP service until shutdown.
//! The command line only turns its options into a [`ServerConfig`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

mod connections;

pub use connections::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS};

use crate::cases::{CaseRules, CatalogueEditError};
use crate::district::District;
use crate::http::client_address::TrustedProxies;
use crate::http::open311::Open311Config;
use crate::http::site::SiteConfig;
use crate::http::{AppState, WebApp, app};
use crate::routing::Speeds;
use crate::store::StoreError;

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    pub site: SiteConfig,
    pub open311: Open311Config,
    /// The keys the city's 12345 platform pushes work orders with.
    pub hotline_keys: Vec<String>,
    /// Origins whose pages may call the API.
    pub cors_origins: Vec<String>,
    pub trusted_proxies: TrustedProxies,
    pub speeds: Speeds,
    /// A fix older than this makes an officer "position unknown".
    pub fix_freshness: chrono::Duration,
    /// Fixes are deleted after this long.
    pub position_retention: chrono::Duration,
    /// A `--categories` file: the catalogue is then read-only.
    pub catalogue_file: Option<String>,
    /// Where the web app's files come from.
    pub web: WebApp,
    /// The demo's officers patrol (post fixes every minute).
    pub patrol: bool,
    /// Send `Strict-Transport-Security` (the server is reached over HTTPS, through a proxy
    /// that terminates TLS).
    pub hsts: bool,
}

/// Why a server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("listening on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the fix freshness and the position retention must be positive")]
    Durations,
    #[error("reading the saved category catalogue: {0}")]
    Catalogue(#[from] CatalogueEditError),
    #[error("the saved checklists: {0}")]
    Checklists(#[from] crate::assessments::ChecklistEditError),
    #[error("the saved campaign kinds: {0}")]
    CampaignKinds(#[from] crate::record_error::RecordError),
    #[error("reading officers' duty status and positions: {0}")]
    Roster(#[source] StoreError),
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
}

/// A server bound to its address, ready to serve.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    state: AppState,
    web: WebApp,
}

impl Server {
    /// Binds the address and assembles the state: the catalogue (a file, else what an admin
    /// saved, else built in), the officers' last statuses and fixes, and the background work.
    pub async fn start(
        district: District,
        rules: Arc<CaseRules>,
        config: ServerConfig,
    ) -> Result<Self, ServeError> {
        if config.fix_freshness <= chrono::Duration::zero()
            || config.position_retention <= chrono::Duration::zero()
        {
            return Err(ServeError::Durations);
        }
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let mut state = AppState::new(district, rules)
            .with_site(config.site)
            .with_open311(config.open311)
            .with_hotline_keys(config.hotline_keys)
            .with_cors(config.cors_origins)
            .with_trusted_proxies(config.trusted_proxies)
            .with_hsts(config.hsts)
            .with_dispatch(
                config.speeds,
                config.fix_freshness,
                config.position_retention,
            );
        if let Some(file) = &config.catalogue_file {
            state.cases = state.cases.clone().with_catalogue_file(file);
        }
        // A saved catalogue is never taken over a file.
        if state.cases.load_saved_catalogue().await? {
            tracing::info!("using the category catalogue saved by an admin");
        }
        if state.checklists.load_saved().await? {
            tracing::info!("using the checklist templates saved by an admin");
        }
        if state.campaign_kinds.load_saved().await? {
            tracing::info!("using the campaign kinds saved by an admin");
        }
        if state.hotline.load_saved().await? {
            tracing::info!("using the hotline rules saved by an admin");
        }
        if state.draft.load_saved().await? {
            tracing::info!("using the report draft's templates saved by an admin");
        }
        state
            .dispatch
            .roster()
            .restore()
            .await
            .map_err(ServeError::Roster)?;
        spawn_background(&state, config.patrol);
        Ok(Self {
            listener,
            state,
            web: config.web,
        })
    }

    /// The address it listens on (the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown` completes, lets requests in flight finish, then closes the
    /// store (every connection closed before this returns).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let store = self.state.district.store().clone();
        let router = app(self.state, self.web);
        let served = connections::serve(self.listener, router, shutdown).await;
        store.close().await;
        Ok(served?)
    }
}

/// Work that goes on beside the requests.
fn spawn_background(state: &AppState, patrol: bool) {
    // Positions are kept for the retention period only, and login throttles while they hold
    // something back or remember a known address: pruned now and every hour.
    let dispatch = state.dispatch.clone();
    let accounts = state.accounts.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match dispatch.prune(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("deleted {n} GPS fixes past their retention period"),
                Err(e) => tracing::error!(error = %e, "deleting old GPS fixes"),
            }
            match accounts.prune_throttles(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("deleted {n} login throttles that hold nothing back"),
                Err(e) => tracing::error!(error = %e, "deleting old login throttles"),
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
        tokio::spawn(crate::demo::patrol::run(state.dispatch.clone()));
    }
    // On a shared database, other servers' changes arrive as notices.
    if let Some(notices) = state.district.store().notices() {
        tokio::spawn(crate::http::follow_other_servers(state.clone(), notices));
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
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
