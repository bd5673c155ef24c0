//! The banana nano server: wires configuration, the database, HTTP middleware, the
//! non-Leptos routes and the Leptos app together. Logic lives in `domain`, UI in `app`.

pub mod cli;
pub mod telemetry;

mod http;
mod middleware;
mod routes;

pub use http::HttpError;

use anyhow::Context;
use axum::{Router, serve::ListenerExt};
use domain::{AppState, config::Config, db::Db};
use secrecy::ExposeSecret;
use std::{future::Future, net::SocketAddr};
use tokio::net::TcpListener;

/// A configured server, bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    instance_id: String,
    workers: Option<domain::generation::worker::WorkerPool>,
}

impl Application {
    /// Connects and migrates the database, binds the listener and builds the router.
    /// With `addr` port 0 the OS picks a free port (see [`Application::local_addr`]).
    pub async fn build(mut config: Config) -> anyhow::Result<Application> {
        let db = Db::connect(
            config.database_url.expose_secret(),
            config.db_max_connections,
        )
        .await?;
        db.migrate().await?;
        let instance_id = db.instance_id().await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let bound = listener.local_addr().context("reading the bound address")?;
        // The default public URL names the configured address; with port 0 it must name
        // the port the OS picked.
        if config.public_url == format!("http://{}", config.addr) {
            config.public_url = format!("http://{bound}");
            config.addr = bound;
        }
        let state = AppState::new(config, db)?;
        // Two-factor keys in plain text (from before sealing) or under a retired key are
        // sealed under the first field key before anyone signs in.
        let resealed = domain::accounts::two_factor::reseal_secrets(&state).await?;
        if resealed > 0 {
            tracing::info!(
                resealed,
                "two-factor keys sealed under the current field key"
            );
        }
        routes::assets::precompress_in_background(state.config.site_root.clone());
        routes::auth::spawn_cleanup(state.clone());
        routes::legal::publish_current(&state).await;
        routes::privacy::spawn_background(state.clone());
        let router = routes::router(state.clone());
        let workers = match state.config.generation.workers {
            0 => None,
            n => Some(domain::generation::worker::WorkerPool::spawn(&state, n)),
        };
        Ok(Application {
            listener,
            router,
            state,
            instance_id,
            workers,
        })
    }

    /// The state the server runs with (configuration as resolved, database, mailer…).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish for up to
    /// the configured grace period and closes the database pool.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr();
        let config = &self.state.config;
        tracing::info!(
            %addr,
            mode = ?config.mode,
            database = config.database_backend_name(),
            public_url = %config.public_url,
            instance = %self.instance_id,
            "banana nano is listening"
        );
        let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
        // Responses are written in several pieces (headers, streamed body); without
        // TCP_NODELAY, Nagle's algorithm and delayed ACKs hold the last piece back ~40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::trace!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let server = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("stop requested; finishing in-flight requests");
            let _ = stopping_tx.send(true);
        });
        let grace = config.shutdown_grace;
        let deadline = async move {
            let _ = stopping_rx.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result.context("serving HTTP")?,
            () = deadline => tracing::warn!(?grace, "grace period over; dropping unfinished requests"),
        }
        if let Some(workers) = self.workers {
            // Tasks still running after the grace period are left to their leases: another
            // process (or this one, restarted) takes them up.
            workers.shutdown(grace).await;
        }
        self.state.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on ctrl-c or SIGTERM. The handlers are installed when this is called, not
/// when it is first awaited: call it before the listener accepts, so a signal that arrives
/// early still stops the server gracefully instead of killing it.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let terminate = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            () = terminate => {},
        }
    }
}
