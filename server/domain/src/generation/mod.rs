//! Image generation: the model catalog, what a request may ask for, the providers that make
//! images, and the durable task queue that runs them.
//!
//! The flow: a submit is validated, its prompt moderated, priced from the catalog, its
//! credits reserved and its tasks queued in one transaction ([`tasks::submit`]). Workers
//! ([`worker`]) claim tasks with a lease, call the model's provider, copy the images into
//! our storage with a WebP thumbnail, and settle the reservation exactly once: captured on
//! success, released on failure, refusal or cancel. Every change is published on the
//! [`events`] bus, which the server streams to the person's page.

pub mod engine;
pub mod events;
pub mod guests;
pub mod models;
pub mod moderation;
pub mod provider;
pub mod providers;
pub mod request;
pub mod tasks;
pub mod uploads;
pub mod worker;

pub use models::{ModelCatalog, ModelSpec, ProviderKind};
pub use provider::{
    CallbackRequest, GeneratedImage, ImageProvider, InputImage, ProviderError, ProviderJob,
    RemoteTracker,
};
pub use request::{AspectRatio, Camera, GenerationRequest, OutputFormat, RequestError, Resolution};

#[cfg(test)]
mod tests;
