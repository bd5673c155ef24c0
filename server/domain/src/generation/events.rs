//! The task event bus: a task changed, work was queued, a provider called back.
//!
//! Within one process events travel on a tokio broadcast channel. With PostgreSQL every
//! event is also sent through `pg_notify` on one channel, and each process's listener
//! re-broadcasts what arrives, so a person's page sees progress made by a worker in any
//! process, and an idle worker wakes for work queued anywhere. Events carry ids only: a
//! listener reads the current state from the database, so a missed or repeated event
//! costs a refresh, never a wrong state. While the listener is down, [`Events::healthy`]
//! is false and readers fall back to polling.

use crate::db::{Backend, Db};
use serde::{Deserialize, Serialize};
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};
use tokio::sync::broadcast;

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "banana_tasks";

/// Something that happened to the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A task's state or progress changed; `user_id`/`guest_id` name its owner so streams
    /// pick their own without a query.
    Changed {
        task_id: String,
        user_id: Option<String>,
        guest_id: Option<String>,
    },
    /// Tasks were queued (or became due): idle workers should look.
    Queued,
    /// A provider's verified callback about its job `remote_id` arrived.
    Callback { provider: String, remote_id: String },
    /// Events from other processes may have been missed (the PostgreSQL listener was
    /// reconnected): readers should re-read what they show. Delivered locally only.
    Resync,
}

/// The bus. Cheap to clone.
#[derive(Clone)]
pub struct Events {
    local: broadcast::Sender<Event>,
    /// Whether events go through PostgreSQL (then the listener delivers them locally too).
    via_postgres: bool,
    /// Shared by the clones; the listener holds it weakly and stops once every clone of
    /// the bus is gone.
    healthy: Arc<AtomicBool>,
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("via_postgres", &self.via_postgres)
            .finish_non_exhaustive()
    }
}

impl Default for Events {
    fn default() -> Self {
        Events::local()
    }
}

impl Events {
    /// A bus for one process (SQLite, tests).
    pub fn local() -> Events {
        let (local, _) = broadcast::channel(1024);
        Events {
            local,
            via_postgres: false,
            healthy: Arc::new(AtomicBool::new(true)),
        }
    }

    /// A bus shared through PostgreSQL: call [`Events::listen`] to start receiving. Until
    /// the listener is connected the bus reports itself unhealthy.
    pub fn postgres() -> Events {
        let (local, _) = broadcast::channel(1024);
        Events {
            local,
            via_postgres: true,
            healthy: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The bus right for `db`: shared through PostgreSQL, or local to this process.
    pub fn for_backend(backend: Backend) -> Events {
        match backend {
            Backend::Postgres => Events::postgres(),
            Backend::Sqlite => Events::local(),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }

    /// False while events from other processes may be missed (PostgreSQL listener down):
    /// readers should then poll the database.
    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    /// Publishes `event` to every process. Never fails the caller: if PostgreSQL cannot
    /// take the notification, this process still hears it and the others fall back on
    /// polling.
    pub async fn publish(&self, db: &Db, event: Event) {
        if self.via_postgres {
            let payload = serde_json::to_string(&event).expect("events serialize");
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(&payload)
                .execute(db.pool())
                .await;
            match sent {
                // The listener hears our own notification and delivers it locally.
                Ok(_) if self.healthy() => return,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "task event not sent through PostgreSQL"),
            }
        }
        let _ = self.local.send(event);
    }

    /// Starts the PostgreSQL listener on `db`'s server (a no-op for a local bus). It
    /// reconnects by itself; while disconnected the bus is unhealthy, and on reconnection
    /// a `Queued` event is delivered, since work may have been queued meanwhile. It ends
    /// once every clone of the bus is dropped.
    pub fn listen(&self, db: &Db) -> Option<tokio::task::JoinHandle<()>> {
        if !self.via_postgres || tokio::runtime::Handle::try_current().is_err() {
            return None;
        }
        let url = secrecy::ExposeSecret::expose_secret(db.url()).to_string();
        let local = self.local.clone();
        let healthy = Arc::downgrade(&self.healthy);
        Some(tokio::spawn(async move {
            let mut backoff = Duration::from_millis(200);
            while healthy.strong_count() > 0 {
                if let Err(error) = listen_once(&url, &local, &healthy).await {
                    if healthy.strong_count() == 0 {
                        break;
                    }
                    tracing::warn!(error = %error, "task event listener disconnected");
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                } else {
                    backoff = Duration::from_millis(200);
                }
                if let Some(flag) = healthy.upgrade() {
                    flag.store(false, Ordering::Relaxed);
                }
                tokio::time::sleep(backoff).await;
            }
        }))
    }
}

async fn listen_once(
    url: &str,
    local: &broadcast::Sender<Event>,
    healthy: &std::sync::Weak<AtomicBool>,
) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    match healthy.upgrade() {
        Some(flag) => flag.store(true, Ordering::Relaxed),
        None => return Ok(()),
    }
    // Whatever happened while no listener was connected is re-read: work queued meanwhile
    // by the workers, task changes by the streams.
    let _ = local.send(Event::Queued);
    let _ = local.send(Event::Resync);
    loop {
        // `try_recv` reports a dropped connection as `None` instead of reconnecting
        // silently, so every gap is followed by `Queued` and a re-read.
        let next = listener.try_recv().await;
        if healthy.strong_count() == 0 {
            return Ok(());
        }
        match next {
            Ok(None) => return Ok(()),
            Err(error) => return Err(error),
            Ok(Some(notification)) => match serde_json::from_str::<Event>(notification.payload()) {
                Ok(event) => {
                    let _ = local.send(event);
                }
                Err(error) => tracing::warn!(%error, "malformed task event ignored"),
            },
        }
    }
}
