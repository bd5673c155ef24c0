//! What goes into the archive: one collector per data category of the registry, each
//! reading the person's own rows and, of those, only what describes them.

mod account;
mod cookies;
mod device_network;
mod generated_content;
mod guest_data;
mod logs_analytics;
mod orders_payments;
mod support_marketing;
mod uploads_prompts;
mod usage;

use super::{ExportError, archive::Archive, document::document};
use crate::{AppState, registry::DataCategory, storage::StorageKey};

/// Reads everything the person's export holds. Only rows that are theirs, and of those
/// only what describes them: never secrets (password hash, two-factor secret, recovery
/// codes, session ids), never another person's id.
pub(super) async fn collect(state: &AppState, user_id: &str) -> Result<Archive, ExportError> {
    let db = &state.db;
    let mut documents = Vec::new();
    let mut images = Vec::new();
    for category in DataCategory::ALL {
        let records = match category {
            DataCategory::Account => account::collect(db, user_id, &mut images).await?,
            DataCategory::Usage => usage::collect(db, user_id).await?,
            DataCategory::DeviceNetwork => device_network::collect(db, user_id).await?,
            DataCategory::Cookies => cookies::collect(db, user_id).await?,
            DataCategory::OrdersPayments => orders_payments::collect(db, user_id).await?,
            DataCategory::UploadsPrompts => {
                uploads_prompts::collect(db, user_id, &mut images).await?
            }
            DataCategory::GeneratedContent => {
                generated_content::collect(db, user_id, &mut images).await?
            }
            DataCategory::GuestData => guest_data::collect(db, user_id).await?,
            DataCategory::LogsAnalytics => logs_analytics::collect(db, user_id).await?,
            DataCategory::SupportMarketing => {
                support_marketing::collect(db, user_id, &mut images).await?
            }
        };
        documents.push(document(category, records));
    }
    Ok(Archive { documents, images })
}

/// The file name extension of a stored key (`png` of `uploads/x.png`).
fn extension(key: &StorageKey) -> &str {
    key.as_str()
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.contains('/'))
        .unwrap_or("bin")
}
