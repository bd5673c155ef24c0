//! The model catalog, from configuration: which models exist, which provider runs each,
//! what each can do and what an image costs. Prices a browser sends are never read.
//! The types live in `config::models`, which configuration deserializes into.

pub use crate::config::models::{
    ModelCatalog, ModelSpec, ProviderKind, StylePreset, default_models, default_styles,
};
