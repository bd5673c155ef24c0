//! The state every request handler and background job shares.

use crate::{config::Config, db::Db, email::Mailer, storage::Storage};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// Cheap to clone: configuration, the database pool, the mailer, file storage and one
/// HTTP client for calls to outside services, shared.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub mailer: Mailer,
    pub storage: Storage,
    /// For outside services (Turnstile, OAuth profile APIs): pooled connections, timeouts.
    pub http: reqwest::Client,
    /// Payment providers: the one taking checkouts and every one whose webhooks arrive.
    pub payments: crate::billing::Payments,
    /// Image providers: the offline engine and every configured remote one.
    pub providers: crate::generation::providers::Providers,
    /// Task events, shared across processes through PostgreSQL when it is the database.
    pub events: crate::generation::events::Events,
    /// The image check run on uploads and results.
    pub image_check: crate::generation::moderation::ImageCheck,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("email: {0}")]
    Email(#[from] crate::email::EmailError),
    #[error("storage: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Result<Self, StateError> {
        let mailer = Mailer::new(&config, db.clone())?;
        let mut signing_key = b"storage:".to_vec();
        signing_key.extend_from_slice(config.secret_key.expose_secret().as_bytes());
        let storage = Storage::new(&config.storage, &signing_key)?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .connect_timeout(std::time::Duration::from_secs(10))
            .user_agent("banana-nano")
            .build()
            .expect("HTTP client builds");
        let payments = crate::billing::Payments::new(&config, http.clone());
        let providers = crate::generation::providers::Providers::new(&config.generation, &http);
        let events = crate::generation::events::Events::for_backend(db.backend());
        events.listen(&db);
        let image_check = crate::generation::moderation::ImageCheck::new(
            config.generation.image_check_url.clone(),
            http.clone(),
        );
        Ok(AppState {
            providers,
            events,
            image_check,
            payments,
            config: Arc::new(config),
            db,
            mailer,
            storage,
            http,
        })
    }
}
