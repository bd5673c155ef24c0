//! The state every request handler and background job shares.

use crate::{config::Config, db::Db};
use std::sync::Arc;

/// Cheap to clone: configuration and the database pool, shared.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        AppState {
            config: Arc::new(config),
            db,
        }
    }
}
