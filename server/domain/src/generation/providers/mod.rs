//! The adapters for remote image providers, each speaking its vendor's documented protocol
//! (see the project's protocol notes), and the registry the workers pick them from.

pub mod gemini;
mod http;
pub mod kie;
pub mod openai;
pub mod replicate;

#[cfg(test)]
mod tests;

use super::{ImageProvider, ProviderKind, engine::LocalEngine};
use crate::config::GenerationConfig;
use std::sync::Arc;

/// Every provider this instance can use: the offline engine always, the others when their
/// credentials are configured.
#[derive(Clone)]
pub struct Providers {
    local: Arc<dyn ImageProvider>,
    gemini: Option<Arc<dyn ImageProvider>>,
    kie: Option<Arc<dyn ImageProvider>>,
    openai: Option<Arc<dyn ImageProvider>>,
    replicate: Option<Arc<dyn ImageProvider>>,
}

impl Providers {
    pub fn new(config: &GenerationConfig, http: &reqwest::Client) -> Providers {
        Providers {
            local: Arc::new(LocalEngine),
            gemini: config
                .gemini
                .clone()
                .map(|api| Arc::new(gemini::Gemini::new(api, http.clone())) as _),
            kie: config.kie.clone().map(|api| {
                Arc::new(kie::Kie::new(api, http.clone()).with_poll_interval(config.poll_interval))
                    as _
            }),
            openai: config
                .openai
                .clone()
                .map(|api| Arc::new(openai::OpenAi::new(api, http.clone())) as _),
            replicate: config.replicate.clone().map(|api| {
                Arc::new(
                    replicate::Replicate::new(api, http.clone())
                        .with_poll_interval(config.poll_interval),
                ) as _
            }),
        }
    }

    /// The adapter for `kind`, if configured.
    pub fn get(&self, kind: ProviderKind) -> Option<Arc<dyn ImageProvider>> {
        match kind {
            ProviderKind::Local => Some(self.local.clone()),
            ProviderKind::Gemini => self.gemini.clone(),
            ProviderKind::Kie => self.kie.clone(),
            ProviderKind::Openai => self.openai.clone(),
            ProviderKind::Replicate => self.replicate.clone(),
        }
    }

    /// Replaces one adapter (tests use this to point a provider at a scripted peer).
    pub fn with(mut self, kind: ProviderKind, provider: Arc<dyn ImageProvider>) -> Providers {
        match kind {
            ProviderKind::Local => self.local = provider,
            ProviderKind::Gemini => self.gemini = Some(provider),
            ProviderKind::Kie => self.kie = Some(provider),
            ProviderKind::Openai => self.openai = Some(provider),
            ProviderKind::Replicate => self.replicate = Some(provider),
        }
        self
    }
}
